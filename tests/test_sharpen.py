"""Background replicates sharpen a quick answer without changing what it is: a 4-replicate setting and
reference sharpened to 8 are exactly the 8-replicate runs, paired replicate by replicate."""

from __future__ import annotations

import time

import pandas as pd
import pytest

import model
from model.app.settings import shown_stage
from model.results.sharpen import Sharpening

SETTING = {"extends": "baseline", "levers": {"renovation.resident_share": 0.3}}
REFERENCE = {"extends": "baseline", "policy_start": "2026-01"}
RUN = {"scale": 0.02, "seed": 5, "parameter_draws": True}


def sharpened(first: tuple, target: int) -> Sharpening:
    sharpening = Sharpening(*first, target=target, workers=2)
    counts = [sharpening.advance()]
    while not sharpening.finished:
        time.sleep(0.05)
        counts.append(sharpening.advance())
    assert not sharpening.failed and counts == sorted(counts) and counts[-1] == target, counts
    return sharpening


@pytest.fixture(scope="module")
def first() -> tuple:
    """The quick answer: the setting and its reference with 4 replicates each."""
    return tuple(model.run(s, replicates=4, workers=2, **RUN) for s in (SETTING, REFERENCE))


def test_four_replicates_sharpened_to_eight_are_the_eight_replicate_runs(first):
    results = sharpened(first, 8).results()
    for got, scenario in zip(results, (SETTING, REFERENCE)):
        full = model.run(scenario, replicates=8, **RUN)
        pd.testing.assert_frame_equal(got.monthly, full.monthly)
        pd.testing.assert_frame_equal(got.compounds, full.compounds)
        for key in ("scenario_hash", "run_hashes", "seeds", "parameter_draws", "replicates"):
            assert got.manifest[key] == full.manifest[key], key


def test_a_setting_that_is_its_own_reference_is_run_once_and_stays_paired(first):
    sharpening = sharpened((first[1], first[1]), 6)
    setting, reference = sharpening.results()
    assert setting.manifest["replicates"] == reference.manifest["replicates"] == 6
    pd.testing.assert_frame_equal(setting.monthly, reference.monthly)
    assert len(sharpening.parts[1]) == 0  # nothing submitted twice


def test_nothing_runs_beyond_the_target_and_a_cancelled_sharpening_submits_nothing_more(first):
    at_target = Sharpening(*first, target=4, workers=2)
    assert at_target.advance() == 4 and at_target.finished and not at_target.pending
    stopped = Sharpening(*first, target=32, workers=2)
    stopped.advance()
    assert 0 < len(stopped.pending) <= 4  # a pair per background process
    stopped.cancel()
    assert stopped.advance() == 4 and not stopped.pending and stopped.finished


def test_the_page_redraws_at_each_stage_reached_and_never_shows_fewer_than_its_first_answer():
    assert [shown_stage(ready, 4) for ready in (0, 4, 7, 8, 15, 16, 31, 32)] == [4, 4, 4, 8, 8, 16, 16, 32]
    assert shown_stage(9, 12) == 12  # a first answer of 12 replicates is not redrawn with 8
