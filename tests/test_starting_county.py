"""The synthetic starting county matches the aggregates it claims (README "The starting county")."""

from __future__ import annotations

import numpy as np
import pytest

from model.inputs.params import Params
from model.inputs.scenario import resolve
from model.simulation.agents.businesses import SECTORS
from model.simulation.agents.households import COAL, FLEXIBLE, QUINTILES
from model.simulation.builder import build_businesses, build_compounds, build_households
from model.simulation.compounds import Kind

SCALE = 0.2


@pytest.fixture(scope="module")
def county():
    p = Params(resolve("baseline", scale=SCALE))
    rng = np.random.default_rng(11)
    households = build_households(p, rng, markets=2)
    compounds = build_compounds(p, rng, households, np.random.default_rng(12))
    businesses = build_businesses(p, rng)
    return p, households, compounds, businesses


def test_population_equals_the_documented_2014_peak_exactly(county):
    p, households, _, _ = county
    assert households.population() == round(654_000 * SCALE)


def test_household_sizes_follow_the_assumed_mean_and_spread(county):
    p, households, _, _ = county
    persons = households.column("persons")
    assert persons.mean() == pytest.approx(p.first("county.mean_household_size"), abs=0.03)
    # 1 + Poisson(mean - 1): the share of one-person households is exp(-(mean - 1))
    assert (persons == 1).mean() == pytest.approx(np.exp(-(p.first("county.mean_household_size") - 1)), abs=0.01)


def test_job_sectors_and_ties_follow_the_assumed_shares(county):
    p, households, _, _ = county
    sector = households.column("sector")
    assert (sector == COAL).mean() == pytest.approx(p.first("county.coal_sector_share"), abs=0.01)
    assert (sector == FLEXIBLE).mean() == pytest.approx(p.first("county.flexible_sector_share"), abs=0.01)
    assert households.column("attached").mean() == pytest.approx(p.first("county.attached_share"), abs=0.01)


def test_income_quintiles_are_fifths_and_income_factor_has_mean_one(county):
    _, households, _, _ = county
    shares = np.bincount(households.column("quintile"), minlength=QUINTILES) / households.size
    assert shares == pytest.approx(np.full(QUINTILES, 1 / QUINTILES), abs=0.005)
    assert households.column("income_factor").mean() == pytest.approx(1.0, abs=0.02)


def test_compound_counts_match_the_documented_stock(county):
    p, _, compounds, _ = county
    kinds = np.bincount(compounds.kind, minlength=4)
    assert kinds[Kind.OLD] + kinds[Kind.PROBLEM] + kinds[Kind.ESTATE] == round(630 * SCALE)
    assert kinds[Kind.PROBLEM] == round(380 * SCALE)
    assert kinds[Kind.OLD] == round(p.first("county.old_compounds"))
    assert kinds[Kind.OUTSIDE] == 1


def test_small_compounds_are_the_size_of_the_2023_national_projects(county):
    _, _, compounds, _ = county
    small = np.isin(compounds.kind, (Kind.OLD, Kind.PROBLEM))
    assert np.median(compounds.households_at_start[small]) == pytest.approx(97, rel=0.12)
    assert compounds.households_at_start[compounds.kind == Kind.ESTATE].mean() > 5 * compounds.households_at_start[small].mean()


def test_everyone_has_a_home_and_the_assumed_share_lives_in_compounds(county):
    p, households, compounds, _ = county
    assert compounds.households_at_start.sum() == households.size
    assert np.bincount(households.column("compound"), minlength=len(compounds)) == pytest.approx(compounds.households_at_start)
    outside = compounds.households_at_start[compounds.kind == Kind.OUTSIDE].sum() / households.size
    assert outside == pytest.approx(1 - p.first("county.compound_housing_share"), abs=0.001)


def test_poorer_households_live_in_older_housing(county):
    _, households, compounds, _ = county
    income = households.column("income_factor")
    kind = compounds.kind[households.column("compound")]
    means = [income[kind == k].mean() for k in (Kind.OUTSIDE, Kind.OLD, Kind.PROBLEM, Kind.ESTATE)]
    assert means == sorted(means)
    assert means[-1] > 1.5 * means[0]


def test_old_compounds_need_the_full_renovation_and_problem_compounds_at_least_one_item(county):
    _, _, compounds, _ = county
    assert compounds.problems[compounds.kind == Kind.OLD].all()
    assert compounds.problems[compounds.kind == Kind.PROBLEM].any(axis=1).all()
    assert not compounds.problems[np.isin(compounds.kind, (Kind.ESTATE, Kind.OUTSIDE))].any()
    assert compounds.floor_area[compounds.kind == Kind.OLD] == pytest.approx(compounds.households_at_start[compounds.kind == Kind.OLD] * 105.2)


def test_businesses_match_the_assumed_2014_stock_and_shares(county):
    p, _, _, businesses = county
    assert businesses.live.sum() == round(p.first("county.initial_businesses"))
    assert businesses.column("enterprise").mean() == pytest.approx(p.first("county.initial_enterprise_share"), abs=0.01)
    shares = np.array([p.first(f"businesses.sector_share.{s}") for s in SECTORS])
    observed = np.bincount(businesses.column("sector"), minlength=len(SECTORS)) / businesses.size
    assert observed == pytest.approx(shares / shares.sum(), abs=0.01)


def test_build_years_fall_in_each_kinds_years_and_problem_compounds_miss_the_national_cut_off(county):
    p, _, compounds, _ = county
    for kind, name in ((Kind.OLD, "old"), (Kind.PROBLEM, "problem"), (Kind.ESTATE, "estate")):
        built = compounds.built[compounds.kind == kind]
        assert built.min() >= p.first(f"county.{name}_built_from") and built.max() <= p.first(f"county.{name}_built_to")
    cut_off = p.first("renovation.national_cutoff_year")
    assert (compounds.built[compounds.kind == Kind.OLD] <= cut_off).all()
    assert (compounds.built[compounds.kind == Kind.PROBLEM] > cut_off).all()
