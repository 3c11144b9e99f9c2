"""Which outcomes depend mainly on assumed parameters, estimated from a run's parameter draws.

The share of an outcome's variance across replicates explained by each drawn parameter (squared rank
correlation, less its expected value under no relation, 1/(n-1)). The shares are summed per group
(assumed, calibrated) before the sum is clipped to [0, 1], so that noise in one parameter's share
cancels rather than piles up. An outcome whose assumed share exceeds one half carries a mark naming
the assumed parameters that matter most. With ten or so drawn parameters this needs 16 or more
replicates to be reliable.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
from scipy import stats

from model.inputs.registry import Registry, load_registry
from model.inputs.scenario import ResolvedScenario
from model.results.outcomes import OUTCOMES, Outcome, outcome_table, what_if_period

# With k drawn parameters and n replicates, the bias-corrected shares of pure noise sum to about 0 with a
# standard deviation near sqrt(2k)/(n-1): with k = 13, 0.73 at 8 replicates (noise marked about half the
# time), 0.34 at 16 (about one time in 14), 0.16 at 32 (about one time in a thousand).
MIN_REPLICATES_FOR_MARKS = 16  # fewer cannot tell an assumption's share from seed noise
SCREENING_REPLICATES = 32  # what the app screens a preset with


def variance_shares(outcomes: pd.DataFrame, draws: pd.DataFrame) -> pd.DataFrame:
    """For each outcome (column of `outcomes`, one row per replicate) the share of its variance across
    replicates explained by each drawn parameter (rows of the result), bias-corrected (so a share can
    be slightly negative when a parameter explains nothing)."""
    n = len(outcomes)
    shares = {}
    for outcome in outcomes.columns:
        column = {}
        for key in draws.columns:
            rho = stats.spearmanr(draws[key], outcomes[outcome]).statistic if outcomes[outcome].std() > 0 else 0.0
            column[key] = float(np.nan_to_num(rho)) ** 2 - 1.0 / (n - 1)
        shares[outcome] = column
    return pd.DataFrame(shares)


def assumption_marks(outcomes: pd.DataFrame, draws: pd.DataFrame, registry: Registry | None = None,
                     top: int = 3) -> pd.DataFrame:
    """Per outcome: the variance shares of assumed and calibrated draws, the rest (seed noise and
    interactions), whether it depends mainly on assumptions, and the assumed keys that matter most."""
    registry = registry or load_registry()
    shares = variance_shares(outcomes, draws)
    assumed = [k for k in shares.index if registry[k].status == "assumed"]
    calibrated = [k for k in shares.index if registry[k].status == "calibrated"]
    rows = []
    for outcome in shares.columns:
        a = float(np.clip(shares.loc[assumed, outcome].sum(), 0.0, 1.0)) if assumed else 0.0
        c = float(np.clip(shares.loc[calibrated, outcome].sum(), 0.0, 1.0 - a)) if calibrated else 0.0
        leading = shares.loc[assumed, outcome].sort_values(ascending=False) if assumed else pd.Series(dtype=float)
        rows.append({"outcome": outcome, "assumed_share": a, "calibrated_share": c, "other_share": 1.0 - a - c,
                     "depends_on_assumptions": a > 0.5,
                     "main_assumptions": [k for k, v in leading.head(top).items() if v > 0]})
    return pd.DataFrame(rows).set_index("outcome")


def marks_for(values: pd.DataFrame, draws: list[dict] | None, registry: Registry | None = None) -> pd.DataFrame:
    """The assumption marks of these outcome values (replicates x outcomes), or no marks when nothing was
    drawn or there are too few replicates to tell an assumption's share from seed noise."""
    table = pd.DataFrame(index=values.columns)
    table["assumed_share"], table["depends_on_assumptions"] = 0.0, False
    table["main_assumptions"] = [[] for _ in values.columns]
    if not draws or not draws[0] or len(values) < MIN_REPLICATES_FOR_MARKS:
        return table
    marks = assumption_marks(values.reset_index(drop=True), pd.DataFrame(draws), registry)
    return marks[["assumed_share", "depends_on_assumptions", "main_assumptions"]]


def screening(preset: ResolvedScenario) -> ResolvedScenario:
    """A preset with enough replicates, drawing parameter values, to tell which outcomes rest mainly on
    assumptions. A quick run (the app's) has too few replicates for that, and the answer is mostly a
    property of the preset's world rather than of one lever's value, so the app screens each preset
    once and shows its marks for every setting of that preset."""
    return dataclasses.replace(preset, replicates=max(preset.replicates, SCREENING_REPLICATES), parameter_draws=True)


def screen(monthly: pd.DataFrame, manifest: dict, outcomes: tuple[Outcome, ...] = OUTCOMES,
           registry: Registry | None = None) -> pd.DataFrame:
    """The assumption marks of a screening run's outcomes."""
    values = outcome_table(monthly, what_if_period(manifest), outcomes)
    return marks_for(values, manifest.get("parameter_draws"), registry)
