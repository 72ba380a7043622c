# Laksana — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
LAKSANA := $(VENV)/bin/laksana
STAMP := $(VENV)/.installed
FRONTEND := web/frontend
ASSETS_STAMP := web/static/build/.built
export LAKSANA_INSTANCE_DIR ?= $(CURDIR)/instance

.PHONY: run test install assets sysdeps sysdeps-test setup-data lint bench bench-smoke clean

run: install assets sysdeps setup-data
	$(LAKSANA) serve --host 127.0.0.1 --port 5000

# in parallel on every core (pytest-xdist); a test file stays on one worker (the browser tests
# share one live server per module). PYTEST_ARGS="-n 0" runs serially.
PYTEST_ARGS ?= -n auto --dist loadfile
test: install assets sysdeps-test
	$(PY) -m pytest $(PYTEST_ARGS)

install: $(STAMP)

$(STAMP): setup.cfg pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# bpmn-js modeler and viewer bundled with esbuild into web/static/build (no CDN at run time)
assets: $(ASSETS_STAMP)

$(ASSETS_STAMP): $(wildcard $(FRONTEND)/package.json $(FRONTEND)/src/*.js)
	@if [ -f $(FRONTEND)/package.json ]; then \
	  cd $(FRONTEND) && npm install --no-audit --no-fund --loglevel=error && npm run build; \
	else echo "no front-end sources yet"; fi
	mkdir -p web/static/build && touch $(ASSETS_STAMP)

# Debian packages the app and its tests use: poppler-utils (pdftoppm), postgresql-client (pg_dump and
# pg_restore for `laksana backup` on PostgreSQL), LibreOffice Writer headless with metric-compatible
# fonts and python3-uno (letters from Word templates to PDF; a warm LibreOffice through unoserver),
# Chromium (browser tests)
OFFICE_PDF := libreoffice-writer-nogui python3-uno fonts-liberation2 fonts-crosextra-carlito
SYSDEPS_RUN := poppler-utils postgresql-client $(OFFICE_PDF)
SYSDEPS_TEST := poppler-utils postgresql-client chromium $(OFFICE_PDF)
sysdeps:
	@./scripts/apt-ensure $(SYSDEPS_RUN)

sysdeps-test:
	@./scripts/apt-ensure $(SYSDEPS_TEST)

setup-data: install
	$(LAKSANA) init-db
	$(LAKSANA) roles seed
	$(LAKSANA) deploy
	$(LAKSANA) seed-demo
	$(LAKSANA) warehouse build --if-missing
	-$(LAKSANA) report pki

# ruff (rules and format), the import contracts of setup.cfg [importlinter], mypy within budget
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	./scripts/mypy-budget

bench: install
	$(PY) bench/engine.py
	$(PY) bench/warehouse.py
	$(PY) bench/reports.py
	$(PY) bench/web.py
	$(PY) bench/rework.py
	$(PY) bench/cache_miss.py
	LAKSANA_TEST_DATABASE_URL=$${LAKSANA_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} $(PY) bench/load.py

# every benchmark at tiny sizes: they must keep running as the code moves (CI runs this)
bench-smoke: install
	$(PY) bench/engine.py --smoke
	$(PY) bench/warehouse.py --smoke
	$(PY) bench/reports.py --smoke
	$(PY) bench/web.py --smoke
	$(PY) bench/rework.py --smoke
	$(PY) bench/cache_miss.py --smoke
	$(PY) bench/load.py --smoke

clean:
	rm -rf $(VENV) web/static/build $(FRONTEND)/node_modules
