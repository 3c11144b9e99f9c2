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


# What can hold the renovation programme back in a year, as `renewal run` prints it, and the app's text key.
CONSTRAINTS = {"-": "none", "budget": "budget", "plan": "plan", "residents' money": "residents",
               "nothing left to do": "nothing"}


def binding_constraints(monthly: pd.DataFrame) -> pd.DataFrame:
    """Per replicate and year, what held the renovation programme back: the budget (funded compounds waited
    for money), the plan (funded or listed compounds waited for a place), the residents' money (places
    left while compounds were still collecting), nothing left to do (places left, nobody waiting), or "-"
    (no programme that year)."""
    data = monthly.assign(year=monthly["month"].str[:4].astype(int)).groupby(["replicate", "year"])
    most = data[["funded_waiting_for_budget", "funded_waiting_for_plan", "plan_left"]].max()
    end = data[["plan_left", "compounds_listed", "compounds_collecting", "compounds_funded"]].last()
    waiting = end["compounds_listed"] + end["compounds_collecting"] + end["compounds_funded"]
    code = np.select(
        [most["plan_left"] <= 0, most["funded_waiting_for_budget"] > 0,
         (most["funded_waiting_for_plan"] > 0) | ((end["plan_left"] <= 0) & (waiting > 0)),
         (end["plan_left"] > 0) & (end["compounds_collecting"] > 0), (end["plan_left"] > 0) & (waiting == 0)],
        list(CONSTRAINTS), default="plan")
    return pd.DataFrame({"binding": code}, index=most.index)


def binding_by_year(monthly: pd.DataFrame, first_year: int | None = None) -> pd.DataFrame:
    """Per year (from `first_year`): the constraint that held the programme back in most replicates
    (`binding`) and the share of replicates in which it did (`share`)."""
    codes = binding_constraints(monthly)["binding"]
    if first_year is not None:
        codes = codes[codes.index.get_level_values("year") >= first_year]
    years = codes.index.get_level_values("year")
    most = codes.groupby(years).agg(lambda year: year.mode().iloc[0])
    held = pd.Series(codes.to_numpy() == most.loc[years].to_numpy(), index=years)
    return pd.DataFrame({"binding": most, "share": held.groupby(level=0).mean()})


def yearly(monthly: pd.DataFrame) -> pd.DataFrame:
    """One row per year: year-end stocks and yearly flows, averaged over replicates, and the constraint
    that bound the renovation programme in most replicates."""
    data = monthly.assign(year=monthly["month"].str[:4].astype(int))
    per_replicate = data.groupby(["replicate", "year"])
    stocks = per_replicate[YEAR_END_STOCKS].last()
    flows = per_replicate[YEAR_FLOWS].sum()
    table = stocks.join(flows).groupby("year").mean()
    table["renovated_to_date"] = table["compounds_completed"].cumsum()
    table["binding"] = binding_by_year(monthly)["binding"]
    return table


def left_behind(monthly: pd.DataFrame) -> pd.DataFrame:
    """By income quintile at the end: the share of households living with unresolved problems, and the
    months the listed ones have waited so far."""
    last = monthly[monthly["month"] == monthly["month"].max()]
    rows = []
    for q in range(1, QUINTILES + 1):
        rows.append({"quintile": q, "unresolved": last[f"unresolved_share_q{q}"].mean(),
                     "months_waiting": last[f"months_waiting_q{q}"].mean()})
    return pd.DataFrame(rows).set_index("quintile")


def growth_since(table: pd.DataFrame, year: int) -> dict[str, float]:
    """The market entities' and the population's growth from the end of `year` to the end of the run: the
    business stock follows demand, so the two should not drift far apart."""
    if year not in table.index or year >= table.index[-1]:
        return {}
    first, last = table.loc[year], table.iloc[-1]
    return {name: last[name] / first[name] - 1.0 for name in ("businesses", "population")}


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
    behind = quintiles.to_string(formatters={"unresolved": "{:.0%}".format, "months_waiting": "{:.1f}".format})
    growth = growth_since(table, 2023)
    grew = (f"\n\nFrom the end of 2023 to the end: market entities {growth['businesses']:+.1%}, population "
            f"{growth['population']:+.1%}." if growth else "")
    return (f"{header}\n{body}\n\nWho is left behind (end of run, by household income quintile, 1 = poorest):\n"
            f"{behind}{grew}")
