"""`renewal run`: progress, results files, the outcome table in real-county units; `renewal cite` and
`renewal params` in both languages."""

from __future__ import annotations

import json
import re

import pandas as pd

from model.cli import SAID, main
from model.inputs.registry import CJK, load_registry
from model.inputs.units import unit_in
from model.inputs.versioning import code_version
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


def test_cite_and_params_print_chinese_with_lang_zh_and_english_as_before(capsys):
    """`renewal cite KEY --lang zh` and `renewal params --lang zh`: labels, units, status, reason, interval
    meaning, outlet and date in Chinese; without --lang the English citation is as it always was."""
    registry = load_registry()
    key, param, doc = "renovation.resident_share", registry["renovation.resident_share"], registry.sources["src002"]
    assert main(["cite", key, "--lang", "zh"]) == 0
    zh = capsys.readouterr().out
    for text in (param.label.zh, unit_in(param.unit, "zh"), "[有据]", doc["outlet_zh"], doc["date_zh"], "《社会治理",
                 "出处(引用)", "县域城市更新模型"):
        assert text in zh, text
    assert doc["outlet"] not in zh and doc["date"] not in zh and "County renewal model" not in zh
    assert main(["cite", key]) == 0
    lines = [f"{param.label.en} ({param.label.zh}) = {param.value} {param.unit} [{param.status}]"]
    for c in registry.citation(key):
        lines.append(f"Source (reference): {c['source_doc']['outlet']}, \"{c['source_doc']['title']}\", "
                     f"{c['source_doc']['date']} [{c['figure']}]: 「{c['quote_zh']}」 — {c['en']}")
    lines.append(f"County renewal model, Dongsheng district (dongsheng), parameter registry {registry.hash}, code "
                 f"version {code_version()}, key {key}.")
    assert capsys.readouterr().out == "\n".join(lines) + "\n"

    leave = registry["migration.crash_leave_effect"]
    assert main(["cite", "migration.crash_leave_effect", "--lang", "zh"]) == 0
    zh = capsys.readouterr().out
    assert f"校准依据:{leave.reason_zh}" in zh and leave.calibration.interval_meaning_zh in zh
    assert "对照目标 2015年末人口" in zh and leave.reason not in zh and leave.calibration.interval_meaning not in zh
    assert main(["cite", "migration.crash_leave_effect"]) == 0
    en = capsys.readouterr().out
    assert f"Why: {leave.reason}" in en and f"against population_2015 (artefact {leave.calibration.artefact};" in en

    assert main(["params", "--lang", "zh"]) == 0
    table = capsys.readouterr().out
    assert table.splitlines()[2] == "| 参数键 | 名称 | 英文名称 | 取值 | 单位 | 依据 | 校准区间 | 出处或理由 |"
    budget = registry["renovation.budget"]
    row = next(line for line in table.splitlines() if line.startswith("| renovation.budget |"))
    assert budget.reason_zh in row and "| 元/年 | 假设 |" in row and budget.reason not in table
    assert "outlet not named" not in table and doc["outlet_zh"] in table
    assert main(["params"]) == 0
    english = capsys.readouterr().out.splitlines()
    assert english[0] == f"Parameter registry (registry {registry.hash}, code {code_version()})"
    assert english[2] == "| key | label_en | label_zh | value | unit | status | interval | sources |"
    assert main(["params", "--format", "csv", "--lang", "zh"]) == 2
    assert capsys.readouterr().err.startswith("error: --lang: zh: give en, or zh with --format md")


def test_the_status_lines_of_commands_with_lang_exist_in_both_languages():
    """compare, discover, robust and report say where they wrote in their --lang (tests/test_report.py runs one)."""
    assert SAID["zh"].keys() == SAID["en"].keys()
    for what, english in SAID["en"].items():
        chinese = SAID["zh"][what]
        assert re.findall(r"{(\w+)}", chinese) == re.findall(r"{(\w+)}", english) and CJK.search(chinese), what
        assert not CJK.search(english), what
