"""Businesses: enterprises and individual businesses by sector, on ordinary streets or in street blocks.

Documented (src000): 100,004 market entities on 27 March 2023 (34,921 enterprises, 65,083
individual businesses) - the total is a calibration target, the split is held out; 8 featured
street blocks built for 213 m yuan, government-led and market-operated. The 2014 stock, sector mix
and behaviour are assumed; the entry rate is calibrated (registry `businesses.*`, `street_blocks.*`).

A business earns its share of its sector's demand (household spending for retail, catering and
services; the coal economy for manufacturing and coal logistics), pays a fixed cost set at entry,
and exits after sustained losses or for other reasons. Entry follows revenue per business and amenity.
Money here is in 2014 yuan (deflated by nominal income growth), so that costs need no indexing.
"""

from __future__ import annotations

import numpy as np

from model.inputs.params import Params, monthly_hazard, probability
from model.simulation.columns import ColumnStore

RETAIL, CATERING, SERVICES, MANUFACTURING, COAL_LOGISTICS = range(5)
SECTORS = ("retail", "catering", "services", "manufacturing", "coal_logistics")
CONSUMER_SECTORS = np.array([RETAIL, CATERING, SERVICES])
IS_CONSUMER = np.isin(np.arange(len(SECTORS)), CONSUMER_SECTORS)  # by sector code


def sector_shares(p: Params, prefix: str, sectors) -> np.ndarray:
    """Registry shares for these sectors, normalised to sum to one."""
    shares = np.array([p.now(f"{prefix}.{SECTORS[s]}") for s in sectors])
    return shares / shares.sum()


def exit_hazard(p: Params, enterprise):
    """Closures for reasons other than losses; individual businesses close more often."""
    multiplier = np.where(enterprise, 1.0, p.now("businesses.individual_exit_multiplier"))
    return monthly_hazard(p.now("businesses.base_exit_rate")) * multiplier


def entry_rate(p: Params, businesses: np.ndarray, revenue_ratio: np.ndarray, amenity: float) -> np.ndarray:
    """Expected entrants per sector this month: more where revenue per business has risen, and with amenity."""
    return (monthly_hazard(p.now("businesses.entry_rate")) * businesses
            * revenue_ratio ** p.now("businesses.entry_profit_elasticity")
            * np.exp(p.now("businesses.amenity_entry_effect") * amenity))


def claim_weight(p: Params, weight, in_block):
    """A business's claim on its sector's demand: its size, with the footfall of a featured street block."""
    return weight * np.where(in_block, p.now("street_blocks.footfall_multiplier"), 1.0)


def sector_demand(p: Params, base_demand: np.ndarray, real_spending: float, economy: float) -> np.ndarray:
    """Real demand by sector: household spending for consumer sectors, the economy for the rest."""
    demand = np.zeros(len(SECTORS))
    demand[CONSUMER_SECTORS] = real_spending * sector_shares(p, "businesses.consumer_share", CONSUMER_SECTORS)
    demand[MANUFACTURING] = base_demand[MANUFACTURING] * economy ** p.now("businesses.manufacturing_economy_elasticity")
    demand[COAL_LOGISTICS] = base_demand[COAL_LOGISTICS] * economy ** p.now("businesses.coal_logistics_economy_elasticity")
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


def draw_entrants(p: Params, rng: np.random.Generator, counts: np.ndarray, demand: np.ndarray,
                  reference_revenue: np.ndarray, amenity: float, free_slots: int) -> dict:
    """Attributes of this month's new market entities by sector; consumer-sector entrants fill free
    street-block premises."""
    expected = entry_rate(p, counts, demand / np.maximum(counts, 1) / reference_revenue, amenity)
    sector = np.repeat(np.arange(len(SECTORS)), rng.poisson(expected)).astype(np.int8)
    values = draw_businesses(p, rng, sector, p.now("businesses.entrant_enterprise_share"))
    wants_block = IS_CONSUMER[sector] & (rng.random(len(sector)) < p.now("street_blocks.entry_share"))
    values["in_block"] = wants_block & (np.cumsum(wants_block) <= free_slots)
    return values


def entry_costs(p: Params, rng: np.random.Generator, revenue: np.ndarray) -> np.ndarray:
    """Fixed cost at entry: the revenue the business can expect, less a margin that varies."""
    return revenue * (1.0 - rng.normal(p.now("businesses.initial_margin"), p.now("businesses.margin_sd"), size=len(revenue)))


def draw_businesses(p: Params, rng: np.random.Generator, sector: np.ndarray, enterprise_share: float) -> dict:
    """Attributes of new businesses in the given sectors."""
    enterprise = rng.random(len(sector)) < enterprise_share
    size = rng.lognormal(0.0, p.now("businesses.size_dispersion"), size=len(sector))
    return {"sector": sector, "enterprise": enterprise,
            "weight": size * np.where(enterprise, p.now("businesses.enterprise_size"), 1.0)}


class Businesses(ColumnStore):
    """All market entities, one row each."""

    COLUMNS = {"sector": np.int8, "enterprise": np.bool_, "weight": np.float32, "cost": np.float32,
               "loss_months": np.int16, "in_block": np.bool_, "revenue": np.float32}

    def __init__(self, capacity: int):
        super().__init__(capacity)
        self.reference_revenue = np.ones(len(SECTORS))  # revenue per business by sector in the first month

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

    def earn(self, p: Params, demand: np.ndarray) -> float:
        """Each business takes its share of its sector's demand; losses accumulate. Returns total revenue."""
        weight = self.effective_weight(p)
        revenue = weight * np.take(revenue_per_claim(demand, self.claims(weight)), self.column("sector"))
        self.revenue[: self.size] = revenue
        losing = self.live & (revenue < self.column("cost"))
        self.loss_months[: self.size] = (self.column("loss_months") + 1) * losing
        return float(revenue.sum())

    def set_costs(self, p: Params, rng: np.random.Generator, rows: np.ndarray) -> None:
        self.cost[rows] = entry_costs(p, rng, self.revenue[rows])

    def exit_businesses(self, p: Params, rng: np.random.Generator) -> dict:
        bankrupt = self.column("loss_months") >= p.now("businesses.exit_after_loss_months")
        chance = probability(exit_hazard(p, np.array([False, True])))  # by type: individual, enterprise
        closing = rng.random(self.size) < np.take(chance, self.column("enterprise"))
        gone = np.flatnonzero(self.live & (bankrupt | closing))
        self.remove(gone)
        return {"business_exits": len(gone)}

    def enter(self, p: Params, rng: np.random.Generator, demand: np.ndarray, amenity: float,
              free_slots: int) -> dict:
        """New market entities; each expects its share of its sector's demand and sets its cost by it."""
        values = draw_entrants(p, rng, self.counts(), demand, self.reference_revenue, amenity, free_slots)
        rows = self.add(len(values["sector"]), **values)
        weight = self.effective_weight(p)
        self.revenue[rows] = weight[rows] * np.take(revenue_per_claim(demand, self.claims(weight)), self.sector[rows])
        self.set_costs(p, rng, rows)
        return {"business_entries": len(rows)}
