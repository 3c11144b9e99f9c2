"""The parameter registry (calibration/parameters.yaml): every number the model uses, with its evidence.

An entry is refused unless it has a unit and a status; a `documented` entry must cite a document
figure that initialises it, an `assumed` one must say why, a `calibrated` one must carry its fit.
The figures and the source documents are carried inside the project (figures.yaml, sources.yaml).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from model.inputs.calendar import format_month, parse_month
from model.inputs.errors import InputError, yaml_problem
from model.inputs.locations import CALIBRATION_DIR

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader when PyYAML has it: 10x faster


Scalar = float | int | str
Schedule = list[tuple[int, float]]  # (absolute month, value), sorted by month


class Labels(BaseModel):
    model_config = ConfigDict(extra="forbid")
    en: str
    zh: str


class Reference(BaseModel):
    model_config = ConfigDict(extra="forbid")
    figure: str
    note: str | None = None


class Calibration(BaseModel):
    """How a calibrated value was obtained (written by `renewal calibrate`)."""

    model_config = ConfigDict(extra="forbid")
    method: str
    targets: list[str]
    interval: tuple[float, float]
    interval_meaning: str
    loss: float
    date: str
    artefact: str


class Parameter(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: Labels
    unit: str
    type: Literal["number", "integer", "month"] = "number"
    value: Scalar | dict[str, Scalar]
    range: tuple[Scalar, Scalar]
    role: Literal["lever", "uncertainty", "fact"]
    status: Literal["documented", "calibrated", "assumed"]
    scaled: bool = False
    draw: bool = False
    references: list[Reference] = []
    reason: str | None = None
    calibration: Calibration | None = None

    @field_validator("value")
    @classmethod
    def _schedule_not_empty(cls, value):
        if isinstance(value, dict) and not value:
            raise ValueError("a schedule needs at least one 'YYYY-MM': value entry")
        return value

    @model_validator(mode="after")
    def _evidence_matches_status(self):
        if self.status == "documented" and not self.references:
            raise ValueError("a documented parameter needs references (figure ids)")
        if self.status == "assumed" and not self.reason:
            raise ValueError("an assumed parameter needs a reason")
        if self.status == "calibrated" and self.calibration is None:
            raise ValueError("a calibrated parameter needs its calibration (method, targets, interval, ...)")
        if self.draw and (self.role != "uncertainty" or self.type == "month" or isinstance(self.value, dict)):
            raise ValueError("only single-valued numeric uncertainties can be drawn (draw: true)")
        return self

    # -- values --------------------------------------------------------------------------
    def coerce(self, value: Any) -> float:
        """One scalar of this parameter's type as a float (months as absolute month numbers)."""
        if self.type == "month":
            return float(parse_month(value))
        if isinstance(value, str):  # YAML 1.1 reads 2.0e8 (no sign in the exponent) as a string
            try:
                value = float(value)
            except ValueError:
                raise ValueError(f"{value!r} is not a number") from None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{value!r} is not a number")
        if self.type == "integer" and float(value) != int(value):
            raise ValueError(f"{value!r} is not a whole number")
        return float(value)

    def bounds(self) -> tuple[float, float]:
        return self.coerce(self.range[0]), self.coerce(self.range[1])

    def check(self, value: Any) -> float:
        """Coerce and range-check one scalar; ValueError names what is allowed."""
        number = self.coerce(value)
        low, high = self.bounds()
        if not low <= number <= high:
            raise ValueError(f"{value} is outside the allowed range {self.describe_range()}")
        return number

    def describe_range(self) -> str:
        return f"[{self.range[0]}, {self.range[1]}] ({self.unit})"

    def schedule(self) -> Schedule:
        """The registry value as a schedule; a plain value holds from the first month on."""
        if isinstance(self.value, dict):
            return sorted((parse_month(m), self.check(v)) for m, v in self.value.items())
        return [(-1, self.check(self.value))]

    def display_value(self, value: float) -> Scalar:
        if self.type == "month":
            return format_month(int(value))
        if self.type == "integer":
            return int(value)
        return value


@dataclass(frozen=True)
class Registry:
    """The loaded registry, figures and sources; `hash` names this exact content."""

    parameters: dict[str, Parameter]
    figures: dict[str, dict]
    sources: dict[str, dict]
    hash: str
    path: Path

    def __getitem__(self, key: str) -> Parameter:
        return self.parameters[key]

    def structure_hash(self) -> str:
        """Hash of what changes how values are used (type, scaling), beyond the values themselves."""
        structure = {k: [p.type, p.scaled] for k, p in sorted(self.parameters.items())}
        return hashlib.sha256(json.dumps(structure).encode()).hexdigest()[:16]

    def keys(self, role: str | None = None) -> list[str]:
        return [k for k, p in self.parameters.items() if role is None or p.role == role]

    def citation(self, key: str) -> list[dict]:
        """The references of one parameter joined with their figures and sources."""
        out = []
        for ref in self.parameters[key].references:
            fig = self.figures[ref.figure]
            out.append({**fig, "figure": ref.figure, "figure_note": fig.get("note"), "note": ref.note,
                        "source_doc": self.sources[fig["source"]]})
        return out


def _read_yaml(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.load(handle, Loader=SafeLoader)
    except FileNotFoundError:
        raise InputError(path, None, "file not found") from None
    except yaml.YAMLError as exc:
        raise InputError(path, None, yaml_problem(exc)) from None


def _pydantic_message(exc: ValidationError) -> tuple[str, str]:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return where, first["msg"].removeprefix("Value error, ")


@cache
def load_registry(directory: Path = CALIBRATION_DIR) -> Registry:
    """Load and validate parameters.yaml against figures.yaml and sources.yaml (cached per directory)."""
    path = directory / "parameters.yaml"
    raw = _read_yaml(path)
    if not isinstance(raw, dict) or not isinstance(raw.get("parameters"), dict):
        raise InputError(path, None, "expected a mapping 'parameters: {key: entry, ...}'")
    figures = (_read_yaml(directory / "figures.yaml") or {}).get("figures", {})
    sources = (_read_yaml(directory / "sources.yaml") or {}).get("sources", {})
    parameters: dict[str, Parameter] = {}
    for key, entry in raw["parameters"].items():
        try:
            param = Parameter.model_validate(entry)
            param.schedule()
            param.bounds()
        except ValidationError as exc:
            field, msg = _pydantic_message(exc)
            raise InputError(path, key, f"{field}: {msg}" if field else msg) from None
        except ValueError as exc:
            raise InputError(path, key, str(exc)) from None
        for ref in param.references:
            figure = figures.get(ref.figure)
            if figure is None:
                raise InputError(path, key, f"references unknown figure '{ref.figure}' (not in figures.yaml)")
            allowed = {"initialise"} if param.status == "documented" else {"initialise", "reference", "rule"}
            if figure["use"] not in allowed:
                raise InputError(path, key, f"figure '{ref.figure}' is a {figure['use']} figure; "
                                 f"a {param.status} parameter may cite only {sorted(allowed)} figures")
        parameters[key] = param
    content = {"parameters": raw["parameters"], "figures": figures, "sources": sources}
    digest = hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return Registry(parameters, figures, sources, digest[:16], path)
