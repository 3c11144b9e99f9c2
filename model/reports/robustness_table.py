"""`renewal robust`'s tables as Markdown in Chinese or English: each policy's regret and satisficing across
the states of the world, least maximum regret first, with the choices they lead to; then the uncertainties
ranked by what resolving each before choosing would be worth (EVPPI)."""

from __future__ import annotations

import pandas as pd

from model.presentation.numbers import format_exact, format_percent
from model.reports.comparison_table import shortfall
from model.reports.effects_table import shown
from model.reports.text import TEXT
from model.results.outcomes import BY_OUTCOME
from model.sweeps.cases import DRAWN
from model.sweeps.information import changed_text
from model.sweeps.robustness import Robustness

MARKS = {"minimax_regret": "robust_minimax", "least_p95_regret": "robust_least_p95", "best_mean": "robust_best_mean",
         "most_satisficing": "robust_most_satisficing"}


def format_robustness(result: Robustness, lang: str = "en") -> str:
    """The settings line, the policies table, the choices and the note; then the EVPPI ranking."""
    text, summary = TEXT[lang], result.summary
    return "\n\n".join([settings_line(summary, lang), policies_markdown(result, lang), choices(summary, lang),
                        text["robust_note"], *evppi_blocks(result, lang)])


def settings_line(summary: dict, lang: str) -> str:
    """What was compared across what: the policies (levers), the states of the world, the sweep, the outcome."""
    text, labels = TEXT[lang], summary["labels"]
    draws = text["robust_draws" if summary["parameter_draws"] else "robust_seeds"]
    if summary["uncertainties"]:
        worlds = text["robust_worlds_grid"].format(
            values=summary["states"] // summary["replicates"], replicates=summary["replicates"], draws=draws,
            uncertainties=" × ".join(labels[key][lang] for key in summary["uncertainties"]))
    else:
        worlds = text["robust_worlds_replicates"].format(replicates=summary["replicates"], draws=draws)
    outcome = summary["outcome"]
    return text["robust_settings"].format(
        policies=summary["policies"], levers=" × ".join(labels[key][lang] for key in summary["levers"]),
        states=summary["states"], worlds=worlds, sweep=summary["sweep"], scale=summary["scale"],
        outcome=BY_OUTCOME[outcome].label(lang), better=text[f"robust_{summary['better']}"])


def policies_markdown(result: Robustness, lang: str) -> str:
    """One row per policy: its lever values, the outcome's mean and median, its regrets, the state of its
    largest regret, its satisficing share (with a threshold) and the choices it is marked for."""
    text, summary, table = TEXT[lang], result.summary, result.policies
    name = summary["outcome"]
    rule = summary["satisfice"]
    headers = [summary["labels"][key][lang] for key in summary["levers"]]
    headers += [text[f"robust_{column}"] for column in ("mean", "median", "median_regret", "p95_regret", "max_regret",
                                                        "worst")]
    headers += [text["robust_satisficing"].format(rule=rule)] if rule else []
    headers.append(text["robust_marks"])
    states = result.regret.drop_duplicates("state").set_index("state")
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for row in table.to_dict("records"):
        cells = [row[key] if isinstance(row[key], str) else format_exact(row[key], lang) for key in summary["levers"]]
        cells += [shown(row["mean"], name, lang), shown(row["median"], name, lang)]
        cells += [shortfall(row[column], name, lang) for column in ("median_regret", "p95_regret", "max_regret")]
        cells.append("–" if pd.isna(row["worst_state"]) else state_text(states.loc[row["worst_state"]], summary, lang))
        cells += [format_percent(row["satisficing_share"], lang, 0)] if rule else []
        cells.append(text["robust_list"].join(text[key] for mark, key in MARKS.items() if row.get(mark)))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def state_text(state: pd.Series, summary: dict, lang: str) -> str:
    """A state of the world in words: the uncertainties' values and the replicate."""
    values = [f"{summary['labels'][key][lang]} {format_exact(state[key], lang)}" for key in summary["uncertainties"]]
    return TEXT[lang]["robust_comma"].join([*values, TEXT[lang]["robust_replicate"].format(n=int(state["replicate"]))])


def choices(summary: dict, lang: str) -> str:
    """The policies each rule chooses (all of them when tied)."""
    text = TEXT[lang]
    named = {mark: ", ".join(f"`{policy}`" for policy in summary.get(mark, [])) for mark in MARKS}
    line = text["robust_choices"].format(minimax=named["minimax_regret"], p95=named["least_p95_regret"],
                                         mean=named["best_mean"])
    if summary["satisfice"]:
        line += text["robust_choice_satisficing"].format(rule=summary["satisfice"], policies=named["most_satisficing"])
    return line


def evppi_blocks(result: Robustness, lang: str) -> list[str]:
    """The EVPPI title and EVPI line, the ranking with its note, and which drawn parameters were left out."""
    text, summary = TEXT[lang], result.summary
    name = summary["outcome"]
    blocks = [text["robust_evppi_title"].format(states=summary["states"]),
              text["robust_evpi"].format(evpi=shortfall(summary["evpi"], name, lang),
                                         preferred=", ".join(f"`{p}`" for p in summary["best_mean"]))]
    if len(result.evppi):
        blocks += [evppi_markdown(result.evppi, summary, lang), text["robust_evppi_note"]]
    else:
        blocks.append(text["robust_no_dimensions"])
    if summary["constant"]:
        keys = [key.removeprefix(DRAWN) for key in summary["constant"]]
        blocks.append(text["robust_constant"].format(n=len(keys), keys=", ".join(f"`{key}`" for key in keys)))
    return blocks


def evppi_markdown(evppi: pd.DataFrame, summary: dict, lang: str) -> str:
    """One row per uncertainty, largest EVPPI first."""
    text, name = TEXT[lang], summary["outcome"]
    columns = ("rank", "dimension", "bins", "evppi", "noise_floor", "change_share", "changed_bins")
    lines = ["| " + " | ".join(text[f"robust_{c}"] for c in columns) + " |", "|" + "---|" * len(columns)]
    for rank, row in enumerate(evppi.itertuples(), start=1):
        key = row.dimension.removeprefix(DRAWN)
        label = summary["labels"][key][lang] + (text["robust_drawn"] if row.dimension.startswith(DRAWN) else "")
        sizes = (f"{row.states_per_bin_min}" if row.states_per_bin_min == row.states_per_bin_max
                 else f"{row.states_per_bin_min}-{row.states_per_bin_max}")
        lines.append(f"| {rank} | {label} `{key}` | {row.bins} ({sizes}) | {shortfall(row.evppi, name, lang)} "
                     f"| {shortfall(row.noise_floor, name, lang)} | {format_percent(row.change_share, lang, 0)} "
                     f"| {changed_text(row.changed, text['robust_to']) or '–'} |")
    return "\n".join(lines)
