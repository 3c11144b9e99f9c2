"""`renewal effects` is `renewal compare` over each shipped what-if and the baseline: the same paired change,
the share of replicates in which the what-if is better, and each side's regret; the table says so."""

from __future__ import annotations

import numpy as np
import pytest

from model.inputs.errors import InputError
from model.inputs.scenario import resolve
from model.reports.effects_table import format_effects
from model.results.comparison import compare
from model.results.effects import effect_of
from model.results.outcomes import BY_OUTCOME
from tests.conftest import renewal

SETTINGS = {"scale": 0.05, "replicates": 4, "seed": 7, "parameter_draws": False}


@pytest.fixture(scope="module")
def residents_pay_30():
    return effect_of("residents_pay_30", **SETTINGS)


def test_effects_are_the_comparison_of_the_what_if_with_the_baseline(residents_pay_30):
    """The numbers `renewal compare baseline residents_pay_30` gives, for the what-if against the baseline."""
    policies = tuple(resolve(name, **SETTINGS) for name in ("baseline", "residents_pay_30"))
    outcomes = tuple(BY_OUTCOME[name] for name in residents_pay_30["outcome"])
    pairs = compare(policies, outcomes).pairs.query("policy == 'residents_pay_30'").set_index("outcome")
    for row in residents_pay_30.itertuples():
        assert row.change == pairs.loc[row.outcome, "difference"]
        assert (row.change_low, row.change_high) == (pairs.loc[row.outcome, "difference_low"],
                                                     pairs.loc[row.outcome, "difference_high"])
        assert np.isclose(row.probability_better, pairs.loc[row.outcome, "probability_better"], equal_nan=True)


def test_a_higher_resident_share_is_worse_for_completions_in_most_replicates_and_only_it_has_regret(residents_pay_30):
    completed = residents_pay_30.set_index("outcome").loc["renovations_completed"]
    assert completed.change < 0
    assert completed.probability_better <= 0.25
    assert completed.regret_what_if > 0
    assert completed.regret_what_if >= -completed.change_high  # its bad cases are at least its best shortfall
    assert completed.regret_baseline == 0  # the baseline is never behind in 95% of replicates


def test_money_spent_has_no_better_side_and_the_table_says_so(residents_pay_30):
    spending = residents_pay_30.set_index("outcome").loc["government_spending"]
    assert np.isnan(spending.probability_better) and np.isnan(spending.regret_what_if)
    table = format_effects(residents_pay_30)
    row = next(line for line in table.splitlines() if "Government renovation subsidy" in line)
    assert row.endswith("| – | – |"), row
    completed = next(line for line in table.splitlines() if "Renovations completed" in line)
    share = 100 * residents_pay_30.set_index("outcome").loc["renovations_completed", "probability_better"]
    assert f"| {share:.0f}% of replicates |" in completed, completed


def test_the_command_prints_who_is_better_and_the_regret():
    done = renewal("effects", "residents_pay_30", "--scale", "0.02", "--replicates", "2", "--workers", "1",
                   "--no-draws")
    assert done.returncode == 0, done.stderr
    assert "what-if better in" in done.stdout and "regret, 95th pct (baseline / what-if)" in done.stdout
    assert "2 paired replicates (seeds only) at scale 0.02" in done.stdout


def test_a_what_if_named_like_the_baseline_is_refused(tmp_path):
    clash = tmp_path / "clash.yaml"
    clash.write_text("name: baseline\nextends: baseline\noutcomes: [population_end]\n"
                     "levers: {renovation.resident_share: 0.3}\n")
    with pytest.raises(InputError, match="named baseline"):
        effect_of(str(clash), **SETTINGS)
