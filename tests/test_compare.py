"""Medians, bands and paired changes across replicates, on hand-made monthly tables with known answers."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from model.app.charts import VIEWS, ChartSpec, chart_data, figure_file, vega_lite
from model.results.compare import HEADLINES, Outcome, at_end, band_coverage, bands, headlines, per_replicate
from model.results.marks import MIN_REPLICATES_FOR_MARKS
from model.results.run import RunResult

MONTHS = [f"{year}-{month:02d}" for year in (2025, 2026) for month in range(1, 13)]


def monthly(replicates: int, births_by_replicate, population_by_replicate) -> pd.DataFrame:
    """A run's monthly table: `births` constant per month, `population` rising by one a month."""
    rows = []
    for r in range(replicates):
        for i, month in enumerate(MONTHS):
            rows.append({"month": month, "replicate": r, "births": births_by_replicate[r],
                         "population": population_by_replicate[r] + i, "compounds_completed": float(r),
                         "coverage_q1": 0.1 * r})
    return pd.DataFrame(rows).sample(frac=1.0, random_state=0)  # order must not matter


def result(table: pd.DataFrame, draws=None) -> RunResult:
    return RunResult(table, pd.DataFrame(), {"policy_start": "2026-01", "parameter_draws": draws,
                                             "replicates": table["replicate"].nunique()}, None)


def test_yearly_bands_sum_flows_and_take_stocks_at_the_years_end():
    table = bands(monthly(3, [1, 2, 3], [100, 200, 300]), ["births", "population"], period="year")
    births_2026 = table[(table["period"] == 2026) & (table["measure"] == "births")].iloc[0]
    assert births_2026["median"] == 24 and births_2026["low"] == pytest.approx(12 + 0.1 * 12)
    population_2025 = table[(table["period"] == 2025) & (table["measure"] == "population")].iloc[0]
    assert population_2025["median"] == 211  # replicate 1's December 2025 value: 200 + 11
    assert population_2025["high"] == pytest.approx(211 + 0.9 * 100)


def test_monthly_bands_can_add_flows_up():
    table = bands(monthly(2, [1, 3], [0, 0]), ["births"], cumulative=True)
    assert table["period"].tolist() == MONTHS
    assert table["median"].tolist() == [2.0 * (i + 1) for i in range(len(MONTHS))]


def test_outcomes_per_replicate_window_their_totals():
    table = monthly(2, [1, 3], [10, 20])
    since = Outcome("x", "births", "total", since_policy=True)
    until = Outcome("y", "births", "total", until="2025-06")
    end = Outcome("z", "population", "end")
    assert per_replicate(table, since, "2026-01").tolist() == [12, 36]
    assert per_replicate(table, until, "2026-01").tolist() == [6, 18]
    assert per_replicate(table, end, "2026-01").tolist() == [33, 43]


def test_the_change_is_the_median_of_paired_differences():
    base = result(monthly(3, [1, 1, 1], [100, 300, 500]))
    setting = result(monthly(3, [1, 1, 1], [110, 290, 530]))  # +10, -10, +30 per replicate
    table = headlines(setting, base, (Outcome("population_end", "population", "end"),))
    row = table.loc["population_end"]
    assert row["median"] == 313 and row["change"] == 10  # not 313 - 323, the difference of the medians
    assert row["change_low"] == pytest.approx(-10 + 0.1 * 20)


def test_an_outcome_driven_by_an_assumed_draw_is_marked_and_few_replicates_mark_nothing():
    n = 40
    rng = np.random.default_rng(1)
    effect = rng.uniform(0, 1, n)
    draws = [{"migration.amenity_stay_effect": e, "talent.uptake": u} for e, u in zip(effect, rng.uniform(0, 1, n))]
    driven = result(monthly(n, [1] * n, list(1000 * effect)), draws)
    table = headlines(driven, driven, HEADLINES[:1])
    assert table.loc["population_end", "depends_on_assumptions"]
    assert table.loc["population_end", "main_assumptions"][0] == "migration.amenity_stay_effect"
    few = MIN_REPLICATES_FOR_MARKS - 1
    small = result(monthly(few, [1] * few, list(1000 * effect[:few])), draws[:few])
    assert not headlines(small, small, HEADLINES[:1]).loc["population_end", "depends_on_assumptions"]


@pytest.mark.parametrize("replicates", [2, 6, 32])
def test_the_band_holds_the_share_of_new_replicates_the_legend_states(replicates):
    """Simulated: n replicates give a 5-95% band; does one more fall inside it as often as band_coverage
    says? Exactly for evenly spread outcomes (4 binomial standard errors over 20,000 trials), within
    3 points for bell-shaped ones."""
    trials = 20_000
    expected = band_coverage(replicates)
    rng = np.random.default_rng(replicates)
    binomial = 4 * np.sqrt(expected * (1 - expected) / trials)
    for draws, tolerance in ((rng.uniform(size=(trials, replicates + 1)), binomial),
                             (rng.normal(size=(trials, replicates + 1)), 0.03)):
        low, high = np.quantile(draws[:, :-1], [0.05, 0.95], axis=1)
        inside = np.mean((draws[:, -1] >= low) & (draws[:, -1] <= high))
        assert abs(inside - expected) < tolerance, (inside, expected)


def test_bars_at_the_end_and_charts_for_both_runs():
    table = at_end(monthly(3, [1, 2, 3], [0, 0, 0]), ["coverage_q1"])
    assert table.iloc[0]["median"] == pytest.approx(0.1)
    spec = ChartSpec("population", ("population", "births"), "year")
    labels = {"population": "常住人口", "births": "出生人口", "setting": "本设置", "baseline": "基准"}
    data = chart_data(spec, result(monthly(2, [1, 2], [0, 10])), result(monthly(2, [1, 1], [0, 0])), labels)
    assert set(data["series"]) == {"本设置", "基准"} and data["x"].iloc[0] == "2025-01-01"
    assert len(data) == 2 * 2 * 2  # two runs, two years, two measures


def test_the_vega_lite_chart_bands_only_the_setting_and_marks_the_policy_start():
    words = {"setting": "本设置", "baseline": "基准", "policy_start": "政策起点", "measure": "指标", "series": "情景",
             "median": "中位数", "low": "5%", "high": "95%"}
    spec = vega_lite(VIEWS["people"][0], "常住人口", "万人", words, "2026-01")
    band, line, rule, _ = spec["layer"]
    assert band["mark"]["type"] == "area" and band["transform"] == [{"filter": {"field": "series", "equal": "本设置"}}]
    assert line["encoding"]["strokeDash"]["field"] == "series"
    assert rule["data"]["values"][0]["x"] == "2026-01-01"


@pytest.mark.parametrize("fmt, magic", [("png", b"\x89PNG"), ("svg", b"<?xml")])
def test_charts_download_as_png_and_svg_with_chinese_glyphs(fmt, magic):
    spec = ChartSpec("population", ("population",))
    labels = {"population": "常住人口", "setting": "本设置", "baseline": "基准"}
    data = chart_data(spec, result(monthly(2, [1, 2], [0, 10])), result(monthly(2, [1, 1], [0, 0])), labels)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        content = figure_file(data, spec, "常住人口", "万人", "阴影:5%–95% 区间", fmt)
    assert content.startswith(magic)
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert not missing, f"no CJK font (install fonts-wqy-microhei): {missing[:1]}"
