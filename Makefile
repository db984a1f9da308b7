PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench install clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/casualties init
	$(BIN)/casualties load-example
	$(BIN)/casualties summary

test: $(STAMP)
	$(BIN)/ruff check casualties tests benchmarks
	$(BIN)/ruff format --check casualties tests benchmarks
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check casualties tests benchmarks
	$(BIN)/ruff format --check casualties tests benchmarks

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) data/casualties.db reports
