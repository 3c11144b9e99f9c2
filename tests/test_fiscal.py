"""The fiscal account: revenue beyond business tax, a budget that follows the whole account, and a warning
when a what-if's budget is beyond what revenue can carry. Paired runs: the same seeds, one value changed."""

from __future__ import annotations

import numpy as np
import pytest

import model
from model.inputs.registry import load_registry
from model.presentation.fiscal import strain_warning, year_spans
from model.reports.run_report import Run, headlines
from model.results.fiscal import budget_strain
from model.simulation.measures import BY_NAME

SOURCES = ("business_tax_yuan", "household_tax_yuan", "resource_revenue_yuan", "transfer_revenue_yuan")
SMALL = dict(scale=0.05, seed=3, replicates=1)


def yearly(monthly, measure: str) -> dict[str, float]:
    return monthly.assign(year=monthly["month"].str[:4]).groupby("year")[measure].sum().to_dict()


def january(monthly, measure: str, year: int) -> float:
    return float(monthly.loc[monthly["month"] == f"{year}-01", measure].iloc[0])


@pytest.fixture(scope="module")
def baseline():
    return model.run("baseline", **SMALL)


def test_revenue_is_the_sum_of_its_four_sources_each_month(baseline):
    m = baseline.monthly
    assert np.allclose(m[list(SOURCES)].sum(axis=1), m["government_revenue_yuan"], rtol=1e-12)
    assert (m[list(SOURCES)] > 0).all().all()
    assert all(BY_NAME[name].flow and BY_NAME[name].zh for name in ("government_revenue_yuan", *SOURCES))


def test_the_2014_shares_of_land_and_coal_revenue_and_of_transfers_are_the_registry_values(baseline):
    registry = load_registry()
    first = baseline.monthly.iloc[0]
    total = first["government_revenue_yuan"]
    assert first["resource_revenue_yuan"] / total == pytest.approx(registry["government.resource_revenue_share"].value)
    assert first["transfer_revenue_yuan"] / total == pytest.approx(registry["government.transfer_share"].value)


def test_the_crash_cuts_land_and_coal_revenue_but_not_transfers(baseline):
    resource, transfers = yearly(baseline.monthly, "resource_revenue_yuan"), yearly(baseline.monthly, "transfer_revenue_yuan")
    assert resource["2016"] < resource["2014"]
    assert transfers["2016"] >= transfers["2014"]  # constant in 2014 yuan, so never lower in current yuan


@pytest.mark.parametrize("key, low, high", [("government.household_tax_rate", 0.005, 0.05),
                                            ("government.resource_revenue_share", 0.1, 0.5),
                                            ("government.transfer_share", 0.1, 0.4)])
def test_the_budget_follows_the_whole_account_not_only_business_tax(key, low, high):
    """Each revenue source beyond business tax moves the budget the baseline sets from revenue."""
    budgets = [january(model.run("baseline", overrides={key: value}, **SMALL).monthly, "renovation_budget_yuan", 2030)
               for value in (low, high)]
    assert budgets[0] != budgets[1], (key, budgets)


def test_with_no_elasticity_the_budget_is_the_lever_whatever_the_revenue():
    registry = load_registry()
    for share in (0.1, 0.5):
        monthly = model.run("baseline", overrides={"government.budget_tax_elasticity": 0.0,
                                                   "government.resource_revenue_share": share}, **SMALL).monthly
        assert january(monthly, "renovation_budget_yuan", 2030) == pytest.approx(registry["renovation.budget"].value["2025-01"])


def test_the_budget_share_and_headroom_are_the_budget_against_last_years_revenue(baseline):
    m = baseline.monthly
    revenue, budget = yearly(m, "government_revenue_yuan")["2022"], january(m, "renovation_budget_yuan", 2023)
    assert january(m, "renovation_budget_share", 2023) == pytest.approx(budget / revenue, rel=1e-9)
    cap = load_registry()["government.renovation_revenue_cap"].value
    assert january(m, "renovation_budget_headroom_yuan", 2023) == pytest.approx(cap * revenue - budget, rel=1e-9)


def test_the_baseline_budget_is_within_what_revenue_carries_and_a_large_one_is_flagged(baseline):
    assert budget_strain(baseline.monthly, baseline.manifest).empty
    assert strain_warning(baseline.monthly, baseline.manifest, "zh") is None
    big = model.run({"extends": "baseline", "levers": {"renovation.budget": 1_500_000_000}}, **SMALL)
    strained = budget_strain(big.monthly, big.manifest)
    assert list(strained["year"]) == list(range(2026, 2026 + len(strained))) and len(strained) >= 3
    assert (strained["share"] > strained["cap"]).all()
    for lang in ("zh", "en"):
        words = strain_warning(big.monthly, big.manifest, lang)
        assert words and "2026" in words and "20%" in words
    notes = headlines(Run(big.monthly, big.compounds, big.manifest), None, set(), "zh")["notes"]
    assert strain_warning(big.monthly, big.manifest, "zh") in notes


def test_a_higher_cap_lifts_the_warning_without_changing_the_run():
    levers = {"renovation.budget": 1_500_000_000}
    low = model.run({"extends": "baseline", "levers": levers}, **SMALL)
    high = model.run({"extends": "baseline", "levers": levers,
                      "uncertainties": {"government.renovation_revenue_cap": 0.35}}, **SMALL)
    assert len(budget_strain(high.monthly, high.manifest)) < len(budget_strain(low.monthly, low.manifest))
    headroom = ["renovation_budget_headroom_yuan"]  # the cap's only trace in the run
    assert not high.monthly[headroom].equals(low.monthly[headroom])
    assert high.monthly.drop(columns=headroom).equals(low.monthly.drop(columns=headroom))


def test_year_spans_join_consecutive_years():
    assert year_spans([2026, 2027, 2028, 2031], "en") == "2026-2028, 2031"
    assert year_spans([2030], "zh") == "2030"


def test_every_fiscal_entry_has_its_reason_in_chinese_and_english():
    registry = load_registry()
    for key in ("government.household_tax_rate", "government.resource_revenue_share", "government.transfer_share",
                "government.renovation_revenue_cap", "government.budget_tax_elasticity"):
        param = registry[key]
        assert param.label.zh and param.label.en and param.reason and param.reason_zh, key
        assert param.reason_in("zh") == param.reason_zh and param.reason_in("en") == param.reason
