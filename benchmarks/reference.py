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
from model.simulation.agents.businesses import (SECTORS, claim_weight, draw_entrants, entry_costs, exit_hazard, free_block_slots,
                              revenue_per_claim, sector_demand)
from model.simulation.agents.households import (Conditions, demography_chances, draw_arrivals, household_income, leave_hazard,
                              return_hazard, settle_hazard, spending)
from model.simulation.economy import Economy
from model.simulation.measures import FLOWS
from model.simulation.model import RenewalModel, county_conditions

DECISION_FLOWS = ("births", "deaths", "households_formed", "households_dissolved", "departures",
                  "households_departed", "returns", "households_returned", "settled_elsewhere", "newcomers",
                  "households_arrived", "talent_households_arrived", "business_exits", "business_entries")
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
        returning = probability(return_hazard(p, model.conditions, self.attached))
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
                 cost: float = 0.0, loss_months: int = 0):
        super().__init__(model)
        self.sector = sector
        self.enterprise = enterprise
        self.weight = weight
        self.in_block = in_block
        self.cost = cost
        self.loss_months = loss_months
        self.revenue = 0.0

    def claim(self) -> float:
        return float(claim_weight(self.model.p, self.weight, self.in_block))

    def earn(self, rate: np.ndarray) -> None:
        """Its share of its sector's demand (rate: revenue per claim by sector); months of losses in a
        row are counted."""
        self.revenue = self.claim() * rate[self.sector]
        self.loss_months = self.loss_months + 1 if self.revenue < self.cost else 0

    def decide_to_exit(self) -> None:
        """Close after sustained losses, or for other reasons."""
        p = self.model.p
        bankrupt = self.loss_months >= p.now("businesses.exit_after_loss_months")
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
        self.markets = len(county.markets)
        self.base_demand = county.base_demand
        self.reference_revenue = county.businesses.reference_revenue
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
                                                   ("sector", "enterprise", "weight", "in_block", "cost",
                                                    "loss_months")})
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
        """Newcomer households and housed talents, drawn as the county model draws them."""
        values = draw_arrivals(self.p, self.conditions, self.rng, self.starting_households, self.home_weights,
                               self.markets)
        for persons, head_age, sector, income_factor, attached, compound in zip(
                *(values[name].tolist() for name in ("persons", "head_age", "sector", "income_factor", "attached",
                                                     "compound"))):
            Household(self, persons, head_age, sector, income_factor, attached, compound)
            self.record["newcomers"] += persons
        self.record["households_arrived"] += len(values["persons"])
        self.record["talent_households_arrived"] += int(values["talent"].sum())

    def trade(self) -> None:
        """Residents spend; businesses earn, close and enter."""
        p, economy = self.p, self.conditions.economy
        self.block_investment += p.now("street_blocks.investment") / MONTHS_PER_YEAR
        resident_income = sum(self.households.map("income", self.economy.income_per_head(p)))
        real_spending = spending(p, economy, resident_income) / self.economy.nominal_growth[p.t]
        demand = sector_demand(p, self.base_demand, real_spending, economy)
        self.businesses.do("earn", revenue_per_claim(demand, self.claims()))
        self.businesses.shuffle_do("decide_to_exit")
        self.enter(demand)

    def enter(self, demand: np.ndarray) -> None:
        """New businesses, drawn as the county model draws them; each sets its cost by its expected revenue."""
        p = self.p
        counts = np.bincount(self.businesses.get("sector"), minlength=len(SECTORS))
        in_blocks = sum(self.businesses.get("in_block"))
        values = draw_entrants(p, self.rng, counts, demand, self.reference_revenue, self.conditions.amenity,
                               free_block_slots(p, self.block_investment, in_blocks))
        entrants = [Business(self, sector, enterprise, weight, in_block) for sector, enterprise, weight, in_block in
                    zip(*(values[name].tolist() for name in ("sector", "enterprise", "weight", "in_block")))]
        rate = revenue_per_claim(demand, self.claims())
        expected = np.array([b.claim() * rate[b.sector] for b in entrants])
        for business, revenue, cost in zip(entrants, expected.tolist(), entry_costs(p, self.rng, expected).tolist()):
            business.revenue, business.cost = revenue, cost
        self.record["business_entries"] += len(entrants)

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
