# Two commands on a fresh machine: `make run` (the BDD suite, reports in reports/) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST := $(BIN)/pytest
REPORTS ?= reports
PYTEST_ARGS ?=

.PHONY: run test unit features setup browser serve bench clean guides replay

run: setup
	$(PYTEST) features --junitxml=$(REPORTS)/junit.xml --cucumberjson=$(REPORTS)/cucumber.json \
	    --screenshot=only-on-failure --output=$(REPORTS)/playwright $(PYTEST_ARGS)
	@echo "Reports: $(REPORTS)/junit.xml, $(REPORTS)/cucumber.json, $(REPORTS)/playwright/ (failure screenshots)"

test: setup
	$(PYTEST) tests features examples/vendor --junitxml=$(REPORTS)/junit-all.xml --output=$(REPORTS)/playwright $(PYTEST_ARGS)

unit: setup
	$(PYTEST) tests $(PYTEST_ARGS)

setup: $(VENV)/.installed browser
	@mkdir -p $(REPORTS)

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

browser: $(VENV)/.installed
	@PYTHON=$(BIN)/python sh scripts/ensure-browser.sh

serve: setup
	$(BIN)/sferum-sim serve

guides: setup
	$(BIN)/sferum-sim guide features/ -o $(REPORTS)/guides/

# make replay FEATURE=features/mes_teacher_vkid.feature SCENARIO=E02
replay: setup
	$(BIN)/sferum-sim replay $(FEATURE) $(if $(SCENARIO),--scenario "$(SCENARIO)")

bench: setup
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) $(REPORTS)/* *.egg-info
