# Two commands on a fresh machine: `make run` and `make test` (README.md).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
PYTEST_ARGS ?=
# Test processes in parallel (pytest-xdist): one per core by default; 0 runs them in one.
# Idle workers take queued tests from busy ones (worksteal): the slow browser journeys
# and evidence checks no longer leave one core waiting at the end.
PYTEST_WORKERS ?= auto

.PHONY: run serve test bench lint typecheck lock translations extract-messages system-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs take the exact versions of requirements.lock (`make lock` refreshes it).
$(VENV)/.run-installed: $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/pip install --quiet -c requirements.lock -e .
	touch $@

$(VENV)/.test-installed: $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/pip install --quiet -c requirements.lock -e '.[test]'
	touch $@ $(VENV)/.run-installed

# Compiled catalogues are build output, never committed.
translations: $(VENV)/.run-installed
	@$(BIN)/pybabel --quiet compile -d portal/translations

## Serve the portal with demo data on SQLite and in-memory rate limits. Quiet: the set-up
## logs warnings and errors only, and the server ends with the address, the demo accounts,
## their password and the demo receipts.
run: $(VENV)/.run-installed translations
	@PORTAL_LOG_LEVEL=WARNING $(BIN)/flask --app portal db-upgrade >/dev/null
	@PORTAL_LOG_LEVEL=WARNING $(BIN)/flask --app portal seed-demo --if-empty --quiet
	@$(BIN)/python -m portal.devserver --host $(HOST) --port $(PORT)

## Production: gunicorn against PostgreSQL and Redis from PORTAL_* settings, and the notice
## worker beside it (scripts/serve.sh; README "Production").
serve: $(VENV)/.run-installed translations
	@test -n "$$PORTAL_DATABASE_URL" || (echo "set PORTAL_DATABASE_URL (PostgreSQL)"; exit 2)
	@test -n "$$PORTAL_RATELIMIT_STORAGE_URI" || (echo "set PORTAL_RATELIMIT_STORAGE_URI (Redis)"; exit 2)
	$(BIN)/flask --app portal db-upgrade
	BIN=$(BIN) exec bash scripts/serve.sh

# axe-core, which the browser tests run on every page (tests/e2e/accessibility.py): the exact
# version of tests/e2e/axe/package-lock.json, installed again only when the lock changes.
AXE_DIR       := tests/e2e/axe
AXE_INSTALLED := $(AXE_DIR)/node_modules/.installed
$(AXE_INSTALLED): $(AXE_DIR)/package.json $(AXE_DIR)/package-lock.json | system-deps
	cd $(AXE_DIR) && npm ci --no-audit --no-fund
	touch $@

## Install everything the tests need (Chromium, a CJK font and axe-core included) and run them.
test: $(VENV)/.test-installed translations system-deps $(AXE_INSTALLED)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

system-deps:
	bash scripts/ensure-system-deps.sh

## Benchmarks (bench/README.md): one size of data (BENCH_SIZE=200k, 1m or 2m) on PostgreSQL and
## Redis, gunicorn, wrk, a mixed run and two hosts. Writes bench/results-<size>.json and
## bench/results.md. Not part of `make test`; needs the PostgreSQL and Redis servers (and
## aiosmtpd, a test extra, for the notices part: BENCH_ARGS="--part notices" runs it alone).
BENCH_SIZE ?= 200k
BENCH_ARGS ?=
bench: $(VENV)/.test-installed translations
	$(BIN)/python bench/run.py --size $(BENCH_SIZE) $(BENCH_ARGS)

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Type-check the three packages (settings and what is left off: pyproject.toml [tool.mypy]).
typecheck: $(VENV)/.test-installed
	$(BIN)/mypy

## Refresh requirements.lock: the newest versions pyproject.toml allows, pinned exactly.
lock: $(VENV)/.test-installed
	$(BIN)/pip-compile --quiet --upgrade --strip-extras --extra test --no-emit-index-url \
		--no-emit-find-links --output-file requirements.lock pyproject.toml

## Refresh the message catalogue from the source after changing user-facing text.
extract-messages: $(VENV)/.run-installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output -o portal/translations/messages.pot .
	$(BIN)/pybabel update -i portal/translations/messages.pot -d portal/translations --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) instance .pytest_cache
