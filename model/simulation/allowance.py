"""Whole places from yearly allowances that scale makes fractional.

A plan of 25 compounds a year at scale 0.05 is 1.25 compounds: rounded afresh each year it is 1 for ever,
so a planner who moves the plan from 20 to 25 would change nothing. The fraction is carried to the next
year instead (1, 1, 1, 2, 1, ...), so that the places given average the scaled allowance; a whole
allowance gives itself. No random draw is taken, so paired runs stay paired.
"""

from __future__ import annotations

import numpy as np

WHOLE = 1e-9  # 20 x 0.05 is a hair under 1.0 in floating point: still one place


class Allowance:
    """Yearly allowances (one per programme) whose fractions carry over."""

    def __init__(self, programmes: int = 1):
        self.carried = np.zeros(programmes)

    def take(self, amounts: np.ndarray | float) -> np.ndarray:
        """This year's whole places for each programme's (scaled) allowance, the fraction kept for next year."""
        self.carried += amounts
        whole = np.floor(self.carried + WHOLE)
        self.carried = np.maximum(self.carried - whole, 0.0)
        return whole.astype(np.int64)
