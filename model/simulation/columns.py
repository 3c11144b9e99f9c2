"""Agents held column-wise: one NumPy array per attribute, decided in bulk.

Plain per-object Mesa agents are far too slow at county scale (hundreds of thousands of
households); a row of these arrays is one agent. Rows of agents that are gone are reused.
"""

from __future__ import annotations

import math
import sys

import numpy as np


class ColumnStore:
    """A table of agents. Subclasses declare `COLUMNS = {name: dtype}`; `alive` marks live rows."""

    COLUMNS: dict[str, type] = {}

    def __init__(self, capacity: int):
        self.size = 0  # rows ever used; rows beyond are free capacity
        self.alive = np.zeros(capacity, dtype=bool)
        self.free = np.empty(0, dtype=np.intp)  # used rows of removed agents, reused first
        for name, dtype in self.COLUMNS.items():
            setattr(self, name, np.zeros(capacity, dtype=dtype))

    @property
    def live(self) -> np.ndarray:
        """Mask of live rows among the used rows."""
        return self.alive[: self.size]

    def column(self, name: str) -> np.ndarray:
        """The used part of a column (a view: writes go to the store)."""
        return getattr(self, name)[: self.size]

    def sample_rows(self, rng: np.random.Generator, chance: float) -> tuple[np.ndarray, float]:
        """Candidate rows for an event whose chance is at most `chance` in every row, drawn directly
        instead of with a draw per row (thinning): far cheaper when the chance is small. Returns the
        candidates and the bound they were drawn with; the caller gives each candidate one draw from
        another stream and keeps it when draw x bound < its own chance: the same odds as a draw per row.

        The bound is the chance rounded up to a power of two, and candidates (geometric gaps between
        rows, from `rng`) and their draws come from separate streams, so nearby parameter values examine
        the same rows with the same draws: common random numbers across calibration candidates and
        what-ifs."""
        bound = min(2.0 ** math.ceil(math.log2(max(chance, sys.float_info.min))), 1.0)
        if bound >= 1.0:
            return np.arange(self.size), bound
        chunks, last = [], -1
        while last < self.size - 1:
            chunk = last + np.cumsum(rng.geometric(bound, size=int(self.size * bound) + 1))
            chunks.append(chunk)
            last = int(chunk[-1])
        rows = np.concatenate(chunks)
        return rows[rows < self.size], bound

    def add(self, count: int, **values) -> np.ndarray:
        """Add `count` agents with the given column values; returns their row indices."""
        if count == 0:  # most months add nobody through some of the callers
            return np.empty(0, dtype=np.intp)
        free, self.free = self.free[:count], self.free[count:]
        fresh = count - len(free)
        if self.size + fresh > len(self.alive):
            self._grow(self.size + fresh)
        rows = np.concatenate([free, np.arange(self.size, self.size + fresh)])
        self.size += fresh
        self.alive[rows] = True
        for name, dtype in self.COLUMNS.items():
            getattr(self, name)[rows] = values.get(name, dtype(0))
        return rows

    def remove(self, rows: np.ndarray) -> None:
        """The agents in these rows are gone; their rows will be reused."""
        self.alive[rows] = False
        self.free = np.concatenate([self.free, rows])

    def _grow(self, needed: int) -> None:
        capacity = max(needed, 2 * len(self.alive))
        for name in ["alive", *self.COLUMNS]:
            old = getattr(self, name)
            new = np.zeros(capacity, dtype=old.dtype)
            new[: len(old)] = old
            setattr(self, name, new)
