"""The effects table: `renewal effects`' paired changes of the shipped what-ifs as Markdown, for the
README (`make effects`) and the terminal."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from model.inputs.errors import InputError
from model.presentation.numbers import format_number
from model.results.outcomes import BY_OUTCOME


def shown(value: float, name: str, lang: str = "en", signed: bool = False) -> str:
    """An outcome's value (or, signed, a change) as its kind is written: a count, money, a share in % (a
    change in percentage points), months."""
    kind = BY_OUTCOME[name].kind
    if kind == "fraction":
        return f"{100 * value:+.1f} pp" if signed else f"{100 * value:.1f}%"
    text = format_number(float(value), lang) if kind != "months" else f"{value:.1f}"
    return (("+" if value > 0 else "") + text) if signed else text


def format_effects(table: pd.DataFrame, lang: str = "en") -> str:
    """A Markdown table: per what-if and outcome, the baseline's and the what-if's medians and the paired
    change with its 5-95% band."""
    lines = ["| what-if | outcome | baseline | what-if | change (5-95%) |", "|---|---|---|---|---|"]
    for row in table.itertuples():
        band = f"{shown(row.change_low, row.outcome, lang, True)} to {shown(row.change_high, row.outcome, lang, True)}"
        change = f"{shown(row.change, row.outcome, lang, True)} ({band})" + (" within noise" if row.within_noise else "")
        lines.append(f"| `{row.scenario}` | {BY_OUTCOME[row.outcome].label(lang)} | {shown(row.baseline, row.outcome, lang)} "
                     f"| {shown(row.what_if, row.outcome, lang)} | {change} |")
    return "\n".join(lines)


def settings_line(table: pd.DataFrame, settings: dict) -> str:
    """How the table was made, for the line under it."""
    draws = "with parameter draws" if settings.get("parameter_draws", True) else "seeds only"
    return (f"{settings['replicates']} paired replicates ({draws}) at scale {settings['scale']}, seed {settings['seed']}; "
            f"{int(np.sum(~table['within_noise']))} of {len(table)} changes have a 5-95% band that excludes zero.")


def splice(path: Path, block: str, marker: str = "effects") -> None:
    """Put `block` between `<!-- {marker}:start -->` and `<!-- {marker}:end -->` in a Markdown file."""
    text = path.read_text(encoding="utf-8")
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    if start not in text or end not in text:
        raise InputError(path, None, f"no {start} ... {end} block to fill")
    before, rest = text.split(start, 1)
    after = rest.split(end, 1)[1]
    path.write_text(f"{before}{start}\n{block}\n{end}{after}", encoding="utf-8")
