"""The size limit of a sweep: a design above it is refused with its run count and a measured time
estimate before anything is planned, so that a typo (steps: 1000 on three keys) cannot start a
planning that fills the memory or a run that lasts for months.
"""

from __future__ import annotations

import dataclasses
import time

from model.inputs.errors import InputError
from model.inputs.scenario import ResolvedScenario
from model.results.run import run

DEFAULT_MAX_RUNS = 100_000
TIMED_MONTHS = 12  # the timed run: the base's first year at the spec's scale


def check_runs(where: str, runs: int, described: str, limit: int | None, base: ResolvedScenario,
               workers: int | None) -> None:
    """Refuse `runs` above the limit (the spec's max_runs or --max-runs; default DEFAULT_MAX_RUNS)."""
    limit = DEFAULT_MAX_RUNS if limit is None else limit
    if runs <= limit:
        return
    seconds = runs * seconds_per_run(base) / (workers or 1)
    on = f"on {workers} worker(s)" if workers else "on one worker"
    raise InputError(where, "max_runs", f"{described} = {runs:,} runs is above the limit of {limit:,} runs "
                     f"(about {duration(seconds)} {on}, from a timed run at scale {base.scale}); shrink the design, "
                     "or raise the limit with max_runs: N in the spec or --max-runs N")


def seconds_per_run(base: ResolvedScenario) -> float:
    """One run's wall time, estimated from a timed run of the base's first months: the time to the
    first month (setting up the county) plus the months after it at the measured pace."""
    months = base.end - base.start + 1
    short = dataclasses.replace(base, end=min(base.end, base.start + TIMED_MONTHS - 1), replicates=1)
    started = time.perf_counter()
    marks: list[float] = []
    run(short, progress=lambda done, total: marks.append(time.perf_counter() - started))
    first, last = marks[0], marks[-1]
    per_month = (last - first) / (len(marks) - 1) if len(marks) > 1 else first
    return first + per_month * (months - 1)


def duration(seconds: float) -> str:
    """A time span in the largest unit that keeps it readable."""
    for unit, size in (("days", 86_400), ("hours", 3_600), ("minutes", 60)):
        if seconds >= 2 * size:
            return f"{seconds / size:,.0f} {unit}"
    return f"{seconds:.0f} seconds"
