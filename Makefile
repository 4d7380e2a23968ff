# The README's commands. Each creates .venv and installs the project if needed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
export DAGSTER_HOME ?= $(CURDIR)/.warehouse/dagster_home
# pytest's temporary folders (test databases among them) per checkout: pytest deletes all but
# the newest few under its root, which would pull them from under another checkout's run.
export PYTEST_DEBUG_TEMPROOT ?= /tmp/covid-warehouse-tests-$(shell printf %s "$(CURDIR)" | cksum | cut -d' ' -f1)

.PHONY: run test lint system-deps ui docs api bench stop clean

$(INSTALLED): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing the project into $(VENV) (about a minute the first time)..."
	@$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev,spark,k8s]'
	@touch $@

run: $(INSTALLED)
	@$(BIN)/python -m orchestration.run

test: $(INSTALLED) system-deps lint
	@mkdir -p $(PYTEST_DEBUG_TEMPROOT)
	@$(BIN)/python -m pytest

# Debian packages some tests use, installed when missing (quick when present): docker-compose
# validates docker-compose.yml without an engine; Chromium and its driver render the report;
# Java runs the local Spark session of the Spark target (tests/dbt_project/test_spark.py).
# Pairs of <command>:<package>.
SYSTEM_DEPS := docker-compose:docker-compose chromium:chromium chromedriver:chromium-driver \
	java:openjdk-17-jre-headless

system-deps:
	@missing=""; \
	for pair in $(SYSTEM_DEPS); do \
		command -v $${pair%%:*} >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	install="apt-get install -y --no-install-recommends$$missing"; \
	if [ "$$(id -u)" = 0 ]; then \
		echo "Installing system packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$install -qq >/dev/null; \
	else \
		echo "Missing system packages:$$missing (their tests skip, or fail under CI=1)."; \
		echo "Install them as root: sudo apt-get update && sudo $$install"; \
	fi

lint: $(INSTALLED)
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check .

ui: $(INSTALLED)
	@$(BIN)/python -m orchestration.ui

docs: $(INSTALLED)
	@$(BIN)/python -m orchestration.docs

# The read-only HTTP API over the marts (after `make run`): http://127.0.0.1:8000/docs
api: $(INSTALLED)
	@$(BIN)/python -m api

# Loader speed and memory against psql \copy and to_sql, dbt and Dagster costs: bench/RESULTS.md
bench: $(INSTALLED)
	@$(BIN)/python -m bench

# Stops what `make ui` and `make run` started: the webserver and daemon, a run, the database.
stop: $(INSTALLED)
	@$(BIN)/python -m warehouse.control stop

# Refuses while any of them runs (it would delete a running server's data).
clean: $(INSTALLED)
	@$(BIN)/python -m warehouse.control check
	rm -rf .warehouse dbt_project/target
