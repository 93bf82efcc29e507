# The two commands of the README: `make demo` and `make test`. Both set up everything
# they need on a fresh machine with only Python 3.11+.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# `make e2e` tests what operators install: the wheel built from this tree, installed with
# the README's deployment steps into a virtual environment outside the source tree. It is
# kept between runs (one per checkout) and rebuilt only when something that goes into the
# wheel changed.
E2E_HOME ?= $(or $(TMPDIR),/tmp)/summitbot-e2e-$(shell printf '%s' "$(CURDIR)" | cksum | cut -d' ' -f1)
E2E_VENV := $(E2E_HOME)/venv
E2E_STAMP := $(E2E_VENV)/.installed
E2E_BIN := $(E2E_VENV)/bin/summitbot
# End-to-end tests mostly wait on their bot processes and the emulator: several at once
# keep `make test` within ten minutes on two cores (pytest-xdist).
E2E_WORKERS ?= 3
UNIT_WORKERS ?= 3
WHEEL_INPUTS := pyproject.toml setup.py MANIFEST.in requirements.lock README.md \
	$(shell find bot handlers locales -type f -not -path '*/__pycache__/*' -not -name '*.py[co]')

LOCK := $(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
	--no-emit-index-url --no-emit-find-links --output-file requirements.lock

.PHONY: demo test lint typecheck unit model e2e wheel lock i18n bench clean browser screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall when the dependencies change. Runtime dependencies come from the lock file,
# exactly as in a deployment; the development tools from pyproject.toml's `dev` extra.
$(STAMP): pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/summitbot demo

# make's exit status is the first failing step's: pytest's 5 ("no tests ran") fails too.
test: lint typecheck browser unit model e2e

# Headless Chromium for the Mini App's browser tests (pytest -m browser), from Debian's
# packages: Playwright drives it, but never downloads a browser of its own. Idempotent:
# nothing happens when /usr/bin/chromium is there; installing needs root (CI runs as root).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				chromium fonts-noto-color-emoji; \
		else \
			echo "make browser: /usr/bin/chromium is missing; as root run:" \
				"apt-get install chromium fonts-noto-color-emoji" >&2; exit 1; \
		fi; \
	fi

# The Mini App screenshots in docs/ (delegate timeline en + ar, organizer grid).
screenshots: $(STAMP) browser
	SUMMITBOT_SCREENSHOTS=docs $(BIN)/pytest -q tests/e2e/test_webapp_browser.py -k screenshots

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

# Fast: no bot processes; runs from the source tree. Three workers on two cores, since
# many tests wait on a local socket or SQLite's thread; tests/e2e is not even collected.
unit: $(STAMP)
	$(BIN)/pytest -q -m "not e2e and not model" --ignore=tests/e2e -n $(UNIT_WORKERS) \
		--dist worksteal

# The model-based test of the programme: organizers, files, delegates and reissues
# interleaved by Hypothesis against a model (SUMMITBOT_LONG_MODEL=1 for the long run).
model: $(STAMP)
	$(BIN)/pytest -q -m model tests/test_model_based.py

# The end-to-end tests (everything that starts `summitbot`) against the installed wheel.
e2e: $(E2E_STAMP)
	@echo "e2e: testing the installed wheel $$(cd $(E2E_HOME)/dist && ls *.whl): $(E2E_BIN)"
	@cd / && env -u PYTHONPATH $(E2E_BIN) --version
	SUMMITBOT_BIN=$(E2E_BIN) $(BIN)/pytest -m e2e -n $(E2E_WORKERS)

# python -m build makes the sdist and builds the wheel from it, so a file missing from
# the sdist (MANIFEST.in) is missing from the wheel too, and the tests see it.
wheel: $(E2E_STAMP)

$(E2E_STAMP): $(WHEEL_INPUTS) | $(STAMP)
	rm -rf $(E2E_HOME)
	$(BIN)/python -m build --outdir $(E2E_HOME)/dist . > $(E2E_HOME).build.log 2>&1 \
		|| { cat $(E2E_HOME).build.log; exit 1; }
	$(PYTHON) -m venv $(E2E_VENV)
	$(E2E_VENV)/bin/python -m pip install --quiet --require-hashes -r requirements.lock
	$(E2E_VENV)/bin/python -m pip install --quiet --no-deps $(E2E_HOME)/dist/summitbot-*.whl
	touch $@

# Regenerate requirements.lock (pinned, hashed runtime dependencies) after changing
# `dependencies` in pyproject.toml; `make lock UPGRADE=1` moves every pin to the newest.
lock: $(STAMP)
	$(LOCK) $(if $(UPGRADE),--upgrade) pyproject.toml

# Extract messages.pot from the code and merge it into every language's catalog.
# Catalogs are compiled in memory at start-up (bot/i18n.py), so no .mo files are made.
i18n: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg -k N_ --add-location=file --sort-by-file \
		--project=summitbot --copyright-holder="Summit Bot" -o locales/messages.pot .
	@for po in locales/*/LC_MESSAGES/messages.po; do \
		[ -e "$$po" ] || continue; \
		lang=$$(basename "$$(dirname "$$(dirname "$$po")")"); \
		$(BIN)/pybabel -q update -w 100 --no-fuzzy-matching -l "$$lang" \
			-i locales/messages.pot -o "$$po"; \
	done

# Reproducible benchmarks; each writes bench/results/NAME.md, assembled into
# docs/benchmarks.md (bench.webapp needs `make browser`). About 35 minutes on 2 cores; run it
# on a quiet machine.
bench: $(STAMP)
	$(BIN)/python -m bench.startup
	$(BIN)/python -m bench.broadcast
	$(BIN)/python -m bench.reminders
	$(BIN)/python -m bench.interactive
	$(BIN)/python -m bench.mixed_load
	$(BIN)/python -m bench.bilateral_slots
	$(BIN)/python -m bench.webapp
	$(BIN)/python -m bench.report

clean:
	rm -rf $(VENV) $(E2E_HOME) $(E2E_HOME).build.log .mypy_cache .ruff_cache .pytest_cache \
		.hypothesis build dist *.egg-info
