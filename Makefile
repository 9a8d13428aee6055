# Everything a fresh machine needs: Python 3.11+, pip, make.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# make serve PORT=8001 · make validate FORMAT=github (CI) · make build DRAFTS=1
PORT ?= 8000
FORMAT ?= text
DRAFTS ?=

.PHONY: setup serve build validate test clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

## Build the seed site (drafts included) and serve it on http://127.0.0.1:$(PORT) (rebuilds on change)
serve: $(STAMP)
	$(BIN)/sitegen serve --port $(PORT)

build: $(STAMP)
	$(BIN)/sitegen build $(if $(DRAFTS),--drafts)

validate: $(STAMP)
	$(BIN)/sitegen validate --format $(FORMAT)

## Set up and run the whole test suite
test: $(STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf public $(VENV) *.egg-info
