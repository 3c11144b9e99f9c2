"""`renewal run`: progress, results files, the outcome table in real-county units."""

from __future__ import annotations

import json

import pandas as pd

from tests.conftest import renewal


def test_run_writes_series_compounds_and_manifest_and_prints_the_outcome_table(tmp_path):
    out = tmp_path / "baseline"
    done = renewal("run", "--scale", "0.02", "--seed", "3", "--replicates", "2", "--out", str(out))
    assert done.returncode == 0, done.stderr
    monthly = pd.read_parquet(out / "monthly.parquet")
    compounds = pd.read_parquet(out / "compounds.parquet")
    manifest = json.loads((out / "manifest.json").read_text())
    assert len(monthly) == 2 * 264 and set(monthly["replicate"]) == {0, 1}
    assert monthly["month"].iloc[0] == "2014-01" and monthly["month"].iloc[-1] == "2035-12"
    assert monthly["population"].iloc[0] > 600_000  # real-county units at scale 0.02
    assert {"kind", "status", "cost_yuan", "resident_share_yuan", "government_share_yuan"} <= set(compounds.columns)
    for key in ("scenario_hash", "run_hashes", "registry_hash", "code_version", "seeds", "packages", "wall_time_s", "resolved"):
        assert key in manifest
    assert len(manifest["seeds"]) == 2 and manifest["scale"] == 0.02
    table = done.stdout
    for heading in ("population", "births", "deaths", "out", "return", "new", "renovated", "hh covered", "gov m¥",
                    "res m¥", "binds", "enterprises", "individual", "occupancy", "bans", "disp filed", "disp resolved",
                    "Who is left behind", "unresolved", "months_waiting"):
        assert heading in table
    assert "2035" in table and f"results written to {out}" in table
    assert "Fiscal strain" not in table  # the baseline's budget is within what revenue carries


def test_a_run_whose_budget_revenue_cannot_carry_says_so(tmp_path):
    done = renewal("run", "--scale", "0.02", "--seed", "3", "--set", "renovation.budget=1500000000",
                   "--out", str(tmp_path / "big"))
    assert done.returncode == 0, done.stderr
    assert "Fiscal strain: in 2026-2035 the renovation budget exceeds 20% of last year's revenue" in done.stdout


def test_each_shipped_scenario_runs(tmp_path):
    for name in ("residents_pay_30", "national_scheme_only", "stalls_double_lenient", "second_coal_shock_2027",
                 "talent_housing_push", "renovation_push"):
        done = renewal("run", name, "--scale", "0.01", "--quiet", "--out", str(tmp_path / name))
        assert done.returncode == 0, (name, done.stderr)
        assert json.loads((tmp_path / name / "manifest.json").read_text())["scenario"] == name
