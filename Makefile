# Developer entry points. `make run` to try the site, `make test` before pushing.
# Production runs from the Docker image (docker-compose.yml), not from here.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Written after a successful install; older than a requirements file means reinstall.
STAMP := $(VENV)/.installed

# A laptop runs with DEBUG on, so runserver serves static files and shows errors.
# Set DEBUG=0 (and SECRET_KEY) in the environment to run these targets production-like, as CI does.
export DEBUG ?= 1
# Browser tests use Debian's chromium; playwright must never fetch its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.DEFAULT_GOAL := help
.PHONY: help venv run test lint worker beat bench clean

help:
	@echo "make run     migrate, load demo data (once), serve http://127.0.0.1:8000"
	@echo "make test    run the test suite (pytest)"
	@echo "make lint    ruff, the import contracts (lint-imports) and a check for missing migrations"
	@echo "make worker  Celery worker (needs REDIS_URL)"
	@echo "make beat    Celery beat scheduler (needs REDIS_URL)"
	@echo "make bench   run every script in bench/"
	@echo "make venv    create .venv and install requirements-dev.txt"
	@echo "make clean   remove caches and collected static files"

$(PY):
	$(PYTHON) -m venv $(VENV)

# Order-only on the interpreter: its mtime says nothing about the requirements.
$(STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

venv: $(STAMP)

run: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --scale 0.2 --periode 3 --if-empty
	@echo "Buka http://127.0.0.1:8000"
	$(PY) manage.py runserver 127.0.0.1:8000

# Two test processes (pytest-xdist), each with its own test database, a whole test file to one process (module
# fixtures such as a seeded database are built once); TEST_PROCESSES=0 runs them all in this one. Transactional
# tests (browser, live server, concurrency) empty the tables when they end, so they run afterwards in one process.
TEST_PROCESSES ?= 2

test: venv
	$(PY) -m pytest -n $(TEST_PROCESSES) --dist loadfile -m "not transactional"
	$(PY) -m pytest -m transactional

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

# Without a broker the settings run tasks eagerly, and a worker would only idle on an in-memory queue.
define need_broker
	@if [ -z "$$REDIS_URL$$CELERY_BROKER_URL" ] && ! grep -Eqs '^(REDIS_URL|CELERY_BROKER_URL)=.' .env; then \
		echo "Set REDIS_URL (environment or .env) first: without it tasks already run inside the web process."; \
		exit 1; \
	fi
endef

worker: venv
	$(need_broker)
	$(VENV)/bin/celery -A tikor worker -l info

beat: venv
	$(need_broker)
	$(VENV)/bin/celery -A tikor beat -l info

# Each benchmark is a standalone script that prints its figures; run from the repo root so it can import tikor.
bench: venv
	@set -e; found=0; \
	for script in bench/*.py; do \
		[ -e "$$script" ] || continue; \
		found=1; \
		echo "== $$script"; \
		PYTHONPATH="$(CURDIR)$${PYTHONPATH:+:$$PYTHONPATH}" $(PY) "$$script"; \
	done; \
	[ "$$found" = 1 ] || echo "No benchmarks in bench/ yet."

# Keeps .venv, db.sqlite3 and media/: those hold your installs and your data.
clean:
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -exec rm -rf {} +
	rm -rf .pytest_cache .ruff_cache staticfiles test-artifacts bench/out
