# The README's commands. Each creates .venv and installs the project if needed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
export DAGSTER_HOME ?= $(CURDIR)/.warehouse/dagster_home
# pytest's temporary folders (test databases among them) per checkout: pytest deletes all but
# the newest few under its root, which would pull them from under another checkout's run.
export PYTEST_DEBUG_TEMPROOT ?= /tmp/covid-warehouse-tests-$(shell printf %s "$(CURDIR)" | cksum | cut -d' ' -f1)

.PHONY: run test lint ui docs bench stop clean

$(INSTALLED): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing the project into $(VENV) (about a minute the first time)..."
	@$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

run: $(INSTALLED)
	@$(BIN)/python -m orchestration.run

test: $(INSTALLED) lint
	@mkdir -p $(PYTEST_DEBUG_TEMPROOT)
	@$(BIN)/python -m pytest

lint: $(INSTALLED)
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check .

ui: $(INSTALLED)
	@$(BIN)/python -m orchestration.ui

docs: $(INSTALLED)
	@$(BIN)/python -m orchestration.docs

# Loader speed and memory against psql \copy and to_sql, dbt and Dagster costs: bench/RESULTS.md
bench: $(INSTALLED)
	@$(BIN)/python -m bench

stop: $(INSTALLED)
	@$(BIN)/python -m loaders.database stop

clean: stop
	rm -rf .warehouse dbt_project/target
