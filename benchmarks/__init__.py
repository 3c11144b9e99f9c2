"""Speed and memory of the county model, measured: `make bench` (python -m benchmarks.run).

Timings live here, never in unit tests. Each figure is reported against its target from issue 7;
the targets are goals to report on, not assertions.
"""

# What the app runs when a planner changes a setting; the app helper aligns with this one constant.
APP_DEFAULT = {"scale": 0.05, "replicates": 8}
