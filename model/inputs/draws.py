"""Parameter draws: replicates that draw parameter values as well as seeds.

Seed noise alone is not how sure the model is. For uncertainty bands, replicate i takes
- joint draw i (modulo their number) of the calibration's posterior (`posterior_draws.csv` in the
  county's calibration folder, `renewal calibrate`): the calibrated parameters and the nuisance
  parameters that shape the history, together, so that a band never combines values that contradict
  the history they were fitted to; and
- every other assumed parameter marked `draw: true` in the registry from a triangular distribution over
  its plausible range with its registry value as the mode (from the replicate's seed): the effects the
  what-ifs work through that the history cannot pin down (willingness to pay, stall compliance, ...).
A scenario that sets one of these keys itself fixes it: it is not drawn. Which outcomes rest mainly on
the assumed draws is model/results/marks.py.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from model.inputs.errors import InputError
from model.inputs.registry import Registry, load_registry
from model.inputs.scenario import ResolvedScenario

DRAW_STREAM = 7_919  # a fixed spawn key: parameter draws never share a stream with the model's own
POSTERIOR_DRAWS = "posterior_draws.csv"


def drawn_keys(registry: Registry | None = None) -> list[str]:
    """Keys drawn in bands: calibrated parameters and assumed ones marked `draw: true`."""
    registry = registry or load_registry()
    return sorted(k for k, p in registry.parameters.items() if p.status == "calibrated" or p.draw)


def joint_draws(registry: Registry | None = None) -> pd.DataFrame:
    """The county's posterior joint draws (one row per draw, one column per key)."""
    registry = registry or load_registry()
    path = registry.county.calibration_dir / POSTERIOR_DRAWS
    if not path.is_file():
        raise InputError(path, None, "the calibration's joint draws are missing, so replicates cannot draw the "
                         "calibrated parameters; run 'renewal calibrate'")
    return _read_draws(path, path.stat().st_mtime_ns)


@functools.cache
def _read_draws(path: Path, modified: int) -> pd.DataFrame:
    return pd.read_csv(path)


def key_stream(key: str) -> int:
    """A key's own random stream: its draw does not depend on which other keys are drawn, so a what-if
    that fixes a key and its baseline that draws it share every other value (their replicates stay
    paired), and drawing one more key leaves every other draw as it was."""
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "little")


def draw_values(seed: int, replicate: int, keys: list[str], registry: Registry | None = None,
                joint: pd.DataFrame | None = None) -> dict[str, float]:
    """One replicate's parameter values: its joint draw (`joint`, default the county's) for the keys it
    holds, its seed's triangular draw on each other assumed key's own stream."""
    registry = registry or load_registry()
    joint = joint_draws(registry) if joint is None else joint
    row = joint.iloc[replicate % len(joint)]
    values = {}
    for key in keys:
        param = registry[key]
        if key in joint.columns:
            value = row[key]
        elif param.status == "calibrated":
            raise InputError(registry.county.calibration_dir / POSTERIOR_DRAWS, key,
                             "a calibrated key without joint draws: run 'renewal calibrate' again")
        else:
            low, high = param.bounds()
            mode = param.schedule()[0][1]
            value = np.random.default_rng([seed, DRAW_STREAM, key_stream(key)]).triangular(low, mode, high) \
                if high > low else mode
        values[key] = int(round(value)) if param.type == "integer" else float(value)
    return ordered_spans(values)


def ordered_spans(values: dict[str, float]) -> dict[str, float]:
    """Two ends of a span (`X_from`, `X_to`, the build years of a kind of compound), each drawn over its own
    range, may cross where the ranges overlap; a crossed pair is taken in order (the two values swap), as a
    scenario may not cross them (model/inputs/scenario.py)."""
    ordered = dict(values)
    for first in values:
        last = first.removesuffix("_from") + "_to"
        if first.endswith("_from") and last in values and values[first] > values[last]:
            ordered[first], ordered[last] = values[last], values[first]
    return ordered


def with_draws(resolved: ResolvedScenario, seed: int, replicate: int) -> tuple[ResolvedScenario, dict[str, float]]:
    """The scenario with this replicate's drawn values for every drawn key it does not set itself."""
    fixed = set(resolved.levers) | set(resolved.uncertainties)
    fixed |= {key for entry in resolved.timeline for section in ("levers", "uncertainties") for key in entry[section]}
    registry = resolved.registry()
    values = draw_values(seed, replicate, [k for k in drawn_keys(registry) if k not in fixed], registry)
    schedules = {**resolved.schedules, **{key: [(-1, float(value))] for key, value in values.items()}}
    return dataclasses.replace(resolved, schedules=schedules), values
