"""The vectorised decision step against the per-object Mesa reference (benchmarks/reference.py).

Both start from 5,000-household counties (one per replicate seed) and run the households' and
businesses' decisions through 2014-2015, the crash years when many leave and businesses close,
with the talent policy and street-block investment switched on from the start so that every path
is taken: the reference 8 times, the cheap vectorised step 64 times (the first 8 from the same
counties). Monthly measures are summed by year (flows) or taken at its end (stocks). The null
hypothesis is that both implement the same model, so every measure has the same distribution in
both; the vectorised replicates give its spread. For each (measure, year), two-sided z-test of the
difference of the means, z = diff / (sd_vectorised * sqrt(1/8 + 1/64)); the 38 comparisons are
held at a family-wise false-alarm rate of 1% with Holm's step-down correction.

The comparison can fail: eight runs of a step whose leaving rule differs (ageing parents no longer
hold households back, or a base leaving rate 15% higher) are flagged on their departures. Its power
is that of 8 reference runs of a small county: rarer events need larger changes to be caught (a
14% higher birth rate or 25% more business closures for other reasons pass unnoticed).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from benchmarks.reference import DECISION_FLOWS, DECISION_STOCKS, run_decisions, scale_for
from model.inputs.scenario import resolve
from model.results.run import replicate_seeds

HOUSEHOLDS = 5_000
REFERENCE_REPLICATES, VECTORISED_REPLICATES = 8, 64
FAMILY_ALPHA = 0.01
SCENARIO = {"extends": "baseline", "end": "2015-12", "policy_start": "2014-01",
            "levers": {"talent.housing_units": 5000, "street_blocks.investment": 1_000_000_000}}
SEEDS = replicate_seeds(2014, VECTORISED_REPLICATES)


def by_year(monthly: pd.DataFrame) -> pd.Series:
    """Flows summed over each year, stocks at its end: one value per (measure, year)."""
    year = monthly["month"].str[:4]
    flows = monthly.groupby(year)[list(DECISION_FLOWS)].sum()
    stocks = monthly.groupby(year)[list(DECISION_STOCKS)].last()
    return flows.join(stocks).T.stack()


def differences(reference: list[pd.DataFrame], vectorised: list[pd.DataFrame], alpha: float = FAMILY_ALPHA) -> dict:
    """The (measure, year) comparisons that differ, with their p-values (z-test, Holm at alpha)."""
    a = pd.concat([by_year(m) for m in reference], axis=1)
    b = pd.concat([by_year(m) for m in vectorised], axis=1)
    diff = (a.mean(axis=1) - b.mean(axis=1)).to_numpy()
    se = b.std(axis=1).to_numpy() * np.sqrt(1 / a.shape[1] + 1 / b.shape[1])
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(se > 0, 2 * stats.norm.sf(np.abs(diff) / se), np.where(diff == 0, 1.0, 0.0))
    flagged = {}
    for rank, i in enumerate(np.argsort(p)):  # Holm: step down while p <= alpha / (m - rank)
        if p[i] > alpha / (len(p) - rank):
            break
        flagged[a.index[i]] = p[i]
    return flagged


def runs(scenario, replicates: int, per_object: bool = False) -> list[pd.DataFrame]:
    return [run_decisions(scenario, seed, per_object) for seed in SEEDS[:replicates]]


@pytest.fixture(scope="module")
def scenario():
    return resolve(SCENARIO, scale=scale_for(HOUSEHOLDS))


@pytest.fixture(scope="module")
def vectorised(scenario):
    return runs(scenario, VECTORISED_REPLICATES)


def test_vectorised_step_agrees_with_the_per_object_reference(scenario, vectorised):
    reference = runs(scenario, REFERENCE_REPLICATES, per_object=True)  # the slow part: about 5 s a run
    assert 4_900 <= reference[0]["households"].iloc[0] <= 5_100
    taken = pd.concat(reference)[list(DECISION_FLOWS)].sum()
    assert (taken > 0).all(), taken[taken == 0]  # every decision happens
    assert differences(reference, vectorised) == {}


@pytest.mark.parametrize("changed_rule", [{"migration.attached_stay_multiplier": 1.0},
                                          {"migration.base_leave_rate": 0.025 * 1.15}])
def test_the_comparison_flags_a_step_with_a_changed_leaving_rule(vectorised, changed_rule):
    """As many runs as the reference gets, of a step whose leaving rule differs (ageing parents no
    longer hold households back; a base leaving rate 15% higher)."""
    changed = resolve({**SCENARIO, "uncertainties": changed_rule}, scale=scale_for(HOUSEHOLDS))
    flagged = differences(runs(changed, REFERENCE_REPLICATES), vectorised)
    assert {("departures", "2014"), ("departures", "2015"), ("households_departed", "2015")} <= set(flagged)


def test_the_reference_is_deterministic():
    short = resolve({**SCENARIO, "end": "2014-03"}, scale=0.005)
    assert run_decisions(short, 3, per_object=True).equals(run_decisions(short, 3, per_object=True))
