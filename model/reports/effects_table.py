"""The effects table: `renewal effects`' paired changes of the shipped what-ifs as Markdown, for the
README (`make effects`) and the terminal."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from model.inputs.errors import InputError
from model.presentation.numbers import format_count, format_number, with_sign
from model.results.outcomes import BY_OUTCOME


def shown(value: float, name: str, lang: str = "en", signed: bool = False) -> str:
    """An outcome's value (or, signed, a change) as its kind is written: a count, money, a share in % (a
    change in percentage points), months."""
    kind = BY_OUTCOME[name].kind
    if kind == "fraction":
        return f"{100 * value:+.1f} pp" if signed else f"{100 * value:.1f}%"
    number = abs(float(value)) if signed else float(value)
    text = {"count": format_count, "months": lambda v, _: f"{v:.1f}"}.get(kind, format_number)(number, lang)
    return with_sign(text, value) if signed else text


def shortfall(value: float, name: str, lang: str) -> str:
    """A regret as a change is written (percentage points for a share), without the sign: it is never negative."""
    return shown(value, name, lang, signed=True).removeprefix("+")


def format_effects(table: pd.DataFrame, lang: str = "en") -> str:
    """A Markdown table: per what-if and outcome, the baseline's and the what-if's medians, the paired
    change with its 5-95% band, the share of replicates in which the what-if is better, and the 95th-percentile
    regret of each (how far it falls short of the other in its bad cases); '–' where an outcome has no better
    direction (money spent is a choice, not a score)."""
    lines = ["| what-if | outcome | baseline | what-if | change (5-95%) | what-if better in | regret, 95th pct "
             "(baseline / what-if) |", "|---|---|---|---|---|---|---|"]
    for row in table.itertuples():
        band = f"{shown(row.change_low, row.outcome, lang, True)} to {shown(row.change_high, row.outcome, lang, True)}"
        change = f"{shown(row.change, row.outcome, lang, True)} ({band})" + (" within noise" if row.within_noise else "")
        directed = not np.isnan(row.probability_better)
        better = f"{100 * row.probability_better:.0f}% of replicates" if directed else "–"
        regret = (f"{shortfall(row.regret_baseline, row.outcome, lang)} / {shortfall(row.regret_what_if, row.outcome, lang)}"
                  if directed else "–")
        lines.append(f"| `{row.scenario}` | {BY_OUTCOME[row.outcome].label(lang)} | {shown(row.baseline, row.outcome, lang)} "
                     f"| {shown(row.what_if, row.outcome, lang)} | {change} | {better} | {regret} |")
    return "\n".join(lines)


def settings_line(table: pd.DataFrame, settings: dict) -> str:
    """How the table was made, for the line under it."""
    draws = "with parameter draws" if settings.get("parameter_draws", True) else "seeds only"
    return (f"{settings['replicates']} paired replicates ({draws}) at scale {settings['scale']}, seed {settings['seed']}; "
            f"{int(np.sum(~table['within_noise']))} of {len(table)} changes have a 5-95% band that excludes zero.")


def spliceable(path: Path, marker: str) -> str:
    """The text of a Markdown file that has a block to fill: the lines `<!-- {marker}:start -->` and
    `<!-- {marker}:end -->`, each on a line of its own (a mention inside a sentence is not one). Checked
    before any work, so that a wrong file costs nothing."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, None, f"cannot read it as text ({getattr(exc, 'strerror', None) or exc})") from None
    if not _block(marker).search(text):
        raise InputError(path, None, f"no <!-- {marker}:start --> ... <!-- {marker}:end --> block to fill (each "
                         "marker on a line of its own)")
    return text


def splice(path: Path, block: str, marker: str = "effects") -> None:
    """Put `block` between the lines `<!-- {marker}:start -->` and `<!-- {marker}:end -->` of a Markdown file."""
    text = spliceable(path, marker)
    found = _block(marker).search(text)
    path.write_text(f"{text[:found.end(1)]}\n{block}\n{text[found.start(2):]}", encoding="utf-8")


def _block(marker: str) -> re.Pattern:
    return re.compile(rf"^(<!-- {re.escape(marker)}:start -->)$.*?^(<!-- {re.escape(marker)}:end -->)$",
                      re.MULTILINE | re.DOTALL)
