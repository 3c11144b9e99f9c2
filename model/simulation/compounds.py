"""Residential compounds: their items, how the items age and fail, and the renovation lifecycle.

Documented (src000, src002): more than 600 compounds, nearly 400 of them problem compounds with any
of seven problem categories (fire safety, heating, gas, waterproofing and insulation, water and
drainage, roads, EV charging); two tracks, the national old-compound scheme and, from the 2023
survey, a local list for compounds that cannot enter it; residents choose items from a menu (菜单式);
the cost is shared 80% government / 20% residents, the residents' share rounded to the yuan and the
government paying the rest; works only in the construction season (finished by November).

The need goes on: every item of every compound ages from the year it was built or last renewed and
fails with a hazard that rises with its age (a Weibull law with the item's life, registry
`renovation.item_life.*`, assumed). What a renovation renews depends on its track (src004, the
Yimin compound's tiers): residents choose from the menu by tiers, basic (livelihood) items always
("livelihood before upgrading", src001), improvement items often, upgrades more often where they are
richer; the national scheme renews the chosen tiers' items, whether they fail or not, and the local
campaign rectifies the chosen items that fail. Items left unchosen keep failing; items renewed start
ageing again.

Lifecycle: untouched -> listed -> collecting (the residents' share) -> funded -> under works ->
renovated. The government (agents/government.py) lists, selects and admits; this module keeps the
state.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from model.inputs.calendar import MONTHS_PER_YEAR
from model.inputs.params import Params


class Kind(IntEnum):
    """What a compound is at the start; the order is from the cheapest housing to the dearest but one."""

    OLD = 0  # an old compound, built before the national scheme's cut-off
    PROBLEM = 1  # a compound with legacy problems, for the local list
    ESTATE = 2  # a sound, newer estate
    OUTSIDE = 3  # the housing outside any compound (bungalow areas, villages): one row, never renovated


class Track(IntEnum):
    """Which programme renovates a compound (set when it is listed)."""

    NATIONAL = 0  # the national old-compound scheme
    LOCAL = 1  # the local list of the 2023 legacy-problem campaign


class Status(IntEnum):
    """Where a compound is in its renovation lifecycle."""

    UNTOUCHED = 0
    LISTED = 1
    COLLECTING = 2  # collecting the residents' share
    FUNDED = 3  # the residents' money has arrived; waiting for works
    UNDER_WORKS = 4
    RENOVATED = 5


PIPELINE = (Status.LISTED, Status.COLLECTING, Status.FUNDED, Status.UNDER_WORKS)  # listed and not yet done


def names(enum: type[IntEnum]) -> tuple[str, ...]:
    """The members' names as the tables write them ('under_works'), in code order."""
    return tuple(member.name.lower() for member in enum)


ITEMS = ("fire_safety", "heating", "gas", "waterproofing", "water_drainage", "roads", "ev_charging")
# "Livelihood before upgrading" (src001): these items are always renovated where the problem exists; they
# are also the national scheme's basic tier. Waterproofing and roads are its improvement tier, EV charging
# its upgrade tier (src004: basic, improvement and upgrade items).
LIVELIHOOD = np.array([item in ("fire_safety", "heating", "gas", "water_drainage") for item in ITEMS])
IMPROVEMENT = np.array([item in ("waterproofing", "roads") for item in ITEMS])
ITEM_LIFE_KEYS = tuple(f"renovation.item_life.{item}" for item in ITEMS)
UPGRADE = ~(LIVELIHOOD | IMPROVEMENT)

HALF_YUAN = 0.5


def round_yuan(amount):
    """Round to the yuan, halves up (the residents' share is 'rounded to the yuan')."""
    return np.floor(np.asarray(amount, dtype=float) + HALF_YUAN).astype(np.int64)


def failure_chance(p: Params, age: np.ndarray, life_multiplier: np.ndarray, months: float = 1.0) -> np.ndarray:
    """Chance that an item of this age (years; a row per compound, a column per item) fails within `months`:
    the Weibull law with the item's life (times the compound's multiplier), cumulative hazard
    (age / life) ** shape."""
    life = np.array([p.now(key) for key in ITEM_LIFE_KEYS]) * life_multiplier[:, None]
    shape = p.now("renovation.ageing_shape")
    age = np.maximum(age, 0.0)
    later = age + months / MONTHS_PER_YEAR
    return -np.expm1(-((later / life) ** shape - (age / life) ** shape))


def cost_index(p: Params, year: float) -> float:
    """Construction prices in `year` against the year of the item costs (renovation.cost_growth)."""
    return float((1.0 + p.now("renovation.cost_growth")) ** (year - p.now("renovation.cost_reference_year")))


class Compounds:
    """One row per compound; the last row is the housing outside any compound (never renovated)."""

    def __init__(self, kind: np.ndarray, households: np.ndarray, problems: np.ndarray, urgency: np.ndarray,
                 floor_area: np.ndarray, built: np.ndarray):
        n = len(kind)
        self.kind = kind.astype(np.int8)
        self.households_at_start = households.astype(np.int64)
        self.problems = problems.astype(bool)  # items failing now
        self.urgency = urgency.astype(float)
        self.floor_area = floor_area.astype(float)
        self.built = built.astype(float)  # the year each compound was built
        self.renewed = np.repeat(self.built[:, None], len(ITEMS), axis=1)  # year each item was built or renewed
        self.track = np.where(self.kind == Kind.OLD, Track.NATIONAL, Track.LOCAL).astype(np.int8)
        self.in_programme = self.kind != Kind.OUTSIDE
        self.old_or_problem = (self.kind == Kind.OLD) | (self.kind == Kind.PROBLEM)  # the compounds amenity counts
        self.status = np.full(n, Status.UNTOUCHED, dtype=np.int8)
        self.chosen = np.zeros_like(self.problems)
        for name in ("listed", "collecting", "funded", "works", "renovated"):
            setattr(self, f"{name}_month", np.full(n, -1, dtype=np.int32))
        self.idle_since = np.full(n, -1, dtype=np.int32)  # month it last left the pipeline (done, declined, gave up)
        self.waiting_since = np.full(n, -1, dtype=np.int32)  # first listed since its last renovation (-1: not waiting)
        for name in ("cost", "resident_share", "government_share", "cost_total", "resident_total",
                     "government_total", "households_covered", "persons_covered"):
            setattr(self, name, np.zeros(n, dtype=np.int64))
        self.renovations = np.zeros(n, dtype=np.int16)
        self.paid_households = np.zeros(n, dtype=np.int64)  # households that paid in the current collection
        self.works_left = np.zeros(n, dtype=np.int16)
        self.share_per_household = np.zeros(n)

    def __len__(self) -> int:
        return len(self.kind)

    @property
    def has_problems(self) -> np.ndarray:
        return self.problems.any(axis=1) & self.in_programme

    @property
    def in_pipeline(self) -> np.ndarray:
        return np.isin(self.status, PIPELINE)

    def rows(self, status: int, track: int | None = None) -> np.ndarray:
        mask = self.status == status
        if track is not None:
            mask &= self.track == track
        return np.flatnonzero(mask)

    # -- ageing --------------------------------------------------------------------------------
    def age_items(self, p: Params, rng: np.random.Generator, year: float) -> int:
        """A month of ageing: each sound item of each compound may fail. Returns the items that failed.
        One draw per item of every compound, whatever fails, so that runs share their draws."""
        draws = rng.random(self.problems.shape)
        lasting = np.where(self.kind == Kind.ESTATE, p.now("renovation.estate_life_multiplier"), 1.0)
        failing = (draws < failure_chance(p, year - self.renewed, lasting)) & ~self.problems & self.in_programme[:, None]
        self.problems |= failing
        return int(failing.sum())

    def waiting_done(self, p: Params, t: int) -> np.ndarray:
        """Compounds that may be listed again: never in the pipeline, or out of it for the relisting gap."""
        gap = p.now("renovation.relisting_years") * MONTHS_PER_YEAR
        return ((self.status == Status.UNTOUCHED) | (self.status == Status.RENOVATED)) & (
            (self.idle_since < 0) | (t - self.idle_since >= gap))

    # -- the lifecycle ----------------------------------------------------------------------------
    def list_compounds(self, rows: np.ndarray, t: int, track: int, rng: np.random.Generator) -> None:
        """Listed on a track, most failing items first; ties by how sharp the conflicts are."""
        if len(rows) == 0:  # most months: nothing new to list
            return
        self.status[rows] = Status.LISTED
        self.track[rows] = track
        self.listed_month[rows] = t
        self.waiting_since[rows] = np.where(self.waiting_since[rows] < 0, t, self.waiting_since[rows])
        self.urgency[rows] = self.problems[rows].sum(axis=1) + rng.random(len(rows))

    def start_collecting(self, p: Params, rng: np.random.Generator, rows: np.ndarray, t: int, year: float,
                         relative_income: np.ndarray, resident_households: np.ndarray) -> np.ndarray:
        """Residents choose items from the menu; the cost and the residents' share follow. Returns the rows
        that start collecting; a compound whose residents choose nothing goes back to wait."""
        richer = np.clip(relative_income[rows], 0, 1)[:, None]
        draws = rng.random((len(rows), 2, len(ITEMS)))
        menu = (LIVELIHOOD | (IMPROVEMENT & (draws[:, 0] < p.now("renovation.improvement_uptake")))
                | (UPGRADE & (draws[:, 1] < p.now("renovation.upgrade_uptake") * richer)))
        national = (self.track[rows] == Track.NATIONAL)[:, None]
        chosen = np.where(national, menu, menu & self.problems[rows])  # tiers renewed, or failing items rectified
        declined = ~chosen.any(axis=1)
        self.status[rows[declined]] = Status.UNTOUCHED
        self.idle_since[rows[declined]] = t
        rows, chosen = rows[~declined], chosen[~declined]
        self.chosen[rows] = chosen
        unit_costs = np.array([p.now(f"renovation.item_cost.{item}") for item in ITEMS]) * cost_index(p, year)
        self.cost[rows] = round_yuan(self.floor_area[rows] * (chosen @ unit_costs))
        self.resident_share[rows] = round_yuan(self.cost[rows] * p.now("renovation.resident_share"))
        self.government_share[rows] = self.cost[rows] - self.resident_share[rows]
        self.share_per_household[rows] = self.resident_share[rows] / np.maximum(resident_households[rows], 1)
        self.paid_households[rows] = 0
        self.status[rows] = Status.COLLECTING
        self.collecting_month[rows] = t
        return rows

    def give_up(self, rows: np.ndarray, t: int) -> None:
        """Compounds whose residents did not raise their share within the plan's year give up their place
        (the money raised is returned) and wait to be listed again; their wait goes on."""
        self.status[rows] = Status.UNTOUCHED
        self.idle_since[rows] = t
        self.paid_households[rows] = 0

    def fund(self, rows: np.ndarray, t: int) -> int:
        """The residents' money has arrived; returns the residents' contributions booked (yuan)."""
        self.status[rows] = Status.FUNDED
        self.funded_month[rows] = t
        return int(self.resident_share[rows].sum())

    def start_works(self, row: int, t: int, works_months: int) -> int:
        """Works begin; returns the government's share paid (yuan)."""
        self.status[row] = Status.UNDER_WORKS
        self.works_month[row] = t
        self.works_left[row] = works_months
        return int(self.government_share[row])

    def progress_works(self, p: Params, rng: np.random.Generator, t: int, year: float, backlog_months: float,
                       households: np.ndarray, persons: np.ndarray) -> np.ndarray:
        """A month of works on each site, unless disputes stop it; returns the compounds completed. The
        chosen items are renewed; failing items left unchosen still fail."""
        rows = self.rows(Status.UNDER_WORKS)
        progress = rng.random(len(rows)) < 1.0 / (1.0 + p.now("disputes.works_delay_effect") * backlog_months)
        self.works_left[rows] -= progress.astype(np.int16)
        done = rows[self.works_left[rows] <= 0]
        self.status[done] = Status.RENOVATED
        self.renovated_month[done] = t
        self.idle_since[done] = t
        self.waiting_since[done] = -1
        self.renovations[done] += 1
        renewed = self.chosen[done]
        self.problems[done] &= ~renewed
        self.renewed[done] = np.where(renewed, year, self.renewed[done])
        for total, part in (("cost_total", "cost"), ("resident_total", "resident_share"),
                            ("government_total", "government_share")):
            getattr(self, total)[done] += getattr(self, part)[done]
        self.households_covered[done] += households[done]
        self.persons_covered[done] += persons[done]
        return done
