"""County renewal model: a Mesa agent-based what-if simulator of county-scale urban renewal.

The one entry point is `model.run(scenario, seed=..., scale=..., overrides=...)`.
"""

from model.results.run import RunResult, run

__all__ = ["RunResult", "run"]
