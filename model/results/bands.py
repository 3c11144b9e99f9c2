"""Bands across replicates for charts: each measure's median and 5-95% band, month by month or year by
year, and how much of a new replicate such a band holds."""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.results.outcomes import HIGH, LOW, cube
from model.simulation.measures import BY_NAME


def band_coverage(replicates: int) -> float:
    """The chance that one more replicate falls inside the 5-95% band of `replicates` of them. Quantiles
    interpolate between the sorted values, so the band runs from position 0.05(n-1) to 0.95(n-1) among
    them, and a new value falls between two neighbours with chance 1/(n+1): the band holds about
    0.9(n-1)/(n+1) of new replicates (64% with 6, 84% with 32), not 90% (exactly for evenly spread
    outcomes, a point or two more for bell-shaped ones). The app's legend says so."""
    return (HIGH - LOW) * (replicates - 1) / (replicates + 1)


def bands(monthly: pd.DataFrame, measures: list[str], period: str = "month", cumulative: bool = False) -> pd.DataFrame:
    """Long table (period, measure, low, median, high) across replicates. `period="year"` sums flows
    over each year and takes stocks at the year's end; `cumulative` adds flows up over time."""
    months, values = cube(monthly, measures)
    if cumulative:
        values = values.cumsum(axis=1)
    periods = months
    if period == "year":
        years = months.str[:4].astype(int)
        first = np.flatnonzero(np.r_[True, years[1:] != years[:-1]])
        last = np.r_[first[1:] - 1, len(months) - 1]
        flow = np.array([BY_NAME[m].flow and not cumulative for m in measures])
        values = np.where(flow, np.add.reduceat(values, first, axis=1), values[:, last, :])
        periods = years[first]
    return _long(pd.Index(periods), measures, values)


def at_end(monthly: pd.DataFrame, measures: list[str]) -> pd.DataFrame:
    """(measure, low, median, high) in the last month, across replicates."""
    _, values = cube(monthly, measures)
    return _long(pd.Index([0]), measures, values[:, -1:, :]).drop(columns="period")


def _long(periods: pd.Index, measures: list[str], values: np.ndarray) -> pd.DataFrame:
    low, median, high = np.quantile(values, [LOW, 0.5, HIGH], axis=0)
    return pd.DataFrame({"period": np.repeat(periods.to_numpy(), len(measures)),
                         "measure": np.tile(measures, len(periods)),
                         "low": low.ravel(), "median": median.ravel(), "high": high.ravel()})
