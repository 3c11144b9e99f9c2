"""The levers act: paired replicates (the same seeds) of a setting and the baseline, at two base seeds so
that no seed is tuned, show each direction a planner relies on, with a 5-95% band that excludes zero."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import model
from model.results.outcomes import BY_OUTCOME, Outcome, outcome_table, what_if_period

SCALE = 0.1  # about 63 compounds and 65,000 people: small, and enough compounds for a pipeline
REPLICATES = 8
SEEDS = (11, 12)
MEAN_BACKLOG = Outcome("mean_backlog", "disputes_backlog", "mean", "count", "lower", "平均积压", "Mean backlog")


def paired(setting: dict, outcome: Outcome, seed: int) -> pd.Series:
    """The setting's paired differences from the baseline (what-if minus baseline, one per replicate)."""
    scenario = {"extends": "baseline", **setting}
    what_if = model.run(scenario, scale=SCALE, seed=seed, replicates=REPLICATES)
    base = model.run({"extends": "baseline", "policy_start": what_if.manifest["policy_start"]}, scale=SCALE, seed=seed,
                     replicates=REPLICATES)
    period = what_if_period(what_if.manifest)
    return (outcome_table(what_if.monthly, period, (outcome,))[outcome.name]
            - outcome_table(base.monthly, period, (outcome,))[outcome.name])


def assert_direction(differences: pd.Series, sign: int) -> None:
    low, median, high = np.quantile(differences, [0.05, 0.5, 0.95])
    assert np.sign(median) == sign, (low, median, high)
    assert (low > 0) if sign > 0 else (high < 0), f"the 5-95% band ({low}, {high}) does not exclude zero"


DIRECTIONS = [
    ("a higher resident share: fewer completions", {"levers": {"renovation.resident_share": 0.3}},
     "renovations_completed", -1),
    ("a higher resident share: the poorest fifth waits longer", {"levers": {"renovation.resident_share": 0.3}},
     "waiting_poorest", +1),
    ("a larger plan: more completions", {"levers": {"renovation.local_plan_ongoing": 60}}, "renovations_completed", +1),
    # The documented rule: the local list is for compounds the national scheme cannot take, so a later cut-off
    # without more national places moves compounds from the local list into a national queue that is full.
    ("a later national cut-off without more national places: fewer completions",
     {"levers": {"renovation.national_cutoff_year": 2012}}, "renovations_completed", -1),
    ("no budget: fewer completions", {"levers": {"renovation.budget": 0}}, "renovations_completed", -1),
    ("more stalls: a lower occupancy", {"levers": {"stalls.supply": 1680}}, "stall_occupancy_end", -1),
    ("talent housing: more returns", {"levers": {"talent.housing_units": 1000}}, "returns", +1),
    ("a second coal shock: fewer people", {"uncertainties": {"economy.second_shock_depth": 0.25,
                                                             "economy.second_shock_start": "2027-01"}},
     "population_end", -1),
]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("what, setting, outcome, sign", DIRECTIONS, ids=[d[0] for d in DIRECTIONS])
def test_a_lever_moves_what_it_should(what, setting, outcome, sign, seed):
    assert_direction(paired(setting, BY_OUTCOME[outcome], seed), sign)


@pytest.mark.parametrize("seed", SEEDS)
def test_more_dispute_capacity_means_a_smaller_backlog(seed):
    assert_direction(paired({"levers": {"disputes.capacity": 7400}}, MEAN_BACKLOG, seed), -1)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_larger_budget_means_more_completions_when_the_budget_binds(seed):
    tight = {"levers": {"renovation.budget": 3.0e7, "renovation.local_plan_ongoing": 60}}
    looser = {"levers": {"renovation.budget": 2.0e8, "renovation.local_plan_ongoing": 60}}
    outcome = BY_OUTCOME["renovations_completed"]
    assert_direction(paired(looser, outcome, seed) - paired(tight, outcome, seed), +1)


def test_disputes_resolved_differ_between_years():
    monthly = model.run("baseline", scale=0.25, seed=3).monthly
    resolved = monthly.assign(year=monthly["month"].str[:4]).groupby("year")["disputes_resolved"].sum()
    assert resolved.loc["2023":].nunique() >= 5, resolved.loc["2023":].tolist()
