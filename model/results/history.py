"""Shared histories: the state of a run at its policy start, kept in this process.

A what-if that agrees with an earlier run on every value before its policy start has the same history,
so it resumes from there instead of replaying it (results are identical; tested). This is what makes
the app answer quickly.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections import OrderedDict
from collections.abc import Callable

from model.inputs.params import Params
from model.inputs.scenario import ResolvedScenario
from model.inputs.versioning import code_version
from model.simulation.model import RenewalModel

Progress = Callable[[int, int], None]  # (months done, months in all)
HISTORIES_KEPT = 64


class Histories:
    """The most recently used histories, up to `kept`, by the key of everything that determines them."""

    def __init__(self, kept: int = HISTORIES_KEPT):
        self.kept = kept
        self._states: OrderedDict[str, RenewalModel] = OrderedDict()

    def __len__(self) -> int:
        return len(self._states)

    def clear(self) -> None:
        self._states.clear()

    @staticmethod
    def key(resolved: ResolvedScenario, seed: int, month: int) -> str:
        """Everything that determines a run up to `month` (its policy start, or its end if that is earlier)."""
        before = {key: [[m, v] for m, v in schedule if m < month]
                  for key, schedule in sorted(resolved.schedules.items())}
        payload = json.dumps([before, month, resolved.scale, int(seed), code_version()])
        return hashlib.sha256(payload.encode()).hexdigest()

    def resume(self, key: str) -> RenewalModel | None:
        """A copy of the stored state, or None."""
        if key not in self._states:
            return None
        self._states.move_to_end(key)
        return copy.deepcopy(self._states[key])

    def keep(self, key: str, model: RenewalModel) -> None:
        if key in self._states:
            return
        self._states[key] = copy.deepcopy(model)
        while len(self._states) > self.kept:
            self._states.popitem(last=False)


HISTORIES = Histories()


def simulate(resolved: ResolvedScenario, seed: int, replicate: int = 0, replicates: int = 1,
             progress: Progress | None = None) -> RenewalModel:
    """One replicate of `resolved` to its end, resumed from a shared history when one is kept."""
    params = Params(resolved)
    months = len(params.months)
    history = min(max(resolved.policy_start - params.first_month, 0), months)
    key = HISTORIES.key(resolved, seed, params.first_month + history)
    model = HISTORIES.resume(key) if history else None
    if model is not None:
        model.continue_with(params)
    else:
        model = RenewalModel(params, seed)
    for month in range(model.p.t, months):
        if month == history and history:
            HISTORIES.keep(key, model)
        model.step()
        if progress:
            progress(replicate * months + month + 1, replicates * months)
    return model
