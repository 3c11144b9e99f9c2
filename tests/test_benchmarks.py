"""The benchmark machinery (`make bench`) still runs end to end: its quick mode, every figure reported.
No timing is asserted here; the figures themselves belong in benchmarks/RESULTS.md."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

FIGURES = ("full-scale baseline, model time", "full-scale baseline, peak memory", "vectorised / per-object step",
           "fitted exponent", "app default", "headless Chromium", "fresh server, prepared cache", "sweep throughput",
           "## Where the time goes")


def test_the_quick_benchmark_reports_every_figure(tmp_path):
    out = tmp_path / "RESULTS.md"
    done = subprocess.run([sys.executable, "-m", "benchmarks.run", "--quick", "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stderr[-3000:]
    report = out.read_text(encoding="utf-8")
    missing = [figure for figure in FIGURES if figure not in report]
    assert not missing, missing
    assert "| verdict |" in report and report.count("| met |") + report.count("| NOT met |") >= 5
