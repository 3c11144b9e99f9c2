"""Charts for reports and the app's downloads: pure functions, data in, matplotlib Figure out, then SVG or
PNG. The one chart stack of the project: line charts with bands, bar charts, the causal loop, and scenario
discovery's coverage-density trade-off and box limits.

Figures are built without pyplot (no global state, safe in a web server). Chinese labels are drawn with
Noto Sans CJK, which the project installs from PyPI (`noto-cjk[sans]`) and registers with matplotlib
here, so that Chinese renders whatever fonts the machine has and whatever matplotlib's font cache holds.
SVG output draws text as paths (opens anywhere, no fonts needed) and is byte-for-byte repeatable.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

import matplotlib
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter
from noto_cjk import otc_path

from model.presentation.numbers import format_number

CJK_FONT = "Noto Sans CJK SC"
COLOURS = ("#1f5fa8", "#c0392b", "#2e8b57", "#8e44ad", "#d68910", "#17a2b8", "#7f8c8d")
SIZE = (7.0, 3.6)  # inches: fits a page width in a word processor


@cache
def cjk_font() -> str:
    """The packaged Noto Sans CJK, registered with matplotlib once per process; returns its family name."""
    font_manager.fontManager.addfont(str(otc_path("sans")))
    return CJK_FONT


@contextmanager
def chart_style():
    """Fonts with Chinese glyphs, repeatable SVG: every server-drawn chart uses this."""
    with matplotlib.rc_context({"font.family": ["DejaVu Sans", cjk_font()], "font.size": 9,
                                "svg.hashsalt": "county-renewal", "svg.fonttype": "path",
                                "axes.spines.top": False, "axes.spines.right": False}):
        yield


def _plain(text: str) -> str:
    """User text (scenario names) shown literally: a '$' would otherwise start matplotlib mathtext."""
    return text.replace("$", r"\$")


@dataclass(frozen=True)
class Line:
    """One line of a line chart: `data` indexed by month ('YYYY-MM') or year, with a `median` column and,
    when `band`, `low` and `high`; colours are indices into COLOURS."""

    label: str
    data: pd.DataFrame
    colour: int = 0
    dashed: bool = False
    band: bool = True


def _time(index: pd.Index) -> list[float]:
    """Months ('2026-07' -> 2026.5) or years on a continuous time axis."""
    return [int(str(x)[:4]) + (int(str(x)[5:7]) - 1) / 12 if len(str(x)) >= 7 else float(x) for x in index]


def line_chart(lines: list[Line], title: str, lang: str, *, policy_start: str | None = None, policy_label: str = "",
               y_label: str = "", percent: bool = False, note: str | None = None, legend_outside: bool = False,
               size: tuple[float, float] = SIZE) -> Figure:
    """Medians over time with their 5-95% bands (e.g. a setting and its baseline, dashed), a dotted rule
    at the policy start."""
    with chart_style():
        fig = Figure(figsize=size, layout="constrained")
        ax = fig.subplots()
        for line in lines:
            x, colour = _time(line.data.index), COLOURS[line.colour % len(COLOURS)]
            if line.band:
                ax.fill_between(x, line.data["low"], line.data["high"], color=colour, alpha=0.18, linewidth=0)
            ax.plot(x, line.data["median"], color=colour, linewidth=1.6, linestyle="--" if line.dashed else "-",
                    label=_plain(line.label))
        if policy_start:
            x = _time(pd.Index([policy_start]))[0]
            ax.axvline(x, color="#555555", linestyle=":", linewidth=1)
            ax.annotate(_plain(policy_label), xy=(x, 1), xycoords=("data", "axes fraction"), xytext=(3, -10),
                        textcoords="offset points", fontsize=8, color="#555555")
        ax.set_title(_plain(title), loc="left")
        ax.set_ylabel(_plain(y_label))
        ax.yaxis.set_major_formatter(PercentFormatter(1.0) if percent else FuncFormatter(lambda v, _: format_number(v, lang)))
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        if len(lines) > 1:
            ax.legend(frameon=False, fontsize=8, **({"loc": "upper left", "bbox_to_anchor": (1.01, 1.0)}
                                                    if legend_outside else {"loc": "best"}))
        if note:
            fig.supxlabel(_plain(note), fontsize=7, color="#555555", x=0.01, ha="left")
        return fig


def grouped_bar_chart(groups: dict[str, pd.Series], title: str, category_label: str, value_label: str = "",
                      percent: bool = False, horizontal: bool = False,
                      errors: dict[str, tuple[pd.Series, pd.Series]] | None = None, note: str | None = None) -> Figure:
    """Bars of one or more series over the same categories (e.g. coverage by income quintile for
    scenario and baseline, or sensitivity indices by parameter); `errors` gives a series' low and high
    ends (its 5-95% band) as whiskers."""
    with chart_style():
        categories = list(next(iter(groups.values())).index)
        height = max(SIZE[1], 0.3 * len(categories) * len(groups) + 1) if horizontal else SIZE[1]
        fig = Figure(figsize=(SIZE[0], height), layout="constrained")
        ax = fig.subplots()
        width = 0.8 / len(groups)
        for i, (colour, (label, series)) in enumerate(zip(COLOURS, groups.items())):
            positions = [c + (i - (len(groups) - 1) / 2) * width for c in range(len(categories))]
            values = series.reindex(categories).to_numpy(dtype=float)
            draw = ax.barh if horizontal else ax.bar
            draw(positions, values, width * 0.95, color=colour, label=_plain(label))
            if errors and label in errors:
                low, high = (e.reindex(categories).to_numpy(dtype=float) for e in errors[label])
                whisker = {"xerr" if horizontal else "yerr": [values - low, high - values]}
                ax.errorbar(*((values, positions) if horizontal else (positions, values)), **whisker, fmt="none",
                            ecolor="#333333", capsize=3, linewidth=1)
        category_axis, value_axis = (ax.yaxis, ax.xaxis) if horizontal else (ax.xaxis, ax.yaxis)
        category_axis.set_ticks(range(len(categories)), [_plain(str(c)) for c in categories])
        category_axis.set_label_text(category_label)
        value_axis.set_label_text(value_label)
        if percent:
            value_axis.set_major_formatter(FuncFormatter(lambda v, _: f"{100 * v:.0f}%"))
        ax.set_axisbelow(True)
        if horizontal:
            ax.invert_yaxis()
        ax.set_title(_plain(title), loc="left")
        ax.grid(axis="x" if horizontal else "y", color="#dddddd", linewidth=0.6)
        if len(groups) > 1:
            ax.legend(frameon=False, loc="best")
        if note:
            fig.supxlabel(_plain(note), fontsize=7, color="#555555", x=0.01, ha="left")
        return fig


def tradeoff_chart(trajectory: pd.DataFrame, chosen: int, title: str, coverage_label: str, density_label: str,
                   restricted_label: str, chosen_label: str) -> Figure:
    """PRIM's peeling trajectory: each box's coverage against its density, coloured by how many dimensions it
    restricts, the chosen box circled."""
    with chart_style():
        fig = Figure(figsize=(SIZE[0] * 0.8, SIZE[1] * 1.2), layout="constrained")
        ax = fig.subplots()
        for i, (restricted, steps) in enumerate(trajectory.groupby("res_dim")):
            ax.scatter(steps["coverage"], steps["density"], s=16, color=COLOURS[i % len(COLOURS)],
                       label=f"{restricted_label}: {restricted}")
        pick = trajectory.iloc[chosen]
        ax.scatter([pick["coverage"]], [pick["density"]], s=110, facecolors="none", edgecolors="#222222", linewidths=1.4)
        ax.annotate(_plain(chosen_label), xy=(pick["coverage"], pick["density"]), xytext=(8, -14),
                    textcoords="offset points", fontsize=8)
        ax.set_xlim(0, 1.02)
        ax.set_ylim(0, 1.02)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlabel(_plain(coverage_label))
        ax.set_ylabel(_plain(density_label))
        ax.set_title(_plain(title), loc="left")
        ax.grid(color="#dddddd", linewidth=0.6)
        ax.legend(frameon=False, fontsize=8, loc="lower left")
        return fig


def box_limits_chart(limits: pd.DataFrame, labels: dict[str, str], title: str,
                     written: Callable[[str, float], str], pale: set[str] = frozenset()) -> Figure:
    """A box's restricted dimensions: each dimension's whole range as a grey bar, scaled to 0-1, the box's
    part of it in colour (`pale` ones lighter), with its limits written at the ends (`written(dimension,
    value)`)."""
    with chart_style():
        fig = Figure(figsize=(SIZE[0], max(1.6, 0.55 * len(limits) + 1.0)), layout="constrained")
        ax = fig.subplots()
        for i, row in enumerate(limits.itertuples()):
            span = (row.range_high - row.range_low) or 1.0
            low, high = (row.low - row.range_low) / span, (row.high - row.range_low) / span
            ax.barh(i, 1.0, height=0.5, color="#e3e3e3")
            ax.barh(i, high - low, left=low, height=0.5, color=COLOURS[0], alpha=0.35 if row.dimension in pale else 1.0)
            for x, value, align in ((low, row.low, "right"), (high, row.high, "left")):
                ax.annotate(written(row.dimension, value), xy=(x, i), xytext=(-3 if align == "right" else 3, 0),
                            textcoords="offset points", ha=align, va="center", fontsize=8)
        ax.set_yticks(range(len(limits)), [_plain(labels.get(d, d)) for d in limits["dimension"]])
        ax.invert_yaxis()
        ax.set_xlim(-0.15, 1.15)
        ax.set_xticks([])
        ax.spines["bottom"].set_visible(False)
        ax.set_title(_plain(title), loc="left")
        return fig


def to_svg(fig: Figure) -> str:
    """The figure as a standalone SVG document (text as paths, no date or creator: repeatable)."""
    buffer = io.StringIO()
    with chart_style():
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    return buffer.getvalue()


def to_png(fig: Figure, dpi: int = 200) -> bytes:
    buffer = io.BytesIO()
    with chart_style():
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def inline_svg(svg: str) -> str:
    """An SVG document as an element to put inside HTML: without its XML prolog and DOCTYPE."""
    return svg[svg.index("<svg"):]


def loop_chart(nodes: dict[str, str], edges: tuple[tuple[str, str], ...], title: str) -> Figure:
    """A causal-loop diagram: labelled boxes on a ring, arrows from cause to effect."""
    with chart_style():
        fig = Figure(figsize=(SIZE[0], 4.6), layout="constrained")
        ax = fig.subplots()
        ax.set_axis_off()
        ax.set_xlim(-1.45, 1.45)
        ax.set_ylim(-1.2, 1.2)
        boxes = {}
        for i, (name, label) in enumerate(nodes.items()):
            angle = np.pi / 2 - 2 * np.pi * i / len(nodes)
            boxes[name] = ax.text(1.05 * np.cos(angle), 0.9 * np.sin(angle), label, ha="center", va="center",
                                  fontsize=8.5, bbox={"boxstyle": "round,pad=0.4", "facecolor": "#eef3fa",
                                                      "edgecolor": COLOURS[0]})
        for cause, effect in edges:
            ax.annotate("", xy=boxes[effect].get_position(), xytext=boxes[cause].get_position(),
                        arrowprops={"arrowstyle": "-|>", "color": "#555555", "linewidth": 0.9,
                                    "connectionstyle": "arc3,rad=0.12", "shrinkA": 2, "shrinkB": 2,
                                    "patchA": boxes[cause].get_bbox_patch(), "patchB": boxes[effect].get_bbox_patch()})
        ax.set_title(title, loc="left")
        return fig
