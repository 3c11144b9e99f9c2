"""How far a sweep's sensitivity indices can be read: plain warnings when the samples are too few or
replicate noise is comparable to what the design changes (docs/sweeps.md, "Reading the indices").

The rules, each a documented threshold:
- fewer base samples (Sobol') or trajectories (Morris) than MIN_SAMPLES: the estimates are rough;
- an outcome's leading key has a 95% interval (S1_conf/ST_conf, mu_star_conf) at least as wide as its
  index: the design cannot tell even the main driver from no effect;
- the replicates of one design point spread by more than NOISE_RATIO times as much as the design
  points' means spread across the design: replicate noise is comparable to the design's effect.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MIN_SAMPLES = {"sobol": 64, "morris": 10}
CONFIDENCE = {"sobol": ("ST", "ST_conf"), "morris": ("mu_star", "mu_star_conf")}
NOISE_RATIO = 0.5
SHOWN = 5  # outcomes named in a warning; the rest are counted


def sample_warnings(design: str, samples: int | None, indices: pd.DataFrame | None) -> list[str]:
    """Too few samples, by count and by the width of the leading keys' intervals."""
    if design not in MIN_SAMPLES or indices is None:
        return []
    warnings = []
    unit = {"sobol": "base samples", "morris": "trajectories"}[design]
    if samples < MIN_SAMPLES[design]:
        warnings.append(f"only {samples} {unit} (fewer than {MIN_SAMPLES[design]}): the indices are rough "
                        "estimates; read their intervals and use more samples before ranking the keys")
    index, conf = CONFIDENCE[design]
    wide = []
    for outcome, part in indices.groupby("outcome", sort=False):
        lead = part.loc[part[index].abs().idxmax()] if part[index].abs().max() > 0 else None
        if lead is not None and lead[conf] >= abs(lead[index]):
            wide.append(str(outcome))
    if wide:
        warnings.append(f"the 95% interval of the leading key is as wide as its {index} for {len(wide)} outcome(s) "
                        f"({_names(wide)}): the design cannot tell the main driver from no effect; use more {unit}")
    return warnings


def noise_warnings(runs: pd.DataFrame, outcomes: list[str]) -> list[str]:
    """Replicate noise against the design's effect, per outcome: the mean spread (standard deviation)
    over the replicates of a point, divided by the spread of the points' means across the design."""
    ok = runs[runs["status"] == "ok"]
    if ok.empty or ok.groupby("point").size().max() < 2:
        return []
    noisy = []
    for outcome in outcomes:
        within = ok.groupby("point")[outcome].std().mean()
        between = ok.groupby("point")[outcome].mean().std()
        ratio = within / between if between > 0 else np.inf
        if np.isfinite(within) and within > 0 and ratio > NOISE_RATIO:
            noisy.append((outcome, ratio))
    if not noisy:
        return []
    names = [f"{name} ({ratio:.2g})" if np.isfinite(ratio) else f"{name} (no design effect)" for name, ratio in noisy]
    return [f"replicate noise is comparable to the design's effect for {len(noisy)} outcome(s) ({_names(names)}; "
            f"replicate spread / design spread above {NOISE_RATIO}): their differences between points and their "
            "indices are mostly noise; use more replicates or wider ranges"]


def _names(names: list[str]) -> str:
    more = len(names) - SHOWN
    return ", ".join(names[:SHOWN]) + (f" and {more} more" if more > 0 else "")
