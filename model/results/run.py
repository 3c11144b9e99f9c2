"""The one way to run the model: `model.run(scenario, seed=..., scale=..., overrides=...)`.

The CLI, the app, sweeps, calibration and notebooks all call it; there is no second way (`run_replicate`
is its one replicate, for the calibration's predictive replicates).
"""

from __future__ import annotations

import dataclasses
import functools
import multiprocessing
import os
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

from model.inputs.draws import with_draws
from model.inputs.scenario import ResolvedScenario, resolve
from model.inputs.versioning import run_code_version
from model.results.cache import cached
from model.results.history import Progress, simulate
from model.results.manifest import manifest
from model.results.tables import compound_table, monthly_table


@dataclasses.dataclass
class RunResult:
    """Monthly series and end-of-run compound table (all replicates, real-county units) and a manifest."""

    monthly: pd.DataFrame
    compounds: pd.DataFrame
    manifest: dict
    scenario: ResolvedScenario


def replicate_seeds(seed: int, replicates: int) -> list[int]:
    """One seed per replicate, spawned from one SeedSequence."""
    children = np.random.SeedSequence(seed).spawn(replicates)
    return [int(child.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1)) for child in children]


def run(scenario: str | Path | dict | ResolvedScenario = "baseline", *, seed: int | None = None,
        replicates: int | None = None, scale: float | None = None, overrides: list[str] | dict | None = None,
        progress: Progress | None = None, allow_paths: bool = True, parameter_draws: bool | None = None,
        workers: int = 1, county: str | Path | None = None, reuse: bool = False) -> RunResult:
    """Resolve the scenario (a shipped name, a path, a mapping, or already resolved), run each
    replicate, and return its results. With parameter draws (the argument, or else the scenario's
    `parameter_draws: true`), each replicate also draws the uncertain parameters from its seed
    (model/inputs/draws.py), so that bands show parameter uncertainty too. With `workers` > 1 the
    replicates run in that many worker processes, kept for later calls (same results as serial). `county`
    is a shipped county's name or a county folder (default Dongsheng). With `reuse`, a replicate that the
    process running it finished before with the same values is taken from its memory (`run_replicate`)."""
    started = time.perf_counter()
    if isinstance(scenario, ResolvedScenario):
        if overrides or county is not None:
            raise ValueError("overrides and a county cannot be applied to an already resolved scenario; pass them "
                             "to resolve()")
        changes = {"seed": seed, "replicates": replicates, "scale": scale, "parameter_draws": parameter_draws}
        resolved = dataclasses.replace(scenario, **{k: v for k, v in changes.items() if v is not None})
    else:
        resolved = resolve(scenario, seed=seed, replicates=replicates, scale=scale, overrides=overrides,
                           allow_paths=allow_paths, parameter_draws=parameter_draws, county=county)
    seeds = replicate_seeds(resolved.seed, resolved.replicates)
    if workers > 1:
        pools = _worker_pools(workers)
        futures = [pools[i % workers].submit(run_replicate, resolved, s, i, None, reuse) for i, s in enumerate(seeds)]
        try:
            outcomes = [future.result() for future in futures]
        except BaseException:  # an interrupt (Ctrl-C, SIGTERM) or a failed replicate: no worker runs on
            _stop_pools(workers)
            raise
    else:
        outcomes = [run_replicate(resolved, s, i, progress, reuse) for i, s in enumerate(seeds)]
    monthly, compounds, draws, run_hashes = (list(column) for column in zip(*outcomes))
    return RunResult(pd.concat(monthly, ignore_index=True), pd.concat(compounds, ignore_index=True),
                     manifest(resolved, seeds, run_hashes, draws, started), resolved)


def cached_run(resolved: ResolvedScenario, workers: int = 1) -> RunResult:
    """`run(resolved)`, from the disk cache when it holds this scenario (its hash covers every value, the
    seeds, scale and draws; the key adds the code that makes runs), else run and kept there
    (model/results/cache.py): what lets a restarted app answer a preset at once."""
    return cached("runs", f"{resolved.scenario_hash()}-{run_code_version()}",
                  lambda: run(resolved, workers=workers, reuse=True))


def run_replicate(resolved: ResolvedScenario, seed: int, replicate: int, progress: Progress | None = None,
                  reuse: bool = False) -> tuple[pd.DataFrame, pd.DataFrame, dict | None, str]:
    """One replicate at its own seed (replicate i of `run` runs this at `replicate_seeds(seed, n)[i]`): its
    monthly and compound tables, its parameter draws and its run hash. The calibration's posterior
    predictive calls it to give exactly what replicate i of a run with parameter draws gives. With `reuse`, a
    replicate finished before with the same values (`ResolvedScenario.outcome_hash`: a policy start elsewhere,
    say), in this process or in the disk cache, is not simulated again; without, it always is, so that a check
    of determinism checks."""
    scenario_run, drawn = with_draws(resolved, seed, replicate) if resolved.parameter_draws else (resolved, None)
    if not reuse:
        return *_simulated(scenario_run, resolved, seed, replicate, progress), drawn, scenario_run.run_hash(seed)
    key = f"{scenario_run.outcome_hash(seed)}-{replicate}-{run_code_version()}"
    if key not in FINISHED:
        FINISHED[key] = cached(REPLICATES, key, lambda: _simulated(scenario_run, resolved, seed, replicate, progress))
        while len(FINISHED) > FINISHED_KEPT:
            FINISHED.popitem(last=False)
    FINISHED.move_to_end(key)
    monthly, compounds = FINISHED[key]
    return monthly.copy(), compounds.copy(), drawn, scenario_run.run_hash(seed)


def _simulated(scenario_run: ResolvedScenario, resolved: ResolvedScenario, seed: int, replicate: int,
               progress: Progress | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    model = simulate(scenario_run, seed, replicate, resolved.replicates, progress)
    return monthly_table(model, resolved, replicate, seed), compound_table(model, replicate)


# Finished replicates kept for `reuse`: the latest in this process's memory, and all of them in the disk cache when
# one is set (model/results/cache.py; about 0.06 MB a replicate there at the app's scale), so that a restarted app
# finds the baseline's replicates when a planner moves the policy start.
REPLICATES = "replicates"
FINISHED_KEPT = 64
FINISHED: OrderedDict[str, tuple[pd.DataFrame, pd.DataFrame]] = OrderedDict()


def background_replicate(resolved: ResolvedScenario, seed: int, replicate: int, workers: int) -> Future:
    """Replicate `replicate` of `resolved` (`run_replicate`) in a kept background process at the lowest CPU
    priority: the operating system gives the foreground workers the cores they need and the background
    what is left, so a run that a reader waits for is not slowed by one that sharpens an answer."""
    return _background_pools(workers)[replicate % workers].submit(run_replicate, resolved, seed, replicate)


@functools.cache
def _worker_pools(workers: int) -> list[ProcessPoolExecutor]:
    """One single-process pool per worker, kept for the life of this process: replicate i always runs
    in pool i mod workers, so each worker finds the histories of its own replicates again."""
    return _single_process_pools(workers, _die_with_parent)


# How far background workers yield the CPU (Unix niceness: 19, the lowest priority, by default); a test suite,
# whose every process is foreground work, sets 0 so that its background replicates are not starved.
NICENESS_ENV = "RENEWAL_BACKGROUND_NICENESS"


@functools.cache
def _background_pools(workers: int) -> list[ProcessPoolExecutor]:
    """The background's own pools, like the workers' but at a low priority (`background_replicate`)."""
    return _single_process_pools(workers, _in_background, int(os.environ.get(NICENESS_ENV, "19")))


def _single_process_pools(workers: int, initializer, *args) -> list[ProcessPoolExecutor]:
    context = multiprocessing.get_context("spawn")
    return [ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=initializer,
                                initargs=(os.getpid(), *args)) for _ in range(workers)]


def _in_background(parent: int, niceness: int) -> None:
    """In a background worker: a low CPU priority, and exit with the process that started it."""
    os.nice(niceness)
    _die_with_parent(parent)


def warm_workers(workers: int) -> None:
    """Start the kept worker processes now, without waiting for them: each imports the model (a second or
    two) while nothing needs it yet, so the first run that does finds them ready. The app calls this once
    its first screen is drawn from the disk cache."""
    if workers > 1:
        for pool in _worker_pools(workers):
            pool.submit(_ready)


def _ready() -> bool:
    """What a warming worker runs: nothing, once this module (and so the model) is imported."""
    return True


def _stop_pools(workers: int) -> None:
    """End the worker processes now (their queued replicates are dropped) and forget the pools; the next
    call starts new ones. Python 3.12's executor has no public way to stop a running worker."""
    for pool in _worker_pools(workers):
        for process in list(pool._processes.values()):
            process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
    _worker_pools.cache_clear()


def _die_with_parent(parent: int) -> None:
    """In a worker: exit once the process that started it is gone (killed outright, say), instead of
    running on as an orphan."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="watch-parent").start()
