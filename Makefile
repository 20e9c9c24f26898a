# Two commands: `make run` serves the API on :8080, `make test` runs the tests.
# Everything is installed into .venv from the pinned requirements files.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= $(or $(OCR_PORT),8080)
HOST ?= 0.0.0.0
PYTEST_ARGS ?=

.PHONY: install install-dev run test lint format bench lock clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --no-deps -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements-bench.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -r requirements-bench.txt
	touch $@

install: $(VENV)/.runtime

install-dev: $(VENV)/.dev

run: install
	$(BIN)/uvicorn app:app --host $(HOST) --port $(PORT) --no-proxy-headers --no-access-log

test: install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install-dev
	$(BIN)/python -m bench.models --json bench/results/models.json
	$(BIN)/python -m bench.throughput --json bench/results/throughput.json
	$(BIN)/python -m bench.soak --json bench/results/soak.json

# Re-pin requirements.txt from requirements.in in a throw-away environment, less the second
# OpenCV distribution (see the head of requirements.txt).
SECOND_OPENCV := opencv-python-headless
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -r requirements.in
	{ head -5 requirements.txt; .lock-venv/bin/pip freeze --exclude-editable | grep -v '^$(SECOND_OPENCV)=='; } > requirements.txt.new
	mv requirements.txt.new requirements.txt && rm -rf .lock-venv

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
