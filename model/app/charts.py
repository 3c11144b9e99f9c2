"""The app's charts as data (one long table per chart) and as PNG or SVG files to take away.

A chart shows a setting's median and its 5-95% band across replicates, and the baseline's median in
the same world (same seeds and parameter draws) as a dashed line. The table is built once, with the
labels in the reader's language, and both the page (Vega-Lite) and the files (matplotlib) draw it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from model.presentation.charts import Line, grouped_bar_chart, line_chart, to_png, to_svg
from model.presentation.numbers import magnitude
from model.results.bands import at_end, bands
from model.results.run import RunResult
from model.simulation.agents.businesses import SECTORS
from model.simulation.agents.households import QUINTILES
from model.simulation.measures import BY_NAME

SETTING, BASELINE = "setting", "baseline"


@dataclass(frozen=True)
class ChartSpec:
    name: str  # its title is app_text "chart.<name>"
    measures: tuple[str, ...]
    period: str = "month"  # month | year (flows summed over the year) | end (last month, as bars)
    cumulative: bool = False


VIEWS: dict[str, tuple[ChartSpec, ...]] = {
    "people": (ChartSpec("population", ("population",)),
               ChartSpec("migration", ("births", "deaths", "departures", "returns", "newcomers"), "year")),
    "renovation": (ChartSpec("pipeline", ("compounds_listed", "compounds_collecting", "compounds_funded",
                                          "compounds_under_works", "compounds_renovated")),
                   ChartSpec("covered", ("households_covered",), cumulative=True),
                   ChartSpec("left_behind", tuple(f"unresolved_share_q{q}" for q in range(1, QUINTILES + 1)), "end"),
                   ChartSpec("waited", tuple(f"months_waiting_q{q}" for q in range(1, QUINTILES + 1)), "end")),
    "spending": (ChartSpec("spending", ("government_renovation_spending_yuan", "resident_contributions_yuan"), "year"),
                 ChartSpec("budget", ("renovation_budget_yuan",))),
    "businesses": (ChartSpec("sectors", tuple(f"businesses_{s}" for s in SECTORS)),
                   ChartSpec("kinds", ("enterprises", "individual_businesses"))),
    "stalls": (ChartSpec("occupancy", ("stall_occupancy",)),
               ChartSpec("bans", ("stall_bans",), "year"),
               ChartSpec("banned", ("vendors_banned",))),
    "disputes": (ChartSpec("disputes", ("disputes_filed", "disputes_resolved"), "year"),
                 ChartSpec("backlog", ("disputes_backlog",))),
}


def is_fraction(spec: ChartSpec) -> bool:
    return all(BY_NAME[m].unit == "fraction" for m in spec.measures)


def chart_data(spec: ChartSpec, result: RunResult, reference: RunResult, labels: dict[str, str]) -> pd.DataFrame:
    """Long table: x (an ISO date, or the measure's label for bars), label, series, median, low, high.
    `labels` maps measures and series to display text."""
    frames = []
    for series, run in ((SETTING, result), (BASELINE, reference)):
        if spec.period == "end":
            data = at_end(run.monthly, list(spec.measures))
            data["x"] = data["measure"].map(labels)
        else:
            data = bands(run.monthly, list(spec.measures), spec.period, spec.cumulative)
            data["x"] = data["period"].astype(str) + ("-01" if spec.period == "month" else "-01-01")
        data["label"] = data["measure"].map(labels)
        data["series"] = labels[series]
        frames.append(data)
    return pd.concat(frames, ignore_index=True)[["x", "measure", "label", "series", "median", "low", "high"]]


def axis_scale(data: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, str]:
    """The data divided so that axis numbers read naturally (万/亿, thousand/million) and that word."""
    divisor, word = magnitude(data[["median", "high"]].abs().max().max(), lang)
    scaled = data.copy()
    scaled[["median", "low", "high"]] = scaled[["median", "low", "high"]] / divisor
    return scaled, word


def vega_lite(spec: ChartSpec, title: str, y_title: str, words: dict[str, str], policy_start: str) -> dict:
    """A Vega-Lite spec for `chart_data`'s table (passed separately): the setting's band, both medians
    (the baseline dashed), and a rule at the policy start. `words` holds the tooltip titles and the
    series labels (keys: setting, baseline, measure, series, median, low, high, policy_start)."""
    y_axis = {"title": y_title, "format": ".0%" if is_fraction(spec) else ",.4~r"}
    number = ".1%" if is_fraction(spec) else ",.3~r"
    tooltip = [{"field": "label", "type": "nominal", "title": words["measure"]},
               {"field": "series", "type": "nominal", "title": words["series"]},
               *({"field": f, "type": "quantitative", "title": words[f], "format": number} for f in ("median", "low", "high"))]
    series_order = [words[SETTING], words[BASELINE]]
    legend = {"title": None, "orient": "bottom", "columns": 3, "labelLimit": 300}
    if spec.period == "end":
        x = {"field": "x", "type": "nominal", "sort": None, "title": None, "axis": {"labelAngle": 0}}
        offset = {"field": "series", "type": "nominal", "sort": series_order}
        layers = [
            {"mark": "bar", "encoding": {"x": x, "xOffset": offset, "tooltip": tooltip,
                                         "y": {"field": "median", "type": "quantitative", "axis": y_axis},
                                         "color": {"field": "series", "type": "nominal", "sort": series_order,
                                                   "legend": legend}}},
            {"mark": {"type": "rule", "color": "#333333"},
             "encoding": {"x": x, "xOffset": offset, "y": {"field": "low", "type": "quantitative", "axis": y_axis},
                          "y2": {"field": "high"}}},
        ]
    else:
        x = {"field": "x", "type": "temporal", "title": None, "axis": {"format": "%Y"}}
        colour = {"field": "label", "type": "nominal", "legend": legend, "sort": None}
        start = {"values": [{"x": f"{policy_start}-01", "text": words["policy_start"]}]}
        layers = [
            {"transform": [{"filter": {"field": "series", "equal": words[SETTING]}}],
             "mark": {"type": "area", "opacity": 0.22 if len(spec.measures) == 1 else 0.12},
             "encoding": {"x": x, "y": {"field": "low", "type": "quantitative", "axis": y_axis},
                          "y2": {"field": "high"}, "color": colour}},
            {"mark": {"type": "line", "strokeWidth": 2},
             "encoding": {"x": x, "y": {"field": "median", "type": "quantitative", "axis": y_axis}, "color": colour,
                          "strokeDash": {"field": "series", "type": "nominal", "sort": series_order,
                                         "legend": {"title": None, "orient": "bottom"}},
                          "tooltip": [{"field": "x", "type": "temporal", "title": "", "format": "%Y-%m"}, *tooltip]}},
            {"data": start, "mark": {"type": "rule", "color": "#888888", "strokeDash": [3, 3]},
             "encoding": {"x": {"field": "x", "type": "temporal"}}},
            {"data": start, "mark": {"type": "text", "align": "left", "baseline": "top", "dx": 4, "dy": 4,
                                     "color": "#666666"},
             "encoding": {"x": {"field": "x", "type": "temporal"}, "y": {"value": 0}, "text": {"field": "text"}}},
        ]
    return {"title": title, "height": 280, "layer": layers}


def figure_file(data: pd.DataFrame, spec: ChartSpec, title: str, y_title: str, note: str, fmt: str,
                lang: str = "zh") -> bytes:
    """The chart as a PNG or SVG file, drawn by the project's one chart stack (model/presentation/charts.py):
    the setting's medians with their bands, the baseline's dashed (or, for bars, side by side with whiskers)."""
    series = list(dict.fromkeys(data["series"]))
    if spec.period == "end":
        by = {name: data[data["series"] == name].set_index("label") for name in series}
        figure = grouped_bar_chart({name: part["median"] for name, part in by.items()}, title, "", y_title,
                                   percent=is_fraction(spec), note=note,
                                   errors={name: (part["low"], part["high"]) for name, part in by.items()})
    else:
        lines = [Line(f"{label} ({name})", data[(data["label"] == label) & (data["series"] == name)]
                      .assign(x=lambda d: d["x"].str[:7]).set_index("x"), colour, dashed=j > 0, band=j == 0)
                 for colour, label in enumerate(dict.fromkeys(data["label"])) for j, name in enumerate(series)]
        figure = line_chart(lines, title, lang, y_label=y_title, percent=is_fraction(spec), note=note,
                            legend_outside=True, size=(9, 4.5))
    return to_png(figure) if fmt == "png" else to_svg(figure).encode("utf-8")
