"""SIGTERM and Ctrl-C end `renewal run --workers N` with its worker processes, and leave nothing partial."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import psutil
import pytest

from tests.conftest import ROOT


def started_with_workers(out) -> tuple[subprocess.Popen, list[psutil.Process]]:
    """`renewal run --workers 2` in a subprocess, once both its workers exist (and the run is under way)."""
    command = [sys.executable, "-m", "model.cli", "run", "--scale", "0.25", "--replicates", "8", "--workers", "2",
               "--quiet", "--out", str(out)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    parent = psutil.Process(process.pid)
    deadline = time.monotonic() + 120
    while len(parent.children(recursive=True)) < 2:
        assert process.poll() is None and time.monotonic() < deadline, "the workers never started"
        time.sleep(0.1)
    time.sleep(1.0)  # the workers are running replicates (each takes seconds at this scale: the signal finds them busy)
    return process, parent.children(recursive=True)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_ends_the_run_and_its_workers_and_leaves_nothing_partial(tmp_path, signum):
    out = tmp_path / "out"
    process, children = started_with_workers(out)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert stderr.strip() == "interrupted; nothing was written" and "Traceback" not in stderr
    gone, alive = psutil.wait_procs(children, timeout=10)
    assert not alive, f"worker processes still running: {alive}"
    assert list(tmp_path.iterdir()) == []  # no results, no staging folder


def test_workers_end_when_their_parent_is_killed_outright(tmp_path):
    process, children = started_with_workers(tmp_path / "out")
    process.kill()
    process.communicate(timeout=30)
    gone, alive = psutil.wait_procs(children, timeout=15)
    assert not alive, f"orphaned worker processes still running: {alive}"
