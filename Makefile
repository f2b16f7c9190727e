# One entry point: make demo | test | bench | lint. Each sets up its own virtualenv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: demo test test-fast bench lint lock clean

# Installs exactly what requirements.lock pins, every file checked against its hash;
# then the project itself (its dependencies are already there) and a consistency check.
$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m pip check
	@touch $(STAMP)

# After changing dependencies in pyproject.toml: pin them again (pip-tools in its own
# virtualenv, so the lock never pins the tool that made it).
lock:
	@test -x .venv-lock/bin/pip-compile || ($(PYTHON) -m venv .venv-lock && .venv-lock/bin/pip install --quiet pip-tools)
	.venv-lock/bin/pip-compile --quiet --generate-hashes --extra dev --strip-extras --allow-unsafe \
		--no-emit-index-url --no-emit-find-links --output-file requirements.lock pyproject.toml

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
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) .venv-lock .pytest_cache .mypy_cache .ruff_cache test-artifacts peermentor-demo.db* peermentor-mail
