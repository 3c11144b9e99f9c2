"""Whether revenue can carry a budget: the years in which the renovation budget takes more of last year's
revenue than the district can give one programme without cutting others (`government.renovation_revenue_cap`,
assumed). The budget stays the government's lever: the model does not cut it, the app and reports say so.

The fiscal account itself is the government's (model/simulation/agents/government.py); its shares are assumed,
since the sources give no revenue figure.
"""

from __future__ import annotations

import pandas as pd

from model.results.outcomes import what_if_period

CAP = "government.renovation_revenue_cap"


def value_in(manifest: dict, key: str, month: str) -> float:
    """A resolved parameter's value in `month` (YYYY-MM), from the run's manifest (its schedule: the last entry
    at or before the month)."""
    schedule = manifest["resolved"]["parameters"][key]
    held = [value for start, value in schedule if start == "start" or start <= month]
    return float(held[-1] if held else schedule[0][1])


def budget_strain(monthly: pd.DataFrame, manifest: dict) -> pd.DataFrame:
    """One row per year from the policy start in which the median replicate's renovation budget leaves no
    headroom under the cap on last year's revenue: the year, the median and highest shares, and the cap."""
    first, _ = what_if_period(manifest)
    januaries = monthly[(monthly["month"] >= first) & monthly["month"].str.endswith("-01")].groupby("month")
    table = pd.DataFrame({"headroom": januaries["renovation_budget_headroom_yuan"].median(),
                          "share": januaries["renovation_budget_share"].median(),
                          "share_high": januaries["renovation_budget_share"].max()})
    strained = table[table["headroom"] < 0]
    return pd.DataFrame({"year": strained.index.str[:4].astype(int), "share": strained["share"].to_numpy(),
                         "share_high": strained["share_high"].to_numpy(),
                         "cap": [value_in(manifest, CAP, month) for month in strained.index]})
