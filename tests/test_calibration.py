"""Calibration: parameters are recovered, the calibrated baseline fits, and the registry matches its artefact."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import model
from model.calibration.calibrate import Calibration, Settings, calibrate, format_fit, load_artefact
from model.inputs.counties import load_county
from model.inputs.citation import export
from model.inputs.registry import Parameter, load_registry
from model.inputs.targets import load_targets, simulated

RECOVER = {"migration.crash_leave_effect": 1.15, "businesses.formal_share_start": 0.85}  # truth = registry value x factor


def test_parameter_recovery_puts_the_known_values_inside_the_reported_intervals(tmp_path):
    """Simulate at known values (other seeds than the calibration's), calibrate against those
    simulated targets, and find the known values inside the intervals."""
    registry = load_registry()
    truth = {k: registry[k].schedule()[0][1] * f for k, f in RECOVER.items()}
    targets = load_targets()
    # many replicates, so that the synthetic "documents" carry little simulation noise of their own
    synthetic = model.run({"extends": "baseline", "end": targets.last_month()}, scale=0.1, seed=99,
                          replicates=16, overrides=truth).monthly
    observed = {name: float(simulated(synthetic, t).mean()) for name, t in targets.spec.targets.items()}
    settings = Settings(scale=0.1, replicates=4, budget=float("inf"), max_evaluations=30, workers=2, abc_samples=20,
                        keys=list(RECOVER),
                        observed=observed, write_registry=False, results_dir=tmp_path / "results",
                        state_dir=tmp_path / "state")
    artefact = calibrate(settings)
    for key, value in truth.items():
        low, high = artefact["intervals"][key]
        assert low <= value <= high, (key, value, low, high)
        assert abs(artefact["optimum"][key] - value) < 0.2 * value
    assert artefact["accepted"] >= 2


def test_an_interrupted_calibration_resumes_from_its_cached_evaluations(tmp_path):
    settings = Settings(scale=0.02, replicates=1, keys=["businesses.formal_share_start"], state_dir=tmp_path)
    with ThreadPoolExecutor(1) as pool:
        first = Calibration(settings, pool)
        values = first.evaluate(np.array([0.4]))
    with ThreadPoolExecutor(1) as pool:
        resumed = Calibration(settings, pool)
        resumed.executor = None  # a cache hit must not run anything
        assert resumed.evaluate(np.array([0.4])).equals(values)


@pytest.fixture(scope="module")
def stored():
    """The committed artefact: the registry has calibrated entries, so it must exist."""
    artefact = load_artefact()
    assert artefact is not None, "counties/dongsheng/calibration/ is missing: the registry cites an artefact that is not committed"
    return artefact


def test_calibrated_baseline_reproduces_every_fit_target_within_its_tolerance(stored):
    artefact, _, _ = stored
    targets = load_targets()
    run = model.run({"extends": "baseline", "end": targets.last_month()}, scale=artefact["scale"],
                    seed=11, replicates=artefact["replicates"])
    for name in targets.names("fit"):
        low, high = targets.band(name)
        assert low <= simulated(run.monthly, targets.spec.targets[name]).mean() <= high, name


def test_holdout_errors_are_computed_and_shown(stored):
    _, fit, _ = stored
    holdout = fit[fit["role"] == "holdout"]
    assert set(holdout["target"]) == set(load_targets().names("holdout"))
    assert np.isfinite(holdout["error"]).all() and np.isfinite(holdout["simulated_mean"]).all()
    table = format_fit()
    assert all(name in table for name in holdout["target"])


def test_registry_calibrated_entries_match_the_stored_artefact(stored):
    artefact, _, identification = stored
    registry = load_registry()
    calibrated = {k for k, p in registry.parameters.items() if p.status == "calibrated"}
    assert calibrated == set(artefact["optimum"]) == set(identification.columns)
    for key in calibrated:
        param = registry[key]
        assert param.value == pytest.approx(artefact["optimum"][key], rel=1e-3)
        assert list(param.calibration.interval) == pytest.approx(artefact["intervals"][key], rel=1e-3)
        assert param.calibration.artefact == artefact["id"]
        assert param.calibration.targets == artefact["targets"][key]


def test_every_calibrated_entry_has_an_interval_and_its_targets():
    targets = load_targets()
    for param in load_registry().parameters.values():
        if param.status == "calibrated":
            low, high = param.calibration.interval
            assert low <= param.value <= high
            assert param.calibration.targets and all(t in targets.names("fit") for t in param.calibration.targets)
            assert "acceptance" in param.calibration.interval_meaning or "search box" in param.calibration.interval_meaning


def test_the_json_export_round_trips_to_the_same_registry():
    registry = load_registry()
    exported = json.loads(export("json"))
    assert exported["registry_hash"] == registry.hash
    assert {k: Parameter.model_validate(v) for k, v in exported["parameters"].items()} == registry.parameters
    assert exported["figures"] == registry.figures and exported["sources"] == registry.sources


def test_every_target_figure_is_never_used_to_build_the_county():
    registry = load_registry()
    target_figures = {t.figure for t in load_targets().spec.targets.values()}
    cited = {ref.figure for p in registry.parameters.values() for ref in p.references}
    assert not target_figures & cited
    assert len(load_targets().names("holdout")) >= 2


def test_params_csv_lists_every_parameter_with_status_and_source():
    import csv
    import io
    rows = list(csv.DictReader(io.StringIO(export("csv"))))
    registry = load_registry()
    assert [r["key"] for r in rows] == list(registry.parameters)
    for row in rows:
        assert row["status"] in ("documented", "calibrated", "assumed")
        assert row["sources"] or row["reason"], row["key"]
        if row["status"] == "documented":
            assert "「" in row["sources"]


def test_the_calibration_artefact_lives_in_its_county_folder():
    county = load_county()
    assert county.calibration_dir == county.directory / "calibration" and county.directory.parent.name == "counties"
    assert (county.calibration_dir / "calibration.json").is_file() and county.calibrated_file.is_file()
