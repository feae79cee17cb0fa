# kazgraph: `make demo` starts Neo4j and shows the graph, `make test` checks everything.
# Needs only python3 (3.11+), Java 17 or 21 and Maven: the rest is installed here.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RUNNER := neo4j-local
MVN    := mvn -q -B -Dstyle.color=never
BROWSER_URL := http://127.0.0.1:7474/browser/?dbms=bolt://127.0.0.1:7687&preselectAuthMethod=NO_AUTH

.PHONY: venv build demo test lint stop clean

## venv: the Python environment in .venv, with kazgraph installed for development
venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

## build: the local Neo4j runner (neo4j-local/target); the same stamp as `kazgraph db start`
build: $(RUNNER)/target/kazgraph-build.stamp

$(RUNNER)/target/kazgraph-build.stamp: $(RUNNER)/pom.xml $(shell find $(RUNNER)/src -type f 2>/dev/null)
	cd $(RUNNER) && $(MVN) package
	touch $@

## demo: start the local Neo4j, load and verify the graph, answer every saved query
demo: venv build
	$(BIN)/kazgraph db start
	$(BIN)/kazgraph load
	$(BIN)/kazgraph verify
	$(BIN)/kazgraph query run-all
	$(BIN)/kazgraph db status
	@echo
	@echo "Neo4j Browser: $(BROWSER_URL)"
	@echo "Stop Neo4j with: $(BIN)/kazgraph db stop"

## test: every test, against a Neo4j that the test session starts and stops itself
test: venv build
	$(BIN)/pytest -q

## lint: ruff
lint: venv
	$(BIN)/ruff check loader tests

## stop: stop the local Neo4j started by `make demo`
stop: venv
	$(BIN)/kazgraph db stop

## clean: remove the build and the venv (the graph in .kazgraph/ stays)
clean:
	rm -rf $(RUNNER)/target $(VENV)
