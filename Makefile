# The two commands of the README: `make demo` and `make test`. Both set up everything
# they need on a fresh machine with only Python 3.11+.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit i18n bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall when the dependencies change.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/summitbot demo

test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q

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
# docs/benchmarks.md. About 30 minutes on 2 cores; run it on a quiet machine.
bench: $(STAMP)
	$(BIN)/python -m bench.startup
	$(BIN)/python -m bench.broadcast
	$(BIN)/python -m bench.reminders
	$(BIN)/python -m bench.interactive
	$(BIN)/python -m bench.mixed_load
	$(BIN)/python -m bench.report

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
