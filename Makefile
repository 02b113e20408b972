# The two commands: `make run` serves the seeded demo, `make test` runs the whole suite.
# Both need only Python 3.11 and pip; everything else goes into .venv.

SHELL := /bin/bash
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
UV := $(VENV)/bin/uv
PIP_INSTALL := $(PY) -m pip install --quiet --disable-pip-version-check

# Stamps: reinstall only when pyproject.toml changes.
INSTALLED := $(VENV)/.installed
INSTALLED_TEST := $(VENV)/.installed-test

# Lighthouse (npm) for tests/e2e/test_lighthouse.py, pinned, in a git-ignored folder; only
# where npm is installed (the test skips without it).
LIGHTHOUSE_VERSION := 12.8.2
LIGHTHOUSE_DIR := .lighthouse
LIGHTHOUSE := $(LIGHTHOUSE_DIR)/node_modules/.bin/lighthouse
LIGHTHOUSE_STAMP := $(LIGHTHOUSE_DIR)/.installed-$(LIGHTHOUSE_VERSION)

.DEFAULT_GOAL := help
.PHONY: help install install-test run test lint format translations messages bench ci clean \
	backup restore

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(PY):
	$(PYTHON) -m venv $(VENV)

# pip fetches one package at a time, which is slow on a slow network; uv (itself installed
# into .venv by pip) fetches in parallel. Same packages either way; pip if uv cannot be had.
define install
	@echo "Installing $(1) into $(VENV)..."
	@if [[ -x $(UV) ]] || $(PIP_INSTALL) uv >/dev/null 2>&1; then \
		$(UV) pip install --quiet --python $(PY) -e '$(1)'; \
	else \
		$(PIP_INSTALL) -e '$(1)'; \
	fi
endef

$(INSTALLED): pyproject.toml | $(PY)
	$(call install,.)
	@touch $@

$(INSTALLED_TEST): pyproject.toml | $(PY)
	$(call install,.[test])
	@touch $@ $(INSTALLED)

install: $(INSTALLED)  ## Create .venv and install the project

install-test: $(INSTALLED_TEST) $(LIGHTHOUSE_STAMP)  ## Also install the test and lint tools

$(LIGHTHOUSE_STAMP):
	@if command -v npm >/dev/null; then \
		echo "Installing lighthouse@$(LIGHTHOUSE_VERSION) into $(LIGHTHOUSE_DIR)..."; \
		mkdir -p $(LIGHTHOUSE_DIR) && \
		if npm install --prefix $(LIGHTHOUSE_DIR) --no-audit --no-fund --loglevel=error \
			--save-exact lighthouse@$(LIGHTHOUSE_VERSION) >/dev/null; then \
			touch $@; \
		else \
			echo "npm could not install lighthouse; tests/e2e/test_lighthouse.py will skip." >&2; \
		fi; \
	fi

translations: $(INSTALLED)  ## Compile every .po catalog to .mo (no GNU gettext needed)
	@$(PY) manage.py compiletranslations

# The address the demo's texts link to: where `make run` serves (127.0.0.1 when it listens on
# every interface). config/settings/local.py uses it unless SITE_URL is set.
DEMO_SITE_URL = http://$(if $(filter 0.0.0.0 ::,$(HOST)),127.0.0.1,$(HOST)):$(PORT)
DEMO_PY = DEMO_SITE_URL=$(DEMO_SITE_URL) $(PY)

run: $(INSTALLED) translations  ## Migrate, seed the demo if empty, serve on http://$(HOST):$(PORT)
	@$(DEMO_PY) manage.py migrate --noinput
	@# seed_demo is idempotent and prints the demo logins; on a seeded database only the logins.
	@if $(DEMO_PY) manage.py shell -v 0 -c "from catalog.models import Product; raise SystemExit(Product.objects.exists())"; then \
		echo "Loading the demo data..."; \
		$(DEMO_PY) manage.py seed_demo; \
	else \
		$(DEMO_PY) manage.py seed_demo --logins-only; \
	fi
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C stops)"
	$(DEMO_PY) manage.py runserver $(HOST):$(PORT)

# The suite runs in TEST_PROCESSES processes (pytest-xdist), a test file to a process, so a file's
# worker, browser or server is started once; each process has its own test database and Redis
# database (config/settings/test.py). TEST_PROCESSES=0 runs it in one process.
TEST_PROCESSES ?= 2

test: $(INSTALLED_TEST) translations  ## Run the whole test suite (PYTEST_ARGS="..." to narrow)
	$(PY) -m pytest -n $(TEST_PROCESSES) --dist loadfile $(PYTEST_ARGS)

lint: $(INSTALLED_TEST)  ## ruff, mypy and the import layers (lint-imports)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports

format: $(INSTALLED_TEST)  ## Format the code with ruff
	$(VENV)/bin/ruff format .

messages: $(INSTALLED)  ## Update every .po catalog from the code (needs GNU gettext)
	@command -v xgettext >/dev/null || { echo "make messages needs GNU gettext (apt-get install gettext)."; exit 1; }
	@# Run from the project folder, Django writes each app's strings to <app>/locale/ and the
	@# rest (templates/, config/) to locale/.
	$(PY) manage.py makemessages -l he -l en --no-obsolete \
		--ignore=tests --ignore=benchmarks --ignore=staticfiles --ignore=media
	@$(MAKE) --no-print-directory translations

bench: $(INSTALLED_TEST)  ## Run the benchmarks (benchmarks/bench_*.py) against DATABASE_URL
	@[[ "$${DATABASE_URL:-}" == postgres* ]] || { echo "make bench needs DATABASE_URL=postgres://..."; exit 1; }
	@shopt -s nullglob; scripts=(benchmarks/bench_*.py); \
	[[ $${#scripts[@]} -gt 0 ]] || { echo "No benchmarks/bench_*.py yet."; exit 0; }; \
	for script in "$${scripts[@]}"; do \
		module=$${script%.py}; echo "== $$module"; \
		$(PY) -m $${module//\//.} || exit 1; \
	done

# Backups: PostgreSQL's custom format (compressed; pg_restore can restore it whole or in part).
# With Compose: docker compose exec -T postgres pg_dump --format=custom -U sneakerstock \
# sneakerstock > backup.dump (README, "Backups").
BACKUP_DIR ?= backups
BACKUP_FILE ?= $(BACKUP_DIR)/sneakerstock-$(shell date -u +%Y%m%dT%H%M%SZ).dump

backup:  ## pg_dump DATABASE_URL to backups/sneakerstock-<UTC time>.dump (BACKUP_FILE=... to choose)
	@[[ "$${DATABASE_URL:-}" == postgres* ]] || { echo "make backup needs DATABASE_URL=postgres://..."; exit 1; }
	@mkdir -p "$(dir $(BACKUP_FILE))"
	@pg_dump --format=custom --no-owner --no-acl --dbname="$$DATABASE_URL" --file="$(BACKUP_FILE).partial"
	@mv "$(BACKUP_FILE).partial" "$(BACKUP_FILE)"
	@echo "Backed up to $(BACKUP_FILE)"

restore:  ## pg_restore FILE=<dump> into DATABASE_URL, an empty database (all or nothing)
	@[[ "$${DATABASE_URL:-}" == postgres* ]] || { echo "make restore needs DATABASE_URL=postgres://..."; exit 1; }
	@[[ -f "$(FILE)" ]] || { echo "make restore needs FILE=<a dump made by make backup>"; exit 1; }
	@pg_restore --no-owner --no-acl --exit-on-error --single-transaction \
		--dbname="$$DATABASE_URL" "$(FILE)"
	@echo "Restored $(FILE); now: python manage.py migrate (a newer release's migrations)"

ci:  ## What CI runs: lint, Compose check, the suite on the machine's Postgres and Redis
	bash .ci/run

clean:  ## Remove .venv, .lighthouse, compiled catalogs and collected static files
	rm -rf $(VENV) staticfiles $(LIGHTHOUSE_DIR)
	find . -path ./.git -prune -o -name '*.mo' -path '*/LC_MESSAGES/*' -print -delete
