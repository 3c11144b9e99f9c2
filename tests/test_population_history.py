"""The baseline replays the crash and the return: population falls through 2014-2017 and recovers after."""

from __future__ import annotations


def year_end(monthly, year):
    return monthly[monthly["month"] == f"{year}-12"]["population"].iloc[0]


def test_baseline_population_falls_through_the_crash_and_recovers_afterwards(history_run):
    m = history_run.monthly
    start = m["population"].iloc[0]
    assert 650_000 <= start <= 660_000  # the documented 2014 peak, after one month
    trough = min(year_end(m, y) for y in range(2015, 2021))
    assert year_end(m, 2015) < 0.93 * start  # "more than 80,000 left in one year"
    assert year_end(m, 2022) > trough + 10_000  # young people coming back
    assert year_end(m, 2022) > year_end(m, 2021)  # still growing in 2022 (+4,500 documented)


def test_departures_peak_in_the_crash_years_and_returns_rise_after_the_trough(history_run):
    m = history_run.monthly.assign(year=lambda d: d["month"].str[:4].astype(int))
    by_year = m.groupby("year")[["departures", "returns"]].sum()
    assert by_year["departures"].idxmax() in (2015, 2016)
    assert by_year.loc[2021, "returns"] > 2 * by_year.loc[2015, "returns"]
