"""Every stock equals last month's plus its recorded flows."""

from __future__ import annotations

import numpy as np


def test_population_equals_last_month_plus_births_deaths_and_migration(baseline_run):
    m = baseline_run.monthly
    change = m["population"].diff().iloc[1:]
    flows = (m["births"] - m["deaths"] + m["newcomers"] + m["returns"] - m["departures"]).iloc[1:]
    assert np.allclose(change, flows)


def test_households_equal_last_month_plus_formation_dissolution_and_migration(baseline_run):
    m = baseline_run.monthly
    change = m["households"].diff().iloc[1:]
    flows = (m["households_formed"] - m["households_dissolved"] + m["households_arrived"]
             + m["households_returned"] - m["households_departed"]).iloc[1:]
    assert np.allclose(change, flows)


def test_people_away_equal_last_month_plus_departures_less_returns_and_settling(baseline_run):
    m = baseline_run.monthly
    change = m["persons_away"].diff().iloc[1:]
    flows = (m["departures"] - m["returns"] - m["settled_elsewhere"]).iloc[1:]
    assert np.allclose(change, flows)


def test_businesses_equal_last_month_plus_entries_less_exits(baseline_run):
    m = baseline_run.monthly
    assert np.allclose(m["businesses"].diff().iloc[1:], (m["business_entries"] - m["business_exits"]).iloc[1:])


def test_renovated_compounds_equal_completions_less_compounds_with_new_problems(history_run):
    m = history_run.monthly
    completed = m["compounds_completed"].cumsum()
    assert (m["compounds_renovated"] <= completed + 1e-9).all()
    assert m["compounds_renovated"].iloc[-1] >= 0.9 * completed.iloc[-1]


def test_disputes_resolved_never_exceed_capacity(baseline_run):
    m = baseline_run.monthly
    assert (m["disputes_resolved"] <= 3702 / 12 + 1e-6).all()
    assert (m[m["month"] < "2022-01"]["disputes_filed"] == 0).all()
