"""Random numbers: one stream per submodel, part and month, derived from the run's seed.

Each submodel (`Stream`) has its own Philox key, derived from the seed. Month t of a submodel starts
at its own block of Philox's counter, so what a submodel draws in a month does not depend on how much
it drew before: a what-if shares its draws with the baseline month by month (common random numbers),
and a run resumed from a stored state draws what the whole run would have. A submodel that needs
independent draws for two purposes in one month (thinning's candidate rows and their draws) takes
them from two parts, each its own block of the counter.

Philox is counter-based, so moving a generator to a month is setting its counter, a few microseconds;
seeding a new generator per submodel and month cost a tenth to a third of a month's work at the app's
scale (interleaved A/B runs on this machine).
"""

from __future__ import annotations

from enum import IntEnum, auto

import numpy as np


class Stream(IntEnum):
    """Independent random streams, one per submodel."""

    BUILD = auto()
    DEMOGRAPHY = auto()
    LEAVING = auto()
    RETURNING = auto()
    ARRIVING = auto()
    RENOVATION = auto()
    BUSINESS = auto()
    STALLS = auto()
    DISPUTES = auto()


class Streams:
    """The run's generators, one per (submodel, part), each moved to the month it is asked for. A
    generator is reused: take it for one month's draws, not across months."""

    def __init__(self, seed: int):
        self.seed = int(seed)
        self._generators: dict[tuple[int, int], tuple[np.random.Generator, dict]] = {}

    def at(self, which: Stream, month: int, part: int = 0) -> np.random.Generator:
        """The generator of `which` (and `part`) positioned at the start of `month` (an index)."""
        if (which, part) not in self._generators:
            key = np.random.SeedSequence([self.seed, int(which)]).generate_state(2, dtype=np.uint64)
            generator = np.random.Generator(np.random.Philox(key=key))
            self._generators[(which, part)] = generator, generator.bit_generator.state  # a fresh state
        generator, start = self._generators[(which, part)]
        start["state"]["counter"][2:] = part, month
        generator.bit_generator.state = start
        return generator


def weighted_choice(rng: np.random.Generator, weights: np.ndarray, size: int) -> np.ndarray:
    """`size` indices drawn with chances in proportion to `weights`: a binary search of uniform draws
    in the cumulative weights (`Generator.choice` with `p=` checks and normalises the weights on every
    call, several times slower for the few draws of a month)."""
    cumulative = np.cumsum(weights)
    chosen = np.searchsorted(cumulative, rng.random(size) * cumulative[-1], side="right")
    return np.minimum(chosen, np.flatnonzero(weights)[-1])  # a draw rounded up to the total: the last possible
