"""Free stall markets (便民小微市场) and their vendors.

Documented rules (src000): 12 markets with more than 800 free stalls for flexibly employed people,
applied for online; each month the area manager scores every vendor; a score below 60 blacklists the
vendor from that market's area for three months; a full score gives first choice of stall at the
next allocation. The full score (100), who would keep a stall, how often they apply (more when other
work is scarce) and their compliance are assumed. There are as many markets at every scale (scale
shrinks the stalls of each), so that a ban "in that area" leaves the other areas to apply in.
"""

from __future__ import annotations

import mesa
import numpy as np

from model.inputs.params import Params


def among(values: np.ndarray, members: np.ndarray) -> np.ndarray:
    """`np.isin` for the few dozen to few thousand uids of a market, without its set-up cost."""
    if len(members) == 0:
        return np.zeros(len(values), dtype=bool)
    members = np.sort(members)
    return members[np.minimum(np.searchsorted(members, values), len(members) - 1)] == values


class StallMarket(mesa.Agent):
    """One market: allocates its stalls each month, scores its vendors, bans and prioritises them."""

    def __init__(self, model: mesa.Model, index: int, stalls: int):
        super().__init__(model)
        self.index = index
        self.stalls = stalls
        self.vendor_rows = np.empty(0, dtype=np.int64)  # household rows holding a stall this month
        self.vendor_uids = np.empty(0, dtype=np.int64)
        self.banned_uids = np.empty(0, dtype=np.int64)  # vendors banned from this market ...
        self.banned_until = np.empty(0, dtype=np.int64)  # ... up to and including this month index
        self.priority = np.empty(0, dtype=np.int64)  # uids with a full score last month
        self.bans_issued = 0

    def is_banned(self, uids: np.ndarray, t: int) -> np.ndarray:
        return among(uids, self.banned_uids[self.banned_until >= t])

    def allocate_stalls(self, rng: np.random.Generator, rows: np.ndarray, uids: np.ndarray, t: int) -> None:
        """Applicants not banned here get stalls: last month's full scorers first, then the rest by lot."""
        eligible = ~self.is_banned(uids, t)
        rows, uids = rows[eligible], uids[eligible]
        first = among(uids, self.priority)
        order = np.concatenate([rng.permutation(np.flatnonzero(first)), rng.permutation(np.flatnonzero(~first))])
        chosen = order[: self.stalls]
        self.vendor_rows, self.vendor_uids = rows[chosen], uids[chosen]
        self.priority = self.priority[:0]

    def take_more(self, rng: np.random.Generator, rows: np.ndarray, uids: np.ndarray, t: int) -> np.ndarray:
        """Fill stalls left free with applicants from elsewhere who are not banned here, by lot; returns the
        rows placed."""
        free = self.stalls - len(self.vendor_rows)
        eligible = np.flatnonzero(~self.is_banned(uids, t))
        placed = rng.permutation(eligible)[: max(free, 0)]
        self.vendor_rows = np.concatenate([self.vendor_rows, rows[placed]])
        self.vendor_uids = np.concatenate([self.vendor_uids, uids[placed]])
        return rows[placed]

    def score_vendors(self, p: Params, rng: np.random.Generator, compliance: np.ndarray, t: int) -> np.ndarray:
        """Monthly scores; below the threshold: banned from this market; full score: priority next time.
        Returns the scores (in vendor order)."""
        full = p.now("stalls.score_max")
        scores = np.clip(np.round(rng.normal(full * compliance, p.now("stalls.score_noise"))), 0, full)
        banned = scores < p.now("stalls.score_threshold")
        current = self.banned_until >= t
        self.banned_uids = np.concatenate([self.banned_uids[current], self.vendor_uids[banned]])
        self.banned_until = np.concatenate([self.banned_until[current],
                                            np.full(banned.sum(), t + p.count("stalls.ban_months"))])
        self.priority = self.vendor_uids[scores >= full]
        self.bans_issued = int(banned.sum())
        self.vendor_rows, self.vendor_uids = self.vendor_rows[~banned], self.vendor_uids[~banned]
        return scores

    def banned_count(self, t: int) -> int:
        return int((self.banned_until >= t).sum())


def spill_over(markets: list[StallMarket], rng: np.random.Generator, rows: np.ndarray, uids: np.ndarray,
               choice: np.ndarray, t: int) -> None:
    """Applicants their market could not place try the next market round that has stalls left, once."""
    placed = np.concatenate([m.vendor_rows for m in markets])
    waiting = (choice >= 0) & ~among(rows, placed)
    count = len(markets)
    for index, market in enumerate(markets):
        mine = waiting & ((choice + 1) % count == index)
        if mine.any() and len(market.vendor_rows) < market.stalls:
            market.take_more(rng, rows[mine], uids[mine], t)


def apply_chance(p: Params, economy: float) -> float:
    """Chance that a would-be vendor applies for a stall this month: more when the economy is weak."""
    return float(min(p.now("stalls.apply_rate") * economy ** -p.now("stalls.apply_economy_elasticity"), 1.0))


def choose_markets(markets: list[StallMarket], home: np.ndarray, uids: np.ndarray, t: int) -> np.ndarray:
    """Each applicant applies at its home market or, if banned there, at the next one (-1: nowhere)."""
    count = len(markets)
    home = home.astype(np.int64) % count
    alternative = (home + 1) % count
    bans = np.concatenate([m.banned_uids[m.banned_until >= t] * count + index for index, m in enumerate(markets)])
    banned_home = among(uids * count + home, bans)
    fallback = np.where(among(uids * count + alternative, bans) | (alternative == home), -1, alternative)
    return np.where(banned_home, fallback, home)
