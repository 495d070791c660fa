# Sinorus: `make run` serves the app, `make test` runs every test. See README.md.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# Django 6 needs Python 3.12 or newer; use the first one found (PATH, then pyenv).
PYTHON ?= $(shell for p in python3.13 python3.12 $$HOME/.pyenv/versions/3.13*/bin/python3 $$HOME/.pyenv/versions/3.12*/bin/python3 /usr/local/bin/python3 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$p; break; }; done)
HOST ?= 127.0.0.1
PORT ?= 8000
export HTTPS ?= 0

WORKERS ?= $(shell echo $$(( $$(nproc) * 2 + 1 )))

.PHONY: run serve test lint install install-test bench clean python-check browser-check

python-check:
	@if [ -z "$(PYTHON)" ]; then echo "Sinorus needs Python 3.12 or newer (Django 6). Install python3.12 and run again, or set PYTHON=/path/to/python3.12." >&2; exit 1; fi

$(BIN)/python: | python-check
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py import_articles seeds/ --quiet
	$(BIN)/python manage.py create_demo_accounts
	@echo "Sinorus is at http://$(HOST):$(PORT)/"
	$(BIN)/python -m sinorus.supervisor --interval 1 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn sinorus.wsgi --bind $(HOST):$(PORT) --workers 2 --threads 4 --access-logfile -

# Production: DEBUG off, HTTPS hardening on (TLS ends at a proxy that sets X-Forwarded-Proto),
# `check --deploy` must be clean, workers from the core count. Set SECRET_KEY, ALLOWED_HOSTS and
# DATABASE_URL in the environment; see README "Running for real".
serve: install
	DEBUG=0 HTTPS=1 BEHIND_PROXY=1 $(BIN)/python manage.py check --deploy --fail-level WARNING
	DEBUG=0 HTTPS=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=0 HTTPS=1 $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DEBUG=0 HTTPS=1 $(BIN)/python -m sinorus.supervisor --interval 1 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=0 HTTPS=1 BEHIND_PROXY=1 $(BIN)/gunicorn sinorus.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) \
		--threads 2 --timeout 60 --graceful-timeout 20 --keep-alive 75 --access-logfile -

# The browser tests drive Debian's Chromium. When it is missing, install it if this user may
# (root, or sudo without a password), as CI does; otherwise say the one command that would.
browser-check:
	@command -v chromium >/dev/null 2>&1 || [ -n "$$CHROMIUM_PATH" ] || { \
		if [ "$$(id -u)" -eq 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo"; \
		else echo "The browser tests need Chromium: run 'sudo apt-get install chromium', then 'make test' again." >&2; exit 1; fi; \
		echo "Installing Chromium for the browser tests (apt-get)"; \
		$$SUDO apt-get install -y -q chromium >/dev/null 2>&1 || { $$SUDO apt-get update -q >/dev/null && $$SUDO apt-get install -y -q chromium; }; }

test: install-test browser-check
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: install-test
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

bench: install
	$(BIN)/python bench/import_bench.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
