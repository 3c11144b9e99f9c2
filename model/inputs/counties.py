"""A county is data: `counties/<name>/` holds everything about one place.

    county.yaml       its name and place in Chinese and English; `inherits: <county>` if it has no
                      calibration of its own
    parameters.yaml   its values of registry keys: the starting stock (people, compounds, businesses),
                      its history (the crash, the big-city pull, income growth) and its documented
                      policies (cost share, plans, budgets, stall rules), each with its status and evidence
    calibrated.yaml   its calibrated values, written by `renewal calibrate --county` (or none, and `inherits`)
    figures.yaml      the document figures about the place that its entries and targets cite
    sources.yaml      the documents those figures come from
    targets.yaml      its calibration targets (optional: a county without them cannot be calibrated)
    calibration/      its calibration artefact (fit table, identification, loss trace)

The rule: a figure about that place goes in its folder; a behavioural rate that is not about one place
stays in the parameter tree (calibration/parameters/) as a default with its status and range, and a
county's own values override it (docs/counties.md lists the keys every county must give).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from model.inputs.errors import InputError
from model.inputs.files import read_yaml
from model.inputs.locations import COUNTIES_DIR

DEFAULT_COUNTY = "dongsheng"
# what a county may set
COUNTY_FIELDS = ("value", "range", "status", "references", "reason", "reason_zh", "calibration")


class Labels(BaseModel):
    model_config = ConfigDict(extra="forbid")
    en: str
    zh: str


class CountyFile(BaseModel):
    """county.yaml as written."""

    model_config = ConfigDict(extra="forbid")
    name: Labels
    place: Labels
    description: Labels | None = None
    inherits: str | None = None  # a shipped county (or a path relative to this folder) to take calibrated values from


@dataclass(frozen=True, eq=False)  # one object per folder (cached): compared and hashed by identity
class County:
    """One county folder, read and checked: its labels, its entries by registry key (each with the file
    it came from), its figures, sources and targets file, and the county it inherits calibration from."""

    name: str  # the folder's name
    directory: Path
    labels: Labels
    place: Labels
    inherits: County | None
    entries: dict[str, tuple[dict, Path]]  # key -> (entry as written, its file), calibrated ones included
    figures: dict[str, dict]
    sources: dict[str, dict]

    @property
    def targets_file(self) -> Path:
        return self.directory / "targets.yaml"

    @property
    def calibration_origin(self) -> County:
        """The county whose calibration this one uses: itself, or the county it inherits from (and so on)."""
        return self.inherits.calibration_origin if self.inherits else self

    @property
    def calibration_dir(self) -> Path:
        """Where the calibration artefact it uses is (fit table, identification, loss trace)."""
        return self.calibration_origin.directory / "calibration"

    @property
    def calibrated_file(self) -> Path:
        return self.directory / "calibrated.yaml"

    def label(self, lang: str) -> str:
        return getattr(self.labels, lang)


def shipped_counties() -> list[str]:
    """The county folders shipped with the project (those with a county.yaml)."""
    return sorted(p.name for p in COUNTIES_DIR.iterdir() if (p / "county.yaml").is_file()) if COUNTIES_DIR.is_dir() else []


def county_directory(ref: str | Path | None, where: str = "--county", relative_to: Path | None = None) -> Path:
    """A county folder from a shipped county's name, a path (relative to `relative_to` if given), or None
    (the default county)."""
    text = DEFAULT_COUNTY if ref is None else str(ref)
    shipped = COUNTIES_DIR / text
    if "/" not in text and (shipped / "county.yaml").is_file():
        return shipped.resolve()
    path = relative_to / text if relative_to else Path(text)
    if not (path / "county.yaml").is_file():
        raise InputError(where, text, f"no county folder (a folder with a county.yaml) at {path}; shipped counties: "
                         f"{', '.join(shipped_counties()) or 'none'}")
    return path.resolve()


def load_county(ref: str | Path | None = None) -> County:
    return _load(county_directory(ref))


@cache
def _load(directory: Path, chain: tuple[Path, ...] = ()) -> County:
    about_file = directory / "county.yaml"
    about = _model(CountyFile, read_yaml(about_file), about_file)
    entries = _entries(directory / "parameters.yaml", required=True)
    inherits = None
    if about.inherits:
        parent = county_directory(about.inherits, str(about_file), relative_to=directory)
        if parent == directory or parent in chain:
            raise InputError(about_file, "inherits", f"a cycle of inheritance through {parent}")
        inherits = _load(parent, (*chain, directory))
    own_calibration = _entries(directory / "calibrated.yaml", required=False)
    if own_calibration and inherits:
        raise InputError(about_file, "inherits", "a county with its own calibrated.yaml does not inherit another's; "
                         "drop one of them")
    origin = inherits.calibration_origin.name if inherits else None
    calibrated = own_calibration or ({key: ({**entry, "calibration": {**entry["calibration"], "inherited_from": origin}},
                                            file) for key, (entry, file) in _calibrated(inherits).items()}
                                     if inherits else {})
    for key in calibrated.keys() & entries.keys():
        raise InputError(entries[key][1], key, f"is also calibrated ({calibrated[key][1]}); give it in one file only")
    figures = _table(directory / "figures.yaml", "figures")
    sources = _table(directory / "sources.yaml", "sources")
    return County(directory.name, directory, about.name, about.place, inherits, {**entries, **calibrated}, figures,
                  sources)


def forget_counties() -> None:
    _load.cache_clear()


def _calibrated(county: County) -> dict[str, tuple[dict, Path]]:
    return {k: v for k, v in county.entries.items() if v[0].get("status") == "calibrated"}


def _entries(path: Path, required: bool) -> dict[str, tuple[dict, Path]]:
    if not path.exists() and not required:
        return {}
    raw = read_yaml(path)
    if not isinstance(raw, dict) or not isinstance(raw.get("parameters"), dict) or set(raw) != {"parameters"}:
        raise InputError(path, None, "expected one mapping 'parameters: {registry key: entry, ...}'")
    out = {}
    for key, entry in raw["parameters"].items():
        if not isinstance(entry, dict) or not entry:
            raise InputError(path, key, f"expected a mapping of some of {', '.join(COUNTY_FIELDS)}")
        unknown = [f for f in entry if f not in COUNTY_FIELDS]
        if unknown:
            raise InputError(path, f"{key}.{unknown[0]}", f"a county may set only {', '.join(COUNTY_FIELDS)}; "
                             "labels, units, types and roles are the parameter tree's (calibration/parameters/)")
        if "value" in entry and "status" not in entry:
            raise InputError(path, key, "a value needs its status (documented, calibrated or assumed) and evidence")
        out[str(key)] = (entry, path)
    return out


def _table(path: Path, top: str) -> dict[str, dict]:
    raw = read_yaml(path) if path.exists() else {top: {}}
    if not isinstance(raw, dict) or not isinstance(raw.get(top) or {}, dict):
        raise InputError(path, None, f"expected a mapping '{top}: {{id: entry, ...}}'")
    return dict(raw.get(top) or {})


def _model(model: type[BaseModel], data: Any, path: Path) -> Any:
    if not isinstance(data, dict):
        raise InputError(path, None, "expected a mapping (name, place, ...)")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        message = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
        raise InputError(path, loc, f"{message}; a county.yaml has name {{zh, en}}, place {{zh, en}}, "
                         "and optionally description {zh, en} and inherits") from None
