# Two commands a newcomer needs: `make run` and `make test`. Everything else is a helper of those.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# pytest workers, each with its own throwaway PostgreSQL (pytest-xdist); 0 runs in one process.
TEST_WORKERS ?= 2
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | sha1sum | cut -c1-12)
NODE_STAMP := node_modules/.installed-$(shell cat package.json package-lock.json | sha1sum | cut -c1-12)

.PHONY: python-client typescript-types run test check install lint typecheck imports migrations-check pytest pytest-pg15 pytest-native native contract api-design-rules-lint adr-lint example-check openapi bench clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==25.3
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@rm -f $(VENV)/.installed-*; touch $@

install: $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@rm -f node_modules/.installed-*; touch $@

## Start the API with its docs on 127.0.0.1:$${PORT:-8000}, embedded PostgreSQL, migrated, with demo data.
run: $(STAMP)
	$(BIN)/thuiszitters run

## Every check: format, lint, types, import contracts, migrations, tests, contract drift, ADR linter.
## The Python client is generated first: its round trip is one of the tests (decision 0044).
test: lint typecheck imports migrations-check python-client pytest pytest-pg15 pytest-native api-design-rules-lint typescript-types example-check

## The inner loop, under a minute: format, lint, types, import contracts, the name mirror and the
## domain tests (the oracle property, ~10 s alone, runs in `make test`). Pre-commit runs the same.
check: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy app tests
	$(BIN)/lint-imports
	$(BIN)/pytest tests/domain tests/test_namen.py -q -p no:cacheprovider --ignore=tests/domain/test_orakel.py

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy app tests bench migrations tools

imports: $(STAMP)
	$(BIN)/lint-imports

migrations-check: $(STAMP)
	$(BIN)/thuiszitters with-temp-db -- bash -c '$(BIN)/alembic upgrade head && $(BIN)/alembic check && $(BIN)/alembic downgrade base && $(BIN)/alembic upgrade head'

## The whole suite on PostgreSQL 18; app/domain must keep 100% branch coverage.
pytest: $(STAMP)
	$(BIN)/pytest -n $(TEST_WORKERS) --cov=app.domain --cov-branch --cov-fail-under=100 --cov-report=term:skip-covered

## The same suite on the oldest supported PostgreSQL (15) when its server binaries are installed.
pytest-pg15: $(STAMP)
	@bindir=$$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null); \
	if [ -n "$$bindir" ]; then echo "pytest on PostgreSQL 15 ($$bindir)"; THUISZITTERS_PG_BINDIR=$$bindir $(BIN)/pytest -n $(TEST_WORKERS) -q -p no:cacheprovider; \
	else echo "PostgreSQL 15 server binaries not found: the PG 15 pass is skipped (.ci/run installs them)"; fi

## Optional: the domain's hot modules compiled with mypyc into build/native, used when present
## and current (docs/decisions/0013); without a C compiler the pure modules simply run.
native: $(STAMP)
	@if command -v "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_config_var("CC").split()[0])')" >/dev/null; then \
	$(BIN)/python tools/build_native.py --if-stale; \
	else echo "no C compiler: no native build, the pure modules run"; fi

## The domain and register tests once more, on the compiled modules: they must behave exactly as
## the pure ones (same goldens). The whole suite passes too: THUISZITTERS_NATIVE=1 pytest.
pytest-native: native
	@if [ -f build/native/manifest.json ]; then THUISZITTERS_NATIVE=1 $(BIN)/pytest -n $(TEST_WORKERS) tests/domain tests/rapportage -q -p no:cacheprovider; \
	else echo "no native build: the pass on the compiled modules is skipped"; fi

## A Python client generated from the committed contract (openapi-python-client, pinned, in its
## own tool venv: its typer pin differs from ours) into build/python-client; part of `make test`:
## tests/api/test_contract.py drives it against the application. About 5 s (the tool venv, once,
## about a minute). Its settings (no post-hooks) are in tools/python-client.yaml.
OPENAPI_PYTHON_CLIENT := openapi-python-client==0.29.1
CLIENT_VENV := .venv-client
python-client: $(STAMP)
	@test -x $(CLIENT_VENV)/bin/openapi-python-client || { $(PYTHON) -m venv $(CLIENT_VENV) && $(CLIENT_VENV)/bin/pip install --quiet $(OPENAPI_PYTHON_CLIENT); }
	@rm -rf build/python-client && mkdir -p build/python-client
	$(CLIENT_VENV)/bin/openapi-python-client generate --path openapi/openapi.json --meta none --config tools/python-client.yaml --output-path build/python-client/thuiszitters_client >/dev/null

## TypeScript types generated from the committed contract (openapi-typescript) and code using
## them type-checked with `tsc --strict` (tools/typescript/gebruik.ts).
typescript-types: $(NODE_STAMP)
	@mkdir -p build/typescript
	npx --no-install openapi-typescript openapi/openapi.json -o build/typescript/api.d.ts --silent
	npx --no-install tsc --strict --noEmit --target es2022 --module es2022 --moduleResolution bundler tools/typescript/gebruik.ts

## The committed contract, regenerated from the code.
openapi: $(STAMP) $(NODE_STAMP)
	$(BIN)/thuiszitters openapi > openapi/openapi.json
	npx --no-install openapi-typescript openapi/openapi.json -o examples/frontend/api.d.ts

## The example front-end: its types are the committed contract's, and its code type-checks.
example-check: $(NODE_STAMP)
	npx --no-install openapi-typescript openapi/openapi.json -o build/api.d.ts
	diff -q build/api.d.ts examples/frontend/api.d.ts || (echo "run make openapi"; exit 1)
	npx --no-install tsc -p examples/frontend/tsconfig.json

## The NL API Design Rules linter (api-design-rules/) on the contract. `adr-lint` is the old name.
api-design-rules-lint adr-lint: $(NODE_STAMP)
	npx --no-install spectral lint --fail-severity=error -r api-design-rules/linter.yaml openapi/openapi.json

## Benchmarks (not part of `make test`): each prints its ratio to a baseline from the same run.
bench: $(STAMP) native
	$(BIN)/python -m bench domain
	$(BIN)/python -m bench register

clean:
	rm -rf $(VENV) $(CLIENT_VENV) build/python-client build/typescript node_modules .mypy_cache .pytest_cache .ruff_cache build/native build/native-c
