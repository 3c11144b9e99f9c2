"""The talent package: housing places that draw young skilled households back and in.

Documented (src000): a 15-article package with talent housing, school places and service cards;
115 cards issued, 60 talents helped with school places and more than 200 with housing by early 2023
(checks, not inputs). The package acts on decisions: young households with skilled jobs (registry
`talent.skill_threshold`) return and arrive more readily where a place can house them
(`talent.return_effect`, assumed), and the year's places (`talent.housing_units`, a lever) are a
capacity: the boost is scaled by the share of the talent flow the places can house, and the places
house the talents who come until they run out.
"""

from __future__ import annotations

import numpy as np

from model.inputs.calendar import MONTHS_PER_YEAR, month_of_year
from model.inputs.params import Params
from model.simulation.allowance import Allowance

FLOW_MEMORY = 1.0 / MONTHS_PER_YEAR  # the talent flow the places are set against: a year's moving average


class TalentPackage:
    def __init__(self):
        self.places_left = 0
        self.places = Allowance()  # a scaled year's fraction of a place carries to next year
        self.flow = 0.0  # talent households returning or arriving per month, moving average

    def boost(self, p: Params) -> float:
        """This month's multiplier on talents' return and arrival: 1 + effect x the share of the talent
        flow that a month's places can house."""
        places = p.now("talent.housing_units") / MONTHS_PER_YEAR
        if places <= 0:
            return 1.0
        coverage = min(places / self.flow, 1.0) if self.flow > 0 else 1.0
        return 1.0 + p.now("talent.return_effect") * coverage

    def house(self, p: Params, arrived: np.ndarray) -> np.ndarray:
        """The talents who came this month (rows) are housed while the year's places last; returns them."""
        if month_of_year(p.month) == 1:
            self.places_left = int(self.places.take(p.now("talent.housing_units"))[0])
        self.flow += FLOW_MEMORY * (len(arrived) - self.flow)
        housed = arrived[: self.places_left]
        self.places_left -= len(housed)
        return housed
