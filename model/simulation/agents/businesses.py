"""Businesses: enterprises and individual businesses by sector, on ordinary streets or in street blocks.

Documented (src000): 100,004 market entities on 27 March 2023 (34,921 enterprises, 65,083
individual businesses) - the total is a calibration target, the split is held out; 8 featured
street blocks built for 213 m yuan, government-led and market-operated. The 2014 stock, sector mix
and behaviour are assumed (registry `businesses.*`, `street_blocks.*`).

A business earns its share of its sector's demand (household spending for retail, catering and
services; the coal economy for manufacturing and coal logistics) and bears a cost set by its size at
its sector's unit cost, which does not follow revenue: so where demand falls, businesses lose money
and, after losses as long as their own patience, exit; where incumbents earn more than a normal
margin, others enter. The stock follows demand. The registered businesses serve a share of local
demand that the 2014 registration reform raised to all of it (`businesses.formal_share_start`,
calibrated against the March 2023 count, and `businesses.formalisation_end`). Money here is in 2014
yuan (deflated by nominal income growth).
"""

from __future__ import annotations

import numpy as np

from model.inputs.params import Params, monthly_hazard, probability
from model.simulation.columns import ColumnStore

RETAIL, CATERING, SERVICES, MANUFACTURING, COAL_LOGISTICS = range(5)
SECTORS = ("retail", "catering", "services", "manufacturing", "coal_logistics")
CONSUMER_SECTORS = np.array([RETAIL, CATERING, SERVICES])
IS_CONSUMER = np.isin(np.arange(len(SECTORS)), CONSUMER_SECTORS)  # by sector code
PATIENCE_SPREAD = (0.5, 1.5)  # a business's patience with losses, as a range of multiples of the mean


def sector_shares(p: Params, prefix: str, sectors) -> np.ndarray:
    """Registry shares for these sectors, normalised to sum to one."""
    shares = np.array([p.now(f"{prefix}.{SECTORS[s]}") for s in sectors])
    return shares / shares.sum()


def exit_hazard(p: Params, enterprise):
    """Closures for reasons other than losses; individual businesses close more often."""
    multiplier = np.where(enterprise, 1.0, p.now("businesses.individual_exit_multiplier"))
    return monthly_hazard(p.now("businesses.base_exit_rate")) * multiplier


def expected_entrants(p: Params, businesses: np.ndarray, margin: np.ndarray, amenity: float) -> np.ndarray:
    """Expected entrants per sector this month: in proportion to incumbents' profit above a normal
    margin (none at or below it), and with amenity."""
    normal = p.now("businesses.initial_margin")
    excess = np.maximum(margin - normal, 0.0) / normal
    return (monthly_hazard(p.now("businesses.entry_rate")) * businesses * excess
            * np.exp(p.now("businesses.amenity_entry_effect") * amenity))


def formal_share(p: Params) -> float:
    """The share of local demand served by registered businesses this month: rising from its 2014 level
    to all of it by the end of the registration reform."""
    start, end = 0, max(p.month_index("businesses.formalisation_end"), 1)
    first = p.first("businesses.formal_share_start")
    return first + (1.0 - first) * min(max((p.t - start) / end, 0.0), 1.0)


def claim_weight(p: Params, weight, in_block):
    """A business's claim on its sector's demand: its size, with the footfall of a featured street block."""
    return weight * np.where(in_block, p.now("street_blocks.footfall_multiplier"), 1.0)


def sector_demand(p: Params, base_demand: np.ndarray, real_spending: float, economy: float) -> np.ndarray:
    """Real demand for registered businesses by sector: household spending for consumer sectors, the
    economy for the rest (from its first month's level), times the registered share."""
    formal = formal_share(p)
    demand = np.zeros(len(SECTORS))
    demand[CONSUMER_SECTORS] = real_spending * formal * sector_shares(p, "businesses.consumer_share", CONSUMER_SECTORS)
    grown = formal / p.first("businesses.formal_share_start")
    demand[MANUFACTURING] = (base_demand[MANUFACTURING] * grown
                             * economy ** p.now("businesses.manufacturing_economy_elasticity"))
    demand[COAL_LOGISTICS] = (base_demand[COAL_LOGISTICS] * grown
                              * economy ** p.now("businesses.coal_logistics_economy_elasticity"))
    return demand


def revenue_per_claim(demand: np.ndarray, claims: np.ndarray) -> np.ndarray:
    """Each sector's demand over the claims of its businesses (0 in a sector without businesses)."""
    return np.divide(demand, claims, out=np.zeros_like(demand), where=claims > 0)


def blocks_open(p: Params, investment: float) -> int:
    """Featured street blocks built with the investment so far."""
    return int(investment // max(p.now("street_blocks.cost_per_block"), 1.0))


def free_block_slots(p: Params, investment: float, in_blocks: int) -> int:
    """Business premises in the street blocks built so far that no business occupies."""
    return max(blocks_open(p, investment) * p.count("street_blocks.business_slots") - in_blocks, 0)


def draw_entrants(p: Params, rng: np.random.Generator, counts: np.ndarray, margin: np.ndarray, amenity: float,
                  free_slots: int) -> dict:
    """Attributes of this month's new market entities by sector; consumer-sector entrants fill free
    street-block premises."""
    sector = np.repeat(np.arange(len(SECTORS)), rng.poisson(expected_entrants(p, counts, margin, amenity))).astype(np.int8)
    values = draw_businesses(p, rng, sector, p.now("businesses.entrant_enterprise_share"))
    wants_block = IS_CONSUMER[sector] & (rng.random(len(sector)) < p.now("street_blocks.entry_share"))
    values["in_block"] = wants_block & (np.cumsum(wants_block) <= free_slots)
    return values


def business_costs(p: Params, rng: np.random.Generator, weight: np.ndarray, unit_cost: np.ndarray) -> np.ndarray:
    """A business's monthly cost (2014 yuan): its size at its sector's unit cost, more or less."""
    return weight * unit_cost * np.maximum(1.0 + rng.normal(0.0, p.now("businesses.margin_sd"), size=len(weight)), 0.0)


def draw_businesses(p: Params, rng: np.random.Generator, sector: np.ndarray, enterprise_share: float) -> dict:
    """Attributes of new businesses in the given sectors: kind, size, and the months of losses each will
    bear before it closes (between half and one and a half times the mean)."""
    enterprise = rng.random(len(sector)) < enterprise_share
    size = rng.lognormal(0.0, p.now("businesses.size_dispersion"), size=len(sector))
    patience = p.now("businesses.exit_after_loss_months") * rng.uniform(*PATIENCE_SPREAD, size=len(sector))
    return {"sector": sector, "enterprise": enterprise,
            "weight": size * np.where(enterprise, p.now("businesses.enterprise_size"), 1.0),
            "patience": np.maximum(np.round(patience), 1)}


class Businesses(ColumnStore):
    """All market entities, one row each."""

    COLUMNS = {"sector": np.int8, "enterprise": np.bool_, "weight": np.float32, "cost": np.float32,
               "loss_months": np.int16, "patience": np.int16, "in_block": np.bool_, "revenue": np.float32}

    def __init__(self, capacity: int):
        super().__init__(capacity)
        self.unit_cost = np.zeros(len(SECTORS))  # cost per unit of size, by sector (2014 yuan, set in the first month)

    def counts(self) -> np.ndarray:
        """Live businesses by sector."""
        return np.bincount(self.column("sector"), weights=self.live, minlength=len(SECTORS)).astype(np.int64)

    def enterprises(self) -> int:
        return int(np.count_nonzero(self.column("enterprise") & self.live))

    def in_blocks(self) -> int:
        """Live businesses in featured street blocks."""
        return int(np.count_nonzero(self.column("in_block") & self.live))

    def effective_weight(self, p: Params) -> np.ndarray:
        """Claim on sector demand: size, with the footfall of a featured street block (0 for free rows)."""
        return claim_weight(p, self.column("weight"), self.column("in_block")) * self.live

    def claims(self, weight: np.ndarray) -> np.ndarray:
        """The businesses' claims on each sector's demand (weights: `effective_weight`)."""
        return np.bincount(self.column("sector"), weights=weight, minlength=len(SECTORS))

    def margins(self) -> np.ndarray:
        """Each sector's margin this month: one less its businesses' costs over their revenue."""
        sector, live = self.column("sector"), self.live
        revenue = np.bincount(sector, weights=self.column("revenue") * live, minlength=len(SECTORS))
        cost = np.bincount(sector, weights=self.column("cost") * live, minlength=len(SECTORS))
        return np.divide(revenue - cost, revenue, out=np.zeros(len(SECTORS)), where=revenue > 0)

    def earn(self, p: Params, demand: np.ndarray) -> float:
        """Each business takes its share of its sector's demand; losses accumulate. Returns total revenue."""
        weight = self.effective_weight(p)
        revenue = weight * np.take(revenue_per_claim(demand, self.claims(weight)), self.column("sector"))
        self.revenue[: self.size] = revenue
        losing = self.live & (revenue < self.column("cost"))
        self.loss_months[: self.size] = (self.column("loss_months") + 1) * losing
        return float(revenue.sum())

    def open(self, p: Params, rng: np.random.Generator, demand: np.ndarray) -> None:
        """The first month: revenue at the first month's demand, and the sectors' unit costs set so that
        businesses earn a normal margin on average."""
        self.earn(p, demand)
        rows = np.flatnonzero(self.live)
        per_size = revenue_per_claim(demand, self.claims(self.column("weight") * self.live))
        self.unit_cost = per_size * (1.0 - p.now("businesses.initial_margin"))
        self.cost[rows] = business_costs(p, rng, self.weight[rows], self.unit_cost[self.sector[rows]])

    def exit_businesses(self, p: Params, rng: np.random.Generator) -> dict:
        bankrupt = self.column("loss_months") >= self.column("patience")
        chance = probability(exit_hazard(p, np.array([False, True])))  # by type: individual, enterprise
        closing = rng.random(self.size) < np.take(chance, self.column("enterprise"))
        gone = np.flatnonzero(self.live & (bankrupt | closing))
        self.remove(gone)
        return {"business_exits": len(gone)}

    def enter(self, p: Params, rng: np.random.Generator, amenity: float, free_slots: int) -> dict:
        """New market entities where incumbents earn more than a normal margin, at their sector's unit cost."""
        values = draw_entrants(p, rng, self.counts(), self.margins(), amenity, free_slots)
        rows = self.add(len(values["sector"]), **values)
        self.cost[rows] = business_costs(p, rng, self.weight[rows], self.unit_cost[self.sector[rows]])
        self.revenue[rows] = 0  # it earns from next month
        return {"business_entries": len(rows)}
