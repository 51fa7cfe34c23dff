# The two entry points of the README. Both set up a virtual environment on first use.
PYTHON ?= python3
VENV ?= .venv
DIST ?= dist
BIN := $(VENV)/bin

.PHONY: build test lint format clean

$(BIN)/castgraph: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

## build: set up, build and validate the graph from data/, write dist/, print a summary
build: $(BIN)/castgraph
	$(BIN)/castgraph build --out $(DIST)

## test: set up, lint, and run the whole test suite
test: $(BIN)/castgraph
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/pytest -n auto --dist loadfile

lint: $(BIN)/castgraph
	$(BIN)/ruff check src tests bench

format: $(BIN)/castgraph
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

clean:
	rm -rf $(VENV) $(DIST) .pytest_cache .ruff_cache
