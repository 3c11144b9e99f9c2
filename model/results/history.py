"""Shared histories: the state of a run at its policy start, kept in this process and, when a disk cache
is set (model/results/cache.py), on disk with a checkpoint every January before it.

A what-if that agrees with an earlier run on every value before its policy start has the same history,
so it resumes from there instead of replaying it (results are identical; tested). This is what makes
the app answer quickly. On disk, a restarted server or a new visitor does not replay it either, and a
run whose policy start is new resumes from the latest state stored before it (an earlier run's policy
start or a January checkpoint) instead of from 2014. A state is about 0.4 MB compressed at the app's
scale (0.05); docs/app.md gives the folder's size.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections import OrderedDict
from collections.abc import Callable

from model.inputs.calendar import MONTHS_PER_YEAR
from model.inputs.params import Params
from model.inputs.scenario import ResolvedScenario
from model.inputs.versioning import run_code_version
from model.results.cache import cache_file, enabled, read_entry, write_entry
from model.simulation.model import RenewalModel

Progress = Callable[[int, int], None]  # (months done, months in all)
HISTORIES_KEPT = 64
KIND = "histories"  # their folder in the disk cache
# January checkpoints go to disk for the first replicates only (the app's 4 and the first slider steps); the
# others keep their policy-start state: 64 replicates x 12 Januaries would take about 280 MB per history.
CHECKPOINT_REPLICATES = 8


class Histories:
    """The most recently used histories, up to `kept`, by the key of everything that determines them; on
    disk too when a cache folder is set."""

    def __init__(self, kept: int = HISTORIES_KEPT):
        self.kept = kept
        self._states: OrderedDict[str, RenewalModel] = OrderedDict()

    def __len__(self) -> int:
        return len(self._states)

    def clear(self) -> None:
        """Forget the states kept in memory (those on disk stay)."""
        self._states.clear()

    @staticmethod
    def key(resolved: ResolvedScenario, seed: int, month: int) -> str:
        """Everything that determines a run up to `month` (its policy start, or its end if that is earlier)."""
        before = {key: [[m, v] for m, v in schedule if m < month]
                  for key, schedule in sorted(resolved.schedules.items())}
        payload = json.dumps([before, month, resolved.scale, int(seed), run_code_version()])
        return hashlib.sha256(payload.encode()).hexdigest()

    def resume(self, key: str) -> RenewalModel | None:
        """A copy of the stored state (from memory, else from disk), or None."""
        if key not in self._states:
            stored = read_entry(cache_file(KIND, key))
            if stored is None:
                return None
            self._remember(key, stored)
        self._states.move_to_end(key)
        return copy.deepcopy(self._states[key])

    def keep(self, key: str, model: RenewalModel, in_memory: bool = True) -> None:
        """Keep a state: in memory (unless it is a checkpoint for the disk only), and on disk when a cache is set."""
        if in_memory and key not in self._states:
            self._remember(key, copy.deepcopy(model))
        write_entry(cache_file(KIND, key), model)

    def _remember(self, key: str, model: RenewalModel) -> None:
        self._states[key] = model
        while len(self._states) > self.kept:
            self._states.popitem(last=False)


HISTORIES = Histories()


def simulate(resolved: ResolvedScenario, seed: int, replicate: int = 0, replicates: int = 1,
             progress: Progress | None = None) -> RenewalModel:
    """One replicate of `resolved` to its end, resumed from the latest shared state before its policy start."""
    params = Params(resolved)
    months = len(params.months)
    history = min(max(resolved.policy_start - params.first_month, 0), months)
    key = HISTORIES.key(resolved, seed, params.first_month + history)
    model = _latest_state(resolved, seed, params.first_month, history, key)
    if model is not None:
        model.continue_with(params)
    else:
        model = RenewalModel(params, seed)
    checkpoints = replicate < CHECKPOINT_REPLICATES and enabled()
    for month in range(model.p.t, months):
        if month == history and history:
            HISTORIES.keep(key, model)
        elif checkpoints and 0 < month < history and (params.first_month + month) % MONTHS_PER_YEAR == 0:
            HISTORIES.keep(HISTORIES.key(resolved, seed, params.first_month + month), model, in_memory=False)
        model.step()
        if progress:
            progress(replicate * months + month + 1, replicates * months)
    return model


def _latest_state(resolved: ResolvedScenario, seed: int, first: int, history: int, key: str) -> RenewalModel | None:
    """The state at the policy start, else (with a disk cache) the latest January checkpoint before it."""
    if not history:
        return None
    model = HISTORIES.resume(key)
    if model is not None or not enabled():
        return model
    januaries = [m for m in range(history - 1, 0, -1) if (first + m) % MONTHS_PER_YEAR == 0]
    for month in januaries:
        model = HISTORIES.resume(HISTORIES.key(resolved, seed, first + month))
        if model is not None:
            return model
    return None
