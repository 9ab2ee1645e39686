# WealthDesk — `make run` and `make test` work from nothing on a fresh machine.
# As root on Debian/Ubuntu, `make test` also installs the system packages the product and its tests use
# (skipped when present, instructions printed when not root): chromium (console browser tests), LibreOffice
# writer + python3-uno + a CJK font (PDF reports with TOC page numbers, no tofu), and a Java 17 runtime
# (Spark batch tests; without java they are skipped with that reason). pyspark/pyarrow come with '.[dev]'.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The console's one chart library, Apache ECharts, copied from the npm registry at build time (not committed).
ECHARTS_VERSION := 5.6.0
VENDOR := assistant/console/static/vendor
ECHARTS := $(VENDOR)/echarts.min.js

.DEFAULT_GOAL := help

help: ## show this help
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}'

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) $(ECHARTS) ## create .venv and install WealthDesk with dev tools (and the console's chart library)

$(ECHARTS):
	@command -v npm >/dev/null || { echo "npm is needed once to fetch the console's chart library: apt-get install -y npm (or copy echarts@$(ECHARTS_VERSION) dist/echarts.min.js to $(ECHARTS))"; exit 1; }
	@mkdir -p $(VENDOR) && tmp=$$(mktemp -d) && \
	  (cd $$tmp && npm pack --silent echarts@$(ECHARTS_VERSION) >/dev/null) && \
	  tar -xzf $$tmp/echarts-$(ECHARTS_VERSION).tgz -C $$tmp package/dist/echarts.min.js package/LICENSE package/NOTICE && \
	  cp $$tmp/package/LICENSE $(VENDOR)/ECHARTS-LICENSE && cp $$tmp/package/NOTICE $(VENDOR)/ECHARTS-NOTICE && \
	  cp $$tmp/package/dist/echarts.min.js $(ECHARTS) && rm -rf $$tmp && echo "console: echarts $(ECHARTS_VERSION) -> $(ECHARTS)"

console-assets: $(ECHARTS) ## fetch the console's chart library (echarts from npm) into $(VENDOR)

browser: ## install Debian's chromium for the console's browser tests (as root; otherwise print how)
	@if command -v chromium >/dev/null; then echo "chromium: $$(command -v chromium)"; \
	elif [ "$$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null && echo "chromium installed"; \
	else echo "browser tests need Debian's chromium: sudo apt-get install -y --no-install-recommends chromium (they are skipped without it)"; fi

# PDF reports: soffice converts, python3-uno lets reports/pdf_uno.py update the TOC's page numbers first,
# fonts-noto-cjk gives LibreOffice real Chinese glyphs
office: ## install LibreOffice writer, python3-uno and a CJK font for PDF reports (as root; otherwise print how)
	@missing=""; command -v soffice >/dev/null || missing="$$missing libreoffice-writer-nogui"; \
	  /usr/bin/python3 -c 'import uno' 2>/dev/null || missing="$$missing python3-uno"; \
	  fc-list :lang=zh 2>/dev/null | grep -q . || missing="$$missing fonts-noto-cjk"; \
	  $(call apt_install,PDF reports,$$missing)

java: ## install a Java 17 runtime for the Spark batch tests (as root; otherwise print how)
	@missing=""; command -v java >/dev/null || missing="openjdk-17-jre-headless"; \
	  $(call apt_install,Spark batch tests,$$missing)

# $(call apt_install,purpose,packages): nothing when the list is empty, apt-get as root, else instructions
apt_install = if [ -z "$(2)" ]; then echo "$(1): system packages present"; \
	elif [ "$$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(2) >/dev/null && \
	  echo "$(1): installed$(2)"; \
	else echo "$(1) need:$(2) (sudo apt-get install -y --no-install-recommends$(2)); tests that need them are skipped"; fi

init: install ## load the sample data set and the knowledge base (idempotent)
	$(BIN)/wealthdesk init

run: init ## install, initialise, start the service on 127.0.0.1:8000 (offline model by default)
	$(BIN)/wealthdesk serve

test: install browser office java ## run the test suite (as root, first installs chromium, LibreOffice and java)
	$(BIN)/python -m pytest

lint: install ## ruff, mypy and the import-linter layer contracts
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: init ## run the benchmark scripts and print figures
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

evals: init ## run the evaluation sets (routing, retrieval, grounding)
	$(BIN)/python -m evals.run

clean: ## remove generated data (var/) but keep .venv
	rm -rf var

.PHONY: help install init run test lint bench evals clean console-assets browser office java
