"""The registry as a citable table (`renewal params`) and one parameter's citation (`renewal cite KEY`).

Every export names the registry version (a content hash) and the code version, so that a value
cited in a report can be found again.
"""

from __future__ import annotations

import csv
import io
import json

from model.inputs.errors import InputError, closest
from model.inputs.registry import Registry, load_registry
from model.inputs.targets import load_targets
from model.inputs.versioning import code_version
from model.inputs.units import unit_in

FORMATS = ("md", "csv", "json", "bibtex")


def _value(registry: Registry, key: str) -> str:
    param = registry[key]
    if isinstance(param.value, dict):
        return "; ".join(f"{month}: {value}" for month, value in param.value.items())
    return str(param.value)


ROLES = {"en": {"reference": "reference", "target": "calibration target {target}"},
         "zh": {"reference": "引用", "target": "校准目标 {target}"}}


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
    return ROLES[lang][cited["role"]].format(target=cited.get("target"))


def cited_text(registry: Registry, key: str, lang: str = "en") -> str:
    """The figures behind a parameter on one line, each with its role, outlet, date, Chinese quote and English."""
    return " | ".join(f"{s['figure']} [{_role(s, lang)}] ({s['source_doc']['outlet']}, {s['source_doc']['date']}): "
                      f"「{s['quote_zh']}」 {s['en']}" for s in _sources(registry, key))


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


def export(fmt: str, registry: Registry | None = None) -> str:
    registry = registry or load_registry()
    if fmt not in FORMATS:
        raise InputError("--format", None, f"'{fmt}' is not a format; choose one of {', '.join(FORMATS)}")
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
        columns = ["key", "label_en", "label_zh", "value", "unit", "status", "interval", "sources"]
        clean = lambda text: str(text).replace("|", "/").replace("\n", " ")  # noqa: E731
        lines = [f"Parameter registry ({header})", "", "| " + " | ".join(columns) + " |",
                 "|" + "---|" * len(columns)]
        lines += ["| " + " | ".join(clean(row[c] or (row["reason"] if c == "sources" else "")) for c in columns) + " |"
                  for row in table]
        return "\n".join(lines) + "\n"
    entries = [f"% County renewal model parameters, {header}"]
    for source_id, source in registry.sources.items():
        entries.append(f"@misc{{{source_id},\n  title = {{{source['title']}}},\n  howpublished = {{{source['outlet']}}},"
                       f"\n  note = {{{source['date']}; file {source['file']}}}\n}}")
    for row in table:
        entries.append(f"@misc{{param:{row['key']},\n  title = {{{row['label_en']} ({row['label_zh']})}},\n"
                       f"  note = {{value {row['value']} {row['unit']}; status {row['status']}"
                       f"{'; interval ' + row['interval'] if row['interval'] else ''}; registry {registry.hash}}}\n}}")
    return "\n\n".join(entries) + "\n"


def cite(key: str, registry: Registry | None = None) -> str:
    """One parameter's citation, ready to paste into a report."""
    registry = registry or load_registry()
    if key not in registry.parameters:
        close = closest(key, registry.parameters)
        raise InputError("cite", key, "unknown parameter" + (f"; did you mean '{close}'?" if close else ""))
    param = registry[key]
    lines = [f"{param.label.en} ({param.label.zh}) = {_value(registry, key)} {param.unit} [{param.status}]"]
    if param.calibration:
        c = param.calibration
        origin = f" for {registry.county.calibration_origin.label('en')}, inherited from it" if c.inherited_from else ""
        lines.append(f"Calibrated{origin} on {c.date} against {', '.join(c.targets)} (artefact {c.artefact}; loss {c.loss}); "
                     f"interval {c.interval[0]} .. {c.interval[1]}: {c.interval_meaning}")
    if param.reason:
        lines.append(f"{'Assumed' if param.status == 'assumed' else 'Why'}: {param.reason}")
    for s in _sources(registry, key):
        doc = s["source_doc"]
        lines.append(f"Source ({_role(s, 'en')}): {doc['outlet']}, \"{doc['title']}\", {doc['date']} [{s['figure']}]: "
                     f"「{s['quote_zh']}」 — {s['en']}")
    lines.append(f"County renewal model, {registry.county.label('en')} ({registry.county.name}), parameter registry "
                 f"{registry.hash}, code version {code_version()}, key {key}.")
    return "\n".join(lines)
