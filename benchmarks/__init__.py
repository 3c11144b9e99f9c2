"""Speed and memory of the county model, measured: `make bench` (python -m benchmarks.run).

Timings live here, never in unit tests. Each figure is reported against its target from issue 7;
the targets are goals to report on, not assertions.
"""

from model.app.settings import APP_REPLICATES, APP_SCALE, APP_WORKERS

# What the app runs when a planner changes a setting (its defaults live in model/app/settings.py).
APP_DEFAULT = {"scale": APP_SCALE, "replicates": APP_REPLICATES, "parameter_draws": True, "workers": APP_WORKERS}
