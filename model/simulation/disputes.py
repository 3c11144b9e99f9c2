"""The one-stop dispute centre (矛盾纠纷调处中心) opened in 2022.

Documented (src000): in 2022 it accepted 5,592 disputes and resolved 3,702. The resolutions set
its capacity and the intake the background inflow (the pair is used once, to build the centre,
never as a target). Renovation works and stall bans add disputes; unresolved ones form a backlog
that lowers satisfaction (households leave more) and stops works on site; part of it lapses each
month (withdrawn or settled elsewhere).
"""

from __future__ import annotations

import numpy as np

from model.inputs.calendar import MONTHS_PER_YEAR
from model.inputs.params import Params, monthly_hazard


class DisputeCentre:
    def __init__(self):
        self.backlog = 0.0

    def backlog_months(self, p: Params) -> float:
        """The backlog in months of the centre's capacity (0 before the centre opens)."""
        capacity = p.now("disputes.capacity") / MONTHS_PER_YEAR
        return self.backlog / capacity if capacity > 0 else 0.0

    def take_in(self, p: Params, rng: np.random.Generator, households_under_works: int, bans: int) -> dict:
        """File this month's disputes and resolve as many as capacity allows."""
        if p.t < p.month_index("disputes.centre_opening"):
            return {"disputes_filed": 0, "disputes_resolved": 0}
        expected = (monthly_hazard(p.now("disputes.background_inflow"))
                    + households_under_works * p.now("disputes.per_household_works")
                    + bans * p.now("disputes.per_ban"))
        filed = int(rng.poisson(expected))
        resolved = min(self.backlog + filed, p.now("disputes.capacity") / MONTHS_PER_YEAR)
        self.backlog = (self.backlog + filed - resolved) * (1.0 - p.now("disputes.lapse_rate"))
        return {"disputes_filed": filed, "disputes_resolved": resolved}
