"""`renewal effects`: what each shipped what-if does to the outcomes that answer its question.

`renewal compare` over each shipped what-if and the baseline: the baseline runs at the what-if's policy
start, on the same seeds and parameter draws, so that a replicate of the what-if and the same replicate
of the baseline differ only by what the what-if changed (its levers, or for a shock its uncertainties).
Per outcome: both policies' values (the outcome's statistic across replicates), the paired change with
its 5-95% band (within noise when the band contains zero), the share of replicates in which the what-if
is better than the baseline (in the outcome's better direction), and each one's 95th-percentile regret:
how far it falls short of the other in its bad cases.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from model.inputs.calendar import format_month
from model.inputs.errors import InputError
from model.inputs.locations import SCENARIO_DIR
from model.inputs.scenario import ResolvedScenario, resolve
from model.results.comparison import compare
from model.results.outcomes import BY_OUTCOME, headlines

REFERENCE = "baseline"
COLUMNS = ("scenario", "outcome", "baseline", "what_if", "change", "change_low", "change_high", "within_noise",
           "probability_better", "regret_baseline", "regret_what_if")


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
    """One what-if compared with the baseline on its answering outcomes (one row per outcome)."""
    what_if = resolve(name, scale=scale, replicates=replicates, seed=seed, parameter_draws=parameter_draws,
                      county=county)
    outcomes = answering(what_if)
    reference = resolve({"name": REFERENCE, "extends": REFERENCE, "policy_start": format_month(what_if.policy_start)},
                        scale=scale, replicates=replicates, seed=seed, parameter_draws=parameter_draws, county=county)
    if what_if.name == REFERENCE:
        raise InputError(what_if.files[0], "name", f"the what-if is named {REFERENCE}, like the reference it is "
                         "compared with; give it a name of its own")
    comparison = compare((reference, what_if), outcomes, workers=workers)
    names = [o.name for o in outcomes]
    pairs = comparison.pairs.query("policy == @what_if.name").set_index("outcome").loc[names]
    regret = comparison.regret.pivot(index="outcome", columns="policy", values="p95_regret").reindex(
        index=names, columns=[REFERENCE, what_if.name])  # NaN for an outcome with no better direction
    return pd.DataFrame({
        "scenario": name, "outcome": names,
        "baseline": headlines(comparison.values[REFERENCE], None, outcomes)["value"].to_numpy(),
        "what_if": headlines(comparison.values[what_if.name], None, outcomes)["value"].to_numpy(),
        "change": pairs["difference"].to_numpy(), "change_low": pairs["difference_low"].to_numpy(),
        "change_high": pairs["difference_high"].to_numpy(), "within_noise": pairs["within_noise"].to_numpy(dtype=bool),
        "probability_better": pairs["probability_better"].to_numpy(),
        "regret_baseline": regret[REFERENCE].to_numpy(), "regret_what_if": regret[what_if.name].to_numpy()},
        columns=list(COLUMNS))


def effects(names: list[str] | None = None, **settings) -> pd.DataFrame:
    """Every shipped what-if's effects (or those named), one row per what-if and outcome."""
    return pd.concat([effect_of(name, **settings) for name in names or shipped_what_ifs()], ignore_index=True)
