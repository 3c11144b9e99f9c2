"""The shortcuts that make the vectorised step fast keep the model's odds and its books.

Households are examined by thinning (only the rows a draw with the largest chance would pick) and
the residents and their income are counted in a register kept as they move instead of a monthly
recount. Here the expected number of events (the sum of every household's own chance, by the rule functions) is
compared with the mean over many draws (z-scores within 4), and the register with a full recount.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from model.inputs.params import Params, probability
from model.inputs.scenario import resolve
from model.simulation.agents.households import (QUINTILES, TYPE_ATTACHED, TYPE_SECTOR, TYPE_YOUNG, Households,
                              demography_chances, household_type, leave_hazard)
from model.simulation.columns import ColumnStore
from model.simulation.model import RenewalModel
from model.simulation.streams import weighted_choice

DRAWS = 400


@pytest.fixture(scope="module")
def county_in_the_crash():
    """A small county in 2015, when many leave, after 18 months of its history."""
    model = RenewalModel(Params(resolve("baseline", scale=0.05)), 11)
    for _ in range(18):
        model.step()
    return model


def z(observed: list[int], expected: float, variance: float) -> float:
    return (np.mean(observed) - expected) / np.sqrt(variance / len(observed))


def test_sample_rows_picks_every_row_with_the_bound_it_reports():
    store = ColumnStore(10_000)
    store.add(10_000)
    rng = np.random.default_rng(1)
    picked = np.zeros(10_000)
    for _ in range(DRAWS):
        rows, bound = store.sample_rows(rng, 0.05)
        assert bound == 1 / 16  # 0.05 rounded up to a power of two
        assert len(np.unique(rows)) == len(rows) and rows.max() < 10_000
        picked[rows] += 1
    assert abs(z(picked / DRAWS, bound, bound * (1 - bound) / DRAWS)) < 4  # each row's frequency, on average
    assert picked.std() / DRAWS == pytest.approx(np.sqrt(bound * (1 - bound) / DRAWS), rel=0.1)  # and its spread


def test_nearby_chances_examine_the_same_rows_with_the_same_draws():
    """Common random numbers: a slightly larger chance keeps every event of the smaller one."""
    store = ColumnStore(50_000)
    store.add(50_000)
    kept = {}
    for chance in (0.040, 0.045):
        rows, bound = store.sample_rows(np.random.default_rng([7, 3]), chance)
        kept[chance] = set(rows[np.random.default_rng([7, 4]).random(len(rows)) * bound < chance])
    assert kept[0.040] < kept[0.045]
    assert len(kept[0.045]) == pytest.approx(0.045 * 50_000, rel=0.05)


def test_households_leave_with_their_own_chances(county_in_the_crash):
    model = county_in_the_crash
    h, p, conditions = model.households, model.p, model.observe_county()
    rows = np.flatnonzero(h.resident)
    kind = household_type(h.sector[rows], h.head_age[rows] < p.now("migration.young_head_age"), h.attached[rows])
    chance = probability(leave_hazard(p, conditions, TYPE_SECTOR, TYPE_YOUNG, TYPE_ATTACHED))[kind]
    left = [copy.deepcopy(h).decide_to_leave(p, conditions, *np.random.default_rng(s).spawn(2))["households_departed"]
            for s in range(DRAWS)]
    assert chance.sum() > 50
    assert abs(z(left, chance.sum(), (chance * (1 - chance)).sum())) < 4


def test_households_die_give_birth_and_split_with_their_own_chances(county_in_the_crash):
    h, p = county_in_the_crash.households, county_in_the_crash.p
    rows = np.flatnonzero(h.resident)
    age_next_month = h.head_age[rows] + np.float32(1 / 12)
    chances = demography_chances(p, h.persons[rows].astype(float), age_next_month.astype(float))
    outcomes = [copy.deepcopy(h).age_and_reproduce(p, *np.random.default_rng(s).spawn(3)) for s in range(DRAWS)]
    for name, chance in zip(("deaths", "births", "households_formed"), chances):
        assert chance.sum() > 5, name
        assert abs(z([o[name] for o in outcomes], chance.sum(), (chance * (1 - chance)).sum())) < 4, name


def test_the_thinning_bound_of_demography_covers_every_younger_household(county_in_the_crash):
    p = county_in_the_crash.p
    sizes, ages = np.meshgrid(np.arange(9, dtype=np.float32),
                              np.linspace(0, p.now("households.elderly_head_age") - 0.1, 60, dtype=np.float32))
    chances = sum(demography_chances(p, sizes.ravel(), ages.ravel()))
    assert Households._largest_younger_chance(p, 8) == pytest.approx(chances.max(), rel=1e-6)


def test_register_of_residents_persons_away_and_their_income_match_a_recount_every_month():
    model = RenewalModel(Params(resolve("baseline", scale=0.01)), 5)
    h = model.households
    for _ in range(len(model.p.months)):
        model.step()
        rows = np.flatnonzero(h.resident)
        homes = h.compound[rows] * QUINTILES + h.quintile[rows]
        assert (np.bincount(homes, minlength=h.home_households.size) == h.home_households).all()
        assert (np.bincount(homes, weights=h.persons[rows], minlength=h.home_persons.size) == h.home_persons).all()
        assert h.persons_away == h.column("persons")[h.live & h.column("away")].sum()
        per_head = np.array([70_000.0, 55_000.0, 40_000.0])  # yuan a year per person, by job sector
        assert h.resident_income(per_head) == pytest.approx(h.incomes(per_head, rows).astype(float).sum(), rel=1e-6)
    assert model.census.persons.sum() == h.column("persons")[h.resident].sum() > 0
    assert h.stall_income[h.stall_holders].sum() > 0  # stall markets ran, and their income was counted


def test_weighted_choice_draws_in_proportion_and_never_a_zero_weight():
    """Newcomers' job sectors and homes are drawn by a binary search in cumulative weights."""
    weights = np.array([0.2, 0.0, 0.5, 0.3, 0.0])
    drawn = weighted_choice(np.random.default_rng(3), weights, 100_000)
    counts = np.bincount(drawn, minlength=len(weights))
    assert counts[1] == counts[4] == 0
    assert counts / counts.sum() == pytest.approx(weights, abs=0.01)
