# sanctionwatch: the two commands a new user needs are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_DB ?= demo.db

.PHONY: setup test-deps lint-deps demo test lint evaluate benchmark clean help

help:
	@echo "make setup      create .venv with the sanctionwatch CLI (.venv/bin/sanctionwatch)"
	@echo "make demo       setup, load the bundled sample, serve http://$(HOST):$(PORT)/"
	@echo "make test       setup with test dependencies, run the whole suite"
	@echo "make lint       ruff check and mypy (both must be clean; CI runs them)"
	@echo "make evaluate   score extraction on both halves of the gold, dev and dev_b (needs ../shared)"
	@echo "make benchmark  print speed and memory figures: extraction, the NLP path stage by stage, throughput of whole runs (needs ../shared), hostile inputs"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# PyICU (under followthemoney's name handling) is built from source against ICU: say so in one
# line before pip fails with a page of compiler output.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@$(BIN)/python -c "import icu" 2>/dev/null || pkg-config --exists icu-uc 2>/dev/null || { \
	  echo "error: PyICU needs ICU's headers and pkg-config to build: apt-get install libicu-dev pkg-config (Debian/Ubuntu), brew install icu4c pkg-config (macOS)"; exit 1; }
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

$(VENV)/.lint-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[lint]"
	touch $@

setup: $(VENV)/.installed

test-deps: $(VENV)/.test-installed

lint-deps: $(VENV)/.lint-installed

demo: setup
	@echo "make demo: database $(DEMO_DB) (choose another with make demo DEMO_DB=path.db)"
	$(BIN)/sanctionwatch --db $(DEMO_DB) demo --host $(HOST) --port $(PORT)

test: test-deps
	$(BIN)/python -m pytest -q

lint: lint-deps
	$(BIN)/ruff check .
	$(BIN)/mypy

evaluate: setup
	@for split in dev dev_b; do echo "== $$split"; $(BIN)/sanctionwatch evaluate --gold ../shared/dev/gold.jsonl --corpus ../shared/corpus/articles.jsonl --split $$split || exit 1; done

benchmark: test-deps
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/nlp_path.py
	$(BIN)/python benchmarks/throughput.py
	$(BIN)/python benchmarks/hostile_inputs.py

clean:
	rm -rf $(VENV) .pytest_cache $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
