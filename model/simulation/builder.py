"""The synthetic starting county (2014-01), generated from a seed.

Built from documented figures where they exist: 654,000 people (the 2014 peak), 630 compounds of
which 380 problem compounds (600余 and 近400 by the hedge convention), small compounds of about 97
households like the 2023 national-scheme projects, 105 m2 per household. Everything else is an
assumed stock with a range: household sizes, heads' ages, jobs and incomes; 150 old compounds; the
years each kind of compound was built; the
share of households living outside compounds (bungalow areas, villages); the size of the large
newer estates (they house the rest of the compound population); the 2014 business stock.
Poorer households live, on average, in older housing (outside compounds, then old compounds, then
problem compounds, then the newer estates), with assumed noise.
"""

from __future__ import annotations

import math

import numpy as np

from model.inputs.params import Params
from model.simulation.agents.businesses import SECTORS, Businesses, draw_businesses, sector_shares
from model.simulation.agents.households import QUINTILES, Households, draw_households
from model.simulation.compounds import ITEMS, Compounds, Kind

HOUSING_ORDER = (Kind.OUTSIDE, Kind.OLD, Kind.PROBLEM, Kind.ESTATE)  # cheapest housing first: the poorest live there


def build_households(p: Params, rng: np.random.Generator, markets: int) -> Households:
    """Households until their members add up to the documented starting population exactly."""
    target = p.count("county.initial_population")
    mean_size = p.first("county.mean_household_size")
    chunks, total = [], 0
    while total < target:
        chunk = draw_households(p, rng, max(math.ceil((target - total) / mean_size), 1),
                                p.first("county.head_age_mean"), markets)
        chunks.append(chunk)
        total += int(chunk["persons"].sum())
    values = {name: np.concatenate([c[name] for c in chunks]) for name in chunks[0]}
    cumulative = np.cumsum(values["persons"])
    count = int(np.searchsorted(cumulative, target) + 1)
    values = {name: column[:count] for name, column in values.items()}
    values["persons"][-1] -= cumulative[count - 1] - target
    households = Households(capacity=count + count // 2)
    rows = households.add(count, **values)
    households.starting_households = count
    households.quintile_edges = np.quantile(households.income_factor[rows], np.arange(1, QUINTILES) / QUINTILES)
    households.assign_quintiles(rows)
    return households


def _sizes(rng: np.random.Generator, count: int, median: float, sigma: float) -> np.ndarray:
    return np.maximum(np.round(rng.lognormal(np.log(median), sigma, size=count)), 1).astype(np.int64)


def _share_out(total: int, weights: np.ndarray) -> np.ndarray:
    """Whole numbers proportional to weights that add up to total exactly."""
    if len(weights) == 0:
        return np.zeros(0, dtype=np.int64)
    exact = total * weights / weights.sum()
    sizes = np.floor(exact).astype(np.int64)
    sizes[np.argsort(sizes - exact, kind="stable")[: total - sizes.sum()]] += 1
    return sizes


def build_years(p: Params, rng: np.random.Generator, kind: np.ndarray) -> np.ndarray:
    """When each compound was built: evenly within its kind's years (the county's, registry
    `county.<kind>_built_from/to`); the housing outside compounds never ages into the programme."""
    built = np.zeros(len(kind))
    for k, name in ((Kind.OLD, "old"), (Kind.PROBLEM, "problem"), (Kind.ESTATE, "estate")):
        rows = kind == k
        built[rows] = rng.uniform(p.first(f"county.{name}_built_from"), p.first(f"county.{name}_built_to") + 1,
                                  size=int(rows.sum()))
    return np.floor(built)


def build_compounds(p: Params, rng: np.random.Generator, households: Households,
                    years_rng: np.random.Generator) -> Compounds:
    """Compounds of the documented counts and stated sizes and build years; every household gets a home."""
    old, problem = p.count("county.old_compounds"), p.count("county.problem_compounds")
    estates = max(p.count("county.compounds_total") - old - problem, 0)
    kind = np.array([Kind.OLD] * old + [Kind.PROBLEM] * problem + [Kind.ESTATE] * estates + [Kind.OUTSIDE], dtype=np.int8)
    n_households = households.size
    in_compounds = int(round(p.first("county.compound_housing_share") * n_households))
    sigma = p.first("county.compound_size_dispersion")
    small = _sizes(rng, old + problem, p.first("county.small_compound_households"), sigma)
    if small.sum() > in_compounds:
        small = _share_out(in_compounds, small.astype(float))
    large = _share_out(in_compounds - int(small.sum()), rng.lognormal(0.0, sigma, size=estates))
    if estates == 0:
        small = _share_out(in_compounds, small.astype(float))
    sizes = np.concatenate([small, large, [n_households - in_compounds]])

    # Households sorted by income (with noise) fill housing from the cheapest kind to the dearest.
    key = np.log(households.income_factor[:n_households]) + rng.normal(0, p.first("county.income_sorting_noise"), n_households)
    slot_order = np.concatenate([rng.permutation(np.flatnonzero(kind == k)) for k in HOUSING_ORDER])
    households.compound[np.argsort(key, kind="stable")] = np.repeat(slot_order, sizes[slot_order])

    problems = np.zeros((len(kind), len(ITEMS)), dtype=bool)
    problems[kind == Kind.OLD] = True  # old compounds get the full national-scheme renovation
    drawn = rng.random(((kind == Kind.PROBLEM).sum(), len(ITEMS))) < p.first("county.problem_prevalence")
    none = ~drawn.any(axis=1)
    drawn[np.flatnonzero(none), rng.integers(0, len(ITEMS), size=none.sum())] = True
    problems[kind == Kind.PROBLEM] = drawn
    urgency = problems.sum(axis=1) + rng.random(len(kind))  # more problems first; ties by how sharp the conflicts are
    area = sizes * p.first("county.floor_area_per_household")
    households.open_register(len(kind))
    return Compounds(kind, sizes, problems, urgency, area, build_years(p, years_rng, kind))


def build_businesses(p: Params, rng: np.random.Generator) -> Businesses:
    count = p.count("county.initial_businesses")
    sector = rng.choice(len(SECTORS), size=count, p=sector_shares(p, "businesses.sector_share", range(len(SECTORS))))
    businesses = Businesses(capacity=count * 2)
    businesses.add(count, **draw_businesses(p, rng, sector.astype(np.int8), p.first("county.initial_enterprise_share")))
    return businesses
