"""`renewal compare`'s tables as Markdown in Chinese or English: per outcome and pair of policies how sure
we are that one is better, in plain words, with the paired difference; then each policy's regret."""

from __future__ import annotations

import pandas as pd

from model.reports.effects_table import shortfall, shown
from model.reports.text import TEXT
from model.results.comparison import Comparison
from model.results.outcomes import BY_OUTCOME


def format_comparison(comparison: Comparison, lang: str = "en") -> str:
    """The settings line, the pairs table with its note, and the regret table."""
    text, summary = TEXT[lang], comparison.summary
    settings = text["compare_settings"].format(
        policies=", ".join(p["name"] for p in summary["policies"]), n=summary["replicates"],
        draws=text["compare_draws" if summary["parameter_draws"] else "compare_seeds"], scale=summary["scale"],
        seed=summary["seed"], policy_start=summary["policy_start"])
    better = text["compare_better_draws" if summary["parameter_draws"] else "compare_better_seeds"]
    blocks = [settings, pairs_markdown(comparison.pairs, better, lang), text["compare_pairs_note"], text["compare_regret"]]
    if len(comparison.regret):
        blocks.append(regret_markdown(comparison.regret, lang))
    undirected = [BY_OUTCOME[name].label(lang) for name in summary["outcomes"] if BY_OUTCOME[name].better == "neither"]
    if undirected:
        blocks.append(text["compare_no_regret"].format(outcomes="; ".join(undirected)))
    return "\n\n".join(blocks)


def pairs_markdown(pairs: pd.DataFrame, better: str, lang: str) -> str:
    """One row per outcome and ordered pair: who is better in what share of replicates, and A - B."""
    text = TEXT[lang]
    lines = [f"| {text['compare_outcome']} | A | B | {text['compare_sure']} | {text['compare_difference']} |",
             "|---|---|---|---|---|"]
    for row in pairs.itertuples():
        sure = (text["compare_no_direction"] if row.better == "neither" else
                better.format(a=row.policy, b=row.other, share=f"{100 * row.probability_better:.0f}%"))
        band = text["compare_band"].format(low=shown(row.difference_low, row.outcome, lang, True),
                                           high=shown(row.difference_high, row.outcome, lang, True))
        noise = text["within_noise"] if row.within_noise else ""
        lines.append(f"| {BY_OUTCOME[row.outcome].label(lang)} | `{row.policy}` | `{row.other}` | {sure} "
                     f"| {shown(row.difference, row.outcome, lang, True)} ({band}){noise} |")
    return "\n".join(lines)


def regret_markdown(regret: pd.DataFrame, lang: str) -> str:
    """One row per outcome and policy: its median and 95th-percentile regret; the lowest one marked."""
    text = TEXT[lang]
    lines = [f"| {text['compare_outcome']} | {text['compare_policy']} | {text['compare_median_regret']} "
             f"| {text['compare_p95_regret']} |", "|---|---|---|---|"]
    for row in regret.itertuples():
        least = f" ({text['compare_least_regret']})" if row.least_regret else ""
        lines.append(f"| {BY_OUTCOME[row.outcome].label(lang)} | `{row.policy}` | {shortfall(row.median_regret, row.outcome, lang)} "
                     f"| {shortfall(row.p95_regret, row.outcome, lang)}{least} |")
    return "\n".join(lines)

