"""The parameter registry: every number the model uses, with its evidence.

The registry of a county is the parameter tree (calibration/parameters/, one file per concept in the
manner of OpenFisca and PolicyEngine: a key's prefix is its file's path) with the county's own values
over it (counties/<name>/, model/inputs/counties.py). An entry is refused unless it has a unit and a
status; a `documented` entry must cite a document figure that initialises it, an `assumed` one must
say why, a `calibrated` one must carry its fit. The figures and source documents are carried inside
the project (calibration/figures.yaml for the tree's comparators, each county's own).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from model.inputs.calendar import format_month, parse_month
from model.inputs.errors import InputError
from model.inputs.counties import County, forget_counties, load_county
from model.inputs.files import read_yaml
from model.inputs.locations import PARAMETER_TREE

Scalar = float | int | str
Schedule = list[tuple[int, float]]  # (absolute month, value), sorted by month
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")
# A source document's fields that citations show: one written (partly) in English has its Chinese, `<field>_zh`.
SOURCE_TEXTS = ("outlet", "title", "date", "unknown", "note")


def in_language(lang: str, english: str | None, chinese: str | None) -> str | None:
    """A text in `lang`: the Chinese one in Chinese where there is one, else the English."""
    return (chinese if lang == "zh" else None) or english


def source_text(source: dict, field: str, lang: str) -> str:
    """A source document's field as a citation in `lang` shows it: in Chinese its `<field>_zh` where it has
    one, in English its `<field>_en` where it has one, else the field as written (a list joined)."""
    return _joined(source.get(f"{field}_{lang}") or source.get(field), "、" if lang == "zh" else ", ")


def _joined(text: object, separator: str = ", ") -> str:
    """A field as one text: a list (such as `unknown`) joined, nothing as ''."""
    return separator.join(map(str, text)) if isinstance(text, list) else str(text or "")


def _needs_chinese(owner: BaseModel, fields: tuple[str, ...]) -> None:
    """Every text the app and reports show has its Chinese beside its English (`<field>_zh`)."""
    for field in fields:
        if getattr(owner, field) and not CJK.search(getattr(owner, f"{field}_zh") or ""):
            raise ValueError(f"{field} needs its Chinese, {field}_zh (the app and the reports show it in Chinese mode)")


class Labels(BaseModel):
    model_config = ConfigDict(extra="forbid")
    en: str
    zh: str


class Reference(BaseModel):
    model_config = ConfigDict(extra="forbid")
    figure: str
    note: str | None = None
    note_zh: str | None = None  # the note in Chinese: every reference with a note has one

    @model_validator(mode="after")
    def _in_chinese_too(self):
        _needs_chinese(self, ("note",))
        return self

    def note_in(self, lang: str) -> str | None:
        return in_language(lang, self.note, self.note_zh)


class Calibration(BaseModel):
    """How a calibrated value was obtained (written by `renewal calibrate`)."""

    model_config = ConfigDict(extra="forbid")
    method: str
    method_zh: str | None = None
    targets: list[str]
    interval: tuple[float, float]
    interval_meaning: str
    interval_meaning_zh: str | None = None
    loss: float
    date: str
    artefact: str
    inherited_from: str | None = None  # a county without its own calibration takes this county's

    @model_validator(mode="after")
    def _in_chinese_too(self):
        _needs_chinese(self, ("method", "interval_meaning"))
        return self

    def method_in(self, lang: str) -> str:
        return in_language(lang, self.method, self.method_zh)

    def interval_meaning_in(self, lang: str) -> str:
        return in_language(lang, self.interval_meaning, self.interval_meaning_zh)


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
    reason_zh: str | None = None  # the reason in Chinese: every entry with a reason has one
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
        _needs_chinese(self, ("reason",))
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
        if not math.isfinite(value):
            raise ValueError(f"{value} is not a finite number; allowed: {self.describe_range()}")
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

    def reason_in(self, lang: str) -> str | None:
        """The reason in `lang` where the entry has one in it, else the English reason."""
        return in_language(lang, self.reason, self.reason_zh)

    def display_value(self, value: float) -> Scalar:
        if self.type == "month":
            return format_month(int(value))
        if self.type == "integer":
            return int(value)
        return value


@dataclass(frozen=True)
class Registry:
    """One county's registry: every parameter, the figures and sources they cite; `hash` names this exact content."""

    parameters: dict[str, Parameter]
    figures: dict[str, dict]
    sources: dict[str, dict]
    hash: str
    county: County

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


def _pydantic_message(exc: ValidationError) -> tuple[str, str]:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return where, first["msg"].removeprefix("Value error, ")


def tree_entries(tree: Path = PARAMETER_TREE) -> dict[str, tuple[dict, Path]]:
    """Every parameter the tree defines: key (the file's path in the tree, then the entry's name) -> (entry,
    its file). Files in path order, entries in file order."""
    if not tree.is_dir():
        raise InputError(tree, None, "the parameter tree is missing (a folder of YAML files, one per concept)")
    out = {}
    for path in sorted(tree.rglob("*.yaml")):
        prefix = ".".join(path.relative_to(tree).with_suffix("").parts)
        raw = read_yaml(path)
        if not isinstance(raw, dict):
            raise InputError(path, None, "expected a mapping of parameter names to entries")
        for name, entry in raw.items():
            if not isinstance(entry, dict):
                raise InputError(path, str(name), "expected a mapping (label, unit, value, range, role, status, ...)")
            out[f"{prefix}.{name}"] = (entry, path)
    return out


def load_registry(county: str | Path | None = None, tree: Path = PARAMETER_TREE) -> Registry:
    """The registry of one county (default: Dongsheng): the parameter tree's definitions and defaults
    with the county's own values, calibrated values and evidence (model/inputs/counties.py)."""
    return _registry(load_county(county), tree)


@cache
def _registry(county: County, tree: Path) -> Registry:
    definitions = tree_entries(tree)
    tree_figures = (read_yaml(tree.parent / "figures.yaml") or {}).get("figures") or {}
    tree_sources = (read_yaml(tree.parent / "sources.yaml") or {}).get("sources") or {}
    for key, (entry, path) in definitions.items():
        for ref in entry.get("references") or []:
            if isinstance(ref, dict) and ref.get("figure") not in tree_figures:
                raise InputError(path, key, f"references figure '{ref.get('figure')}', which is not in "
                                 f"{tree.parent / 'figures.yaml'}: a default of the tree cites no county's figures")
    _sources_in_chinese(tree_sources, tree.parent / "sources.yaml")
    _sources_in_chinese(county.sources, county.directory / "sources.yaml")
    for key, (_, path) in county.entries.items():
        if key not in definitions:
            raise InputError(path, key, "not a parameter of the tree (calibration/parameters/); run 'renewal params' "
                             "to list them")
    figures = _union(tree_figures, county.figures, county.directory / "figures.yaml")
    sources = _union(tree_sources, county.sources, county.directory / "sources.yaml")
    raw, parameters = {}, {}
    for key, (definition, tree_file) in definitions.items():
        entry, path = _merged(definition, county.entries.get(key)), tree_file
        if key in county.entries:
            path = county.entries[key][1]
        elif "value" not in entry:
            raise InputError(county.directory / "parameters.yaml", key, "missing: every county gives this value "
                             "(with its status and evidence); docs/counties.md lists the keys a county must give")
        parameters[key] = _checked(key, entry, path, figures)
        if key in county.entries and "range" in county.entries[key][0] and "range" in definition:
            _within_tree_range(key, parameters[key], definition["range"], path)
        raw[key] = entry
    content = {"parameters": raw, "figures": figures, "sources": sources}
    digest = hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return Registry(parameters, figures, sources, digest[:16], county)


def forget_registries() -> None:
    """Forget the counties and registries read so far: the next load reads the files again."""
    forget_counties()
    _registry.cache_clear()


def _merged(definition: dict, county: tuple[dict, Path] | None) -> dict:
    """A tree entry with a county's entry over it. A county entry with only references adds its evidence
    to the tree's default; one with a value replaces the default's value and evidence (status,
    references, reason, calibration), keeping the tree's range unless it gives its own."""
    if county is None:
        return dict(definition)
    entry = county[0]
    if set(entry) == {"references"}:
        return {**definition, "references": [*(definition.get("references") or []), *entry["references"]]}
    kept = {k: v for k, v in definition.items() if k not in ("value", "status", "references", "reason", "reason_zh", "calibration")}
    return {**kept, **entry}


def _checked(key: str, entry: dict, path: Path, figures: dict) -> Parameter:
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
            raise InputError(path, key, f"references unknown figure '{ref.figure}' (in neither the county's "
                             "figures.yaml nor calibration/figures.yaml)")
        allowed = {"initialise"} if param.status == "documented" else {"initialise", "reference", "rule"}
        if figure["use"] not in allowed:
            raise InputError(path, key, f"figure '{ref.figure}' is a {figure['use']} figure; "
                             f"a {param.status} parameter may cite only {sorted(allowed)} figures")
    return param


def _sources_in_chinese(sources: dict, path: Path) -> None:
    """A source document's field that is (partly) English has its Chinese beside it, as registry texts do."""
    for source_id, source in sources.items():
        if not isinstance(source, dict):
            raise InputError(path, str(source_id), "expected a mapping (file, outlet, title, date, ...)")
        for field in SOURCE_TEXTS:
            if LATIN.search(_joined(source.get(field))) and not CJK.search(_joined(source.get(f"{field}_zh"))):
                raise InputError(path, f"{source_id}.{field}", f"needs its Chinese, {field}_zh (the app and the "
                                 "reports show it in Chinese mode)")


def _within_tree_range(key: str, param: Parameter, widest: list, path: Path) -> None:
    """A county's range lies inside the tree's, the widest that any county may give."""
    low, high = param.bounds()
    tree_low, tree_high = (param.coerce(v) for v in widest)
    if low < tree_low or high > tree_high:
        raise InputError(path, key, f"range {param.describe_range()} goes beyond the widest the parameter tree allows, "
                         f"[{widest[0]}, {widest[1]}]")


def _union(tree: dict, county: dict, path: Path) -> dict:
    """The tree's table and the county's, which may not reuse an id."""
    for name in tree.keys() & county.keys():
        raise InputError(path, name, "is also in the parameter tree's table (calibration/); give it another id")
    return {**tree, **county}
