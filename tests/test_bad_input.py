"""Each kind of bad input gets one line naming the file, the key and what is allowed; exit code 2; no output."""

from __future__ import annotations

import pickle
from pathlib import Path

import pandas as pd
import pytest

import model
from model import cli
from model.inputs.errors import InputError
from model.inputs.registry import load_registry
from model.inputs.scenario import parse_value
from model.results.store import write_results
from tests.conftest import TEST_SCALE, renewal

CASES = {
    "malformed_yaml": ("levers: [\n", "malformed YAML at line 2"),
    "unknown_key": ("lever:\n  x: 1\n", "lever: unknown key; did you mean 'levers'? allowed keys: name, description, question"),
    "unknown_lever": ("levers:\n  renovation.residents_share: 0.3\n",
                      "levers.renovation.residents_share: unknown key; did you mean 'renovation.resident_share'?"),
    "wrong_type": ("levers:\n  renovation.resident_share: abc\n", "levers.renovation.resident_share: 'abc' is not a number"),
    "out_of_range": ("levers:\n  renovation.resident_share: 1.5\n",
                     "levers.renovation.resident_share: 1.5 is outside the allowed range [0.0, 0.6]"),
    "fact_in_levers": ("levers:\n  county.initial_population: 1\n", "is a documented fact of the county"),
    "uncertainty_in_levers": ("levers:\n  economy.crash_depth: 0.3\n", "is an uncertainty; put it under uncertainties"),
    "lever_before_policy_start": ('levers:\n  renovation.budget: {"2020-01": 1.0e+8}\n',
                                  "2020-01 is before the policy start 2026-01; a what-if cannot rewrite the past"),
    "end_before_start": ('extends: baseline\nend: "2013-12"\n', "end: 2013-12 is not after the start 2014-01"),
    "bad_month": ('extends: baseline\npolicy_start: "2026-13"\n', "policy_start: '2026-13' is not a month"),
    "missing_parent": ("extends: nowhere\n", "extends: no shipped scenario 'nowhere'; shipped: baseline"),
    "bad_scale": ("scale: 0\n", "scale: Input should be greater than 0"),
    "empty_document": ("# only a comment\n", "the file holds no YAML document"),
    "bool_for_number": ("levers:\n  stalls.supply: true\n", "levers.stalls.supply: True is not a number; allowed: [0, 5000]"),
    "quoted_scale": ('scale: "0.1"\n', "scale: Input should be a valid number (got '0.1'); write the number without quotes"),
    "quoted_lever": ('levers:\n  renovation.resident_share: "0.3"\n', "'0.3' is not a number; write the number without quotes"),
    "infinite_lever": ("levers:\n  renovation.resident_share: .inf\n", "inf is not a finite number; allowed: [0.0, 0.6]"),
    "infinite_whole_number": ("levers:\n  stalls.supply: -.inf\n", "stalls.supply: -inf is not a finite number"),
    "nan_uncertainty": ("uncertainties:\n  economy.crash_depth: .nan\n", "economy.crash_depth: nan is not a finite number"),
    "nan_in_schedule": ('levers:\n  renovation.budget: {"2027-01": .nan}\n', "renovation.budget: nan is not a finite number"),
    "infinite_scale": ("scale: .inf\n", "scale: Input should be a finite number"),
    "list_for_value": ("levers:\n  renovation.resident_share: [0.3]\n", "[0.3] is not a value; write one value"),
    "policy_start_before_start": ('extends: baseline\nstart: "2016-01"\npolicy_start: "2015-01"\n',
                                  "policy_start: 2015-01 is before the start 2016-01"),
    "policy_start_after_end": ('extends: baseline\nend: "2020-12"\nlevers:\n  renovation.resident_share: 0.3\n',
                               "end: 2020-12 is before the policy start 2026-01, so the levers set would never act"),
    "long_description": (f"description: {'x' * 10_001}\n", "description: String should have at most 10000 characters"),
    "too_long_timeline": ("timeline:\n" + '  - {date: "2027-01"}\n' * 1001, "timeline: List should have at most 1000 items"),
    "too_long_schedule": ("levers:\n  renovation.budget: {" + ", ".join(f'"{2026 + i // 12}-{i % 12 + 1:02d}": 1.0e+8'
                                                                        for i in range(1001)) + "}\n",
                          "renovation.budget: a schedule of 1,001 dated values; at most 1,000 are read"),
    "unknown_question_key": ("question: {zh: 问, en: q, fr: q}\n", "question.fr: unknown key; allowed keys: zh, en"),
    "unknown_timeline_key": ('timeline:\n  - {date: "2027-01", lever: {}}\n', "did you mean 'levers'?"),
    "escaping_name": ("name: ../../escaped\n", "name: '../../escaped' contains a path separator"),
    "dot_dot_name": ('name: ".."\n', "name: '..' contains '..'"),
    "hidden_name": ("name: .hidden\n", "name: '.hidden' starts with a dot"),
    "control_character_name": ('name: "a\\tb"\n', "contains a control character"),
    "long_name": (f"name: {'n' * 101}\n", "has 101 characters"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_scenario_gives_one_clear_line_and_exit_code_2(tmp_path, case):
    text, expected = CASES[case]
    path = tmp_path / f"{case}.yaml"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    done = renewal("run", str(path), "--scale", "0.01", "--quiet", "--out", str(out))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {path}") and expected in lines[0], done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def refused_scenario(tmp_path, name: str, content: bytes) -> tuple[Path, str]:
    """Run a scenario file with this content: refused with exit 2, no traceback, nothing written; its one line."""
    path = tmp_path / name
    path.write_bytes(content)
    done = renewal("run", str(path), "--quiet", "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()
    return path, done.stderr.strip()


def test_a_scenario_file_above_a_megabyte_is_refused_before_it_is_read(tmp_path):
    path, error = refused_scenario(tmp_path, "huge.yaml", ("extends: baseline\n" + "# padding\n" * 110_000).encode())
    assert error == f"error: {path}: the file has 1,100,018 bytes; at most 1,000,000 are read"


def test_a_scenario_that_is_not_utf8_is_refused(tmp_path):
    path, error = refused_scenario(tmp_path, "latin1.yaml", "name: caf\xe9\n".encode("latin-1"))
    assert error == f"error: {path}: not UTF-8 text (byte 9); save the file as UTF-8"


def test_a_sweep_named_to_escape_its_store_is_refused(tmp_path):
    spec = tmp_path / "escape.yaml"
    spec.write_text('name: ".."\ndesign: grid\nreplicates: 1\nscale: 0.01\n'
                    "vary:\n  renovation.resident_share: {values: [0.2]}\n", encoding="utf-8")
    done = renewal("sweep", str(spec), "--store", str(tmp_path / "store"), "--workers", "1", "--quiet")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [f"error: {spec}: name: '..' contains '..'; a name is up to 100 "
                                                "characters without '/', '\\', '..', a leading '.' or control characters"]
    assert not (tmp_path / "store").exists()


def test_missing_scenario_file(tmp_path):
    done = renewal("run", str(tmp_path / "absent.yaml"), "--quiet")
    assert done.returncode == 2 and done.stderr.strip() == f"error: {tmp_path / 'absent.yaml'}: scenario file not found"


def test_cycle_of_extends_is_named(tmp_path):
    (tmp_path / "a.yaml").write_text("extends: b.yaml\n")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\n")
    done = renewal("run", str(tmp_path / "a.yaml"), "--quiet")
    assert done.returncode == 2 and "extends: cycle of extends:" in done.stderr and "a.yaml -> " in done.stderr


@pytest.mark.parametrize("setting, expected", [
    ("renovation.resident_share=2", "--set: renovation.resident_share: 2 is outside the allowed range"),
    ("nonsense", "--set: nonsense: write KEY=VALUE"),
    ("no.such.key=1", "--set: no.such.key: unknown key"),
    ("county.compounds_total=5", "--set: county.compounds_total: is a documented fact"),
    ("stalls.supply=2.5", "--set: stalls.supply: 2.5 is not a whole number"),
    ("stalls.supply=true", "--set: stalls.supply: 'true' is not a number; allowed: [0, 5000]"),
    ("renovation.resident_share=inf", "--set: renovation.resident_share: inf is not a finite number"),
    ("stalls.supply=inf", "--set: stalls.supply: inf is not a finite number"),  # a whole-number key
    ("stalls.supply=nan", "--set: stalls.supply: nan is not a finite number"),
    ("renovation.resident_share=nan", "--set: renovation.resident_share: nan is not a finite number"),
    ("renovation.resident_share=0.3x", "--set: renovation.resident_share: '0.3x' is not a number; allowed: [0.0, 0.6]"),
    ("renovation.residents_share=0.3", "--set: renovation.residents_share: unknown key; did you mean "
                                       "'renovation.resident_share'?"),
    ('renovation.budget={"2027-01": abc}', "--set: renovation.budget: 'abc' is not a number"),
    ('renovation.budget={"2027-01": 3.0e9}', "renovation.budget: 3000000000.0 is outside the allowed range"),
])
def test_bad_set_override(tmp_path, setting, expected):
    done = renewal("run", "--set", setting, "--quiet", "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and expected in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr and not (tmp_path / "out").exists()


@pytest.mark.parametrize("scale, expected", [
    ("1e-7", "--scale: scale: 1e-07 is not allowed; scale must be a fraction of the county in [0.005, 4]"),
    ("nan", "--scale: scale: nan is not allowed"),
    ("inf", "--scale: scale: inf is not allowed"),
])
def test_a_scale_too_small_or_not_finite_is_refused_before_building(tmp_path, scale, expected):
    done = renewal("run", "--scale", scale, "--quiet", "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and "Traceback" not in done.stderr and expected in done.stderr
    assert not (tmp_path / "out").exists()


def test_parse_value_reads_text_by_the_registry_type():
    registry = load_registry()
    assert parse_value("stalls.supply", " 1200 ", registry) == 1200
    assert parse_value("renovation.resident_share", "0.3", registry) == 0.3
    assert parse_value("renovation.budget", '{"2027-01": 1.5e8}', registry) == {"2027-01": 1.5e8}
    with pytest.raises(InputError, match="stalls.supply: 2.5 is not a whole number"):
        parse_value("stalls.supply", "2.5", registry)


def test_an_interrupted_write_leaves_no_directory_looking_complete_and_keeps_older_results(tmp_path, monkeypatch):
    result = model.run("baseline", scale=TEST_SCALE, seed=1)
    out = write_results(result, tmp_path / "results")
    before = (out / "monthly.parquet").read_bytes()

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", fail)
    with pytest.raises(OSError):
        write_results(result, out)
    assert (out / "monthly.parquet").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results"]
    with pytest.raises(OSError):
        write_results(result, tmp_path / "fresh")
    assert not (tmp_path / "fresh").exists()


def test_an_input_error_raised_in_a_worker_process_reaches_the_caller_as_itself():
    """Calibration, sweeps and the app run in worker processes; their bad-input errors are pickled back."""
    error = InputError("scenario.yaml", "renovation.government_share", "above the plausible range [0.4, 1.0]")
    back = pickle.loads(pickle.dumps(error))
    assert isinstance(back, InputError) and str(back) == str(error) and back.key == error.key


def test_an_internal_error_is_not_disguised_as_bad_input(monkeypatch):
    """No catch-all: a bug reaches the user as itself (a traceback), not as a one-line refusal with exit 2."""
    def bug(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(cli, "resolve", bug)
    with pytest.raises(ZeroDivisionError):
        cli.main(["run", "--quiet"])


def test_a_build_year_span_that_ends_before_it_begins_is_refused_naming_the_key(tmp_path):
    """Each end lies within its own range, but the two cross: refused before building, not deep in NumPy."""
    path, error = refused_scenario(tmp_path, "crossed.yaml", b"extends: baseline\nuncertainties:\n"
                                   b"  county.estate_built_from: 2010\n  county.estate_built_to: 2005\n")
    assert error == (f"error: {path}: county.estate_built_from: county.estate_built_from = 2010 is after "
                     "county.estate_built_to = 2005; the span's first year must not be after its last")
