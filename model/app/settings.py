"""The app's settings: a shipped preset, a policy start and the values a planner changed.

Settings turn into a scenario mapping (`extends: <preset>`, levers, uncertainties, run settings) that
`model.run` and `renewal run` accept unchanged, into a shareable URL query, and back. Whatever comes
from outside (an uploaded YAML file, a link) is checked by `resolve(..., allow_paths=False)`, so it
can only extend a shipped scenario and never makes the app read another file; bad input raises the
one-line InputError. A link's value is read and bounded exactly like its widget: `Bounds` is the one
definition of what each slider and run setting accepts, and both the widgets and the link parser read it.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import yaml

from model.inputs.calendar import format_month, parse_month
from model.inputs.errors import InputError, yaml_problem
from model.inputs.counties import DEFAULT_COUNTY, shipped_counties
from model.inputs.registry import Parameter, Registry, load_registry
from model.inputs.scenario import SCENARIO_DIR, ResolvedScenario, resolve

# The app's default run: small enough to redraw within seconds, big enough for its bands (docs/app.md).
APP_SCALE = 0.05
APP_REPLICATES = 4  # 2 per worker: a moved slider answers within 2 s here, in a browser (benchmarks/RESULTS.md)
APP_CACHE = Path("results") / "cache"  # the app's disk cache (RENEWAL_CACHE), relative to where it is served
APP_WORKERS = 2  # replicates run in two kept worker processes (model.run(workers=...))
SCALES = (0.01, 0.02, 0.05, 0.1, 0.25)  # offered in the run settings; a link may hold another within their range
MAX_REPLICATES = 32
# While a reader stays on a setting, background replicates sharpen it up to MAX_REPLICATES, redrawn at each of
# these counts (model/results/sharpen.py); RENEWAL_SHARPEN=0 in the server's environment turns this off.
SHARPEN_STAGES = (8, 16, 32)
SHARPEN_ENV = "RENEWAL_SHARPEN"
SHARPEN_POLL_S = 1.0
MAX_SEED = 2**53 - 1  # the largest whole number a browser's number input holds exactly
REFERENCE = "baseline"  # every setting is compared with this shipped scenario
# ... either in the setting's own world (its uncertainties: the effect of its levers, identical before the
# policy start) or in the baseline's (the total effect, outside conditions included).
COMPARISONS = ("same_world", "baseline_world")
POLICY_START_RANGE = ("2015-01", "2035-12")

Scalar = float | int | str


@dataclass(frozen=True)
class Bounds:
    """What one widget accepts, in the registry's units: the lowest and highest value and whether it moves
    in whole numbers. The widget is built from it and a link's text is read by it."""

    low: float
    high: float
    whole: bool = False

    def read(self, where: str, name: str, text: Any) -> int | float:
        """A link's text as this widget's value, else InputError naming the setting and the allowed range."""
        try:
            number = float(text)
        except (TypeError, ValueError):
            raise InputError(where, name, f"{text!r} is not a number; {self.allowed()}") from None
        return self.check(where, name, number, str(text))

    def check(self, where: str, name: str, number: float, text: str | None = None) -> int | float:
        if not (math.isfinite(number) and self.low <= number <= self.high) or self.whole and not number.is_integer():
            raise InputError(where, name, f"{text or _plain(number)} is not allowed; {self.allowed()}")
        return int(number) if self.whole else number

    def allowed(self) -> str:
        kind = "a whole number" if self.whole else "a number"
        return f"allowed: {kind} from {_plain(self.low)} to {_plain(self.high)}"


def _plain(number: float) -> str:
    return f"{number:,.0f}" if math.isfinite(number) and float(number).is_integer() else f"{number:g}"


RUN_BOUNDS = {"seed": Bounds(0, MAX_SEED, whole=True), "scale": Bounds(min(SCALES), max(SCALES)),
              "replicates": Bounds(1, MAX_REPLICATES, whole=True)}


def parameter_bounds(param: Parameter) -> Bounds:
    """A registry parameter's slider: its registry range, in whole numbers for integers."""
    low, high = param.bounds()
    return Bounds(low, high, whole=param.type == "integer")


def read_value(param: Parameter, key: str, where: str, text: Any) -> Scalar:
    """A link's value for a registry key, read like its slider (months like the month slider)."""
    if param.type != "month":
        return tidy(param, parameter_bounds(param).read(where, key, text))
    try:
        return param.display_value(param.check(text))
    except ValueError as exc:
        raise InputError(where, key, str(exc)) from None


@dataclass(frozen=True)
class Control:
    """One registry parameter a planner can move, and how the app shows it."""

    key: str
    group: str  # a section of the sidebar (app_text "group.<group>")
    shown_as: str = "value"  # value | percent | government_percent | million_yuan | month
    step: float = 1
    label: str | None = None  # app_text "label.<label>" when the widget shows something else than the key

    @property
    def param(self) -> Parameter:
        return load_registry()[self.key]

    def to_shown(self, value: Scalar) -> Scalar:
        """The registry value as the widget shows it."""
        if self.shown_as == "month":
            return value if isinstance(value, str) else format_month(int(value))
        value = float(value)
        shown = {"percent": 100 * value, "government_percent": 100 * (1 - value),
                 "million_yuan": value / 1e6}.get(self.shown_as, value)
        return int(round(shown)) if float(self.step).is_integer() else round(shown, 6)

    def from_shown(self, shown: Scalar) -> Scalar:
        """The widget's value as a registry value (what the scenario file holds)."""
        if self.shown_as == "month":
            return str(shown)
        value = {"percent": float(shown) / 100, "government_percent": 1 - float(shown) / 100,
                 "million_yuan": float(shown) * 1e6}.get(self.shown_as, shown)
        return tidy(self.param, value)

    def shown_bounds(self, registry: Registry | None = None) -> tuple[Scalar, Scalar]:
        """The widget's bounds: the parameter's `parameter_bounds` in the county's registry (default
        Dongsheng's), as the widget shows them."""
        param = (registry or load_registry())[self.key]
        bounds = parameter_bounds(param)
        low, high = (self.to_shown(param.display_value(v)) for v in (bounds.low, bounds.high))
        return (high, low) if self.shown_as == "government_percent" else (low, high)

    def options(self) -> list[str]:
        """The months a month control offers (its registry range)."""
        low, high = self.param.bounds()
        return [format_month(m) for m in range(int(low), int(high) + 1)]


CONTROLS: tuple[Control, ...] = (
    Control("renovation.resident_share", "renovation", "government_percent", 5, label="government_share"),
    Control("renovation.local_plan_ongoing", "renovation", step=5),
    Control("renovation.national_plan", "renovation", step=5),
    Control("renovation.budget", "renovation", "million_yuan", 10),
    Control("renovation.national_cutoff_year", "renovation"),
    Control("stalls.supply", "stalls", step=20),
    Control("stalls.score_threshold", "stalls"),
    Control("stalls.ban_months", "stalls"),
    Control("street_blocks.investment", "places", "million_yuan", 10),
    Control("talent.housing_units", "places", step=50),
    Control("disputes.capacity", "places", step=100),
    Control("economy.second_shock_depth", "world", "percent"),
    Control("economy.second_shock_start", "world", "month"),
    Control("economy.second_shock_months", "world", step=6),
    Control("renovation.pay_rate", "world", "percent"),
    Control("renovation.burden_half_willingness", "world", "percent"),
    Control("renovation.cost_growth", "world", "percent"),
    Control("renovation.season_start_month", "world"),
)
BY_KEY = {c.key: c for c in CONTROLS}
GROUPS = tuple(dict.fromkeys(c.group for c in CONTROLS))

# Query parameters the settings leave alone: Streamlit's own, and the language (the app reads it).
IGNORED_KEYS = ("embed", "embed_options", "lang")


def tidy(param: Parameter, value: Any) -> Scalar:
    """A value as the registry writes it: whole numbers for integers, months as YYYY-MM, short floats."""
    if param.type == "month":
        return str(value)
    if param.type == "integer":
        return int(round(float(value)))
    number = float(value)
    return int(number) if number.is_integer() else float(f"{number:.10g}")


def shipped_scenarios() -> list[str]:
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml"))


@dataclass(frozen=True)
class Settings:
    """A preset, the policy start, the changed values (registry key -> value) and the run settings."""

    preset: str = REFERENCE
    policy_start: str | None = None  # None: the preset's own
    changes: dict[str, Scalar] = field(default_factory=dict)
    seed: int | None = None  # None: the preset's own
    scale: float = APP_SCALE
    replicates: int = APP_REPLICATES
    compare: str = COMPARISONS[0]
    county: str = DEFAULT_COUNTY  # a shipped county (counties/<name>)

    def registry(self) -> Registry:
        return load_registry(self.county)

    # -- what the controls start from ------------------------------------------------------------
    def preset_scenario(self) -> ResolvedScenario:
        return _preset(self.preset, self.county)

    def start(self) -> str:
        return self.policy_start or format_month(self.preset_scenario().policy_start)

    def defaults(self) -> dict[str, Scalar]:
        """Each control's value in the preset at the policy start: what an untouched control shows."""
        return dict(_defaults(self.preset, self.start(), self.county))

    def value(self, key: str) -> Scalar:
        return self.changes.get(key, self.defaults()[key])

    def with_value(self, key: str, value: Scalar) -> Settings:
        """These settings with one value changed; a value equal to the preset's is no change at all."""
        changes = {k: v for k, v in self.changes.items() if k != key}
        if key not in BY_KEY or not _same(value, self.defaults()[key]):
            changes[key] = tidy(self.registry()[key], value)
        return dataclasses.replace(self, changes=changes)

    # -- as a scenario -----------------------------------------------------------------------------
    def to_scenario(self) -> dict:
        """The scenario mapping `model.run` and `renewal run` accept unchanged (with `--county` for another
        county than Dongsheng)."""
        registry = self.registry()
        sections: dict[str, dict] = {"levers": {}, "uncertainties": {}}
        for key, value in sorted(self.changes.items()):
            sections["levers" if registry[key].role == "lever" else "uncertainties"][key] = value
        return {
            "name": f"{self.preset}_app" if self.changes else self.preset,
            "description": describe(self),
            "extends": self.preset,
            "policy_start": self.start(),
            **{section: values for section, values in sections.items() if values},
            "seed": self.seed if self.seed is not None else self.preset_scenario().seed,
            "replicates": self.replicates,
            "scale": self.scale,
            "parameter_draws": True,
        }

    def reference_scenario(self) -> dict:
        """The baseline with this setting's policy start, seeds and draws. In the same world it also has
        this setting's uncertainties (only the levers differ), so before the policy start it is the same
        run as this setting; in the baseline's world, outside conditions differ too."""
        own = self.to_scenario()
        reference = {"name": REFERENCE, "extends": REFERENCE, "policy_start": own["policy_start"],
                     **{k: own[k] for k in ("seed", "replicates", "scale", "parameter_draws")}}
        if self.compare == "same_world":
            resolved = self.resolve()
            timeline = [{"date": e["date"], "uncertainties": e["uncertainties"]} for e in resolved.timeline
                        if e["uncertainties"]]
            reference.update({"uncertainties": dict(resolved.uncertainties)} if resolved.uncertainties else {})
            reference.update({"timeline": timeline} if timeline else {})
        return reference

    def resolve(self, where: str = "settings") -> ResolvedScenario:
        return resolve(self.to_scenario(), allow_paths=False, where=where, county=self.county)

    def reference_resolved(self) -> ResolvedScenario:
        return resolve(self.reference_scenario(), allow_paths=False, where="baseline", county=self.county)

    def preset_as_shipped(self) -> ResolvedScenario:
        """The preset's own file: its question and the outcomes that answer it (a scenario that extends it
        does not inherit them)."""
        return resolve(self.preset, allow_paths=False, where="preset", county=self.county)

    def preset_resolved(self) -> ResolvedScenario:
        """The preset itself at this setting's policy start, seed and scale (what the app screens for
        assumptions: model.results.marks.screening)."""
        own = self.to_scenario()
        return resolve({"name": self.preset, "extends": self.preset,
                        **{k: own[k] for k in ("policy_start", "seed", "scale", "replicates")}},
                       allow_paths=False, where="preset", county=self.county)

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.to_scenario(), allow_unicode=True, sort_keys=False, width=100)

    # -- as a link ---------------------------------------------------------------------------------
    def to_query(self) -> dict[str, str]:
        """Only what differs from the defaults, so that a link is short and says what was changed."""
        query = {}
        if self.preset != REFERENCE:
            query["preset"] = self.preset
        if self.policy_start and self.policy_start != format_month(self.preset_scenario().policy_start):
            query["policy_start"] = self.policy_start
        for name, default in (("seed", None), ("scale", APP_SCALE), ("replicates", APP_REPLICATES),
                              ("compare", COMPARISONS[0]), ("county", DEFAULT_COUNTY)):
            if getattr(self, name) != default:
                query[name] = str(getattr(self, name))
        query.update({key: str(value) for key, value in sorted(self.changes.items())})
        return query


@cache
def _preset(name: str, county: str) -> ResolvedScenario:
    return resolve(name, allow_paths=False, county=county)


@cache
def _defaults(preset: str, policy_start: str, county: str) -> tuple[tuple[str, Scalar], ...]:
    resolved = resolve({"extends": preset, "policy_start": policy_start}, allow_paths=False, county=county)
    month = parse_month(policy_start)
    return tuple((c.key, tidy(c.param, c.param.display_value(resolved.value_at(c.key, month)))) for c in CONTROLS)


def _same(a: Scalar, b: Scalar) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return str(a) == str(b)
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)


def describe(settings: Settings) -> str:
    changed = ", ".join(f"{k}={v}" for k, v in sorted(settings.changes.items())) or "no changes"
    return f"Saved from the planners' app: {settings.preset} with {changed} from {settings.start()}."


# ---------------------------------------------------------------------------------- from outside
def from_query(query: dict[str, Any]) -> Settings:
    """Settings from a link's query parameters; InputError names the parameter and what is allowed."""
    where = "link"
    values = {k: _last(v) for k, v in query.items() if k not in IGNORED_KEYS}
    county = values.pop("county", DEFAULT_COUNTY)
    if county not in shipped_counties():
        raise InputError(where, "county", f"no shipped county '{county}'; shipped: {', '.join(shipped_counties())}")
    registry = load_registry(county)
    preset = values.pop("preset", REFERENCE)
    if preset not in shipped_scenarios():
        raise InputError(where, "preset", f"no shipped scenario '{preset}'; shipped: {', '.join(shipped_scenarios())}")
    run = {name: RUN_BOUNDS[name].read(where, name, values.pop(name)) for name in RUN_BOUNDS if name in values}
    policy_start = values.pop("policy_start", None)
    compare = values.pop("compare", COMPARISONS[0])
    if compare not in COMPARISONS:
        raise InputError(where, "compare", f"'{compare}' is not a comparison; use {' or '.join(COMPARISONS)}")
    changes = {}
    for key, text in values.items():
        if key not in registry.parameters or registry[key].role == "fact":
            raise InputError(where, key, "unknown setting; a link may hold county, preset, policy_start, seed, scale, "
                             "replicates, compare and lever or uncertainty keys of the registry")
        changes[key] = read_value(registry[key], key, where, text)
    return checked(Settings(preset=preset, policy_start=policy_start, changes=changes, compare=compare, county=county,
                            **run), where)


def _last(value: Any) -> Any:
    """A repeated query parameter counts by its last value, as Streamlit reads it (none: empty text)."""
    return (value[-1] if value else "") if isinstance(value, list) else value


def from_link(query: dict[str, Any]) -> tuple[Settings, list[InputError]]:
    """A link's settings without the bad ones, and what was wrong with each: a link with one bad value
    still restores the rest (or, if the problem cannot be pinned on one parameter, the defaults)."""
    errors = []
    while True:
        try:
            return from_query(query), errors
        except InputError as exc:
            errors.append(exc)
            if exc.key not in query:
                return Settings(), errors
            query = {k: v for k, v in query.items() if k != exc.key}


def from_yaml(text: str | bytes, where: str = "uploaded file", county: str = DEFAULT_COUNTY) -> Settings:
    """Settings from an uploaded scenario file, for the county the app shows. It must extend a shipped
    scenario and set single values (the app has one control per key; dated schedules and timelines run
    with `renewal run`)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError(where, None, yaml_problem(exc)) from None
    if not isinstance(data, dict):
        raise InputError(where, None, "a scenario must be a mapping of keys (extends, levers, uncertainties, ...)")
    allowed = ("name", "description", "extends", "policy_start", "levers", "uncertainties", "seed", "replicates",
               "scale", "parameter_draws")
    for key in data:
        if key not in allowed:
            raise InputError(where, str(key), f"the app cannot show this; allowed keys: {', '.join(allowed)} "
                             "(run other scenarios with 'renewal run')")
    preset = data.get("extends")
    if not isinstance(preset, str) or preset not in shipped_scenarios():
        raise InputError(where, "extends", f"must name a shipped scenario ({', '.join(shipped_scenarios())}); "
                         f"got {preset!r}")
    changes = {}
    for section in ("levers", "uncertainties"):
        values = data.get(section) or {}
        if not isinstance(values, dict):
            raise InputError(where, section, "must be a mapping of registry keys to values")
        for key, value in values.items():
            if isinstance(value, dict):
                raise InputError(where, f"{section}.{key}", "the app takes one value per key, not a dated schedule")
            changes[key] = value
    # The model's own rules check every key, role, value, range and month, and name what is allowed.
    resolve({k: v for k, v in data.items() if k not in ("name", "description")}, allow_paths=False, where=where,
            county=county)
    registry = load_registry(county)
    settings = Settings(
        preset=preset, county=county,
        policy_start=str(data["policy_start"]) if data.get("policy_start") is not None else None,
        changes={k: tidy(registry[k], registry[k].display_value(registry[k].check(v))) for k, v in changes.items()},
        **{k: (float(data[k]) if k == "scale" else int(data[k])) for k in ("seed", "scale", "replicates")
           if data.get(k) is not None})
    return checked(settings, where)


def checked(settings: Settings, where: str) -> Settings:
    """The settings if the model accepts them (ranges, roles, months, run settings), else InputError;
    written the one way the app writes them (values equal to the preset's are no change). The run
    settings must lie within their widgets' bounds, whatever the model itself would accept."""
    for name, bounds in RUN_BOUNDS.items():
        if getattr(settings, name) is not None:
            bounds.check(where, name, float(getattr(settings, name)), str(getattr(settings, name)))
    if settings.policy_start is not None:
        low, high = (parse_month(m) for m in POLICY_START_RANGE)
        try:
            month = parse_month(settings.policy_start)
        except ValueError as exc:
            raise InputError(where, "policy_start", str(exc)) from None
        if not low <= month <= high:
            raise InputError(where, "policy_start", f"{settings.policy_start} is outside "
                             f"{POLICY_START_RANGE[0]} .. {POLICY_START_RANGE[1]}")
    settings.resolve(where)
    preset = settings.preset_scenario()
    normal = dataclasses.replace(
        settings, changes={},
        policy_start=None if settings.policy_start == format_month(preset.policy_start) else settings.policy_start,
        seed=None if settings.seed == preset.seed else settings.seed)
    for key, value in settings.changes.items():
        normal = normal.with_value(key, value)
    return normal


def shown_stage(ready: int, first: int) -> int:
    """The replicates the page shows when `ready` background replicates have arrived: the largest stage of
    SHARPEN_STAGES reached (the page redraws at each), or the first answer's `first` until one is."""
    return max([first, *(stage for stage in SHARPEN_STAGES if stage <= ready)])
