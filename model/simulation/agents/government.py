"""The district government: the renovation programme's plan, budget and batch rule, and taxes.

Documented rules: compounds that cannot enter the national scheme go on a local list after the
2023 survey (src002); the 188 compounds with the most problems first in 2023, the other 180 in
2024 (src000); the government subsidises 80% and residents raise 20% (src002); compounds go ahead
"in batches, according to whether the residents' money has arrived and how urgent the compound is"
(src002): a compound is admitted to works only once funded, most urgent first, in the construction
season, while the year's plan and budget last (the smaller binds; the output records which). A compound
goes ahead while any of the year's budget is left, and what it overdraws comes off next year's budget
(assumed): spending then averages the budget at every scale, where a rule that waits for a compound's whole
share would never fund a large estate at a small scale (at scale 0.05 a 150 m yuan budget is 7.5 m a year,
less than one large estate's share).
The fiscal account (all assumed: the sources give no revenue figure) is business tax, taxes and fees on
household income, land and coal revenue that follows the economy, and transfers from higher levels held
in 2014 yuan; the last two are set by their shares of the first month's revenue. Last year's whole revenue
against 2014's scales this year's budget; the budget stays a lever, and its share of last year's revenue and
its headroom under the share revenue can carry are recorded, so that a budget beyond it is flagged
(model/results/fiscal.py).
"""

from __future__ import annotations

import mesa
import numpy as np

from model.inputs.calendar import month_of_year
from model.inputs.params import Params
from model.simulation.allowance import Allowance
from model.simulation.compounds import Compounds, Status, Track

PLAN_KEYS = {Track.NATIONAL: ("renovation.national_plan",), Track.LOCAL: ("renovation.local_plan", "renovation.local_plan_ongoing")}


class Government(mesa.Agent):
    """Lists, selects and admits compounds; keeps the year's budget; books revenue."""

    def __init__(self, model: mesa.Model):
        super().__init__(model)
        self.year_budget = 0.0
        self.budget_left = 0.0
        self.plan_left = np.zeros(len(PLAN_KEYS), dtype=np.int64)
        self.plans = Allowance(len(PLAN_KEYS))  # a scaled plan's fraction of a compound carries to next year
        self.budget_share = self.budget_headroom = 0.0
        self.real_revenue_by_year: dict[int, float] = {}
        self.revenue_by_year: dict[int, float] = {}
        self.resource_base = self.transfers = None  # set by the first month's revenue

    # -- the programme --------------------------------------------------------------------------
    def list_compounds(self, p: Params, rng: np.random.Generator, compounds: Compounds) -> None:
        """Compounds with failing items join a list once they may (never listed, or out of the pipeline for
        the relisting gap): the national scheme's while it runs, for compounds built up to its cut-off
        year (a lever); the local list from the campaign's survey on, for the others."""
        ready = compounds.has_problems & compounds.waiting_done(p, p.t)
        national = ready & (compounds.built <= p.now("renovation.national_cutoff_year")) & (
            p.now("renovation.national_plan") > 0)
        local = ready & ~national & (p.t >= p.month_index("renovation.campaign_start"))
        compounds.list_compounds(np.flatnonzero(national), p.t, Track.NATIONAL, rng)
        compounds.list_compounds(np.flatnonzero(local), p.t, Track.LOCAL, rng)

    def plan_year(self, p: Params, rng: np.random.Generator, compounds: Compounds, year: float,
                  relative_income: np.ndarray, resident_households: np.ndarray) -> int:
        """In January: the year's budget and plan. Compounds that did not raise their residents' share in the
        plan's year give up their place; the most urgent listed compounds start collecting, until the
        plan's places are taken (a compound whose residents choose nothing gives its place on). Returns
        the compounds that gave up."""
        self.year_budget = p.now("renovation.budget") * self.fiscal_index(p)
        self.budget_left = self.year_budget + min(self.budget_left, 0.0)  # less last year's overdraft
        last_year = self.revenue_by_year.get(int(year) - 1, 0.0)
        self.budget_share = self.year_budget / last_year if last_year else 0.0
        self.budget_headroom = p.now("government.renovation_revenue_cap") * last_year - self.year_budget if last_year else 0.0
        gave_up = compounds.rows(Status.COLLECTING)
        compounds.give_up(gave_up, p.t)
        self.plan_left[:] = self.plans.take([sum(p.now(key) for key in PLAN_KEYS[track]) for track in sorted(PLAN_KEYS)])
        for track in PLAN_KEYS:
            slots = max(int(self.plan_left[track]) - len(compounds.rows(Status.FUNDED, track)), 0)
            listed = compounds.rows(Status.LISTED, track)
            queue = listed[np.argsort(-compounds.urgency[listed], kind="stable")]
            while slots > 0 and len(queue):
                started = compounds.start_collecting(p, rng, queue[:slots], p.t, year, relative_income,
                                                     resident_households)
                queue, slots = queue[slots:], slots - len(started)
        return len(gave_up)

    def in_season(self, p: Params) -> bool:
        month = month_of_year(p.month)
        return p.now("renovation.season_start_month") <= month <= p.now("renovation.season_end_month")

    def approve_batch(self, p: Params, compounds: Compounds) -> dict:
        """The batch rule: funded compounds, most urgent first, while plan and budget last."""
        waiting_plan = waiting_budget = spent = started = 0
        funded = compounds.rows(Status.FUNDED)
        for row in funded[np.argsort(-compounds.urgency[funded], kind="stable")]:
            track = compounds.track[row]
            if self.plan_left[track] <= 0:
                waiting_plan += 1
            elif self.budget_left <= 0:
                waiting_budget += 1
            elif self.in_season(p):
                paid = compounds.start_works(row, p.t, p.count("renovation.works_months"))
                self.budget_left -= paid  # the year's last compound may overdraw: next year's budget repays it
                self.plan_left[track] -= 1
                spent += paid
                started += 1
        return {"government_renovation_spending_yuan": spent, "compounds_started": started,
                "funded_waiting_for_plan": waiting_plan, "funded_waiting_for_budget": waiting_budget}

    # -- money ------------------------------------------------------------------------------------
    def book_revenue(self, p: Params, real_business_revenue: float, real_household_income: float, economy: float,
                     nominal: float, year: int) -> dict:
        """This month's revenue by source (nominal yuan), from business revenue and household income in 2014
        yuan, the economy index and the price level; kept by year in 2014 and current yuan."""
        taxes = {"business_tax_yuan": p.now("businesses.tax_rate") * real_business_revenue,
                 "household_tax_yuan": p.now("government.household_tax_rate") * real_household_income}
        if self.transfers is None:
            resource, transfer = p.now("government.resource_revenue_share"), p.now("government.transfer_share")
            total = sum(taxes.values()) / (1 - resource - transfer)
            self.resource_base, self.transfers = resource * total / economy, transfer * total
        real = {**taxes, "resource_revenue_yuan": self.resource_base * economy, "transfer_revenue_yuan": self.transfers}
        real_total = sum(real.values())
        self.real_revenue_by_year[year] = self.real_revenue_by_year.get(year, 0.0) + real_total
        self.revenue_by_year[year] = self.revenue_by_year.get(year, 0.0) + real_total * nominal
        return {**{k: v * nominal for k, v in real.items()}, "government_revenue_yuan": real_total * nominal}

    def fiscal_index(self, p: Params) -> float:
        """Last year's revenue in 2014 yuan against the first year's, to the budget elasticity."""
        years = sorted(self.real_revenue_by_year)
        if len(years) < 2:
            return 1.0
        ratio = self.real_revenue_by_year[years[-1]] / self.real_revenue_by_year[years[0]]
        return ratio ** p.now("government.budget_tax_elasticity")

    def monthly_budget_view(self) -> dict:
        return {"renovation_budget_yuan": self.year_budget, "renovation_budget_left_yuan": self.budget_left,
                "renovation_budget_share": self.budget_share, "renovation_budget_headroom_yuan": self.budget_headroom,
                "plan_left": int(self.plan_left.sum())}

