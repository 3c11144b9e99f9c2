"""Headline outcomes from the monthly series: the yearly table the CLI prints and reports reuse.

Every number here is computed from a run's monthly table (mean over replicates), in real-county units.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.households import QUINTILES

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


# ------------------------------------------------------------------------------ headline outcomes
@dataclass(frozen=True)
class Headline:
    """One number per run that a sweep compares across design points.

    `over` says how it is read from the monthly table: "end" = the stock in the run's last month,
    "policy" = the flow summed from the scenario's policy start to the end of the run.
    """

    name: str
    measure: str
    over: str
    en: str
    zh: str


HEADLINES: tuple[Headline, ...] = (
    Headline("population_end", "population", "end", "Resident population at the end", "期末常住人口"),
    Headline("departures_policy", "departures", "policy", "People leaving from the policy start", "政策期迁出人口"),
    Headline("renovations_policy", "compounds_completed", "policy", "Renovations completed from the policy start",
             "政策期完成改造小区"),
    Headline("households_covered_policy", "households_covered", "policy",
             "Households covered by renovations from the policy start", "政策期改造惠及户数"),
    Headline("coverage_poorest_end", "coverage_q1", "end", "Renovation coverage of the poorest fifth at the end",
             "期末最低收入组改造覆盖率"),
    Headline("government_spending_policy_yuan", "government_renovation_spending_yuan", "policy",
             "Government renovation subsidy paid from the policy start", "政策期政府改造补贴支出"),
    Headline("resident_contributions_policy_yuan", "resident_contributions_yuan", "policy",
             "Residents' contributions from the policy start", "政策期居民自筹资金"),
    Headline("businesses_end", "businesses", "end", "Market entities at the end", "期末市场主体"),
    Headline("stall_bans_policy", "stall_bans", "policy", "Stall bans issued from the policy start", "政策期摊位禁入"),
    Headline("disputes_filed_policy", "disputes_filed", "policy", "Disputes filed from the policy start",
             "政策期受理矛盾纠纷"),
    Headline("disputes_backlog_end", "disputes_backlog", "end", "Disputes unresolved at the end", "期末未化解矛盾纠纷"),
)


def headlines(monthly: pd.DataFrame, policy_start: str) -> pd.DataFrame:
    """The headline outcomes, one row per replicate (real-county units); `policy_start` is 'YYYY-MM'."""
    ends = [h for h in HEADLINES if h.over == "end"]
    flows = [h for h in HEADLINES if h.over == "policy"]
    by_replicate = monthly.sort_values(["replicate", "month"]).groupby("replicate")
    last = by_replicate[[h.measure for h in ends]].last()
    policy = monthly[monthly["month"] >= policy_start].groupby("replicate")[[h.measure for h in flows]].sum()
    policy = policy.reindex(last.index, fill_value=0.0)
    table = pd.concat([last.set_axis([h.name for h in ends], axis=1),
                       policy.set_axis([h.name for h in flows], axis=1)], axis=1)
    return table[[h.name for h in HEADLINES]].astype(float)
