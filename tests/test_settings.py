"""The app's settings: slider bounds from the registry, links and files that round-trip, bad ones refused
with one line, and a saved setting that `renewal run` reproduces number for number."""

from __future__ import annotations

import re

import pytest
import yaml

import model
from model.app.settings import (CONTROLS, MAX_REPLICATES, RUN_BOUNDS, SCALES, Settings, from_link, from_query, from_yaml,
                                parameter_bounds, tidy)
from model.inputs.errors import InputError
from model.inputs.registry import load_registry
from model.results.outcomes import identical_before
from model.results.store import read_results
from tests.conftest import ROOT, renewal

TINY = {"scale": 0.01, "replicates": 2}


@pytest.mark.parametrize("control", CONTROLS, ids=lambda c: c.key)
def test_each_control_spans_its_registry_range_and_round_trips(control):
    param = load_registry()[control.key]
    low, high = control.shown_bounds()
    assert low < high
    assert sorted(control.from_shown(v) for v in (low, high)) == sorted(
        param.display_value(v) for v in param.bounds())
    default = Settings().value(control.key)
    assert control.from_shown(control.to_shown(default)) == default


def test_the_government_share_slider_is_the_residents_share_turned_round():
    share = next(c for c in CONTROLS if c.key == "renovation.resident_share")
    assert share.shown_bounds() == (40, 100)  # residents pay 0-60% in the registry
    assert share.to_shown(0.2) == 80 and share.from_shown(65) == 0.35


def test_a_value_equal_to_the_presets_is_no_change():
    settings = Settings().with_value("stalls.supply", 1200)
    assert settings.changes == {"stalls.supply": 1200}
    assert settings.with_value("stalls.supply", 840).changes == {}
    assert Settings(preset="stalls_double_lenient").value("stalls.supply") == 1680


def test_a_link_holds_only_what_changed_and_restores_it():
    assert Settings().to_query() == {}
    settings = (Settings(preset="residents_pay_30", policy_start="2027-01", seed=5, replicates=3)
                .with_value("renovation.budget", 3e8).with_value("economy.second_shock_start", "2029-01"))
    query = settings.to_query()
    assert query == {"preset": "residents_pay_30", "policy_start": "2027-01", "seed": "5", "replicates": "3",
                     "renovation.budget": "300000000", "economy.second_shock_start": "2029-01"}
    assert from_query(query) == settings


def test_a_saved_file_restores_the_setting():
    settings = Settings(preset="talent_housing_push").with_value("talent.housing_units", 2000)
    assert from_yaml(settings.to_yaml()) == settings


@pytest.mark.parametrize("query, key", [
    ({"renovation.resident_share": "0.9"}, "renovation.resident_share"),
    ({"renovation.resident_shares": "0.3"}, "renovation.resident_shares"),
    ({"county.initial_population": "600000"}, "county.initial_population"),
    ({"preset": "../calibration/parameters"}, "preset"),
    ({"policy_start": "2026-13"}, "policy_start"),
    ({"policy_start": "2040-01"}, "policy_start"),
    ({"scale": "a lot"}, "scale"),
    ({"replicates": "0"}, "replicates"),
    ({"stalls.supply": "many"}, "stalls.supply"),
])
def test_a_bad_link_is_one_line_naming_the_setting(query, key):
    with pytest.raises(InputError) as caught:
        from_query(query)
    message = str(caught.value)
    assert message.startswith(f"link: {key}:") and "\n" not in message


@pytest.mark.parametrize("query, message", [
    ({"stalls.supply": "inf"}, "stalls.supply: inf is not allowed; allowed: a whole number from 0 to 5,000"),
    ({"stalls.supply": "-inf"}, "stalls.supply: -inf is not allowed; allowed: a whole number from 0 to 5,000"),
    ({"stalls.supply": "nan"}, "stalls.supply: nan is not allowed"),
    ({"stalls.supply": "1e400"}, "stalls.supply: 1e400 is not allowed"),
    ({"stalls.supply": "12.5"}, "stalls.supply: 12.5 is not allowed; allowed: a whole number"),
    ({"renovation.resident_share": "nan"}, "renovation.resident_share: nan is not allowed; allowed: a number from 0 to 0.6"),
    ({"scale": "0.001"}, "scale: 0.001 is not allowed; allowed: a number from 0.01 to 0.25"),
    ({"scale": "1e-7"}, "scale: 1e-7 is not allowed"),
    ({"scale": "4"}, "scale: 4 is not allowed"),
    ({"replicates": "1000"}, "replicates: 1000 is not allowed; allowed: a whole number from 1 to 32"),
    ({"replicates": "2.5"}, "replicates: 2.5 is not allowed"),
    ({"seed": "1e30"}, "seed: 1e30 is not allowed; allowed: a whole number from 0 to 9,007,199,254,740,991"),
    ({"economy.second_shock_start": "inf"}, "economy.second_shock_start: 'inf' is not a month"),
])
def test_a_link_value_is_bounded_exactly_like_its_widget(query, message):
    with pytest.raises(InputError) as caught:
        from_query(query)
    assert str(caught.value) == f"link: {message}" or str(caught.value).startswith(f"link: {message}")
    settings, errors = from_link(query)
    assert settings == Settings() and [str(e) for e in errors] == [str(caught.value)]


def test_the_widgets_and_the_link_read_one_definition_of_their_bounds():
    """The replicates slider, the scale options and the seed input are built from RUN_BOUNDS; a control's
    slider from its parameter's bounds, which the link parser reads too."""
    assert (RUN_BOUNDS["scale"].low, RUN_BOUNDS["scale"].high) == (min(SCALES), max(SCALES))
    assert (RUN_BOUNDS["replicates"].low, RUN_BOUNDS["replicates"].high) == (1, MAX_REPLICATES)
    app = (ROOT / "model/app/page.py").read_text()
    assert "SCALES =" not in app and "MAX_REPLICATES" not in app and 'RUN_BOUNDS["replicates"]' in app
    registry = load_registry()
    for control in CONTROLS:
        bounds = parameter_bounds(registry[control.key])
        if control.shown_as != "month":
            edges = sorted(control.to_shown(registry[control.key].display_value(v)) for v in (bounds.low, bounds.high))
            assert tuple(edges) == tuple(sorted(control.shown_bounds(registry)))
            assert from_query({control.key: str(bounds.high)}).value(control.key) == tidy(registry[control.key], bounds.high)
            with pytest.raises(InputError, match=f"link: {re.escape(control.key)}: .* is not allowed"):
                from_query({control.key: str(bounds.high + 1)})
    assert from_query({"scale": "0.25", "replicates": "32"}).replicates == 32


def test_an_uploaded_file_is_bounded_like_the_run_widgets():
    with pytest.raises(InputError, match="mine.yaml: replicates: 1000 is not allowed; allowed: a whole number from 1 to 32"):
        from_yaml("extends: baseline\nreplicates: 1000\n", where="mine.yaml")
    with pytest.raises(InputError, match="mine.yaml: scale: 4.0 is not allowed; allowed: a number from 0.01 to 0.25"):
        from_yaml("extends: baseline\nscale: 4\n", where="mine.yaml")


def test_a_link_with_a_bad_value_restores_the_rest():
    settings, errors = from_link({"scale": "0.01", "stalls.supply": "99999", "talent.housing_units": "300",
                                  "preset": "nowhere"})
    assert settings == Settings(scale=0.01).with_value("talent.housing_units", 300)
    assert [e.key for e in errors] == ["preset", "stalls.supply"]


def test_a_file_can_only_extend_a_shipped_scenario_and_never_reads_another(tmp_path):
    other = tmp_path / "other.yaml"
    other.write_text("levers: {stalls.supply: 4000}\n")
    for extends in (str(other), "../scenarios/baseline.yaml", "no_such_scenario"):
        with pytest.raises(InputError, match="extends: must name a shipped scenario"):
            from_yaml(f"extends: {extends}\n")


@pytest.mark.parametrize("text, key", [
    ("extends: baseline\nlevers: {renovation.resident_share: 0.9}\n", "levers.renovation.resident_share"),
    ("extends: baseline\nlevers: {economy.crash_depth: 0.3}\n", "levers.economy.crash_depth"),
    ("extends: baseline\nlevers: {renovation.budget: {'2027-01': 1.0e+8}}\n", "levers.renovation.budget"),
    ("extends: baseline\ntimeline: []\n", "timeline"),
    ("extends: baseline\nscale: 9\n", "scale"),
    ("extends: baseline\nlevers: [1, 2\n", None),
    ("- just a list\n", None),
])
def test_a_bad_file_is_one_line_naming_the_key(text, key):
    with pytest.raises(InputError) as caught:
        from_yaml(text, where="mine.yaml")
    message = str(caught.value)
    assert message.startswith(f"mine.yaml: {key}:" if key else "mine.yaml: ") and "\n" not in message


def test_the_baseline_shares_the_settings_world_and_equals_it_before_the_policy_start():
    settings = (Settings(policy_start="2024-01", **TINY).with_value("stalls.supply", 2000)
                .with_value("economy.crash_depth", 0.4))
    reference = settings.reference_scenario()
    assert reference["extends"] == "baseline" and "levers" not in reference
    assert reference["uncertainties"] == {"economy.crash_depth": 0.4}
    own, base = model.run(settings.to_scenario(), allow_paths=False), model.run(reference, allow_paths=False)
    assert own.manifest["parameter_draws"] == base.manifest["parameter_draws"]
    assert identical_before(own.monthly, base.monthly, "2024-01")
    after = own.monthly["month"] >= "2024-01"
    assert not own.monthly[after]["stalls"].equals(base.monthly[after]["stalls"])


def test_against_the_baseline_itself_the_outside_conditions_are_the_baselines():
    settings = Settings(compare="baseline_world").with_value("economy.second_shock_depth", 0.3)
    assert "uncertainties" not in settings.reference_scenario()
    assert settings.to_query() == {"compare": "baseline_world", "economy.second_shock_depth": "0.3"}
    assert from_query(settings.to_query()) == settings
    with pytest.raises(InputError, match="link: compare:"):
        from_query({"compare": "elsewhere"})


def test_the_saved_yaml_runs_unchanged_with_renewal_run_and_gives_the_same_numbers(tmp_path):
    settings = Settings(preset="residents_pay_30", **TINY).with_value("stalls.supply", 1200)
    path = tmp_path / "saved.yaml"
    path.write_text(settings.to_yaml(), encoding="utf-8")
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["parameter_draws"] is True
    done = renewal("run", str(path), "--quiet", "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    monthly, _, manifest = read_results(tmp_path / "out")
    in_app = model.run(settings.to_scenario(), allow_paths=False)
    assert manifest["scenario_hash"] == in_app.manifest["scenario_hash"]
    assert monthly.equals(in_app.monthly)
