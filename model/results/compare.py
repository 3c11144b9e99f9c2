"""A setting against its baseline: medians, 5-95% bands and paired changes across replicates.

The two runs share seeds and parameter draws, so a replicate of the setting and the same replicate
of the baseline differ only by what the setting changed: the change is the median of these paired
differences, not the difference of two noisy medians. Bands are quantiles across replicates, which
draw seeds and parameter values (model/inputs/draws.py); `headlines` also says, per outcome, whether
it depends mainly on assumed parameters and on which.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.inputs.scenario import ResolvedScenario
from model.results.marks import MIN_REPLICATES_FOR_MARKS, SCREENING_REPLICATES, assumption_marks
from model.results.run import RunResult
from model.simulation.measures import BY_NAME

LOW, HIGH = 0.05, 0.95


@dataclass(frozen=True)
class Outcome:
    """One headline number of a run, per replicate."""

    name: str
    measure: str
    how: str  # "end": value in the last month; "total": sum of a flow over a period
    since_policy: bool = False  # a total from the policy start (else from the start of the run)
    until: str | None = None  # a total up to this month (else to the end of the run)
    better: str = "up"  # up | down | neither: how the app colours a change


HEADLINES: tuple[Outcome, ...] = (
    Outcome("population_end", "population", "end"),
    Outcome("renovated_by_2030", "compounds_completed", "total", until="2030-12"),
    Outcome("households_covered", "households_covered", "total", since_policy=True),
    Outcome("poorest_coverage_end", "coverage_q1", "end"),
    Outcome("government_spending", "government_renovation_spending_yuan", "total", since_policy=True, better="neither"),
    Outcome("resident_contributions", "resident_contributions_yuan", "total", since_policy=True, better="neither"),
    Outcome("businesses_end", "businesses", "end"),
    Outcome("stall_occupancy_end", "stall_occupancy", "end"),
    Outcome("disputes_backlog_end", "disputes_backlog", "end", better="down"),
)


def band_coverage(replicates: int) -> float:
    """The chance that one more replicate falls inside the 5-95% band of `replicates` of them. Quantiles
    interpolate between the sorted values, so the band runs from position 0.05(n-1) to 0.95(n-1) among
    them, and a new value falls between two neighbours with chance 1/(n+1): the band holds about
    0.9(n-1)/(n+1) of new replicates (64% with 6, 84% with 32), not 90% (exactly for evenly spread
    outcomes, a point or two more for bell-shaped ones). The app's legend says so."""
    return (HIGH - LOW) * (replicates - 1) / (replicates + 1)


def per_replicate(monthly: pd.DataFrame, outcome: Outcome, policy_start: str) -> pd.Series:
    """The outcome's value in each replicate (index: replicate)."""
    months, values = _cube(monthly, [outcome.measure])
    values = values[:, :, 0]
    if outcome.how == "end":
        value = values[:, -1]
    else:
        window = np.ones(len(months), bool)
        if outcome.since_policy:
            window &= months >= policy_start
        if outcome.until:
            window &= months <= outcome.until
        value = values[:, window].sum(axis=1)
    return pd.Series(value, index=pd.Index(sorted(monthly["replicate"].unique()), name="replicate"))


def outcome_table(result: RunResult, outcomes: tuple[Outcome, ...] = HEADLINES) -> pd.DataFrame:
    """Replicates x outcomes."""
    start = result.manifest["policy_start"]
    return pd.DataFrame({o.name: per_replicate(result.monthly, o, start) for o in outcomes})


def headlines(result: RunResult, reference: RunResult, outcomes: tuple[Outcome, ...] = HEADLINES) -> pd.DataFrame:
    """Per outcome: median, 5% and 95% across replicates; the paired change against the reference
    (median, 5%, 95%); and the assumption marks from the run's own draws (assumed share of variance, the
    leading assumptions), when it has enough replicates (the app screens its preset instead: `screening`)."""
    values, base = outcome_table(result, outcomes), outcome_table(reference, outcomes)
    change = values - base
    table = pd.DataFrame({
        "median": values.median(), "low": values.quantile(LOW), "high": values.quantile(HIGH),
        "change": change.median(), "change_low": change.quantile(LOW), "change_high": change.quantile(HIGH),
    })
    return table.join(marks_for(values, result.manifest.get("parameter_draws")))


def marks_for(values: pd.DataFrame, draws: list[dict] | None) -> pd.DataFrame:
    """model.uncertainty's assumption marks for these outcomes, or no marks when nothing was drawn."""
    table = pd.DataFrame(index=values.columns)
    table["assumed_share"], table["depends_on_assumptions"] = 0.0, False
    table["main_assumptions"] = [[] for _ in values.columns]
    if not draws or not draws[0] or len(values) < MIN_REPLICATES_FOR_MARKS:
        return table
    marks = assumption_marks(values.reset_index(drop=True), pd.DataFrame(draws))
    return marks[["assumed_share", "depends_on_assumptions", "main_assumptions"]]


def screening(preset: ResolvedScenario) -> ResolvedScenario:
    """A preset with enough replicates, drawing parameter values, to tell which outcomes rest mainly on
    assumptions. A quick run (the app's) has too few replicates for that, and the answer is mostly a
    property of the preset's world rather than of one lever's value, so the app screens each preset
    once and shows its marks for every setting of that preset."""
    return dataclasses.replace(preset, replicates=max(preset.replicates, SCREENING_REPLICATES), parameter_draws=True)


def screen(run: RunResult, outcomes: tuple[Outcome, ...] = HEADLINES) -> pd.DataFrame:
    """The assumption marks of a screening run's outcomes."""
    return marks_for(outcome_table(run, outcomes), run.manifest.get("parameter_draws"))


def bands(monthly: pd.DataFrame, measures: list[str], period: str = "month", cumulative: bool = False) -> pd.DataFrame:
    """Long table (period, measure, low, median, high) across replicates. `period="year"` sums flows
    over each year and takes stocks at the year's end; `cumulative` adds flows up over time."""
    months, values = _cube(monthly, measures)
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
    _, values = _cube(monthly, measures)
    return _long(pd.Index([0]), measures, values[:, -1:, :]).drop(columns="period")


def _cube(monthly: pd.DataFrame, measures: list[str]) -> tuple[pd.Index, np.ndarray]:
    """The months and the values as an array (replicate, month, measure)."""
    ordered = monthly.sort_values(["replicate", "month"], kind="stable")
    months = pd.Index(ordered["month"].unique())  # replicates share the months, in order
    replicates = ordered["replicate"].nunique()
    return months, ordered[measures].to_numpy(float).reshape(replicates, len(months), len(measures))


def _long(periods: pd.Index, measures: list[str], values: np.ndarray) -> pd.DataFrame:
    low, median, high = np.quantile(values, [LOW, 0.5, HIGH], axis=0)
    return pd.DataFrame({"period": np.repeat(periods.to_numpy(), len(measures)),
                         "measure": np.tile(measures, len(periods)),
                         "low": low.ravel(), "median": median.ravel(), "high": high.ravel()})


def identical_before(result: RunResult, reference: RunResult) -> bool:
    """Whether every measure equals the reference's in every replicate before the policy start."""
    start = result.manifest["policy_start"]
    columns = [c for c in result.monthly.columns if c in BY_NAME]
    before = lambda r: r.monthly[r.monthly["month"] < start][columns].reset_index(drop=True)  # noqa: E731
    return before(result).equals(before(reference))
