"""`renewal sweep`: the same numbers serially, in a process pool and on a Dask cluster; resume after a kill;
failed runs recorded; per-point means and bands; sensitivity indices; one clear line per spec error."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from dask.distributed import LocalCluster

import model
from model import cli
from model.inputs.errors import InputError
from model.results.outcomes import OUTCOMES as CATALOGUE
from model.sweeps.plan import plan
from model.sweeps.runner import format_report, open_executor, run_sweep
from model.sweeps.spec import load_spec
from model.sweeps.store import Store
from tests.conftest import edited_registry
from tests.conftest import ROOT

OUTCOMES = [o.name for o in CATALOGUE]
# Two years of policy (2025-01 to 2026-12) at 1% of the county: a run takes well under a second.
SHORT_BASE = 'extends: baseline\npolicy_start: "2025-01"\nend: "2026-12"\n'
LHS_SPEC = """\
base: short.yaml
design: lhs
samples: 4
replicates: 2
scale: 0.01
seed: 11
vary:
  stalls.score_threshold: {range: [30, 90]}
  renovation.resident_share: {range: [0.1, 0.5]}
"""


def write_spec(directory: Path, text: str, name: str = "spec.yaml") -> Path:
    (directory / "short.yaml").write_text(SHORT_BASE, encoding="utf-8")
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def sweep_in_process(spec: Path, store: Path, workers: int = 1, scheduler: str | None = None):
    with open_executor(workers, scheduler) as (executor, parallelism):
        return run_sweep(load_spec(spec), Store(store), executor, parallelism)


def stored_runs(store: Path) -> pd.DataFrame:
    """The index as a user queries it (DuckDB over the Parquet files), without what depends on the machine."""
    query = f"SELECT * FROM read_parquet('{store}/index/*.parquet', union_by_name=true) ORDER BY run_key"
    return duckdb.sql(query).df().drop(columns=["wall_time_s", "manifest"])


def monthly_tables(store: Path) -> dict[str, pd.DataFrame]:
    return {p.stem: pd.read_parquet(p) for p in sorted((store / "monthly").glob("*.parquet"))}


def renewal_process(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "model.cli", *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


@pytest.fixture(scope="module")
def lhs_spec(tmp_path_factory) -> Path:
    return write_spec(tmp_path_factory.mktemp("spec"), LHS_SPEC)


@pytest.fixture(scope="module")
def serial_store(lhs_spec, tmp_path_factory) -> Path:
    """The LHS sweep run serially, in this process: the reference the other executors must match."""
    store = tmp_path_factory.mktemp("serial") / "store"
    report = sweep_in_process(lhs_spec, store)
    assert report.run_now == 8 and not report.failures
    return store


# ------------------------------------------------------------------------------- same numbers
def test_serial_process_pool_and_dask_cluster_store_identical_runs(lhs_spec, serial_store, tmp_path):
    pool = tmp_path / "pool"
    report = sweep_in_process(lhs_spec, pool, workers=2)
    assert report.run_now == 8 and not report.failures
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        done = subprocess.run([sys.executable, "-m", "model.cli", "sweep", str(lhs_spec), "--scheduler",
                               cluster.scheduler_address, "--store", str(tmp_path / "dask"), "--quiet"],
                              cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "0 already stored, 8 run now, 0 failed" in done.stdout

    reference = stored_runs(serial_store)
    assert len(reference) == 8 and set(reference["status"]) == {"ok"}
    assert reference["population_end"].between(500_000, 800_000).all()  # real-county units at 1% scale
    for other in (pool, tmp_path / "dask"):
        pd.testing.assert_frame_equal(stored_runs(other), reference, check_exact=True)
        ours, theirs = monthly_tables(serial_store), monthly_tables(other)
        assert ours.keys() == theirs.keys()
        for key in ours:
            pd.testing.assert_frame_equal(theirs[key], ours[key], check_exact=True)
        points = "sweeps/spec/points.csv"
        assert (other / points).read_text() == (serial_store / points).read_text()


# -------------------------------------------------------------------------------- kill, resume
def test_a_sweep_killed_half_way_resumes_with_no_duplicate_missing_or_corrupt_run(lhs_spec, serial_store, tmp_path):
    store = tmp_path / "store"
    args = ("sweep", str(lhs_spec), "--workers", "2", "--store", str(store), "--quiet")
    first = renewal_process(*args, start_new_session=True)
    deadline = time.monotonic() + 600
    while len(list((store / "index").glob("*.parquet"))) < 2 and first.poll() is None:
        assert time.monotonic() < deadline, "no run was stored"
        time.sleep(0.02)
    os.killpg(first.pid, signal.SIGKILL)
    first.communicate()
    stored_when_killed = len(list((store / "index").glob("*.parquet")))
    assert first.returncode == -signal.SIGKILL and 2 <= stored_when_killed < 8

    second = renewal_process(*args)
    out, err = second.communicate(timeout=600)
    assert second.returncode == 0, err
    assert f"{stored_when_killed} already stored, {8 - stored_when_killed} run now, 0 failed" in out

    counts = duckdb.sql(f"SELECT count(*), count(DISTINCT run_key), count(*) FILTER (status = 'ok') "
                        f"FROM read_parquet('{store}/index/*.parquet')").fetchall()[0]
    assert counts == (8, 8, 8)
    assert {t.key for t in plan(load_spec(lhs_spec))} == set(stored_runs(store)["run_key"])
    assert not [p for p in store.rglob("*") if p.name.endswith(".tmp")]
    for kind in ("monthly", "compounds"):
        assert len(list((store / kind).glob("*.parquet"))) == 8
    pd.testing.assert_frame_equal(stored_runs(store), stored_runs(serial_store), check_exact=True)
    for key, table in monthly_tables(store).items():
        pd.testing.assert_frame_equal(table, monthly_tables(serial_store)[key], check_exact=True)


def test_a_rerun_runs_nothing_and_leaves_the_store_untouched(lhs_spec, serial_store, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(serial_store, store)
    before = {p: p.stat().st_mtime_ns for p in store.glob("[icm]*/*.parquet")}
    report = sweep_in_process(lhs_spec, store)
    assert (report.stored_before, report.run_now) == (8, 0)
    assert {p: p.stat().st_mtime_ns for p in store.glob("[icm]*/*.parquet")} == before


def test_a_code_change_makes_every_run_new(lhs_spec, serial_store, monkeypatch):
    stored = set(Store(serial_store).statuses())
    assert {t.key for t in plan(load_spec(lhs_spec))} == stored
    monkeypatch.setattr("model.sweeps.plan.run_code_version", lambda: "0123456789abcdef")
    assert {t.key for t in plan(load_spec(lhs_spec))}.isdisjoint(stored)


# --------------------------------------------------------------------------------- what is stored
def test_a_stored_run_is_the_run_model_run_gives_and_points_hold_median_and_band(lhs_spec, serial_store):
    sweep = load_spec(lhs_spec)
    runs = stored_runs(serial_store)
    row = runs[(runs["point"] == 3) & (runs["replicate"] == 1)].iloc[0]
    again = model.run(str(lhs_spec.parent / "short.yaml"), overrides=sweep.points[3], scale=0.01,
                      seed=int(row["seed"]), replicates=1)
    stored = pd.read_parquet(serial_store / "monthly" / f"{row['run_key']}.parquet")
    assert list(stored["run_key"].unique()) == [row["run_key"]]
    pd.testing.assert_frame_equal(stored.drop(columns="run_key"), again.monthly, check_exact=True)
    assert row["stalls.score_threshold"] == sweep.points[3]["stalls.score_threshold"]

    points = pd.read_csv(serial_store / "sweeps" / "spec" / "points.csv")
    assert len(points) == 4 and set(points["runs_ok"]) == {2}
    for outcome in ("population_end", "stall_bans", "businesses_end"):
        per_point = runs.groupby("point")[outcome]
        assert np.allclose(points[f"{outcome}_median"], per_point.median())
        assert np.allclose(points[f"{outcome}_p05"], per_point.quantile(0.05))
        assert np.allclose(points[f"{outcome}_p95"], per_point.quantile(0.95))
        assert (points[f"{outcome}_p05"] <= points[f"{outcome}_median"]).all()
    # The two replicates share seeds across points; the band is not empty somewhere.
    assert (points["population_end_p95"] > points["population_end_p05"]).any()


def test_a_failing_run_is_recorded_and_the_others_complete(tmp_path, monkeypatch, capsys):
    spec = write_spec(tmp_path, "base: short.yaml\ndesign: grid\nreplicates: 1\nscale: 0.01\n"
                                "vary:\n  renovation.resident_share: {values: [0.1, 0.2, 0.3]}\n")
    real_run = model.sweeps.runner.run

    def run_failing_at_20_percent(scenario):
        if scenario.levers["renovation.resident_share"] == 0.2:
            raise ValueError("residents refused to pay")
        return real_run(scenario)

    monkeypatch.setattr("model.sweeps.runner.run", run_failing_at_20_percent)
    store = tmp_path / "store"
    assert cli.main(["sweep", str(spec), "--workers", "1", "--store", str(store), "--quiet"]) == 1
    out = capsys.readouterr().out
    assert "0 already stored, 3 run now, 1 failed" in out
    assert "point 1, replicate 0" in out and "ValueError: residents refused to pay" in out
    runs = stored_runs(store).set_index("renovation.resident_share")
    assert runs.loc[[0.1, 0.3], "status"].tolist() == ["ok", "ok"]
    assert runs.loc[0.2, "status"] == "failed" and "residents refused to pay" in runs.loc[0.2, "error"]
    assert runs.loc[0.2, OUTCOMES].isna().all() and runs.loc[[0.1, 0.3], OUTCOMES].notna().all().all()
    points = pd.read_csv(store / "sweeps" / "spec" / "points.csv").set_index("renovation.resident_share")
    assert points.loc[0.2, ["runs_ok", "runs_failed"]].tolist() == [0, 1]
    assert np.isnan(points.loc[0.2, "population_end_median"]) and points.loc[0.3, "population_end_median"] > 0

    monkeypatch.setattr("model.sweeps.runner.run", real_run)  # the cause is fixed: a re-run retries only the failed run
    assert cli.main(["sweep", str(spec), "--workers", "1", "--store", str(store), "--quiet"]) == 0
    assert "2 already stored, 1 run now, 0 failed" in capsys.readouterr().out
    assert len(stored_runs(store)) == 3 and set(stored_runs(store)["status"]) == {"ok"}


# ------------------------------------------------------------------------------- sensitivity
@pytest.mark.parametrize("design, options, statistic", [("sobol", "samples: 4", "ST"),
                                                         ("morris", "samples: 3", "mu_star")])
def test_sensitivity_indices_single_out_the_key_that_drives_an_outcome(tmp_path, design, options, statistic):
    """The ban threshold decides how many vendors are banned; the residents' renovation share does not."""
    spec = write_spec(tmp_path, f"base: short.yaml\ndesign: {design}\n{options}\nreplicates: 1\nscale: 0.01\n"
                                "vary:\n  stalls.score_threshold: {range: [0, 100]}\n"
                                "  renovation.resident_share: {range: [0.0, 0.6]}\n")
    report = sweep_in_process(spec, tmp_path / "store")
    indices = pd.read_csv(tmp_path / "store" / "sweeps" / "spec" / "indices.csv")
    assert len(indices) == len(OUTCOMES) * 2
    bans = indices[indices["outcome"] == "stall_bans"].set_index("key")[statistic]
    printed = format_report(report)  # with intervals, and a warning: 4 base samples or 3 trajectories are too few
    assert "± its 95% interval" in printed
    assert any(line.startswith("stall_bans") and line.count(" ± ") == 2 for line in printed.splitlines())
    assert f"warning: only {report.sweep.shape.samples} " in printed
    if design == "sobol":
        assert report.run_now == 4 * (2 + 2)
        assert bans["stalls.score_threshold"] > 0.8 and abs(bans["renovation.resident_share"]) < 0.1
    else:
        assert len(report.sweep.points) == 3 * (2 + 1)  # trajectories may meet: a point met twice runs once
        assert report.run_now == len({tuple(p.values()) for p in report.sweep.points})
        assert bans["stalls.score_threshold"] > 10 * max(bans["renovation.resident_share"], 1.0)


# ------------------------------------------------------------------------------------ spec errors
GOOD = {"base": "short.yaml", "design": "lhs", "samples": "4", "replicates": "2", "scale": "0.01",
        "vary": "\n  renovation.resident_share: {range: [0.1, 0.4]}"}


def spec_text(**changes: str | None) -> str:
    fields = {**GOOD, **changes}
    return "".join(f"{key}: {value}\n" for key, value in fields.items() if value is not None)


SPEC_ERRORS = {
    "malformed_yaml": ("vary: [\n", "malformed YAML at line 2"),
    "not_a_mapping": ("- 1\n- 2\n", "a sweep spec must be a mapping of keys"),
    "unknown_key": (spec_text(replicate="3"), "unknown key 'replicate' (did you mean 'replicates'?)"),
    "typo_instead_of_a_required_key": (spec_text(replicates=None, replicate="2"),
                                       "unknown key 'replicate' (did you mean 'replicates'?)"),
    "unknown_key_far_from_any": (spec_text(colour="red"), "unknown key 'colour'; allowed keys: name, description, base"),
    "bad_max_runs": (spec_text(max_runs="0"), "max_runs: Input should be greater than or equal to 1"),
    "missing_design": (spec_text(design=None), "design: missing; write one of grid, lhs, sobol, morris"),
    "unknown_design": (spec_text(design="halton"), "design: Input should be 'grid', 'lhs', 'sobol' or 'morris'"),
    "missing_scale": (spec_text(scale=None), "scale: missing; write the fraction of the county simulated"),
    "bad_replicates": (spec_text(replicates="0"), "replicates: Input should be greater than or equal to 1"),
    "bad_name": (spec_text(name="my sweep"), "name: String should match pattern"),
    "empty_vary": (spec_text(vary="{}"), "vary: Dictionary should have at least 1 item"),
    "vary_not_a_mapping": (spec_text(vary="\n  renovation.resident_share: [0.1, 0.4]"),
                           "vary.renovation.resident_share: write {range: [low, high]}"),
    "unknown_vary_field": (spec_text(vary="\n  renovation.resident_share: {rnage: [0.1, 0.4]}"),
                           "vary.renovation.resident_share: unknown key 'rnage' (did you mean 'range'?)"),
    "unknown_registry_key": (spec_text(vary="\n  renovation.residents_share: {range: [0.1, 0.4]}"),
                             "vary.renovation.residents_share: unknown key; did you mean 'renovation.resident_share'?"),
    "fact": (spec_text(vary="\n  county.initial_population: {range: [1, 2]}"),
             "vary.county.initial_population: is a documented fact of the county"),
    "range_and_values": (spec_text(vary="\n  renovation.resident_share: {range: [0.1, 0.4], values: [0.2]}"),
                         "vary.renovation.resident_share: give either range: [low, high] or values"),
    "out_of_range": (spec_text(vary="\n  renovation.resident_share: {range: [0.1, 0.9]}"),
                     "vary.renovation.resident_share.range: 0.9 is outside the allowed range [0.0, 0.6]"),
    "not_a_number": (spec_text(design="grid", samples=None, vary="\n  renovation.resident_share: {values: [0.1, abc]}"),
                     "vary.renovation.resident_share.values[1]: 'abc' is not a number"),
    "empty_range": (spec_text(vary="\n  renovation.resident_share: {range: [0.4, 0.1]}"),
                    "vary.renovation.resident_share.range: the low end 0.4 must be below the high end 0.1"),
    "grid_range_without_steps": (spec_text(design="grid", samples=None),
                                 "vary.renovation.resident_share.range: a grid needs steps: N"),
    "values_in_lhs": (spec_text(vary="\n  renovation.resident_share: {values: [0.1, 0.2]}"),
                      "vary.renovation.resident_share.values: a lhs design samples a range"),
    "steps_with_values": (spec_text(design="grid", samples=None,
                                    vary="\n  renovation.resident_share: {values: [0.1], steps: 3}"),
                          "vary.renovation.resident_share.steps: steps go with a range"),
    "samples_missing": (spec_text(samples=None), "samples: missing; write lhs: points; sobol: base samples N"),
    "samples_in_grid": (spec_text(design="grid", vary="\n  renovation.resident_share: {values: [0.1]}"),
                        "samples: a grid has no samples"),
    "sobol_samples": (spec_text(design="sobol", samples="12"), "samples: 12 is not a power of 2"),
    "levels_outside_morris": (spec_text(levels="4"), "levels: levels are for morris designs, not lhs"),
    "unknown_base": (spec_text(base="nowhere"), "base: nowhere: no shipped scenario 'nowhere'; shipped: baseline"),
    "bad_base": (spec_text(base="broken.yaml"), "base: "),
}


def test_a_documented_uncertainty_of_a_county_is_evidence_not_a_sweep_dimension(tmp_path):
    county, _ = edited_registry(tmp_path, "economy.crash_depth", lambda entry: entry.update(
        status="documented", references=[{"figure": "dongsheng_pop_peak_2014"}]))
    spec = write_spec(tmp_path, spec_text(vary="\n  economy.crash_depth: {range: [0.1, 0.3]}"))
    with pytest.raises(InputError, match="vary.economy.crash_depth: is a documented uncertainty"):
        load_spec(spec, county=county)


@pytest.mark.parametrize("case", sorted(SPEC_ERRORS))
def test_each_spec_error_names_the_file_the_key_and_what_is_allowed(tmp_path, case):
    text, expected = SPEC_ERRORS[case]
    (tmp_path / "broken.yaml").write_text("levers:\n  renovation.resident_share: 2\n")
    spec = write_spec(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_spec(spec)
    message = str(caught.value)
    assert message.startswith(f"{spec}: ") and expected in message and "\n" not in message
    if case == "bad_base":
        assert "broken.yaml: levers.renovation.resident_share: 2 is outside the allowed range" in message


def test_a_bad_spec_gives_one_line_exit_code_2_and_runs_nothing(tmp_path):
    spec = write_spec(tmp_path, spec_text(vary="\n  renovation.resident_share: {range: [0.1, 0.9]}"))
    done = subprocess.run([sys.executable, "-m", "model.cli", "sweep", str(spec), "--store", str(tmp_path / "store")],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [f"error: {spec}: vary.renovation.resident_share.range: "
                                                "0.9 is outside the allowed range [0.0, 0.6] (fraction of cost)"]
    assert not (tmp_path / "store").exists() and done.stdout == ""

    missing = subprocess.run([sys.executable, "-m", "model.cli", "sweep", str(tmp_path / "absent.yaml")],
                             cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert missing.returncode == 2
    assert missing.stderr.strip() == f"error: {tmp_path / 'absent.yaml'}: sweep spec not found"


def test_a_second_sweep_on_a_store_in_use_and_zero_workers_are_refused(lhs_spec, tmp_path):
    with Store(tmp_path / "store").open():
        with pytest.raises(InputError, match="--store: .*store: another sweep is writing to this store"):
            sweep_in_process(lhs_spec, tmp_path / "store")
    assert not list((tmp_path / "store" / "index").iterdir())
    with pytest.raises(InputError, match="--workers: 0: must be a whole number >= 1"):
        sweep_in_process(lhs_spec, tmp_path / "store", workers=0)


# ------------------------------------------------------------------------------ shipped specs
@pytest.mark.parametrize("name, design, runs, keys", [
    ("cost_share_budget_coal", "grid", 54, {"renovation.resident_share", "renovation.budget",
                                            "economy.second_shock_depth"}),
    ("stall_policy", "lhs", 120, {"stalls.supply", "stalls.score_threshold", "stalls.ban_months"}),
    ("renovation_screening", "morris", 140, {"renovation.pay_rate", "renovation.collection_threshold"}),
    ("robust_renovation", "grid", 144, {"renovation.resident_share", "renovation.budget", "economy.second_shock_depth"}),
])
def test_shipped_specs_are_valid_and_as_large_as_they_say(name, design, runs, keys):
    sweep = load_spec(ROOT / "scenarios" / "sweeps" / f"{name}.yaml")
    assert sweep.name == name and sweep.design == design and sweep.runs == runs and keys <= set(sweep.keys)
    assert f"{runs} runs" in (ROOT / "scenarios" / "sweeps" / f"{name}.yaml").read_text()


# ------------------------------------------------------------------------------------ run limit
HUGE_GRID = ("base: short.yaml\ndesign: grid\nreplicates: 10\nscale: 0.01\nvary:\n"
             "  renovation.resident_share: {range: [0.1, 0.4], steps: 1000}\n"
             "  stalls.score_threshold: {range: [30, 90], steps: 1000}\n"
             "  renovation.budget: {range: [100000000, 300000000], steps: 1000}\n")


def test_a_design_above_the_run_limit_is_refused_with_its_count_and_time_before_planning(tmp_path):
    """10^10 runs: one line, exit 2, within seconds and a small memory (nothing is built or planned)."""
    spec = write_spec(tmp_path, HUGE_GRID)
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "model.cli", "sweep", str(spec), "--workers", "2", "--store",
                           str(tmp_path / "store")], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 2 and done.stdout == "" and time.monotonic() - started < 60
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"error: {spec}: max_runs: grid 1000 x 1000 x 1000 = 1,000,000,000 points x 10 "
                           "replicate(s) = 10,000,000,000 runs is above the limit of 100,000 runs (about ")
    assert " days on 2 worker(s), from a timed run at scale 0.01)" in line and "--max-runs N" in line
    assert not (tmp_path / "store").exists()


def test_the_run_limit_comes_from_max_runs_or_the_spec_key(tmp_path):
    spec = write_spec(tmp_path, LHS_SPEC)  # 4 points x 2 replicates
    assert load_spec(spec, max_runs=8).runs == 8
    with pytest.raises(InputError, match=r"max_runs: Latin hypercube \(LHS\), 4 samples of 2 key\(s\) = 4 points x 2 "
                                         r"replicate\(s\) = 8 runs is above the limit of 7 runs \(about \d+ seconds on one"):
        load_spec(spec, max_runs=7)
    capped = write_spec(tmp_path, LHS_SPEC + "max_runs: 5\n", name="capped.yaml")
    with pytest.raises(InputError, match="8 runs is above the limit of 5 runs"):
        load_spec(capped)
    assert load_spec(capped, max_runs=100).runs == 8  # --max-runs overrides the spec
    assert cli.main(["sweep", str(spec), "--max-runs", "0"]) == 2
    big = write_spec(tmp_path, LHS_SPEC.replace("samples: 4", "samples: 100000").replace("replicates: 2", "replicates: 100"),
                     name="big.yaml")
    with pytest.raises(InputError, match=r"= 100,000 points x 100 replicate\(s\) = 10,000,000 runs is above the limit "
                                         r"of 100,000 runs \(about [\d,]+ (hours|days) on one worker"):
        load_spec(big)


@pytest.mark.parametrize("design, options, vary, text", [
    ("grid", "", "{values: [0.1, 0.2, 0.2, 0.3]}", "grid 3 x 2 = 6 points"),
    ("lhs", "samples: 5", "{range: [0.1, 0.4]}", "Latin hypercube (LHS), 5 samples of 2 key(s) = 5 points"),
    ("sobol", "samples: 4", "{range: [0.1, 0.4]}", "Sobol' (Saltelli), N = 4 base samples x (2 keys + 2) = 16 points"),
    ("morris", "samples: 3\nlevels: 6", "{range: [0.1, 0.4]}",
     "Morris, 3 trajectories x (2 keys + 1), 6 levels = 9 points"),
])
def test_the_run_count_from_the_spec_is_the_count_of_the_points_built(tmp_path, design, options, vary, text):
    other = "{values: [1, 2]}" if design == "grid" else "{range: [1, 2]}"
    spec = write_spec(tmp_path, f"base: short.yaml\ndesign: {design}\n{options}\nreplicates: 2\nscale: 0.01\n"
                                f"vary:\n  renovation.resident_share: {vary}\n  stalls.ban_months: {other}\n")
    sweep = load_spec(spec)
    assert sweep.shape.points == len(sweep.points) and sweep.shape.text(2) == f"{text} x 2 replicate(s)"


def test_a_drawing_base_gives_replicate_i_joint_draw_i_under_its_own_run_key(tmp_path):
    """With `parameter_draws: true` in the base, each replicate takes its own joint draw (as replicate i of a
    run does), the same one at every design point, and its run key differs from the undrawn run's."""
    from model.inputs.draws import joint_draws

    (tmp_path / "drawing.yaml").write_text(SHORT_BASE + "parameter_draws: true\n", encoding="utf-8")
    drawing = write_spec(tmp_path, LHS_SPEC.replace("base: short.yaml", "base: drawing.yaml"), "drawing-spec.yaml")
    plain = write_spec(tmp_path, LHS_SPEC, "plain-spec.yaml")
    sweep = load_spec(drawing)
    assert {t.key for t in plan(sweep)}.isdisjoint(t.key for t in plan(load_spec(plain)))
    joint = joint_draws(sweep.resolved_base.registry())
    for replicate, seed in enumerate(sweep.replicate_seeds()):
        values = [sweep.replicate_scenario(point, replicate, seed)[1] for point in range(len(sweep.points))]
        assert all(v == values[0] for v in values)
        assert values[0]["migration.recovery_drift"] == pytest.approx(joint["migration.recovery_drift"].iloc[replicate])
