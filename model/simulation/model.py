"""The county renewal model: Dongsheng's residents, compounds, businesses, stall markets and government.

A month, in causal order (read `step`): the economy and the county's amenity set the conditions;
households age, are born, die, form, leave, return and arrive; they earn; the government lists and
plans, residents pay their share, funded compounds are admitted in batches and works progress;
households spend, businesses earn, exit and enter, and pay tax; stall markets allocate, score and
ban; the dispute centre takes in and resolves disputes; the measures are collected.

Households and businesses are agents held column-wise in NumPy arrays (households.py,
businesses.py); the government and the stall markets are `mesa.Agent`s; Mesa owns the clock and
the data collection. Random numbers come from one stream per submodel and month, derived from the
seed (model/simulation/streams.py), so that runs are reproducible and what-ifs share their randomness with the
baseline.
"""

from __future__ import annotations

from dataclasses import dataclass

import mesa
import numpy as np

from model.inputs.calendar import MONTHS_PER_YEAR, month_of_year, year_of
from model.inputs.params import Params
from model.simulation.agents.businesses import CONSUMER_SECTORS, SECTORS, Businesses, blocks_open, free_block_slots, sector_demand
from model.simulation.agents.government import Government
from model.simulation.agents.households import QUINTILES, Conditions, spending
from model.simulation.agents.stall_markets import StallMarkets, apply_chance
from model.simulation.amenity import amenity
from model.simulation.builder import build_businesses, build_compounds, build_households
from model.simulation.compounds import Compounds, Status, Track
from model.simulation.disputes import DisputeCentre, Sources
from model.simulation.economy import Economy
from model.simulation.measures import FLOWS, MEASURES
from model.simulation.streams import Stream, Streams
from model.simulation.talent import TalentPackage


@dataclass(frozen=True)
class Census:
    """Resident households summarised by compound, taken once a month after people have moved."""

    rows: np.ndarray  # resident household rows
    households: np.ndarray  # resident households per compound
    by_quintile: np.ndarray  # resident households per compound and income quintile
    persons: np.ndarray  # resident persons per compound


MEASURE_NAMES = tuple(m.name for m in MEASURES)
# The renovation submodel's independent draws: items ageing, residents' menu choices, payments, works.
AGEING, CHOICES, PAYMENTS, WORKS = range(4)


def _measures(model: "RenewalModel") -> np.ndarray:
    """This month's measures as one row, in the order of MEASURES: the data collector keeps (and copies)
    one small array a month instead of one Python number per measure."""
    return model.measure_row


def county_conditions(p: Params, economy: Economy, amenity: float, backlog_months: float,
                      talent_boost: float = 1.0) -> Conditions:
    """The conditions households decide on this month: economy, big-city pull, amenity, disputes, recovery,
    and the talent package's pull on young talents."""
    years_since_trough = max(min(p.t, p.month_index("migration.recovery_drift_end")) - economy.trough, 0) / MONTHS_PER_YEAR
    return Conditions(economy=float(economy.index[p.t]), distress=float(economy.distress[p.t]),
                      city_pull=float(economy.city_pull[p.t]), amenity=amenity, backlog_months=backlog_months,
                      recovery=float(np.exp(p.now("migration.recovery_drift") * years_since_trough)),
                      talent_boost=talent_boost)


def decimal_year(month: int) -> float:
    """An absolute month number as a year with its fraction (2026-07 -> 2026.5)."""
    return year_of(month) + (month_of_year(month) - 1) / MONTHS_PER_YEAR


class RenewalModel(mesa.Model):
    """One run of the county, monthly from the starting county to the scenario's end."""

    def __init__(self, params: Params, seed: int):
        super().__init__(rng=seed)
        self.p = params
        self.streams = Streams(seed)
        build = self.stream(Stream.BUILD)
        markets = max(int(round(params.first("stalls.markets"))), 1)  # every market at every scale
        self.households = build_households(params, build, markets)
        self.compounds: Compounds = build_compounds(params, build, self.households, self.stream(Stream.BUILD, 1))
        self.businesses: Businesses = build_businesses(params, build)
        self.home_weights = self.compounds.households_at_start / self.compounds.households_at_start.sum()
        self.economy = Economy(params)
        self.government = Government(self)
        self.disputes = DisputeCentre()
        self.talent = TalentPackage()
        self.markets = StallMarkets(self, markets)
        self.block_investment = 0.0
        self.record: dict[str, float] = {}
        self.measure_row = np.zeros(len(MEASURES))
        self.spending = self.income_total = 0.0
        self.stalls_occupied = self.households_collecting = 0
        self.datacollector = mesa.DataCollector(model_reporters={"measures": _measures})
        self.census = self.take_census()
        self._open_businesses(build)

    def continue_with(self, params: Params) -> None:
        """Carry on from this state with another scenario's values, which agree with this run's up to the
        current month (a what-if from a shared history: the same values before, so the same state)."""
        params.t = self.p.t
        self.p = params
        self.economy = Economy(params)

    def stream(self, which: Stream, part: int = 0) -> np.random.Generator:
        """This month's generator for one submodel (model/simulation/streams.py)."""
        return self.streams.at(which, self.p.t, part)

    # ------------------------------------------------------------------------------------ the month
    def step(self) -> None:
        self.record = dict.fromkeys(FLOWS, 0)
        conditions = self.observe_county()
        self.live_and_move(conditions)
        self.census = self.take_census()
        income_per_head = self.economy.income_per_head(self.p)
        self.renovate(income_per_head)
        self.trade(income_per_head, conditions)
        self.run_stall_markets()
        self.settle_disputes()
        self.collect()
        self.p.t += 1

    def observe_county(self) -> Conditions:
        return county_conditions(self.p, self.economy, self.amenity(), self.disputes.backlog_months(self.p),
                                 self.talent.boost(self.p))

    def live_and_move(self, conditions: Conditions) -> None:
        """Households: demography, then leaving, returning and arriving."""
        h, p = self.households, self.p
        self.record.update(h.age_and_reproduce(p, self.stream(Stream.DEMOGRAPHY), self.stream(Stream.DEMOGRAPHY, 1),
                                               self.stream(Stream.DEMOGRAPHY, 2)))
        self.record.update(h.decide_to_leave(p, conditions, self.stream(Stream.LEAVING), self.stream(Stream.LEAVING, 1)))
        self.record.update(h.decide_to_return(p, conditions, self.stream(Stream.RETURNING),
                                              self.stream(Stream.RETURNING, 1)))
        self.record.update(h.arrive(p, conditions, self.stream(Stream.ARRIVING), self.home_weights, self.markets.count))
        housed = self.talent.house(p, np.concatenate([h.returned_talents, h.arrived_talents]))
        h.talent[housed] = True
        self.record["talent_households_housed"] = len(housed)

    def renovate(self, income_per_head: np.ndarray) -> None:
        """Items age and fail; the government lists and plans; residents pay; funded compounds are admitted;
        works progress."""
        p, c, g, h, census = self.p, self.compounds, self.government, self.households, self.census
        year = decimal_year(p.month)
        self.record["items_failed"] = c.age_items(p, self.stream(Stream.RENOVATION, AGEING), year)
        rng = self.stream(Stream.RENOVATION, CHOICES)
        g.list_compounds(p, rng, c)
        if month_of_year(p.month) == 1:
            collecting_before = c.status == Status.COLLECTING
            self.record["collections_given_up"] = g.plan_year(p, rng, c, year, self.relative_income(), census.households)
            started = (c.status == Status.COLLECTING) & ~collecting_before
            h.paid[: h.size][started[h.column("compound")]] = False
        collecting = c.status == Status.COLLECTING
        asked = census.rows[collecting[h.compound[census.rows]]] if collecting.any() else census.rows[:0]
        if len(asked):
            payers = h.pay_share(p, self.stream(Stream.RENOVATION, PAYMENTS), asked, c.share_per_household,
                                 c.problems.sum(axis=1), income_per_head)
            c.paid_households += np.bincount(h.compound[payers], minlength=len(c))
        self.households_collecting = int((~h.paid[asked]).sum())
        arrived = np.flatnonzero(collecting & (census.households > 0)
                                 & (c.paid_households >= p.now("renovation.collection_threshold") * census.households))
        self.record["resident_contributions_yuan"] = c.fund(arrived, p.t)
        self.record.update(g.approve_batch(p, c))
        if g.in_season(p):
            done = c.progress_works(p, self.stream(Stream.RENOVATION, WORKS), p.t, year, self.disputes.backlog_months(p),
                                    census.households, census.persons)
            local = done[c.track[done] == Track.LOCAL]
            self.record["compounds_completed"] = len(done)
            self.record["compounds_completed_local"] = len(local)
            self.record["compounds_completed_national"] = len(done) - len(local)
            self.record["households_covered"] = int(census.households[done].sum())
            self.record["persons_covered"] = int(census.persons[done].sum())
            self.record["persons_covered_local"] = int(census.persons[local].sum())

    def trade(self, income_per_head: np.ndarray, conditions: Conditions) -> None:
        """Households spend; businesses earn, exit and enter; the government books its revenue."""
        p, b = self.p, self.businesses
        rng = self.stream(Stream.BUSINESS)
        self.block_investment += p.now("street_blocks.investment") / MONTHS_PER_YEAR
        income_total = self.households.resident_income(income_per_head)
        real_spending = spending(p, conditions.economy, income_total) / self.economy.nominal_growth[p.t]
        demand = sector_demand(p, self.base_demand, real_spending, conditions.economy)
        real_revenue = b.earn(p, demand)
        self.record.update(b.exit_businesses(p, rng))
        self.record.update(b.enter(p, rng, conditions.amenity, self.free_block_slots()))
        nominal = self.economy.nominal_growth[p.t]
        self.record.update(self.government.book_revenue(p, real_revenue, income_total / nominal, conditions.economy,
                                                         nominal, year_of(p.month)))
        self.spending = real_spending * nominal
        self.income_total = income_total

    def run_stall_markets(self) -> None:
        """From the programme's start: would-be vendors apply (more in a weak economy); each market
        allocates its stalls (full scorers first), scores its vendors and bans."""
        p, h, markets = self.p, self.households, self.markets
        markets.close()
        if p.t < p.month_index("stalls.program_start"):
            h.hold_stalls(h.stall_holders[:0], 0.0)
            return
        rng = self.stream(Stream.STALLS)
        markets.open(p.count("stalls.supply"))
        vendors = np.flatnonzero(h.column("vendor"))
        rows = vendors[h.alive[vendors] & ~h.away[vendors]]
        applying = self.stream(Stream.STALLS, 1).random(len(rows)) < apply_chance(p, float(self.economy.index[p.t]))
        rows = rows[applying]
        uids = h.uid[rows]
        choice = markets.choose(h.home_market[rows], uids, p.t)
        placed = markets.allocate(rng, rows, uids, choice)
        markets.spill_over(rng, rows, uids, choice, placed, p.t)
        h.hold_stalls(markets.vendor_rows, p.now("stalls.vendor_income"))
        self.record["stall_applicants"] = len(rows)
        self.stalls_occupied = len(markets.vendor_rows)
        markets.score(p, rng, h.compliance[markets.vendor_rows], p.t)
        self.record["stall_bans"] = markets.bans_issued

    def settle_disputes(self) -> None:
        """The dispute centre takes in what the month brought and resolves what it can."""
        c, census = self.compounds, self.census
        sources = Sources(residents=int(census.persons.sum()),
                          households_under_works=int(census.households[c.status == Status.UNDER_WORKS].sum()),
                          households_collecting=self.households_collecting, bans=self.record["stall_bans"],
                          business_exits=self.record["business_exits"])
        self.record.update(self.disputes.take_in(self.p, self.stream(Stream.DISPUTES), sources))

    # ------------------------------------------------------------------------------------ helpers
    def take_census(self) -> Census:
        """The households' register of residents, read once a month."""
        h, n = self.households, len(self.compounds)
        by_quintile = h.home_households.reshape(n, QUINTILES).copy()
        persons = h.home_persons.reshape(n, QUINTILES).sum(axis=1)
        return Census(np.flatnonzero(h.resident), by_quintile.sum(axis=1), by_quintile, persons)

    def relative_income(self) -> np.ndarray:
        """Mean income factor of each compound's residents (county mean about 1)."""
        census = self.census
        h = self.households
        total = np.bincount(h.compound[census.rows], weights=h.income_factor[census.rows], minlength=len(self.compounds))
        return total / np.maximum(census.households, 1)

    def _open_businesses(self, rng: np.random.Generator) -> None:
        """First month: non-consumer sectors get demand in proportion to their share of businesses, at the
        consumer sectors' revenue per business; each sector's unit cost gives a normal margin."""
        p, b = self.p, self.businesses
        economy = float(self.economy.index[0])
        real_spending = spending(p, economy, self.households.resident_income(self.economy.income_per_head(p)))
        counts = b.counts()
        per_business = real_spending * p.first("businesses.formal_share_start") / max(counts[CONSUMER_SECTORS].sum(), 1)
        self.base_demand = counts * per_business
        b.open(p, rng, sector_demand(p, self.base_demand, real_spending, economy))

    def free_block_slots(self) -> int:
        return free_block_slots(self.p, self.block_investment, self.businesses.in_blocks())

    def blocks_open(self) -> int:
        return blocks_open(self.p, self.block_investment)

    def amenity(self) -> float:
        """Renovated compounds, street-block life and stall markets, weighted (model/simulation/amenity.py)."""
        return amenity(self.p, self.compounds, self.businesses.in_blocks(), len(self.markets.vendor_rows))

    # ------------------------------------------------------------------------------------ measures
    def collect(self) -> None:
        """Stocks at the end of the month, with this month's flows, into the data collector."""
        p, h, c, b = self.p, self.households, self.compounds, self.businesses
        population = int(self.census.persons.sum())
        programme, problems = c.in_programme, c.has_problems
        counts = b.counts()
        businesses = int(counts.sum())
        enterprises = b.enterprises()
        stocks = {
            "population": population,
            "households": len(self.census.rows),
            "persons_away": h.persons_away,
            "economy_index": float(self.economy.index[p.t]),
            "city_pull": float(self.economy.city_pull[p.t]),
            "amenity": self.amenity(),
            "income_per_head_yuan": self.income_total * MONTHS_PER_YEAR / max(population, 1),
            "consumption_per_head_yuan": self.spending * MONTHS_PER_YEAR / max(population, 1),
            "persons_in_problem_compounds": int(self.census.persons[problems].sum()),
            "compounds_with_problems": int(problems.sum()),
            "compounds_untouched": int(((c.status == Status.UNTOUCHED) & problems).sum()),
            "compounds_listed": int(((c.status == Status.LISTED) & programme).sum()),
            "compounds_collecting": int((c.status == Status.COLLECTING).sum()),
            "compounds_funded": int((c.status == Status.FUNDED).sum()),
            "compounds_under_works": int((c.status == Status.UNDER_WORKS).sum()),
            "compounds_renovated": int(((c.status == Status.RENOVATED) & programme).sum()),
            **self.government.monthly_budget_view(),
            **self.left_behind(problems),
            "businesses": businesses,
            "enterprises": enterprises,
            "individual_businesses": businesses - enterprises,
            **{f"businesses_{s}": int(counts[i]) for i, s in enumerate(SECTORS)},
            "businesses_in_street_blocks": b.in_blocks(),
            "street_blocks_open": self.blocks_open(),
            "stalls": int(self.markets.stalls.sum()) if p.t >= p.month_index("stalls.program_start") else 0,
            "stalls_occupied": self.stalls_occupied if p.t >= p.month_index("stalls.program_start") else 0,
            "vendors_banned": self.markets.banned_count(p.t),
            "disputes_backlog": self.disputes.backlog,
            "dispute_backlog_months": self.disputes.backlog_months(p),
        }
        stocks["stall_occupancy"] = stocks["stalls_occupied"] / stocks["stalls"] if stocks["stalls"] else 0.0
        month = {**self.record, **stocks}
        self.measure_row = np.array([month[name] for name in MEASURE_NAMES], dtype=float)
        self.datacollector.collect(self)

    def left_behind(self, problems: np.ndarray) -> dict:
        """Equity as it stands, by income quintile: the share of households in compounds that live with
        failing items now, and how long the households whose compound was listed and is not yet renovated
        have waited since it was first listed (in the pipeline, or back to wait after giving up).
        `problems`: the compounds with failing items (`Compounds.has_problems`, read once by `collect`)."""
        c, t, by_quintile = self.compounds, self.p.t, self.census.by_quintile
        in_compounds = by_quintile[c.in_programme].sum(axis=0)
        unresolved = by_quintile[problems].sum(axis=0)
        waiting = c.waiting_since >= 0
        waiting_households = by_quintile[waiting].sum(axis=0)
        waited = (by_quintile[waiting] * (t - c.waiting_since[waiting])[:, None]).sum(axis=0)
        out = {}
        for q in range(QUINTILES):
            out[f"unresolved_share_q{q + 1}"] = unresolved[q] / in_compounds[q] if in_compounds[q] else 0.0
            out[f"months_waiting_q{q + 1}"] = waited[q] / waiting_households[q] if waiting_households[q] else 0.0
        return out
