"""Which outcomes depend mainly on assumed parameters, estimated from a run's parameter draws.

The share of an outcome's variance across replicates explained by each drawn parameter (squared rank
correlation, less its expected value under no relation, 1/(n-1)). The shares are summed per group
(assumed, calibrated) before the sum is clipped to [0, 1], so that noise in one parameter's share
cancels rather than piles up. The assumed share's 90% interval comes from the sampling variance of each
squared rank correlation (share_error), and an outcome carries a
mark, naming the assumed parameters that matter most, only when the whole interval lies above one half:
a point estimate near one half flips with the seed, and a mark must not.
"""

from __future__ import annotations

import dataclasses
import hashlib

import numpy as np
import pandas as pd
from scipy import stats

from model.inputs.registry import Registry, load_registry
from model.inputs.scenario import ResolvedScenario
from model.inputs.versioning import run_code_version
from model.results.cache import cached
from model.results.outcomes import OUTCOMES, Outcome, outcome_table, what_if_period
from model.results.run import run

# With k drawn assumed parameters and n replicates, the bias-corrected shares of pure noise sum to about 0
# with a standard deviation near 1.5 sqrt(k)/(n-3): with the registry's 17, 0.21 at 32 replicates and 0.10
# at 64. At 32 an outcome 95% driven by one assumption cleared the interval in a third of seeds; at 64 in
# every one (tests/test_uncertainty.py plants both).
MIN_REPLICATES_FOR_MARKS = 16  # fewer cannot tell an assumption's share from seed noise
SCREENING_REPLICATES = 64  # what the app screens a preset with: enough for the interval to clear
THRESHOLD = 0.5  # an outcome rests mainly on assumptions when more than half its variance comes from them
Z = 1.645  # the assumed share's 90% interval, whose lower end must clear THRESHOLD for a mark


def _standard_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks down each column, centred and scaled to unit length (a constant column becomes zeros)."""
    centred = stats.rankdata(values, axis=0) - (len(values) + 1) / 2
    length = np.sqrt((centred**2).sum(axis=0))
    return np.divide(centred, length, out=np.zeros_like(centred), where=length > 0)


def variance_shares(outcomes: pd.DataFrame, draws: pd.DataFrame) -> pd.DataFrame:
    """For each outcome (column of `outcomes`, one row per replicate) the share of its variance across
    replicates explained by each drawn parameter (rows of the result), bias-corrected (so a share can
    be slightly negative when a parameter explains nothing)."""
    rho = _standard_ranks(draws.to_numpy(float)).T @ _standard_ranks(outcomes.to_numpy(float))
    return pd.DataFrame(rho**2 - 1.0 / (len(outcomes) - 1), index=draws.columns, columns=outcomes.columns)


def share_error(shares: pd.DataFrame, n: int) -> pd.Series:
    """The standard error of a sum of these shares (per outcome), from n replicates of independent draws.
    A rank correlation r near rho has variance s2 = 1.06 (1 - rho^2)^2 / (n - 3) (Fieller, Hartley and
    Pearson 1957), so r^2 has 4 rho^2 s2 + 2 s2^2: a parameter that explains nothing adds seed noise
    (the second term) and one that explains much adds the uncertainty of how much (the first)."""
    rho2 = shares.clip(0.0, 1.0)
    s2 = 1.06 * (1.0 - rho2) ** 2 / (n - 3)
    return np.sqrt((4 * rho2 * s2 + 2 * s2**2).sum(axis=0))


def assumption_marks(outcomes: pd.DataFrame, draws: pd.DataFrame, registry: Registry | None = None,
                     top: int = 3) -> pd.DataFrame:
    """Per outcome: the variance shares of assumed and calibrated draws, the rest (seed noise and
    interactions), the assumed share's 90% interval, whether it depends mainly on assumptions (the
    interval above THRESHOLD), and the assumed keys that matter most."""
    registry = registry or load_registry()
    shares = variance_shares(outcomes, draws)
    assumed = [k for k in shares.index if registry[k].status == "assumed"]
    calibrated = [k for k in shares.index if registry[k].status == "calibrated"]
    error = share_error(shares.loc[assumed], len(outcomes)) if assumed else pd.Series(0.0, index=shares.columns)
    rows = []
    for outcome in shares.columns:
        a = float(np.clip(shares.loc[assumed, outcome].sum(), 0.0, 1.0)) if assumed else 0.0
        c = float(np.clip(shares.loc[calibrated, outcome].sum(), 0.0, 1.0 - a)) if calibrated else 0.0
        leading = shares.loc[assumed, outcome].sort_values(ascending=False) if assumed else pd.Series(dtype=float)
        rows.append({"outcome": outcome, "assumed_share": a, "calibrated_share": c, "other_share": 1.0 - a - c,
                     "assumed_low": max(a - Z * error[outcome], 0.0), "assumed_high": min(a + Z * error[outcome], 1.0),
                     "depends_on_assumptions": bool(a - Z * error[outcome] > THRESHOLD),
                     "main_assumptions": [k for k, v in leading.head(top).items() if v > 0]})
    return pd.DataFrame(rows).set_index("outcome")


def marks_for(values: pd.DataFrame, draws: list[dict] | None, registry: Registry | None = None) -> pd.DataFrame:
    """The assumption marks of these outcome values (replicates x outcomes), or no marks when nothing was
    drawn or there are too few replicates to tell an assumption's share from seed noise."""
    table = pd.DataFrame(index=values.columns)
    table["assumed_share"], table["assumed_low"], table["assumed_high"] = 0.0, 0.0, 0.0
    table["depends_on_assumptions"] = False
    table["main_assumptions"] = [[] for _ in values.columns]
    if not draws or not draws[0] or len(values) < MIN_REPLICATES_FOR_MARKS:
        return table
    marks = assumption_marks(values.reset_index(drop=True), pd.DataFrame(draws), registry)
    return marks[["assumed_share", "assumed_low", "assumed_high", "depends_on_assumptions", "main_assumptions"]]


def screening(preset: ResolvedScenario) -> ResolvedScenario:
    """A preset with enough replicates, drawing parameter values, to tell which outcomes rest mainly on
    assumptions. A quick run (the app's) has too few replicates for that, and the answer is mostly a
    property of the preset's world rather than of one lever's value, so the app screens each preset
    once and shows its marks for every setting of that preset."""
    return dataclasses.replace(preset, replicates=max(preset.replicates, SCREENING_REPLICATES), parameter_draws=True)


def cached_screening(preset: ResolvedScenario, outcomes: tuple[Outcome, ...], workers: int = 1) -> pd.DataFrame:
    """The marks of a screening run (`screening(preset)`), from the disk cache when it holds them (keyed by
    the screening's scenario hash, the outcomes and the code that makes runs), else run and kept there:
    the app's slowest answer is paid once per preset and machine, not once per server start."""
    scenario = screening(preset)
    payload = f"{scenario.scenario_hash()}|{','.join(o.name for o in outcomes)}|{run_code_version()}"
    return cached("screening", hashlib.sha256(payload.encode()).hexdigest()[:24], lambda: _screened(scenario, outcomes, workers))


def _screened(scenario: ResolvedScenario, outcomes: tuple[Outcome, ...], workers: int) -> pd.DataFrame:
    result = run(scenario, workers=workers)
    return screen(result.monthly, result.manifest, outcomes)


def screen(monthly: pd.DataFrame, manifest: dict, outcomes: tuple[Outcome, ...] = OUTCOMES,
           registry: Registry | None = None) -> pd.DataFrame:
    """The assumption marks of a screening run's outcomes."""
    values = outcome_table(monthly, what_if_period(manifest), outcomes)
    return marks_for(values, manifest.get("parameter_draws"), registry)
