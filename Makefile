# WealthDesk — `make run` and `make test` work from nothing on a fresh machine.
# The Spark batch tests (tests/batch) need a Java runtime 17+ on PATH (Debian/Ubuntu: apt-get install
# openjdk-17-jre-headless); without java they are skipped with that reason. pyspark/pyarrow come with '.[dev]'.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help

help: ## show this help
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}'

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## create .venv and install WealthDesk with dev tools

init: install ## load the sample data set and the knowledge base (idempotent)
	$(BIN)/wealthdesk init

run: init ## install, initialise, start the service on 127.0.0.1:8000 (offline model by default)
	$(BIN)/wealthdesk serve

test: install ## run the test suite
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

.PHONY: help install init run test lint bench evals clean
