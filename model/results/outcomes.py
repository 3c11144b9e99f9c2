"""Headline outcomes from the monthly series: the yearly table the CLI prints and reports reuse.

Every number here is computed from a run's monthly table (mean over replicates), in real-county units.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.simulation.agents.households import QUINTILES

YEAR_END_STOCKS = ["population", "persons_away", "compounds_renovated", "businesses", "enterprises",
                   "individual_businesses", "stalls", "stalls_occupied", "vendors_banned", "disputes_backlog"]
YEAR_FLOWS = ["births", "deaths", "departures", "returns", "newcomers", "compounds_completed", "households_covered",
              "persons_covered", "resident_contributions_yuan", "government_renovation_spending_yuan",
              "stall_bans", "disputes_filed", "disputes_resolved", "business_entries", "business_exits"]


def yearly(monthly: pd.DataFrame) -> pd.DataFrame:
    """One row per year: year-end stocks and yearly flows, averaged over replicates, and which
    constraint bound the renovation programme."""
    data = monthly.assign(year=monthly["month"].str[:4].astype(int))
    per_replicate = data.groupby(["replicate", "year"])
    stocks = per_replicate[YEAR_END_STOCKS].last()
    flows = per_replicate[YEAR_FLOWS].sum()
    binding = per_replicate[["funded_waiting_for_plan", "funded_waiting_for_budget"]].max()
    table = stocks.join(flows).join(binding).groupby("year").mean()
    table["renovated_to_date"] = table["compounds_completed"].cumsum()
    table["binding"] = np.select(
        [table["funded_waiting_for_budget"] > 0, table["funded_waiting_for_plan"] > 0, table["compounds_completed"] > 0],
        ["budget", "plan", "residents' share"], default="-")
    return table.drop(columns=["funded_waiting_for_plan", "funded_waiting_for_budget"])


def left_behind(monthly: pd.DataFrame) -> pd.DataFrame:
    """By income quintile at the end: renovation coverage and months waited since listing."""
    last = monthly[monthly["month"] == monthly["month"].max()]
    rows = []
    for q in range(1, QUINTILES + 1):
        rows.append({"quintile": q, "coverage": last[f"coverage_q{q}"].mean(),
                     "months_waited": last[f"months_waited_q{q}"].mean()})
    return pd.DataFrame(rows).set_index("quintile")


def format_outcomes(monthly: pd.DataFrame, manifest: dict) -> str:
    """The short outcome table `renewal run` prints."""
    table = yearly(monthly)
    shown = pd.DataFrame({
        "population": table["population"],
        "births": table["births"], "deaths": table["deaths"], "out": table["departures"],
        "return": table["returns"], "new": table["newcomers"],
        "renovated": table["renovated_to_date"], "hh covered": table["households_covered"].cumsum(),
        "gov m¥": table["government_renovation_spending_yuan"] / 1e6,
        "res m¥": table["resident_contributions_yuan"] / 1e6,
        "binds": table["binding"],
        "enterprises": table["enterprises"], "individual": table["individual_businesses"],
        "occupancy": (table["stalls_occupied"] / table["stalls"].replace(0, np.nan)).fillna(0),
        "bans": table["stall_bans"],
        "disp filed": table["disputes_filed"], "disp resolved": table["disputes_resolved"],
    })
    quintiles = left_behind(monthly)
    header = (f"{manifest['scenario']}  scale {manifest['scale']}  replicates {manifest['replicates']}  "
              f"run {manifest['scenario_hash']}  (real-county units; flows per year, stocks at year end)")
    body = shown.to_string(float_format=lambda v: f"{v:,.0f}" if abs(v) >= 10 else f"{v:.2f}")
    behind = quintiles.to_string(formatters={"coverage": "{:.0%}".format, "months_waited": "{:.1f}".format})
    return (f"{header}\n{body}\n\nWho is left behind (end of run, by household income quintile, 1 = poorest):\n"
            f"{behind}")


# ------------------------------------------------------------------ headline outcomes, per replicate
@dataclass(frozen=True)
class Headline:
    """One number a meeting asks about: a measure at the end of the run (`end`) or summed over the
    what-if period (`sum`); `kind` says how to show it (count, yuan, fraction, months)."""

    name: str
    measure: str
    how: str
    kind: str
    en: str
    zh: str


HEADLINES: tuple[Headline, ...] = (
    Headline("population_end", "population", "end", "count", "Resident population at the end", "期末常住人口"),
    Headline("departures", "departures", "sum", "count", "People leaving", "迁出人口"),
    Headline("renovations_completed", "compounds_completed", "sum", "count", "Renovations completed", "完成改造小区"),
    Headline("households_covered", "households_covered", "sum", "count", "Households covered by renovations",
             "改造惠及户数"),
    Headline("persons_covered", "persons_covered", "sum", "count", "People covered by renovations", "改造惠及人数"),
    Headline("government_spending", "government_renovation_spending_yuan", "sum", "yuan",
             "Government renovation subsidy paid", "政府改造补贴支出"),
    Headline("resident_contributions", "resident_contributions_yuan", "sum", "yuan",
             "Residents' contributions", "居民自筹资金"),
    Headline("coverage_poorest", "coverage_q1", "end", "fraction",
             "Renovation coverage at the end, poorest fifth", "期末改造覆盖率(最低收入组)"),
    Headline("coverage_richest", f"coverage_q{QUINTILES}", "end", "fraction",
             "Renovation coverage at the end, richest fifth", "期末改造覆盖率(最高收入组)"),
    Headline("months_waited_poorest", "months_waited_q1", "end", "months",
             "Months waited since listing, poorest fifth", "列入清单后等待月数(最低收入组)"),
    Headline("businesses_end", "businesses", "end", "count", "Market entities at the end", "期末市场主体"),
    Headline("stall_occupancy_end", "stall_occupancy", "end", "fraction", "Stall occupancy at the end", "期末摊位使用率"),
    Headline("stall_bans", "stall_bans", "sum", "count", "Stall bans issued", "摊位禁入"),
    Headline("disputes_filed", "disputes_filed", "sum", "count", "Disputes filed", "受理矛盾纠纷"),
    Headline("disputes_backlog_end", "disputes_backlog", "end", "count", "Disputes unresolved at the end", "期末未化解矛盾纠纷"),
)


def what_if_period(manifest: dict) -> tuple[str, str]:
    """The months a what-if acts on: from the policy start to the end (the whole run if the policy
    starts outside it). Headline flows are summed over this period."""
    first = manifest["policy_start"] if manifest["start"] <= manifest["policy_start"] <= manifest["end"] else manifest["start"]
    return first, manifest["end"]


def headline_outcomes(monthly: pd.DataFrame, period: tuple[str, str]) -> pd.DataFrame:
    """One row per replicate, one column per headline: stocks in the period's last month, flows summed over it."""
    first, last = period
    window = monthly[(monthly["month"] >= first) & (monthly["month"] <= last)]
    per_replicate = window.groupby("replicate")
    at_end = window[window["month"] == last].set_index("replicate")
    return pd.DataFrame({
        h.name: (per_replicate[h.measure].sum() if h.how == "sum" else at_end[h.measure]) for h in HEADLINES
    })


def spread(values: pd.Series | np.ndarray) -> tuple[float, float, float]:
    """Mean and the 5th and 95th percentiles across replicates: the band reports show."""
    values = np.asarray(values, dtype=float)
    p5, p95 = np.percentile(values, [5, 95])
    return float(values.mean()), float(p5), float(p95)


def monthly_band(monthly: pd.DataFrame, measure: str, cumulative: bool = False) -> pd.DataFrame:
    """Per month: mean, p5 and p95 of a measure across replicates (a flow summed to date if `cumulative`)."""
    series = monthly.pivot(index="month", columns="replicate", values=measure).sort_index()
    if cumulative:
        series = series.cumsum()
    p5, p95 = np.percentile(series.to_numpy(dtype=float), [5, 95], axis=1)
    return pd.DataFrame({"mean": series.mean(axis=1), "p5": p5, "p95": p95}, index=series.index)
