"""`renewal discover`: PRIM recovers a failure region planted in two of five dimensions, finds no strong
region where failures are chance, and the command reads a real sweep's runs, writes its tables, report
sections and charts, and refuses bad input with one line."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from model import cli
from model.inputs.errors import InputError
from model.sweeps.cases import cases
from model.reports.discovery_report import CHANCE
from model.sweeps.discovery import Settings, discover
from model.sweeps.threshold import parse_threshold
from model.sweeps.plan import plan
from model.sweeps.spec import load_spec
from model.sweeps.store import Store
from tests.conftest import renewal
from tests.test_sweep import sweep_in_process, write_spec

PLANTED = {"k1": (0.6, 1.0), "k3": (0.0, 0.4)}  # failures: k1 above 0.6 and k3 below 0.4


def planted_sweep(seed: int, n: int = 600, noise: float = 0.03) -> tuple[pd.DataFrame, np.ndarray]:
    """Five uniform dimensions; a case fails inside the planted box, and a few labels are flipped."""
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(rng.uniform(0, 1, (n, 5)), columns=[f"k{i}" for i in range(5)])
    inside = np.all([(x[k] > low) & (x[k] < high) for k, (low, high) in PLANTED.items()], axis=0)
    return x, inside ^ (rng.uniform(size=n) < noise)


@pytest.mark.parametrize("seed", [1, 2, 3, 8])
def test_prim_recovers_a_planted_region_with_coverage_and_density_above_0_8(seed):
    x, failed = planted_sweep(seed)
    found = discover(x, failed)
    box = found.boxes[0]
    assert box.stats["coverage"] > 0.8 and box.stats["density"] > 0.8
    limits = box.limits.set_index("dimension")
    significant = limits[limits[["qp_low", "qp_high"]].min(axis=1) < CHANCE]  # NaN: that side is not restricted
    assert set(significant.index) == set(PLANTED)  # any other restriction is marked as possibly chance
    assert limits.loc["k1", "low"] == pytest.approx(0.6, abs=0.05) and limits.loc["k3", "high"] == pytest.approx(0.4, abs=0.05)
    assert limits.loc["k1", "qp_low"] < 1e-6 and limits.loc["k3", "qp_high"] < 1e-6
    # CART, the second view: its failing leaves restrict both planted dimensions and hold most failures
    assert found.leaves["coverage"].sum() > 0.8
    assert all({"k1", "k3"} <= set(limits) for limits in found.leaves["limits"])


def test_a_whole_number_key_is_boxed_even_where_prim_pastes_between_two_of_its_values():
    """A plan in compounds a year is a whole number; PRIM's pasting may put a limit half-way between two
    values, which EMA Workbench 3.0 cannot write into an integer column (these cases made it fail)."""
    rng = np.random.default_rng(1)
    x = pd.DataFrame({"plan": rng.integers(0, 61, 400), "share": rng.uniform(0.1, 0.5, 400)})
    failed = ((x["plan"] < 35) & (rng.random(400) < 0.85)) | (rng.random(400) < 0.15)
    limits = discover(x, failed.to_numpy()).boxes[0].limits.set_index("dimension")
    assert limits.loc["plan", "high"] == pytest.approx(35, abs=3)


def test_where_failures_are_chance_no_dense_box_is_reported():
    rng = np.random.default_rng(5)
    x = pd.DataFrame(rng.uniform(0, 1, (600, 5)), columns=[f"k{i}" for i in range(5)])
    failed = rng.uniform(size=600) < 0.3
    box = discover(x, failed).boxes[0]
    assert box.stats["coverage"] >= 0.8 and box.stats["density"] < 0.45


def test_the_chosen_box_follows_the_stated_rule():
    x, failed = planted_sweep(4)
    loose = discover(x, failed, Settings(min_coverage=0.5)).boxes[0]
    strict = discover(x, failed, Settings(min_coverage=0.95)).boxes[0]
    for box, floor in ((loose, 0.5), (strict, 0.95)):
        eligible = box.trajectory[box.trajectory["coverage"] >= floor]
        assert box.stats["coverage"] >= floor and box.stats["density"] == eligible["density"].max()
    assert strict.stats["density"] <= loose.stats["density"]


def test_a_second_box_is_searched_on_the_cases_outside_the_first():
    x, failed = planted_sweep(6)
    first, second = discover(x, failed, Settings(boxes=2)).boxes
    start = second.trajectory.iloc[0]
    assert start["n"] == len(x) - first.stats["cases"] and start["k"] == failed.sum() - first.stats["failures"]


@pytest.mark.parametrize("text, op, threshold", [("< 0.8", "<", 0.8), (">=550000", ">=", 550000.0),
                                                  ("  >   -3e2 ", ">", -300.0), ("<= 25", "<=", 25.0)])
def test_rules_are_read(text, op, threshold):
    rule = parse_threshold(text, "--where")
    assert (rule.op, rule.threshold) == (op, threshold)


@pytest.mark.parametrize("text", ["0.8", "=< 1", "< abc", "< nan", "== 3", "", "< 1 2", ">= 1,000"])
def test_malformed_rules_are_refused(text):
    with pytest.raises(InputError, match="--where: .*write an operator"):
        parse_threshold(text, "--where")


def test_cases_that_all_fail_or_none_are_refused():
    x, _ = planted_sweep(1, n=50)
    for failed in (np.ones(50, bool), np.zeros(50, bool)):
        with pytest.raises(InputError, match="discovery needs cases that fail and cases that do not"):
            discover(x, failed)


# ------------------------------------------------------------------------------ on a real sweep
SPEC = """\
base: short.yaml
design: lhs
samples: 10
replicates: 2
scale: 0.01
seed: 12
vary:
  renovation.resident_share: {range: [0.1, 0.5]}
  economy.second_shock_depth: {range: [0.0, 0.4]}
"""


@pytest.fixture(scope="module")
def swept(tmp_path_factory) -> tuple[Path, Path, float]:
    """A small sweep, run, and a threshold that splits its cases (the median population)."""
    folder = tmp_path_factory.mktemp("discover")
    spec = write_spec(folder, SPEC)
    sweep_in_process(spec, folder / "store")
    sweep = load_spec(spec)
    population = cases(sweep, plan(sweep), Store(folder / "store"))["population_end"]
    return spec, folder / "store", float(population.median())


def test_discover_prints_and_writes_the_boxes_the_tree_and_both_report_sections(swept, tmp_path, capsys):
    spec, store, median = swept
    out = tmp_path / "found"
    args = ["discover", str(spec), "--store", str(store), "--outcome", "population_end", "--where", f"< {median}",
            "--out", str(out), "--min-coverage", "0.6"]
    assert cli.main(args) == 0
    printed = capsys.readouterr().out
    assert "Scenario discovery: when is Resident population (end of run) <" in printed
    assert "of 20 cases" in printed.lower() and "Peeling trajectory" in printed and "CART" in printed
    record = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert record["written_by"] == "renewal discover" and record["cases"] == 20 and record["failures"] == 10
    assert record["command"].endswith(f'--where "< {median:g}" --min-coverage 0.6')
    boxes = pd.read_parquet(out / "boxes.parquet")
    assert set(boxes["dimension"]) <= {"renovation.resident_share", "economy.second_shock_depth"}
    trajectory = pd.read_csv(out / "trajectory.csv")
    assert trajectory["chosen"].sum() == 1 and trajectory["coverage"].iloc[0] == 1.0
    assert len(pd.read_parquet(out / "cases.parquet")) == 20
    zh = (out / "discovery-zh.md").read_text(encoding="utf-8")
    assert "情景发现:常住人口(期末)" in zh and "![箱体 1 的范围(灰色为扫描范围)](box-1-zh.png)" in zh
    for chart in ("tradeoff-zh", "tradeoff-en", "box-1-zh", "box-1-en"):
        assert (out / f"{chart}.png").read_bytes()[:4] == b"\x89PNG" and (out / f"{chart}.svg").stat().st_size > 1000
    # the same discovery again replaces its files; another one in the same place needs --force
    assert cli.main(args) == 0
    with pytest.raises(InputError, match="holds another discovery"):
        cli.cmd_discover(cli.build_parser().parse_args([*args[:-2], "--min-coverage", "0.7"]))


def test_bad_discover_input_gets_one_line_and_exit_2(swept, tmp_path):
    spec, store, median = swept
    base = ["discover", str(spec), "--store", str(store)]
    cases_ = {
        ("--outcome", "nope", "--where", "< 1"): "--outcome: nope: unknown outcome; choose from population_end",
        ("--outcome", "population_end", "--where", "about 3"): "--where: about 3: write an operator",
        ("--outcome", "population_end", "--where", "< 1"): "0 of 20 cases fail: discovery needs cases that fail",
        ("--outcome", "population_end", "--where", f"< {median}", "--draws"):
            "does not draw parameters (parameter_draws: false)",
        ("--outcome", "population_end", "--where", f"< {median}", "--boxes", "9"): "--boxes: 9: give a whole number",
    }
    for extra, message in cases_.items():
        done = renewal(*base, *extra, "--out", str(tmp_path / "never"))
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1 and message in done.stderr, done.stderr
    assert not (tmp_path / "never").exists()
    empty = renewal("discover", str(spec), "--store", str(tmp_path / "nostore"), "--outcome", "population_end",
                    "--where", "< 1")
    assert empty.returncode == 2 and "holds no sweep store; run `renewal sweep" in empty.stderr


def test_a_sweep_not_finished_is_refused_with_what_is_missing(swept, tmp_path):
    spec, store, _ = swept
    partial = tmp_path / "partial"
    partial.mkdir()
    (partial / "index").mkdir()
    kept = sorted((store / "index").glob("*.parquet"))[:5]
    for path in kept:
        (partial / "index" / path.name).write_bytes(path.read_bytes())
    with pytest.raises(InputError, match=r"15 of the sweep's 20 runs are not stored \(15 missing\)"):
        sweep = load_spec(spec)
        cases(sweep, plan(sweep), Store(partial))


def test_drawn_parameters_become_dimensions_when_the_base_draws(tmp_path, capsys):
    (tmp_path / "drawing.yaml").write_text('extends: baseline\npolicy_start: "2025-01"\nend: "2026-12"\n'
                                           "parameter_draws: true\n", encoding="utf-8")
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC.replace("base: short.yaml", "base: drawing.yaml").replace("samples: 10", "samples: 6"),
                    encoding="utf-8")
    sweep_in_process(spec, tmp_path / "store")
    sweep = load_spec(spec)
    table = cases(sweep, plan(sweep), Store(tmp_path / "store"), drawn=True)
    drawn = [c for c in table.columns if c.startswith("drawn:")]
    assert "drawn:renovation.pay_rate" in drawn and "drawn:migration.recovery_drift" in drawn
    # replicate i of every point takes the same draws: a replicate is a state of the world
    first = table[table["replicate"] == 0][drawn]
    assert (first.nunique() == 1).all()
    assert table[["drawn:renovation.pay_rate", "drawn:migration.recovery_drift"]].nunique().gt(1).all()
    median = float(table["population_end"].median())
    assert cli.main(["discover", str(spec), "--store", str(tmp_path / "store"), "--outcome", "population_end",
                     "--where", f"< {median}", "--draws", "--out", str(tmp_path / "found")]) == 0
    printed = capsys.readouterr().out
    assert "the posterior's joint draws are correlated" in printed
    record = json.loads((tmp_path / "found" / "summary.json").read_text(encoding="utf-8"))
    assert any(d.startswith("drawn:") for d in record["dimensions"])


def test_into_fills_the_marked_lines_only_and_refuses_a_file_without_them(tmp_path):
    from model.reports.effects_table import splice, spliceable

    page = tmp_path / "page.md"
    page.write_text("Prose naming the `<!-- discovery:start -->` block.\n\n<!-- discovery:start -->\nold\n"
                    "<!-- discovery:end -->\nafter\n", encoding="utf-8")
    splice(page, "new", "discovery")
    assert page.read_text(encoding="utf-8") == ("Prose naming the `<!-- discovery:start -->` block.\n\n"
                                                "<!-- discovery:start -->\nnew\n<!-- discovery:end -->\nafter\n")
    (tmp_path / "plain.md").write_text("no block, only a mention: `<!-- discovery:start -->`\n", encoding="utf-8")
    with pytest.raises(InputError, match="no <!-- discovery:start --> ... <!-- discovery:end --> block to fill"):
        spliceable(tmp_path / "plain.md", "discovery")
    with pytest.raises(InputError, match="cannot read it as text"):
        spliceable(tmp_path / "absent.md", "discovery")
