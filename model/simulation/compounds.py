"""Residential compounds and their renovation lifecycle.

Documented (src000, src002): more than 600 compounds, nearly 400 of them problem compounds with any
of seven problem categories (fire safety, heating, gas, waterproofing and insulation, water and
drainage, roads, EV charging); two tracks, the national old-compound scheme and, from the 2023
survey, a local list for compounds that cannot enter it; residents choose items from a menu (菜单式);
the cost is shared 80% government / 20% residents, the residents' share rounded to the yuan and the
government paying the rest; works only in the construction season (finished by November).

Lifecycle: untouched -> listed -> collecting (the residents' share) -> funded -> under works ->
renovated. The government (government.py) lists, selects and admits; this module keeps the state.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from model.inputs.params import Params, monthly_hazard, probability


class Kind(IntEnum):
    """What a compound is at the start; the order is from the cheapest housing to the dearest but one."""

    OLD = 0  # an old compound the national scheme can take
    PROBLEM = 1  # a compound with legacy problems, for the local list
    ESTATE = 2  # a sound, newer estate
    OUTSIDE = 3  # the housing outside any compound (bungalow areas, villages): one row, never renovated


class Track(IntEnum):
    """Which programme renovates a compound."""

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


def names(enum: type[IntEnum]) -> tuple[str, ...]:
    """The members' names as the tables write them ('under_works'), in code order."""
    return tuple(member.name.lower() for member in enum)

ITEMS = ("fire_safety", "heating", "gas", "waterproofing", "water_drainage", "roads", "ev_charging")
# "Livelihood before upgrading" (src001): these items are always renovated where the problem exists;
# the others are chosen by residents from the menu.
LIVELIHOOD = np.array([item in ("fire_safety", "heating", "gas", "water_drainage") for item in ITEMS])


HALF_YUAN = 0.5


def round_yuan(amount):
    """Round to the yuan, halves up (the residents' share is 'rounded to the yuan')."""
    return np.floor(np.asarray(amount, dtype=float) + HALF_YUAN).astype(np.int64)


class Compounds:
    """One row per compound; the last row is the housing outside any compound (never renovated)."""

    def __init__(self, kind: np.ndarray, households: np.ndarray, problems: np.ndarray, urgency: np.ndarray,
                 floor_area: np.ndarray):
        n = len(kind)
        self.kind = kind.astype(np.int8)
        self.households_at_start = households.astype(np.int64)
        self.problems = problems.astype(bool)
        self.urgency = urgency.astype(float)
        self.floor_area = floor_area.astype(float)
        self.track = np.where(self.kind == Kind.OLD, Track.NATIONAL, Track.LOCAL).astype(np.int8)
        self.in_programme = self.kind != Kind.OUTSIDE
        self.old_or_problem = (self.kind == Kind.OLD) | (self.kind == Kind.PROBLEM)  # the compounds amenity counts
        self.status = np.full(n, Status.UNTOUCHED, dtype=np.int8)
        self.chosen = np.zeros_like(self.problems)
        for name in ("listed", "collecting", "funded", "works", "renovated"):
            setattr(self, f"{name}_month", np.full(n, -1, dtype=np.int32))
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

    def rows(self, status: int, track: int | None = None) -> np.ndarray:
        mask = self.status == status
        if track is not None:
            mask &= self.track == track
        return np.flatnonzero(mask)

    # -- the lifecycle ----------------------------------------------------------------------------
    def list_compounds(self, rows: np.ndarray, t: int) -> None:
        self.status[rows] = Status.LISTED
        self.listed_month[rows] = t

    def start_collecting(self, p: Params, rng: np.random.Generator, rows: np.ndarray, t: int,
                         relative_income: np.ndarray, resident_households: np.ndarray) -> None:
        """Residents choose items from the menu; the cost and the residents' share follow."""
        optional = rng.random((len(rows), len(ITEMS))) < (p.now("renovation.upgrade_uptake")
                                                          * np.clip(relative_income[rows], 0, 1))[:, None]
        self.chosen[rows] = self.problems[rows] & (LIVELIHOOD | optional)
        unit_costs = np.array([p.now(f"renovation.item_cost.{item}") for item in ITEMS])
        self.cost[rows] = round_yuan(self.floor_area[rows] * (self.chosen[rows] @ unit_costs))
        self.resident_share[rows] = round_yuan(self.cost[rows] * p.now("renovation.resident_share"))
        self.government_share[rows] = self.cost[rows] - self.resident_share[rows]
        self.share_per_household[rows] = self.resident_share[rows] / np.maximum(resident_households[rows], 1)
        self.paid_households[rows] = 0
        self.status[rows] = Status.COLLECTING
        self.collecting_month[rows] = t

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

    def progress_works(self, p: Params, rng: np.random.Generator, t: int, backlog_months: float,
                       households: np.ndarray, persons: np.ndarray) -> np.ndarray:
        """A month of works on each site, unless disputes stop it; returns the compounds completed."""
        rows = self.rows(Status.UNDER_WORKS)
        progress = rng.random(len(rows)) < 1.0 / (1.0 + p.now("disputes.works_delay_effect") * backlog_months)
        self.works_left[rows] -= progress.astype(np.int16)
        done = rows[self.works_left[rows] <= 0]
        self.status[done] = Status.RENOVATED
        self.renovated_month[done] = t
        self.renovations[done] += 1
        self.problems[done] = False
        for total, part in (("cost_total", "cost"), ("resident_total", "resident_share"),
                            ("government_total", "government_share")):
            getattr(self, total)[done] += getattr(self, part)[done]
        self.households_covered[done] += households[done]
        self.persons_covered[done] += persons[done]
        return done

    def develop_problems(self, p: Params, rng: np.random.Generator) -> int:
        """Sound or renovated compounds age and develop a new problem; they return to the local track."""
        sound = np.flatnonzero(self.in_programme & ~self.problems.any(axis=1)
                               & ((self.status == Status.UNTOUCHED) | (self.status == Status.RENOVATED)))
        hit = sound[rng.random(len(sound)) < probability(monthly_hazard(p.now("renovation.new_problem_rate")))]
        self.problems[hit, rng.integers(0, len(ITEMS), size=len(hit))] = True
        self.status[hit] = Status.UNTOUCHED
        self.track[hit] = Track.LOCAL
        self.urgency[hit] = self.problems[hit].sum(axis=1) + rng.random(len(hit))
        return len(hit)
