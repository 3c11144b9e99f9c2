"""`renewal compare`: is policy A better than policy B, and how sure are we?

Every policy runs on the same seeds and parameter draws, at one policy start, over one period, on one
county: replicate i of A and replicate i of B differ only by the policies, so each replicate is a paired
trial. Per outcome and ordered pair of policies (A, B):
- the probability that A beats B: the share of replicates in which A's value is better than B's in the
  outcome's `better` direction, a tie counting half (so P(A beats B) + P(B beats A) = 1); an outcome
  with no better direction (money spent is a choice, not a score) has none;
- the paired difference A - B: the outcome's statistic of the replicates' differences with their 5-95%
  band, within noise when the band contains zero (the one paired difference; `renewal effects` uses it).
Per policy and outcome with a direction, the regret: in each replicate, how far the policy falls short
of the best policy in that replicate (0 for the best, in the outcome's units), as its median and 95th
percentile; the policy with the lowest 95th percentile is the one whose bad cases are least bad.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import dataclass
from itertools import permutations
from pathlib import Path

import numpy as np
import pandas as pd

from model.inputs.calendar import format_month
from model.inputs.errors import InputError
from model.inputs.scenario import ResolvedScenario, resolve
from model.results.destination import (COMPARED_BY, SUMMARY_FILE, check_comparison_directory, discard,
                                       replace_outputs)
from model.results.outcomes import BY_OUTCOME, HIGH, Outcome, outcome_table, paired_difference, what_if_period
from model.results.run import run

PAIRS, REGRET = "comparison", "regret"
FILES = (f"{PAIRS}.csv", f"{PAIRS}.parquet", f"{REGRET}.csv", f"{REGRET}.parquet", SUMMARY_FILE)


def merit(values: pd.Series | np.ndarray, outcome: Outcome) -> np.ndarray:
    """The values signed so that more is better (an outcome whose `better` is lower is negated)."""
    return np.asarray(values, dtype=float) * (-1.0 if outcome.better == "lower" else 1.0)


def probability_better(values: pd.Series | np.ndarray, other: pd.Series | np.ndarray, outcome: Outcome) -> float | None:
    """The share of paired replicates in which `values` beats `other`, a tie counting half; None for an
    outcome with no better direction."""
    if outcome.better == "neither":
        return None
    ahead = merit(values, outcome) - merit(other, outcome)
    return float(np.mean((ahead > 0) + 0.5 * (ahead == 0)))


def regrets(tables: dict[str, pd.DataFrame], outcome: Outcome) -> pd.DataFrame:
    """One row per replicate, one column per policy: its shortfall against the best policy of that
    replicate, in the outcome's units (0 for the best, never negative)."""
    merits = pd.DataFrame({policy: merit(table[outcome.name], outcome) for policy, table in tables.items()},
                          index=next(iter(tables.values())).index)
    return merits.rsub(merits.max(axis=1), axis=0)


def pairs_table(tables: dict[str, pd.DataFrame], outcomes: tuple[Outcome, ...]) -> pd.DataFrame:
    """Per outcome and ordered pair of policies (policy, other): the probability that the policy beats the
    other (NaN with no better direction) and the paired difference policy - other with its band."""
    rows = []
    for o in outcomes:
        for policy, other in permutations(tables, 2):
            a, b = tables[policy][o.name], tables[other][o.name]
            change, low, high, noise = paired_difference(a, b, o)
            probability = probability_better(a, b, o)
            rows.append({"outcome": o.name, "policy": policy, "other": other, "better": o.better,
                         "probability_better": np.nan if probability is None else probability,
                         "difference": change, "difference_low": low, "difference_high": high, "within_noise": noise})
    return pd.DataFrame(rows)


def regret_table(tables: dict[str, pd.DataFrame], outcomes: tuple[Outcome, ...]) -> pd.DataFrame:
    """Per outcome with a better direction and policy: the median and 95th-percentile regret across the
    replicates, and whether the policy has the lowest 95th percentile (all of them, when tied)."""
    rows = []
    for o in (o for o in outcomes if o.better != "neither"):
        by_policy = regrets(tables, o)
        median, p95 = by_policy.median(), by_policy.quantile(HIGH)
        rows += [{"outcome": o.name, "policy": policy, "median_regret": float(median[policy]),
                  "p95_regret": float(p95[policy]), "least_regret": bool(p95[policy] == p95.min())}
                 for policy in by_policy.columns]
    return pd.DataFrame(rows, columns=["outcome", "policy", "median_regret", "p95_regret", "least_regret"])


# ------------------------------------------------------------------------------------------ running
def paired_policies(names: list[str], *, scale: float, replicates: int, seed: int, parameter_draws: bool,
                    county: str | Path | None = None) -> tuple[ResolvedScenario, ...]:
    """The policies resolved on one county with the same seed, replicates, scale and draws; refused unless
    there are two or more, each named once, with one policy start and one period (else they are not paired)."""
    if len(names) < 2:
        raise InputError("compare", None, f"only one policy given ({', '.join(names)}); compare needs two or more")
    policies = tuple(resolve(name, scale=scale, replicates=replicates, seed=seed, parameter_draws=parameter_draws,
                             county=county) for name in names)
    first, named = policies[0], {}
    for policy in policies:
        if policy.name in named:
            raise InputError(f"{named[policy.name]}, {policy.files[0]}", "name", f"two policies are named "
                             f"{policy.name}; give each policy once, under its own name")
        named[policy.name] = policy.files[0]
        for key in ("policy_start", "start", "end"):
            if getattr(policy, key) != getattr(first, key):
                raise InputError(f"{first.files[0]}, {policy.files[0]}", key, f"{first.name} has "
                                 f"{format_month(getattr(first, key))}, {policy.name} {format_month(getattr(policy, key))}: "
                                 "the policies compared must share their policy start and run period, so that their "
                                 "replicates are paired")
    return policies


def chosen_outcomes(policies: tuple[ResolvedScenario, ...], requested: list[str] | None = None) -> tuple[Outcome, ...]:
    """The outcomes asked for (--outcome), else every outcome that a policy names as answering its question,
    in order, each once."""
    if requested:
        named = [("--outcome", name) for name in requested]
    else:
        named = [(policy.files[0], name) for policy in policies for name in policy.outcomes]
    for where, name in named:
        if name not in BY_OUTCOME:
            raise InputError(where, "outcomes" if where != "--outcome" else None,
                             f"unknown outcome {name!r}; choose from {', '.join(BY_OUTCOME)}")
    if not named:
        raise InputError(", ".join(p.files[0] for p in policies), "outcomes", "no policy names the outcomes "
                         "that answer its question; give them with --outcome")
    return tuple(BY_OUTCOME[name] for name in dict.fromkeys(name for _, name in named))


def comparison_hash(policies: tuple[ResolvedScenario, ...], outcomes: tuple[Outcome, ...]) -> str:
    """What identifies a comparison: its policies' scenario hashes (seeds, replicates, scale and draws
    included) in order, and its outcomes."""
    payload = {"policies": [p.scenario_hash() for p in policies], "outcomes": [o.name for o in outcomes]}
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Comparison:
    """The pairs and regret tables of a comparison, what reproduces it (`summary`), and each policy's
    outcome table (one row per replicate) that both were computed from."""

    pairs: pd.DataFrame
    regret: pd.DataFrame
    summary: dict
    values: dict[str, pd.DataFrame]


def compare(policies: tuple[ResolvedScenario, ...], outcomes: tuple[Outcome, ...], workers: int = 1) -> Comparison:
    """Run every policy (from `paired_policies`) and compare them on the outcomes."""
    results = {policy.name: run(policy, workers=workers) for policy in policies}
    first = next(iter(results.values())).manifest
    period = what_if_period(first)
    tables = {name: outcome_table(result.monthly, period, outcomes) for name, result in results.items()}
    record = {**COMPARED_BY, "comparison_hash": comparison_hash(policies, outcomes),
               "policies": [{"name": name, "files": r.manifest["files"], "scenario_hash": r.manifest["scenario_hash"]}
                            for name, r in results.items()],
               "outcomes": [o.name for o in outcomes], "period": list(period),
               **{key: first[key] for key in ("policy_start", "start", "end", "seed", "seeds", "replicates", "scale",
                                              "registry_hash", "code_version")},
               "parameter_draws": policies[0].parameter_draws, "county": first["county"]["name"]}
    return Comparison(pairs_table(tables, outcomes), regret_table(tables, outcomes), record, tables)


def write_comparison(comparison: Comparison, out: Path, force: bool = False) -> Path:
    """Write comparison.csv, regret.csv (each also as Parquet) and summary.json to `out`, as `renewal run`
    writes its results: in a hidden sibling, then moved into place, keeping what else `out` holds."""
    check_comparison_directory(out, comparison.summary["comparison_hash"], force)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    try:
        for name, table in ((PAIRS, comparison.pairs), (REGRET, comparison.regret)):
            table.to_csv(staging / f"{name}.csv", index=False)
            table.to_parquet(staging / f"{name}.parquet", index=False)
        (staging / SUMMARY_FILE).write_text(json.dumps(comparison.summary, indent=2, ensure_ascii=False), encoding="utf-8")
        replace_outputs(staging, out, FILES)
    except BaseException:
        discard(staging, FILES)
        raise
    return out

