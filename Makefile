# Everything a fresh machine needs: Python 3.11+, pip, make.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# make serve PORT=8001 · make validate FORMAT=github (CI) · make build DRAFTS=1
PORT ?= 8000
FORMAT ?= text
DRAFTS ?=

.PHONY: setup serve build validate test system-deps screenshots bench bench-deps clean

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
test: $(STAMP) system-deps
	$(BIN)/python -m pytest

## What the browser and HTML checks need from the system, installed only when missing
## (Debian/Ubuntu: apt-get, with sudo unless root): Chromium, CJK fonts, a Java runtime for vnu.
system-deps:
	@missing=""; \
	[ -n "$$CHROMIUM" ] || command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing="$$missing fonts-noto-cjk fontconfig"; \
	if [ -n "$$missing" ]; then \
	  if ! command -v apt-get >/dev/null 2>&1; then \
	    echo "make test needs:$$missing (install them, or set CHROMIUM=/path/to/chromium)" >&2; exit 1; \
	  fi; \
	  if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi; \
	  echo "installing system packages:$$missing"; \
	  $$sudo apt-get update -qq && \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

## Benchmark (not part of make test): a synthetic corpus of PLANS plans (default 1000, never in
## content/), timed validate, builds, diff, one-plan rebuild, and Hugo on the same pages (docs/performance.md).
PLANS ?= 1000
REPEAT ?= 1
bench: $(STAMP) bench-deps
	$(BIN)/python benchmarks/bench.py --plans $(PLANS) --repeat $(REPEAT)

## Hugo (Debian's package) for the comparison run, installed only when missing
bench-deps:
	@command -v hugo >/dev/null 2>&1 || { \
	  if ! command -v apt-get >/dev/null 2>&1; then echo "make bench needs hugo" >&2; exit 1; fi; \
	  if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi; \
	  echo "installing system packages: hugo"; \
	  $$sudo apt-get update -qq && \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends hugo >/dev/null; }

## Phone (360 px) and desktop (1280 px) screenshots of one page of each kind, or of
## PAGES="/plans/hedong/2024/ /about/", into screenshots/
screenshots: $(STAMP) system-deps
	$(BIN)/python -m tests.browser.screenshot --out screenshots $(PAGES)

clean:
	rm -rf public screenshots .sitegen-cache $(VENV) *.egg-info
