"""The yearly table `renewal run` prints: year-end stocks, yearly flows and which constraint bound the
renovation programme, with who is left behind at the end (means over replicates, real-county units)."""

from __future__ import annotations

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
