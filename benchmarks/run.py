"""`make bench`: measure every figure of issue 7, print it against its target, write benchmarks/RESULTS.md.

    python -m benchmarks.run            # the full set, about 5-10 minutes on 2 cores
    python -m benchmarks.run --quick    # a smaller set in about a minute, to check the machinery
    python -m benchmarks.run --compare REV   # an interleaved A/B of this checkout against revision REV
"""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

from benchmarks import APP_DEFAULT, browser, compare, figures
from benchmarks.machine import describe, load
from benchmarks.report import console, markdown, summary
from model.inputs.params import Params
from model.inputs.scenario import resolve

ROOT = Path(__file__).resolve().parent.parent

# How often each figure is measured: at least 5 runs for the headline figures.
FULL = {"model": 5, "process": 5, "scaling": {0.1: 5, 0.25: 5, 0.5: 3, 1.0: 3, 2.0: 2},
        "peer": {22_000: 12, 220_000: 5}, "app": 5, "browser": 5, "cold": 3, "sweep": 8, "profile_scale": 1.0,
        "reference_profile": (22_000, 2)}
QUICK = {"model": 1, "process": 1, "scaling": {0.02: 2, 0.05: 2, 0.1: 1},
         "peer": {2_000: 3, 5_000: 2}, "app": 1, "browser": 1, "cold": 1, "sweep": 2, "profile_scale": 0.1,
         "reference_profile": (2_000, 1)}


def say(text: str) -> None:
    print(text, flush=True)


def measure(plan: dict) -> dict:
    r: dict = {"load_start": load(), "machine": describe(ROOT)}
    r["months"] = len(Params(resolve("baseline")).months)
    say(f"full-scale baseline, model time ({plan['model']} runs) ...")
    r["model"] = figures.full_scale_model(plan["model"])
    say(f"  {r['model'].wall.show()} s")
    say(f"full-scale baseline, whole process ({plan['process']} runs) ...")
    r["process"] = figures.full_scale_process(plan["process"], ROOT)
    say(f"  {max(p.wall for p in r['process']):.2f} s at most, peak {max(p.peak_mb for p in r['process']):.0f} MB")
    say("scaling ...")
    r["scaling"] = figures.scaling(plan["scaling"])
    r["exponent"] = figures.exponent(r["scaling"])
    for row in r["scaling"]:
        say(f"  scale {row['scale']}: {row['agents']:,.0f} agents, {1000 * row['step'].median:.2f} ms per month")
    r["peer"] = []
    for households, months in plan["peer"].items():
        say(f"per-object peer at {households:,} households ({months} months) ...")
        r["peer"].append(figures.peer(households, months))
        say(f"  {r['peer'][-1]['ratio']:.0f}x")
    say("app default ...")
    r["app"] = figures.app_default(plan["app"])
    say("the app in headless Chromium ...")
    r["browser"] = browser.slider_moves(ROOT, plan["browser"])
    say("the app from a fresh server with its disk cache prepared ...")
    r["cold"] = browser.cold_starts(ROOT, plan["cold"])
    say("sweep throughput ...")
    r["sweep"] = figures.sweep_throughput(plan["sweep"])
    say("profiles ...")
    stats = figures.profile_run(plan["profile_scale"])
    r["profile_scale"] = plan["profile_scale"]
    r["phases"] = figures.where_time_goes(stats, figures.PHASES, "run")
    r["decisions"] = figures.where_time_goes(stats, ("age_and_reproduce", "decide_to_leave", "decide_to_return",
                                                     "arrive", "earn", "exit_businesses", "enter"),
                                             "run")
    r["hot"] = figures.hottest(stats, 12)
    small = figures.profile_run(APP_DEFAULT["scale"])
    r["app_phases"] = figures.where_time_goes(small, figures.PHASES, "run")
    r["app_hot"] = figures.hottest(small, 10)
    households, months = plan["reference_profile"]
    reference_stats, r["reference_agents"] = figures.profile_reference(households, months)
    r["reference_households"], r["reference_months"] = households, months
    r["reference_hot"] = figures.hottest(reference_stats, 10)
    r["reference_in_rules"] = figures.share_in_rules(reference_stats)
    r["load_end"] = load()
    return r


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer and smaller runs, to check the machinery")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "RESULTS.md"), help="where to write the report")
    parser.add_argument("--compare", metavar="REV", help="instead: an interleaved A/B of this checkout against REV "
                        "(benchmarks/compare.py)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the A/B (default 5)")
    args = parser.parse_args(argv)
    if args.compare:
        return compare.main([args.compare, "--rounds", str(args.rounds)])
    results = measure(QUICK if args.quick else FULL)
    results["quick"] = args.quick
    results["date"] = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    say("\n" + console(summary(results)))
    Path(args.out).write_text(markdown(results), encoding="utf-8")
    say(f"\nwritten to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
