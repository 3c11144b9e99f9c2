"""A same-session A/B of this checkout against another revision: `make bench ARGS="--compare REV"`.

This machine's speed drifts by up to a half within an hour, so two benchmark runs an hour apart cannot be
compared. Here the two codes run interleaved, in fresh interpreters, in one session: REV is checked out in
a temporary git worktree, and each round times both, in alternating order, on the same two figures:
- the full-scale baseline's model time (`model.run("baseline")`, 2014-2035, the county built and run);
- the app's default answer: a what-if at the app's scale and replicates, resumed from the baseline's
  history at its policy start (what a moved slider costs), serially.
The ratio of medians (this / REV) is printed with the rounds; the targets are 1.3 and 1.0.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEASURE = """
import json, time
import model
started = time.perf_counter(); model.run("baseline"); full = time.perf_counter() - started
scenario = {"extends": "baseline", "levers": {"stalls.supply": 1000}}
model.run("baseline", scale=0.05, replicates=4, parameter_draws=True)  # leaves the histories, as the app does
started = time.perf_counter()
model.run(scenario, scale=0.05, replicates=4, parameter_draws=True)
print(json.dumps({"full_scale_s": full, "app_default_s": time.perf_counter() - started}))
"""
TARGETS = {"full_scale_s": 1.3, "app_default_s": 1.0}


def measure(tree: Path) -> dict:
    """One round's figures for the code in `tree` (its model package, in a fresh interpreter)."""
    done = subprocess.run([sys.executable, "-c", MEASURE], cwd=tree, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def compare(revision: str, rounds: int) -> dict:
    with tempfile.TemporaryDirectory() as temporary:
        other = Path(temporary) / "other"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(other), revision], cwd=ROOT, check=True)
        try:
            results: dict[str, list[dict]] = {"this": [], "other": []}
            for number in range(rounds):
                order = (("this", ROOT), ("other", other)) if number % 2 == 0 else (("other", other), ("this", ROOT))
                for name, tree in order:
                    results[name].append(measure(tree))
                print(f"round {number + 1}/{rounds}: " + ", ".join(
                    f"{name} {results[name][-1]['full_scale_s']:.2f} s / {results[name][-1]['app_default_s']:.2f} s"
                    for name in ("this", "other")), flush=True)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(other)], cwd=ROOT, check=True)
    summary = {}
    for figure, target in TARGETS.items():
        this = statistics.median(r[figure] for r in results["this"])
        other_median = statistics.median(r[figure] for r in results["other"])
        summary[figure] = {"this": this, "other": other_median, "ratio": this / other_median, "target": target}
    return {"revision": revision, "rounds": rounds, "figures": summary}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revision", help="the git revision to compare with (e.g. the commit before a change)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (default 5)")
    args = parser.parse_args(argv)
    result = compare(args.revision, args.rounds)
    for figure, row in result["figures"].items():
        verdict = "met" if row["ratio"] <= row["target"] else "MISSED"
        print(f"{figure}: this {row['this']:.2f} s, {args.revision} {row['other']:.2f} s, ratio {row['ratio']:.2f} "
              f"(target at most {row['target']}): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
