"""Outcomes agree across scales within their bands: the app's 0.05, 0.25 and the whole county (1.0)."""

from __future__ import annotations

import numpy as np
import pytest

import model
from model.results.outcomes import Outcome, outcome_table

PERIOD = ("2023-01", "2030-12")
CHECKED = (
    Outcome("people_covered", "persons_covered", "total", "count", "higher", "改造惠及人数", "People covered",
            until="2024-12"),
    Outcome("poorest_unresolved", "unresolved_share_q1", "end", "fraction", "lower", "最低收入组", "Poorest fifth"),
    Outcome("income_per_head", "income_per_head_yuan", "end", "count", "higher", "人均收入", "Income per head"),
    Outcome("population", "population", "end", "count", "higher", "人口", "Population"),
    Outcome("businesses", "businesses", "end", "count", "higher", "市场主体", "Market entities"),
    Outcome("stall_bans", "stall_bans", "total", "count", "lower", "摊位禁入", "Stall bans"),
)


@pytest.fixture(scope="module")
def by_scale():
    runs = {}
    for scale, replicates in ((0.05, 16), (0.25, 12), (1.0, 1)):
        result = model.run({"extends": "baseline", "policy_start": "2023-01", "end": PERIOD[1]}, scale=scale, seed=5,
                           replicates=replicates)
        runs[scale] = outcome_table(result.monthly, PERIOD, CHECKED)
    return runs


@pytest.mark.parametrize("outcome", [o.name for o in CHECKED])
def test_a_larger_scale_falls_inside_the_smaller_scales_band(by_scale, outcome):
    for small, large in ((0.05, 0.25), (0.25, 1.0)):
        low, high = np.quantile(by_scale[small][outcome], [0.05, 0.95])
        median = by_scale[large][outcome].median()
        assert low <= median <= high, f"{outcome}: scale {large} gives {median}, outside scale {small}'s [{low}, {high}]"
