"""The registry as a citable table (`renewal params`) and one parameter's citation (`renewal cite KEY`).

Every export names the registry version (a content hash) and the code version, so that a value
cited in a report can be found again.
"""

from __future__ import annotations

import csv
import io
import json

from model.inputs.errors import InputError, closest
from model.inputs.registry import Registry, load_registry, source_text
from model.inputs.targets import load_targets
from model.inputs.versioning import code_version
from model.inputs.units import unit_in

FORMATS = ("md", "csv", "json", "bibtex")
LANGUAGES = ("en", "zh")
MD_COLUMNS = ["key", "label_en", "label_zh", "value", "unit", "status", "interval", "sources"]
# The words of `renewal cite` and of `renewal params --format md`, and a cited figure's role, in each language.
WORDS = {
    "title": {"en": "{label} ({other}) = {value} {unit} [{status}]",
              "zh": "{label}({other})= {value} {unit} [{status}]"},
    "status": {"en": {"documented": "documented", "calibrated": "calibrated", "assumed": "assumed"},
               "zh": {"documented": "有据", "calibrated": "校准", "assumed": "假设"}},
    "calibrated": {"en": "Calibrated{origin} on {date} against {targets} (artefact {artefact}; loss {loss}); "
                         "interval {low} .. {high}: {meaning}",
                   "zh": "校准{origin}:{date},对照目标 {targets}(校准结果 {artefact};损失 {loss});"
                         "区间 {low} .. {high}:{meaning}"},
    "inherited": {"en": " for {origin}, inherited from it", "zh": "(沿用{origin}的校准)"},
    "targets": {"en": ", ", "zh": "、"},
    "reason": {"en": {"documented": "Why: {reason}", "calibrated": "Why: {reason}", "assumed": "Assumed: {reason}"},
               "zh": {"documented": "资料解读:{reason}", "calibrated": "校准依据:{reason}",
                      "assumed": "假设理由:{reason}"}},
    "role": {"en": {"reference": "reference", "target": "calibration target {target}"},
             "zh": {"reference": "引用", "target": "校准目标 {target}"}},
    "source": {"en": 'Source ({role}): {outlet}, "{title}", {date} [{figure}]: 「{quote}」 — {english}',
               "zh": "出处({role}):{outlet},《{title}》,{date} [{figure}]:「{quote}」 — {english}"},
    "footer": {"en": "County renewal model, {county} ({name}), parameter registry {hash}, code version {version}, "
                     "key {key}.",
               "zh": "县域城市更新模型,{county}({name}),参数库 {hash},代码版本 {version},参数键 {key}。"},
    "registry": {"en": "Parameter registry (registry {hash}, code {version})", "zh": "参数库(参数库 {hash},代码 {version})"},
    "columns": {"en": MD_COLUMNS, "zh": ["参数键", "名称", "英文名称", "取值", "单位", "依据", "校准区间", "出处或理由"]},
}


def _value(registry: Registry, key: str) -> str:
    param = registry[key]
    if isinstance(param.value, dict):
        return "; ".join(f"{month}: {value}" for month, value in param.value.items())
    return str(param.value)


def _sources(registry: Registry, key: str) -> list[dict]:
    """Each figure behind a parameter (its references, and for calibrated ones the targets' figures)."""
    cited = [{"role": "reference", **c} for c in registry.citation(key)]
    param = registry[key]
    if param.calibration:
        origin = registry.county.calibration_origin  # a county without its own calibration inherits one
        targets = load_targets(origin.directory).spec.targets
        judged = load_registry(origin.directory)
        for name in param.calibration.targets:
            figure_id = targets[name].figure
            figure = judged.figures[figure_id]
            cited.append({"role": "target", "target": name, "figure": figure_id, "note": targets[name].note,
                          **figure, "source_doc": judged.sources[figure["source"]]})
    return cited


def _role(cited: dict, lang: str) -> str:
    return WORDS["role"][lang][cited["role"]].format(target=cited.get("target"))


def _doc(source: dict, field: str, lang: str) -> str:
    """A source document's field in a citation line: in Chinese its Chinese, in English as written."""
    return source_text(source, field, lang) if lang == "zh" else source[field]


def cited_text(registry: Registry, key: str, lang: str = "en") -> str:
    """The figures behind a parameter on one line, each with its role, outlet, date, Chinese quote and English."""
    return " | ".join(f"{s['figure']} [{_role(s, lang)}] ({_doc(s['source_doc'], 'outlet', lang)}, "
                      f"{_doc(s['source_doc'], 'date', lang)}): 「{s['quote_zh']}」 {s['en']}"
                      for s in _sources(registry, key))


def rows(registry: Registry | None = None) -> list[dict]:
    """One flat row per parameter: what a report's parameter table needs."""
    registry = registry or load_registry()
    out = []
    for key, param in registry.parameters.items():
        out.append({
            "key": key, "label_en": param.label.en, "label_zh": param.label.zh, "value": _value(registry, key),
            "unit": param.unit, "unit_zh": unit_in(param.unit, "zh"), "status": param.status, "role": param.role,
            "range": f"{param.range[0]} .. {param.range[1]}",
            "interval": (f"{param.calibration.interval[0]} .. {param.calibration.interval[1]}"
                         if param.calibration else ""),
            "interval_meaning": param.calibration.interval_meaning if param.calibration else "",
            "interval_meaning_zh": param.calibration.interval_meaning_in("zh") if param.calibration else "",
            "reason": param.reason or "",
            "reason_zh": param.reason_zh or "",
            "sources": cited_text(registry, key),
        })
    return out


def export(fmt: str, registry: Registry | None = None, lang: str = "en") -> str:
    """The registry as `fmt`; a Markdown table in `lang` (csv and json carry both languages, bibtex English)."""
    registry = registry or load_registry()
    if fmt not in FORMATS:
        raise InputError("--format", None, f"'{fmt}' is not a format; choose one of {', '.join(FORMATS)}")
    if lang not in LANGUAGES or (lang != "en" and fmt != "md"):
        raise InputError("--lang", lang, "give en, or zh with --format md (csv and json carry both languages, "
                         "bibtex is English)")
    header = f"registry {registry.hash}, code {code_version()}"
    if fmt == "json":
        return json.dumps({
            "registry_hash": registry.hash, "code_version": code_version(),
            "parameters": {k: p.model_dump(mode="json", exclude_defaults=True) for k, p in registry.parameters.items()},
            "figures": registry.figures, "sources": registry.sources}, ensure_ascii=False, indent=2)
    table = rows(registry)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
        return buffer.getvalue()
    if fmt == "md":
        return _markdown(registry, table, lang)
    entries = [f"% County renewal model parameters, {header}"]
    for source_id, source in registry.sources.items():
        entries.append(f"@misc{{{source_id},\n  title = {{{source['title']}}},\n  howpublished = {{{source['outlet']}}},"
                       f"\n  note = {{{source['date']}; file {source['file']}}}\n}}")
    for row in table:
        entries.append(f"@misc{{param:{row['key']},\n  title = {{{row['label_en']} ({row['label_zh']})}},\n"
                       f"  note = {{value {row['value']} {row['unit']}; status {row['status']}"
                       f"{'; interval ' + row['interval'] if row['interval'] else ''}; registry {registry.hash}}}\n}}")
    return "\n\n".join(entries) + "\n"


def _words(lang: str) -> dict:
    return {name: texts[lang] for name, texts in WORDS.items()}


def _markdown(registry: Registry, table: list[dict], lang: str) -> str:
    """The registry as one Markdown table in `lang`: a parameter's citations, or its reason where it has none."""
    words = _words(lang)
    clean = lambda text: str(text).replace("|", "/").replace("\n", " ")  # noqa: E731
    columns = words["columns"]
    lines = [words["registry"].format(hash=registry.hash, version=code_version()), "",
             "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in table:
        if lang == "en":
            cells = [row[c] or (row["reason"] if c == "sources" else "") for c in MD_COLUMNS]
        else:
            cells = [row["key"], row["label_zh"], row["label_en"], row["value"], row["unit_zh"],
                     words["status"][row["status"]], row["interval"],
                     cited_text(registry, row["key"], lang) or row["reason_zh"]]
        lines.append("| " + " | ".join(clean(cell) for cell in cells) + " |")
    return "\n".join(lines) + "\n"


def cite(key: str, registry: Registry | None = None, lang: str = "en") -> str:
    """One parameter's citation in `lang`, ready to paste into a report."""
    registry = registry or load_registry()
    if lang not in LANGUAGES:
        raise InputError("--lang", lang, "give en or zh")
    if key not in registry.parameters:
        close = closest(key, registry.parameters)
        raise InputError("cite", key, "unknown parameter" + (f"; did you mean '{close}'?" if close else ""))
    param, words = registry[key], _words(lang)
    other = "zh" if lang == "en" else "en"
    lines = [words["title"].format(label=getattr(param.label, lang), other=getattr(param.label, other),
                                   value=_value(registry, key), unit=unit_in(param.unit, lang),
                                   status=words["status"][param.status])]
    if param.calibration:
        c = param.calibration
        origin = registry.county.calibration_origin
        targets = load_targets(origin.directory)
        lines.append(words["calibrated"].format(
            origin=words["inherited"].format(origin=origin.label(lang)) if c.inherited_from else "", date=c.date,
            targets=words["targets"].join(targets.label(name, lang) for name in c.targets), artefact=c.artefact,
            loss=c.loss, low=c.interval[0], high=c.interval[1], meaning=c.interval_meaning_in(lang)))
    if param.reason:
        lines.append(words["reason"][param.status].format(reason=param.reason_in(lang)))
    for s in _sources(registry, key):
        doc = s["source_doc"]
        lines.append(words["source"].format(role=_role(s, lang), outlet=_doc(doc, "outlet", lang),
                                            title=_doc(doc, "title", lang), date=_doc(doc, "date", lang),
                                            figure=s["figure"], quote=s["quote_zh"], english=s["en"]))
    lines.append(words["footer"].format(county=registry.county.label(lang), name=registry.county.name,
                                        hash=registry.hash, version=code_version(), key=key))
    return "\n".join(lines)
