# Everything a fresh machine needs: Python 3.11+, pip, make.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# make serve PORT=8001 · make validate FORMAT=github (CI) · make build DRAFTS=1
PORT ?= 8000
FORMAT ?= text
DRAFTS ?=

.PHONY: setup lock serve build validate test system-deps screenshots bench bench-deps clean

# The venv holds exactly the versions of the dev lock (runtime and test dependencies, each file
# checked against its hash), then sitegen itself, built with the lock's setuptools. pip is the
# venv's own: it installs, it is not installed, and the hashes fix every byte it puts in place.
# `pip check` stops a set-up whose lock no longer satisfies pyproject.toml (run `make lock`).
$(STAMP): requirements-dev.lock pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/pip check
	touch $(STAMP)

setup: $(STAMP)

## Refresh the lock files from pyproject.toml (from PyPI, with hashes, for every platform):
## requirements.lock (what the site needs: Netlify installs it) and requirements-dev.lock (that
## and the tests; `make setup` installs it). Versions already locked stay unless UPGRADE=1.
## Both hold the build backend (pyproject's [build-system] requires), so no install fetches it unpinned.
UV_VERSION := 0.13.10
UPGRADE ?=
LOCK_FLAGS = --no-config --universal --python-version 3.11 --generate-hashes --quiet \
	--custom-compile-command "make lock" $(if $(UPGRADE),--upgrade)
BUILD_REQUIRES = $(BIN)/python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['build-system']['requires'], sep='\n')"
lock:
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet uv==$(UV_VERSION)
	$(BUILD_REQUIRES) | $(BIN)/uv pip compile $(LOCK_FLAGS) pyproject.toml - -o requirements.lock
	$(BUILD_REQUIRES) | $(BIN)/uv pip compile $(LOCK_FLAGS) --extra test -c requirements.lock pyproject.toml - \
	  -o requirements-dev.lock

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
