PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run gaza test lint bench eval install clean

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
	$(BIN)/casualties report weekly --out reports/example --force

# The real Gaza daily series in a store of its own, and its weekly pack.
gaza: $(STAMP)
	$(BIN)/casualties --db data/gaza.db load-gaza
	$(BIN)/casualties --db data/gaza.db summary --metric killed
	$(BIN)/casualties --db data/gaza.db report weekly --out reports/gaza --force

test: $(STAMP)
	$(BIN)/ruff check casualties tests benchmarks
	$(BIN)/ruff format --check casualties tests benchmarks
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check casualties tests benchmarks
	$(BIN)/ruff format --check casualties tests benchmarks

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

# Precision and recall of `casualties extract` per field, against hand-made truth.
eval: $(STAMP)
	$(BIN)/python -m benchmarks.eval

clean:
	rm -rf $(VENV) data/casualties.db reports
