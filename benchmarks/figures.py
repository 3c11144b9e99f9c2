"""The figures of issue 7, one function each; all of them call `model.run` or the model's own classes."""

from __future__ import annotations

import cProfile
import gc
import pstats
import sys
import tempfile
import time
import tracemalloc
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

import model
from benchmarks import APP_DEFAULT
from benchmarks.reference import DecisionsOnly, ReferenceCounty, scale_for
from benchmarks.timing import ProcessRun, Stat, Timed, repeat, run_process
from model.inputs.params import Params
from model.inputs.scenario import resolve
from model.simulation.model import RenewalModel

SEED = 20140101


# ------------------------------------------------------------------------------------------ full scale
def full_scale_model(times: int) -> Timed:
    """`model.run("baseline")` at scale 1.0, 2014-01..2035-12: the county built, every month, tables in memory."""
    return repeat(lambda: model.run("baseline"), times)


def full_scale_process(times: int, root: Path) -> list[ProcessRun]:
    """`renewal run` in a fresh interpreter: start, imports, the run, Parquet and manifest written."""
    runs = []
    with tempfile.TemporaryDirectory() as out:
        for i in range(times):
            runs.append(run_process([sys.executable, "-m", "model.cli", "run", "--quiet", "--out", f"{out}/{i}"],
                                    cwd=str(root)))
    return runs


# ------------------------------------------------------------------------------------------ scaling
def scaling(repeats: dict[float, int]) -> list[dict]:
    """Seconds per month against the number of agents (households, resident or away, and businesses,
    averaged over the run), for the baseline at each scale."""
    rows = []
    for scale, times in repeats.items():
        per_step, agents = [], []
        for _ in range(times):
            params = Params(resolve("baseline", scale=scale))
            county = RenewalModel(params, SEED)
            spent, counted = 0.0, 0
            for _ in range(len(params.months)):
                started = time.perf_counter()
                county.step()
                spent += time.perf_counter() - started
                counted += np.count_nonzero(county.households.live) + np.count_nonzero(county.businesses.live)
            per_step.append(spent / len(params.months))
            agents.append(counted / len(params.months))
        rows.append({"scale": scale, "agents": float(np.mean(agents)), "step": Stat.of(per_step)})
    return rows


def exponent(rows: list[dict]) -> float:
    """Slope of log(time per step) on log(agents): 1 is linear."""
    return float(np.polyfit(np.log([r["agents"] for r in rows]), np.log([r["step"].median for r in rows]), 1)[0])


# ------------------------------------------------------------------------------------------ the peer
def peer(households: int, months: int) -> dict:
    """The decision step, vectorised and per-object (benchmarks/reference.py), from the same county, timed
    month by month side by side in this process."""
    scenario = resolve("baseline", scale=scale_for(households))
    vectorised = DecisionsOnly(Params(scenario), SEED)
    county = DecisionsOnly(Params(scenario), SEED)
    started = time.perf_counter()
    reference = ReferenceCounty(county, SEED)
    built = time.perf_counter() - started
    agents_mb = _allocated_mb(lambda: ReferenceCounty(DecisionsOnly(Params(scenario), SEED), SEED))
    vectorised_s, reference_s = [], []
    for _ in range(months):
        started = time.perf_counter()
        vectorised.step()
        vectorised_s.append(time.perf_counter() - started)
        started = time.perf_counter()
        reference.step()
        reference_s.append(time.perf_counter() - started)
    vec, ref = Stat.of(vectorised_s), Stat.of(reference_s)
    return {"households": int(np.count_nonzero(vectorised.households.live)), "agents": len(reference.agents),
            "vectorised": vec, "reference": ref, "ratio": ref.median / vec.median, "reference_build_s": built,
            "reference_mb": agents_mb}


def _allocated_mb(build) -> float:
    """Memory held by what `build` returns (traced Python allocations), in MB."""
    tracemalloc.start()
    try:
        built = build()  # noqa: F841 - held while measuring
        gc.collect()  # what was only needed to build it (cycles through Mesa's registries)
        return tracemalloc.get_traced_memory()[0] / 1024**2
    finally:
        tracemalloc.stop()


# ------------------------------------------------------------------------------------------ app and sweeps
def app_default(times: int) -> Timed:
    """A planner moves a slider: a lever changed from the policy start, at the app's default scale,
    replicates and workers, after the baseline has run once (as the app runs it first); results in
    memory. Each repeat sets another value, so nothing comes from a cache of results."""
    model.run("baseline", **APP_DEFAULT)
    values = iter(range(900, 900 + 50 * (times + 1), 50))
    return repeat(lambda: model.run({"extends": "baseline", "levers": {"stalls.supply": next(values)}}, **APP_DEFAULT),
                  times)


def _sweep_run(seed: int) -> int:
    return len(model.run("baseline", scale=0.1, seed=seed).monthly)


def sweep_throughput(runs: int) -> dict:
    """Runs per minute at scale 0.1: a plain loop of `model.run`, and two worker processes."""
    started = time.perf_counter()
    for seed in range(runs):
        _sweep_run(seed)
    serial = time.perf_counter() - started
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=2) as pool:
        list(pool.map(_sweep_run, range(runs)))
    pooled = time.perf_counter() - started
    return {"runs": runs, "serial_per_min": 60 * runs / serial, "pool_per_min": 60 * runs / pooled}


# ------------------------------------------------------------------------------------------ profiles
PHASES = ("RenewalModel.__init__", "observe_county", "live_and_move", "take_census", "renovate",
          "trade", "run_stall_markets", "settle_disputes", "collect", "_monthly_table", "_compound_table")


def profile(call) -> pstats.Stats:
    profiler = cProfile.Profile()
    profiler.enable()
    call()
    profiler.disable()
    return pstats.Stats(profiler)


def where_time_goes(stats: pstats.Stats, names: tuple[str, ...], total_name: str) -> list[tuple[str, float, float]]:
    """(function, cumulative seconds under the profiler, share of `total_name`) for the named functions."""
    package = str(Path(model.__file__).parent)
    cumulative = {}
    for (path, _, name), (_, _, _, ct, _) in stats.stats.items():
        if path.startswith(package):
            key = "RenewalModel.__init__" if name == "__init__" and path.endswith("renewal_model.py") else name
            cumulative[key] = cumulative.get(key, 0.0) + ct
    total = cumulative[total_name]
    return [(name, cumulative.get(name, 0.0), cumulative.get(name, 0.0) / total) for name in names]


def hottest(stats: pstats.Stats, count: int) -> list[tuple[str, int, float]]:
    """The functions with the most time of their own: (where, calls, seconds)."""
    rows = sorted(stats.stats.items(), key=lambda item: -item[1][2])[:count]
    return [(f"{Path(path).name}:{name}" if path != "~" else name, nc, tt) for (path, _, name), (_, nc, tt, _, _) in rows]


def profile_run(scale: float) -> pstats.Stats:
    return profile(lambda: model.run("baseline", scale=scale))


RULE_MODULES = ("households.py", "businesses.py", "params.py")


def share_in_rules(stats: pstats.Stats) -> float:
    """Share of the profiled time the per-object agents spend inside the shared rule functions and
    parameter look-ups they call (NumPy working on single numbers)."""
    package = str(Path(model.__file__).parent)
    total = sum(tt for (_, _, _), (_, _, tt, _, _) in stats.stats.items())
    inside = sum(by_caller[3] for (path, _, _), (_, _, _, _, callers) in stats.stats.items()
                 if path.startswith(package) and path.endswith(RULE_MODULES)
                 for (caller, _, _), by_caller in callers.items() if caller.endswith("reference.py"))
    return inside / total


def profile_reference(households: int, months: int) -> tuple[pstats.Stats, int]:
    reference = ReferenceCounty(DecisionsOnly(Params(resolve("baseline", scale=scale_for(households))), SEED), SEED)

    def step():
        for _ in range(months):
            reference.step()

    return profile(step), len(reference.agents)
