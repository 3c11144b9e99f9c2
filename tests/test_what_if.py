"""A what-if never rewrites the past: identical to the baseline before its policy start."""

from __future__ import annotations

import importlib

import pytest

import model
from model.simulation.measures import MEASURES
from tests.conftest import TEST_SCALE

WHAT_IFS = ["residents_pay_30", "stalls_double_lenient", "second_coal_shock_2027", "talent_housing_push",
            "renovation_push", "national_scheme_only"]


@pytest.fixture(scope="module")
def baseline():
    return model.run("baseline", scale=TEST_SCALE, seed=9).monthly


@pytest.mark.parametrize("name", WHAT_IFS)
def test_what_if_is_identical_to_the_baseline_before_its_policy_start(baseline, name):
    run = model.run(name, scale=TEST_SCALE, seed=9)
    start = run.manifest["policy_start"]
    before = run.monthly["month"] < start
    columns = [m.name for m in MEASURES]
    assert run.monthly[before][columns].equals(baseline[before][columns])
    if name != "residents_pay_30":  # at this scale no compound starts collecting after 2026 (tested below)
        assert not run.monthly[~before][columns].equals(baseline[~before][columns])


def test_residents_paying_30_percent_pay_more_per_renovated_compound(history_scale=0.2):
    base = model.run("baseline", scale=history_scale, seed=2).compounds
    more = model.run("residents_pay_30", scale=history_scale, seed=2).compounds
    late = lambda t: t[(t["collecting_month"] >= "2026-01") & (t["cost_yuan"] > 0)]  # noqa: E731
    share = lambda t: (late(t)["resident_share_yuan"] / late(t)["cost_yuan"]).mean()  # noqa: E731
    assert share(base) == pytest.approx(0.2, abs=1e-3)
    assert share(more) == pytest.approx(0.3, abs=1e-3)


def test_second_coal_shock_drives_more_people_out():
    base = model.run("baseline", scale=0.05, seed=2).monthly
    shock = model.run("second_coal_shock_2027", scale=0.05, seed=2).monthly
    window = lambda m: m[(m["month"] >= "2027-01") & (m["month"] < "2030-01")]["departures"].sum()  # noqa: E731
    assert window(shock) > 1.2 * window(base)


def test_a_what_if_resumed_from_a_shared_history_equals_a_full_run():
    histories = importlib.import_module("model.results.history").HISTORIES
    histories.clear()
    full = model.run("stalls_double_lenient", scale=TEST_SCALE, seed=4, replicates=2).monthly
    histories.clear()
    model.run("baseline", scale=TEST_SCALE, seed=4, replicates=2)  # leaves its histories at 2026-01
    assert len(histories) == 2
    resumed = model.run("stalls_double_lenient", scale=TEST_SCALE, seed=4, replicates=2).monthly
    assert resumed.equals(full)
    changed_history = model.run("baseline", scale=TEST_SCALE, seed=4, replicates=2,
                                overrides={"economy.crash_depth": 0.3}).monthly
    assert not changed_history.equals(model.run("baseline", scale=TEST_SCALE, seed=4, replicates=2).monthly)
