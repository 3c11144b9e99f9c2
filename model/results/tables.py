"""A replicate's tables: the monthly measures in real-county units and the compounds at the end."""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.inputs.calendar import format_month
from model.inputs.scenario import ResolvedScenario
from model.simulation.compounds import ITEMS, Kind, Status, Track, names
from model.simulation.measures import MEASURES
from model.simulation.model import RenewalModel


def monthly_table(model: RenewalModel, resolved: ResolvedScenario, replicate: int, seed: int) -> pd.DataFrame:
    measures = np.vstack(model.datacollector.model_vars["measures"])
    per_scale = np.array([resolved.scale if m.scaled else 1.0 for m in MEASURES])
    shown = model.p.months >= resolved.start
    data = pd.DataFrame(measures[shown] / per_scale, columns=[m.name for m in MEASURES])
    data.insert(0, "month", [format_month(int(m)) for m in model.p.months[shown]])
    data.insert(1, "replicate", replicate)
    data.insert(2, "seed", np.uint64(seed))
    return data


def compound_table(model: RenewalModel, replicate: int) -> pd.DataFrame:
    """The compounds at the end of the run: kind, status, cost split, dates, who lives there."""
    c = model.compounds
    households, persons = model.census.households, model.census.persons
    programme = c.in_programme

    def when(months: np.ndarray) -> list:
        return [format_month(int(model.p.months[m])) if m >= 0 else None for m in months[programme]]

    table = pd.DataFrame({
        "replicate": replicate,
        "compound": np.flatnonzero(programme),
        **{column: [labels[v] for v in values[programme]] for column, labels, values in
           (("kind", names(Kind), c.kind), ("track", names(Track), c.track), ("status", names(Status), c.status))},
        "urgency": c.urgency[programme],
        "households_at_start": c.households_at_start[programme],
        "households_now": households[programme],
        "persons_now": persons[programme],
        "floor_area_m2": c.floor_area[programme],
        "relative_income": model.relative_income()[programme],
        **{f"problem_{item}": c.problems[programme, i] for i, item in enumerate(ITEMS)},
        **{f"item_{item}": c.chosen[programme, i] for i, item in enumerate(ITEMS)},
        "listed_month": when(c.listed_month),
        "collecting_month": when(c.collecting_month),
        "funded_month": when(c.funded_month),
        "works_month": when(c.works_month),
        "renovated_month": when(c.renovated_month),
        "renovations": c.renovations[programme],
        "cost_yuan": c.cost[programme],
        "resident_share_yuan": c.resident_share[programme],
        "government_share_yuan": c.government_share[programme],
        "cost_total_yuan": c.cost_total[programme],
        "resident_total_yuan": c.resident_total[programme],
        "government_total_yuan": c.government_total[programme],
        "households_covered": c.households_covered[programme],
        "persons_covered": c.persons_covered[programme],
    })
    return table
