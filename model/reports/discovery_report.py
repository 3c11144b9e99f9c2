"""`renewal discover`'s output: what it prints, the report section (Markdown, zh and en, with the
coverage-density trade-off and the box limits drawn) and the files a reader can reopen.

The directory it writes holds trajectory, boxes, cart and cases as Parquet and CSV, the tree as text,
summary.json (what produced it), discovery-zh.md and discovery-en.md, and the charts as PNG and SVG.
It is written as `renewal compare` writes: in a hidden sibling, then moved into place.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pandas as pd

from model.presentation.charts import box_limits_chart, to_png, to_svg, tradeoff_chart
from model.presentation.numbers import band_scale, format_number, format_yuan
from model.reports.effects_table import shown
from model.reports.text import TEXT
from model.results.destination import SUMMARY_FILE, check_marked_directory, discard, replace_outputs
from model.results.outcomes import BY_OUTCOME
from model.sweeps.cases import DRAWN
from model.sweeps.discovery import DISCOVERED_BY, Box, Discovery

TABLES = ("trajectory", "boxes", "cart", "cases")
LANGS = ("zh", "en")
TRAJECTORY_ROWS = 12  # steps printed from the trajectory (every step is in trajectory.csv)
CHANCE = 0.05  # a restriction whose quasi-p values both exceed this may be chance (Bryant and Lempert 2010)


def files(boxes: int) -> tuple[str, ...]:
    """Every file a discovery with this many boxes writes (what a replaced directory loses)."""
    charts = [f"{c}-{lang}" for c in ["tradeoff", *(f"box-{n}" for n in range(1, boxes + 1))] for lang in LANGS]
    return (*(f"{t}.{ext}" for t in TABLES for ext in ("csv", "parquet")), "tree.txt", SUMMARY_FILE,
            *(f"discovery-{lang}.md" for lang in LANGS), *(f"{c}.{ext}" for c in charts for ext in ("png", "svg")))


def check_discovery_directory(out: Path, identity: str, force: bool = False) -> None:
    check_marked_directory(out, SUMMARY_FILE, DISCOVERED_BY, "discovery_hash", identity, "discovery", force)


def labels(record: dict, registry, lang: str) -> dict[str, str]:
    """Each dimension's name in the reader's language (a drawn parameter says so)."""
    named = {}
    for dimension in record["dimensions"]:
        key = dimension.removeprefix(DRAWN)
        label = getattr(registry[key].label, lang) if key in registry.parameters else key
        named[dimension] = label + (TEXT[lang]["discover_drawn"] if dimension.startswith(DRAWN) else "")
    return named


def _share(value: float) -> str:
    return f"{100 * value:.0f}%"


def _value(value: float, lang: str, unit: str = "", like: float | None = None) -> str:
    """A dimension's value: money as money, large numbers as the reader writes them, others to 3 digits
    (`like`: the unit of a range's other end)."""
    if unit.startswith("yuan"):
        return format_yuan(value, lang, like=like)
    return format_number(value, lang, like=like) if max(abs(value), abs(like or 0)) >= 100 else f"{value:.3g}"


def _range(low: float, high: float, lang: str, unit: str) -> str:
    """A range's two ends in one unit."""
    like = band_scale(low, high)
    return TEXT[lang]["discover_range"].format(low=_value(low, lang, unit, like), high=_value(high, lang, unit, like))


def units(record: dict, registry) -> dict[str, str]:
    """Each dimension's unit in the registry (empty for what the registry does not hold)."""
    keys = {d: d.removeprefix(DRAWN) for d in record["dimensions"]}
    return {d: registry[k].unit if k in registry.parameters else "" for d, k in keys.items()}


def chance(limits: pd.DataFrame) -> pd.Series:
    """Which restrictions might be chance: both quasi-p values above CHANCE (the workbench writes NaN or -1
    for a side it does not restrict)."""
    p = limits[["qp_low", "qp_high"]].where(limits[["qp_low", "qp_high"]] >= 0).fillna(1.0)
    return p.min(axis=1) > CHANCE


def _qp(value: float) -> str:
    if pd.isna(value) or value < 0:
        return "–"
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def box_markdown(n: int, box: Box, names: dict[str, str], unit: dict[str, str], lang: str) -> str:
    text, stats = TEXT[lang], box.stats
    lines = [text["discover_box"].format(n=n, coverage=_share(stats["coverage"]), density=_share(stats["density"]),
                                         mass=_share(stats["mass"]), res_dim=stats["res_dim"], step=stats["step"],
                                         inside=stats["cases"], failed=stats["failures"])]
    if box.limits.empty:
        return "\n\n".join([*lines, text["discover_no_restriction"]])
    table = [f"| {text['discover_dimension']} | {text['discover_box_range']} | {text['discover_whole_range']} "
             f"| {text['discover_qp']} |", "|---|---|---|---|"]
    for row, maybe_chance in zip(box.limits.itertuples(), chance(box.limits)):
        u = unit.get(row.dimension, "")
        maybe = f" {text['discover_chance']}" if maybe_chance else ""
        table.append(f"| {names.get(row.dimension, row.dimension)} (`{row.dimension.removeprefix(DRAWN)}`) "
                     f"| {_range(row.low, row.high, lang, u)} | {_range(row.range_low, row.range_high, lang, u)} "
                     f"| {_qp(row.qp_low)} / {_qp(row.qp_high)}{maybe} |")
    return "\n\n".join([*lines, "\n".join(table), text["discover_chance_note"].format(p=CHANCE)])


def trajectory_markdown(box: Box, lang: str) -> str:
    """Evenly spaced steps of the trajectory, always with its first, its last and the chosen step."""
    text, steps = TEXT[lang], box.trajectory
    every = max(1, len(steps) // TRAJECTORY_ROWS)
    shown_steps = sorted({0, len(steps) - 1, box.chosen, *range(0, len(steps), every)})
    lines = [f"| {text['discover_step']} | {text['discover_coverage']} | {text['discover_density']} "
             f"| {text['discover_mass']} | {text['discover_res_dim']} |", "|---|---|---|---|---|"]
    for i in shown_steps:
        row = steps.iloc[i]
        mark = f" ({text['discover_chosen']})" if i == box.chosen else ""
        lines.append(f"| {i}{mark} | {_share(row['coverage'])} | {_share(row['density'])} | {_share(row['mass'])} "
                     f"| {int(row['res_dim'])} |")
    return "\n".join(lines)


def leaves_markdown(found: Discovery, names: dict[str, str], unit: dict[str, str], lang: str) -> str:
    text = TEXT[lang]
    heading = text["discover_cart"].format(rate=_share(found.failures / found.cases))
    if found.leaves.empty:
        return f"{heading}\n\n{text['discover_no_leaves']}"
    lines = [f"| {text['discover_leaf']} | {text['discover_coverage']} | {text['discover_density']} "
             f"| {text['discover_mass']} | {text['discover_leaf_limits']} |", "|---|---|---|---|---|"]
    for row in found.leaves.itertuples():
        limits = "; ".join(f"{names.get(d, d)} {_range(lo, hi, lang, unit[d])}" for d, (lo, hi) in row.limits.items())
        lines.append(f"| {row.leaf} | {_share(row.coverage)} | {_share(row.density)} | {_share(row.mass)} | {limits} |")
    return f"{heading}:\n\n" + "\n".join(lines)


def question_line(found: Discovery, record: dict, lang: str) -> tuple[str, str]:
    """The section's title and its first sentence: what fails, in how many of which cases."""
    text, outcome = TEXT[lang], BY_OUTCOME[record["outcome"]]
    op, threshold = record["where"].split(" ", 1)
    where = f"{op} {shown(float(threshold), outcome.name, lang)}"
    title = text["discover_title"].format(outcome=outcome.label(lang), where=where)
    points = record["cases"] // max(record["replicates"], 1)
    line = text["discover_question"].format(cases=found.cases, sweep=record["sweep"], points=points,
                                            replicates=record["replicates"], scale=record["scale"],
                                            failures=found.failures, share=_share(found.failures / found.cases),
                                            outcome=outcome.label(lang), where=where)
    return title, line


def format_discovery(found: Discovery, record: dict, registry, lang: str = "en", charts: bool = False) -> str:
    """The section as Markdown: the question, the method, each box with its trajectory (and its charts
    when `charts`), CART's failing leaves and its tree, the caveats."""
    text, names, unit = TEXT[lang], labels(record, registry, lang), units(record, registry)
    settings = record["settings"]
    title, line = question_line(found, record, lang)
    blocks = [f"## {title}", line, text["discover_method"].format(
        version=record["packages"]["ema_workbench"], peel=_share(settings["peel_alpha"]),
        mass=_share(settings["mass_min"]), coverage=_share(settings["min_coverage"]))]
    if record["drawn_dimensions"]:
        blocks.append(text["discover_drawn_caveat"])
    for n, box in enumerate(found.boxes, start=1):
        blocks.append(box_markdown(n, box, names, unit, lang))
        if charts:
            blocks.append(f"![{text['discover_limits_title'].format(n=n)}](box-{n}-{lang}.png)")
        blocks += [f"{text['discover_trajectory']}:", trajectory_markdown(box, lang)]
    if charts:
        blocks.append(f"![{text['discover_tradeoff_title'].format(n=1)}](tradeoff-{lang}.png)")
    blocks += [leaves_markdown(found, names, unit, lang), f"{text['discover_tree']}:", f"```\n{found.tree.rstrip()}\n```",
               text["discover_made_by"].format(command=record["command"])]
    return "\n\n".join(blocks)


def summary_markdown(found: Discovery, record: dict, registry, out: Path, into: Path, lang: str = "en") -> str:
    """What a README or a worked example shows: the question, the boxes with their limits and charts, and
    links to the whole section, with paths from `into`'s folder to the discovery's folder `out`."""
    text, names, unit = TEXT[lang], labels(record, registry, lang), units(record, registry)
    folder = Path(os.path.relpath(out, into.parent)).as_posix()
    title, line = question_line(found, record, lang)
    blocks = [f"**{title}** {line}"]
    for n, box in enumerate(found.boxes, start=1):
        blocks += [box_markdown(n, box, names, unit, lang),
                   f"![{text['discover_limits_title'].format(n=n)}]({folder}/box-{n}-{lang}.png)"]
    sections = " · ".join(f"[{lang_}]({folder}/discovery-{lang_}.md)" for lang_ in LANGS)
    blocks.append(f"{text['discover_made_by'].format(command=record['command'])} {text['discover_whole']}: {sections}.")
    return "\n\n".join(blocks)


def figures(found: Discovery, record: dict, registry, lang: str) -> dict[str, object]:
    """The trade-off of the first box and each box's limits, as matplotlib figures by file stem; a
    restriction that might be chance is drawn pale and says so."""
    text, names, unit = TEXT[lang], labels(record, registry, lang), units(record, registry)
    first = found.boxes[0]
    drawn = {f"tradeoff-{lang}": tradeoff_chart(first.trajectory, first.chosen, text["discover_tradeoff_title"].format(n=1),
                                        text["discover_coverage"], text["discover_density"], text["discover_res_dim"],
                                        text["discover_chosen"])}
    for n, box in enumerate(found.boxes, start=1):
        pale = set(box.limits.loc[chance(box.limits), "dimension"])
        named = {d: name + (f" {text['discover_chance']}" if d in pale else "") for d, name in names.items()}
        drawn[f"box-{n}-{lang}"] = box_limits_chart(box.limits, named, text["discover_limits_title"].format(n=n),
                                                    lambda dimension, value: _value(value, lang, unit[dimension]), pale)
    return drawn


def tables(found: Discovery, cases: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The tables written: every box's trajectory and limits (with its statistics), CART's failing leaves
    (limits as JSON), and the cases with whether each failed."""
    trajectory = pd.concat([b.trajectory.assign(box=n, chosen=b.trajectory["step"] == b.chosen)
                            for n, b in enumerate(found.boxes, start=1)], ignore_index=True)
    boxes = pd.concat([b.limits.assign(box=n, **{k: v for k, v in b.stats.items()})
                       for n, b in enumerate(found.boxes, start=1)], ignore_index=True)
    leaves = found.leaves.assign(limits=found.leaves["limits"].map(json.dumps))
    return {"trajectory": trajectory, "boxes": boxes, "cart": leaves, "cases": cases}


def write_discovery(found: Discovery, cases: pd.DataFrame, record: dict, registry, out: Path, force: bool = False) -> Path:
    """Write the tables, the tree, summary.json, both report sections and the charts to `out`."""
    check_discovery_directory(out, record["discovery_hash"], force)
    names = files(len(found.boxes))
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    try:
        for name, table in tables(found, cases).items():
            table.to_csv(staging / f"{name}.csv", index=False)
            table.to_parquet(staging / f"{name}.parquet", index=False)
        (staging / "tree.txt").write_text(found.tree, encoding="utf-8")
        (staging / SUMMARY_FILE).write_text(json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8")
        for lang in LANGS:
            (staging / f"discovery-{lang}.md").write_text(format_discovery(found, record, registry, lang, charts=True)
                                                         + "\n", encoding="utf-8")
            for stem, figure in figures(found, record, registry, lang).items():
                (staging / f"{stem}.png").write_bytes(to_png(figure))
                (staging / f"{stem}.svg").write_text(to_svg(figure), encoding="utf-8")
        replace_outputs(staging, out, names)
    except BaseException:
        discard(staging, names)
        raise
    return out
