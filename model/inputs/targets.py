"""Calibration targets (counties/<name>/targets.yaml): a county's document figures, their acceptance bands,
and how a run's monthly table is compared with them."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, ValidationError

from model.inputs.counties import county_directory
from model.inputs.errors import InputError
from model.inputs.files import parse_yaml, read_text
from model.inputs.registry import forget_registries, load_registry

# The targets' hash names what a calibration was judged against; the Chinese of a why and a target's Chinese
# label (one line each) are texts to show, so adding or rewording them leaves the hash, and the calibration
# made with it, as they were.
TRANSLATIONS = re.compile(r"^[ \t]*(why_zh|label_zh):.*\n", re.M)


class Target(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label_zh: str  # what Chinese mode calls it (the fit tables of the app and the report, `renewal cite --lang zh`)
    figure: str
    role: Literal["fit", "holdout", "check"]
    measure: str
    compare: Literal["year_end", "month", "sum", "change", "mean"]
    period: str
    observed: float
    hedge: Literal["exact", "lower", "upper", "approx"]
    reliability: Literal["H", "M", "L"]
    note: str = ""


class CalibratedParameter(BaseModel):
    model_config = ConfigDict(extra="forbid")
    targets: list[str]
    search: tuple[float, float]
    why: str
    why_zh: str  # its Chinese: the calibrated entry's reason_zh, which the app and the reports show in Chinese


class NuisanceParameter(BaseModel):
    """An assumed parameter that shapes the history the targets measure: drawn from its registry range in
    the calibration, beside the calibrated ones, so that the posterior's joint draws carry it too."""
    model_config = ConfigDict(extra="forbid")
    why: str
    proposed: bool = False  # moves a fit target by more than its noise: proposed by pyabc's kernel, not drawn in the particle


class TargetFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    hedges: dict[str, tuple[float, float]]
    tolerance: dict[str, float]
    targets: dict[str, Target]
    calibrated: dict[str, CalibratedParameter]
    nuisance: dict[str, NuisanceParameter] = {}


@dataclass(frozen=True)
class Targets:
    spec: TargetFile
    hash: str

    def band(self, name: str) -> tuple[float, float]:
        """The acceptance band: the hedge interval widened by the reliability class's tolerance, both taken
        on what is measured (for a change, on the change)."""
        target = self.spec.targets[name]
        low, high = self.spec.hedges[target.hedge]
        slack = self.spec.tolerance[target.reliability] * abs(target.observed)
        return low * target.observed - slack, high * target.observed + slack

    def centre_and_sd(self, name: str) -> tuple[float, float]:
        """Band centre, and its half-width read as two standard deviations of measurement error."""
        low, high = self.band(name)
        return (low + high) / 2, (high - low) / 4

    def label(self, name: str, lang: str) -> str:
        """A target as a reader in `lang` knows it: in Chinese its label, in English (or if it is not one of
        these targets) its name."""
        target = self.spec.targets.get(name)
        return target.label_zh if lang == "zh" and target else name

    def names(self, role: str | None = None) -> list[str]:
        return [n for n, t in self.spec.targets.items() if role is None or t.role == role]

    def last_month(self, role: str | None = None) -> str:
        """The latest month any target (of a role) looks at (a calibration run can stop there)."""
        ends = []
        for target in (self.spec.targets[n] for n in self.names(role)):
            period = target.period.split("..")[-1]
            ends.append(period if "-" in period else f"{period}-12")
        return max(ends)


def _series(monthly: pd.DataFrame, measure: str) -> pd.Series:
    if "/" in measure:
        top, bottom = (part.strip() for part in measure.split("/"))
        return monthly[top] / monthly[bottom]
    return monthly[measure]


def simulated(monthly: pd.DataFrame, target: Target) -> pd.Series:
    """The target's model value, one per replicate."""
    values = _series(monthly, target.measure)
    month, replicate = monthly["month"], monthly["replicate"]
    if target.compare == "year_end":
        chosen = values[month == f"{target.period}-12"]
    elif target.compare == "month":
        chosen = values[month == target.period]
    elif target.compare == "change":
        end = values[month == f"{target.period}-12"].groupby(replicate).sum()
        start = values[month == f"{int(target.period) - 1}-12"].groupby(replicate).sum()
        return end - start
    else:
        first, last = target.period.split("..")
        inside = (month >= first) & (month <= last)
        grouped = values[inside].groupby(replicate[inside])
        return grouped.sum() if target.compare == "sum" else grouped.mean()
    return chosen.groupby(replicate[chosen.index]).sum()


def load_targets(county: str | Path | None = None, path: Path | None = None) -> Targets:
    """A county's targets (default: Dongsheng's), or those of another file checked against its registry."""
    directory = county_directory(county)
    return _targets(directory, path or directory / "targets.yaml")


@cache
def _targets(county: Path, path: Path) -> Targets:
    if not path.exists():
        raise InputError(path, None, "this county has no calibration targets (targets.yaml), so it cannot be "
                         "calibrated; give it targets, or `inherits: <county>` in its county.yaml")
    text = read_text(path)
    try:
        spec = TargetFile.model_validate(parse_yaml(text, path))
    except ValidationError as exc:
        err = exc.errors()[0]
        raise InputError(path, ".".join(str(p) for p in err["loc"]), err["msg"]) from None
    registry = load_registry(county)
    for name, target in spec.targets.items():
        figure = registry.figures.get(target.figure)
        if figure is None or figure["use"] != "target":
            raise InputError(path, f"targets.{name}.figure", f"'{target.figure}' is not a target figure in figures.yaml")
    for key, entry in spec.calibrated.items():
        if key not in registry.parameters:
            raise InputError(path, f"calibrated.{key}", "not a registry key")
        unknown = [t for t in entry.targets if spec.targets.get(t) is None or spec.targets[t].role != "fit"]
        if unknown:
            raise InputError(path, f"calibrated.{key}.targets", f"{unknown} are not fit targets")
    for key in spec.nuisance:
        param = registry.parameters.get(key)
        if param is None or param.status != "assumed" or not param.draw:
            raise InputError(path, f"nuisance.{key}", "not an assumed registry key marked `draw: true`")
    return Targets(spec, hashlib.sha256(TRANSLATIONS.sub("", text).encode()).hexdigest()[:16])


def forget_loaded() -> None:
    """Forget the counties, registries and targets read so far (after a calibration rewrote a county's files)."""
    forget_registries()
    _targets.cache_clear()
