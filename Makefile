# FineLoop: `make run` starts everything on embedded defaults; `make test` runs every test.
# Both do all set-up on a fresh machine: the virtual environment, the requirements, Debian's Chromium.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements-installed
WEB_HOST ?= 127.0.0.1
WEB_PORT ?= 8000
PYTEST_ARGS ?=
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Integration run: the same code on PostgreSQL and Redis, chosen by environment alone.
INTEGRATION_ENV := DATABASE_URL=postgres://fineloop:fineloop@127.0.0.1:5432/fineloop \
	CELERY_BROKER_URL=redis://127.0.0.1:6379/15 CACHE_URL=redis://127.0.0.1:6379/14 FINELOOP_INTEGRATION=1

export WEB_HOST WEB_PORT

.PHONY: run test test-fast lint test-integration install browser migrate demo services bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# torch first, from the local CPU wheel, so that nothing afterwards pulls the CUDA build.
$(STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install: $(STAMP)

# Playwright drives Debian's Chromium; browsers cannot be downloaded here.
browser:
	@test -x /usr/bin/chromium || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py demo_accounts

run: demo
	@echo "Starting FineLoop (web, worker, beat) at http://$(WEB_HOST):$(WEB_PORT)/"
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/honcho start -f Procfile

test: install browser lint
	$(PY) -m pytest $(PYTEST_ARGS)

# The fast tier: no real encoder (`slow`), no browser (`e2e`); the tiny models, the real worker and the DB stay.
test-fast: install
	$(PY) -m pytest -m "not slow and not e2e" $(PYTEST_ARGS)

# The lint gate: ruff's rules in ruff.toml, and no file gains lines over 120 characters (scripts/long_lines.py).
lint: install
	@status=0; $(VENV)/bin/ruff check . || status=1; $(PY) scripts/long_lines.py || status=1; exit $$status

services:
	bash scripts/services.sh

# Starter models: import the public datasets under DATA, freeze snapshots, train and gate each kind that has data.
DATA ?= ../shared/data
LIMIT ?= 200
EPOCHS ?= 3
.PHONY: models
models: migrate
	$(PY) manage.py starter_models --data $(DATA) --limit $(LIMIT) --epochs $(EPOCHS)
	$(PY) manage.py triage_train

test-integration: install browser services
	$(INTEGRATION_ENV) $(PY) -m pytest $(PYTEST_ARGS)

# Every benchmark, or one: `make bench-summarizer` runs bench/summarizer.py.
BENCHES := ml annotation summarizer chatbot resumes

.PHONY: $(addprefix bench-,$(BENCHES))
bench: $(addprefix bench-,$(BENCHES))

$(addprefix bench-,$(BENCHES)): bench-%: install
	$(PY) bench/$*.py

clean:
	rm -rf var/test .pytest_cache
