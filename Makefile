# The two commands of the README, and the checks CI runs.
# Everything installs into .venv beside this file; nothing else on the machine changes.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: app test test-fast lint bench check-map clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

## Install and serve the dashboard on the bundled map at http://127.0.0.1:$(PORT) (printed; no browser opens)
app: $(VENV)/.installed
	$(BIN)/stakeholder-explorer app --port $(PORT)

## Install with the test tools and run the whole test suite
test: $(VENV)/.installed
	$(BIN)/python -m pytest

## Run the tests that need no browser (quicker, for day-to-day work)
test-fast: $(VENV)/.installed
	$(BIN)/python -m pytest -m "not browser"

## Lint, check formatting and types (mypy --strict), and check the page's JavaScript
lint: $(VENV)/.installed
	$(BIN)/ruff check explorer tests
	$(BIN)/ruff format --check explorer tests
	$(BIN)/mypy
	.ci/lint-js

## Check the bundled map against the article it quotes (needs ../shared/sources)
check-map: $(VENV)/.installed
	$(BIN)/stakeholder-explorer validate --strict data/us-taliban-2021.yaml --sources ../shared/sources

## Run the benchmarks (writes benchmarks/results/*.json)
bench: $(VENV)/.installed
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
