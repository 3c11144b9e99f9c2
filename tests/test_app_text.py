"""Every word of the app exists in Chinese and English, and every key the app asks for is in the table."""

from __future__ import annotations

import re
import string

import pytest

from model.app.charts import VIEWS
from model.app.settings import COMPARISONS, CONTROLS, GROUPS, shipped_scenarios
from model.app.sources import citation_card, fit_table, sources_table
from model.app.text import LANGUAGES, TEXT, text
from model.calibration.calibrate import load_artefact
from model.calibration.settings import FIT_COLUMNS, ROLES
from model.inputs.counties import load_county
from model.inputs.registry import load_registry, source_text
from model.inputs.targets import load_targets
from model.inputs.units import unit_in
from model.simulation.compounds import Kind, Status, names
from model.results.yearly import CONSTRAINTS
from model.simulation.measures import BY_NAME
from tests.conftest import ROOT

CJK = re.compile(r"[\u4e00-\u9fff]")


def placeholders(words: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(words) if name}


@pytest.mark.parametrize("key", sorted(TEXT))
def test_each_text_has_both_languages_with_the_same_placeholders(key):
    assert set(TEXT[key]) == set(LANGUAGES)
    zh, en = TEXT[key]["zh"], TEXT[key]["en"]
    assert zh.strip() and en.strip()
    assert placeholders(zh) == placeholders(en)
    assert not CJK.search(en), f"Chinese left in the English text of {key}"


def test_chinese_texts_are_chinese():
    latin_only = [k for k, v in TEXT.items() if not CJK.search(v["zh"])]
    # Symbols and units that read the same in both languages.
    assert set(latin_only) <= {"shown.percent", "shown.government_percent", "list.separator", "axis.unit",
                               "control.label"}


def test_every_key_the_app_asks_for_exists():
    source = "".join((ROOT / path).read_text(encoding="utf-8") for path in ("model/app/page.py", "model/app/sources.py"))
    literal = set(re.findall(r"""\bT\("([a-z_.]+)"|text\("([a-z_.]+)\"""", source))
    wanted = {a or b for a, b in literal}
    wanted |= {f"preset.{name}" for name in shipped_scenarios()}
    wanted |= {f"group.{group}" for group in GROUPS}
    wanted |= {f"shown.{c.shown_as}" for c in CONTROLS if c.shown_as != "value"}
    wanted |= {f"unit.{c.param.unit}" for c in CONTROLS if c.shown_as == "value"}
    wanted |= {f"label.{c.label}" for c in CONTROLS if c.label}
    wanted |= {f"status.{s}" for s in ("documented", "calibrated", "assumed")}
    wanted |= {f"sources.reason.{s}" for s in ("documented", "calibrated", "assumed")}
    wanted |= {f"role.{r}" for r in ("lever", "uncertainty", "fact")}
    wanted |= {f"chart.{spec.name}" for specs in VIEWS.values() for spec in specs}
    wanted |= {f"unit.{BY_NAME[spec.measures[0]].unit}" for specs in VIEWS.values() for spec in specs}
    wanted |= {f"tab.{name}" for name in [*VIEWS, "compounds", "compare", "sources", "takeaway", "limitations"]}
    wanted |= {f"status_compound.{s}" for s in names(Status)} | {f"kind.{k}" for k in names(Kind)}
    wanted |= {f"tooltip.{t}" for t in ("measure", "series", "median", "low", "high")}
    wanted |= {f"compare_with.{name}" for name in COMPARISONS}
    wanted |= {f"fit.{column}" for column in (*FIT_COLUMNS, "key")} | {f"fit.role.{role}" for role in ROLES}
    wanted |= {f"binding.{name}" for name in CONSTRAINTS.values()}
    assert len(wanted) > 150
    missing = sorted(wanted - set(TEXT))
    assert not missing, f"keys the app asks for but the table lacks: {missing}"
    unused = sorted(k for k in TEXT if k not in wanted and f'"{k}"' not in source)
    assert not unused, f"texts nothing shows: {unused}"


def test_in_chinese_the_sources_tab_gives_reasons_units_and_calibrations_in_chinese():
    """The citation card and the Sources table of a planner reading Chinese: every reason, unit, interval
    meaning and citation role in Chinese, no English reason; in English the English ones."""
    registry = load_registry()
    for key, param in registry.parameters.items():
        card = citation_card(registry, key, "zh")
        assert unit_in(param.unit, "zh") in card and "原文为英文" not in card, key
        if param.reason:
            assert param.reason_zh in card and param.reason not in card, key
            assert param.reason in citation_card(registry, key, "en"), key
        if param.calibration:
            assert param.calibration.interval_meaning_zh in card and param.calibration.interval_meaning not in card
    table = sources_table(registry, list(registry.parameters), {}, set(), "zh")
    assert all(CJK.search(unit) for unit in table[text("sources.unit", "zh")]), "a unit left in English"
    shown = dict(zip(table[text("sources.key", "zh")], table[text("sources.citation", "zh")]))
    budget = registry["renovation.budget"]  # an assumption without references: its reason is its citation
    assert budget.status == "assumed" and not budget.references and shown["renovation.budget"] == budget.reason_zh
    assert "[校准目标 population_2015]" in shown["migration.crash_leave_effect"]
    assert "[引用]" in shown["renovation.resident_share"] and "reference" not in shown["renovation.resident_share"]


def test_in_chinese_the_citation_card_gives_outlets_dates_and_the_reasons_heading_in_chinese():
    """The card of every parameter in Chinese shows each source's Chinese outlet and date (not the English
    asides of sources.yaml), and heads a calibrated parameter's reason as calibrated, not assumed."""
    registry = load_registry()
    for key in registry.parameters:
        zh, en = citation_card(registry, key, "zh"), citation_card(registry, key, "en")
        for cited in registry.citation(key):
            doc = cited["source_doc"]
            for field in ("outlet", "date"):
                assert source_text(doc, field, "zh") in zh, (key, field)
                if f"{field}_zh" in doc:
                    assert doc[field] not in zh, (key, field)
            assert doc.get("outlet_en", doc["outlet"]) in en and doc["date"] in en, key
    share = citation_card(registry, "renovation.resident_share", "zh")
    assert "未注明发布单位" in share and "outlet not named" not in share and "inferred" not in share
    leave = "migration.crash_leave_effect"
    assert "**校准依据:**" in citation_card(registry, leave, "zh") and "假设理由" not in citation_card(registry, leave, "zh")
    assert "**Why calibrated:**" in citation_card(registry, leave, "en")
    assert "**假设理由:**" in citation_card(registry, "renovation.budget", "zh")
    assert "**Why assumed:**" in citation_card(registry, "renovation.budget", "en")


def test_in_chinese_the_fit_table_names_targets_measures_and_periods_in_chinese_and_keeps_the_names():
    county = load_county()
    _, fit, _ = load_artefact(county.calibration_dir)
    targets = load_targets()
    zh = fit_table(fit, county.directory, "zh")
    column = lambda name: list(zh[text(f"fit.{name}", "zh")])  # noqa: E731
    assert zh.columns[-1] == text("fit.key", "zh") and column("key") == list(fit["target"])
    assert column("target") == [targets.spec.targets[name].label_zh for name in fit["target"]]
    for name in ("target", "measure", "compare", "role"):
        assert all(CJK.search(value) for value in column(name)), name
    assert "个体工商户 / 市场主体" in column("measure") and "年末值" in column("compare")
    assert "2023-01 至 2024-12" in column("period") and not any(".." in str(p) for p in column("period"))
    en = fit_table(fit, county.directory, "en")
    assert list(en.columns) == [text(f"fit.{c}", "en") for c in FIT_COLUMNS]
    for name in ("target", "measure", "compare", "period"):
        assert list(en[text(f"fit.{name}", "en")]) == list(fit[name]), name
