"""Households: residents and those away; births, deaths, new households, leaving, returning, arriving.

The county starts from the documented 2014 peak of 654,000 people (src000, county.initial_population).
The crash of 2014-2017 pushed households out; the sources say people come back for ageing parents and
optimism about the city, and newcomers from other provinces settle (src000). How strongly the crash
pushed and how fast returning picked up afterwards are calibrated against the population of 2015 and
2022; every other rate is assumed (registry `households.*`, `migration.*`).

Each rule is a function of a household's attributes that works on one household or on whole
columns alike, so the vectorised model and a per-object reference implement the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.inputs.calendar import MONTHS_PER_YEAR
from model.inputs.params import Params, monthly_hazard, probability
from model.simulation.columns import ColumnStore
from model.simulation.streams import weighted_choice

COAL, OTHER, FLEXIBLE = range(3)  # job sectors
JOB_SECTORS = 3
QUINTILES = 5
# The four types of a household away, in the order `attached * 2 + talent`.
AWAY_ATTACHED, AWAY_TALENT = np.repeat([False, True], 2), np.tile([False, True], 2)
# Households decide on leaving by type (job sector x young head x ageing parents): the rule is
# evaluated once per type and looked up, rather than once per household.
TYPE_SECTOR, TYPE_YOUNG, TYPE_ATTACHED = (a.ravel() for a in np.meshgrid(np.arange(JOB_SECTORS), [False, True], [False, True], indexing="ij"))


def household_type(sector, young, attached):
    """Index into the TYPE_* tables."""
    return (sector * 2 + young) * 2 + attached


@dataclass(frozen=True)
class Conditions:
    """What households see of the county this month."""

    economy: float  # coal/economy index, pre-crash = 1
    distress: float  # fall of the index over the past year
    city_pull: float  # big-city pull, 2014 = 1
    amenity: float  # 0 .. 1
    backlog_months: float  # unresolved disputes, in months of the centre's capacity
    recovery: float  # post-crash drift of returns and arrivals (calibrated), 1 before the trough
    talent_boost: float = 1.0  # the talent package's multiplier on young talents' return and arrival


# -------------------------------------------------------------------------------- the rules
def death_hazard(p: Params, persons, head_age):
    """Deaths per month: a per-person rate, rising with the head's age beyond the elderly age."""
    elderly_age = p.now("households.elderly_head_age")
    excess_years = np.maximum(head_age - elderly_age, 0) / p.now("households.mortality_doubling_years")
    rate = np.where(head_age >= elderly_age, p.now("households.death_rate_elderly") * np.exp2(excess_years),
                    p.now("households.death_rate"))
    return monthly_hazard(rate) * persons


def birth_hazard(p: Params, persons, head_age):
    """Births per month: a per-person rate in households with a young head."""
    fertile = head_age < p.now("households.fertile_head_age_max")
    return monthly_hazard(p.now("households.birth_rate")) * persons * fertile


def formation_hazard(p: Params, persons):
    """A member leaves to form a new household (adult children marrying, moving out)."""
    return monthly_hazard(p.now("households.formation_rate")) * (persons >= p.now("households.formation_min_size"))


def demography_chances(p: Params, persons, head_age) -> tuple:
    """This month's chances of a death, a birth and a member forming a new household."""
    return (probability(death_hazard(p, persons, head_age)), probability(birth_hazard(p, persons, head_age)),
            probability(formation_hazard(p, persons)))


def leave_hazard(p: Params, c: Conditions, sector, young, attached):
    """Out-migration: distress from the crash (coal-linked households most), the big-city pull,
    amenity and unresolved disputes; young households leave more, those with ageing parents less."""
    exposure = np.where(sector == COAL, 1.0, p.now("migration.other_sector_exposure"))
    push = (p.now("migration.crash_leave_effect") * c.distress * exposure
            + p.now("migration.city_pull_effect") * np.log(c.city_pull)
            - p.now("migration.amenity_stay_effect") * c.amenity
            + p.now("migration.dissatisfaction_leave_effect") * c.backlog_months)
    youth = np.where(young, p.now("migration.young_leave_multiplier"), 1.0)
    tied = np.where(attached, p.now("migration.attached_stay_multiplier"), 1.0)
    return monthly_hazard(p.now("migration.base_leave_rate")) * youth * tied * np.exp(push)


def attraction(p: Params, c: Conditions) -> float:
    """How much the county draws people in (back) this month, relative to 2014."""
    return (c.recovery * c.economy ** p.now("migration.economy_attraction_effect")
            * np.exp(p.now("migration.amenity_attraction_effect") * c.amenity)
            * c.city_pull ** -p.now("migration.city_pull_effect"))


def is_talent(p: Params, sector, head_age, income_factor):
    """Young households in other-sector jobs well above the mean income: whom the talent package is for."""
    return ((sector == OTHER) & (head_age < p.now("talent.age_limit"))
            & (income_factor >= p.now("talent.skill_threshold")))


def return_hazard(p: Params, c: Conditions, attached, talent):
    """Return of a household that is away; ageing parents pull harder, and the talent package draws young
    talents back where it can house them."""
    tied = np.where(attached, p.now("migration.attached_return_multiplier"), 1.0)
    return monthly_hazard(p.now("migration.base_return_rate")) * attraction(p, c) * tied * np.where(talent, c.talent_boost, 1.0)


def settle_hazard(p: Params):
    """A household away settles elsewhere for good and stops being a potential returnee."""
    return monthly_hazard(p.now("migration.away_settle_rate"))


def expected_newcomers(p: Params, c: Conditions, starting_households: int) -> float:
    """Newcomer households expected this month. The stream of potential migrants is proportional to
    the county's starting size, not its current size, so that attraction cannot compound for ever."""
    return float(monthly_hazard(p.now("migration.newcomer_rate")) * starting_households * attraction(p, c))


def pay_probability(p: Params, burden, attached, problems):
    """Chance a household pays its renovation share this month. Willingness halves at the registry's
    burden (the share as a fraction of annual household income: both in the same year's yuan, so costs
    that outgrow incomes weigh more); households tied to ageing parents and compounds with more failing
    items are readier; above the largest burden a household can carry it does not pay at all, so a
    large resident share can hold back poor compounds."""
    willingness = 1.0 / (1.0 + burden / p.now("renovation.burden_half_willingness"))
    readier = (np.where(attached, p.now("renovation.attached_pay_multiplier"), 1.0)
               * np.exp(p.now("renovation.problem_pay_effect") * np.maximum(problems - 1, 0)))
    chance = np.minimum(p.now("renovation.pay_rate") * willingness * readier, 1.0)
    return chance * (burden <= p.now("renovation.max_burden"))


def household_income(income_per_head: np.ndarray, sector, income_factor, persons, stall_income):
    """A household's income this month (yuan): its members' income in the household's job sector
    (annual, per person, by sector), times its income factor, and stall earnings."""
    return np.take(income_per_head / MONTHS_PER_YEAR, sector) * income_factor * persons + stall_income


def spending(p: Params, economy: float, resident_income: float) -> float:
    """What resident households spend this month (yuan): a propensity to consume, damped in a weak economy."""
    confidence = economy ** p.now("households.consumption_confidence_elasticity")
    return p.now("households.consumption_propensity") * confidence * resident_income


def draw_households(p: Params, rng: np.random.Generator, count: int, head_age_mean: float, markets: int) -> dict:
    """Attributes of `count` new households (the starting county, newcomers)."""
    shares = np.array([p.now("county.coal_sector_share"), 0.0, p.now("county.flexible_sector_share")])
    shares[OTHER] = 1.0 - shares.sum()
    sigma = p.now("county.income_dispersion")
    sector = weighted_choice(rng, shares, count).astype(np.int8)
    concentration = p.now("stalls.compliance_concentration")
    compliance = rng.beta(p.now("stalls.compliance_mean") * concentration,
                          (1 - p.now("stalls.compliance_mean")) * concentration, size=count)
    return {
        "persons": 1 + rng.poisson(p.now("county.mean_household_size") - 1, size=count),
        "head_age": np.maximum(rng.normal(head_age_mean, p.now("county.head_age_sd"), size=count),
                               p.now("households.formation_head_age")),
        "sector": sector,
        "income_factor": rng.lognormal(-sigma**2 / 2, sigma, size=count),
        "attached": rng.random(count) < p.now("county.attached_share"),
        "vendor": (sector == FLEXIBLE) & (rng.random(count) < p.now("stalls.vendor_share")),
        "home_market": rng.integers(0, max(markets, 1), size=count),
        "compliance": compliance,
    }


def draw_arrivals(p: Params, c: Conditions, rng: np.random.Generator, starting_households: int,
                  home_weights: np.ndarray, markets: int) -> dict:
    """Attributes of this month's newcomer households. The talent package draws more young talents: of
    the extra candidates its boost brings (the newcomer stream x (boost - 1)), only the talents come."""
    expected = expected_newcomers(p, c, starting_households)
    count, extra = rng.poisson(expected), rng.poisson(expected * (c.talent_boost - 1.0))
    values = draw_households(p, rng, count + extra, p.now("migration.newcomer_head_age_mean"), markets)
    talent = is_talent(p, values["sector"], values["head_age"], values["income_factor"])
    keep = (np.arange(count + extra) < count) | talent
    values = {name: column[keep] for name, column in values.items()}
    values["compound"] = weighted_choice(rng, home_weights, int(keep.sum()))
    return values


# -------------------------------------------------------------------------------- the agents
class Households(ColumnStore):
    """All households ever in the county, resident or away, one row each."""

    COLUMNS = {
        "uid": np.int64, "away": np.bool_, "persons": np.int16, "head_age": np.float32, "sector": np.int8,
        "income_factor": np.float32, "compound": np.int32, "attached": np.bool_, "quintile": np.int8,
        "paid": np.bool_, "vendor": np.bool_, "home_market": np.int16, "compliance": np.float32,
        "stall_income": np.float32, "talent": np.bool_,
    }

    def __init__(self, capacity: int):
        super().__init__(capacity)
        self.next_uid = 0
        self.starting_households = 0
        self.persons_away = 0  # kept as households leave, return and settle elsewhere
        self.quintile_edges = np.zeros(QUINTILES - 1)
        # The register of residents by home (compound x income quintile), kept as they move, so that
        # the monthly census does not have to count a table of hundreds of thousands of rows; with the
        # residents' earning persons by job sector (persons x income factor) for their total income.
        self.home_households = np.zeros(0, dtype=np.int64)
        self.home_persons = np.zeros(0, dtype=np.int64)
        self.earning_persons = np.zeros(JOB_SECTORS)
        self.stall_holders = np.empty(0, dtype=np.intp)  # rows paid for a stall this month
        self.returned_talents = self.arrived_talents = np.empty(0, dtype=np.intp)  # this month's talents who came

    def add(self, count: int, **values) -> np.ndarray:
        values["uid"] = np.arange(self.next_uid, self.next_uid + count)
        self.next_uid += count
        return super().add(count, **values)

    # -- the register of residents ------------------------------------------------------------
    def open_register(self, compounds: int) -> None:
        """Count the residents by home, once every household has its compound and quintile."""
        self.home_households = np.zeros(compounds * QUINTILES, dtype=np.int64)
        self.home_persons = np.zeros(compounds * QUINTILES, dtype=np.int64)
        self.earning_persons = np.zeros(JOB_SECTORS)
        self._moves_in(np.flatnonzero(self.resident))

    def _tally(self, rows: np.ndarray, households: int, persons: int | np.ndarray) -> None:
        """Add households and persons to the register at these rows' homes and job sectors."""
        if len(rows) == 0:  # a month without a death, a birth or a split: nothing to count
            return
        home = self.compound[rows] * QUINTILES + self.quintile[rows]
        np.add.at(self.home_households, home, households)
        np.add.at(self.home_persons, home, persons)
        np.add.at(self.earning_persons, self.sector[rows], self.income_factor[rows] * np.asarray(persons, float))

    def _moves_in(self, rows: np.ndarray) -> None:
        self._tally(rows, 1, self.persons[rows])

    def _moves_out(self, rows: np.ndarray) -> None:
        self._tally(rows, -1, -self.persons[rows])

    # -- views -------------------------------------------------------------------------------
    @property
    def resident(self) -> np.ndarray:
        return self.live & ~self.column("away")

    def population(self) -> int:
        return int(self.column("persons")[self.resident].sum())

    def incomes(self, income_per_head: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """These households' income this month (yuan)."""
        return household_income(income_per_head, self.sector[rows], self.income_factor[rows], self.persons[rows],
                                self.stall_income[rows])

    def resident_income(self, income_per_head: np.ndarray) -> float:
        """All resident households' income this month (yuan), from the register: the same sum as
        `household_income` over them, since income is linear in persons x income factor."""
        holders = self.stall_holders[self.alive[self.stall_holders] & ~self.away[self.stall_holders]]
        return float(income_per_head @ self.earning_persons / MONTHS_PER_YEAR + self.stall_income[holders].sum())

    def hold_stalls(self, rows: np.ndarray, income: float) -> None:
        """This month's stall holders (rows) earn `income`; last month's holders no longer do."""
        self.stall_income[self.stall_holders] = 0
        self.stall_holders = rows
        self.stall_income[rows] = income

    def assign_quintiles(self, rows: np.ndarray) -> None:
        self.quintile[rows] = np.searchsorted(self.quintile_edges, self.income_factor[rows])

    # -- monthly decisions -----------------------------------------------------------------------
    def age_and_reproduce(self, p: Params, elderly_rng: np.random.Generator, rows_rng: np.random.Generator,
                          draws_rng: np.random.Generator) -> dict:
        """Ageing, then deaths, births and household formation among resident households (at most one
        of the three per household and month: one draw against the three chances laid end to end).

        Events are rare, so only a few households are examined closely. Elderly heads get a draw each,
        held first against the three hazards summed (a chance never exceeds its hazard), since their
        chance of death rises with age. Below the elderly age the chances depend on the head's age only
        through fertility, so they are the same for every household of a type (size x fertile head):
        candidates are drawn by thinning under the largest of them (`ColumnStore.sample_rows`, with
        `rows_rng`; their draws from `draws_rng`)."""
        n = self.size
        self.head_age[:n] += np.float32(1 / MONTHS_PER_YEAR)  # free rows too: they are overwritten when reused
        persons, age = self.column("persons"), self.column("head_age")
        elderly_age = p.now("households.elderly_head_age")
        elderly = np.flatnonzero(age >= elderly_age)
        elderly_draw = elderly_rng.random(len(elderly), dtype=np.float32)
        near = elderly_draw < self._hazards(p, persons[elderly].astype(np.float32), age[elderly])
        younger, bound = self.sample_rows(rows_rng, self._largest_younger_chance(p, int(persons.max(initial=0))))
        younger_draw = draws_rng.random(len(younger), dtype=np.float32) * np.float32(bound)
        keep = age[younger] < elderly_age
        rows = np.concatenate([elderly[near], younger[keep]])
        draw = np.concatenate([elderly_draw[near], younger_draw[keep]])
        resident = self.alive[rows] & ~self.away[rows]
        rows, draw = rows[resident], draw[resident]
        events = []
        for chance in demography_chances(p, persons[rows].astype(np.float32), age[rows]):
            events.append(rows[(draw >= 0) & (draw < chance)])
            draw = draw - chance
        dies, born, splits = events
        self.persons[dies] -= 1
        self.persons[born] += 1
        self.persons[splits] -= 1
        self._tally(dies, 0, -1)
        self._tally(born, 0, 1)
        self._tally(splits, 0, -1)
        emptied = dies[self.persons[dies] == 0]
        self._moves_out(emptied)
        self.remove(emptied)
        self._moves_in(self._split_off(p, splits))
        return {"births": len(born), "deaths": len(dies),
                "households_formed": len(splits), "households_dissolved": len(emptied)}

    @staticmethod
    def _hazards(p: Params, persons: np.ndarray, age: np.ndarray) -> np.ndarray:
        return death_hazard(p, persons, age) + birth_hazard(p, persons, age) + formation_hazard(p, persons)

    @staticmethod
    def _largest_younger_chance(p: Params, largest_size: int) -> float:
        """The largest of the three demography chances summed, over household types (size x fertile
        head) with heads below the elderly age: that of the largest household with a fertile head, since
        each hazard rises with the household's size and a fertile head adds births."""
        largest = demography_chances(p, np.array([largest_size], dtype=np.float32), np.zeros(1, dtype=np.float32))
        return float(sum(largest)[0])

    def _split_off(self, p: Params, parents: np.ndarray) -> np.ndarray:
        """One-person households formed by members of `parents`, in the same compound and sector;
        returns their rows."""
        copied = {name: getattr(self, name)[parents] for name in
                  ("sector", "income_factor", "compound", "quintile", "vendor", "home_market", "compliance")}
        return self.add(len(parents), persons=1, head_age=p.now("households.formation_head_age"), attached=True,
                        **copied)

    def decide_to_leave(self, p: Params, c: Conditions, rows_rng: np.random.Generator,
                        draws: np.random.Generator) -> dict:
        """Resident households leave with their type's chance. Few leave in most months, so instead of a
        draw for every household, candidates are drawn by thinning (`ColumnStore.sample_rows`) and each
        is kept with its own chance over the bound: the same odds for every household."""
        chance = probability(leave_hazard(p, c, TYPE_SECTOR, TYPE_YOUNG, TYPE_ATTACHED))
        rows, bound = self.sample_rows(rows_rng, chance.max())
        kind = household_type(self.sector[rows], self.head_age[rows] < p.now("migration.young_head_age"),
                              self.attached[rows])
        leaving = rows[self.alive[rows] & ~self.away[rows] & (draws.random(len(rows)) * bound < chance[kind])]
        self.away[leaving] = True
        self.stall_income[leaving] = 0
        self._moves_out(leaving)
        departed = int(self.persons[leaving].sum())
        self.persons_away += departed
        return {"departures": departed, "households_departed": len(leaving)}

    def decide_to_return(self, p: Params, c: Conditions, rows_rng: np.random.Generator,
                         draws: np.random.Generator) -> dict:
        """Those away return home or settle elsewhere for good (competing, one draw each). Few do in a
        month, so the rows are drawn by thinning, as in `decide_to_leave`."""
        returning_chance = probability(return_hazard(p, c, AWAY_ATTACHED, AWAY_TALENT))
        settling_chance = probability(settle_hazard(p))
        rows, bound = self.sample_rows(rows_rng, returning_chance.max() + settling_chance)
        draw = draws.random(len(rows)) * bound
        away = self.alive[rows] & self.away[rows]
        rows, draw = rows[away], draw[away]
        talents = is_talent(p, self.sector[rows], self.head_age[rows], self.income_factor[rows])
        chance = np.take(returning_chance, self.attached[rows] * 2 + talents)
        returning, settling = rows[draw < chance], rows[(draw >= chance) & (draw < chance + settling_chance)]
        returned, settled = int(self.persons[returning].sum()), int(self.persons[settling].sum())
        self.away[returning] = False
        self._moves_in(returning)
        self.remove(settling)
        self.persons_away -= returned + settled
        self.returned_talents = returning[talents[draw < chance]]
        return {"returns": returned, "households_returned": len(returning), "settled_elsewhere": settled}

    def arrive(self, p: Params, c: Conditions, rng: np.random.Generator, home_weights: np.ndarray,
               markets: int) -> dict:
        """Newcomer households, drawn to the county by its attraction (and young talents by the package)."""
        values = draw_arrivals(p, c, rng, self.starting_households, home_weights, markets)
        rows = self.add(len(values["persons"]), **values)
        self.assign_quintiles(rows)
        self._moves_in(rows)
        self.arrived_talents = rows[is_talent(p, self.sector[rows], self.head_age[rows], self.income_factor[rows])]
        return {"newcomers": int(self.persons[rows].sum()), "households_arrived": len(rows)}

    def pay_share(self, p: Params, rng: np.random.Generator, asked: np.ndarray, share: np.ndarray,
                  problems: np.ndarray, income_per_head: np.ndarray) -> np.ndarray:
        """Resident households asked for their renovation share (rows) pay it, unless they already did;
        `share` and `problems` (failing items) are by compound. Returns the payers."""
        rows = asked[~self.paid[asked]]
        home = self.compound[rows]
        burden = share[home] / (self.incomes(income_per_head, rows) * MONTHS_PER_YEAR)
        payers = rows[rng.random(len(rows)) < pay_probability(p, burden, self.attached[rows], problems[home])]
        self.paid[payers] = True
        return payers
