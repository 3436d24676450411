# `make run` and `make test` are the whole set-up: each creates .venv and installs what it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# llama.cpp's AMX kernels (recent Xeons) crash where the kernel or a virtual machine withholds AMX tile state,
# and desktop CPUs have none: x86-64 builds leave them out. No cached wheel is reused, so the flags always apply.
ifeq ($(shell uname -m),x86_64)
export CFLAGS   += -mno-amx-tile -mno-amx-int8 -mno-amx-bf16
export CXXFLAGS += -mno-amx-tile -mno-amx-int8 -mno-amx-bf16
endif
LLAMA_CPP := $(shell grep -o '"llama-cpp-python==[0-9.]*"' pyproject.toml | head -1)

.PHONY: run test lint unit ui bench clean package package-test install-desktop bench-package bench-answers screenshots

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# llama-cpp-python compiles llama.cpp here (about 10 minutes on 2 cores, once).
	$(BIN)/python -m pip install --quiet --no-cache-dir --no-binary llama-cpp-python $(LLAMA_CPP)
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

# The double-click app: dist/Private Assistant/ (and a .tar.gz of it on Linux). See packaging/README.md.
package: $(STAMP)
	$(BIN)/python packaging/build.py

# Builds the app into build/package-test/ and runs the frozen binary: --self-test, and the window.
package-test: $(STAMP)
	QT_QPA_PLATFORM=$${QT_QPA_PLATFORM:-offscreen} $(BIN)/python -m pytest -m package tests/package

# Linux: this user's application menu starts the packaged app if built, else the .venv install.
install-desktop:
	if [ -x "dist/Private Assistant/private-assistant" ]; then \
		"dist/Private Assistant/private-assistant" --install-desktop; \
	else \
		$(MAKE) $(STAMP) && $(BIN)/private-assistant --install-desktop; \
	fi

bench-package: $(STAMP)
	$(BIN)/python bench/bench_package.py

bench: $(STAMP)
	HF_HUB_OFFLINE=1 $(BIN)/python bench/bench_runtime.py
	HF_HUB_OFFLINE=1 $(BIN)/python bench/bench_startup.py
	HF_HUB_OFFLINE=1 $(BIN)/python bench/bench_router.py

# Answer quality on tldr questions through the CLI (slow: about an hour on 2 cores). See bench/bench_answers.py.
bench-answers: $(STAMP)
	HF_HUB_OFFLINE=1 $(BIN)/python bench/bench_answers.py $(ARGS)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache

# The README's screenshots (resources/screenshots/), light and dark, from the real window offscreen.
screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen HF_HUB_OFFLINE=1 $(BIN)/python packaging/screenshots.py
