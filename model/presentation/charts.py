"""Charts for reports and the app: pure functions, data in, matplotlib Figure out, then SVG or PNG.

Figures are built without pyplot (no global state, safe in a web server). Chinese labels need a CJK
font: `chart_lang` falls back to English labels when none is installed, so a chart never shows boxes.
SVG output draws text as paths (opens anywhere, no fonts needed) and is byte-for-byte repeatable.
"""

from __future__ import annotations

import io
from contextlib import contextmanager
from functools import cache

import matplotlib
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from model.presentation.numbers import format_number

CJK_FONTS = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "SimHei",
             "Microsoft YaHei", "PingFang SC")
COLOURS = ("#1f5fa8", "#c0392b", "#2e8b57", "#8e44ad", "#d68910")
SIZE = (7.0, 3.6)  # inches: fits a page width in a word processor


@cache
def cjk_font() -> str | None:
    """The first installed font that has Chinese glyphs, or None."""
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def chart_lang(lang: str) -> str:
    """The language chart labels can be drawn in here: Chinese only with a CJK font installed."""
    return lang if lang != "zh" or cjk_font() else "en"


@contextmanager
def chart_style():
    """Fonts with Chinese glyphs when installed, repeatable SVG: every server-drawn chart uses this."""
    fonts = ["DejaVu Sans", *([cjk_font()] if cjk_font() else [])]
    with matplotlib.rc_context({"font.family": fonts, "font.size": 9,
                                "svg.hashsalt": "county-renewal", "svg.fonttype": "path",
                                "axes.spines.top": False, "axes.spines.right": False}):
        yield


def _plain(text: str) -> str:
    """User text (scenario names) shown literally: a '$' would otherwise start matplotlib mathtext."""
    return text.replace("$", r"\$")


def _decimal_year(month: str) -> float:
    """'2026-07' -> 2026.5: months on a continuous time axis."""
    return int(month[:4]) + (int(month[5:7]) - 1) / 12


def band_chart(bands: dict[str, pd.DataFrame], title: str, policy_start: str | None, lang: str,
               policy_label: str) -> Figure:
    """Monthly mean with its p5-p95 band, one line per run (e.g. scenario and baseline);
    `bands` maps a legend label to a frame indexed by month with columns mean, p5, p95."""
    with chart_style():
        fig = Figure(figsize=SIZE, layout="constrained")
        ax = fig.subplots()
        for colour, (label, band) in zip(COLOURS, bands.items()):
            x = [_decimal_year(m) for m in band.index]
            ax.fill_between(x, band["p5"], band["p95"], color=colour, alpha=0.18, linewidth=0)
            ax.plot(x, band["mean"], color=colour, linewidth=1.6, label=_plain(label))
        if policy_start:
            x = _decimal_year(policy_start)
            ax.axvline(x, color="#555555", linestyle=":", linewidth=1)
            ax.annotate(policy_label, xy=(x, 1), xycoords=("data", "axes fraction"), xytext=(3, -10),
                        textcoords="offset points", fontsize=8, color="#555555")
        ax.set_title(_plain(title), loc="left")
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: format_number(v, lang)))
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        if len(bands) > 1:
            ax.legend(frameon=False, loc="best")
        return fig


def grouped_bar_chart(groups: dict[str, pd.Series], title: str, category_label: str, value_label: str = "",
                      percent: bool = False, horizontal: bool = False) -> Figure:
    """Bars of one or more series over the same categories (e.g. coverage by income quintile for
    scenario and baseline, or sensitivity indices by parameter)."""
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
