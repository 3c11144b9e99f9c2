"""Repeated measurements summarised as median, min and max; whole processes timed with their peak memory."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Stat:
    """A figure measured several times."""

    median: float
    low: float
    high: float
    n: int

    @classmethod
    def of(cls, values: list[float]) -> Stat:
        return cls(statistics.median(values), min(values), max(values), len(values))

    def show(self, fmt: str = "{:.2f}") -> str:
        return f"{fmt.format(self.median)} [{fmt.format(self.low)}-{fmt.format(self.high)}, n={self.n}]"


@dataclass(frozen=True)
class Timed:
    """Wall-clock and CPU seconds of repeated calls (CPU time shows what a busy machine hides)."""

    wall: Stat
    cpu: Stat


def repeat(call: Callable[[], object], times: int) -> Timed:
    walls, cpus = [], []
    for _ in range(times):
        wall, cpu = time.perf_counter(), time.process_time()
        call()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return Timed(Stat.of(walls), Stat.of(cpus))


@dataclass(frozen=True)
class ProcessRun:
    wall: float  # seconds from start to exit
    cpu: float  # user + system seconds of the process
    peak_mb: float  # largest resident set size


def run_process(args: list[str], cwd: str) -> ProcessRun:
    """Run a command to its end; its wall time, CPU time and peak memory (Linux: ru_maxrss in KiB)."""
    started = time.perf_counter()
    child = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {child.stderr.read().decode()[-2000:]}")
    child.stderr.close()
    return ProcessRun(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)
