"""A what-if never rewrites the past: identical to the baseline before its policy start."""

from __future__ import annotations

import importlib

import pytest

import model
from model.results.cache import CACHE_ENV
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


def test_histories_on_disk_survive_a_restart_and_a_new_policy_start_resumes_from_a_january(tmp_path, monkeypatch):
    """With a cache folder, the states are on disk: a fresh process's memory (cleared here) finds them, and
    a policy start never run before resumes from the January checkpoint before it; every result is the
    full run's, bit for bit."""
    history = importlib.import_module("model.results.history")
    histories = history.HISTORIES
    moved = {"extends": "stalls_double_lenient", "policy_start": "2025-07"}
    histories.clear()
    full = model.run("stalls_double_lenient", scale=TEST_SCALE, seed=4, replicates=2).monthly
    full_moved = model.run(moved, scale=TEST_SCALE, seed=4, replicates=2).monthly

    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    histories.clear()
    model.run("baseline", scale=TEST_SCALE, seed=4, replicates=2)  # its histories at 2026-01 and every January
    stored = sorted(p.name for p in (tmp_path / "histories").iterdir())
    assert len(stored) == 2 * 12  # 2 replicates x (Januaries 2015-2025 + the policy start 2026-01)
    histories.clear()  # a restarted server: nothing in memory
    resumed = []
    real_resume = histories.resume
    monkeypatch.setattr(histories, "resume", lambda key: resumed.append(key) or real_resume(key))
    assert model.run("stalls_double_lenient", scale=TEST_SCALE, seed=4, replicates=2).monthly.equals(full)
    assert len(resumed) == 2  # each replicate found its state at the policy start at once
    resumed.clear()
    assert model.run(moved, scale=TEST_SCALE, seed=4, replicates=2).monthly.equals(full_moved)
    assert len(resumed) == 2 * 2  # 2025-07 not stored: then the January before it, 2025-01
    assert len(list((tmp_path / "histories").iterdir())) == 2 * 13  # and 2025-07 is stored now


def test_a_damaged_state_on_disk_is_replayed_not_trusted(tmp_path, monkeypatch):
    history = importlib.import_module("model.results.history")
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    history.HISTORIES.clear()
    first = model.run("baseline", scale=TEST_SCALE, seed=5).monthly
    for path in (tmp_path / "histories").iterdir():
        path.write_bytes(b"not a state")
    history.HISTORIES.clear()
    assert model.run("baseline", scale=TEST_SCALE, seed=5).monthly.equals(first)


def test_a_presets_screening_is_kept_on_disk_and_read_back(tmp_path, monkeypatch):
    from model.inputs.scenario import resolve
    from model.results import marks
    from model.results.outcomes import BY_OUTCOME

    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    monkeypatch.setattr(marks, "SCREENING_REPLICATES", 16)
    preset = resolve("baseline", scale=0.01, seed=3, replicates=2)
    outcomes = (BY_OUTCOME["population_end"], BY_OUTCOME["unresolved_poorest"])
    first = marks.cached_screening(preset, outcomes)
    assert len(list((tmp_path / "screening").iterdir())) == 1
    monkeypatch.setattr(marks, "run", lambda *a, **k: pytest.fail("screened again instead of reading the cache"))
    assert marks.cached_screening(preset, outcomes).equals(first)


def test_a_run_is_kept_on_disk_and_read_back(tmp_path, monkeypatch):
    from model.inputs.scenario import resolve
    from model.results import run as run_module

    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    scenario = resolve("stalls_double_lenient", scale=TEST_SCALE, seed=6, replicates=2)
    first = run_module.cached_run(scenario)
    assert len(list((tmp_path / "runs").iterdir())) == 1
    monkeypatch.setattr(run_module, "run", lambda *a, **k: pytest.fail("ran again instead of reading the cache"))
    assert run_module.cached_run(scenario).monthly.equals(first.monthly)


def test_prepare_app_fills_the_apps_cache_and_a_second_call_leaves_it_as_it_is(tmp_path):
    """In a process of its own, as `make app` runs it: the worker processes it starts inherit the folder."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    def prepare() -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "model.cli", "prepare-app", "baseline", "--quiet"], cwd=ROOT,
                              capture_output=True, text=True, timeout=900, env={**os.environ, CACHE_ENV: str(tmp_path)})

    done = prepare()
    assert done.returncode == 0 and "the app's cache is ready for 1 preset(s)" in done.stdout, done.stderr[-2000:]
    kinds = {p.name: sorted(p.iterdir()) for p in tmp_path.iterdir()}
    assert len(kinds["runs"]) == 1 and len(kinds["screening"]) == 1  # the baseline preset is its own baseline
    # the screening's 64 replicates keep their policy-start states, the first 8 also 11 January checkpoints
    assert len(kinds["histories"]) == 64 + 8 * 11
    stamps = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file()}
    assert prepare().returncode == 0
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file()} == stamps


def test_a_run_differing_only_in_its_policy_start_is_reused_when_asked_and_equals_a_fresh_run(monkeypatch, tmp_path):
    """The app's baseline, asked again when a planner moves the policy start, simulates the same months: with
    `reuse` it comes from the finished replicates (no month simulated; from the disk cache after a restart) and
    equals a fresh run; without, or when any value differs, every replicate is simulated."""
    run_module = importlib.import_module("model.results.run")
    moved = {"extends": "baseline", "policy_start": "2025-12"}
    fresh = model.run(moved, scale=TEST_SCALE, seed=4, replicates=2, parameter_draws=True)
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    model.run("baseline", scale=TEST_SCALE, seed=4, replicates=2, parameter_draws=True, reuse=True)
    assert len(list((tmp_path / run_module.REPLICATES).iterdir())) == 2
    run_module.FINISHED.clear()  # a restarted process: the disk cache still holds them
    simulated = []
    real_simulate = run_module.simulate
    monkeypatch.setattr(run_module, "simulate", lambda *a, **k: simulated.append(a) or real_simulate(*a, **k))
    reused = model.run(moved, scale=TEST_SCALE, seed=4, replicates=2, parameter_draws=True, reuse=True)
    assert simulated == []
    assert reused.monthly.equals(fresh.monthly) and reused.compounds.equals(fresh.compounds)
    assert reused.manifest["policy_start"] == "2025-12" and reused.manifest["run_hashes"] == fresh.manifest["run_hashes"]
    model.run(moved, scale=TEST_SCALE, seed=4, replicates=2, parameter_draws=True)
    model.run({**moved, "levers": {"stalls.supply": 1000}}, scale=TEST_SCALE, seed=4, replicates=2,
              parameter_draws=True, reuse=True)
    assert len(simulated) == 2 * 2
