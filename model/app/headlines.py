"""The app's headline numbers: which outcomes of the catalogue it shows, and their table against the
baseline (model/results/outcomes.py: the statistic, its band, the paired change)."""

from __future__ import annotations

import pandas as pd

from model.results.comparison import pairs_table
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


def headline_csv(table: pd.DataFrame, outcomes: tuple[Outcome, ...], lang: str) -> bytes:
    """The headline numbers as the page shows them, one row per outcome, saying which statistic each value is
    (the catalogue's, as on the page and in the report), with its band, its unit and the paired change."""
    rows = pd.DataFrame({"outcome": [o.name for o in outcomes], "label": [o.label(lang) for o in outcomes],
                         "statistic": [o.statistic for o in outcomes], "unit": [o.unit for o in outcomes]})
    numbers = table.loc[[o.name for o in outcomes]].reset_index(drop=True).rename(columns={"low": "p5", "high": "p95"})
    return pd.concat([rows, numbers], axis=1).to_csv(index=False).encode("utf-8")


PAIRED_ON = ("seeds", "scale", "policy_start", "start", "end")  # what paired settings share (and draws or not)


def paired_with_first(results: dict[str, RunResult], outcomes: tuple[Outcome, ...]) -> pd.DataFrame | None:
    """`renewal compare`'s pairs table (model/results/comparison.py) of the first setting against each other
    one, when all of them ran on the same seeds, draws, scale and period (replicate i of each is then a paired
    trial); None when they did not, and only their bands can be set side by side."""
    manifests = [r.manifest for r in results.values()]
    first = manifests[0]
    if any(m[key] != first[key] for m in manifests for key in PAIRED_ON) or \
            len({m["parameter_draws"] is None for m in manifests}) > 1:
        return None
    tables = {name: outcome_table(r.monthly, what_if_period(r.manifest), outcomes) for name, r in results.items()}
    pairs = pairs_table(tables, outcomes)
    return pairs[pairs["policy"] == next(iter(results))].reset_index(drop=True)
