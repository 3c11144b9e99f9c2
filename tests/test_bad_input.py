"""Each kind of bad input gets one line naming the file, the key and what is allowed; exit code 2; no output."""

from __future__ import annotations

import pickle

import pandas as pd
import pytest

import model
from model.inputs.errors import InputError
from model.results.store import write_results
from tests.conftest import TEST_SCALE, renewal

CASES = {
    "malformed_yaml": ("levers: [\n", "malformed YAML at line 2"),
    "unknown_key": ("lever:\n  x: 1\n", "lever: unknown key; allowed keys: name, description, question"),
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


def test_missing_scenario_file(tmp_path):
    done = renewal("run", str(tmp_path / "absent.yaml"), "--quiet")
    assert done.returncode == 2 and done.stderr.strip() == f"error: {tmp_path / 'absent.yaml'}: scenario file not found"


def test_cycle_of_extends_is_named(tmp_path):
    (tmp_path / "a.yaml").write_text("extends: b.yaml\n")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\n")
    done = renewal("run", str(tmp_path / "a.yaml"), "--quiet")
    assert done.returncode == 2 and "extends: cycle of extends:" in done.stderr and "a.yaml -> " in done.stderr


@pytest.mark.parametrize("setting, expected", [
    ("renovation.resident_share=2", "--set: levers.renovation.resident_share: 2 is outside the allowed range"),
    ("nonsense", "--set: nonsense: write KEY=VALUE"),
    ("no.such.key=1", "--set: no.such.key: unknown key"),
    ("county.compounds_total=5", "--set: county.compounds_total: is a documented fact"),
])
def test_bad_set_override(setting, expected):
    done = renewal("run", "--set", setting, "--quiet")
    assert done.returncode == 2 and expected in done.stderr and len(done.stderr.strip().splitlines()) == 1


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
