"""The households' and businesses' month written as plain per-object Mesa: the reference.

The county model holds its households and businesses column-wise and decides for all of them at
once (households.py, businesses.py). Here the same decision step is written the way a Mesa model
usually is: one `mesa.Agent` per household and per business in the model's AgentSets, each phase
of the month stepped with `shuffle_do`, each agent applying the same rule functions to its own
attributes, with no scan over other agents. It is the oracle the vectorised step is tested against
(tests/test_reference_equivalence.py) and the peer it is timed against (benchmarks/).

It is not a way to run the county. It covers the decision step only: demography, leaving,
returning, arriving, incomes and spending, businesses earning, closing and entering, under the
economy's conditions with no renovation, stall markets or disputes (amenity and the dispute backlog
stay 0). `DecisionsOnly` is the vectorised model restricted the same way.
"""

from __future__ import annotations

import mesa
import numpy as np
import pandas as pd

from model.inputs.calendar import MONTHS_PER_YEAR, format_month
from model.inputs.params import Params, probability
from model.inputs.registry import load_registry
from model.inputs.scenario import ResolvedScenario
from model.simulation.agents.businesses import (SECTORS, business_costs, claim_weight, draw_entrants, exit_hazard,
                                                free_block_slots, revenue_per_claim, sector_demand)
from model.simulation.agents.households import (Conditions, demography_chances, draw_arrivals, household_income,
                                                is_talent, leave_hazard, return_hazard, settle_hazard, spending)
from model.simulation.economy import Economy
from model.simulation.measures import FLOWS
from model.simulation.model import RenewalModel, county_conditions

DECISION_FLOWS = ("births", "deaths", "households_formed", "households_dissolved", "departures",
                  "households_departed", "returns", "households_returned", "settled_elsewhere", "newcomers",
                  "households_arrived", "business_exits", "business_entries")
DECISION_STOCKS = ("population", "households", "persons_away", "businesses", "businesses_in_street_blocks")


def decision_conditions(p: Params, economy: Economy) -> Conditions:
    """What households see in the decision step alone: the economy, no amenity, no disputes."""
    return county_conditions(p, economy, amenity=0.0, backlog_months=0.0)


class DecisionsOnly(RenewalModel):
    """The vectorised model's households and businesses alone: `RenewalModel.step` without renovation,
    stall markets and disputes, in the same order."""

    def step(self) -> None:
        self.record = dict.fromkeys(FLOWS, 0)
        conditions = decision_conditions(self.p, self.economy)
        self.live_and_move(conditions)
        self.census = self.take_census()
        self.trade(self.economy.income_per_head(self.p), conditions)
        self.p.t += 1

    def measures(self) -> dict:
        return {"population": int(self.census.persons.sum()), "households": len(self.census.rows),
                "persons_away": self.households.persons_away, "businesses": int(self.businesses.counts().sum()),
                "businesses_in_street_blocks": self.businesses.in_blocks(),
                **{name: self.record[name] for name in DECISION_FLOWS}}


# ------------------------------------------------------------------------------------------ agents
class Household(mesa.Agent):
    """One household, resident or away."""

    def __init__(self, model: ReferenceCounty, persons: int, head_age: float, sector: int, income_factor: float,
                 attached: bool, compound: int, away: bool = False):
        super().__init__(model)
        self.persons = persons
        self.head_age = head_age
        self.sector = sector
        self.income_factor = income_factor
        self.attached = attached  # ageing parents in the county
        self.compound = compound
        self.away = away

    def age_and_meet_fate(self) -> None:
        """A month older; a resident household then has at most one of a death, a birth and a member
        leaving to form a household of their own (one draw against the three chances end to end)."""
        model, p = self.model, self.model.p
        self.head_age += 1 / MONTHS_PER_YEAR
        if self.away:
            return
        death, birth, formation = demography_chances(p, self.persons, self.head_age)
        u = self.random.random()
        if u < death:
            self.persons -= 1
            model.record["deaths"] += 1
            if self.persons == 0:
                model.record["households_dissolved"] += 1
                self.remove()
        elif u < death + birth:
            self.persons += 1
            model.record["births"] += 1
        elif u < death + birth + formation:
            self.persons -= 1
            model.record["households_formed"] += 1
            Household(model, persons=1, head_age=p.now("households.formation_head_age"), sector=self.sector,
                      income_factor=self.income_factor, attached=True, compound=self.compound)

    def decide_to_leave(self) -> None:
        model, p = self.model, self.model.p
        if self.away:
            return
        young = self.head_age < p.now("migration.young_head_age")
        if self.random.random() < probability(leave_hazard(p, model.conditions, self.sector, young, self.attached)):
            self.away = True
            model.record["departures"] += self.persons
            model.record["households_departed"] += 1

    def decide_to_return(self) -> None:
        """Return home or settle elsewhere for good (competing, one draw)."""
        model, p = self.model, self.model.p
        if not self.away:
            return
        talent = is_talent(p, self.sector, self.head_age, self.income_factor)
        returning = probability(return_hazard(p, model.conditions, self.attached, talent))
        u = self.random.random()
        if u < returning:
            self.away = False
            model.record["returns"] += self.persons
            model.record["households_returned"] += 1
        elif u < returning + probability(settle_hazard(p)):
            model.record["settled_elsewhere"] += self.persons
            self.remove()

    def income(self, income_per_head: np.ndarray) -> float:
        """This month's income if resident (no stall markets here)."""
        return 0.0 if self.away else float(household_income(income_per_head, self.sector, self.income_factor,
                                                            self.persons, 0.0))


class Business(mesa.Agent):
    """One market entity."""

    def __init__(self, model: ReferenceCounty, sector: int, enterprise: bool, weight: float, in_block: bool,
                 patience: int, cost: float = 0.0, loss_months: int = 0, revenue: float = 0.0):
        super().__init__(model)
        self.sector = sector
        self.enterprise = enterprise
        self.weight = weight
        self.in_block = in_block
        self.patience = patience  # months of losses it bears before it closes
        self.cost = cost
        self.loss_months = loss_months
        self.revenue = revenue

    def claim(self) -> float:
        return float(claim_weight(self.model.p, self.weight, self.in_block))

    def earn(self, rate: np.ndarray) -> None:
        """Its share of its sector's demand (rate: revenue per claim by sector); months of losses in a
        row are counted."""
        self.revenue = self.claim() * rate[self.sector]
        self.loss_months = self.loss_months + 1 if self.revenue < self.cost else 0

    def decide_to_exit(self) -> None:
        """Close after losses as long as its patience, or for other reasons."""
        p = self.model.p
        bankrupt = self.loss_months >= self.patience
        if bankrupt or self.random.random() < probability(exit_hazard(p, self.enterprise)):
            self.model.record["business_exits"] += 1
            self.remove()


# ------------------------------------------------------------------------------------------ the model
class ReferenceCounty(mesa.Model):
    """The decision step with one agent per household and business, from a county the vectorised
    model built (so both start from the same county)."""

    def __init__(self, county: RenewalModel, seed: int):
        super().__init__(rng=seed)
        self.p, self.economy = county.p, county.economy
        self.starting_households = county.households.starting_households
        self.home_weights = county.home_weights
        self.markets = county.markets.count
        self.base_demand = county.base_demand
        self.unit_cost = county.businesses.unit_cost
        self.block_investment = county.block_investment
        self.record: dict[str, float] = {}
        self.conditions = decision_conditions(self.p, self.economy)
        h, b = county.households, county.businesses
        rows = np.flatnonzero(h.live)
        Household.create_agents(self, len(rows), **{name: getattr(h, name)[rows].tolist() for name in
                                                    ("persons", "head_age", "sector", "income_factor", "attached",
                                                     "compound", "away")})
        rows = np.flatnonzero(b.live)
        Business.create_agents(self, len(rows), **{name: getattr(b, name)[rows].tolist() for name in
                                                   ("sector", "enterprise", "weight", "in_block", "patience", "cost",
                                                    "loss_months", "revenue")})
        self.households = self.agents_by_type[Household]
        self.businesses = self.agents_by_type[Business]

    def step(self) -> None:
        """The month, in the order of `RenewalModel.step`."""
        self.record = dict.fromkeys(DECISION_FLOWS, 0)
        self.conditions = decision_conditions(self.p, self.economy)
        self.households.shuffle_do("age_and_meet_fate")
        self.households.shuffle_do("decide_to_leave")
        self.households.shuffle_do("decide_to_return")
        self.arrive()
        self.trade()
        self.p.t += 1

    def arrive(self) -> None:
        """Newcomer households, drawn as the county model draws them."""
        values = draw_arrivals(self.p, self.conditions, self.rng, self.starting_households, self.home_weights,
                               self.markets)
        for persons, head_age, sector, income_factor, attached, compound in zip(
                *(values[name].tolist() for name in ("persons", "head_age", "sector", "income_factor", "attached",
                                                     "compound"))):
            Household(self, persons, head_age, sector, income_factor, attached, compound)
            self.record["newcomers"] += persons
        self.record["households_arrived"] += len(values["persons"])

    def trade(self) -> None:
        """Residents spend; businesses earn, close and enter."""
        p, economy = self.p, self.conditions.economy
        self.block_investment += p.now("street_blocks.investment") / MONTHS_PER_YEAR
        resident_income = sum(self.households.map("income", self.economy.income_per_head(p)))
        real_spending = spending(p, economy, resident_income) / self.economy.nominal_growth[p.t]
        demand = sector_demand(p, self.base_demand, real_spending, economy)
        self.businesses.do("earn", revenue_per_claim(demand, self.claims()))
        self.businesses.shuffle_do("decide_to_exit")
        self.enter()

    def enter(self) -> None:
        """New businesses where incumbents earn more than a normal margin, drawn as the county model draws
        them; each bears its size at its sector's unit cost."""
        p = self.p
        counts = np.bincount(self.businesses.get("sector"), minlength=len(SECTORS))
        in_blocks = sum(self.businesses.get("in_block"))
        values = draw_entrants(p, self.rng, counts, self.margins(), self.conditions.amenity,
                               free_block_slots(p, self.block_investment, in_blocks))
        costs = business_costs(p, self.rng, values["weight"], self.unit_cost[values["sector"]])
        for sector, enterprise, weight, in_block, patience, cost in zip(
                *(values[name].tolist() for name in ("sector", "enterprise", "weight", "in_block", "patience")),
                costs.tolist()):
            Business(self, sector, enterprise, weight, in_block, patience, cost)
        self.record["business_entries"] += len(costs)

    def margins(self) -> np.ndarray:
        """Each sector's margin: one less its businesses' costs over their revenue."""
        revenue, cost = np.zeros(len(SECTORS)), np.zeros(len(SECTORS))
        for business in self.businesses:
            revenue[business.sector] += business.revenue
            cost[business.sector] += business.cost
        return np.divide(revenue - cost, revenue, out=np.zeros(len(SECTORS)), where=revenue > 0)

    def claims(self) -> np.ndarray:
        """The businesses' claims on each sector's demand."""
        claims = np.zeros(len(SECTORS))
        for business in self.businesses:
            claims[business.sector] += business.claim()
        return claims

    def measures(self) -> dict:
        away = self.households.select(lambda h: h.away)
        return {"population": sum(h.persons for h in self.households if not h.away),
                "households": len(self.households) - len(away), "persons_away": away.agg("persons", sum),
                "businesses": len(self.businesses), "businesses_in_street_blocks": sum(self.businesses.get("in_block")),
                **self.record}


def scale_for(households: int) -> float:
    """The scale at which the starting county has about this many households."""
    registry = load_registry()
    return households * registry["county.mean_household_size"].value / registry["county.initial_population"].value


def run_decisions(resolved: ResolvedScenario, seed: int, per_object: bool) -> pd.DataFrame:
    """Monthly measures of the decision step alone, from the county `seed` builds: per-object
    (ReferenceCounty) or vectorised (DecisionsOnly)."""
    county = DecisionsOnly(Params(resolved), seed)
    model = ReferenceCounty(county, seed) if per_object else county
    rows = []
    for month in county.p.months:
        model.step()
        rows.append({"month": format_month(int(month)), **model.measures()})
    return pd.DataFrame(rows)
