# Two entry points for a fresh machine: `make run` and `make test`.
# Each creates .venv from pyproject.toml when it is missing or out of date.
# `make test` ends with the packaged build and its smoke test (`make package-test`).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck forms package package-test clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/intake-app $(if $(DATA_DIR),--data-dir "$(DATA_DIR)")

lint: $(STAMP)
	$(BIN)/ruff check intake_app tests bench packaging
	$(BIN)/ruff format --check intake_app tests bench packaging

typecheck: $(STAMP)
	$(BIN)/mypy intake_app

test: lint typecheck ; @if [ -n "$$CI" ] && [ "$$(id -u)" = 0 ] && ! command -v pdftotext >/dev/null 2>&1; then apt-get install -y -q poppler-utils || { apt-get update -q && apt-get install -y -q poppler-utils; } || echo "poppler-utils not installed: pdftotext tests will skip"; fi
	@if [ -n "$$CI" ] && [ "$$(id -u)" = 0 ]; then bash tests/printing/setup_cups.sh || echo "CUPS not set up: the printing tests on real queues will skip"; fi
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider tests
	QT_QPA_PLATFORM=offscreen $(BIN)/coverage run -m pytest -q -p no:cacheprovider tests/unit/domain
	$(BIN)/coverage report
	$(MAKE) package-test

forms: $(STAMP)
	$(BIN)/python -m intake_app.gui.forms_build

package: $(STAMP)
	$(BIN)/python packaging/build.py

package-test: package
	$(BIN)/python packaging/smoke_test.py

clean:
	rm -rf build dist .venv
