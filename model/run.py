"""The one way to run the model: `model.run(scenario, seed=..., scale=..., overrides=...)`.

The CLI, the app, sweeps, calibration and notebooks all call it; there is no second way.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from model.calendar import format_month
from model.compounds import ITEMS, KIND_NAMES, STATUS_NAMES, TRACK_NAMES
from model.measures import MEASURES
from model.params import Params
from model.renewal_model import RenewalModel
from model.scenario import ResolvedScenario, resolve
from model.uncertainty import with_draws
from model.versioning import code_version, package_versions

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
        progress: Progress | None = None, allow_paths: bool = True, parameter_draws: bool | None = None) -> RunResult:
    """Resolve the scenario (a shipped name, a path, a mapping, or already resolved), run each
    replicate, and return its results. With parameter draws (the argument, or else the scenario's
    `parameter_draws: true`), each replicate also draws the uncertain parameters from its seed
    (model/uncertainty.py), so that bands show parameter uncertainty too."""
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
    monthly, compounds, draws, run_hashes = [], [], [], []
    for replicate, run_seed in enumerate(seeds):
        scenario_run, drawn = with_draws(resolved, run_seed) if resolved.parameter_draws else (resolved, None)
        model = _simulate(scenario_run, run_seed, replicate, len(seeds), progress)
        monthly.append(_monthly_table(model, resolved, replicate, run_seed))
        compounds.append(_compound_table(model, replicate))
        draws.append(drawn)
        run_hashes.append(scenario_run.run_hash(run_seed))
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
        "packages": package_versions(),
        "wall_time_s": round(time.perf_counter() - started, 3),
    }
    return RunResult(pd.concat(monthly, ignore_index=True), pd.concat(compounds, ignore_index=True), manifest, resolved)


def _simulate(resolved: ResolvedScenario, seed: int, replicate: int, replicates: int,
              progress: Progress | None) -> RenewalModel:
    params = Params(resolved)
    model = RenewalModel(params, seed)
    months = len(params.months)
    for month in range(months):
        model.step()
        if progress:
            progress(replicate * months + month + 1, replicates * months)
    return model


def _monthly_table(model: RenewalModel, resolved: ResolvedScenario, replicate: int, seed: int) -> pd.DataFrame:
    data = model.datacollector.get_model_vars_dataframe()
    for measure in MEASURES:
        data[measure.name] = data[measure.name].astype(float) / (resolved.scale if measure.scaled else 1.0)
    data.insert(0, "month", [format_month(int(m)) for m in model.p.months])
    data.insert(1, "replicate", replicate)
    data.insert(2, "seed", np.uint64(seed))
    return data[model.p.months >= resolved.start].reset_index(drop=True)


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
        "kind": [KIND_NAMES[k] for k in c.kind[programme]],
        "track": [TRACK_NAMES[t] for t in c.track[programme]],
        "status": [STATUS_NAMES[s] for s in c.status[programme]],
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
