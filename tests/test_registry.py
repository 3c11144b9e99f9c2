"""The parameter registry: every number has a status, a unit and its evidence, and the model reads them all."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml

import model
from model.inputs.errors import InputError
from model.inputs.params import Params
from model.inputs.counties import load_county
from model.inputs.registry import CJK, SOURCE_TEXTS, load_registry, tree_entries
from model.inputs.units import UNITS_ZH, unit_in
from model.inputs.scenario import resolve
from model.simulation.model import RenewalModel
from tests.conftest import edited_registry

ROOT = Path(__file__).resolve().parent.parent
# Modules whose code is model behaviour: the simulation (but its table of measure labels) and the
# parameters it reads; the others are plumbing (dates, files, CLI, labels).
BEHAVIOUR = [path for path in sorted((ROOT / "model" / "simulation").rglob("*.py")) if path.name != "measures.py"]
BEHAVIOUR.append(ROOT / "model" / "inputs" / "params.py")
# Literals allowed inside behaviour code: identities and the binary split, not behaviour.
NEUTRAL = {0, 1, 2, -1}


def broken_registry(tmp_path, key, change):
    return edited_registry(tmp_path, key, change)


@pytest.mark.parametrize("field", ["status", "unit"])
def test_an_entry_without_status_or_unit_is_refused(tmp_path, field):
    directory = broken_registry(tmp_path, "households.birth_rate", lambda entry: entry.pop(field))
    with pytest.raises(InputError, match=f"households.birth_rate: {field}: Field required"):
        load_registry(*directory)


def test_a_documented_entry_without_a_reference_is_refused(tmp_path):
    directory = broken_registry(tmp_path, "stalls.ban_months", lambda entry: entry.pop("references"))
    with pytest.raises(InputError, match="stalls.ban_months: a documented parameter needs references"):
        load_registry(*directory)


def test_an_assumed_entry_without_a_reason_is_refused(tmp_path):
    directory = broken_registry(tmp_path, "households.birth_rate", lambda entry: entry.pop("reason"))
    with pytest.raises(InputError, match="households.birth_rate: an assumed parameter needs a reason"):
        load_registry(*directory)


def written_entries() -> list[tuple[str, dict]]:
    """Every entry as written: the parameter tree's and Dongsheng's (its values and its calibrated values)."""
    county = load_county()
    return [(key, entry) for key, (entry, _) in [*tree_entries().items(), *county.entries.items()]]


def test_every_text_shown_has_its_chinese_in_the_tree_and_in_dongsheng():
    """A reason has its reason_zh, a calibration its method_zh and interval_meaning_zh, each in Chinese."""
    missing = []
    for key, entry in written_entries():
        texts = [(entry, "reason"), *((entry["calibration"], f) for f in ("method", "interval_meaning")
                                      if "calibration" in entry)]
        missing += [f"{key}.{field}" for owner, field in texts
                    if owner.get(field) and not CJK.search(owner.get(f"{field}_zh") or "")]
    assert missing == []
    assert sum("reason_zh" in entry for _, entry in written_entries()) > 140


def test_every_reference_note_and_source_text_shown_has_its_chinese():
    """A reference's note has its note_zh; a source document's outlet, title, date, unknown fields and note
    that are (partly) English have their Chinese, which Chinese mode shows."""
    notes = [(key, ref) for key, entry in written_entries() for ref in entry.get("references") or [] if "note" in ref]
    assert len(notes) >= 14
    assert [key for key, ref in notes if not CJK.search(ref.get("note_zh") or "")] == []
    registry = load_registry()
    assert len(registry.sources) == 5
    for source_id, source in registry.sources.items():
        for field in SOURCE_TEXTS:
            if any(c.isascii() and c.isalpha() for c in str(source.get(field, ""))):
                assert CJK.search(str(source.get(f"{field}_zh", ""))), (source_id, field)


def test_a_note_without_its_chinese_is_refused(tmp_path):
    directory = broken_registry(tmp_path, "county.compounds_total", lambda entry: entry["references"][0].pop("note_zh"))
    with pytest.raises(InputError, match=r"parameters.yaml: county.compounds_total: references.0: note needs its "
                                         r"Chinese, note_zh"):
        load_registry(*directory)


@pytest.mark.parametrize("where, source, field", [("county", "src002", "note"), ("tree", "src004", "outlet"),
                                                  ("county", "src000", "unknown")])
def test_a_source_text_in_english_without_its_chinese_is_refused(tmp_path, where, source, field):
    county, tree = broken_registry(tmp_path, "households.birth_rate", lambda entry: None)
    path = (county if where == "county" else tree.parent) / "sources.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["sources"][source].pop(f"{field}_zh")
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError, match=rf"sources.yaml: {source}.{field}: needs its Chinese, {field}_zh"):
        load_registry(county, tree)


@pytest.mark.parametrize("key", ["households.birth_rate", "economy.crash_depth", "migration.crash_leave_effect"])
def test_a_reason_without_its_chinese_is_refused(tmp_path, key):
    """In the tree, in a county's values and in its calibrated values alike."""
    directory = broken_registry(tmp_path, key, lambda entry: entry.pop("reason_zh"))
    with pytest.raises(InputError, match=f"{key}: reason needs its Chinese, reason_zh"):
        load_registry(*directory)


def test_a_reason_in_english_under_reason_zh_is_refused(tmp_path):
    directory = broken_registry(tmp_path, "households.birth_rate", lambda entry: entry.update(reason_zh=entry["reason"]))
    with pytest.raises(InputError, match="households.birth_rate: reason needs its Chinese"):
        load_registry(*directory)


@pytest.mark.parametrize("field", ["method", "interval_meaning"])
def test_a_calibration_without_its_chinese_is_refused(tmp_path, field):
    directory = broken_registry(tmp_path, "migration.recovery_drift",
                                lambda entry: entry["calibration"].pop(f"{field}_zh"))
    with pytest.raises(InputError, match=f"migration.recovery_drift: calibration: {field} needs its Chinese"):
        load_registry(*directory)


def test_every_unit_in_the_registry_has_its_chinese():
    units = {entry["unit"] for _, entry in written_entries() if "unit" in entry}
    assert units == {p.unit for p in load_registry().parameters.values()}
    assert sorted(units - set(UNITS_ZH)) == []
    assert [unit for unit in units if not CJK.search(UNITS_ZH[unit])] == []
    assert unit_in("yuan per year", "zh") == "元/年" and unit_in("yuan per year", "en") == "yuan per year"


def test_a_target_figure_cannot_build_the_county(tmp_path):
    def cite_target(entry):
        entry["references"] = [{"figure": "dongsheng_pop_2015"}]
    directory = broken_registry(tmp_path, "county.initial_population", cite_target)
    with pytest.raises(InputError, match="is a target figure; a documented parameter may cite only"):
        load_registry(*directory)


def test_every_reference_names_a_figure_carried_in_the_project_with_its_quote_and_source():
    registry = load_registry()
    for key in registry.parameters:
        for cited in registry.citation(key):
            assert cited["quote_zh"] and cited["en"] and cited["source_doc"]["outlet"], key


def test_every_value_lies_in_its_range():
    for key, param in load_registry().parameters.items():
        low, high = param.bounds()
        assert all(low <= value <= high for _, value in param.schedule()), key


def test_every_registry_key_is_read_by_the_model():
    params = Params(resolve("baseline", scale=0.02))
    county = RenewalModel(params, seed=1)
    for _ in range(len(params.months)):
        county.step()
    assert params.read == set(load_registry().parameters)


def test_model_code_holds_no_behavioural_constant_outside_the_registry():
    found = []
    for path in BEHAVIOUR:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        statements = [*tree.body, *(s for c in tree.body if isinstance(c, ast.ClassDef) for s in c.body)]
        definitions = {id(node) for stmt in statements if isinstance(stmt, ast.Assign)
                       and all(isinstance(t, ast.Name | ast.Tuple) for t in stmt.targets)
                       and all(n.id.isupper() for t in stmt.targets for n in ast.walk(t) if isinstance(n, ast.Name))
                       for node in ast.walk(stmt)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, int | float)
                    and not isinstance(node.value, bool) and node.value not in NEUTRAL and id(node) not in definitions):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value}")
    assert found == []


def test_the_project_never_reads_the_shared_folder():
    needles = [".." + "/shared", "shared" + "/evidence", "shared" + "/seeds"]
    for path in [*ROOT.glob("model/**/*.py"), *ROOT.glob("tests/**/*.py"), *ROOT.glob("*.py"), *ROOT.glob("Makefile")]:
        text = path.read_text(encoding="utf-8")
        assert not any(needle in text for needle in needles), path


def test_registry_hash_changes_with_any_value(tmp_path):
    directory = broken_registry(tmp_path, "households.birth_rate", lambda entry: entry.update(value=0.0221))
    assert load_registry(*directory).hash != load_registry().hash


def test_the_run_manifest_names_registry_and_code_versions():
    manifest = model.run("baseline", scale=0.01, seed=1).manifest
    assert manifest["registry_hash"] == load_registry().hash
    assert len(manifest["code_version"]) == 16 and manifest["packages"]["mesa"] == "3.5.1"
