"""Parameter draws: replicates that draw parameter values as well as seeds.

Seed noise alone is not how sure the model is. For uncertainty bands, each replicate draws
- every calibrated parameter uniformly within its calibration interval (the region the targets'
  tolerances allow), and
- every assumed parameter marked `draw: true` in the registry from a triangular distribution over its
  plausible range with its registry value as the mode: the effects the what-ifs work through that the
  sources cannot pin down (amenity on staying, returning and business entry, willingness to pay, ...).
A scenario that sets one of these keys itself fixes it: it is not drawn. Which outcomes rest mainly on
the assumed draws is model/results/marks.py.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from model.inputs.registry import Registry, load_registry
from model.inputs.scenario import ResolvedScenario

DRAW_STREAM = 7_919  # a fixed spawn key: parameter draws never share a stream with the model's own


def drawn_keys(registry: Registry | None = None) -> list[str]:
    """Keys drawn in bands: calibrated parameters and assumed ones marked `draw: true`."""
    registry = registry or load_registry()
    return sorted(k for k, p in registry.parameters.items() if p.status == "calibrated" or p.draw)


def draw_values(seed: int, keys: list[str], registry: Registry | None = None) -> dict[str, float]:
    """One replicate's parameter values, from its seed (so the same seed draws the same values)."""
    registry = registry or load_registry()
    rng = np.random.default_rng([seed, DRAW_STREAM])
    values = {}
    for key in keys:
        param = registry[key]
        if param.status == "calibrated":
            low, high = param.calibration.interval
            value = rng.uniform(low, high)
        else:
            low, high = param.bounds()
            mode = param.schedule()[0][1]
            value = rng.triangular(low, mode, high) if high > low else mode
        values[key] = int(round(value)) if param.type == "integer" else float(value)
    return values


def with_draws(resolved: ResolvedScenario, seed: int) -> tuple[ResolvedScenario, dict[str, float]]:
    """The scenario with this replicate's drawn values for every drawn key it does not set itself."""
    fixed = set(resolved.levers) | set(resolved.uncertainties)
    fixed |= {key for entry in resolved.timeline for section in ("levers", "uncertainties") for key in entry[section]}
    registry = resolved.registry()
    values = draw_values(seed, [k for k in drawn_keys(registry) if k not in fixed], registry)
    schedules = {**resolved.schedules, **{key: [(-1, float(value))] for key, value in values.items()}}
    return dataclasses.replace(resolved, schedules=schedules), values
