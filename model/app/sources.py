"""The Sources tab's words in the planner's language: the table of the parameters in play, one
parameter's citation card and the calibration's fit table (model/app/page.py lays them out)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from model.app.text import text
from model.inputs.citation import cited_text
from model.inputs.citation import rows as citation_rows
from model.inputs.registry import Registry, source_text
from model.inputs.units import unit_in
from model.presentation.fit import fit_in


def sources_table(registry: Registry, keys: list[str], changes: dict, drawn: set[str], lang: str) -> pd.DataFrame:
    """One row per key: label, status, value (a changed one as set), interval, citation or reason, whether it
    is drawn, range, unit and key, with the column names, reasons and units in `lang`."""
    rows = {row["key"]: row for row in citation_rows(registry)}
    return pd.DataFrame([{
        text("sources.parameter", lang): getattr(registry[key].label, lang),
        text("sources.status", lang): text(f"status.{registry[key].status}", lang),
        text("sources.value", lang): str(changes[key]) if key in changes else rows[key]["value"],
        text("sources.interval", lang): rows[key]["interval"] or "–",
        text("sources.citation", lang): cited_text(registry, key, lang) or registry[key].reason_in(lang) or "",
        text("sources.drawn", lang): text("yes" if key in drawn and key not in changes else "no", lang),
        text("sources.range", lang): rows[key]["range"],
        text("sources.unit", lang): unit_in(registry[key].unit, lang),
        text("sources.key", lang): key,
    } for key in keys])


def citation_card(registry: Registry, key: str, lang: str) -> str:
    """One parameter's evidence as Markdown: status, key and unit, its calibration interval and reason, and
    each source figure with outlet, date, the Chinese quote and its English."""
    param = registry[key]
    lines = [text("sources.card", lang, status=text(f"status.{param.status}", lang), key=key,
                  unit=unit_in(param.unit, lang))]
    if param.calibration:
        low, high = param.calibration.interval
        lines.append(text("sources.card_interval", lang, low=low, high=high,
                          meaning=param.calibration.interval_meaning_in(lang)))
    if param.reason:
        lines.append(text(f"sources.reason.{param.status}", lang, reason=param.reason_in(lang)))
    for cited in registry.citation(key):
        doc = cited["source_doc"]
        lines.append(text("sources.card_source", lang, outlet=source_text(doc, "outlet", lang),
                          date=source_text(doc, "date", lang), quote=cited["quote_zh"], english=cited["en"]))
    return "\n\n".join(lines)


def fit_table(fit: pd.DataFrame, county: Path, lang: str) -> pd.DataFrame:
    """The calibration's fit table with its column names, roles and (in Chinese) targets, measures,
    comparisons and periods in `lang` (the targets' labels from `county`'s folder, the calibration's); in
    Chinese the target's name stays in a last column."""
    shown = fit_in(fit, county, lang).assign(role=fit["role"].map(lambda role: text(f"fit.role.{role}", lang)))
    return shown.rename(columns={column: text(f"fit.{column}", lang) for column in shown.columns})
