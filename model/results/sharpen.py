"""More replicates of a setting and its reference, run in the background to sharpen a quick answer.

A quick run has few replicates, so its bands are rough. While its reader stays on it, replicates n, n+1,
... of both the setting and its reference run in kept background processes at the lowest CPU priority
(model/results/run.py `background_replicate`), a pair at a time per process, and the answer can be redrawn
with more of them. Replicate i of a run depends only on its seed and i (the
seeds are the first children of one SeedSequence, which do not depend on how many are spawned), so the
first 4 replicates and replicates 4 to 31 make exactly the 32-replicate run (tested).

Nothing is submitted unless `advance` is called, so the work stops when its reader does (a page that is
closed calls nothing, and at most a pair per process is left to finish); the operating system gives any
visitor's foreground run the cores first.
"""

from __future__ import annotations

import dataclasses
import time
from concurrent.futures import Future

import pandas as pd

from model.results.manifest import manifest
from model.results.run import RunResult, background_replicate, replicate_seeds

SETTING, REFERENCE = 0, 1


class Sharpening:
    """Replicates beyond a setting's and its reference's first ones, up to `target`, in the background."""

    def __init__(self, setting: RunResult, reference: RunResult, target: int, workers: int):
        self.first = (setting, reference)
        self.have = setting.manifest["replicates"]
        if reference.manifest["replicates"] != self.have:
            raise ValueError("the setting and its reference must have as many replicates to be paired")
        self.target = max(target, self.have)
        self.workers = workers
        self.same = setting.manifest["scenario_hash"] == reference.manifest["scenario_hash"]
        self.scenarios = tuple(dataclasses.replace(r.scenario, replicates=self.target) for r in self.first)
        self.seeds = replicate_seeds(setting.scenario.seed, self.target)
        self.parts: tuple[dict[int, tuple], dict[int, tuple]] = ({}, {})
        self.pending: dict[tuple[int, int], Future] = {}
        self.failed = False
        self.started = time.perf_counter()

    @property
    def count(self) -> int:
        """Replicates ready for both the setting and its reference, counted from the first (a paired answer
        needs replicate i of both)."""
        count = self.have
        while count < self.target and all(count in self.parts[which] for which in self._runs()):
            count += 1
        return count

    @property
    def finished(self) -> bool:
        return self.failed or self.count >= self.target

    def advance(self) -> int:
        """Take in the replicates that have finished and submit the next ones, as many pairs as there are
        background processes; returns how many paired replicates are ready."""
        for (which, replicate), future in list(self.pending.items()):
            if not future.done():
                continue
            del self.pending[(which, replicate)]
            try:
                self.parts[which][replicate] = future.result()
            except Exception:  # cancelled, or its process was stopped: keep what has arrived
                self.failed = True
        if not self.failed:
            wanted = [(which, i) for i in range(self.have, self.target) for which in self._runs()
                      if i not in self.parts[which] and (which, i) not in self.pending]
            for which, i in wanted[: max(self.workers * len(self._runs()) - len(self.pending), 0)]:  # a pair a process
                self.pending[(which, i)] = background_replicate(self.scenarios[which], self.seeds[i], i, self.workers)
        return self.count

    def cancel(self) -> None:
        """Stop: what has not started is dropped, what runs finishes unread."""
        for future in self.pending.values():
            future.cancel()
        self.pending.clear()
        self.failed = True

    def results(self, count: int | None = None) -> tuple[RunResult, RunResult]:
        """The setting and its reference with their first `count` replicates (default: every paired replicate
        ready), as one run of that many each."""
        count = self.count if count is None else min(count, self.count)
        if count == self.have:
            return self.first
        return self._merged(SETTING, count), self._merged(REFERENCE, count)

    def _runs(self) -> tuple[int, ...]:
        return (SETTING,) if self.same else (SETTING, REFERENCE)

    def _merged(self, which: int, count: int) -> RunResult:
        first = self.first[which]
        parts = [self.parts[SETTING if self.same else which][i] for i in range(self.have, count)]
        monthly, compounds, draws, hashes = (list(column) for column in zip(*parts))
        scenario = dataclasses.replace(first.scenario, replicates=count)
        record = manifest(scenario, self.seeds[:count], first.manifest["run_hashes"] + hashes,
                          (first.manifest["parameter_draws"] or [None] * self.have) + draws, self.started)
        return RunResult(pd.concat([first.monthly, *monthly], ignore_index=True),
                         pd.concat([first.compounds, *compounds], ignore_index=True), record, scenario)
