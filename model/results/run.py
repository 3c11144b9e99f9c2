"""The one way to run the model: `model.run(scenario, seed=..., scale=..., overrides=...)`.

The CLI, the app, sweeps, calibration and notebooks all call it; there is no second way.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import hashlib
import json
import multiprocessing
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

from model.inputs.calendar import format_month
from model.inputs.draws import with_draws
from model.inputs.params import Params
from model.inputs.scenario import ResolvedScenario, resolve
from model.inputs.versioning import code_version, package_versions
from model.simulation.compounds import ITEMS, Kind, Status, Track, names
from model.simulation.measures import MEASURES
from model.simulation.model import RenewalModel

Progress = Callable[[int, int], None]  # (months done, months in all)


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
        workers: int = 1) -> RunResult:
    """Resolve the scenario (a shipped name, a path, a mapping, or already resolved), run each
    replicate, and return its results. With parameter draws (the argument, or else the scenario's
    `parameter_draws: true`), each replicate also draws the uncertain parameters from its seed
    (model/inputs/draws.py), so that bands show parameter uncertainty too. With `workers` > 1 the
    replicates run in that many worker processes, kept for later calls (same results as serial)."""
    started = time.perf_counter()
    if isinstance(scenario, ResolvedScenario):
        if overrides:
            raise ValueError("overrides cannot be applied to an already resolved scenario; pass them to resolve()")
        changes = {"seed": seed, "replicates": replicates, "scale": scale, "parameter_draws": parameter_draws}
        resolved = dataclasses.replace(scenario, **{k: v for k, v in changes.items() if v is not None})
    else:
        resolved = resolve(scenario, seed=seed, replicates=replicates, scale=scale, overrides=overrides,
                           allow_paths=allow_paths, parameter_draws=parameter_draws)
    seeds = replicate_seeds(resolved.seed, resolved.replicates)
    if workers > 1:
        pools = _worker_pools(workers)
        futures = [pools[i % workers].submit(_replicate, resolved, s, i) for i, s in enumerate(seeds)]
        outcomes = [future.result() for future in futures]
    else:
        outcomes = [_replicate(resolved, s, i, progress) for i, s in enumerate(seeds)]
    monthly, compounds, draws, run_hashes = (list(column) for column in zip(*outcomes))
    manifest = {
        "scenario": resolved.name,
        "description": resolved.description,
        "files": list(resolved.files),
        "scenario_hash": resolved.scenario_hash(),
        "run_hashes": run_hashes,
        "parameter_draws": draws if resolved.parameter_draws else None,
        "registry_hash": resolved.registry_hash,
        "code_version": code_version(),
        "seed": resolved.seed,
        "seeds": seeds,
        "replicates": resolved.replicates,
        "scale": resolved.scale,
        "start": format_month(resolved.start),
        "end": format_month(resolved.end),
        "policy_start": format_month(resolved.policy_start),
        "levers": resolved.levers,
        "uncertainties": resolved.uncertainties,
        "timeline": list(resolved.timeline),
        "changed_parameters": resolved.changed_keys(),
        "resolved": resolved.canonical(),
        "packages": dict(package_versions()),  # a copy: the lookup is cached
        "wall_time_s": round(time.perf_counter() - started, 3),
    }
    return RunResult(pd.concat(monthly, ignore_index=True), pd.concat(compounds, ignore_index=True), manifest, resolved)


# Histories: the state of a run at its policy start, kept in this process. A what-if that agrees with
# an earlier run on every value before its policy start has the same history, so it resumes from there
# instead of replaying it (results are identical; tested). This is what makes the app answer quickly.
HISTORIES_KEPT = 64
_histories: OrderedDict[str, RenewalModel] = OrderedDict()


def _history_key(resolved: ResolvedScenario, seed: int, month: int) -> str:
    """Everything that determines a run up to `month` (its policy start, or its end if that is earlier)."""
    before = {key: [[m, v] for m, v in schedule if m < month]
              for key, schedule in sorted(resolved.schedules.items())}
    payload = json.dumps([before, month, resolved.scale, int(seed), code_version()])
    return hashlib.sha256(payload.encode()).hexdigest()


def _replicate(resolved: ResolvedScenario, seed: int, replicate: int,
               progress: Progress | None = None) -> tuple[pd.DataFrame, pd.DataFrame, dict | None, str]:
    """One replicate: its monthly and compound tables, its parameter draws and its run hash."""
    scenario_run, drawn = with_draws(resolved, seed) if resolved.parameter_draws else (resolved, None)
    model = _simulate(scenario_run, seed, replicate, resolved.replicates, progress)
    return (_monthly_table(model, resolved, replicate, seed), _compound_table(model, replicate), drawn,
            scenario_run.run_hash(seed))


@functools.cache
def _worker_pools(workers: int) -> list[ProcessPoolExecutor]:
    """One single-process pool per worker, kept for the life of this process: replicate i always runs
    in pool i mod workers, so each worker finds the histories of its own replicates again."""
    context = multiprocessing.get_context("spawn")
    return [ProcessPoolExecutor(max_workers=1, mp_context=context) for _ in range(workers)]


def _simulate(resolved: ResolvedScenario, seed: int, replicate: int, replicates: int,
              progress: Progress | None) -> RenewalModel:
    params = Params(resolved)
    months = len(params.months)
    history = min(max(resolved.policy_start - params.first_month, 0), months)
    key = _history_key(resolved, seed, params.first_month + history)
    if history and key in _histories:
        model = copy.deepcopy(_histories[key])
        model.continue_with(params)
        _histories.move_to_end(key)
    else:
        model = RenewalModel(params, seed)
    for month in range(model.p.t, months):
        if month == history and history and key not in _histories:
            _histories[key] = copy.deepcopy(model)
            while len(_histories) > HISTORIES_KEPT:
                _histories.popitem(last=False)
        model.step()
        if progress:
            progress(replicate * months + month + 1, replicates * months)
    return model


def _monthly_table(model: RenewalModel, resolved: ResolvedScenario, replicate: int, seed: int) -> pd.DataFrame:
    measures = np.vstack(model.datacollector.model_vars["measures"])
    per_scale = np.array([resolved.scale if m.scaled else 1.0 for m in MEASURES])
    shown = model.p.months >= resolved.start
    data = pd.DataFrame(measures[shown] / per_scale, columns=[m.name for m in MEASURES])
    data.insert(0, "month", [format_month(int(m)) for m in model.p.months[shown]])
    data.insert(1, "replicate", replicate)
    data.insert(2, "seed", np.uint64(seed))
    return data


def _compound_table(model: RenewalModel, replicate: int) -> pd.DataFrame:
    """The compounds at the end of the run: kind, status, cost split, dates, who lives there."""
    c = model.compounds
    households, persons = model.census.households, model.census.persons
    programme = c.in_programme

    def when(months: np.ndarray) -> list:
        return [format_month(int(model.p.months[m])) if m >= 0 else None for m in months[programme]]

    table = pd.DataFrame({
        "replicate": replicate,
        "compound": np.flatnonzero(programme),
        **{column: [labels[v] for v in values[programme]] for column, labels, values in
           (("kind", names(Kind), c.kind), ("track", names(Track), c.track), ("status", names(Status), c.status))},
        "urgency": c.urgency[programme],
        "households_at_start": c.households_at_start[programme],
        "households_now": households[programme],
        "persons_now": persons[programme],
        "floor_area_m2": c.floor_area[programme],
        "relative_income": model.relative_income()[programme],
        **{f"problem_{item}": c.problems[programme, i] for i, item in enumerate(ITEMS)},
        **{f"item_{item}": c.chosen[programme, i] for i, item in enumerate(ITEMS)},
        "listed_month": when(c.listed_month),
        "collecting_month": when(c.collecting_month),
        "funded_month": when(c.funded_month),
        "works_month": when(c.works_month),
        "renovated_month": when(c.renovated_month),
        "renovations": c.renovations[programme],
        "cost_yuan": c.cost[programme],
        "resident_share_yuan": c.resident_share[programme],
        "government_share_yuan": c.government_share[programme],
        "cost_total_yuan": c.cost_total[programme],
        "resident_total_yuan": c.resident_total[programme],
        "government_total_yuan": c.government_total[programme],
        "households_covered": c.households_covered[programme],
        "persons_covered": c.persons_covered[programme],
    })
    return table
