"""Exogenous drivers: the coal/economy index and the pull of big cities.

Neither is modelled from inside the county: both are uncertainties (registry `economy.*`). The
crash of 2014-2017 (src000: coal price collapse, broken private-credit chains, housing crash; GDP
94.27 -> 69.18 bn yuan "around 2016") is a fall from 1 to 1 - depth between the crash start and
the trough, a recovery to the recovery level, and an optional second shock for what-ifs.
"""

from __future__ import annotations

import numpy as np

from model.inputs.calendar import MONTHS_PER_YEAR
from model.inputs.params import Params
from model.simulation.agents.households import JOB_SECTORS


def _ramp(t: np.ndarray, start: float, end: float, v0: float, v1: float) -> np.ndarray:
    """v0 before start, v1 after end, linear in between."""
    span = max(end - start, 1)
    return v0 + (v1 - v0) * np.clip((t - start) / span, 0, 1)


def sector_income_per_head(p: Params, economy: float, economy_reference: float, growth: float) -> np.ndarray:
    """Annual disposable income per person by job sector this month (nominal yuan)."""
    level = p.now("households.income_per_head") * growth * np.ones(JOB_SECTORS)
    relative = economy / economy_reference
    elasticity = np.array([p.now("economy.coal_income_elasticity"),
                           p.now("economy.other_income_elasticity"),
                           p.now("economy.other_income_elasticity")])
    return level * relative ** elasticity


class Economy:
    """The index (pre-crash = 1), the big-city pull and nominal income growth, month by month. The
    arrays reach the income reference month (2022) even when a run stops earlier."""

    def __init__(self, params: Params):
        t = np.arange(params.horizon, dtype=float)
        start = params.month_index("economy.crash_start")
        trough = params.month_index("economy.crash_trough")
        recovered = params.month_index("economy.recovery_end")
        depth = params.first("economy.crash_depth")
        crash = np.where(t <= trough, _ramp(t, start, trough, 1.0, 1.0 - depth),
                         _ramp(t, trough, recovered, 1.0 - depth, params.first("economy.recovery_level")))
        shock_start = params.month_index("economy.second_shock_start")
        half = params.first("economy.second_shock_months") / 2
        shock_depth = params.first("economy.second_shock_depth")
        shock = np.where(t <= shock_start + half, _ramp(t, shock_start, shock_start + half, 1.0, 1.0 - shock_depth),
                         _ramp(t, shock_start + half, shock_start + 2 * half, 1.0 - shock_depth, 1.0))
        self.index = crash * shock
        # Distress: how far the index fell over the past year. Households leave in a fall, not because
        # the economy settled lower afterwards ("within one year more than 80,000 left", then stable).
        year_ago = np.concatenate([np.full(MONTHS_PER_YEAR, self.index[0]), self.index[:-MONTHS_PER_YEAR]])
        self.distress = np.maximum(year_ago[: len(self.index)] - self.index, 0.0)
        self.city_pull = params.series("economy.city_pull")
        self.trough = trough
        monthly_growth = np.log1p(params.series("economy.income_growth")) / MONTHS_PER_YEAR
        self.nominal_growth = np.exp(np.concatenate([[0.0], np.cumsum(monthly_growth[:-1])]))

    def income_per_head(self, p: Params) -> np.ndarray:
        """This month's annual disposable income per person by job sector (nominal yuan), moving with
        the economy and nominal growth from the documented reference month."""
        reference = p.month_index("households.income_reference_month")
        return sector_income_per_head(p, float(self.index[p.t]), float(self.index[reference]),
                                      float(self.nominal_growth[p.t] / self.nominal_growth[reference]))
