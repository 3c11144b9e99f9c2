"""Scenarios: YAML files of levers and uncertainties that resolve to one canonical, hashable form.

Vocabulary from EMA Workbench: *levers* are what the district government chooses, *uncertainties*
what nobody controls. A what-if never rewrites the documented past: levers take effect at the
scenario's `policy_start` (default 2026-01); before it the registry's values hold. Uncertainties
describe the world and hold for the whole run (a scenario that changes the 2014 crash changes history).
`extends` names a shipped scenario (`extends: baseline`) or a path relative to the extending file.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from model.inputs.calendar import format_month, parse_month
from model.inputs.counties import county_directory
from model.inputs.errors import InputError, closest
from model.inputs.files import SettingsLoader, parse_yaml, read_yaml
from model.inputs.locations import SCENARIO_DIR
from model.inputs.names import check_name
from model.inputs.registry import Parameter, Registry, Schedule, load_registry


Scalar = float | int | str
Value = Scalar | dict[str, Scalar]
# Settings are read as written (no "0.1" for 0.1, no true for 1, no .inf); lever and uncertainty values are
# checked against their registry entry in _apply, where the message can name what the key allows.
STRICT = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)
ENTRY_LIMIT = 1_000  # timeline entries, or dated values of one schedule: a plan per month for 80 years
DESCRIPTION_LIMIT = 10_000  # characters: a description is a paragraph, copied into every manifest


class TimelineEntry(BaseModel):
    """A dated change: from `date` on, these levers and uncertainties take these values."""

    model_config = STRICT
    date: str
    levers: dict[str, Any] = {}
    uncertainties: dict[str, Any] = {}


class Question(BaseModel):
    """The question a scenario asks, in Chinese and English."""

    model_config = STRICT
    zh: str
    en: str


class ScenarioFile(BaseModel):
    """One scenario file as written. Unset fields come from the scenario it extends, but for its question
    and the outcomes that answer it (a scenario's own)."""

    model_config = STRICT
    name: str | None = None
    description: str | None = Field(default=None, max_length=DESCRIPTION_LIMIT)
    question: Question | None = None
    outcomes: list[str] = []  # the outcome catalogue's names that answer the question (model/results/outcomes.py)
    relies_on: list[str] = []  # registry keys whose values (and their status) the scenario rests on
    extends: str | None = None
    policy_start: str | None = None
    levers: dict[str, Any] = {}
    uncertainties: dict[str, Any] = {}
    timeline: list[TimelineEntry] = Field(default=[], max_length=ENTRY_LIMIT)
    seed: int | None = Field(default=None, ge=0, lt=2**63)
    replicates: int | None = Field(default=None, ge=1, le=1000)
    scale: float | None = Field(default=None, gt=0, le=4)
    parameter_draws: bool | None = None  # replicates also draw uncertain parameters (model/inputs/draws.py)
    start: str | None = None
    end: str | None = None


# Run settings a scenario chain leaves unset (not model behaviour: that lives in the registry).
DEFAULTS = {"policy_start": "2026-01", "end": "2035-12", "seed": 20140101, "replicates": 1, "scale": 1.0,
            "parameter_draws": False}
_FIELDS = list(ScenarioFile.model_fields)
SCENARIO_LIMIT = 1_000_000  # bytes: a scenario is a page of settings, not data
# The smallest fraction of the county simulated. Below 0.001 the builder fails (a shape mismatch at 1e-4 and
# 5e-4, an IndexError at 1e-7) or builds no compound at all (1e-5); from 0.005 Dongsheng has a compound of
# each kind the two programmes renovate (an old one for the national scheme, problem ones for the local
# list). Newer estates, which only house, appear from 0.012; the tests' smallest runs use 0.005.
MIN_SCALE = 0.005


@dataclass(frozen=True)
class ResolvedScenario:
    """Everything a run needs: each registry parameter's schedule, the period, seed and scale."""

    name: str
    description: str
    files: tuple[str, ...]
    policy_start: int
    start: int
    end: int
    seed: int
    replicates: int
    scale: float
    levers: dict[str, Value]
    uncertainties: dict[str, Value]
    timeline: tuple[dict, ...]
    schedules: dict[str, Schedule] = field(repr=False)
    registry_hash: str = ""
    parameter_draws: bool = False
    county: str = ""  # the county folder it runs on (a path); "" is the default county
    question: dict[str, str] = field(default_factory=dict)  # {"zh": ..., "en": ...}, or empty
    outcomes: tuple[str, ...] = ()
    relies_on: tuple[str, ...] = ()

    def registry(self) -> Registry:
        """The registry of the county this scenario runs on."""
        return load_registry(self.county or None)

    def canonical(self) -> dict:
        """The resolved values in a stable JSON form; the run hash is computed over it. Two counties with the
        same values (a copy of a county's folder, say) make the same runs, so the county's name is not in it."""
        registry = self.registry()
        params = {
            key: [["start" if m < 0 else format_month(m), registry[key].display_value(v)] for m, v in sched]
            for key, sched in sorted(self.schedules.items())
        }
        return {
            "parameters": params,
            "registry_structure": registry.structure_hash(),
            "scale": self.scale,
            "start": format_month(self.start),
            "end": format_month(self.end),
            "policy_start": format_month(self.policy_start),
        }

    def run_hash(self, seed: int) -> str:
        """Hash of one run: every resolved value, the scale, the period and the seed."""
        payload = {**self.canonical(), "seed": int(seed)}
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]

    def outcome_hash(self, seed: int) -> str:
        """Hash of what one run's results depend on: as run_hash without the policy start, which the model never
        reads (it only says where a what-if's period begins). A run that differs from another only there, such as
        the baseline when a planner moves the policy start, simulates exactly the same months."""
        payload = {**self.canonical(), "seed": int(seed)}
        del payload["policy_start"]
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]

    def scenario_hash(self) -> str:
        """Hash of the whole scenario run: as run_hash, with the replicate count (and parameter draws, if on)."""
        payload = {**self.canonical(), "seed": self.seed, "replicates": self.replicates}
        if self.parameter_draws:
            payload["parameter_draws"] = True
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]

    def value_at(self, key: str, month: int) -> float:
        value = self.schedules[key][0][1]
        for start, v in self.schedules[key]:
            if start <= month:
                value = v
        return value

    def changed_keys(self) -> list[str]:
        """Registry keys whose resolved schedule differs from the registry's own."""
        registry = self.registry()
        return sorted(k for k, s in self.schedules.items() if s != registry[k].schedule())


# ------------------------------------------------------------------------------------------ loading
def _scenario_path(ref: str, relative_to: Path | None, allow_paths: bool, where: str) -> Path:
    looks_like_path = ref.endswith((".yaml", ".yml")) or "/" in ref
    if not looks_like_path:
        path = SCENARIO_DIR / f"{ref}.yaml"
        if not _exists(path, where):
            shipped = sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml"))
            raise InputError(where, "extends" if relative_to else None,
                             f"no shipped scenario '{ref}'; shipped: {', '.join(shipped)}")
        return path
    if not allow_paths:
        raise InputError(where, "extends", f"'{ref}' is a path; here a scenario may only extend a shipped scenario")
    path = Path(ref) if relative_to is None else (relative_to.parent / ref)
    if not _exists(path, where):
        raise InputError(path, None, "scenario file not found")
    return path


def _exists(path: Path, where: str) -> bool:
    try:
        return path.exists()
    except OSError as exc:  # a name too long for the file system, say
        raise InputError(where, None, f"cannot look up {_shown(str(path))} ({exc.strerror})") from None


def _read(path: Path) -> dict:
    data = read_yaml(path, SCENARIO_LIMIT, SettingsLoader)
    if data is None:
        raise InputError(path, None, "the file holds no YAML document; a scenario needs at least one key "
                         "(e.g. extends: baseline)")
    if not isinstance(data, dict):
        raise InputError(path, None, "a scenario must be a mapping of keys (name, levers, uncertainties, ...)")
    return data


def _parse(data: dict, where: str) -> ScenarioFile:
    try:
        return ScenarioFile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        if err["type"] == "extra_forbidden":
            nested = {"timeline": TimelineEntry, "question": Question}.get(err["loc"][0])
            allowed = list(nested.model_fields if nested and len(err["loc"]) > 1 else _FIELDS)
            close = closest(err["loc"][-1], allowed)
            hint = f"did you mean '{close}'? " if close else ""
            raise InputError(where, loc, f"unknown key; {hint}allowed keys: {', '.join(allowed)}") from None
        quoted = err["type"] in ("float_type", "int_type") and isinstance(err.get("input"), str)
        hint = "; write the number without quotes" if quoted else ""
        raise InputError(where, loc, f"{err['msg']} (got {_shown(err.get('input'))}){hint}") from None


def _shown(value: Any) -> str:
    """A value as the message quotes it: its repr, cut short so that the message stays one line."""
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}..."


def _chain(data: dict, where: str, path: Path | None, allow_paths: bool, seen: tuple[str, ...]) -> list[tuple[str, ScenarioFile]]:
    """The scenario and its ancestors, child first; detects cycles of `extends`."""
    parsed = _parse(data, where)
    chain = [(where, parsed)]
    if parsed.extends:
        parent = _scenario_path(parsed.extends, path, allow_paths, where).resolve()
        if str(parent) in seen:
            cycle = " -> ".join([*seen, str(parent)])
            raise InputError(where, "extends", f"cycle of extends: {cycle}")
        chain += _chain(_read(parent), str(parent), parent, True, (*seen, str(parent)))
    return chain


def _override_mapping(overrides: list[str] | dict[str, Any] | None, registry: Registry) -> tuple[dict, dict]:
    """--set KEY=VALUE (or a mapping) split into levers and uncertainties by the registry's roles."""
    if not overrides:
        return {}, {}
    if isinstance(overrides, dict):
        pairs = list(overrides.items())
    else:
        pairs = []
        for item in overrides:
            key, sep, text = item.partition("=")
            if not sep or not key.strip():
                raise InputError("--set", item[:60], "write KEY=VALUE, e.g. --set renovation.resident_share=0.3")
            pairs.append((key.strip(), parse_value(key.strip(), text, registry)))
    levers, uncertainties = {}, {}
    for key, value in pairs:
        role = registry[_settable(key, registry, "--set")].role
        (levers if role == "lever" else uncertainties)[key] = value
    return levers, uncertainties


def parse_value(key: str, text: str, registry: Registry, where: str = "--set") -> Value:
    """A lever's or uncertainty's value written as text, read by the registry's type of `key` and checked
    against its range: a number, a whole number, a month 'YYYY-MM', or a dated schedule
    {"YYYY-MM": value, ...}. `--set KEY=VALUE` reads its values here, and the app's links are to read
    theirs here too, so that text means one thing wherever it is typed. InputError names `where` and the
    key (an unknown key with the closest one) and says what is allowed."""
    param = registry[_settable(key, registry, where)]
    text = text.strip()
    if text.startswith("{"):
        schedule = parse_yaml(text, where, SettingsLoader)
        if not isinstance(schedule, dict):
            raise InputError(where, key, f"cannot read the schedule {_shown(text)}; write {{\"YYYY-MM\": value, ...}}")
        _schedule_entries(schedule, where, key)
        return {month: _value(param, value, where, key) for month, value in schedule.items()}
    if param.type == "month":
        return _value(param, text, where, key)
    try:
        number = int(text) if re.fullmatch(r"[-+]?[0-9]+", text) else float(text)
    except ValueError:
        raise InputError(where, key, f"{_shown(text)} is not a number; allowed: {param.describe_range()}") from None
    return _value(param, number, where, key)


def _settable(key: str, registry: Registry, where: str) -> str:
    """`key` if it is a lever or an uncertainty; InputError (with the closest such key if unknown) otherwise."""
    if key not in registry.parameters:
        raise InputError(where, key, _unknown(key, registry.keys("lever") + registry.keys("uncertainty")))
    if registry[key].role == "fact":
        raise InputError(where, key, "is a documented fact of the county, not a lever or an uncertainty")
    return key


def _value(param: Parameter, value: Any, where: str, key: str) -> Scalar:
    """One value as written for `param`: a month in quotes for a month, else a number that is not text in
    quotes or true/false, within its range. Returned as given (the manifest repeats it)."""
    if param.type == "month" and not isinstance(value, str):
        raise InputError(where, key, f"{_shown(value)} is not a month; write 'YYYY-MM' in quotes")
    if param.type != "month" and (isinstance(value, bool) or not isinstance(value, int | float)):
        hint = "; write the number without quotes" if isinstance(value, str) and _numeric(value) else ""
        raise InputError(where, key, f"{_shown(value)} is not a number{hint}; allowed: {param.describe_range()}")
    try:
        param.check(value)
    except ValueError as exc:
        raise InputError(where, key, str(exc)) from None
    return value


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _schedule_entries(schedule: dict, where: str, key: str) -> None:
    if len(schedule) > ENTRY_LIMIT:
        raise InputError(where, key, f"a schedule of {len(schedule):,} dated values; at most {ENTRY_LIMIT:,} are read")


def _unknown(key: str, allowed: list[str]) -> str:
    close = closest(key, allowed)
    hint = f"did you mean '{close}'? " if close else ""
    return f"unknown key; {hint}run 'renewal params' to list the {len(allowed)} keys allowed here"


def _month(text: Any, where: str, key: str) -> int:
    try:
        return parse_month(str(text))
    except ValueError as exc:
        raise InputError(where, key, str(exc)) from None


def _set_from(schedule: Schedule, month: int, value: float) -> Schedule:
    """The schedule with `value` holding from `month` on (later entries are replaced)."""
    return [(m, v) for m, v in schedule if m < month] + [(month, value)]


def _apply(schedules: dict, section: str, values: dict, registry: Registry, where: str,
           from_month: int, policy_start: int) -> None:
    role = "lever" if section == "levers" else "uncertainty"
    for key, value in values.items():
        name = f"{section}.{key}"
        if key not in registry.parameters:
            raise InputError(where, name, _unknown(key, registry.keys(role)))
        param = registry[key]
        if param.role != role:
            if param.role == "fact":
                raise InputError(where, name, "is a documented fact of the county and cannot be changed by a scenario")
            other = "levers" if param.role == "lever" else "uncertainties"
            raise InputError(where, name, f"is {'a lever' if param.role == 'lever' else 'an uncertainty'}; "
                             f"put it under {other}")
        if isinstance(value, dict):
            _schedule_entries(value, where, name)
        elif isinstance(value, list | None):
            raise InputError(where, name, f"{_shown(value)} is not a value; write one value or a dated schedule "
                             '{"YYYY-MM": value, ...}')
        entries = value.items() if isinstance(value, dict) else [(None, value)]
        for month_text, scalar in entries:
            month = from_month if month_text is None else _month(month_text, where, name)
            if role == "lever" and month < policy_start:
                raise InputError(where, name, f"{format_month(month)} is before the policy start "
                                 f"{format_month(policy_start)}; a what-if cannot rewrite the past")
            schedules[key] = _set_from(schedules[key], month, param.coerce(_value(param, scalar, where, name)))


def resolve(scenario: str | Path | dict = "baseline", *, seed: int | None = None, replicates: int | None = None,
            scale: float | None = None, overrides: list[str] | dict | None = None,
            allow_paths: bool = True, where: str = "scenario", parameter_draws: bool | None = None,
            county: str | Path | None = None) -> ResolvedScenario:
    """Load a scenario (shipped name, path, or mapping), follow `extends`, apply --set, validate, resolve,
    on a county (a shipped county's name or a folder; default Dongsheng): scenarios name registry keys,
    so any scenario runs on any county."""
    county_dir = "" if county is None else str(county_directory(county))
    registry = load_registry(county_dir or None)
    if isinstance(scenario, dict):
        path, data, label = None, scenario, where
    else:
        path = _scenario_path(str(scenario), None, allow_paths, str(scenario)).resolve()
        data, label = _read(path), str(path)
    chain = _chain(data, label, path, allow_paths, (label,))

    merged: dict[str, Any] = {}
    levers: dict[str, Value] = {}
    uncertainties: dict[str, Value] = {}
    timeline: list[tuple[str, TimelineEntry]] = []
    for file_label, parsed in reversed(chain):  # root first, child last
        for name in ("policy_start", "seed", "replicates", "scale", "parameter_draws", "start", "end"):
            if getattr(parsed, name) is not None:
                merged[name] = (getattr(parsed, name), file_label)
        levers.update({k: (v, file_label) for k, v in parsed.levers.items()})
        uncertainties.update({k: (v, file_label) for k, v in parsed.uncertainties.items()})
        timeline += [(file_label, entry) for entry in parsed.timeline]
    top_label, top = chain[0]
    extra_levers, extra_uncertainties = _override_mapping(overrides, registry)
    levers.update({k: (v, "--set") for k, v in extra_levers.items()})
    uncertainties.update({k: (v, "--set") for k, v in extra_uncertainties.items()})
    for name, value in (("seed", seed), ("replicates", replicates), ("scale", scale), ("parameter_draws", parameter_draws)):
        if value is not None:
            merged[name] = (value, f"--{name}")

    def setting(name: str) -> tuple[Any, str]:
        if name == "start":
            return merged.get("start", (registry["county.start_month"].value, "registry"))
        return merged.get(name, (DEFAULTS[name], "defaults"))

    county_start = parse_month(registry["county.start_month"].value)
    start = _month(*setting("start"), "start")
    end = _month(*setting("end"), "end")
    policy_start = _month(*setting("policy_start"), "policy_start")
    if start < county_start:
        raise InputError(setting("start")[1], "start", f"{format_month(start)} is before the documented "
                         f"starting county ({format_month(county_start)})")
    if end <= start:
        raise InputError(setting("end")[1], "end", f"{format_month(end)} is not after the start {format_month(start)}")
    if policy_start < county_start:
        raise InputError(setting("policy_start")[1], "policy_start",
                         f"{format_month(policy_start)} is before the documented starting county ({format_month(county_start)})")
    if policy_start < start:
        raise InputError(setting("policy_start")[1], "policy_start", f"{format_month(policy_start)} is before the "
                         f"start {format_month(start)}; the policy start lies within the run")
    if policy_start > end and _sets_levers(levers, timeline):
        raise InputError(setting("end")[1], "end", f"{format_month(end)} is before the policy start "
                         f"{format_month(policy_start)}, so the levers set would never act; end the run after it")
    _check_run_setting("scale", setting("scale"), lambda v: MIN_SCALE <= v <= 4,
                       f"a fraction of the county in [{MIN_SCALE}, 4] (below {MIN_SCALE} the county has too few compounds)")
    _check_run_setting("replicates", setting("replicates"), lambda v: isinstance(v, int) and 1 <= v <= 1000, "a whole number from 1 to 1000")
    _check_run_setting("seed", setting("seed"), lambda v: isinstance(v, int) and 0 <= v < 2**63, "a whole number >= 0")

    schedules = {key: param.schedule() for key, param in registry.parameters.items()}
    for section, values in (("levers", levers), ("uncertainties", uncertainties)):
        by_file: dict[str, dict] = {}
        for key, (value, file_label) in values.items():
            by_file.setdefault(file_label, {})[key] = value
        for file_label, chunk in by_file.items():
            from_month = policy_start if section == "levers" else -1
            _apply(schedules, section, chunk, registry, file_label, from_month, policy_start)
    dated = sorted(((_month(e.date, lbl, f"timeline[{i}].date"), i, lbl, e) for i, (lbl, e) in enumerate(timeline)),
                   key=lambda item: (item[0], item[1]))
    for month, _, file_label, entry in dated:
        for section in ("levers", "uncertainties"):
            _apply(schedules, section, getattr(entry, section), registry, file_label, month, policy_start)
    _check_spans(schedules, {**levers, **uncertainties})

    return ResolvedScenario(
        name=check_name(top.name or (Path(top_label).stem if path else "scenario"), top_label),
        description=top.description or "",
        files=tuple(lbl for lbl, _ in chain),
        policy_start=policy_start, start=start, end=end,
        seed=int(setting("seed")[0]), replicates=int(setting("replicates")[0]), scale=float(setting("scale")[0]),
        levers={k: v for k, (v, _) in levers.items()},
        uncertainties={k: v for k, (v, _) in uncertainties.items()},
        timeline=tuple({"date": format_month(m), "levers": e.levers, "uncertainties": e.uncertainties}
                       for m, _, _, e in dated),
        schedules=schedules,
        registry_hash=registry.hash,
        parameter_draws=bool(setting("parameter_draws")[0]),
        county=county_dir,
        question=top.question.model_dump() if top.question else {},
        outcomes=tuple(top.outcomes),
        relies_on=_relied_on(chain, registry),
    )


def _check_spans(schedules: dict[str, Schedule], set_here: dict[str, tuple[Any, str]]) -> None:
    """A span written as two keys, `X_from` and `X_to` (the build years of a kind of compound), must not end
    before it begins: each end may lie anywhere in its own range, but not past the other."""
    for first in schedules:
        last = first.removesuffix("_from") + "_to"
        if not first.endswith("_from") or last not in schedules:
            continue
        begins, ends = schedules[first][0][1], schedules[last][0][1]
        if begins > ends:
            key = first if first in set_here else last
            where = set_here[key][1] if key in set_here else "registry"
            raise InputError(where, key, f"{first} = {begins:g} is after {last} = {ends:g}; the span's first year "
                             "must not be after its last")


def _sets_levers(levers: dict, timeline: list[tuple[str, TimelineEntry]]) -> bool:
    """Whether the scenario sets a lever (a what-if) rather than only running the history to an earlier end."""
    return bool(levers) or any(entry.levers for _, entry in timeline)


def _relied_on(chain: list[tuple[str, ScenarioFile]], registry: Registry) -> tuple[str, ...]:
    """The registry keys the scenario and its ancestors say they rest on, in order, each once."""
    keys = []
    for file_label, parsed in reversed(chain):
        for key in parsed.relies_on:
            if key not in registry.parameters:
                raise InputError(file_label, "relies_on", _unknown(key, registry.keys()))
            keys.append(key)
    return tuple(dict.fromkeys(keys))


def _check_run_setting(name: str, setting: tuple[Any, str], ok, allowed: str) -> None:
    value, where = setting
    if isinstance(value, bool) or not isinstance(value, int | float) or not ok(value):
        raise InputError(where, name, f"{value!r} is not allowed; {name} must be {allowed}")
