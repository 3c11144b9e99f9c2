"""Free stall markets (便民小微市场) and their vendors.

Documented rules (src000): 12 markets with more than 800 free stalls for flexibly employed people,
applied for online; each month the area manager scores every vendor; a score below 60 blacklists the
vendor from that market's area for three months; a full score gives first choice of stall at the
next allocation. The full score (100), who would keep a stall, how often they apply (more when other
work is scarce) and their compliance are assumed. There are as many markets at every scale (scale
shrinks the stalls of each), so that a ban "in that area" leaves the other areas to apply in.

The markets keep one book between them: a vendor's place in it is the pair (vendor, market), coded
as one number, so that a month's bans, priorities and allocation are a few array operations whatever
the number of markets.
"""

from __future__ import annotations

import mesa
import numpy as np

from model.inputs.params import Params


def among(values: np.ndarray, members: np.ndarray, members_sorted: bool = False) -> np.ndarray:
    """`np.isin` for the few dozen to few thousand codes of the markets' book, without its set-up cost."""
    if len(members) == 0:
        return np.zeros(len(values), dtype=bool)
    if not members_sorted:
        members = np.sort(members)
    return members[np.minimum(np.searchsorted(members, values), len(members) - 1)] == values


def apply_chance(p: Params, economy: float) -> float:
    """Chance that a would-be vendor applies for a stall this month: more when the economy is weak."""
    return float(min(p.now("stalls.apply_rate") * economy ** -p.now("stalls.apply_economy_elasticity"), 1.0))


class StallMarkets(mesa.Agent):
    """The district's stall markets: each month they allocate their stalls, score their vendors, ban and
    prioritise them. Arrays by market: `stalls`; by vendor holding a stall: `vendor_rows`, `vendor_market`."""

    def __init__(self, model: mesa.Model, count: int):
        super().__init__(model)
        self.count = count
        self.stalls = np.zeros(count, dtype=np.int64)
        self.vendor_rows = np.empty(0, dtype=np.int64)  # household rows holding a stall this month ...
        self.vendor_uids = np.empty(0, dtype=np.int64)
        self.vendor_market = np.empty(0, dtype=np.int64)  # ... and the market each holds it in
        self.banned = np.empty(0, dtype=np.int64)  # (vendor, market) codes banned, sorted ...
        self.banned_until = np.empty(0, dtype=np.int64)  # ... up to and including this month index
        self.priority = np.empty(0, dtype=np.int64)  # (vendor, market) codes with a full score last month
        self.bans_issued = 0

    def code(self, uids: np.ndarray, markets: np.ndarray) -> np.ndarray:
        return uids * self.count + markets

    def close(self) -> None:
        """No stall is held (before the programme, and at the start of each month's allocation)."""
        self.vendor_rows, self.vendor_uids, self.vendor_market = (self.vendor_rows[:0], self.vendor_uids[:0],
                                                                 self.vendor_market[:0])
        self.bans_issued = 0

    def open(self, supply: int) -> None:
        """The month's stalls, shared out evenly between the markets."""
        self.stalls[:] = supply // self.count
        self.stalls[: supply % self.count] += 1

    def is_banned(self, uids: np.ndarray, markets: np.ndarray, t: int) -> np.ndarray:
        return among(self.code(uids, markets), self.banned[self.banned_until >= t], members_sorted=True)

    def choose(self, home: np.ndarray, uids: np.ndarray, t: int) -> np.ndarray:
        """Each applicant applies at its home market or, if banned there, at the next one (-1: nowhere)."""
        home = home.astype(np.int64) % self.count
        alternative = (home + 1) % self.count
        fallback = np.where(self.is_banned(uids, alternative, t) | (alternative == home), -1, alternative)
        return np.where(self.is_banned(uids, home, t), fallback, home)

    def allocate(self, rng: np.random.Generator, rows: np.ndarray, uids: np.ndarray, choice: np.ndarray) -> np.ndarray:
        """Each market gives its stalls to its applicants (`choice`, -1 for none): last month's full
        scorers first, then the rest by lot. Returns which applicants were placed."""
        first = among(self.code(uids, choice), self.priority)
        order = np.lexsort((rng.random(len(rows)), ~first, choice))
        placed = np.zeros(len(rows), dtype=bool)
        placed[self._place(rows, uids, choice, order[choice[order] >= 0], self.stalls)] = True
        self.priority = self.priority[:0]
        return placed

    def spill_over(self, rng: np.random.Generator, rows: np.ndarray, uids: np.ndarray, choice: np.ndarray,
                   placed: np.ndarray, t: int) -> None:
        """Applicants their market could not place (`placed` is False) try the next market round that has
        stalls left, once, by lot among those not banned there."""
        free = self.stalls - np.bincount(self.vendor_market, minlength=self.count)
        if not (free > 0).any():  # every stall taken, as in most months: nobody to move, nothing drawn
            return
        target = (choice + 1) % self.count
        waiting = np.flatnonzero((choice >= 0) & (free[target] > 0) & ~placed)
        waiting = waiting[~self.is_banned(uids[waiting], target[waiting], t)]
        order = waiting[np.lexsort((rng.random(len(waiting)), target[waiting]))]
        self._place(rows, uids, target, order, free)

    def _place(self, rows: np.ndarray, uids: np.ndarray, market: np.ndarray, order: np.ndarray,
               places: np.ndarray) -> np.ndarray:
        """Applicants in `order` (grouped by market, best claim first) take each market's `places`;
        returns the applicants placed."""
        ranked = market[order]
        rank = np.arange(len(order)) - np.searchsorted(ranked, np.arange(self.count))[ranked]
        picked = order[rank < places[ranked]]
        self._hold(rows, uids, picked, market)
        return picked

    def _hold(self, rows: np.ndarray, uids: np.ndarray, picked: np.ndarray, market: np.ndarray) -> None:
        """Add the picked applicants to the vendors, kept in market order (each market's in the order placed)."""
        if len(self.vendor_rows) == 0:  # the month's first allocation: `picked` is in market order already
            self.vendor_rows, self.vendor_uids, self.vendor_market = rows[picked], uids[picked], market[picked]
            return
        vendors = [np.concatenate([mine, new[picked]]) for mine, new in
                   ((self.vendor_rows, rows), (self.vendor_uids, uids), (self.vendor_market, market))]
        by_market = np.argsort(vendors[2], kind="stable")
        self.vendor_rows, self.vendor_uids, self.vendor_market = (column[by_market] for column in vendors)

    def score(self, p: Params, rng: np.random.Generator, compliance: np.ndarray, t: int) -> np.ndarray:
        """Monthly scores (`compliance` by vendor); below the threshold: banned from that market; full score:
        priority there next time. Returns the scores (in vendor order)."""
        full = p.now("stalls.score_max")
        scores = np.clip(np.round(rng.normal(full * compliance, p.now("stalls.score_noise"))), 0, full)
        banned = scores < p.now("stalls.score_threshold")
        codes = self.code(self.vendor_uids, self.vendor_market)
        current = self.banned_until >= t
        book = np.concatenate([self.banned[current], codes[banned]])
        until = np.concatenate([self.banned_until[current], np.full(banned.sum(), t + p.count("stalls.ban_months"))])
        by_code = np.argsort(book, kind="stable")  # sorted once here, not at each look-up
        self.banned, self.banned_until = book[by_code], until[by_code]
        self.priority = codes[scores >= full]
        self.bans_issued = int(banned.sum())
        kept = ~banned
        self.vendor_rows, self.vendor_uids, self.vendor_market = (self.vendor_rows[kept], self.vendor_uids[kept],
                                                                 self.vendor_market[kept])
        return scores

    def banned_count(self, t: int) -> int:
        return int((self.banned_until >= t).sum())
