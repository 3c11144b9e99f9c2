"""Calibration: parameters are recovered, an interrupted ABC-SMC resumes, the committed posterior fits (its
predictive replicates are what runs with draws give), and the registry matches its artefact."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest

import model
from model.calibration.calibrate import (MINIMUM_EPSILON, STOPPING_RULE, Settings, _moved_fit_targets, calibrate, format_fit,
                                         load_artefact, write_calibrated)
from model.inputs.draws import POSTERIOR_DRAWS, joint_draws
from model.inputs.counties import load_county
from model.inputs.citation import export
from model.inputs.registry import Parameter, load_registry
from model.inputs.targets import load_targets, simulated

RECOVER = {"migration.crash_leave_effect": 1.15, "businesses.formal_share_start": 0.85}  # truth = registry value x factor


def small(tmp_path, **changes) -> Settings:
    """A calibration small enough for a test: few particles, few generations, no nuisance parameters."""
    return Settings(**{"scale": 0.05, "population": 24, "draws": 40, "predictive": 6, "max_generations": 3,
                       "keys": list(RECOVER), "nuisance": [], "write_registry": False,
                       "results_dir": tmp_path / "results", "state_dir": tmp_path / "state", **changes})


def test_parameter_recovery_puts_the_known_values_inside_the_posterior(tmp_path):
    """Simulate at known values (other seeds than the calibration's), calibrate against those simulated
    targets, and find the known values inside the posterior's 90% intervals, which are narrower than the
    priors."""
    registry = load_registry()
    truth = {k: registry[k].schedule()[0][1] * f for k, f in RECOVER.items()}
    targets = load_targets()
    # several replicates, so that the synthetic "documents" carry little simulation noise of their own
    synthetic = model.run({"extends": "baseline", "end": targets.last_month()}, scale=0.05, seed=99,
                          replicates=8, overrides=truth).monthly
    observed = {name: float(simulated(synthetic, t).mean()) for name, t in targets.spec.targets.items()}
    artefact = calibrate(small(tmp_path, observed=observed, population=48, max_generations=5))
    for key, value in truth.items():
        low, high = artefact["intervals"][key]
        search_low, search_high = targets.spec.calibrated[key].search
        assert low <= value <= high, (key, value, low, high)
        assert high - low < 0.5 * (search_high - search_low), key


def test_an_interrupted_calibration_resumes_after_its_last_generation(tmp_path):
    first = calibrate(small(tmp_path, max_generations=2))
    again = calibrate(small(tmp_path, max_generations=3))  # the same database: two generations kept, one run
    stored = pd.read_csv(tmp_path / "results" / "generations.csv")
    assert first["generations"] == 2 and again["generations"] == 3 and list(stored["t"]) == [0, 1, 2]
    assert again["simulations"] > first["simulations"]
    assert not again["converged"] or again["epsilon"] <= MINIMUM_EPSILON


def test_the_joint_draws_are_equally_weighted_draws_of_the_last_generation(tmp_path):
    artefact = calibrate(small(tmp_path, max_generations=1))
    draws = pd.read_csv(tmp_path / "results" / POSTERIOR_DRAWS)
    assert len(draws) == artefact["draws"] == 40 and list(draws.columns) == list(RECOVER)
    for key in RECOVER:
        low, high = load_targets().spec.calibrated[key].search
        assert draws[key].between(low, high).all()
    assert draws.duplicated().sum() < len(draws)  # resampled, not one particle repeated
    assert artefact["method"].startswith("ABC-SMC (pyabc") and artefact["method_zh"].startswith("ABC-SMC(pyabc")
    assert "2个校准参数和0个干扰参数" in artefact["method_zh"] and "后验90%区间" in artefact["interval_meaning_zh"]


@pytest.fixture(scope="module")
def stored():
    """The committed artefact: the registry has calibrated entries, so it must exist."""
    artefact = load_artefact()
    assert artefact is not None, "counties/dongsheng/calibration/ is missing: the registry cites an artefact that is not committed"
    return artefact


def test_the_committed_calibration_reached_its_stopping_rule_with_enough_joint_draws(stored):
    artefact, _, _ = stored
    assert artefact["converged"] and artefact["stopping_rule"] == STOPPING_RULE
    assert artefact["draws"] >= 256


def test_the_committed_calibration_is_of_these_targets_and_parameters(stored):
    artefact, _, _ = stored
    targets = load_targets()
    assert artefact["targets_hash"] == targets.hash
    assert artefact["keys"] == list(targets.spec.calibrated) and artefact["nuisance"] == list(targets.spec.nuisance)
    assert artefact["proposed"] == [k for k, entry in targets.spec.nuisance.items() if entry.proposed]
    draws = joint_draws()
    assert len(draws) == artefact["draws"] and list(draws.columns) == artefact["keys"] + artefact["nuisance"]


def test_every_fit_target_holds_at_least_nine_in_ten_predictive_replicates(stored):
    _, fit, _ = stored
    shares = fit.set_index("target")["share_in_band"]
    for name in load_targets().names("fit"):
        assert shares[name] >= 0.9, (name, shares[name])


def test_a_run_with_parameter_draws_reproduces_the_posterior_predictive_table(stored):
    """The predictive replicates are what a run with parameter draws gives at the calibration's seed and
    scale: replicate i takes joint draw i, and the other drawn assumptions from its seed."""
    artefact, fit, _ = stored
    targets = load_targets()
    runs = model.run({"extends": "baseline", "end": targets.last_month()}, scale=artefact["scale"],
                     seed=artefact["seed"], replicates=len(artefact["predictive_seeds"]), parameter_draws=True,
                     workers=2)
    assert runs.manifest["seeds"] == artefact["predictive_seeds"]
    for row in fit.itertuples():
        values = simulated(runs.monthly, targets.spec.targets[row.target])
        assert values.between(row.band_low, row.band_high).mean() == pytest.approx(row.share_in_band), row.target
        assert values.median() == pytest.approx(row.simulated_median), row.target


def test_a_recomputed_predictive_may_move_checks_but_not_fit_targets(stored):
    """`renewal fit --predict` refuses a table whose fit targets moved (a parameter drawn outside the
    calibration acting on the fitted history); checks and holdouts may move."""
    _, fit, _ = stored
    assert _moved_fit_targets(fit, fit.copy()) == []
    checks = fit.copy()
    checks.loc[checks["role"] != "fit", "simulated_median"] += 1.0
    assert _moved_fit_targets(fit, checks) == []
    moved = fit.copy()
    first = moved.index[moved["role"] == "fit"][0]
    moved.loc[first, "share_in_band"] -= 1 / 64
    assert _moved_fit_targets(fit, moved) == [moved.loc[first, "target"]]


def test_holdout_errors_are_computed_and_shown(stored):
    _, fit, _ = stored
    holdout = fit[fit["role"] == "holdout"]
    assert set(holdout["target"]) == set(load_targets().names("holdout"))
    assert np.isfinite(holdout["error"]).all() and np.isfinite(holdout["simulated_median"]).all()
    table = format_fit()
    assert all(name in table for name in holdout["target"]) and "Posterior predictive" in table


def test_registry_calibrated_entries_are_the_posterior_medians_and_intervals(stored):
    artefact, _, identification = stored
    registry = load_registry()
    calibrated = {k for k, p in registry.parameters.items() if p.status == "calibrated"}
    assert calibrated == set(artefact["keys"]) and set(identification.columns) == calibrated | set(artefact["nuisance"])
    for key in calibrated:
        param = registry[key]
        assert param.value == pytest.approx(artefact["median"][key], rel=1e-3)
        assert list(param.calibration.interval) == pytest.approx(artefact["intervals"][key], rel=1e-3)
        assert param.calibration.artefact == artefact["id"]
        assert param.calibration.targets == artefact["targets"][key]
        assert "Posterior 90% interval" in param.calibration.interval_meaning


def test_calibrated_yaml_is_what_calibrate_writes_from_the_committed_artefact_in_both_languages(stored, tmp_path):
    artefact, _, _ = stored
    committed = load_county()
    copy = tmp_path / committed.name
    shutil.copytree(committed.directory, copy)
    write_calibrated(artefact, load_county(copy))
    assert (copy / "calibrated.yaml").read_text(encoding="utf-8") == committed.calibrated_file.read_text(encoding="utf-8")
    for key in artefact["keys"]:
        param = load_registry()[key]
        assert param.reason_zh == load_targets().spec.calibrated[key].why_zh
        assert (param.calibration.method_zh, param.calibration.interval_meaning_zh) == (
            artefact["method_zh"], artefact["interval_meaning_zh"])


def test_every_calibrated_entry_has_an_interval_and_its_targets():
    targets = load_targets()
    for param in load_registry().parameters.values():
        if param.status == "calibrated":
            low, high = param.calibration.interval
            assert low <= param.value <= high
            assert param.calibration.targets and all(t in targets.names("fit") for t in param.calibration.targets)


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
