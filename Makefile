# Andon: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export ANDON_HOME ?= $(CURDIR)/var
export ORT_DISABLE_TELEMETRY := 1
export HF_HUB_OFFLINE := 1
# llama-cpp-python has no wheel on PyPI: build it portably (pip caches the wheel).
export CMAKE_ARGS ?= -DLLAVA_BUILD=OFF -DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON

.PHONY: run test setup setup-full services lint typecheck unit demo plant clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Andon needs Python 3.11+"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Core install: what `make run` needs.
$(VENV)/.core: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

# Everything, heavy extras included (local LLM runtime, vision trainer): what `make test` needs.
$(VENV)/.full: pyproject.toml $(VENV)/.core
	$(BIN)/pip install -q -e '.[dev,llm,vision-train]'
	touch $@

setup: $(VENV)/.core
setup-full: $(VENV)/.full

## Set up, build the embedded demo plant on first run, start the server and print its URL.
run: setup
	$(BIN)/andon serve

## A guided tour in the terminal instead of the server.
demo: setup
	$(BIN)/andon demo

## Rebuild the embedded demo plant.
plant: setup
	$(BIN)/andon plant build --replace

## Set up (all extras), make sure the local database servers run, then lint, type-check, test.
test: setup-full services lint typecheck unit

services:
	bash .ci/services.sh

lint:
	$(BIN)/ruff check .

typecheck:
	$(BIN)/mypy .

unit:
	$(BIN)/pytest -n 2 -q

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
