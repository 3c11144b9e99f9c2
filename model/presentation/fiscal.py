"""The warning a planner sees when a budget is beyond what revenue can carry (model/results/fiscal.py), in
the app's and the reports' words alike."""

from __future__ import annotations

import pandas as pd

from model.presentation.numbers import format_percent
from model.results.fiscal import budget_strain

WORDS = {
    "zh": "财政提示:{years}年的改造预算超过上年财政收入的{cap}(中位数最高为{share}),会挤占其他支出。"
          "模型仍按设定的预算执行;这一上限是假设(改造预算可占财政收入的最大比例)。",
    "en": "Fiscal strain: in {years} the renovation budget exceeds {cap} of last year's revenue (the median at most "
          "{share}), which would crowd out other spending. The model still spends the budget as set; the cap is an "
          "assumption (largest share of revenue the renovation budget can take).",
}
SEPARATOR = {"zh": "、", "en": ", "}
DASH = {"zh": "–", "en": "-"}


def year_spans(years: list[int], lang: str) -> str:
    """Years as runs of consecutive years: 2026, 2027, 2028, 2031 -> '2026-2028, 2031'."""
    spans: list[list[int]] = []
    for year in years:
        if spans and year == spans[-1][-1] + 1:
            spans[-1].append(year)
        else:
            spans.append([year])
    return SEPARATOR[lang].join(f"{s[0]}{DASH[lang]}{s[-1]}" if len(s) > 1 else str(s[0]) for s in spans)


def strain_warning(monthly: pd.DataFrame, manifest: dict, lang: str) -> str | None:
    """The sentence for the years whose renovation budget exceeds the cap, or None when revenue carries it."""
    strained = budget_strain(monthly, manifest)
    if strained.empty:
        return None
    worst = strained.loc[strained["share"].idxmax()]
    return WORDS[lang].format(years=year_spans(list(strained["year"]), lang),
                              cap=format_percent(worst["cap"], lang, 0), share=format_percent(worst["share"], lang, 0))
