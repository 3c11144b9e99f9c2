"""Sweep throughput: runs per minute at scale 0.1 (the full 2014-2035 baseline period) with 1 and 2 workers.

    python -m benchmarks.sweep_throughput [--runs 8] [--scale 0.1] [--workers 1 2]

Each measurement is a fresh `renewal sweep` of an LHS design over two levers into an empty store,
timed from the first submission to the written summary; the process pool's start-up is included,
as a user would see it. A timing, not a test: numbers depend on the machine and on what else runs.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

from model.sweeps.runner import open_executor, run_sweep
from model.sweeps.spec import load_spec
from model.sweeps.store import Store

SPEC = """\
name: throughput
base: baseline
design: lhs
samples: {runs}
replicates: 1
scale: {scale}
seed: 1
vary:
  renovation.resident_share: {{range: [0.1, 0.4]}}
  stalls.supply: {{range: [420, 2520]}}
"""


def measure(runs: int, scale: float, workers: int) -> float:
    """Runs per minute of one fresh sweep of `runs` runs with `workers` workers."""
    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / "throughput.yaml"
        spec.write_text(SPEC.format(runs=runs, scale=scale), encoding="utf-8")
        sweep = load_spec(spec)
        started = time.perf_counter()
        with open_executor(workers) as (executor, parallelism):
            report = run_sweep(sweep, Store(Path(tmp) / "store"), executor, parallelism)
        elapsed = time.perf_counter() - started
    if report.run_now != runs or report.failures:
        raise SystemExit(f"the benchmark sweep did not complete: {report.failures}")
    return runs / elapsed * 60


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=8, help="runs per measurement (default 8)")
    parser.add_argument("--scale", type=float, default=0.1, help="fraction of the county (default 0.1)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts (default 1 2)")
    args = parser.parse_args()
    print(f"sweep throughput: {args.runs} runs of 2014-01..2035-12 at scale {args.scale}; "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}")
    for workers in args.workers:
        print(f"  {workers} worker(s): {measure(args.runs, args.scale, workers):6.1f} runs per minute", flush=True)


if __name__ == "__main__":
    main()
