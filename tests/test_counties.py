"""A county is data: a folder of its own runs end to end, a copy of Dongsheng's runs bit for bit like the
default, and a broken folder gets one line naming the file and the key."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml

import model
from model.inputs.citation import cite
from model.inputs.errors import InputError
from model.inputs.locations import COUNTIES_DIR
from model.inputs.registry import load_registry, tree_entries
from tests.conftest import ROOT, renewal

# A small county: 40 compounds, 20,000 people, no crash, its own plans and stall rules; calibrated values
# inherited from Dongsheng. Every key the tree gives no default for is here (docs/counties.md).
SMALL = {
    "county.start_month": "2014-01", "county.initial_population": 20000, "county.coal_sector_share": 0.05,
    "county.compounds_total": 40, "county.problem_compounds": 12, "county.old_compounds": 8,
    "county.small_compound_households": 60, "county.floor_area_per_household": 90, "county.initial_businesses": 2000,
    "county.old_built_from": 1985, "county.old_built_to": 1999, "county.problem_built_from": 2000,
    "county.problem_built_to": 2010, "county.estate_built_from": 2005, "county.estate_built_to": 2013,
    "economy.crash_start": "2014-07", "economy.crash_trough": "2015-12", "economy.crash_depth": 0.0,
    "economy.recovery_end": "2018-12", "economy.recovery_level": 1.0, "economy.city_pull": 1.0,
    "economy.income_growth": 0.04, "households.income_per_head": 40000, "households.income_reference_month": "2022-07",
    "renovation.resident_share": 0.25, "renovation.local_plan": {"2014-01": 0, "2023-01": 4},
    "renovation.local_plan_ongoing": {"2014-01": 0, "2025-01": 2}, "renovation.national_plan": {"2014-01": 0, "2019-01": 1},
    "renovation.budget": 5.0e6, "renovation.campaign_start": "2023-01", "renovation.season_end_month": 10,
    "disputes.centre_opening": "2022-01", "disputes.capacity": 200,
    "stalls.program_start": "2023-05", "stalls.markets": 2, "stalls.supply": 40, "stalls.score_threshold": 60,
    "stalls.ban_months": 3, "street_blocks.investment": {"2014-01": 0.0}, "street_blocks.cost_per_block": 2.0e7,
    "talent.housing_units": {"2014-01": 0, "2024-01": 20},
}


def write_county(folder: Path, values: dict, **about) -> Path:
    folder.mkdir(parents=True)
    (folder / "county.yaml").write_text(yaml.safe_dump({
        "name": {"zh": "小县", "en": "Small county"}, "place": {"zh": "测试", "en": "a test"}, "inherits": "dongsheng",
        **about}, allow_unicode=True), encoding="utf-8")
    entries = {key: {"value": value, "status": "assumed", "reason": "a test county's value", "reason_zh": "测试县的取值"}
               for key, value in values.items()}
    (folder / "parameters.yaml").write_text(yaml.safe_dump({"parameters": entries}, allow_unicode=True), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return write_county(tmp_path_factory.mktemp("counties") / "small", SMALL)


def test_a_county_of_its_own_runs_end_to_end_with_its_stock_and_no_crash(small):
    result = model.run("baseline", county=small, seed=3, replicates=2)
    monthly = result.monthly
    first = monthly[monthly["month"] == "2014-01"]
    assert first["population"].between(19000, 21000).all()  # 20,000 at the start, less one month's moves
    assert (result.compounds.groupby("replicate").size() == 40).all()
    assert np.allclose(monthly["economy_index"], 1.0)  # no crash
    assert monthly[monthly["month"] == "2024-12"]["stalls"].eq(40).all()
    done = monthly[(monthly["month"] >= "2023-01") & (monthly["month"] <= "2024-12")]
    assert done.groupby("replicate")["compounds_completed_local"].sum().max() <= 8  # its plan, 4 a year
    assert result.manifest["county"]["name"] == "small" and result.manifest["county"]["zh"] == "小县"


def test_a_county_without_its_own_calibration_cites_it_as_inherited(small):
    registry = load_registry(small)
    param = registry["migration.crash_leave_effect"]
    assert param.status == "calibrated" and param.calibration.inherited_from == "dongsheng"
    assert param.value == load_registry()["migration.crash_leave_effect"].value
    text = cite("migration.crash_leave_effect", registry)
    assert "inherited from it" in text and "Dongsheng district" in text and "Small county (small)" in text
    chinese = cite("migration.crash_leave_effect", registry, "zh")
    assert "校准(沿用东胜区的校准)" in chinese and "小县(small)" in chinese and "inherited" not in chinese
    assert registry.county.calibration_dir == COUNTIES_DIR / "dongsheng" / "calibration"


def test_a_copy_of_dongshengs_folder_gives_bit_identical_results(tmp_path):
    copy = tmp_path / "dongsheng_copy"
    shutil.copytree(COUNTIES_DIR / "dongsheng", copy)
    default = model.run("residents_pay_30", scale=0.02, seed=5, replicates=2, parameter_draws=True)
    copied = model.run("residents_pay_30", scale=0.02, seed=5, replicates=2, parameter_draws=True, county=copy)
    assert copied.monthly.equals(default.monthly) and copied.compounds.equals(default.compounds)
    assert copied.manifest["run_hashes"] == default.manifest["run_hashes"]
    assert copied.manifest["county"]["directory"] == str(copy.resolve())


def test_the_command_line_runs_a_county_folder(small, tmp_path):
    done = renewal("run", "--county", str(small), "--quiet", "--out", str(tmp_path / "out"), "--replicates", "1")
    assert done.returncode == 0, done.stderr
    assert "small" in (tmp_path / "out" / "manifest.json").read_text(encoding="utf-8")


def test_every_key_without_a_default_is_one_a_county_must_give_and_the_docs_list_them():
    required = {key for key, (entry, _) in tree_entries().items() if "value" not in entry}
    calibrated = {k for k, p in load_registry().parameters.items() if p.status == "calibrated"}
    assert required - calibrated == set(SMALL)
    docs = (ROOT / "docs" / "counties.md").read_text(encoding="utf-8")
    assert all(f"`{key}`" in docs for key in required)


@pytest.mark.parametrize("break_it, where, says", [
    (lambda f: (f / "parameters.yaml").write_text(yaml.safe_dump({"parameters": {
        k: {"value": v, "status": "assumed", "reason": "x", "reason_zh": "测试"} for k, v in SMALL.items()
        if k != "stalls.supply"}}, allow_unicode=True), encoding="utf-8"),
     "parameters.yaml: stalls.supply", "missing: every county gives this value"),
    (lambda f: (f / "county.yaml").write_text("name: {zh: 小县, en: Small}\nplace: {zh: a, en: b}\nmayor: x\n"),
     "county.yaml: mayor", "unknown key"),
    (lambda f: (f / "county.yaml").write_text("name: {zh: 小县}\nplace: {zh: a, en: b}\n"),
     "county.yaml: name.en", "Field required"),
    (lambda f: (f / "parameters.yaml").write_text("parameters:\n  county.population: {value: 1, status: assumed}\n"),
     "parameters.yaml: county.population", "not a parameter of the tree"),
    (lambda f: (f / "parameters.yaml").write_text("parameters:\n  stalls.supply: {value: 40, unit: stalls}\n"),
     "parameters.yaml: stalls.supply.unit", "a county may set only"),
    (lambda f: (f / "parameters.yaml").write_text("parameters:\n  a: 1\n  a: 2\n"),
     "parameters.yaml", "appears twice"),
    (lambda f: (f / "parameters.yaml").write_bytes("parameters: {}\n# 东".encode("gb18030")),
     "parameters.yaml", "not UTF-8"),
])
def test_a_broken_county_folder_gets_one_line_naming_the_file_and_key(tmp_path, break_it, where, says):
    folder = write_county(tmp_path / "broken", SMALL)
    break_it(folder)
    with pytest.raises(InputError) as caught:
        load_registry(folder)
    message = str(caught.value)
    assert where in message and says in message and "\n" not in message, message
    done = renewal("run", "--county", str(folder), "--quiet", "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and where in done.stderr, done.stderr
    assert not (tmp_path / "out").exists()


def test_an_unknown_county_is_named_with_the_shipped_ones():
    with pytest.raises(InputError, match="no county folder .* shipped counties: dongsheng"):
        model.run("baseline", county="atlantis")
