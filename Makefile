# Two commands on a fresh machine: `make run` (the BDD suite, reports in reports/) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST := $(BIN)/pytest
REPORTS ?= reports
PYTEST_ARGS ?=

.PHONY: run test check lint format unit features setup browser sdk serve bench clean guides replay

# Every format (JUnit XML, Cucumber JSON, Allure results, report.html) and a Playwright trace of each
# failed scenario; the traces' own folder is emptied by pytest-playwright at each run, ours is not.
REPORT_ARGS = --sim-report-dir=$(REPORTS) --output=$(REPORTS)/playwright
COVERAGE_ARGS = --cov --cov-report=

# Workers: a scenario waits on the browser's frames and the driver's round trips more than it computes (one
# worker keeps ~40 % of two cores busy), and the tests wait on sub-runs and browsers, so more workers than
# cores finish sooner here (README «Benchmarks»).
FEATURE_WORKERS ?= 2
TEST_WORKERS ?= 4

run: setup
	@echo "run: the BDD suite (features/) in Chromium, one line a feature; reports in $(REPORTS)/"
	@$(PYTEST) features -n $(FEATURE_WORKERS) -q --feature-progress -o console_output_style=classic $(REPORT_ARGS) --tracing=retain-on-failure $(PYTEST_ARGS); status=$$?; \
	written=$$(cd $(REPORTS) && for name in report.html junit.xml cucumber.json allure-results traces videos; do \
		[ -e "$$name" ] && printf ' %s' "$$name"; done); \
	echo "Reports in $(REPORTS)/:$${written:- none}"; \
	exit $$status

# CI: lint first; the simulator's own tests, then the BDD suite with the same reports as `make run` but
# no traces (recording them costs time on every scenario), then the vendor example, a project of its own
# as it would be in a vendor's repository. Every part runs; any failure fails the target. The reports are
# the BDD suite's. The tests go to workers a module at a time: a module's shared sub-runs (the four suites
# of tests/testing/test_reporting.py, the guides) then run once, not once in every worker that gets one of its
# tests. The BDD suite is one module: its scenarios go to workers one by one.
# Coverage: the two runs' lines of simulator/ and steps/ (pyproject.toml [tool.coverage]) in one .coverage, its
# total printed at the end; `.venv/bin/coverage report` or `coverage html` tell it by module afterwards.
test: lint sdk
	@status=0; \
	$(PYTEST) tests -n $(TEST_WORKERS) --dist loadscope $(COVERAGE_ARGS) $(PYTEST_ARGS) || status=$$?; \
	$(PYTEST) features -n $(FEATURE_WORKERS) $(REPORT_ARGS) $(COVERAGE_ARGS) --cov-append $(PYTEST_ARGS) || status=$$?; \
	$(PYTEST) examples/vendor -p no:cacheprovider || status=$$?; \
	echo "Reports in $(REPORTS)/ (the BDD suite): report.html, junit.xml, cucumber.json, allure-results/"; \
	echo "Coverage of simulator/ and steps/ by the tests and the BDD suite: $$($(BIN)/coverage report --format=total) %"; \
	exit $$status

# While working: lint and the tests that start no process (no sub-run, browser or Node; tests/conftest.py marks
# the others `slow`), in under a minute.
check: lint
	$(PYTEST) tests -m "not slow" -n $(TEST_WORKERS) -p no:cacheprovider $(PYTEST_ARGS)

# ruff (lint, import order, formatting) and mypy (strict for simulator/; see pyproject.toml).
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

unit: setup sdk
	$(PYTEST) tests $(PYTEST_ARGS)

# Python's caches written once, as a first run writes them wherever $PYTHONDONTWRITEBYTECODE is not set (many CI
# images set it): the package's bytecode, and pytest's assert-rewritten step library, plugins and tests (a
# collection writes them). Without them every run compiles and rewrites those modules anew (~0.6 s of CPU each).
# Written again when a module changes; a collection error is left to the run that follows to report.
setup: $(VENV)/.installed browser $(VENV)/.caches
	@mkdir -p $(REPORTS)

PY_SOURCES := conftest.py $(shell find simulator steps tests features -name '*.py' -not -path '*/node_modules/*')
$(VENV)/.caches: $(VENV)/.installed $(PY_SOURCES)
	@$(BIN)/python -m compileall -q simulator steps
	@PYTHONDONTWRITEBYTECODE= $(PYTEST) features tests --collect-only -q -p no:cacheprovider >/dev/null 2>&1 || true
	@touch $@

# Quiet: pip's warnings (e.g. about extra package indexes) are shown only when the install fails.
$(VENV)/.installed: pyproject.toml
	@echo "setup: $(VENV) with sferum-sim and its dev tools"
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --quiet --upgrade pip 2>$(VENV)/pip.log || { cat $(VENV)/pip.log; exit 1; }
	@$(BIN)/pip install --quiet -e '.[dev]' 2>$(VENV)/pip.log || { cat $(VENV)/pip.log; exit 1; }
	@touch $@

browser: $(VENV)/.installed
	@PYTHON=$(BIN)/python sh scripts/ensure-browser.sh

# The official VK ID web SDK at the version tests/sdk/package-lock.json pins, for tests/sdk (Node and npm).
SDK_MODULES := tests/sdk/node_modules/.package-lock.json
BDD_MODULES := bench/runners/playwright_bdd/node_modules/.package-lock.json
REPORTER_MODULES := tests/reporters/node_modules/.package-lock.json
VSCODE_MODULES := tests/vscode/node_modules/.package-lock.json
sdk: $(SDK_MODULES) $(BDD_MODULES) $(REPORTER_MODULES) $(VSCODE_MODULES)

$(SDK_MODULES): tests/sdk/package.json tests/sdk/package-lock.json
	cd tests/sdk && npm ci --no-audit --no-fund

# playwright-bdd, the peer the harness is measured against (bench/runners) and checked with (tests/bench/test_bench_runners.py).
$(BDD_MODULES): bench/runners/playwright_bdd/package.json bench/runners/playwright_bdd/package-lock.json
	cd bench/runners/playwright_bdd && npm ci --no-audit --no-fund

# The npm Cucumber report viewers our cucumber.json is rendered with (tests/testing/test_npm_reporters.py);
# multiple-cucumber-html-reporter at 3.10.0, the last release that runs on Node 20.
$(REPORTER_MODULES): tests/reporters/package.json tests/reporters/package-lock.json
	cd tests/reporters && npm ci --no-audit --no-fund

# The language service of VS Code's Cucumber extension (tests/steps/test_vscode_steps.py), with its WASM parsers:
# the native tree-sitter builds it lists as optional are not needed.
$(VSCODE_MODULES): tests/vscode/package.json tests/vscode/package-lock.json
	cd tests/vscode && npm ci --omit=optional --no-audit --no-fund

serve: setup
	$(BIN)/sferum-sim serve

guides: setup
	$(BIN)/sferum-sim guide features/ -o $(REPORTS)/guides/

# make replay FEATURE=features/mes_teacher_vkid.feature SCENARIO=E02
replay: setup
	$(BIN)/sferum-sim replay $(FEATURE) $(if $(SCENARIO),--scenario "$(SCENARIO)")

bench: setup sdk
	$(BIN)/python -m bench
	$(BIN)/python -m bench runners

clean:
	rm -rf $(VENV) $(REPORTS)/* *.egg-info tests/sdk/node_modules tests/reporters/node_modules tests/vscode/node_modules
