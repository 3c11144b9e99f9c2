"""The sections of a report on a sweep: every design point with its outcomes, and sensitivity indices.

A sweep is read from what `renewal sweep` writes in STORE/sweeps/<name>/ (points.csv, indices.csv,
summary.json), or from a directory in the long format below (for exports made by other tools):
- `summary.csv`: one row per design point and outcome, columns `point, <varied keys...>, outcome,
  median (or mean), p5, p95` (varied keys are registry keys; outcomes are catalogue or measure names);
- optionally `sensitivity.csv`: columns `outcome, parameter, index, value` (e.g. S1, ST);
- optionally `manifest.json`: what produced it (name, description, hashes, seeds, packages, ...).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from model.inputs.errors import InputError
from model.inputs.registry import Registry
from model.presentation.charts import grouped_bar_chart
from model.presentation.numbers import format_number
from model.reports.sections import format_headline, value_text
from model.reports.text import TEXT
from model.results.outcomes import BY_OUTCOME
from model.simulation.measures import BY_NAME

SUMMARY, SENSITIVITY, MANIFEST = "summary.csv", "sensitivity.csv", "manifest.json"
SUMMARY_COLUMNS = ("point", "outcome", "p5", "p95")  # and the statistic: median or mean
STATISTICS = ("median", "mean")
SENSITIVITY_COLUMNS = ("outcome", "parameter", "index", "value")


@dataclass(frozen=True)
class Sweep:
    name: str
    summary: pd.DataFrame
    sensitivity: pd.DataFrame | None
    manifest: dict | None

    @property
    def varied(self) -> list[str]:
        return [c for c in self.summary.columns if c not in (*SUMMARY_COLUMNS, "value", "statistic")]


POINTS, INDICES, SWEEP_SUMMARY = "points.csv", "indices.csv", "summary.json"


def is_sweep(directory: Path) -> bool:
    return (directory / SUMMARY).is_file() or (directory / POINTS).is_file() and (directory / SWEEP_SUMMARY).is_file()


def _from_sweep_store(directory: Path) -> Sweep:
    """A sweep written by `renewal sweep`: wide points.csv (<outcome>_<statistic>/_p05/_p95) and indices.csv."""
    about = json.loads((directory / SWEEP_SUMMARY).read_text(encoding="utf-8"))
    points = _read_csv(directory / POINTS, ("point",))
    rows = []
    for name, outcome in about["outcomes"].items():
        statistic = outcome.get("statistic", "mean")
        if f"{name}_{statistic}" in points:
            rows.append(points[["point", *about["keys"]]].assign(
                outcome=name, value=points[f"{name}_{statistic}"], statistic=statistic, p5=points[f"{name}_p05"],
                p95=points[f"{name}_p95"]))
    summary = pd.concat(rows, ignore_index=True)
    sensitivity = None
    if (directory / INDICES).exists():
        wide = _read_csv(directory / INDICES, ("outcome", "key"))
        sensitivity = (wide.melt(id_vars=["outcome", "key"], var_name="index", value_name="value")
                       .rename(columns={"key": "parameter"})[list(SENSITIVITY_COLUMNS)])
    manifest = {"name": about["sweep"], "description": about.get("description", ""), **about}
    return Sweep(about["sweep"], summary, sensitivity, manifest)


def load_sweep(directory: Path) -> Sweep:
    if not (directory / SUMMARY).is_file():
        return _from_sweep_store(directory)
    summary = _read_csv(directory / SUMMARY, SUMMARY_COLUMNS)
    statistic = next((s for s in STATISTICS if s in summary.columns), None)
    if statistic is None:
        raise InputError(directory / SUMMARY, "median", f"missing column; expected {', '.join(SUMMARY_COLUMNS)} "
                         "and median (or mean)")
    summary = summary.rename(columns={statistic: "value"}).assign(statistic=statistic)
    sensitivity = _read_csv(directory / SENSITIVITY, SENSITIVITY_COLUMNS) if (directory / SENSITIVITY).exists() else None
    manifest = None
    if (directory / MANIFEST).exists():
        try:
            manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise InputError(directory / MANIFEST, None, f"not valid JSON ({exc.msg} at line {exc.lineno})") from None
    name = (manifest or {}).get("name") or (manifest or {}).get("scenario") or directory.resolve().name
    return Sweep(str(name), summary, sensitivity, manifest)


def _read_csv(path: Path, required: tuple[str, ...]) -> pd.DataFrame:
    try:
        table = pd.read_csv(path)
    except (OSError, ValueError) as exc:
        raise InputError(path, None, f"cannot read the CSV ({exc})") from None
    absent = [c for c in required if c not in table.columns]
    if absent:
        raise InputError(path, absent[0], f"missing column; expected {', '.join(required)}")
    return table


def outcome_label(name: str, lang: str) -> str:
    if name in BY_OUTCOME:
        return BY_OUTCOME[name].label(lang)
    if name in BY_NAME:
        return getattr(BY_NAME[name], lang)
    return name


def _outcome_value(name: str, value: float, lang: str) -> str:
    kind = BY_OUTCOME[name].kind if name in BY_OUTCOME else "count"
    return format_headline(float(value), kind, lang)


def design_points(sweep: Sweep, registry: Registry, lang: str) -> dict:
    """One row per design point: the varied values, then each outcome's statistic (median or mean) and
    5-95% band over its replicates."""
    text = TEXT[lang]
    outcomes = list(dict.fromkeys(sweep.summary["outcome"]))
    rows = []
    for point, part in sweep.summary.groupby("point", sort=True):
        first = part.iloc[0]
        by_outcome = part.set_index("outcome")
        cells = []
        for outcome in outcomes:
            if outcome in by_outcome.index:
                r = by_outcome.loc[outcome]
                cells.append(f"{_outcome_value(outcome, r['value'], lang)} "
                             f"({_outcome_value(outcome, r['p5'], lang)} – {_outcome_value(outcome, r['p95'], lang)})")
            else:
                cells.append("–")
        rows.append({"point": str(point), "levels": [value_text(first[k], lang) for k in sweep.varied], "cells": cells})
    headers = [f"{getattr(registry[k].label, lang)} ({k})" if k in registry.parameters else k for k in sweep.varied]
    statistic = text[f"statistic_{sweep.summary['statistic'].iloc[0]}"] if len(sweep.summary) else ""
    return {"intro": text["design_points_explained"].format(points=len(rows), statistic=statistic),
            "design": design_text(sweep, lang), "varied": headers,
            "outcomes": [outcome_label(o, lang) for o in outcomes], "rows": rows}


def design_text(sweep: Sweep, lang: str) -> str:
    """The design in words (kind, sample counts, points, replicates), from what `renewal sweep` recorded."""
    manifest = sweep.manifest or {}
    shape = manifest.get("shape")
    if not shape:
        return ""
    return TEXT[lang][f"design_{shape['design']}"].format(
        axes=" × ".join(str(n) for n in shape["axes"]), samples=shape["samples"], keys=shape["keys"],
        levels=shape["levels"], points=manifest["points"], replicates=manifest["replicates"])


def sensitivity(sweep: Sweep, registry: Registry, lang: str) -> list[dict]:
    """Per outcome, a table of parameters by index (S1, ST, ...), each with its 95% interval when given
    (an `<index>_conf` column: SALib's S1_conf, ST_conf, mu_star_conf)."""
    if sweep.sensitivity is None:
        return []
    tables = []
    for outcome, part in sweep.sensitivity.groupby("outcome", sort=False):
        wide = part.pivot_table(index="parameter", columns="index", values="value", sort=False, dropna=False)
        indices = [str(i) for i in wide.columns if not str(i).endswith("_conf")]

        def cell(p: str, index: str) -> str:
            value = format_number(float(wide.loc[p, index]), lang)
            conf = f"{index}_conf"
            return f"{value} ± {format_number(float(wide.loc[p, conf]), lang)}" if conf in wide.columns else value

        rows = [{"parameter": f"{getattr(registry[p].label, lang)} ({p})" if p in registry.parameters else p,
                 "numbers": [cell(p, i) for i in indices]} for p in wide.index]
        headers = [f"{i} {TEXT[lang]['index_interval']}" if f"{i}_conf" in wide.columns else i for i in indices]
        tables.append({"outcome": outcome_label(outcome, lang), "indices": headers, "rows": rows})
    return tables


def warnings(sweep: Sweep) -> list[str]:
    """Why the indices or the differences between points may not be read as they stand (model/sweeps/trust.py)."""
    return list((sweep.manifest or {}).get("warnings") or [])


def varied_values(sweep: Sweep, lang: str) -> dict[str, str]:
    """Each varied parameter's swept range or values as the spec gave them, for the appendix; an export
    without its spec says only what its design points hold."""
    points = sweep.summary.drop_duplicates("point")
    text = TEXT[lang]
    vary = (sweep.manifest or {}).get("vary") or {}
    shown = {}
    for key in sweep.varied:
        spec, n = vary.get(key), len(points)
        if spec and "values" in spec:
            shown[key] = text["varied_values"].format(values=", ".join(value_text(v, lang) for v in spec["values"]), n=n)
        elif spec:
            low, high = (value_text(v, lang) for v in spec["range"])
            shown[key] = (text["varied_steps"].format(low=low, high=high, steps=spec["steps"], n=n) if "steps" in spec
                          else text["varied"].format(low=low, high=high, n=n))
        else:
            shown[key] = text["varied_sampled"].format(low=value_text(points[key].min(), lang),
                                                       high=value_text(points[key].max(), lang), n=n)
    return shown


def figures(sweep: Sweep, lang: str) -> dict[str, tuple[str, Figure]]:
    """A bar chart of the sensitivity indices (not their confidence intervals) for each outcome."""
    if sweep.sensitivity is None:
        return {}
    charts = {}
    main = sweep.sensitivity[~sweep.sensitivity["index"].astype(str).str.contains("conf")]
    for number, (outcome, part) in enumerate(main.groupby("outcome", sort=False), start=1):
        wide = part.pivot_table(index="parameter", columns="index", values="value", sort=False)
        groups = {str(index): wide[index] for index in wide.columns}
        indices = ", ".join(groups)
        title = TEXT[lang]["chart_sensitivity"].format(index=indices, outcome=outcome_label(outcome, lang))
        charts[f"sensitivity_{number}"] = (title, grouped_bar_chart(groups, title, TEXT[lang]["parameter"],
                                                                    TEXT[lang]["index"], horizontal=True))
    return charts
