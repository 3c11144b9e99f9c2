"""The outcome catalogue: windows, medians, bands and paired changes across replicates, on hand-made monthly
tables with known answers; and the one definition every consumer reads."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

import model
from model.app.headlines import SHOWN, headline_csv, headline_table
from model.results.bands import band_coverage, bands
from model.results.marks import MIN_REPLICATES_FOR_MARKS, marks_for
from model.results.outcomes import BY_OUTCOME, OUTCOMES, Outcome, headlines, outcome_table
from model.results.run import RunResult

MONTHS = [f"{year}-{month:02d}" for year in (2025, 2026) for month in range(1, 13)]


def monthly(replicates: int, births_by_replicate, population_by_replicate) -> pd.DataFrame:
    """A run's monthly table: `births` constant per month, `population` rising by one a month."""
    rows = []
    for r in range(replicates):
        for i, month in enumerate(MONTHS):
            rows.append({"month": month, "replicate": r, "births": births_by_replicate[r],
                         "population": population_by_replicate[r] + i, "compounds_completed": float(r),
                         "unresolved_share_q1": 0.1 * r})
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


def outcome(name: str, measure: str, window: str, until: str | None = None) -> Outcome:
    return Outcome(name, measure, window, "count", "higher", name, name, until=until)


def test_totals_run_from_the_policy_start_to_the_end_or_to_their_month_and_stocks_are_the_last_month():
    table = monthly(2, [1, 3], [10, 20])
    since = outcome("since", "births", "total")
    until = outcome("until", "births", "total", until="2026-06")
    end = outcome("end", "population", "end")
    values = outcome_table(table, ("2026-01", "2026-12"), (since, until, end))
    assert values["since"].tolist() == [12, 36]
    assert values["until"].tolist() == [6, 18]
    assert values["end"].tolist() == [33, 43]
    whole_run = outcome_table(table, ("2025-01", "2026-12"), (since,))
    assert whole_run["since"].tolist() == [24, 72]


def test_the_change_is_the_median_of_paired_differences():
    first = (BY_OUTCOME["population_end"],)
    base = outcome_table(monthly(3, [1, 1, 1], [100, 300, 500]), ("2026-01", "2026-12"), first)
    setting = outcome_table(monthly(3, [1, 1, 1], [110, 290, 530]), ("2026-01", "2026-12"), first)  # +10, -10, +30
    row = headlines(setting, base, first).loc["population_end"]
    assert row["value"] == 313 and row["change"] == 10  # not 313 - 323, the difference of the medians
    assert row["change_low"] == pytest.approx(-10 + 0.1 * 20)


def test_every_outcome_says_its_window_statistic_better_direction_and_labels_in_both_languages():
    assert len({o.name for o in OUTCOMES}) == len(OUTCOMES) and set(SHOWN) <= set(OUTCOMES)
    for o in OUTCOMES:
        assert o.window in ("total", "end", "mean") and o.statistic in ("median", "mean")
        assert o.better in ("higher", "lower", "neither") and o.unit
        assert o.zh and o.en and o.zh != o.en
        assert ("政策起点" in o.zh) == (o.window != "end") and ("期末" in o.zh) == (o.window == "end")
        assert ("policy start" in o.en) == (o.window != "end") and ("end of run" in o.en) == (o.window == "end")
    assert BY_OUTCOME["renovated_by_2030"].until == "2030-12"


def test_an_outcome_driven_by_an_assumed_draw_is_marked_and_few_replicates_mark_nothing():
    n = 40
    rng = np.random.default_rng(1)
    effect = rng.uniform(0, 1, n)
    draws = [{"migration.amenity_stay_effect": e, "talent.return_effect": u} for e, u in zip(effect, rng.uniform(0, 1, n))]
    first = (BY_OUTCOME["population_end"],)
    driven = outcome_table(monthly(n, [1] * n, list(1000 * effect)), ("2026-01", "2026-12"), first)
    table = marks_for(driven, draws)
    assert table.loc["population_end", "depends_on_assumptions"]
    assert table.loc["population_end", "main_assumptions"][0] == "migration.amenity_stay_effect"
    few = MIN_REPLICATES_FOR_MARKS - 1
    small = outcome_table(monthly(few, [1] * few, list(1000 * effect[:few])), ("2026-01", "2026-12"), first)
    assert not marks_for(small, draws[:few]).loc["population_end", "depends_on_assumptions"]


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


def test_the_apps_headline_csv_has_the_pages_numbers_and_names_their_statistic():
    result = model.run({"extends": "baseline", "levers": {"renovation.resident_share": 0.3}}, scale=0.02, seed=3,
                       replicates=3)
    reference = model.run("baseline", scale=0.02, seed=3, replicates=3)
    table = headline_table(result, reference, SHOWN)
    written = pd.read_csv(io.BytesIO(headline_csv(table, SHOWN, "zh")))
    assert written["outcome"].tolist() == [o.name for o in SHOWN]
    assert written["statistic"].tolist() == [o.statistic for o in SHOWN]
    assert written["label"].tolist() == [o.zh for o in SHOWN]
    assert np.allclose(written["value"], table["value"].to_numpy())
    assert np.allclose(written[["p5", "p95", "change"]], table[["low", "high", "change"]].to_numpy())
