"""A sweep's plan: every (design point, replicate) it runs, each keyed by what determines it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from model.inputs.scenario import ResolvedScenario
from model.inputs.versioning import run_code_version
from model.results.run import replicate_seeds
from model.sweeps.spec import Sweep

Progress = Callable[[int, int], None]  # (design points planned, design points in all)


@dataclass(frozen=True)
class RunTask:
    """One run of the sweep: a design point and a replicate, and the key it is stored under."""

    key: str
    point: int
    replicate: int
    seed: int


def run_key(scenario: ResolvedScenario) -> str:
    """`<run hash>-<code version>`: a change to any resolved value, the scale, the seed or the code that makes
    a run (model/inputs/versioning.py RUN_CODE) is a new run."""
    (seed,) = replicate_seeds(scenario.seed, 1)
    return f"{scenario.run_hash(seed)}-{run_code_version()}"


def plan(sweep: Sweep, progress: Progress | None = None) -> list[RunTask]:
    """Every (point, replicate) of the sweep, in order; design points that coincide share their runs.
    Each point is resolved like a scenario, which takes a while in a large design: `progress` hears of it."""
    seeds = sweep.replicate_seeds()
    tasks = []
    for point in range(len(sweep.points)):
        scenario = sweep.scenario(point, seeds[0])  # resolved once per point: replicates differ in seed and draw
        for replicate, seed in enumerate(seeds):
            run, _ = sweep.replicate_scenario(point, replicate, seed, scenario)
            tasks.append(RunTask(run_key(run), point, replicate, seed))
        if progress:
            progress(point + 1, len(sweep.points))
    return tasks
