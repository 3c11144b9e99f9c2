"""A sweep's summary: every run's headline outcomes, each design point's mean and 5-95% band over its
replicates, and Sobol' or Morris indices per outcome when the design is `sobol` or `morris`.

The indices are computed on each point's mean over replicates, so replicate noise averages out
before the analysis; they use the design as sampled (before whole numbers and months are rounded).
They are printed with their 95% intervals, and with plain warnings when they cannot be read
(model/sweeps/trust.py). summary.json also holds what produced the sweep (the base scenario, hashes,
period, seeds, packages, the summed wall time of its runs), which the sweep report shows.
Everything is written as CSV under STORE/sweeps/<name>/ and recomputed from the store on every
invocation, so it always describes every stored run of the sweep.
"""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from SALib.analyze import morris, sobol

from model.inputs.registry import load_registry
from model.inputs.calendar import format_month
from model.inputs.versioning import code_version, package_versions
from model.results.outcomes import HIGH, LOW, OUTCOMES
from model.sweeps.cases import NAMES, stored_runs
from model.sweeps.plan import RunTask
from model.sweeps.spec import Sweep
from model.sweeps.store import Store
from model.sweeps.trust import CONFIDENCE, noise_warnings, sample_warnings


BAND = (LOW, HIGH)
STATISTICS = {"sobol": ["S1", "S1_conf", "ST", "ST_conf"], "morris": ["mu", "mu_star", "sigma", "mu_star_conf"]}


@dataclass
class Summary:
    runs: pd.DataFrame             # one row per (point, replicate): values, status, error, outcomes
    points: pd.DataFrame           # one row per design point: values, runs ok/failed, statistic (median) and p05/p95 per outcome
    indices: pd.DataFrame | None   # one row per (outcome, key) for sobol and morris designs
    note: str                      # why there are no indices, when the design would allow them
    directory: Path
    warnings: list[str]            # why the indices or the differences between points may not be read as they stand


def summarise(sweep: Sweep, tasks: list[RunTask], store: Store) -> Summary:
    """Summarise the sweep's stored runs and write points.csv, runs.csv, indices.csv, spec.yaml, summary.json."""
    values = pd.DataFrame(list(sweep.points), columns=list(sweep.keys)).rename_axis("point").reset_index()
    runs = stored_runs(sweep, tasks, store)
    points = _points(values, runs)
    indices, note = _indices(sweep, points)
    cautions = sample_warnings(sweep.design, sweep.shape.samples, indices) + noise_warnings(runs, NAMES)

    directory = store.sweep_dir(sweep.name)
    readable = runs.assign(error=runs["error"].map(error_line, na_action="ignore"))
    store.write_csv(directory / "runs.csv", readable)
    store.write_csv(directory / "points.csv", points)
    if indices is not None:
        store.write_csv(directory / "indices.csv", indices)
    store.write_text(directory / "spec.yaml", sweep.text)
    county = load_registry(sweep.county or None).county
    base = sweep.resolved_base
    store.write_json(directory / "summary.json", {
        "county": {"name": county.name, "zh": county.labels.zh, "en": county.labels.en, "directory": str(county.directory)},
        "sweep": sweep.name, "description": sweep.description, "spec": str(sweep.path), "spec_hash": sweep.spec_hash(),
        "base": sweep.base_name, "design": sweep.design, "design_text": sweep.shape.text(sweep.replicates),
        "shape": dataclasses.asdict(sweep.shape),
        "vary": sweep.vary, "keys": list(sweep.keys), "points": len(sweep.points),
        "replicates": sweep.replicates, "seed": sweep.seed, "scale": sweep.scale, "policy_start": sweep.policy_start,
        # what the report's manifest shows: the base scenario as the sweep ran it, and its runs' wall time
        "scenario": base.name, "files": list(base.files), "scenario_hash": base.scenario_hash(),
        "registry_hash": base.registry_hash, "seeds": sweep.replicate_seeds(), "start": format_month(base.start),
        "end": format_month(base.end), "parameter_draws": base.parameter_draws,
        "wall_time_s": round(float(runs.drop_duplicates("run_key")["wall_time_s"].sum()), 3),
        "packages": dict(package_versions()),
        "runs": len(runs), "runs_ok": int((runs["status"] == "ok").sum()),
        "runs_failed": int((runs["status"] == "failed").sum()), "code_version": code_version(),
        "band": list(BAND), "indices_note": note, "warnings": cautions,
        "outcomes": {o.name: {"measure": o.measure, "window": o.window, "until": o.until, "statistic": o.statistic,
                              "kind": o.kind, "better": o.better, "en": o.en, "zh": o.zh} for o in OUTCOMES},
    })
    return Summary(runs, points, indices, note, directory, cautions)


def _points(values: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame:
    ok = runs[runs["status"] == "ok"].groupby("point")[NAMES]
    centre = {"median": ok.median(), "mean": ok.mean()}
    low, high = ok.quantile(BAND[0]), ok.quantile(BAND[1])
    columns = {}
    for o in OUTCOMES:
        columns[f"{o.name}_{o.statistic}"] = centre[o.statistic][o.name]
        columns[f"{o.name}_p05"], columns[f"{o.name}_p95"] = low[o.name], high[o.name]
    counts = runs.groupby("point")["status"].agg(runs_ok=lambda s: int((s == "ok").sum()),
                                                 runs_failed=lambda s: int((s != "ok").sum()))
    table = values.set_index("point").join(counts).join(pd.DataFrame(columns))
    return table.reset_index()


def _indices(sweep: Sweep, points: pd.DataFrame) -> tuple[pd.DataFrame | None, str]:
    """Sobol' (S1, ST) or Morris (mu, mu*, sigma) indices of each outcome, keyed by registry key."""
    if sweep.design not in STATISTICS:
        return None, ""
    missing = int(points[statistic_column(OUTCOMES[0])].isna().sum())
    if missing:
        return None, f"no {sweep.design} indices: {missing} design point(s) have no successful run"
    rows = []
    for outcome in OUTCOMES:
        name = outcome.name
        y = points[statistic_column(outcome)].to_numpy(dtype=float)
        result = analyse(sweep.design, sweep.problem, sweep.nominal, y, sweep.levels, sweep.seed)
        for i, key in enumerate(sweep.keys):
            rows.append({"outcome": name, "key": key,
                         **{stat: float(result[stat][i]) for stat in STATISTICS[sweep.design]}})
    return pd.DataFrame(rows), ""


def analyse(design: str, problem: dict, nominal: np.ndarray, y: np.ndarray, levels: int, seed: int) -> dict:
    """SALib's Sobol' (first and total order) or Morris analysis of one outcome over the design as sampled."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")  # SALib warns when an outcome does not vary; its indices are NaN
        if design == "sobol":
            return sobol.analyze(problem, y, calc_second_order=False, seed=seed)
        return morris.analyze(problem, nominal, y, num_levels=levels, seed=seed)


def statistic_column(outcome) -> str:
    """The points.csv column with an outcome's statistic over a point's replicates (e.g. population_end_median)."""
    return f"{outcome.name}_{outcome.statistic}"


def error_line(error: str) -> str:
    """The exception line of a traceback: what a table of runs shows (the index keeps the traceback)."""
    lines = [line for line in str(error).splitlines() if line.strip()]
    return lines[-1] if lines else ""


def format_summary(sweep: Sweep, summary: Summary) -> str:
    """The short table `renewal sweep` prints: indices when there are any, else each outcome's spread over points."""
    cautions = "".join(f"\nwarning: {warning}" for warning in summary.warnings)
    if summary.indices is not None:
        statistic, conf = CONFIDENCE[sweep.design]
        cells = summary.indices.assign(cell=[f"{_number(v)} ± {_number(c)}" for v, c in
                                             zip(summary.indices[statistic], summary.indices[conf])])
        table = cells.pivot(index="outcome", columns="key", values="cell").loc[NAMES]
        title = {"ST": "Total-order Sobol' index ST (share of the variance of each outcome due to each key)",
                 "mu_star": "Morris mu* (mean absolute elementary effect, in the outcome's units)"}[statistic]
        return f"{title} ± its 95% interval:\n{table.to_string()}{cautions}"
    centres = summary.points[[statistic_column(o) for o in OUTCOMES]].set_axis(NAMES, axis=1)
    spread = pd.DataFrame({"lowest": centres.min(), "median": centres.median(), "highest": centres.max()})
    text = f"Median over replicates at each design point, across the {len(summary.points)} point(s):\n"
    text += spread.to_string(float_format=_number)
    return text + (f"\n{summary.note}" if summary.note else "") + cautions


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
