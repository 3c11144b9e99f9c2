"""Property-based tests (hypothesis): whatever a sweep spec or an app link holds, the answer is a valid
result or one InputError line, never another exception. Deterministic (derandomize) and fast: the
inputs are built around valid ones, so that most reach the deeper checks."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path
from unittest import mock

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.app.settings import CONTROLS, RUN_BOUNDS, Settings, from_link
from model.inputs.errors import InputError
from model.sweeps.spec import SpecFile, Sweep, Vary, load_spec
from tests.test_sweep import SHORT_BASE

FUZZ = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True, allow_infinity=True),
                    st.text(max_size=12), st.sampled_from(["inf", "-inf", "nan", "1e400", "2026-01", "0.3", "", " 7 "]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                                              max_size=3), max_leaves=6)
VARY_KEYS = ["renovation.resident_share", "stalls.score_threshold", "stalls.ban_months", "economy.second_shock_start",
             "county.initial_population", "renovation.residents_share"]
vary_entry = st.one_of(
    st.fixed_dictionaries({}, optional={"range": st.lists(scalars, min_size=0, max_size=3) | values,
                                        "steps": st.integers(-2, 2000) | values,
                                        "values": st.lists(scalars, max_size=4) | values,
                                        **{k: values for k in ("rnage", "step")}}),
    values)
VALID = [  # one valid spec of each design; a fuzzed spec is one of them with up to two changes
    {"base": "short.yaml", "design": "grid", "replicates": 2, "scale": 0.01,
     "vary": {"renovation.resident_share": {"values": [0.1, 0.3]}, "stalls.ban_months": {"range": [1, 12], "steps": 3}}},
    {"base": "short.yaml", "design": "lhs", "samples": 4, "replicates": 2, "scale": 0.01,
     "vary": {"renovation.resident_share": {"range": [0.1, 0.4]}}},
    {"base": "baseline", "design": "sobol", "samples": 4, "replicates": 1, "scale": 0.01,
     "vary": {"stalls.score_threshold": {"range": [30, 90]}, "economy.second_shock_start": {"range": ["2027-01", "2030-12"]}}},
    {"base": "short.yaml", "design": "morris", "samples": 3, "levels": 4, "replicates": 1, "scale": 0.01,
     "vary": {"renovation.resident_share": {"range": [0.1, 0.4]}, "stalls.ban_months": {"range": [1, 12]}}},
]
SPEC_KEYS = [*SpecFile.model_fields, "replicate", "sample", "dessign", "colour"]
changes = st.one_of(
    st.tuples(st.sampled_from(SPEC_KEYS), st.sampled_from(["grid", "lhs", "sobol", "morris", "nowhere", "../x.yaml"])
              | st.integers(-2, 10**7) | values),
    st.tuples(st.just("vary"), st.dictionaries(st.sampled_from(VARY_KEYS) | st.text(max_size=10), vary_entry, max_size=3)),
    st.tuples(st.sampled_from([f"vary.{k}" for k in VARY_KEYS]), vary_entry),
)


def changed(spec: dict, edits: list[tuple[str, object]]) -> dict:
    spec = {**spec, "vary": dict(spec["vary"])}
    for key, value in edits:
        if key.startswith("vary."):  # into the vary mapping, or a new one if an earlier change replaced it
            spec["vary"] = {**(spec["vary"] if isinstance(spec["vary"], dict) else {}), key.removeprefix("vary."): value}
        else:
            spec[key] = value
    return spec


specs = st.builds(changed, st.sampled_from(VALID), st.just([]) | st.lists(changes, min_size=1, max_size=1)
                  | st.lists(changes, max_size=2))
_SPEC_DIR = Path(tempfile.mkdtemp(prefix="fuzz-spec-"))
(_SPEC_DIR / "short.yaml").write_text(SHORT_BASE, encoding="utf-8")


@FUZZ
@given(spec=specs)
def test_any_sweep_spec_loads_or_is_one_input_error(spec):
    path = _SPEC_DIR / "spec.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    with mock.patch("model.sweeps.limit.seconds_per_run", return_value=1.0):  # the timed run is tested elsewhere
        try:
            sweep = load_spec(path)
        except InputError as exc:
            assert "\n" not in str(exc) and str(exc).startswith(str(path))
            return
    assert isinstance(sweep, Sweep) and sweep.runs == sweep.shape.points * sweep.replicates
    assert sweep.runs <= (spec.get("max_runs") or 100_000) and set(spec) <= set(SpecFile.model_fields)
    assert all(set(v) <= set(Vary.model_fields) for v in spec["vary"].values())


LINK_KEYS = [*RUN_BOUNDS, "preset", "county", "policy_start", "compare", "lang", *(c.key for c in CONTROLS),
             "county.initial_population", "[x](https://example.com)"]
link_text = st.one_of(st.text(max_size=15), st.sampled_from(["inf", "-inf", "nan", "1e400", "1e-7", "0.001", "4", "1000",
                                                             "2027-01", "2026-13", ":link:", "residents_pay_30", "32"]),
                      st.floats().map(str), st.integers(-10**6, 10**20).map(str))
links = st.dictionaries(st.sampled_from(LINK_KEYS) | st.text(max_size=10), link_text | st.lists(link_text, max_size=2),
                        max_size=5)


@FUZZ
@given(query=links)
def test_any_link_gives_settings_within_the_widgets_and_one_message_per_bad_value(query):
    result, errors = from_link(query)
    assert isinstance(result, Settings) and all(isinstance(e, InputError) for e in errors)
    for name, bounds in RUN_BOUNDS.items():
        value = getattr(result, name)
        assert value is None or bounds.low <= value <= bounds.high and math.isfinite(value)
    assert len(errors) <= len(query)
