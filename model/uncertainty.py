"""How sure the model is: replicates that draw parameter values as well as seeds.

Seed noise alone is not how sure the model is. For uncertainty bands, each replicate draws
- every calibrated parameter uniformly within its calibration interval (the region the targets'
  tolerances allow, see calibration/README), and
- every assumed parameter marked `draw: true` in the registry from a triangular distribution over its
  plausible range with its registry value as the mode: the effects the what-ifs work through that the
  sources cannot pin down (amenity on staying, returning and business entry, willingness to pay, ...).
A scenario that sets one of these keys itself fixes it: it is not drawn.

Which outcomes depend mainly on assumed parameters is estimated from the draws: the share of an
outcome's variance across replicates explained by each drawn parameter (squared rank correlation,
less its expected value under no relation, 1/(n-1)). The shares are summed per group (assumed,
calibrated) before the sum is clipped to [0, 1], so that noise in one parameter's share cancels
rather than piles up. An outcome whose assumed share exceeds one half carries a mark naming the
assumed parameters that matter most. With ten or so drawn parameters this needs 16 or more
replicates to be reliable.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
from scipy import stats

from model.registry import Registry, load_registry
from model.scenario import ResolvedScenario

DRAW_STREAM = 7_919  # a fixed spawn key: parameter draws never share a stream with the model's own
# With k drawn parameters and n replicates, the bias-corrected shares of pure noise sum to about 0 with a
# standard deviation near sqrt(2k)/(n-1): with k = 13, 0.73 at 8 replicates (noise marked about half the
# time), 0.34 at 16 (about one time in 14), 0.16 at 32 (about one time in a thousand).
MIN_REPLICATES_FOR_MARKS = 16  # fewer cannot tell an assumption's share from seed noise
SCREENING_REPLICATES = 32  # what the app screens a preset with (model/compare.py)


def drawn_keys(registry: Registry | None = None) -> list[str]:
    """Keys drawn in bands: calibrated parameters and assumed ones marked `draw: true`."""
    registry = registry or load_registry()
    return sorted(k for k, p in registry.parameters.items() if p.status == "calibrated" or p.draw)


def draw_values(seed: int, keys: list[str], registry: Registry | None = None) -> dict[str, float]:
    """One replicate's parameter values, from its seed (so the same seed draws the same values)."""
    registry = registry or load_registry()
    rng = np.random.default_rng([seed, DRAW_STREAM])
    values = {}
    for key in keys:
        param = registry[key]
        if param.status == "calibrated":
            low, high = param.calibration.interval
            value = rng.uniform(low, high)
        else:
            low, high = param.bounds()
            mode = param.schedule()[0][1]
            value = rng.triangular(low, mode, high) if high > low else mode
        values[key] = int(round(value)) if param.type == "integer" else float(value)
    return values


def with_draws(resolved: ResolvedScenario, seed: int) -> tuple[ResolvedScenario, dict[str, float]]:
    """The scenario with this replicate's drawn values for every drawn key it does not set itself."""
    fixed = set(resolved.levers) | set(resolved.uncertainties)
    fixed |= {key for entry in resolved.timeline for section in ("levers", "uncertainties") for key in entry[section]}
    values = draw_values(seed, [k for k in drawn_keys() if k not in fixed])
    schedules = {**resolved.schedules, **{key: [(-1, float(value))] for key, value in values.items()}}
    return dataclasses.replace(resolved, schedules=schedules), values


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
