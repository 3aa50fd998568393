# Two commands matter: `make demo` and `make test`. Everything runs from the repo root.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
CUSTOMERS ?= 5000
SEED ?= 42
EXPORTS ?= data/exports
export DAGSTER_HOME := $(CURDIR)/.dagster

.PHONY: demo test install generate run dev bench bench-funnel clean

$(BIN)/journeys: pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required (set PYTHON=/path/to/python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

install: $(BIN)/journeys

$(DAGSTER_HOME)/dagster.yaml: dagster.yaml
	@mkdir -p $(DAGSTER_HOME)
	cp dagster.yaml $@

generate: install
	$(BIN)/journeys generate --customers $(CUSTOMERS) --seed $(SEED) --out $(EXPORTS)

run: install $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/journeys run --exports $(EXPORTS)

demo: generate run

test: install
	$(BIN)/python -m pytest -q

dev: install $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/dagster dev

bench: install
	$(BIN)/python bench/bench_ingest.py

bench-funnel: install
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/bench_funnel.py

clean:
	rm -rf data/exports data/warehouse .dagster reports
