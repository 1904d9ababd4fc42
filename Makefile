# Two commands on a fresh machine: `make run` and `make test` (see README, "Quick start").
.DEFAULT_GOAL := run
SHELL := /bin/bash

VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

# The first interpreter found that is Python >= 3.12 (pyenv machines pick .python-version).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.14 python3 python; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { echo $$p; break; }; done)

.PHONY: run test install lint format messages bench drill clean

$(PY):
	@if [ -z "$(PYTHON)" ]; then \
		echo "error: Python 3.12 or newer is needed; none was found on PATH (tried python3.13, python3.12, python3)." >&2; \
		exit 1; fi
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed

run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo --if-empty
	@$(MANAGE) demo_logins --url http://$(HOST):$(PORT)/
	@# Beside the server, a worker for background jobs (README, "Background jobs"), stopped with it.
	@$(MANAGE) db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(MANAGE) runserver $(HOST):$(PORT)

test: install
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Regenerate the catalogue from the sources and compile it (the .mo files are committed).
messages: install
	$(MANAGE) makemessages -l zh_Hans --no-location --no-obsolete
	$(MANAGE) compilemessages -l zh_Hans --ignore=.venv

# The province-scale benchmark on PostgreSQL (BENCHMARKS.md). wrk, from Debian's packages, measures the
# requests per second; without it the rest still runs.
bench: install
	@command -v wrk >/dev/null 2>&1 || (apt-get install -y -q wrk >/dev/null 2>&1 \
		|| (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q wrk >/dev/null 2>&1) \
		|| echo "wrk could not be installed; the requests-per-second figures are left out")
	$(PY) -m bench $(BENCH_ARGS)

# Load and faults (README, "Drill"): its own PostgreSQL cluster (initdb in a temporary directory, a free port
# from 5440, removed at the end), gunicorn and a db_worker, 20 users for a minute, restarts, a killed worker,
# a dump restored and compared. About 5 minutes; prints figures, last a line of `key=value` pairs.
drill: install
	$(PY) -m drill $(DRILL_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
