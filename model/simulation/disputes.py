"""The one-stop dispute centre (矛盾纠纷调处中心) opened in 2022.

Documented (src000): in 2022 it accepted 5,592 disputes and resolved 3,702. The resolutions read as
its capacity (a lever, documented); the intake is a check, not an input: disputes come from what
happens in the county, a background in proportion to its residents, and more from renovation works,
the collection of residents' shares, stall bans and business closures (rates assumed), and in its
first year the disputes that had waited for it (`disputes.opening_backlog`, assumed). The centre
resolves what it can each month; the rest waits in a backlog that lowers satisfaction (households
leave more) and stops works on site, and part of it lapses (withdrawn or settled elsewhere).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.inputs.calendar import MONTHS_PER_YEAR
from model.inputs.params import Params, monthly_hazard

PER_THOUSAND = 1000.0


@dataclass(frozen=True)
class Sources:
    """What brings disputes this month."""

    residents: int
    households_under_works: int
    households_collecting: int  # households asked for their renovation share that have not paid
    bans: int
    business_exits: int


def expected_disputes(p: Params, s: Sources) -> float:
    """Disputes expected this month from what happens in the county."""
    return (monthly_hazard(p.now("disputes.background_rate")) * s.residents / PER_THOUSAND
            + s.households_under_works * p.now("disputes.per_household_works")
            + s.households_collecting * p.now("disputes.per_household_collection")
            + s.bans * p.now("disputes.per_ban")
            + s.business_exits * p.now("disputes.per_business_exit"))


class DisputeCentre:
    def __init__(self):
        self.backlog = 0.0

    def backlog_months(self, p: Params) -> float:
        """The backlog in months of the centre's capacity (0 before the centre opens)."""
        capacity = p.now("disputes.capacity") / MONTHS_PER_YEAR
        return self.backlog / capacity if capacity > 0 else 0.0

    def take_in(self, p: Params, rng: np.random.Generator, sources: Sources) -> dict:
        """File this month's disputes and resolve as many as capacity allows."""
        if p.t < p.month_index("disputes.centre_opening"):
            return {"disputes_filed": 0, "disputes_resolved": 0}
        opening = p.t - p.month_index("disputes.centre_opening") < MONTHS_PER_YEAR  # its first year
        backlog_filed = p.now("disputes.opening_backlog") / MONTHS_PER_YEAR if opening else 0.0
        filed = int(rng.poisson(expected_disputes(p, sources) + backlog_filed))
        resolved = int(min(self.backlog + filed, p.now("disputes.capacity") / MONTHS_PER_YEAR))
        self.backlog = (self.backlog + filed - resolved) * (1.0 - p.now("disputes.lapse_rate"))
        return {"disputes_filed": filed, "disputes_resolved": resolved}
