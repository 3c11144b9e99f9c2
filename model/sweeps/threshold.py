"""A rule on an outcome's values, an operator and a number (`< 0.8`, `>= 550000`): when a case fails
(`renewal discover --where`) or satisfices (`renewal robust --satisfice`). Numbers are written plainly,
in the outcome's units (a share as a fraction); "1,000" is refused rather than guessed at.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.inputs.errors import InputError

OPERATORS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
PATTERN = re.compile(r"\s*(?P<op><=|>=|<|>)\s*(?P<number>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*")


@dataclass(frozen=True)
class Threshold:
    op: str
    threshold: float

    def __call__(self, values: pd.Series | pd.DataFrame | np.ndarray) -> pd.Series | pd.DataFrame | np.ndarray:
        """Which values meet the rule, in the shape (and with the index) they came in."""
        return OPERATORS[self.op](values, self.threshold)

    def __str__(self) -> str:
        return f"{self.op} {self.threshold:g}"


def parse_threshold(text: str | None, option: str) -> Threshold:
    """The rule as written after `option`; anything but an operator and a number is one InputError."""
    match = PATTERN.fullmatch(text or "")
    if not match:
        raise InputError(option, (text or "")[:80], "write an operator (<, <=, >, >=) and a number in the outcome's "
                         "units, e.g. \"< 0.8\" (a share as a fraction) or \">= 500000\"")
    return Threshold(match["op"], float(match["number"]))
