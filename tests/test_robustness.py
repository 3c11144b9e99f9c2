"""`renewal robust`: regret, satisficing and EVPPI on hand-made case tables with known answers; one tiny grid
sweep end to end; designs, outcomes and thresholds that cannot be read refused in one line."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from model import cli
from model.inputs.errors import InputError
from model.reports.robustness_table import evppi_markdown
from model.reports.text import TEXT
from model.results.outcomes import BY_OUTCOME
from model.sweeps.information import bin_labels, evpi, information, noise_floor, shuffled
from model.sweeps.robustness import FILES, assess, robust, robust_outcome
from model.sweeps.runner import open_executor, run_sweep
from model.sweeps.spec import load_spec
from model.sweeps.store import Store
from model.sweeps.threshold import parse_threshold
from tests.conftest import renewal


def satisficing(text: str):
    return parse_threshold(text, "--satisfice")


MORE = BY_OUTCOME["renovations_completed"]  # better: higher
FEWER = BY_OUTCOME["unresolved_poorest"]  # better: lower
LEVER, SHOCK = "renovation.budget", "economy.second_shock_depth"
# Per policy (the lever's value), the outcome in a good and in a bad state of the world: A is best on
# average, B is never far from the best (minimax regret), C is best only in bad states.
GOOD_BAD = {1.0: (10.0, 0.0), 2.0: (7.5, 2.0), 3.0: (0.0, 3.0)}
A, B, C = (f"budget={v:g}" for v in GOOD_BAD)


def case_table(values: dict[float, tuple[float, float]], replicates: int, outcome: str = MORE.name,
               shift: np.ndarray | None = None, noise: float = 0.0, seed: int = 0,
               replicate_noise: float = 0.0) -> pd.DataFrame:
    """Cases as `model.sweeps.cases.cases` returns them: a grid of the lever's values x the shock (0: good,
    0.25: bad) x replicates, with a per-replicate shift common to every policy (a better or worse world for
    all, which regret ignores), optional noise of each run, optional noise of each policy and replicate
    that both of the replicate's states share (as a seed and a parameter draw shape a policy's runs in
    both), and a drawn parameter that is pure noise."""
    rng = np.random.default_rng(seed)
    shift = np.zeros(replicates) if shift is None else shift
    drawn = rng.uniform(size=replicates)
    shared = {lever: replicate_noise * rng.normal(size=replicates) for lever in values}
    rows = []
    for point, (lever, shock) in enumerate((lever, shock) for lever in values for shock in (0.0, 0.25)):
        for replicate in range(replicates):
            value = values[lever][shock > 0] + shift[replicate] + shared[lever][replicate] + noise * rng.normal()
            rows.append({"point": point, LEVER: lever, SHOCK: shock, "replicate": replicate, "seed": 100 + replicate,
                         "status": "ok", outcome: value, "drawn:noise.key": drawn[replicate]})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------------ regret
def test_minimax_regret_picks_the_policy_never_far_from_the_best_and_the_best_mean_another():
    result = assess(case_table(GOOD_BAD, 3, shift=np.array([0.0, 5.0, -2.0])), (LEVER,), (SHOCK,), MORE)
    table = result.policies.set_index("policy")
    # good states: best A (10), regrets A 0, B 2.5, C 10; bad states: best C (3), regrets A 3, B 1, C 0
    assert table["max_regret"].to_dict() == {A: 3.0, B: 2.5, C: 10.0}
    assert table["mean"].to_dict() == pytest.approx({A: 5 + 1, B: 4.75 + 1, C: 1.5 + 1})  # the shift's mean is 1
    assert list(result.policies["policy"]) == [B, A, C]  # least maximum regret first
    assert result.summary["minimax_regret"] == [B] and result.summary["least_p95_regret"] == [B]
    assert result.summary["best_mean"] == [A]
    assert table.loc[A, "median_regret"] == 1.5 and table.loc[C, "worst_state"] in (0, 1, 2)  # a good state
    assert result.summary["states"] == 6 and result.summary["policies"] == 3

    regret = result.regret
    assert len(regret) == 3 * 6 and (regret.groupby("state")["regret"].min() == 0).all()
    bad_a = regret[(regret["policy"] == A) & (regret[SHOCK] == 0.25)]
    assert (bad_a["regret"] == 3.0).all() and (bad_a["value"] == bad_a["replicate"].map({0: 0, 1: 5, 2: -2})).all()


def test_one_extreme_state_decides_the_minimax_regret_but_not_the_95th_percentile():
    cases = case_table({1.0: (10.0, 10.0), 2.0: (9.0, 9.0)}, 10)  # 20 states; A beats B by 1 in every one but one
    cases.loc[(cases[LEVER] == 1.0) & (cases[SHOCK] == 0.25) & (cases["replicate"] == 4), MORE.name] = 0.0
    result = assess(cases, (LEVER,), (SHOCK,), MORE)
    table = result.policies.set_index("policy")
    assert table["max_regret"].to_dict() == {A: 9.0, B: 1.0}
    assert table["p95_regret"].to_dict() == pytest.approx({A: 0.05 * 9, B: 1.0})  # 19 zeros and a 9: 0.45
    assert result.summary["minimax_regret"] == [B] and result.summary["least_p95_regret"] == [A]
    assert result.summary["best_mean"] == [A]
    assert table.loc[A, "worst_state"] == 14  # shock 0.25 (states 10 to 19), replicate 4


def test_regret_of_an_outcome_better_lower_is_the_excess_over_the_lowest():
    lower = {1.0: (0.30, 0.50), 2.0: (0.35, 0.40)}
    result = assess(case_table(lower, 2, FEWER.name), (LEVER,), (SHOCK,), FEWER)
    table = result.policies.set_index("policy")
    assert table["max_regret"].to_dict() == pytest.approx({A: 0.10, B: 0.05})
    assert result.summary["minimax_regret"] == [B] and result.summary["best_mean"] == [B]


# ------------------------------------------------------------------------------- satisficing
def test_satisficing_shares_are_the_share_of_states_meeting_the_threshold():
    values = {1.0: (1.0, 5.0), 2.0: (4.0, 4.0)}  # A: 1 (good), 5 (bad); B: 4 everywhere
    at_least = assess(case_table(values, 2), (LEVER,), (SHOCK,), MORE, satisficing(">= 4"))
    assert at_least.policies.set_index("policy")["satisficing_share"].to_dict() == {A: 0.5, B: 1.0}
    assert at_least.summary["most_satisficing"] == [B] and at_least.summary["satisfice"] == ">= 4"
    below = assess(case_table(values, 2), (LEVER,), (SHOCK,), MORE, satisficing("<4"))
    assert below.policies.set_index("policy")["satisficing_share"].to_dict() == {A: 0.5, B: 0.0}
    above = assess(case_table(values, 2), (LEVER,), (SHOCK,), MORE, satisficing("> 4"))
    assert above.policies.set_index("policy")["satisficing_share"].to_dict() == {A: 0.5, B: 0.0}
    assert assess(case_table(values, 2), (LEVER,), (SHOCK,), MORE).policies.columns.intersection(
        ["satisficing_share", "most_satisficing"]).empty


@pytest.mark.parametrize("text, op, threshold", [(">= 500000", ">=", 500_000), ("<0.4", "<", 0.4),
                                                 (" <= -1.5e3 ", "<=", -1500), ("> .5", ">", 0.5)])
def test_a_satisficing_rule_is_an_operator_and_a_number(text, op, threshold):
    rule = satisficing(text)
    assert (rule.op, rule.threshold) == (op, threshold)


@pytest.mark.parametrize("text", ["=> 5", ">=", "about 5", "5 >=", ">= 5 yuan", "== 5", ">= 1,000", ""])
def test_a_malformed_satisficing_rule_is_refused(text):
    with pytest.raises(InputError, match=r"^--satisfice.*write an operator \(<, <=, >, >=\) and a number"):
        satisficing(text)


# ------------------------------------------------------------------------------------- EVPPI
def test_the_uncertainty_that_decides_the_policy_has_the_value_of_knowing_it_and_noise_has_almost_none():
    # 400 states: 200 replicates x good or bad; every run carries its own noise, so the policies' means
    # per bin are estimates and binning on a dimension that decides nothing still finds a little.
    result = assess(case_table(GOOD_BAD, 200, noise=0.5, seed=3), (LEVER,), (SHOCK,), MORE)
    evppi = result.evppi.set_index("dimension")
    shock, noise = evppi.loc[SHOCK], evppi.loc["drawn:noise.key"]
    # knowing the shock: choose C (3) rather than A (0) in bad states, half the states: 0.5 x 3 = 1.5
    assert shock["evppi"] == pytest.approx(1.5, abs=0.1) and shock["change_share"] == 0.5
    assert shock["bins"] == 2 and shock["states_per_bin_min"] == shock["states_per_bin_max"] == 200
    assert shock["changed_bins"] == f"0.25: {C}"
    assert result.summary["evpi"] >= shock["evppi"] and result.summary["evpi"] == pytest.approx(1.5, abs=0.15)
    assert noise["bins"] == 4 and noise["states_per_bin_min"] == 100
    assert 0 <= noise["evppi"] < 0.05 * shock["evppi"] and noise["evppi"] < 3 * noise["noise_floor"] + 1e-9
    assert shock["evppi"] > 20 * shock["noise_floor"]
    assert list(result.evppi["dimension"]) == [SHOCK, "drawn:noise.key"]  # ranked, largest first


def test_evppi_is_never_negative_and_never_above_evpi():
    rng = np.random.default_rng(9)
    merits = pd.DataFrame(rng.normal(size=(60, 4)), columns=list("abcd"))
    dimensions = pd.DataFrame({"u": rng.uniform(size=60), "v": rng.integers(0, 3, size=60)})
    table = information(merits, dimensions)
    assert (table["evppi"] >= 0).all() and (table["evppi"] <= evpi(merits.to_numpy()) + 1e-12).all()
    assert table.set_index("dimension").loc["v", "bins"] == 3  # three distinct values: three bins


def test_a_policy_best_everywhere_leaves_nothing_to_learn():
    dominant = {1.0: (10.0, 5.0), 2.0: (8.0, 4.0)}
    result = assess(case_table(dominant, 4), (LEVER,), (SHOCK,), MORE)
    assert result.summary["evpi"] == 0 and (result.evppi["evppi"] == 0).all()
    assert (result.evppi["change_share"] == 0).all() and (result.evppi["changed_bins"] == "").all()
    best = result.policies.set_index("policy").loc[A]
    assert best["max_regret"] == 0 and pd.isna(best["worst_state"])  # best everywhere: no worst state to name


def test_the_noise_floor_shuffles_whole_replicates_for_a_drawn_parameter_and_states_within_replicates_else():
    replicates = np.repeat(np.arange(4), 3)  # 4 replicates x 3 states
    drawn = np.repeat([2, 0, 1, 0], 3)  # one value per replicate, as a drawn parameter
    grid = np.tile([0, 1, 2], 4)  # every value in every replicate, as an uncertainty of the grid
    rng = np.random.default_rng(1)
    for _ in range(20):
        once = shuffled(drawn, replicates, rng).reshape(4, 3)
        assert (once == once[:, :1]).all() and sorted(once[:, 0]) == [0, 0, 1, 2]
        assert (np.sort(shuffled(grid, replicates, rng).reshape(4, 3), axis=1) == [0, 1, 2]).all()
    singles = np.arange(6) % 3  # no replicates given: every state its own
    assert sorted(shuffled(singles, np.arange(6), rng)) == sorted(singles)


def test_a_drawn_parameter_that_decides_nothing_sits_on_its_noise_floor_when_replicates_share_their_noise():
    # The states of a replicate share its seed and draws, so a policy's luck in one is its luck in the other:
    # noise shared by both shock states of a replicate. A pure-noise drawn parameter bins whole replicates;
    # its EVPPI must be near a floor of random bins of whole replicates, not of single states (which the
    # floor was: it averaged the shared noise over twice as many replicates and sat at about half).
    evppi, floor, state_floor = [], [], []
    for seed in range(40):
        cases = case_table({1.0: (0.0, 0.0), 2.0: (0.0, 0.0), 3.0: (0.0, 0.0)}, 8, seed=seed, noise=0.05,
                           replicate_noise=1.0)
        result = assess(cases, (LEVER,), (SHOCK,), MORE)
        row = result.evppi.set_index("dimension").loc["drawn:noise.key"]
        evppi.append(row["evppi"])
        floor.append(row["noise_floor"])
        merits = result.regret.pivot(index="state", columns="policy", values="value").to_numpy()
        labels = bin_labels(result.regret.drop_duplicates("state").set_index("state")["drawn:noise.key"])
        state_floor.append(noise_floor(merits, labels, int(np.argmax(merits.mean(axis=0)))))
    assert 0.75 < np.mean(evppi) / np.mean(floor) < 1.3
    assert np.mean(evppi) > 1.5 * np.mean(state_floor)  # the old floor: pure noise looked like signal


def test_the_bins_where_another_policy_is_best_are_written_in_the_table_s_language():
    cases = case_table({1.0: (1.0, 1.0), 2.0: (0.0, 0.0)}, 8)
    high = cases["drawn:noise.key"] > cases["drawn:noise.key"].median()
    cases.loc[high & (cases[LEVER] == 2.0), MORE.name] = 1.5  # B is best where the drawn value is high, A on average
    evppi = assess(cases, (LEVER,), (SHOCK,), MORE).evppi
    spans = evppi.set_index("dimension").loc["drawn:noise.key", "changed"]
    low, top = cases.loc[high, "drawn:noise.key"].agg(["min", "max"])
    assert [span[2] for span in spans] == [B, B] and spans[-1][1] == pytest.approx(top)
    summary = {"outcome": MORE.name, "labels": {"noise.key": {"en": "Noise", "zh": "噪声"},
                                                SHOCK: {"en": "Shock", "zh": "冲击"}}}
    english, chinese = evppi_markdown(evppi, summary, "en"), evppi_markdown(evppi, summary, "zh")
    assert f"{low:g} to " in english and " 至 " not in english
    assert f"{low:g} 至 " in chinese and " to " not in chinese
    assert evppi.set_index("dimension").loc["drawn:noise.key", "changed_bins"].count(" to ") == 2  # files: English


def test_bins_are_one_per_value_for_a_few_values_else_quantiles():
    assert list(bin_labels(pd.Series([0.25, 0.0, 0.5, 0.0]))) == [1, 0, 2, 0]
    labels = bin_labels(pd.Series(np.arange(20.0)), 4)
    assert list(np.bincount(labels)) == [5, 5, 5, 5] and list(labels[:6]) == [0, 0, 0, 0, 0, 1]


# ---------------------------------------------------------------------------------- bad input
SHORT_BASE = 'extends: baseline\npolicy_start: "2025-01"\nend: "2026-12"\n'


def spec(tmp_path, vary: str, design: str = "grid", extra: str = "", base: str = SHORT_BASE) -> str:
    (tmp_path / "short.yaml").write_text(base, encoding="utf-8")
    path = tmp_path / "spec.yaml"
    path.write_text(f"base: short.yaml\ndesign: {design}\n{extra}replicates: 2\nscale: 0.02\nseed: 5\nvary:\n{vary}",
                    encoding="utf-8")
    return str(path)


GRID = f"  {LEVER}: {{values: [1.0e+8, 4.0e+8]}}\n  {SHOCK}: {{values: [0.0, 0.25]}}\n"
LHS = f"  {LEVER}: {{range: [1.0e+8, 4.0e+8]}}\n  {SHOCK}: {{range: [0.0, 0.25]}}\n"


def test_a_design_that_does_not_meet_every_state_with_every_policy_is_refused_before_reading_runs(tmp_path):
    sweep = load_spec(spec(tmp_path, LHS, "lhs", "samples: 4\n"))
    with pytest.raises(InputError) as caught:
        robust(sweep, Store(tmp_path / "nowhere"), MORE)
    assert str(caught.value).startswith(f"{sweep.path}: design: its 4 policies")
    assert "one meets 1 of the 4 combinations" in str(caught.value) and "`design: grid`" in str(caught.value)
    assert not (tmp_path / "nowhere").exists()


def test_a_sweep_with_no_lever_or_one_policy_is_refused(tmp_path):
    only_uncertainty = load_spec(spec(tmp_path, f"  {SHOCK}: {{values: [0.0, 0.25]}}\n"))
    with pytest.raises(InputError, match=f"vary: varies no lever \\(only the uncertainties {SHOCK}\\)"):
        robust(only_uncertainty, Store(tmp_path / "store"), MORE)
    one_policy = load_spec(spec(tmp_path, f"  {LEVER}: {{values: [1.0e+8]}}\n  {SHOCK}: {{values: [0.0, 0.25]}}\n"))
    with pytest.raises(InputError, match="vary: the levers take one combination of values only"):
        robust(one_policy, Store(tmp_path / "store"), MORE)
    with pytest.raises(InputError, match="--bins: 1: give a whole number >= 2"):
        robust(load_spec(spec(tmp_path, GRID)), Store(tmp_path / "store"), MORE, bins=1)


def test_an_outcome_with_no_better_direction_or_unknown_is_refused():
    with pytest.raises(InputError, match="--outcome: government_spending: has no better direction") as caught:
        robust_outcome("government_spending")
    assert "unresolved_poorest" in str(caught.value) and "resident_contributions" not in str(caught.value)
    with pytest.raises(InputError, match="--outcome: renovations: unknown outcome; choose from population_end,"):
        robust_outcome("renovations")


def test_missing_runs_are_refused_with_the_command_that_makes_them(tmp_path):
    sweep = load_spec(spec(tmp_path, GRID))
    with pytest.raises(InputError, match="8 of the sweep's 8 runs are not stored .* run `renewal sweep"):
        robust(sweep, Store(tmp_path / "store"), MORE)


@pytest.mark.parametrize("case, options, expected", [
    ("lhs", ["--outcome", "renovations_completed"], "design: its 4 policies (combinations of renovation.budget) "
                                                    "do not each meet the same values"),
    ("grid", ["--outcome", "government_spending"], "error: --outcome: government_spending: has no better direction"),
    ("grid", ["--outcome", "renovations_completed", "--satisfice", "more than 5"],
     "error: --satisfice: more than 5: write an operator"),
])
def test_the_command_line_refuses_bad_input_in_one_line_with_exit_code_2(tmp_path, case, options, expected):
    path = spec(tmp_path, LHS, "lhs", "samples: 4\n") if case == "lhs" else spec(tmp_path, GRID)
    done = renewal("robust", path, "--store", str(tmp_path / "store"), *options)
    assert done.returncode == 2 and "Traceback" not in done.stderr and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0]


# -------------------------------------------------------------------------------- end to end
@pytest.fixture(scope="module")
def tiny_sweep(tmp_path_factory):
    """2 budgets x 2 shock depths x 2 replicates at 2% of the county, on a short base that draws parameters."""
    directory = tmp_path_factory.mktemp("robust")
    path = spec(directory, GRID, base=SHORT_BASE + "parameter_draws: true\n")
    store = directory / "store"
    with open_executor(1) as (executor, parallelism):
        report = run_sweep(load_spec(path), Store(store), executor, parallelism)
    assert report.run_now == 8 and not report.failures
    return path, store


def test_renewal_robust_says_where_it_wrote_in_its_language(tiny_sweep, tmp_path, capsys):
    path, store = tiny_sweep
    out = tmp_path / "robust-zh"
    assert cli.main(["robust", path, "--outcome", "renovations_completed", "--store", str(store), "--lang", "zh",
                     "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"稳健性分析已写入 {out}/(robustness.csv" in printed and "written to" not in printed


def test_renewal_robust_prints_both_tables_and_writes_its_files(tiny_sweep, tmp_path, capsys):
    path, store = tiny_sweep
    out = tmp_path / "robust"
    args = ["robust", path, "--outcome", "renovations_completed", "--satisfice", ">= 0", "--store", str(store),
            "--draws", "--out", str(out)]
    assert cli.main(args) == 0
    printed = capsys.readouterr().out
    en = TEXT["en"]
    assert printed.startswith("Robustness of 2 policies (Government renovation subsidy budget) across 4 states")
    assert f"| {en['robust_max_regret']} |" in printed and f"| {en['robust_evppi']} |" in printed
    assert "| 100,000,000 |" in printed and "| 400,000,000 |" in printed
    assert "Minimax regret (Savage): `budget=" in printed
    assert "Depth of a second coal shock `economy.second_shock_depth`" in printed and "(drawn)" in printed
    assert "robustness analysis written to" in printed
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    policies = pd.read_parquet(out / "robustness.parquet")
    assert len(policies) == 2 and (policies["satisficing_share"] == 1.0).all()
    assert len(pd.read_csv(out / "regret.csv")) == 2 * 4
    evppi = pd.read_csv(out / "evppi.csv")
    assert evppi["dimension"].iloc[-1:].str.len().all() and (evppi["evppi"] >= 0).all()
    assert "changed" not in evppi.columns and "changed" not in pd.read_parquet(out / "evppi.parquet").columns
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["written_by"] == "renewal robust" and summary["spec"] == str(load_spec(path).path)
    assert summary["outcome"] == "renovations_completed" and summary["satisfice"] == ">= 0"
    assert summary["store"] == str(store) and len(summary["code_version"]) == 16 and len(summary["spec_hash"]) == 16

    assert cli.main([*args[:-2], "--lang", "zh", "--out", str(out)]) == 0  # the same analysis may replace its files
    chinese = capsys.readouterr().out
    assert chinese.startswith("稳健性分析:2 项政策(政府老旧小区改造补贴年度预算)") and "| 最大遗憾值 |" in chinese
    assert "| 1亿 |" in chinese and "| 4亿 |" in chinese
    assert cli.main([*args[:4], "--store", str(store), "--out", str(out)]) == 2  # another analysis needs --force
    assert "holds another robustness analysis" in capsys.readouterr().err


def test_every_robustness_text_has_chinese_and_english():
    robust_keys = [key for key in TEXT["en"] if key.startswith("robust_")]
    assert robust_keys and all(key in TEXT["zh"] for key in robust_keys)
    words = [key for key in robust_keys if re.search("[A-Za-z]", TEXT["en"][key])]  # not the list separators
    assert [key for key in words if not re.search(r"[\u4e00-\u9fff]", TEXT["zh"][key])] == []
