"""Sweep specs: which registry keys to vary, over which ranges, by which design, with how many replicates.

A spec is a YAML file (examples in scenarios/sweeps/). It is checked in full before anything runs;
every problem is one InputError naming the spec file, the key and what is allowed, like a scenario
error. Keys follow the rules of `--set` (levers and uncertainties, never facts); an uncertainty must
be assumed or calibrated (a documented value is evidence, not a guess to explore), and every value
must lie within the registry's range. The design's size is counted from the spec before any point is
built, and a design above the run limit is refused (model/sweeps/limit.py). The design points are
generated here, deterministically from the spec's seed, so that a resumed sweep asks for exactly the
same runs.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from SALib.sample import latin, morris, sobol

from model.inputs.calendar import format_month
from model.inputs.draws import with_draws
from model.inputs.errors import InputError, unknown_key, yaml_problem
from model.inputs.names import check_name
from model.inputs.registry import Parameter, Registry
from model.inputs.scenario import ResolvedScenario, _override_mapping, resolve
from model.results.run import replicate_seeds
from model.sweeps.limit import DEFAULT_MAX_RUNS, check_runs

Scalar = float | int | str
DESIGNS = ("grid", "lhs", "sobol", "morris")


class Vary(BaseModel):
    """How one registry key varies: a range (sampled, or `steps` evenly spaced values in a grid) or a list."""

    model_config = ConfigDict(extra="forbid")
    range: tuple[Scalar, Scalar] | None = Field(default=None, description="[low, high] within the registry's range")
    steps: int | None = Field(default=None, ge=2, le=1000, description="how many evenly spaced grid values")
    values: list[Scalar] | None = Field(default=None, min_length=1, description="a list of values (grid designs)")


class SpecFile(BaseModel):
    """A sweep spec as written."""

    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_.-]+$",
                             description="letters, digits, '_', '-' or '.' (default: the file name)")
    description: str = ""
    base: str = Field(default="baseline", description="a shipped scenario name or a path relative to the spec")
    design: Literal["grid", "lhs", "sobol", "morris"] = Field(description="one of grid, lhs, sobol, morris")
    samples: int | None = Field(default=None, ge=1, le=100_000,
                                description="lhs: points; sobol: base samples N (a power of 2); morris: trajectories")
    levels: int | None = Field(default=None, ge=2, le=20, description="morris grid levels (default 4)")
    replicates: int = Field(ge=1, le=1000, description="a whole number of replicates per design point, 1 to 1000")
    scale: float = Field(gt=0, le=4, description="the fraction of the county simulated, in (0, 4]")
    seed: int | None = Field(default=None, ge=0, lt=2**63, description="a whole number >= 0 (default: the base's)")
    vary: dict[str, Vary] = Field(min_length=1, description="registry keys, each with a range or values")
    max_runs: int | None = Field(default=None, ge=1, description=f"the most runs the design may have "
                                 f"(default {DEFAULT_MAX_RUNS:,})")


_FIELDS = list(SpecFile.model_fields)


@dataclass(frozen=True)
class Shape:
    """A design's size, counted from the spec alone (before any point is built) and said in words."""

    design: str
    keys: int
    samples: int | None  # lhs points, sobol base samples, morris trajectories; None for grids
    axes: tuple[int, ...] = ()  # grid: how many distinct values each key takes
    levels: int = 4  # morris

    @property
    def points(self) -> int:
        """Design points as the design generates them (coinciding points are counted, and run once)."""
        if self.design == "grid":
            return math.prod(self.axes)
        return self.samples * {"lhs": 1, "sobol": self.keys + 2, "morris": self.keys + 1}[self.design]

    def text(self, replicates: int) -> str:
        """e.g. "Sobol' (Saltelli), N = 16 base samples x (3 keys + 2) = 80 points x 2 replicate(s)"."""
        design = {
            "grid": f"grid {' x '.join(str(n) for n in self.axes)}",
            "lhs": f"Latin hypercube (LHS), {self.samples} samples of {self.keys} key(s)",
            "sobol": f"Sobol' (Saltelli), N = {self.samples} base samples x ({self.keys} keys + 2)",
            "morris": f"Morris, {self.samples} trajectories x ({self.keys} keys + 1), {self.levels} levels",
        }[self.design]
        return f"{design} = {self.points:,} points x {replicates} replicate(s)"


@dataclass(frozen=True)
class Sweep:
    """A checked spec and its design: `points[i]` maps each varied key to its value at design point i.

    `nominal` is the design matrix as sampled (before integers and months are rounded); the
    sensitivity analysis reads it. `problem` is the SALib problem (None for grids).
    """

    name: str
    description: str
    path: Path
    text: str
    base: str
    base_name: str
    policy_start: str
    design: str
    replicates: int
    scale: float
    seed: int
    levels: int
    keys: tuple[str, ...]
    points: tuple[dict[str, Scalar], ...]
    nominal: np.ndarray | None
    problem: dict | None
    shape: Shape
    vary: dict[str, dict]  # each key's range or values as the spec writes them (what was swept, not what was drawn)
    resolved_base: ResolvedScenario = field(repr=False)  # the base at the spec's scale and seed (what the manifest names)
    county: str = ""  # the county folder the sweep runs on ("" is the default county)

    @property
    def runs(self) -> int:
        return len(self.points) * self.replicates

    def replicate_seeds(self) -> list[int]:
        """One seed per replicate, spawned from one SeedSequence(spec seed); shared by every point."""
        return replicate_seeds(self.seed, self.replicates)

    def scenario(self, point: int, seed: int) -> ResolvedScenario:
        """The base scenario with this point's values set (as `--set` would), at the spec's scale."""
        return resolve(self.base, overrides=self.points[point], scale=self.scale, seed=seed, replicates=1,
                       county=self.county or None)

    def replicate_scenario(self, point: int, replicate: int, seed: int,
                           scenario: ResolvedScenario | None = None) -> tuple[ResolvedScenario, dict | None]:
        """Design point `point`'s run for one replicate (at its seed), and the values it draws. With a base
        that draws parameters, replicate i takes joint draw i as a run with replicates does
        (model/inputs/draws.py), baked into its values: its run hash, and so its run key, names the draw,
        and every design point meets the same states of the world. `scenario` is the point resolved at
        any seed, to save resolving it again."""
        scenario = dataclasses.replace(scenario or self.scenario(point, seed), seed=seed)
        if not scenario.parameter_draws:
            return scenario, None
        (run_seed,) = replicate_seeds(seed, 1)  # the seed the run itself uses (model.run with one replicate)
        drawn, values = with_draws(scenario, run_seed, replicate)
        return dataclasses.replace(drawn, parameter_draws=False), values

    def spec_hash(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()[:16]


def load_spec(path: str | Path, county: str | Path | None = None, max_runs: int | None = None,
              workers: int | None = None) -> Sweep:
    """Read, check and expand a sweep spec for a county (default Dongsheng); raises InputError naming the
    file, the key and what is allowed. `max_runs` (--max-runs) overrides the spec's limit; `workers`
    only serves the time estimate of a refused design."""
    path = Path(path)
    where = str(path)
    text = _read_text(path)
    spec = _parse(_load_yaml(text, where), where)
    base_ref = _base_reference(spec.base, path)
    try:
        base = resolve(base_ref, scale=spec.scale, seed=spec.seed, replicates=1, county=county)
    except InputError as exc:
        raise InputError(where, "base", str(exc)) from None
    _check_design_options(spec, where)
    keys = tuple(spec.vary)
    params = {key: _sweepable(key, where, base.registry()) for key in keys}
    for key, vary in spec.vary.items():
        _check_vary(spec.design, key, vary, params[key], where)
    seed = base.seed
    axes = [_grid_axis(spec.vary[key], params[key]) for key in keys] if spec.design == "grid" else []
    shape = Shape(spec.design, len(keys), spec.samples, tuple(len(axis) for axis in axes), spec.levels or 4)
    check_runs(where, shape.points * spec.replicates, shape.text(spec.replicates), max_runs or spec.max_runs, base,
               workers)
    if spec.design == "grid":
        points = tuple(dict(zip(keys, combo)) for combo in itertools.product(*axes))
        nominal, problem = None, None
    else:
        bounds = [[params[key].check(v) for v in spec.vary[key].range] for key in keys]
        problem = {"num_vars": len(keys), "names": list(keys), "bounds": bounds}
        nominal = _sample(spec, problem, seed)
        points = tuple({key: _value(params[key], x) for key, x in zip(keys, row)} for row in nominal)
    return Sweep(
        name=check_name(spec.name or path.stem, where), description=spec.description.strip(), path=path.resolve(), text=text,
        base=base_ref, base_name=base.name, policy_start=format_month(base.policy_start), design=spec.design,
        replicates=spec.replicates, scale=spec.scale, seed=seed, levels=spec.levels or 4, keys=keys,
        points=points, nominal=nominal, problem=problem, shape=shape,
        vary={key: vary.model_dump(exclude_none=True) for key, vary in spec.vary.items()}, resolved_base=base,
        county=base.county,
    )


# ------------------------------------------------------------------------------------- reading
def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(path, None, "sweep spec not found") from None
    except OSError as exc:
        raise InputError(path, None, f"cannot read the file ({exc.strerror})") from None


def _load_yaml(text: str, where: str) -> dict:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError(where, None, yaml_problem(exc)) from None
    if not isinstance(data, dict):
        raise InputError(where, None, "a sweep spec must be a mapping of keys "
                         "(base, design, replicates, scale, vary, ...)")
    return data


def _parse(data: dict, where: str) -> SpecFile:
    _check_keys(data, where)
    try:
        return SpecFile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        model = Vary if len(err["loc"]) > 2 and err["loc"][0] == "vary" else SpecFile
        field = next((model.model_fields[p] for p in reversed(err["loc"]) if p in model.model_fields), None)
        if err["type"] == "missing":
            raise InputError(where, loc, f"missing; write {field.description if field else 'a value'}") from None
        if err["loc"][0] == "vary" and len(err["loc"]) == 2 and err["type"] == "model_type":
            raise InputError(where, loc, "write {range: [low, high]} (with steps: N in a grid) "
                             "or {values: [...]}") from None
        hint = f"; allowed: {field.description}" if field is not None and field.description else ""
        raise InputError(where, loc, f"{err['msg']} (got {err.get('input')!r}){hint}") from None


def _check_keys(data: dict, where: str) -> None:
    """Unknown keys first, named with the closest allowed one: a typo (`replicate: 2`) is a typo, not a
    missing `replicates`."""
    for key in data:
        if key not in SpecFile.model_fields:
            raise InputError(where, None, unknown_key(key, _FIELDS))
    vary = data.get("vary")
    for name, entry in (vary.items() if isinstance(vary, dict) else ()):
        for key in entry if isinstance(entry, dict) else ():
            if key not in Vary.model_fields:
                raise InputError(where, f"vary.{name}", unknown_key(key, Vary.model_fields))


def _base_reference(base: str, spec_path: Path) -> str:
    """A shipped scenario name as is; a path relative to the spec file, made absolute."""
    if base.endswith((".yaml", ".yml")) or "/" in base:
        return str((spec_path.parent / base).resolve())
    return base


# ------------------------------------------------------------------------------------ checking
def _sweepable(key: str, where: str, registry: Registry) -> Parameter:
    """The registry entry of a key a sweep may vary: `--set`'s rules, and no documented uncertainty."""
    try:
        _override_mapping({key: None}, registry)
    except InputError as exc:
        raise InputError(where, f"vary.{key}", exc.message) from None
    param = registry[key]
    if param.role == "uncertainty" and param.status == "documented":
        raise InputError(where, f"vary.{key}", "is a documented uncertainty (its value is cited evidence); "
                         "a sweep varies levers and assumed or calibrated uncertainties")
    return param


def _check_vary(design: str, key: str, vary: Vary, param: Parameter, where: str) -> None:
    name = f"vary.{key}"
    if (vary.range is None) == (vary.values is None):
        raise InputError(where, name, "give either range: [low, high] or values: [...], not both or neither")
    if vary.steps is not None and vary.values is not None:
        raise InputError(where, f"{name}.steps", "steps go with a range; a list of values is used as it is")
    if design == "grid" and vary.range is not None and vary.steps is None:
        raise InputError(where, f"{name}.range", "a grid needs steps: N (evenly spaced values) with a range, "
                         "or a list of values")
    if design != "grid" and (vary.values is not None or vary.steps is not None):
        field = "values" if vary.values is not None else "steps"
        raise InputError(where, f"{name}.{field}", f"a {design} design samples a range: write range: [low, high] "
                         "(values and steps are for grid designs)")
    if vary.values is not None:
        for i, value in enumerate(vary.values):
            _checked(param, value, where, f"{name}.values[{i}]")
    else:
        low, high = (_checked(param, v, where, f"{name}.range") for v in vary.range)
        if not low < high:
            raise InputError(where, f"{name}.range", f"the low end {vary.range[0]} must be below the high end "
                             f"{vary.range[1]}")


def _check_design_options(spec: SpecFile, where: str) -> None:
    if spec.design == "grid":
        if spec.samples is not None:
            raise InputError(where, "samples", "a grid has no samples: it runs every combination of the values")
    elif spec.samples is None:
        raise InputError(where, "samples", f"missing; write {SpecFile.model_fields['samples'].description}")
    if spec.design == "sobol" and spec.samples & (spec.samples - 1):
        raise InputError(where, "samples", f"{spec.samples} is not a power of 2; Sobol' designs need "
                         "N = 2^k (e.g. 16, 32 or 64)")
    if spec.levels is not None and spec.design != "morris":
        raise InputError(where, "levels", f"levels are for morris designs, not {spec.design}")


def _checked(param: Parameter, value: Scalar, where: str, key: str) -> float:
    try:
        return param.check(value)
    except ValueError as exc:
        raise InputError(where, key, str(exc)) from None


# ------------------------------------------------------------------------------------- designs
def _grid_axis(vary: Vary, param: Parameter) -> list[Scalar]:
    """A grid axis in the parameter's own form (months as 'YYYY-MM', whole numbers as int), no repeats."""
    if vary.values is not None:
        numbers = [param.check(v) for v in vary.values]
    else:
        low, high = (param.check(v) for v in vary.range)
        numbers = list(np.linspace(low, high, vary.steps))
    return list(dict.fromkeys(_value(param, x) for x in numbers))


def _sample(spec: SpecFile, problem: dict, seed: int) -> np.ndarray:
    """The SALib design matrix, one row per point; the same spec and seed give the same matrix."""
    if spec.design == "lhs":
        return latin.sample(problem, spec.samples, seed=seed)
    if spec.design == "sobol":
        return sobol.sample(problem, spec.samples, calc_second_order=False, seed=seed)
    return morris.sample(problem, spec.samples, num_levels=spec.levels or 4, seed=seed)


def _value(param: Parameter, x: float) -> Scalar:
    """One design value as the scenario would write it: months and whole numbers rounded, numbers tidied."""
    if param.type in ("month", "integer"):
        return param.display_value(float(round(x)))
    return float(f"{x:.10g}")
