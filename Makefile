# Ketamine Companion. Two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PORT ?= 3000
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BUN_VERSION := 1.4.4
BUN := $(CURDIR)/.tools/node_modules/@oven/bun-linux-x64/bin/bun
CHROMIUM := /usr/bin/chromium
# Independent clients for the tests and the bench (ical.js, fhir, kill-the-clipboard, Lighthouse),
# pinned for Node 20 in tests/node/package-lock.json.
NODE_CLIENTS := tests/node/node_modules/.package-lock.json

# Reflex: our own bun from the npm registry (bun.sh is unreachable), no update probe, no telemetry.
export REFLEX_BUN_PATH := $(BUN)
export REFLEX_CHECK_LATEST_VERSION := 0
export REFLEX_TELEMETRY_ENABLED := false
export NPM_CONFIG_REGISTRY ?= $(shell npm config get registry 2>/dev/null || echo https://registry.npmjs.org/)
export PORT

.PHONY: run prod prod-stop backup restore test migrate demo bench lint typecheck deps js browser postgres redis node-clients clean

deps: $(VENV)/.installed
js: $(BUN)
node-clients: $(NODE_CLIENTS)
browser: $(CHROMIUM)

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

$(BUN):
	npm install --prefix .tools --no-save --no-audit --no-fund @oven/bun-linux-x64@$(BUN_VERSION)
	test -x $(BUN)

$(NODE_CLIENTS): tests/node/package.json tests/node/package-lock.json
	npm ci --prefix tests/node --no-audit --no-fund
	touch $@

$(CHROMIUM):
	if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get install -y --no-install-recommends chromium \
	  || ($$SUDO apt-get update && $$SUDO apt-get install -y --no-install-recommends chromium)

# PostgreSQL from Debian, for the tests that run the data layer on it (they start their own).
postgres:
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get install -y --no-install-recommends postgresql \
	  || ($$SUDO apt-get update && $$SUDO apt-get install -y --no-install-recommends postgresql); }

# Redis from Debian, for the browser test that runs several backend workers (it starts its own).
redis:
	command -v redis-server >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get install -y --no-install-recommends redis-server \
	  || ($$SUDO apt-get update && $$SUDO apt-get install -y --no-install-recommends redis-server); }

migrate: deps
	$(PY) -m companion.data.migrate

## Serve the production build at http://localhost:$(PORT) on the SQLite file under data/.
## The build is made only when the app's source changed; serving it starts in about a second.
run: deps js migrate
	$(PY) -m companion.build
	$(PY) -m companion.serve $(PORT)

## A clinic's stack: PostgreSQL and Redis from Debian under data/prod (passwords generated into
## files only this user reads), migrations, the build, WORKERS backend workers (default: cores).
prod: deps js postgres redis
	$(PY) -m companion.prod up

prod-stop: deps
	$(PY) -m companion.prod stop

## A consistent copy while the app serves, into backups/ with the time in its name.
backup: deps
	$(PY) -m companion.backup

## Put a backup back (the app must be stopped; the file is checked first): make restore FILE=…
restore: deps
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/companion-….db"; exit 2; }
	$(PY) -m companion.backup restore "$(FILE)"

## The whole suite: unit, integration and headless-Chromium browser tests.
test: deps js browser postgres redis node-clients
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(PY) -m pytest

demo: deps migrate
	$(PY) -m companion.demo

## Every benchmark on one build of the app and one of a blank Reflex page, in a temporary folder
## (about 15 minutes): one table, and bench/results/latest.json. `make bench LOAD_SECONDS=60`
## gives the load test the issue's full minute of steady load.
bench: deps js browser redis postgres node-clients
	$(PY) -m bench

lint:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf .web .states
