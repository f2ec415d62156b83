# contractbook: `make build`, then `make test`. `make help` lists every target.
#
# Needs only python3 (3.11+) and make. Everything else comes from the committed lock
# requirements/lock.txt into .venv/, installed once: the stamp .venv/.installed is newer than
# the lock and pyproject.toml until one of them changes.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCK := requirements/lock.txt
STAMP := $(VENV)/.installed
ODCS := $(VENV)/share/contractbook/odcs/.installed
# uv is pinned in the lock itself; read the pin from there so it is written once.
UV_VERSION = $(shell sed -n 's/^uv==\([^ ;]*\).*/\1/p' $(LOCK))
# the Python version the lock is resolved for (environment.yml names the same one)
LOCK_PYTHON := 3.11
BUILD_ARGS ?=
PYTEST_ARGS ?=
# Jupyter refuses to run as root without --allow-root (containers, CI machines)
LAB_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
LAB_ARGS ?=

# Tool state stays inside the project (git-ignored .state/), never in ~; no telemetry.
STATE := $(CURDIR)/.state
export PLOOMBER_STATS_ENABLED := false
export PLOOMBER_HOME_DIR := $(STATE)/ploomber
export IPYTHONDIR := $(STATE)/ipython
export MPLCONFIGDIR := $(STATE)/matplotlib
export JUPYTER_CONFIG_DIR := $(CURDIR)/.jupyter
export JUPYTER_PREFER_ENV_PATH := 0
export JUPYTER_DATA_DIR := $(STATE)/jupyter/data
export JUPYTER_RUNTIME_DIR := $(STATE)/jupyter/runtime
export JUPYTERLAB_SETTINGS_DIR := $(STATE)/jupyter/lab/user-settings
export JUPYTERLAB_WORKSPACES_DIR := $(STATE)/jupyter/lab/workspaces
export DLT_DATA_DIR := $(STATE)/dlt
export RUNTIME__DLTHUB_TELEMETRY := false
export GX_ANALYTICS_ENABLED := false
STATE_VARS := PLOOMBER_STATS_ENABLED PLOOMBER_HOME_DIR IPYTHONDIR MPLCONFIGDIR JUPYTER_CONFIG_DIR \
	JUPYTER_PREFER_ENV_PATH JUPYTER_DATA_DIR JUPYTER_RUNTIME_DIR JUPYTERLAB_SETTINGS_DIR \
	JUPYTERLAB_WORKSPACES_DIR DLT_DATA_DIR RUNTIME__DLTHUB_TELEMETRY GX_ANALYTICS_ENABLED
# The venv's tools (ploomber, jupyter, ruff) come first on PATH.
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: help setup build test lab lint lock clean distclean env watch

help: ## list the targets
	@echo "contractbook: make build, then make test"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 12 | sed 's/^/  make /'

setup: $(STAMP) $(ODCS) ## create .venv from the lock (only when the lock or pyproject.toml changed)

# a venv holding the pinned uv: all `lock` needs
$(BIN)/uv:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "contractbook needs Python 3.11+ as $(PYTHON) (got $$($(PYTHON) -V))"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || \
		{ echo "python3 -m venv failed: on Debian/Ubuntu, apt-get install python3-venv"; exit 1; }
	$(BIN)/python -m pip install -q --disable-pip-version-check 'uv==$(UV_VERSION)'

$(STAMP): $(LOCK) pyproject.toml | $(BIN)/uv
	$(BIN)/uv --version | grep -qx 'uv $(UV_VERSION)' || \
		$(BIN)/python -m pip install -q --disable-pip-version-check 'uv==$(UV_VERSION)'
	# bytecode precompiled: with PYTHONDONTWRITEBYTECODE=1 every kernel would recompile its imports
	$(BIN)/uv pip sync -q --python $(BIN)/python --compile-bytecode $(LOCK)
	# sync removes the editable package: install it again after every sync
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	touch $@

# Start-up speed: every Python process of the venv (ploomber, each kernel) defers rfc3987_syntax,
# 2-3 s of grammar building at import, until a JSON Schema checks an "iri" format
# (contractbook/fastimport.py, from a .pth file in the venv's site-packages).
FAST_PTH := $(VENV)/.fastimport-installed
setup: $(FAST_PTH)
$(FAST_PTH): lib/contractbook/fastimport.py | $(STAMP)
	$(BIN)/python -m contractbook.fastimport
	touch $@

# The official JSON Schema of every ODCS version contractbook reads, from the registry's
# open-data-contract-standard wheels (the list: contract/versions.py), into the venv, not git.
$(ODCS): lib/contractbook/contract/versions.py | $(STAMP)
	rm -rf $(VENV)/.odcs-wheels
	for v in $$($(BIN)/python -m contractbook.contract.versions packages); do \
		$(BIN)/python -m pip download -q --no-deps --disable-pip-version-check \
			-d $(VENV)/.odcs-wheels "open-data-contract-standard==$$v" 2>&1 | grep -v 'is ignored' || true; \
	done
	$(BIN)/python -m contractbook.contract.versions extract $(VENV)/.odcs-wheels/*.whl
	rm -rf $(VENV)/.odcs-wheels
	touch $@

build: setup ## set up, then run the whole Ploomber DAG (reports/ has the HTML; BUILD_ARGS="--env--n_orders 300")
	$(BIN)/python -m contractbook config -- $(BUILD_ARGS)
	ploomber build $(BUILD_ARGS)

# The ingest side alone (pipeline.ingest.yaml) on a folder of files; no synthetic data is made.
# SERVER=kaggle: the contract's file server that names the files (default <table>.csv).
DATA ?=
SERVER ?=
INGEST_ARGS ?=
.PHONY: ingest
ingest: setup ## run ingest, checks, metrics, catalog on DATA=dir (SERVER=kaggle, INGEST_ARGS="--env--destination postgres")
	@test -n '$(DATA)' || { echo "make ingest: give the folder of input files, e.g. make ingest DATA=data/raw"; exit 2; }
	$(BIN)/python -m contractbook config -- --env--raw_dir '$(DATA)' $(INGEST_ARGS)
	$(if $(SERVER),CONTRACTBOOK_SERVER='$(SERVER)') ploomber build --entry-point pipeline.ingest.yaml --env--raw_dir '$(DATA)' $(INGEST_ARGS)

test: setup ## set up, then run the whole test suite (PYTEST_ARGS="-m 'not slow'")
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lab: setup ## set up, then start JupyterLab with the project's Jupyter config (.jupyter/)
	jupyter lab $(LAB_ROOT) $(LAB_ARGS)

# All three run, each failure shown; lint fails when any of them failed. mypy is offline
# (config and cache dir in pyproject.toml).
LINT_PATHS := lib tests notebooks benchmarks
lint: setup ## ruff format --check, ruff check (line length 100) and mypy (lib/), from the lock
	@status=0; \
	ruff format --check $(LINT_PATHS) || status=1; \
	ruff check $(LINT_PATHS) || status=1; \
	$(BIN)/mypy || status=1; \
	exit $$status

# Re-resolve requirements/requirements.in into the lock (needs PyPI). uv keeps the current pins
# where it can (the old lock is its preference), so only what must move moves.
lock: | $(BIN)/uv ## re-resolve requirements/requirements.in into requirements/lock.txt
	$(BIN)/uv pip compile -q --no-header --python-version $(LOCK_PYTHON) --override requirements/overrides.txt requirements/requirements.in -o $(LOCK)
	{ cat requirements/lock-header.txt; cat $(LOCK); } > $(LOCK).tmp
	mv $(LOCK).tmp $(LOCK)

DROP ?= data/drop
WATCH_ARGS ?=
watch: setup ## watch DROP (data/drop) and ingest each file that lands complete; Ctrl-C stops
	$(BIN)/python -m contractbook watch $(DROP) $(WATCH_ARGS)

env: ## print the tool-state variables, for a shell: eval "$(make -s env)"
	@$(foreach v,$(STATE_VARS),echo "export $(v)='$($(v))'";)

# --- bench: the harness lives in benchmarks/ (not in the package), run from the project root.
N ?= 1000000
BENCH_ARGS ?=
# The peer anchor, datacontract-cli, gets a venv of its own from the package registry, at bench
# time only (never in the lock, never at test time). If it cannot be installed, the bench still
# runs and reports the peer step as not measured, with the reason.
DATACONTRACT_VENV := $(STATE)/bench/datacontract-venv
DATACONTRACT_CLI ?= datacontract-cli[duckdb]==1.2.8
.PHONY: bench bench-ingest bench-peer
bench: setup bench-peer ## time every step vs DuckDB alone at 10k, 100k, N orders -> reports/bench.md (N=1000000)
	$(BIN)/python -m benchmarks --n-orders $(N) --datacontract $(DATACONTRACT_VENV)/bin/datacontract $(BENCH_ARGS)

bench-ingest: setup ## time ingest against DuckDB alone only, at N orders (report in .state/bench/ingest)
	$(BIN)/python -m benchmarks --sizes $(N) --steps generate,duckdb_alone,ingest --no-build --no-profile --out $(STATE)/bench/ingest $(BENCH_ARGS)

bench-peer: | $(BIN)/uv ## install datacontract-cli into its own venv (.state/bench), for make bench
	@test -x $(DATACONTRACT_VENV)/bin/datacontract || { \
		$(BIN)/uv venv -q --python $(LOCK_PYTHON) $(DATACONTRACT_VENV) && \
		$(BIN)/uv pip install -q --python $(DATACONTRACT_VENV)/bin/python '$(DATACONTRACT_CLI)'; \
	} || echo "bench-peer: could not install $(DATACONTRACT_CLI); the peer step will be reported as not measured"

clean: ## remove generated data, reports and tool state (keeps .venv)
	find data reports -mindepth 1 ! -name README.md -exec rm -rf {} + 2>/dev/null || true
	rm -rf $(STATE) .ruff_cache .pytest_cache
	find lib tests notebooks -name __pycache__ -type d -exec rm -rf {} +

distclean: clean ## clean, and remove .venv too
	rm -rf $(VENV)
