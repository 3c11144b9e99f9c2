"""Scenario files: extends, timeline, policy start, canonical form and run hash."""

from __future__ import annotations

import pytest

from model.inputs.calendar import parse_month
from model.inputs.errors import InputError
from model.inputs.registry import load_registry
from model.inputs.scenario import resolve


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_extends_takes_the_parents_values_and_the_child_overrides_them(tmp_path):
    write(tmp_path, "parent.yaml", 'extends: baseline\nlevers:\n  renovation.resident_share: 0.3\n  stalls.supply: 1000\n')
    child = write(tmp_path, "child.yaml", 'extends: parent.yaml\nlevers:\n  stalls.supply: 1200\nscale: 0.5\n')
    resolved = resolve(child)
    assert resolved.levers == {"renovation.resident_share": 0.3, "stalls.supply": 1200}
    assert resolved.scale == 0.5 and resolved.seed == 20140101  # the seed comes from baseline.yaml
    assert resolved.value_at("stalls.supply", parse_month("2030-01")) == 1200


def test_levers_take_effect_at_the_policy_start_and_the_registry_holds_before(tmp_path):
    path = write(tmp_path, "s.yaml", 'extends: baseline\npolicy_start: "2027-01"\nlevers:\n  renovation.resident_share: 0.3\n')
    resolved = resolve(path)
    assert resolved.value_at("renovation.resident_share", parse_month("2026-12")) == 0.2
    assert resolved.value_at("renovation.resident_share", parse_month("2027-01")) == 0.3


def test_uncertainties_hold_for_the_whole_run(tmp_path):
    path = write(tmp_path, "s.yaml", 'extends: baseline\nuncertainties:\n  economy.crash_depth: 0.35\n')
    assert resolve(path).value_at("economy.crash_depth", parse_month("2014-01")) == 0.35


def test_timeline_changes_apply_from_their_dates_in_order(tmp_path):
    path = write(tmp_path, "s.yaml", "\n".join([
        "extends: baseline", "levers:", "  renovation.resident_share: 0.3", "timeline:",
        '  - date: "2030-01"', "    levers: {renovation.resident_share: 0.1}",
        '  - date: "2028-01"', "    levers: {renovation.resident_share: 0.25}",
        '  - date: "2029-01"', "    uncertainties: {economy.second_shock_depth: 0.2}", ""]))
    resolved = resolve(path)
    share = lambda month: resolved.value_at("renovation.resident_share", parse_month(month))  # noqa: E731
    assert [share(m) for m in ("2025-12", "2026-01", "2028-01", "2029-12", "2030-01")] == [0.2, 0.3, 0.25, 0.25, 0.1]
    assert resolved.value_at("economy.second_shock_depth", parse_month("2029-01")) == 0.2


def test_schedule_values_set_each_dated_entry(tmp_path):
    path = write(tmp_path, "s.yaml", 'extends: baseline\nlevers:\n  renovation.budget: {"2026-01": 2.0e8, "2031-01": 1.0e8}\n')
    resolved = resolve(path)
    assert resolved.value_at("renovation.budget", parse_month("2023-06")) == 6.0e8  # the registry's own history
    assert resolved.value_at("renovation.budget", parse_month("2027-06")) == 2.0e8
    assert resolved.value_at("renovation.budget", parse_month("2031-06")) == 1.0e8


def test_overrides_from_the_command_line_go_to_levers_or_uncertainties_by_role():
    resolved = resolve("baseline", overrides=["renovation.resident_share=0.25", "economy.crash_depth=0.3"])
    assert resolved.levers == {"renovation.resident_share": 0.25}
    assert resolved.uncertainties == {"economy.crash_depth": 0.3}


def test_run_hash_covers_every_value_the_scale_and_the_seed():
    base = resolve("baseline")
    assert base.run_hash(1) == resolve("baseline").run_hash(1)
    assert base.run_hash(1) != base.run_hash(2)
    assert base.run_hash(1) != resolve("baseline", scale=0.5).run_hash(1)
    assert base.run_hash(1) != resolve("baseline", overrides=["households.birth_rate=0.02"]).run_hash(1)
    assert base.run_hash(1) != resolve("baseline", overrides=["renovation.resident_share=0.2000001"]).run_hash(1)


def test_canonical_form_lists_every_registry_parameter():
    canonical = resolve("baseline").canonical()
    assert set(canonical["parameters"]) == set(load_registry().parameters)
    assert canonical["parameters"]["economy.crash_start"] == [["start", "2014-07"]]


def test_every_shipped_what_if_asks_its_question_in_the_description():
    from model.inputs.scenario import SCENARIO_DIR
    for path in SCENARIO_DIR.glob("*.yaml"):
        resolved = resolve(path)
        assert "?" in resolved.description or "baseline" == resolved.name, path.name
        assert any("\u4e00" <= ch <= "\u9fff" for ch in resolved.description), f"{path.name} has no Chinese"


def test_an_uploaded_scenario_may_only_extend_a_shipped_scenario():
    with pytest.raises(InputError, match="only extend a shipped scenario"):
        resolve({"extends": "../calibration/parameters.yaml"}, allow_paths=False, where="uploaded scenario")
    assert resolve({"extends": "baseline", "levers": {"stalls.supply": 900}}, allow_paths=False).levers


def test_a_run_may_stop_before_the_income_reference_year():
    import model
    run = model.run({"extends": "baseline", "end": "2016-12"}, scale=0.01, seed=1)
    assert run.monthly["month"].iloc[-1] == "2016-12" and len(run.monthly) == 36
