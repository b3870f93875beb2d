# Two commands do everything on a fresh machine:
#   make run   creates .venv, installs eventwire, runs the bundled demo corpus into eventwire.db and writes
#              events.csv and events.geojson beside it
#   make test  creates .venv, installs eventwire with its test tools, runs the whole test suite
# PostgreSQL tests run when EVENTWIRE_TEST_PG_URL is set (.ci/run starts a server and sets it).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint eval bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/eventwire demo --dir .

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

eval: $(STAMP)
	$(BIN)/python -m eventwire.evaluate.report

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	$(BIN)/python benchmarks/throughput.py
	$(BIN)/python benchmarks/scaling.py

clean:
	rm -rf $(VENV) eventwire.db eventwire.db-wal eventwire.db-shm events.csv events.geojson .pytest_cache
