"""The calibration fit table as a planner reads it, in the app's and the reports' words alike: in Chinese
each target's label, its measure's, how it is compared and its period in Chinese, with the target's name
kept beside them for a modeller; in English the names of targets.yaml as they are."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from model.inputs.targets import load_targets
from model.simulation.measures import BY_NAME

COMPARED_ZH = {"year_end": "年末值", "month": "当月值", "sum": "期间合计", "change": "较上年末的变化",
               "mean": "期间月均值"}


def measure_text(measure: str, lang: str) -> str:
    """A target's measure (a column of the monthly results, or a ratio 'a / b' of two) in `lang`."""
    if lang != "zh":
        return measure
    return " / ".join(BY_NAME[part].zh if part in BY_NAME else part for part in (p.strip() for p in measure.split("/")))


def fit_in(fit: pd.DataFrame, county: Path, lang: str) -> pd.DataFrame:
    """The fit table (calibration/fit_table.csv) with its names as `lang` reads them: in Chinese the target's
    label (from the targets.yaml of `county`, the folder of the calibration's county; a target not there keeps
    its name), the measure, the comparison and the period in Chinese, and the target's name in a last column
    `key`."""
    if lang != "zh":
        return fit
    targets = load_targets(county) if (county / "targets.yaml").is_file() else None
    return fit.assign(
        target=[targets.label(name, lang) if targets else name for name in fit["target"]],
        measure=[measure_text(measure, lang) for measure in fit["measure"]],
        compare=[COMPARED_ZH.get(compare, compare) for compare in fit["compare"]],
        period=[str(period).replace("..", " 至 ") for period in fit["period"]],
        key=fit["target"])
