# One entry point: make demo | test | bench | lint. Each sets up its own virtualenv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: demo test test-fast bench lint clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/peermentor demo --host $(HOST) --port $(PORT)

# Every test: unit, store on SQLite and PostgreSQL, CLI, and the browser tests.
# Two workers (one a core); tests that start a real server share one of them.
test: $(STAMP)
	$(BIN)/python -m pytest -n auto --dist loadgroup

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not e2e" -x -q

bench: $(STAMP)
	@for script in bench/bench_*.py; do \
		echo; echo "== $$script"; $(BIN)/python $$script || exit 1; \
	done

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-artifacts peermentor-demo.db*
