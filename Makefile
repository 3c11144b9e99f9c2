# The two commands a new user needs: `make run` and `make test`. Both create .venv when missing.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# The first Python 3.12+ on PATH (Mesa 3.5 needs 3.12); `make PY=/path/to/python3.12` overrides.
PY ?= $(shell for p in python3.12 python3.13 python3.14 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo $$p; break; }; done)
SCENARIO ?=
ARGS ?=

.PHONY: run test app bench effects tables screening discovery lock clean

$(BIN)/.installed: pyproject.toml requirements.lock
	@if [ -z "$(PY)" ]; then \
		echo "error: no Python 3.12 or newer found (tried python3.12, python3.13, python3.14, python3)."; \
		echo "       Mesa 3.5 needs Python 3.12+. Install one (e.g. 'pyenv install 3.12') or run 'make PY=/path/to/python3.12 ...'."; \
		exit 1; fi
	@[ -x $(BIN)/python ] || { echo "creating $(VENV) with $$($(PY) --version)"; $(PY) -m venv $(VENV); }
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

# The baseline (or SCENARIO) with bands: 8 replicates that draw the posterior's joint draws and the assumed
# parameters, in two worker processes (README: how long it takes).
RUN_BANDS ?= --replicates 8 --draws --workers 2
run: $(BIN)/.installed
	$(BIN)/renewal run $(SCENARIO) $(RUN_BANDS) $(ARGS)

test: $(BIN)/.installed
	$(BIN)/python -m pytest -q -n 2 $(ARGS)

# The planners' app, its disk cache prepared first (every preset's first screen; minutes the first time,
# seconds once results/cache/ holds it).
app: $(BIN)/.installed
	$(BIN)/renewal prepare-app
	$(BIN)/python -m model.app.serve

bench: $(BIN)/.installed
	$(BIN)/python -m benchmarks.run $(ARGS)

# The README's effects tables: every shipped what-if against the baseline, paired, with seeds only and
# with parameter draws (about 15 minutes on 2 cores).
effects: $(BIN)/.installed
	$(BIN)/renewal effects --no-draws --into README.md $(ARGS)
	$(BIN)/renewal effects --into README.md $(ARGS)

# Every README table that comes from the committed calibration: both effects tables (make effects), then
# the fit table, its posterior predictive recomputed from the committed draws with today's drawn
# parameters (about 10 minutes).
tables: effects
	$(BIN)/renewal fit --predict --into README.md

# Which assumed parameters bands must draw: a Morris screening of the baseline's headlines and the what-ifs'
# paired changes through the sweep machinery (resumable store; docs/calibration.md section 6).
screening: $(BIN)/.installed
	$(BIN)/renewal screen-assumptions --into docs/calibration.md $(ARGS)

# The worked example of scenario discovery (docs/discovery.md and the README's block): a 400-run sweep at scale
# 0.05, resumable, then PRIM and CART on its runs (about 3 minutes on 2 cores once the environment exists).
DISCOVERY_SPEC := scenarios/sweeps/renovation_failure.yaml
discovery: $(BIN)/.installed
	$(BIN)/renewal sweep $(DISCOVERY_SPEC) --workers 2 --quiet > /dev/null
	$(BIN)/renewal discover $(DISCOVERY_SPEC) --outcome unresolved_poorest --where "> 0.25" --out docs/discovery \
		--into README.md --into docs/discovery.md

# Re-pin the whole dependency tree after changing pyproject.toml (not part of a normal install).
lock: $(BIN)/.installed
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^county-renewal' > requirements.lock

clean:
	rm -rf $(VENV) results .pytest_cache
