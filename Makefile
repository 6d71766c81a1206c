# Two entry points for a fresh machine: `make run` and `make test`.
# Each creates .venv from the lock file (requirements/dev.txt: exact versions, every
# file checked against its hash) when it is missing or out of date, then installs the
# project itself from the source tree without dependencies. On Linux both first check
# the system libraries Qt needs to open windows (packaging/qt_system_libs.py): as root
# they are installed, otherwise the one `sudo apt-get install …` command is printed.
# `make test` ends with the packaged build and its smoke test (`make package-test`).
# `make lock` refreshes the lock files from pyproject.toml (see README, "Dependencies").
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements/dev.txt
LOCK_VENV := build/lock-venv
UV := $(LOCK_VENV)/bin/uv
UV_COMPILE := $(UV) pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command "make lock"
# Tools the tests use when present; CI (as root) installs them: command:Debian package.
CI_TOOLS := pdftotext:poppler-utils Xvfb:xvfb

.PHONY: run test lint typecheck qt-libs forms package package-test lock lock-upgrade clean

$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

qt-libs: $(STAMP)
	@$(BIN)/python packaging/qt_system_libs.py

run: qt-libs
	$(BIN)/intake-app $(if $(DATA_DIR),--data-dir "$(DATA_DIR)")

lint: $(STAMP)
	$(BIN)/ruff check intake_app tests bench packaging
	$(BIN)/ruff format --check intake_app tests bench packaging

typecheck: $(STAMP)
	$(BIN)/mypy intake_app

test: lint typecheck qt-libs
	@if [ -n "$$CI" ] && [ "$$(id -u)" = 0 ]; then missing=""; \
	  for tool in $(CI_TOOLS); do command -v $${tool%%:*} >/dev/null 2>&1 || missing="$$missing $${tool#*:}"; done; \
	  if [ -n "$$missing" ]; then apt-get install -y -q $$missing || { apt-get update -q && apt-get install -y -q $$missing; } \
	    || echo "not installed:$$missing (pdftotext tests skip; the X11 test fails in CI)"; fi; fi
	@if [ -n "$$CI" ] && [ "$$(id -u)" = 0 ]; then bash tests/printing/setup_cups.sh || echo "CUPS not set up: the printing tests on real queues will skip"; fi
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider tests
	QT_QPA_PLATFORM=offscreen $(BIN)/coverage run -m pytest -q -p no:cacheprovider tests/unit/domain
	$(BIN)/coverage report
	$(MAKE) package-test

forms: $(STAMP)
	$(BIN)/python -m intake_app.gui.forms_build

# The build bundles the Qt system libraries of this machine: check them first.
package: qt-libs
	$(BIN)/python packaging/build.py

package-test: package
	$(BIN)/python packaging/smoke_test.py

# The lock files: dev.txt (runtime, test, build and packaging tools), runtime.txt (what
# the installed program needs, the same versions) and uv.txt (the lock tool itself).
# Universal: one file for Linux, Windows and macOS, with every wheel's hash.
$(UV): requirements/uv.txt
	test -x $(LOCK_VENV)/bin/python || $(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet --require-hashes -r requirements/uv.txt
	touch $(UV)

lock: $(UV)
	$(UV_COMPILE) $(UPGRADE) pyproject.toml requirements/build.in --extra dev -o requirements/dev.txt
	$(UV_COMPILE) pyproject.toml -c requirements/dev.txt -o requirements/runtime.txt
	$(UV_COMPILE) requirements/uv.in -o requirements/uv.txt

lock-upgrade:
	$(MAKE) lock UPGRADE=--upgrade

clean:
	rm -rf build dist .venv
