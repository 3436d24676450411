# `make run` and `make test` are the whole set-up: each creates .venv and installs what it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test lint unit ui bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# llama-cpp-python compiles llama.cpp here (about 10 minutes on 2 cores, once).
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	HF_HUB_OFFLINE=1 $(BIN)/private-assistant

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# The core suite runs with PySide6 blocked, as if it were not installed.
unit: $(STAMP)
	PA_BLOCK_QT=1 HF_HUB_OFFLINE=1 $(BIN)/python -m pytest -p no:pytest-qt tests/unit tests/integration

ui: $(STAMP)
	PYTEST_QT_API=pyside6 QT_QPA_PLATFORM=$${QT_QPA_PLATFORM:-offscreen} HF_HUB_OFFLINE=1 $(BIN)/python -m pytest tests/ui

test: lint unit ui

bench: $(STAMP)
	HF_HUB_OFFLINE=1 $(BIN)/python bench/bench_runtime.py
	HF_HUB_OFFLINE=1 $(BIN)/python bench/bench_startup.py
	HF_HUB_OFFLINE=1 $(BIN)/python bench/bench_router.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
