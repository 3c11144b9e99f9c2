"""Property: every scenario, however malformed, resolves or is refused with an InputError; never another
exception. Documents are built from the registry's keys and the scenario's fields with values of random
types, and from random text; the examples are fixed (derandomize) so that the test is deterministic."""

from __future__ import annotations

import math
import string
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import model
from model.inputs.errors import InputError
from model.inputs.registry import load_registry
from model.inputs.scenario import ScenarioFile, parse_value, resolve

REGISTRY = load_registry()
KEYS = sorted(REGISTRY.parameters)
FUZZ = settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

months = st.builds(lambda y, m: f"{y}-{m:02d}", st.integers(1990, 2050), st.integers(0, 13))
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(), st.text(max_size=20),
                    months)
values = st.one_of(scalars, st.lists(scalars, max_size=3), st.dictionaries(st.one_of(months, st.text(max_size=8)),
                                                                            scalars, max_size=3))
keys = st.one_of(st.sampled_from(KEYS), st.text(max_size=30))
settings_values = st.dictionaries(keys, values, max_size=4)
fields = {
    "name": st.one_of(st.text(max_size=120), scalars),
    "description": st.one_of(st.text(max_size=50), scalars),
    "extends": st.one_of(st.sampled_from(["baseline", "residents_pay_30", "nowhere", "../x.yaml", "/",
                                                          "x" * 300 + ".yaml", "a/\x00b.yaml"]),
                         st.text(max_size=300), scalars),
    "policy_start": st.one_of(months, scalars), "start": st.one_of(months, scalars), "end": st.one_of(months, scalars),
    "levers": st.one_of(settings_values, values), "uncertainties": st.one_of(settings_values, values),
    "timeline": st.one_of(st.lists(st.fixed_dictionaries({"date": st.one_of(months, scalars)},
                                                         optional={"levers": settings_values,
                                                                   "uncertainties": settings_values}), max_size=3),
                          values),
    "seed": scalars, "replicates": scalars, "scale": st.one_of(st.floats(0, 5), scalars),
    "parameter_draws": scalars, "outcomes": values, "relies_on": st.one_of(st.lists(keys, max_size=3), values),
    "question": st.one_of(st.fixed_dictionaries({"zh": scalars, "en": scalars}), values),
}
assert set(fields) == set(ScenarioFile.model_fields)
documents = st.fixed_dictionaries({}, optional={**fields, "unknown": values})


def near(role: str) -> st.SearchStrategy:
    """Settings of registry keys of this role, mostly valid, so that the loader's later checks are reached."""
    entry = st.sampled_from([k for k in KEYS if REGISTRY[k].role == role]).flatmap(
        lambda k: st.tuples(st.just(k), st.one_of(valid_value(k), st.dictionaries(months, valid_value(k), max_size=2),
                                                  scalars)))
    return st.lists(entry, max_size=3).map(dict)


def resolves_or_refuses(scenario: dict | str) -> None:
    try:
        resolve(scenario)
    except InputError as exc:
        assert "\n" not in str(exc), str(exc)


@FUZZ
@given(st.one_of(documents, st.fixed_dictionaries(
    {"extends": st.just("baseline"), "levers": near("lever"), "uncertainties": near("uncertainty")},
    optional={"policy_start": months, "end": months, "timeline": st.lists(st.fixed_dictionaries(
        {"date": months, "levers": near("lever"), "uncertainties": near("uncertainty")}), max_size=2)})))
def test_a_scenario_mapping_resolves_or_is_refused(document):
    resolves_or_refuses(document)


@FUZZ
@given(st.one_of(documents.map(lambda d: yaml.safe_dump(d, allow_unicode=True)), st.text(max_size=200),
                 st.text(alphabet=string.printable, max_size=200)))
def test_a_scenario_file_resolves_or_is_refused(text):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzzed.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        resolves_or_refuses(str(path))


@FUZZ
@given(keys, st.one_of(st.text(max_size=30), st.floats().map(str), st.integers().map(str)))
def test_a_set_value_is_read_or_refused(key, text):
    try:
        parse_value(key, text, REGISTRY)
    except InputError as exc:
        assert "\n" not in str(exc), str(exc)


def test_every_key_refuses_every_non_finite_number():
    """Not left to chance: each registry key, whole-number keys too (int(inf) raises OverflowError), in a
    scenario and as text."""
    section = {"lever": "levers", "uncertainty": "uncertainties"}
    for key in KEYS:
        for number in (math.inf, -math.inf, math.nan):
            attempts = [lambda: parse_value(key, str(number), REGISTRY)]
            if REGISTRY[key].role in section:
                attempts.append(lambda: resolve({"extends": "baseline", section[REGISTRY[key].role]: {key: number}}))
            for refused in attempts:
                try:
                    refused()
                except InputError as exc:
                    assert "\n" not in str(exc)
                else:
                    raise AssertionError(f"{key}={number} was accepted")


def valid_value(key: str) -> st.SearchStrategy:
    param = REGISTRY[key]
    low, high = param.bounds()
    if param.type == "month":
        return st.integers(int(low), int(high)).map(lambda m: f"{m // 12}-{m % 12 + 1:02d}")
    if param.type == "integer":
        return st.integers(int(low), int(high))
    return st.floats(low, high, allow_nan=False)


levers = [k for k in KEYS if REGISTRY[k].role == "lever" and REGISTRY[k].type != "month"]
valid = st.lists(st.sampled_from(levers), min_size=1, max_size=3, unique=True).flatmap(
    lambda chosen: st.fixed_dictionaries({k: valid_value(k) for k in chosen}))


@settings(max_examples=3, deadline=None, derandomize=True)
@given(valid)
def test_valid_fuzzed_scenarios_run_end_to_end(chosen):
    result = model.run({"extends": "baseline", "policy_start": "2014-06", "end": "2015-12", "levers": chosen},
                       scale=0.005, seed=1)
    assert len(result.monthly) == 24 and result.monthly["population"].gt(0).all()
