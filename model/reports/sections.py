"""Report sections shared by run and sweep reports: parameters with citations, sources, the
calibration fit table and the manifest. Each returns plain data with every number already
formatted for the report's language; the templates only lay it out (and escape it).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from model.calibration.settings import FIT_COLUMNS, ROLES
from model.inputs.errors import InputError
from model.inputs.registry import Calibration, Registry, in_language, source_text
from model.inputs.targets import load_targets
from model.inputs.units import unit_in
from model.presentation.fit import fit_in
from model.presentation.numbers import (format_count, format_exact, format_number, format_percent, format_points,
                                        format_yuan, with_sign)
from model.reports.text import TEXT



def value_text(value, lang: str) -> str:
    """A parameter value as written in a citation: numbers in full, months and words as they are."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return format_exact(value, lang)


def schedule_text(schedule: list, lang: str) -> str:
    """A resolved schedule [["start", v], ["2026-01", w]] as 'v' or 'v (from the start); w from 2026-01'."""
    text = TEXT[lang]
    if len(schedule) == 1:
        return value_text(schedule[0][1], lang)
    parts = [f"{text['from_start'] if when == 'start' else text['from_month'].format(month=when)}: "
             f"{value_text(value, lang)}" for when, value in schedule]
    return "; ".join(parts)


def format_headline(value: float, kind: str, lang: str, signed: bool = False, like: float | None = None) -> str:
    """A headline number as a planner reads it; a signed difference of fractions is in points; `like` gives
    a band's two ends one unit (band_scale)."""
    if kind == "fraction" and signed:
        return format_points(value, lang)
    number = abs(value) if signed else value
    if kind == "yuan":
        text = format_yuan(number, lang, like=like)
    elif kind == "fraction":
        text = format_percent(number, lang)
    elif kind == "months":
        text = f"{number:.1f}"
    else:
        text = format_count(number, lang, like=like)
    return with_sign(text, value) if signed else text


def parameter_rows(values: dict[str, str], registry: Registry, lang: str) -> list[dict]:
    """One row per parameter key: the value shown (already text), and from the registry its label,
    unit, status, role, interval and evidence (citations with outlet, date and both quotes, the
    reason of an assumption, the fit of a calibration)."""
    text = TEXT[lang]
    rows = []
    for key, value in sorted(values.items()):
        if key not in registry.parameters:
            rows.append({"key": key, "label": "", "value": value, "missing": text["not_in_registry"]})
            continue
        param = registry[key]
        rows.append({
            "key": key,
            "label": getattr(param.label, lang),
            "unit": unit_in(param.unit, lang),
            "status": text[f"status_{param.status}"],
            "role": text[f"role_{param.role}"],
            "value": value,
            "interval": _interval(param, lang),
            "citations": _citations(key, registry, lang),
            "reason": param.reason_in(lang),
            "calibration": _calibration(param.calibration, registry, lang) if param.calibration else None,
            "missing": None,
        })
    return rows


def _interval(param, lang: str) -> str:
    text = TEXT[lang]
    if param.calibration:
        low, high = param.calibration.interval
        return (f"{text['calibration_interval']} [{value_text(low, lang)}, {value_text(high, lang)}]: "
                f"{param.calibration.interval_meaning_in(lang)}")
    label = text["range_plausible" if param.status == "assumed" else "range_allowed"]
    return f"{label} [{value_text(param.range[0], lang)}, {value_text(param.range[1], lang)}]"


def _calibration(calibration: Calibration, registry: Registry, lang: str) -> dict:
    """How a calibrated value was obtained, as the report shows it: the method in `lang`, date, targets (in
    Chinese each with its label), artefact."""
    targets = load_targets(registry.county.calibration_origin.directory)
    named = [name if lang == "en" else f"{targets.label(name, lang)}({name})" for name in calibration.targets]
    return {"method": calibration.method_in(lang), "date": calibration.date, "targets": named,
            "artefact": calibration.artefact}


def _citations(key: str, registry: Registry, lang: str) -> list[dict]:
    out = []
    for reference, cited in zip(registry[key].references, registry.citation(key)):
        source = cited["source_doc"]
        out.append({
            "figure": reference.figure,
            "source": cited["source"],
            "outlet": source_text(source, "outlet", lang),
            "date": source_text(source, "date", lang),
            "quote_zh": cited.get("quote_zh", ""),
            "en": cited.get("en", ""),
            "note": reference.note_in(lang),
        })
    return out


def source_rows(rows: list[dict], registry: Registry, lang: str) -> list[dict]:
    """The source documents the parameter rows cite, once each."""
    cited = sorted({c["source"] for row in rows for c in row.get("citations", [])})
    return [{"id": source_id, **{field: source_text(registry.sources[source_id], field, lang)
                                 for field in ("outlet", "title", "date", "place", "unknown", "note")}}
            for source_id in cited]


def fit_section(lang: str, calibration_dir: Path, county: Path | None = None) -> dict:
    """The calibration fit table by role (fit, holdout, check), or a plain 'not run yet'; in Chinese its
    targets (labelled by `county`'s targets.yaml, default the calibration's folder's), measures and periods
    in Chinese (model/presentation/fit.py), each target's name kept."""
    text = TEXT[lang]
    path = calibration_dir / "fit_table.csv"
    shown = Path(calibration_dir.parent.name) / calibration_dir.name / "fit_table.csv"
    if not path.exists():
        return {"missing": text["calibration_missing"].format(path=shown.as_posix())}
    table = pd.read_csv(path)
    absent = [c for c in FIT_COLUMNS if c not in table.columns]
    if absent:
        raise InputError(path, absent[0], f"missing column; a fit table has the columns {', '.join(FIT_COLUMNS)}")
    table = fit_in(table, county or calibration_dir.parent, lang)
    groups = []
    for role in ROLES:
        part = table[table["role"] == role]
        if len(part):
            groups.append({"title": text[f"role_{role}"], "rows": [_fit_row(row, lang) for row in part.itertuples()]})
    return {"missing": None, "groups": groups, "meta": _calibration_meta(path.parent / "calibration.json", lang),
            "explained": text["calibration_explained"], "keyed": "key" in table}


def _fit_row(row, lang: str) -> dict:
    """One target's row; in Chinese the period says how it is compared, and `key` is the target's name."""
    number = lambda v: format_number(float(v), lang)  # noqa: E731
    return {
        "target": row.target, "key": getattr(row, "key", None), "figure": row.figure, "measure": row.measure,
        "period": f"{row.period}({row.compare})" if lang == "zh" else str(row.period),
        "observed": number(row.observed),
        "acceptance": f"[{number(row.band_low)}, {number(row.band_high)}]",
        "simulated": number(row.simulated_median),
        "band": f"{number(row.simulated_p5)}–{number(row.simulated_p95)}",
        "error": ("+" if row.error > 0 else "") + format_percent(float(row.error), lang),
        "within": format_percent(float(row.share_in_band), lang, 0),
    }


def _calibration_meta(path: Path, lang: str) -> str | None:
    if not path.exists():
        return None
    try:
        artefact = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(path, None, f"not valid JSON ({exc.msg} at line {exc.lineno})") from None
    values = {k: artefact.get(k, "–") for k in ("id", "date", "scale")}
    values["method"] = in_language(lang, artefact.get("method", "–"), artefact.get("method_zh"))
    return TEXT[lang]["calibration_meta"].format(**values, predictive=len(artefact.get("predictive_seeds", [])) or "–")


def manifest_rows(manifest: dict, lang: str) -> list[tuple[str, str]]:
    """What produced a run, as label-value pairs (hashes, seeds, versions: what reproduces it)."""
    text = TEXT[lang]
    draws = manifest.get("parameter_draws")
    fields = [
        ("scenario_name", manifest.get("scenario")),
        ("files", ", ".join(manifest.get("files", []))),
        ("scenario_hash", manifest.get("scenario_hash")),
        ("run_hashes", ", ".join(manifest.get("run_hashes", []))),
        ("registry_hash", manifest.get("registry_hash")),
        ("code_version", manifest.get("code_version")),
        ("seed", manifest.get("seed")),
        ("seeds", ", ".join(str(s) for s in manifest.get("seeds", []))),
        ("replicates", manifest.get("replicates")),
        ("scale", manifest.get("scale")),
        ("start", manifest.get("start")),
        ("end", manifest.get("end")),
        ("policy_start", manifest.get("policy_start")),
        ("parameter_draws", text["yes"] if draws else text["no"]),
        ("wall_time", manifest.get("wall_time_s")),
    ]
    return [(text[label], "–" if value is None else str(value)) for label, value in fields]


def package_rows(manifest: dict) -> list[tuple[str, str]]:
    return sorted((manifest.get("packages") or {}).items())
