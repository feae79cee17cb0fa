# kazgraph: `make demo` starts Neo4j and shows the graph, `make test` checks everything.
# Needs only python3 (3.11+), Java 17 or 21 and Maven: the rest is installed here.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RUNNER := neo4j-local
NEO4J_CALENDAR ?= 2025.10.1

.PHONY: venv build browser demo test test-fast test-2025 lint bench stop clean

## venv: the Python environment in .venv, with kazgraph installed for development
venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

## build: the local Neo4j runner (neo4j-local/target/<version>, KAZGRAPH_NEO4J_VERSION or 5.26)
build: venv
	$(BIN)/python -c 'from loader import local_neo4j; local_neo4j.ensure_built()'

## browser: Debian's Chromium for the Neo4j Browser test (the test skips where it is missing)
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	  && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	  --no-install-recommends chromium >/dev/null; } \
	  || echo "chromium could not be installed: the Neo4j Browser test will be skipped"

## demo: start the local Neo4j, load and verify the graph, answer every saved query
demo: venv build
	$(BIN)/kazgraph db start
	$(BIN)/kazgraph load
	$(BIN)/kazgraph verify
	$(BIN)/kazgraph query run-all --summary
	$(BIN)/kazgraph db status
	@echo
	$(BIN)/kazgraph browse
	@echo "Stop Neo4j with: $(BIN)/kazgraph db stop"

## test: every test, against a Neo4j that the test session starts and stops itself
test: venv build browser
	$(BIN)/pytest -q

## test-fast: the tests that start no extra JVM and no browser
test-fast: venv build
	$(BIN)/pytest -q -m "not slow"

## test-2025: the suite (but the browser test) against the 2025 calendar release
test-2025: venv
	KAZGRAPH_NEO4J_VERSION=$(NEO4J_CALENDAR) $(BIN)/python -c 'from loader import local_neo4j; local_neo4j.ensure_built()'
	KAZGRAPH_NEO4J_VERSION=$(NEO4J_CALENDAR) $(BIN)/pytest -q --ignore=tests/test_browser_ui.py

## lint: ruff (rules and format) and mypy --strict
lint: venv
	$(BIN)/ruff check loader tests bench
	$(BIN)/ruff format --check loader tests bench
	$(BIN)/mypy --strict loader

## bench: quick load, saved-query and start-up benchmarks (bench/README.md); they REPLACE the
## graph at NEO4J_URI (default: the local runner) and leave the curated graph loaded
bench: venv
	$(BIN)/python -m bench.bench_load --sizes 1000
	$(BIN)/python -m bench.bench_queries --nodes 1000 --runs 3 --timeout 10
	$(BIN)/python -m bench.bench_cli --runs 3

## stop: stop the local Neo4j started by `make demo`
stop: venv
	$(BIN)/kazgraph db stop

## clean: remove the build and the venv (the graph in .kazgraph/ stays)
clean:
	rm -rf $(RUNNER)/target $(VENV)
