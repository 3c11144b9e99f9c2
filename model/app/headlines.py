"""The app's headline numbers: which outcomes of the catalogue it shows, and their table against the
baseline (model/results/outcomes.py: the statistic, its band, the paired change)."""

from __future__ import annotations

import pandas as pd

from model.results.outcomes import BY_OUTCOME, Outcome, headlines, outcome_table, what_if_period
from model.results.run import RunResult

# The outcomes on the app's first screen, in their order (three to a row).
SHOWN: tuple[Outcome, ...] = tuple(BY_OUTCOME[name] for name in (
    "population_end", "renovated_by_2030", "households_covered", "unresolved_poorest", "government_spending",
    "resident_contributions", "businesses_end", "stall_occupancy_end", "disputes_backlog_end"))


def shown_for(answering: list[str] | tuple[str, ...]) -> tuple[Outcome, ...]:
    """The headline outcomes for a preset: those that answer its question first (its `outcomes:`),
    then the other first-screen outcomes."""
    first = tuple(BY_OUTCOME[name] for name in answering if name in BY_OUTCOME)
    return first + tuple(o for o in SHOWN if o not in first)


def headline_table(result: RunResult, reference: RunResult, outcomes: tuple[Outcome, ...] = SHOWN) -> pd.DataFrame:
    """Per outcome: its statistic and 5-95% band across the setting's replicates, and the paired change
    against the reference (same seeds and parameter draws) with its band."""
    period = what_if_period(result.manifest)
    return headlines(outcome_table(result.monthly, period, outcomes), outcome_table(reference.monthly, period, outcomes),
                     outcomes)
