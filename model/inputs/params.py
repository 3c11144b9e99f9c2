"""Resolved parameters as one value per simulated month, scaled where the registry says so.

The model reads every number through this object by registry key; it records what it read, so a
test can check that every registry key is used and nothing else is.
"""

from __future__ import annotations

import copy

import numpy as np

from model.inputs.calendar import MONTHS_PER_YEAR
from model.inputs.registry import Registry
from model.inputs.scenario import ResolvedScenario


class Params:
    def __init__(self, scenario: ResolvedScenario, registry: Registry | None = None):
        registry = registry or scenario.registry()
        self.scale = scenario.scale
        self.first_month = int(scenario.schedules["county.start_month"][0][1])
        self.read: set[str] = {"county.start_month"}
        self.months = np.arange(self.first_month, scenario.end + 1)
        # Series run to the end, or on to the latest month a month-valued parameter names (the income
        # reference month, 2022-07), so that a run ending earlier can still read that month.
        named = [value for key, schedule in scenario.schedules.items() if registry[key].type == "month"
                 for _, value in schedule]
        self.horizon = max(len(self.months), int(max(named, default=0)) - self.first_month + 1)
        self._series: dict[str, np.ndarray] = {}
        for key, schedule in scenario.schedules.items():
            values = np.empty(self.horizon)
            for month, value in schedule:
                values[max(month - self.first_month, 0):] = value
            if registry[key].scaled:
                values *= self.scale
            self._series[key] = values
        self.t = 0  # index of the current month, advanced by the model

    def __deepcopy__(self, memo: dict) -> Params:
        """A copy that shares the series (the model never writes them): a stored model state
        (model/results/history.py) is copied whole, and copying hundreds of series is wasted there."""
        clone = copy.copy(self)
        clone.read = set(self.read)
        memo[id(self)] = clone
        return clone

    @property
    def month(self) -> int:
        """The current absolute month number."""
        return int(self.months[self.t])

    def series(self, key: str) -> np.ndarray:
        """The whole monthly series of one parameter, over the horizon."""
        self.read.add(key)
        return self._series[key]

    def now(self, key: str) -> float:
        """This month's value."""
        self.read.add(key)
        return float(self._series[key][self.t])

    def first(self, key: str) -> float:
        """The value in the first month (the starting county)."""
        self.read.add(key)
        return float(self._series[key][0])

    def count(self, key: str) -> int:
        """This month's value as a whole count (after scaling)."""
        return int(round(self.now(key)))

    def month_index(self, key: str) -> int:
        """A month-valued parameter (its first value) as an index into the simulated months."""
        return int(self.first(key)) - self.first_month


def monthly_hazard(rate_per_year):
    """A yearly rate as a monthly hazard."""
    return np.asarray(rate_per_year) / MONTHS_PER_YEAR


def probability(hazard):
    """The chance of at least one event in a month with this hazard."""
    return -np.expm1(-np.asarray(hazard))
