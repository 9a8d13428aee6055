# Everything a fresh machine needs: Python 3.11+, pip, make.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup serve build validate test clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

## Build the seed site and serve it on http://127.0.0.1:8000 (rebuilds on change)
serve: $(STAMP)
	$(BIN)/sitegen serve

build: $(STAMP)
	$(BIN)/sitegen build

validate: $(STAMP)
	$(BIN)/sitegen validate

## Set up and run the whole test suite
test: $(STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf public $(VENV) *.egg-info
