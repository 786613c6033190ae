# cityhall: `make run` serves the demo city; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
# Two test processes on two cores; every process has its own test database.
PYTEST_ARGS ?= -n 2 --dist worksteal
PORT ?= 8000
# The background worker (Redis when REDIS_URL is set, else the database queue), started again after errors.
WORKER := worker
# Debian packages the project needs: a Japanese font for PDFs, gettext for the
# English catalogue, Chromium for the browser tests, poppler-utils to read PDF text.
SYSTEM_PACKAGES := fonts-ipaexfont-gothic fonts-ipaexfont-mincho gettext chromium poppler-utils

.PHONY: run test lint typecheck pytest deps system assets messages migrate seed bench property clean

run: deps migrate seed
	@$(PY) manage.py demo_accounts
	@echo "Starting the background worker, the daily scheduler and the server on http://$(HOST):$(PORT)"
	@trap 'kill 0' EXIT INT TERM; \
	  $(PY) manage.py $(WORKER) >var/worker.log 2>&1 & \
	  $(PY) manage.py scheduler >var/scheduler.log 2>&1 & \
	  $(PY) manage.py runserver --noreload $(HOST):$(PORT)

test: deps lint typecheck pytest

lint: deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: deps
	$(VENV)/bin/mypy .

pytest: deps
	$(VENV)/bin/pytest $(PYTEST_ARGS)

deps: $(VENV)/.installed node_modules/.installed system assets messages

# uv installs the locked packages in seconds where pip takes a minute (same files from PyPI).
$(VENV)/.installed: requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check uv==0.13.9
	$(VENV)/bin/uv pip install --quiet --python $(PY) -r requirements.lock
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

system:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Please install (as root):$$missing"; fi; \
	fi

assets: node_modules/.installed
	@node scripts/build_assets.mjs

messages: $(VENV)/.installed
	@mkdir -p var
	@$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules >/dev/null

migrate: deps
	@mkdir -p var
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py ensure_city_certificate
	$(PY) manage.py seed_demo

bench: deps
	$(PY) bench/run.py $(BENCH)

# The engines' state-machine tests with thousands of random steps (make test runs a few hundred), and
# the API fuzz run with fifty random requests per operation and role (make test sends three).
PROPERTY_TESTS := $(sort $(shell find cityhall -path '*/tests/*' -name 'test_*state_machine*.py')) cityhall/tests/test_api_fuzz.py
property: deps
	CITYHALL_HYPOTHESIS_PROFILE=thorough $(VENV)/bin/pytest -q $(PROPERTY_TESTS) $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules var static_build cityhall/web/static/vendor
