"""The outcome catalogue: the headline numbers a meeting asks about, one definition read by the app,
reports, sweeps and the command line.

Each outcome is a monthly measure (model/simulation/measures.py) summarised over a window of the run:
- `total`: a flow summed from the policy start (the whole run if the policy starts outside it) to the
  end, or to `until` when given (a total "by end-2030");
- `end`: a stock in the run's last month;
- `mean`: a stock's average over the months of the period (a total's months), e.g. how long households
  have been waiting, month by month, since the policy start.
Across replicates an outcome shows its `statistic` (the median for every outcome: robust with the few
replicates of a quick run) with a 5-95% band of the replicates' values; against a reference run on the
same seeds and parameter draws, its change is the median of the replicate-by-replicate differences
with the 5-95% band of those differences (a paired change, not the difference of two noisy medians).
`better` says which direction is better for the district, so that a change can be read as an
improvement (higher, lower) or neither (money spent, say, is a choice, not a score).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from model.inputs.errors import InputError
from model.simulation.agents.households import QUINTILES
from model.simulation.measures import BY_NAME

LOW, HIGH = 0.05, 0.95  # the band: 5th to 95th percentile across replicates


@dataclass(frozen=True)
class Outcome:
    name: str
    measure: str
    window: Literal["total", "end", "mean"]
    kind: Literal["count", "yuan", "fraction", "months"]  # how its numbers are written
    better: Literal["higher", "lower", "neither"]
    zh: str
    en: str
    until: str | None = None  # a total up to this month (YYYY-MM) instead of the end of the run
    statistic: Literal["median", "mean"] = "median"

    @property
    def unit(self) -> str:
        return BY_NAME[self.measure].unit

    def label(self, lang: str) -> str:
        return getattr(self, lang)


OUTCOMES: tuple[Outcome, ...] = (
    Outcome("population_end", "population", "end", "count", "higher", "常住人口(期末)", "Resident population (end of run)"),
    Outcome("departures", "departures", "total", "count", "lower", "迁出人口(政策起点以来)",
            "People leaving (from the policy start)"),
    Outcome("returns", "returns", "total", "count", "higher", "回流人口(政策起点以来)",
            "People returning (from the policy start)"),
    Outcome("renovations_completed", "compounds_completed", "total", "count", "higher", "完成改造的小区(政策起点以来)",
            "Renovations completed (from the policy start)"),
    Outcome("renovations_national", "compounds_completed_national", "total", "count", "higher",
            "国家改造计划完成的小区(政策起点以来)", "Renovations completed by the national scheme (from the policy start)"),
    Outcome("renovated_by_2024", "compounds_completed", "total", "count", "higher", "完成改造的小区(政策起点至2024年底)",
            "Renovations completed, policy start to end-2024", until="2024-12"),
    Outcome("renovated_by_2030", "compounds_completed", "total", "count", "higher", "完成改造的小区(政策起点至2030年底)",
            "Renovations completed, policy start to end-2030", until="2030-12"),
    Outcome("households_covered", "households_covered", "total", "count", "higher", "改造惠及户数(政策起点以来)",
            "Households covered by renovations (from the policy start)"),
    Outcome("persons_covered", "persons_covered", "total", "count", "higher", "改造惠及人数(政策起点以来)",
            "People covered by renovations (from the policy start)"),
    Outcome("government_spending", "government_renovation_spending_yuan", "total", "yuan", "neither",
            "政府改造补贴(政策起点以来)", "Government renovation subsidy (from the policy start)"),
    Outcome("resident_contributions", "resident_contributions_yuan", "total", "yuan", "neither",
            "居民自筹资金(政策起点以来)", "Residents' contributions (from the policy start)"),
    Outcome("unresolved_poorest", "unresolved_share_q1", "end", "fraction", "lower",
            "最低收入组居住在有未解决问题小区的比例(期末)", "Poorest fifth living with unresolved problems (end of run)"),
    Outcome("unresolved_richest", f"unresolved_share_q{QUINTILES}", "end", "fraction", "lower",
            "最高收入组居住在有未解决问题小区的比例(期末)", "Richest fifth living with unresolved problems (end of run)"),
    Outcome("waiting_poorest", "months_waiting_q1", "mean", "months", "lower", "最低收入组列入清单家庭的等待月数(政策起点以来平均)",
            "Months the poorest fifth's listed households have waited (average from the policy start)"),
    Outcome("talents_housed", "talent_households_housed", "total", "count", "higher", "入住人才住房的人才家庭(政策起点以来)",
            "Talent households housed (from the policy start)"),
    Outcome("businesses_end", "businesses", "end", "count", "higher", "市场主体(期末)", "Market entities (end of run)"),
    Outcome("stall_occupancy_end", "stall_occupancy", "end", "fraction", "neither", "摊位使用率(期末)",
            "Stall occupancy (end of run)"),
    Outcome("stall_bans", "stall_bans", "total", "count", "lower", "摊位禁入(政策起点以来)",
            "Stall bans issued (from the policy start)"),
    Outcome("disputes_filed", "disputes_filed", "total", "count", "lower", "受理矛盾纠纷(政策起点以来)",
            "Disputes filed (from the policy start)"),
    Outcome("disputes_backlog_end", "disputes_backlog", "end", "count", "lower", "未化解矛盾纠纷(期末)",
            "Disputes unresolved (end of run)"),
)
BY_OUTCOME = {o.name: o for o in OUTCOMES}


def outcome_named(name: str, where: str = "--outcome") -> Outcome:
    """The catalogue's outcome of this name; any other name is one InputError listing them."""
    if name not in BY_OUTCOME:
        raise InputError(where, name, f"unknown outcome; choose from {', '.join(BY_OUTCOME)}")
    return BY_OUTCOME[name]


def what_if_period(manifest: dict) -> tuple[str, str]:
    """The months a what-if acts on: from the policy start to the end (the whole run if the policy
    starts outside it). Totals are summed over this period."""
    first = manifest["policy_start"] if manifest["start"] <= manifest["policy_start"] <= manifest["end"] else manifest["start"]
    return first, manifest["end"]


def outcome_table(monthly: pd.DataFrame, period: tuple[str, str],
                  outcomes: tuple[Outcome, ...] = OUTCOMES) -> pd.DataFrame:
    """One row per replicate, one column per outcome, over the period (`what_if_period`)."""
    first, last = period
    months, values = cube(monthly, list(dict.fromkeys(o.measure for o in outcomes)))
    column = {measure: i for i, measure in enumerate(dict.fromkeys(o.measure for o in outcomes))}
    replicates = pd.Index(sorted(monthly["replicate"].unique()), name="replicate")
    table = {}
    for o in outcomes:
        series = values[:, :, column[o.measure]]
        if o.window == "end":
            table[o.name] = series[:, months.get_loc(last)] if last in months else np.full(len(replicates), np.nan)
            continue
        inside = (months >= first) & (months <= min(last, o.until or last))
        table[o.name] = series[:, inside].sum(axis=1) if o.window == "total" else series[:, inside].mean(axis=1)
    return pd.DataFrame(table, index=replicates)


def summary(values: pd.Series | np.ndarray, outcome: Outcome) -> tuple[float, float, float]:
    """The outcome's statistic across replicates and its 5-95% band."""
    values = np.asarray(values, dtype=float)
    centre = np.median(values) if outcome.statistic == "median" else values.mean()
    low, high = np.quantile(values, [LOW, HIGH])
    return float(centre), float(low), float(high)


def within_noise(low: float, high: float) -> bool:
    """Whether a paired change's 5-95% band contains zero: the replicates do not agree on its sign, so
    it is not shown as a finding (no arrow, no colour)."""
    return bool(low <= 0 <= high)


def paired_difference(values: pd.Series | np.ndarray, reference: pd.Series | np.ndarray,
                      outcome: Outcome) -> tuple[float, float, float, bool]:
    """Replicate by replicate, values - reference: the outcome's statistic of the differences, their 5-95%
    band, and whether the band contains zero (within noise). The one paired difference: headlines,
    reports, `renewal effects` and `renewal compare` read it."""
    change, low, high = summary(np.asarray(values, dtype=float) - np.asarray(reference, dtype=float), outcome)
    return change, low, high, within_noise(low, high)


def headlines(values: pd.DataFrame, reference: pd.DataFrame | None = None,
              outcomes: tuple[Outcome, ...] = OUTCOMES) -> pd.DataFrame:
    """Per outcome (rows): the statistic and band across replicates (`value`, `low`, `high`) and, against a
    reference on the same seeds and draws, the paired change (`change`, `change_low`, `change_high`) and
    whether it is `within_noise`."""
    rows = {}
    for o in outcomes:
        row = dict(zip(("value", "low", "high"), summary(values[o.name], o)))
        if reference is not None:
            row.update(zip(("change", "change_low", "change_high", "within_noise"),
                           paired_difference(values[o.name], reference[o.name], o)))
        rows[o.name] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def cube(monthly: pd.DataFrame, measures: list[str]) -> tuple[pd.Index, np.ndarray]:
    """The months and the values as an array (replicate, month, measure)."""
    ordered = monthly.sort_values(["replicate", "month"], kind="stable")
    months = pd.Index(ordered["month"].unique())  # replicates share the months, in order
    replicates = ordered["replicate"].nunique()
    return months, ordered[measures].to_numpy(float).reshape(replicates, len(months), len(measures))


def identical_before(monthly: pd.DataFrame, reference: pd.DataFrame, policy_start: str) -> bool:
    """Whether every measure equals the reference's in every replicate before the policy start."""
    columns = [c for c in monthly.columns if c in BY_NAME]
    before = lambda m: m[m["month"] < policy_start][columns].reset_index(drop=True)  # noqa: E731
    return before(monthly).equals(before(reference))
