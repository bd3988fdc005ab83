# FirstCall — `make help` lists the targets. A new user needs two: `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell scripts/find-python)
TOOLS := .tools
UV := $(shell command -v uv 2>/dev/null || echo $(TOOLS)/bin/uv)
RUN := $(UV) run --frozen --no-sync
PORT ?= 8000
SANDBOX_PORT ?= 8100
# PostgreSQL for the second test pass, e.g. postgres://postgres@127.0.0.1:5432/test
TEST_DATABASE_URL ?=

export UV_PROJECT_ENVIRONMENT := .venv
export UV_PYTHON_DOWNLOADS := never

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(TOOLS)/bin/uv:
	@test -n "$(PYTHON)" || exit 1
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

.PHONY: env
env: .venv/.synced ## Create the virtual environment with every Python dependency

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

src/firstcall/web/static/vendor/.copied: node_modules/.package-lock.json scripts/copy-assets
	scripts/copy-assets
	@touch $@

.PHONY: assets
assets: src/firstcall/web/static/vendor/.copied ## Install npm packages and copy their bundles into static

.PHONY: messages
messages: env ## Compile the translation catalogs
	$(RUN) python scripts/i18n.py compile

.PHONY: demo
demo: env assets messages ## Install, migrate, load demo data; run server (:8000), worker and sandbox (:8100)
	$(RUN) firstcall demo --port $(PORT) --sandbox-port $(SANDBOX_PORT)

.PHONY: serve
serve: env assets messages ## Serve without reseeding
	$(RUN) firstcall serve --port $(PORT)

.PHONY: worker
worker: env ## Run a background worker against the configured database (timers, outbox, jobs)
	$(RUN) firstcall worker

.PHONY: lint
lint: env ## ruff, mypy, import contracts, migrations check, catalog check
	$(RUN) ruff check src scripts
	$(RUN) ruff format --check src scripts
	FIRSTCALL_TESTING=1 $(RUN) mypy
	$(RUN) lint-imports
	FIRSTCALL_TESTING=1 $(RUN) firstcall makemigrations --check --dry-run
	$(RUN) python scripts/i18n.py check

.PHONY: pytest
pytest: env assets messages
	FIRSTCALL_TESTING=1 $(RUN) pytest $(PYTEST_ARGS)

.PHONY: test
test: lint pytest ## Lint, then the test suite on SQLite (and PostgreSQL if TEST_DATABASE_URL is set)
ifneq ($(TEST_DATABASE_URL),)
	FIRSTCALL_TESTING=1 DATABASE_URL=$(TEST_DATABASE_URL) $(RUN) pytest $(PYTEST_ARGS)
endif

.PHONY: bench
bench: env ## Benchmark the unified view: agents at a working pace, then flat out (BENCH_ARGS=--quick)
	$(RUN) python bench/unified_view.py --think-ms 2000 $(BENCH_ARGS)
	$(RUN) python bench/unified_view.py $(BENCH_ARGS)
	$(RUN) python bench/navigation.py $(BENCH_ARGS)

.PHONY: format
format: env ## Format and auto-fix
	$(RUN) ruff format src scripts
	$(RUN) ruff check --fix src scripts

.PHONY: makemessages
makemessages: env ## Update the zh-hans catalog from the sources
	$(RUN) python scripts/i18n.py update

.PHONY: clean
clean: ## Remove the environment, node modules and var/
	rm -rf .venv $(TOOLS) node_modules var src/firstcall/web/static/vendor
