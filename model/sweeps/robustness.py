"""`renewal robust`: which policy of a sweep holds up best across the states of the world, and what to learn next.

In EMA Workbench's vocabulary: the levers a sweep varies make the policies (each combination of lever
values is one), and the states of the world are what the planners cannot choose: the values of the
uncertainties it varies, and the replicate, i.e. its seed and, on a base with parameter draws, the
parameter values it drew (replicate i of every design point shares both, so replicate i is one state of
the world for every policy). Regret needs every policy to meet every state: a grid over the levers and
the uncertainties, or levers alone with the replicates as the states; anything else is refused.

For an outcome with a better direction, per policy: its mean and median over the states; its regret in
each state, the shortfall against the best policy in that state (`regrets` of `renewal compare`, 0 for
the best, in the outcome's units); the median, 95th percentile and maximum of its regrets. The policy
with the least maximum regret is the minimax-regret choice (Savage): its worst case, against what could
have been done in that state, is the least bad; the least 95th-percentile regret is the same choice
less swayed by one extreme state. With a satisficing threshold (`>= 500000`: an operator and a number in
the outcome's units, a share as a fraction), each policy's share of the states in which it meets the
threshold (the domain criterion), and the most satisficing policy. Then, per uncertainty, the value of
resolving it before choosing (model/sweeps/information.py).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from model.inputs.errors import InputError
from model.inputs.versioning import code_version
from model.results.comparison import merit, regrets
from model.results.destination import (SUMMARY_FILE, ROBUST_BY, check_robustness_directory, discard,
                                       replace_outputs)
from model.results.outcomes import BY_OUTCOME, HIGH, Outcome, outcome_named
from model.sweeps.cases import DRAWN, cases
from model.sweeps.information import DEFAULT_BINS, evpi, information
from model.sweeps.plan import plan
from model.sweeps.spec import Sweep
from model.sweeps.store import Store
from model.sweeps.threshold import Threshold

POLICIES, REGRET, EVPPI = "robustness", "regret", "evppi"
FILES = (*(f"{name}.{ext}" for name in (POLICIES, REGRET, EVPPI) for ext in ("csv", "parquet")), SUMMARY_FILE)
MARKS = ("minimax_regret", "least_p95_regret", "best_mean", "most_satisficing")  # the choices, by rule
STATE = ["replicate", "seed"]  # with the uncertainties' values, what makes a state of the world


def robust_outcome(name: str) -> Outcome:
    """An outcome of the catalogue that has a better direction (regret needs one)."""
    outcome = outcome_named(name)
    if outcome.better == "neither":
        directed = ", ".join(o.name for o in BY_OUTCOME.values() if o.better != "neither")
        raise InputError("--outcome", name, "has no better direction (it is a choice, not a score), so no policy "
                         f"can regret it; choose one with a direction: {directed}")
    return outcome


def split_keys(sweep: Sweep) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The sweep's varied keys as (levers, uncertainties), by their role in the registry."""
    registry = sweep.resolved_base.registry()
    levers = tuple(k for k in sweep.keys if registry[k].role == "lever")
    uncertainties = tuple(k for k in sweep.keys if registry[k].role == "uncertainty")
    if not levers:
        raise InputError(str(sweep.path), "vary", f"varies no lever (only the uncertainties "
                         f"{', '.join(uncertainties)}): there are no policies to choose between; vary at least one "
                         "key whose role is lever (renewal params lists them)")
    return levers, uncertainties


def check_design(points: pd.DataFrame, levers: tuple[str, ...], uncertainties: tuple[str, ...], where: str) -> None:
    """Refuse unless there are two or more policies and every policy meets every combination of the
    uncertainties' values (the replicates are shared by every point)."""
    policies = points[list(levers)].drop_duplicates()
    if len(policies) < 2:
        raise InputError(where, "vary", "the levers take one combination of values only: there is one policy and "
                         "nothing to choose between; give a lever two or more values")
    if not uncertainties:
        return
    worlds = points[list(uncertainties)].drop_duplicates()
    met = points.drop_duplicates([*levers, *uncertainties]).groupby(list(levers)).size()
    if (met < len(worlds)).any():
        raise InputError(where, "design", f"its {len(policies)} policies (combinations of {', '.join(levers)}) do not "
                         f"each meet the same values of {', '.join(uncertainties)}: one meets {met.min()} of the "
                         f"{len(worlds)} combinations; regret compares the policies state by state, so write "
                         "`design: grid` over the levers and the uncertainties")


def policy_name(values: dict, levers: tuple[str, ...]) -> str:
    """A policy's name from its lever values, by the keys' last part when that is unambiguous:
    'resident_share=0.1, budget=2e+08' (ten significant digits, so that distinct values keep distinct names)."""
    short = [key.rpartition(".")[2] for key in levers]
    names = short if len(set(short)) == len(short) else list(levers)
    return ", ".join(f"{name}={values[key]}" if isinstance(values[key], str) else f"{name}={values[key]:.10g}"
                     for name, key in zip(names, levers))


@dataclass(frozen=True)
class Robustness:
    """Per policy (`policies`), per policy and state (`regret`) and per uncertainty (`evppi`), with what
    produced them (`summary`)."""

    policies: pd.DataFrame
    regret: pd.DataFrame
    evppi: pd.DataFrame
    summary: dict


def assess(runs: pd.DataFrame, levers: tuple[str, ...], uncertainties: tuple[str, ...], outcome: Outcome,
           satisfice: Threshold | None = None, bins: int = DEFAULT_BINS, where: str = "sweep") -> Robustness:
    """The robustness and EVPPI tables from a sweep's cases (`cases`: one row per point and replicate)."""
    check_design(runs, levers, uncertainties, where)
    runs = runs.drop_duplicates([*levers, *uncertainties, "replicate"])  # design points that coincide share runs
    runs = runs.assign(policy=[policy_name(row, levers) for row in runs[list(levers)].to_dict("records")],
                       state=runs.groupby([*uncertainties, *STATE], sort=True).ngroup())
    policies = list(dict.fromkeys(runs["policy"]))
    drawn = [c for c in runs.columns if c.startswith(DRAWN)]
    states = runs.drop_duplicates("state").set_index("state").sort_index()[[*uncertainties, *STATE, *drawn]]
    lever_values = runs.drop_duplicates("policy").set_index("policy")[list(levers)].loc[policies]
    values = runs.pivot(index="state", columns="policy", values=outcome.name)[policies]

    regret = regrets({p: values[[p]].rename(columns={p: outcome.name}) for p in policies}, outcome)
    merits = pd.DataFrame({p: merit(values[p], outcome) for p in policies}, index=values.index)
    table = _policy_table(lever_values, values, regret, merits, satisfice)
    long = pd.concat({"value": values.stack(), "regret": regret.rename_axis(columns="policy").stack()}, axis=1)
    long = states.reset_index().merge(long.reset_index(), on="state").merge(lever_values, on="policy")
    long = long[["state", *uncertainties, *STATE, "policy", *levers, "value", "regret", *drawn]]
    summary = {"outcome": outcome.name, "better": outcome.better, "satisfice": _text(satisfice),
               "levers": list(levers), "uncertainties": list(uncertainties), "policies": len(policies),
               "states": len(states), "replicates": int(states["replicate"].nunique()), "bins": bins,
               "drawn": bool(drawn), "evpi": evpi(merits.to_numpy(float)),
               "constant": [c for c in drawn if states[c].nunique() < 2],
               **{mark: table.loc[table[mark], "policy"].tolist() for mark in MARKS if mark in table}}
    ranking = information(merits, states[[*uncertainties, *drawn]], bins, states["replicate"].to_numpy())
    return Robustness(table, long, ranking, summary)


def _policy_table(lever_values: pd.DataFrame, values: pd.DataFrame, regret: pd.DataFrame, merits: pd.DataFrame,
                  satisfice: Threshold | None) -> pd.DataFrame:
    """One row per policy, least maximum regret first: the lever values, the outcome's mean and median, the
    median, 95th-percentile and maximum regret, the state of the largest regret (none for a policy that is
    best in every state), and the marks (every policy that is best by a rule, when tied)."""
    mean_merit = merits.mean()
    table = lever_values.assign(mean=values.mean(), median=values.median(), median_regret=regret.median(),
                                p95_regret=regret.quantile(HIGH), max_regret=regret.max(),
                                worst_state=regret.idxmax().where(regret.max() > 0).astype("Int64"))
    table["minimax_regret"] = table["max_regret"] == table["max_regret"].min()
    table["least_p95_regret"] = table["p95_regret"] == table["p95_regret"].min()
    table["best_mean"] = mean_merit == mean_merit.max()
    if satisfice is not None:
        table["satisficing_share"] = satisfice(values).mean()
        table["most_satisficing"] = table["satisficing_share"] == table["satisficing_share"].max()
    order = np.lexsort((-mean_merit.to_numpy(), table["p95_regret"].to_numpy(), table["max_regret"].to_numpy()))
    return table.iloc[order].reset_index()


def _text(satisfice: Threshold | None) -> str | None:
    return None if satisfice is None else str(satisfice)


# -------------------------------------------------------------------------------------- from a sweep
def robustness_hash(sweep: Sweep, outcome: Outcome, satisfice: Threshold | None, bins: int, drawn: bool) -> str:
    """What identifies an analysis: the spec, the code (so the runs), the outcome, the rule, the bins, the draws."""
    payload = {"spec": sweep.spec_hash(), "county": sweep.county, "code_version": code_version(),
               "outcome": outcome.name, "satisfice": _text(satisfice), "bins": bins, "drawn": drawn}
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()[:16]


def robust(sweep: Sweep, store: Store, outcome: Outcome, satisfice: Threshold | None = None,
           bins: int = DEFAULT_BINS, drawn: bool = False) -> Robustness:
    """Check the design first (before reading the store), then read the sweep's runs and assess them."""
    if bins < 2:
        raise InputError("--bins", str(bins), "give a whole number >= 2 (bins per uncertainty)")
    levers, uncertainties = split_keys(sweep)
    check_design(pd.DataFrame(list(sweep.points), columns=list(sweep.keys)), levers, uncertainties, str(sweep.path))
    runs = cases(sweep, plan(sweep), store, drawn=drawn)
    result = assess(runs, levers, uncertainties, outcome, satisfice, bins, str(sweep.path))
    registry = sweep.resolved_base.registry()
    named = [*levers, *uncertainties, *(c.removeprefix(DRAWN) for c in result.evppi["dimension"])]
    summary = {**ROBUST_BY, "robustness_hash": robustness_hash(sweep, outcome, satisfice, bins, drawn),
               "sweep": sweep.name, "spec": str(sweep.path), "spec_hash": sweep.spec_hash(), "store": str(store.root),
               "base": sweep.base_name, "design": sweep.design, "scale": sweep.scale, "seed": sweep.seed,
               "county": sweep.county, "parameter_draws": sweep.resolved_base.parameter_draws,
               "code_version": code_version(), **result.summary,
               "labels": {key: registry[key].label.model_dump() for key in dict.fromkeys(named)}}
    return Robustness(result.policies, result.regret, result.evppi, summary)


def write_robustness(result: Robustness, out: Path, force: bool = False) -> Path:
    """Write robustness.csv, regret.csv, evppi.csv (each also as Parquet) and summary.json to `out`: in a
    hidden sibling, then moved into place, keeping what else `out` holds (as `renewal compare` does)."""
    check_robustness_directory(out, result.summary["robustness_hash"], force)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    try:
        ranking = result.evppi.drop(columns=["changed"], errors="ignore")  # changed_bins says it in words
        for name, table in ((POLICIES, result.policies), (REGRET, result.regret), (EVPPI, ranking)):
            table.to_csv(staging / f"{name}.csv", index=False)
            table.to_parquet(staging / f"{name}.parquet", index=False)
        (staging / SUMMARY_FILE).write_text(json.dumps(result.summary, indent=2, ensure_ascii=False),
                                                  encoding="utf-8")
        replace_outputs(staging, out, FILES)
    except BaseException:
        discard(staging, FILES)
        raise
    return out
