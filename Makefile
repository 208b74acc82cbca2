# Partpilot: `make run` serves the API + web chat; `make test` runs the whole suite.
# Both create .venv and install everything on first use (CPU torch first: otherwise pip pulls CUDA builds).

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install db lint typecheck bench-search clean-db

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet "torch==2.13.0"
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

db: install
	$(BIN)/partpilot db upgrade
	$(BIN)/partpilot seed --if-empty

run: db
	$(BIN)/partpilot serve --host $(HOST) --port $(PORT)

# Two test processes (pytest-xdist), each with its own copy of the seeded database on the one embedded server; a
# test module is one unit of work, sent in collection order (the two modules of whole eval runs go first, one to
# each process: tests/conftest.py orders them; xdist would otherwise send the modules with most tests first).
# TEST_WORKERS=0 runs everything in one process.
TEST_WORKERS ?= 2

test: install
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder --durations=30

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy partpilot agent tools knowledge api channels evals

bench-search: db
	$(BIN)/partpilot bench search --parts 100000 --out bench/search-100k.json

clean-db:
	-$(BIN)/partpilot db stop
