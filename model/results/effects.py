"""`renewal effects`: what each shipped what-if does to the outcomes that answer its question.

Each what-if runs beside the baseline at the what-if's policy start, on the same seeds and parameter
draws, so that a replicate of the what-if and the same replicate of the baseline differ only by what
the what-if changed (its levers, or for a shock its uncertainties). The effect on an outcome is the
median of the replicates' paired differences, with the 5-95% band of those differences
(`paired_difference`, model/results/outcomes.py); a band that contains zero is within noise.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from model.inputs.calendar import format_month
from model.inputs.errors import InputError
from model.inputs.locations import SCENARIO_DIR
from model.inputs.scenario import ResolvedScenario, resolve
from model.results.outcomes import BY_OUTCOME, headlines, outcome_table, paired_difference, what_if_period
from model.results.run import run

REFERENCE = "baseline"
COLUMNS = ("scenario", "outcome", "baseline", "what_if", "change", "change_low", "change_high", "within_noise")


def shipped_what_ifs() -> list[str]:
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml") if p.stem != REFERENCE)


def answering(resolved: ResolvedScenario) -> tuple:
    """The catalogue outcomes a scenario names as answering its question."""
    unknown = [name for name in resolved.outcomes if name not in BY_OUTCOME]
    if unknown or not resolved.outcomes:
        where = resolved.files[0] if resolved.files else resolved.name
        raise InputError(where, "outcomes", f"{unknown or 'none given'}: name the outcomes that answer the "
                         f"question, from {', '.join(BY_OUTCOME)}")
    return tuple(BY_OUTCOME[name] for name in resolved.outcomes)


def effect_of(name: str, *, scale: float, replicates: int, seed: int, parameter_draws: bool = True,
              county: str | Path | None = None, workers: int = 1) -> pd.DataFrame:
    """One what-if's paired effects on its answering outcomes (one row per outcome)."""
    what_if = resolve(name, scale=scale, replicates=replicates, seed=seed, parameter_draws=parameter_draws,
                      county=county)
    outcomes = answering(what_if)
    reference = resolve({"extends": REFERENCE, "policy_start": format_month(what_if.policy_start)}, scale=scale,
                        replicates=replicates, seed=seed, parameter_draws=parameter_draws, county=county)
    base = run(reference, workers=workers)
    result = run(what_if, workers=workers)
    period = what_if_period(result.manifest)
    values, reference_values = (outcome_table(r.monthly, period, outcomes) for r in (result, base))
    changes = pd.DataFrame([paired_difference(values[o.name], reference_values[o.name], o) for o in outcomes],
                           columns=["change", "change_low", "change_high", "within_noise"])
    return pd.DataFrame({
        "scenario": name, "outcome": [o.name for o in outcomes],
        "baseline": headlines(reference_values, None, outcomes)["value"].to_numpy(),
        "what_if": headlines(values, None, outcomes)["value"].to_numpy(), **changes})


def effects(names: list[str] | None = None, **settings) -> pd.DataFrame:
    """Every shipped what-if's effects (or those named), one row per what-if and outcome."""
    return pd.concat([effect_of(name, **settings) for name in names or shipped_what_ifs()], ignore_index=True)
