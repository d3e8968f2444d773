# Two commands on a fresh machine with Python 3.11+:
#   make run    set up and start the service (SQLite, no Telegram token needed)
#   make test   set up and run the tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test lint check bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/ogoh serve

lint: setup
	$(BIN)/ruff check bot
	$(BIN)/mypy

test: setup lint
	bash scripts/test-tools.sh
	$(BIN)/python -m pytest -n auto --dist loadfile   # one worker per core; a test file stays on one worker (its module fixtures: servers, browser)

check: setup
	$(BIN)/ogoh check

bench: setup
	$(BIN)/python bench/eval_matcher.py
	$(BIN)/python bench/ask_speed.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
