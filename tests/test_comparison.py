"""`renewal compare`: who beats whom in what share of paired replicates, the paired difference and regret, on
hand-made per-replicate tables with known answers; one small comparison end to end; bad input refused."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from model.inputs.errors import InputError
from model.inputs.scenario import resolve
from model.reports.text import TEXT
from model.results.comparison import chosen_outcomes, pairs_table, probability_better, regret_table, regrets
from model.results.outcomes import BY_OUTCOME, headlines, paired_difference
from tests.conftest import renewal

MORE = BY_OUTCOME["renovations_completed"]  # better: higher
FEWER = BY_OUTCOME["departures"]  # better: lower
CHOICE = BY_OUTCOME["government_spending"]  # better: neither


def tables(**columns_by_policy) -> dict[str, pd.DataFrame]:
    """Per policy, a per-replicate outcome table (one row per replicate) from {outcome: values}."""
    return {policy: pd.DataFrame(columns, index=pd.RangeIndex(len(next(iter(columns.values()))), name="replicate"))
            for policy, columns in columns_by_policy.items()}


def test_a_policy_that_beats_another_in_three_of_four_replicates_is_better_with_probability_three_quarters():
    a, b = [10, 20, 30, 40], [5, 25, 29, 39]
    assert probability_better(a, b, MORE) == 0.75
    assert probability_better(b, a, MORE) == 0.25


def test_a_tie_counts_half():
    a, b = [5, 2, 3, 4], [0, 2, 1, 5]  # a wins twice, ties once, loses once
    assert probability_better(a, b, MORE) == 2.5 / 4
    assert probability_better(b, a, MORE) == 1.5 / 4
    assert probability_better(a, a, MORE) == 0.5


def test_an_outcome_better_lower_flips_the_direction():
    a, b = [10, 20, 30, 40], [5, 25, 29, 39]
    assert probability_better(a, b, FEWER) == 0.25
    assert probability_better(b, a, FEWER) == 0.75


def test_an_outcome_with_no_better_direction_has_no_probability_and_no_regret():
    assert probability_better([1, 2], [0, 0], CHOICE) is None
    given = tables(A={CHOICE.name: [3.0, 4.0]}, B={CHOICE.name: [1.0, 1.0]})
    pairs = pairs_table(given, (CHOICE,))
    assert pairs["probability_better"].isna().all() and (pairs["better"] == "neither").all()
    assert pairs.set_index("policy").loc["A", "difference"] == 2.5  # the paired difference is still given
    assert regret_table(given, (CHOICE,)).empty


def test_the_paired_difference_is_the_median_of_the_differences_with_its_band_and_says_when_it_is_noise():
    change, low, high, noise = paired_difference(np.array([110, 290, 530]), np.array([100, 300, 500]), MORE)
    assert change == 10 and low == pytest.approx(-10 + 0.1 * 20) and high == pytest.approx(10 + 0.9 * 20)
    assert noise  # -10, +10, +30: the replicates do not agree on the sign
    assert paired_difference([3, 4, 5], [1, 1, 1], MORE)[3] is False


def test_the_paired_difference_agrees_with_the_headlines_paired_change():
    """The app's headlines compute the paired change too (model/results/outcomes.py): both say the same."""
    setting = tables(A={MORE.name: [110.0, 290.0, 530.0, 80.0]}, B={MORE.name: [100.0, 300.0, 500.0, 90.0]})
    row = headlines(setting["A"], setting["B"], (MORE,)).loc[MORE.name]
    assert paired_difference(setting["A"][MORE.name], setting["B"][MORE.name], MORE) == (
        row["change"], row["change_low"], row["change_high"], row["within_noise"])


def test_regret_is_the_shortfall_against_the_best_policy_of_each_replicate():
    given = tables(A={MORE.name: [10, 5], FEWER.name: [1, 4]}, B={MORE.name: [8, 7], FEWER.name: [3, 2]},
                   C={MORE.name: [9, 6], FEWER.name: [2, 3]})
    more = regrets(given, MORE)
    assert more.to_dict("list") == {"A": [0, 2], "B": [2, 0], "C": [1, 1]}
    assert (more.min(axis=1) == 0).all()  # the best policy of each replicate regrets nothing
    assert regrets(given, FEWER).to_dict("list") == {"A": [0, 2], "B": [2, 0], "C": [1, 1]}  # lower is better
    table = regret_table(given, (MORE,)).set_index("policy")
    assert table["median_regret"].to_dict() == {"A": 1, "B": 1, "C": 1}
    assert table["p95_regret"].to_dict() == pytest.approx({"A": 1.9, "B": 1.9, "C": 1.0})
    assert table["least_regret"].to_dict() == {"A": False, "B": False, "C": True}  # never best, never far behind


def test_every_ordered_pair_is_compared_and_their_probabilities_add_to_one():
    given = tables(A={MORE.name: [10, 5, 3]}, B={MORE.name: [8, 5, 4]}, C={MORE.name: [9, 6, 3]})
    pairs = pairs_table(given, (MORE,)).set_index(["policy", "other"])
    assert len(pairs) == 6
    for a, b in pairs.index:
        assert pairs.loc[(a, b), "probability_better"] + pairs.loc[(b, a), "probability_better"] == pytest.approx(1)
        assert pairs.loc[(a, b), "difference"] == -pairs.loc[(b, a), "difference"]
    assert pairs.loc[("A", "B"), "probability_better"] == 0.5  # wins, ties, loses


def test_the_outcomes_are_those_asked_for_else_the_policies_answering_outcomes_in_order_each_once():
    policies = (resolve("baseline"), resolve("residents_pay_30"))
    names = [o.name for o in chosen_outcomes(policies)]
    assert names == list(dict.fromkeys([*policies[0].outcomes, *policies[1].outcomes]))
    assert [o.name for o in chosen_outcomes(policies, ["stall_bans", "stall_bans", "returns"])] == ["stall_bans", "returns"]
    with pytest.raises(InputError, match="choose from population_end, departures"):
        chosen_outcomes(policies, ["stall_bans", "nope"])


# ------------------------------------------------------------------------------------------ command line
def test_two_shipped_policies_compared_end_to_end_and_again_into_their_own_directory(tmp_path):
    out = tmp_path / "comparison"
    done = renewal("compare", "baseline", "residents_pay_30", "--scale", "0.01", "--replicates", "2", "--workers", "1",
                   "--out", str(out))
    assert done.returncode == 0, done.stderr
    pairs, regret = pd.read_csv(out / "comparison.csv"), pd.read_csv(out / "regret.csv")
    pd.testing.assert_frame_equal(pairs, pd.read_parquet(out / "comparison.parquet"), check_dtype=False)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [p["name"] for p in summary["policies"]] == ["baseline", "residents_pay_30"]
    assert summary["replicates"] == 2 and summary["scale"] == 0.01 and len(summary["seeds"]) == 2
    assert all(len(p["scenario_hash"]) == 16 for p in summary["policies"]) and summary["parameter_draws"] is True
    directed = pairs[pairs["better"] != "neither"].set_index(["outcome", "policy", "other"])["probability_better"]
    assert len(directed) and directed.between(0, 1).all()
    for (outcome, a, b), p in directed.items():
        assert p + directed[(outcome, b, a)] == 1
    assert pairs.loc[pairs["better"] == "neither", "probability_better"].isna().all()
    assert set(regret["outcome"]) == set(directed.index.get_level_values("outcome")) and (regret["median_regret"] >= 0).all()
    first = directed.index[0]
    sentence = TEXT["en"]["compare_better_draws"].format(a=first[1], b=first[2], share=f"{100 * directed.iloc[0]:.0f}%")
    assert sentence in done.stdout and TEXT["en"]["compare_no_direction"] in done.stdout
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    again = renewal("compare", "baseline", "residents_pay_30", "--scale", "0.01", "--replicates", "2", "--workers", "1",
                    "--out", str(out))
    assert again.returncode == 0, again.stderr  # the same comparison replaces its own files, and keeps the notes
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    pd.testing.assert_frame_equal(pd.read_csv(out / "comparison.csv"), pairs)


def refused(*args: str) -> str:
    """`renewal compare ARGS`: refused with exit 2 in one line, no traceback; the line."""
    done = renewal("compare", *args, "--scale", "0.01", "--replicates", "2", "--workers", "1")
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and not done.stdout, done.stderr
    return lines[0]


def test_one_policy_is_refused():
    assert refused("baseline") == "error: compare: only one policy given (baseline); compare needs two or more"


def test_the_same_policy_twice_is_refused():
    assert "baseline.yaml: name: two policies are named baseline; give each policy once" in refused("baseline", "baseline")


def test_an_unknown_outcome_is_refused_with_the_valid_ones():
    line = refused("baseline", "residents_pay_30", "--outcome", "renovations")
    assert line.startswith("error: --outcome: unknown outcome 'renovations'; choose from population_end,")
    assert "renovations_completed" in line


def test_policies_with_different_policy_starts_or_periods_are_refused_naming_the_files(tmp_path):
    line = refused("baseline", "campaign_residents_pay_30")
    assert "baseline.yaml, " in line and "campaign_residents_pay_30.yaml: policy_start: baseline has 2026-01, " \
        "campaign_residents_pay_30 2023-01" in line and "paired" in line
    shorter = tmp_path / "shorter.yaml"
    shorter.write_text("extends: residents_pay_30\nend: \"2030-12\"\n", encoding="utf-8")
    line = refused("baseline", str(shorter))
    assert f"{shorter}: end: baseline has 2035-12, shorter 2030-12" in line


def test_a_directory_holding_other_files_or_another_comparison_is_refused_before_the_runs(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "mine.txt").write_text("keep", encoding="utf-8")
    line = refused("baseline", "residents_pay_30", "--out", str(notes))
    assert "is not empty and holds no comparison of `renewal compare`" in line
    assert [p.name for p in notes.iterdir()] == ["mine.txt"]
    other = tmp_path / "other"
    other.mkdir()
    (other / "summary.json").write_text(json.dumps({"written_by": "renewal compare", "comparison_hash": "0" * 16}))
    assert "holds another comparison (0000000000000000); give --force" in refused("baseline", "residents_pay_30",
                                                                                   "--out", str(other))
