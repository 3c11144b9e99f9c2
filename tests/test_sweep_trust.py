"""When a sweep's indices or point differences cannot be read: the warnings fire on a too-small or
too-noisy design with a known answer, and stay silent on an adequate one (model/sweeps/trust.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from model.sweeps.summary import STATISTICS, analyse
from model.sweeps.trust import MIN_SAMPLES, NOISE_RATIO, noise_warnings, sample_warnings

PROBLEM = {"num_vars": 2, "names": ["a", "b"], "bounds": [[0.0, 1.0], [0.0, 1.0]]}


def indices_of(design: str, samples: int, outcome) -> pd.DataFrame:
    """The indices table the summary writes, for a known function of the design."""
    if design == "sobol":
        x = sobol_sample.sample(PROBLEM, samples, calc_second_order=False, seed=3)
    else:
        x = morris_sample.sample(PROBLEM, samples, num_levels=4, seed=3)
    result = analyse(design, PROBLEM, x, outcome(x), 4, 3)
    return pd.DataFrame([{"outcome": "y", "key": key, **{s: float(result[s][i]) for s in STATISTICS[design]}}
                         for i, key in enumerate(PROBLEM["names"])])


def nonlinear(x: np.ndarray) -> np.ndarray:
    """a drives y (with a wave, so that few samples misjudge it); b hardly matters."""
    return np.sin(6 * x[:, 0]) + 4 * x[:, 0] ** 2 + 0.1 * x[:, 1]


@pytest.mark.parametrize("design, few, enough", [("sobol", 4, 512), ("morris", 3, 40)])
def test_too_few_samples_are_warned_about_and_enough_are_not(design, few, enough):
    assert few < MIN_SAMPLES[design] <= enough
    warned = sample_warnings(design, few, indices_of(design, few, nonlinear))
    assert warned and f"only {few} " in warned[0] and f"fewer than {MIN_SAMPLES[design]}" in warned[0]
    adequate = indices_of(design, enough, nonlinear)
    assert sample_warnings(design, enough, adequate) == []
    index = {"sobol": "ST", "morris": "mu_star"}[design]
    assert adequate.set_index("key").loc["a", index] > 5 * abs(adequate.set_index("key").loc["b", index])


def test_an_interval_as_wide_as_the_leading_index_is_warned_about():
    table = pd.DataFrame([
        {"outcome": "vague", "key": "a", "ST": 0.4, "ST_conf": 0.5}, {"outcome": "vague", "key": "b", "ST": 0.1, "ST_conf": 0.05},
        {"outcome": "clear", "key": "a", "ST": 0.9, "ST_conf": 0.1}, {"outcome": "clear", "key": "b", "ST": 0.01, "ST_conf": 0.02},
        {"outcome": "flat", "key": "a", "ST": 0.0, "ST_conf": 0.0}, {"outcome": "flat", "key": "b", "ST": 0.0, "ST_conf": 0.0},
    ])
    (warning,) = sample_warnings("sobol", 128, table)
    assert "as wide as its ST for 1 outcome(s) (vague)" in warning
    assert sample_warnings("sobol", 128, table[table["outcome"] != "vague"]) == []
    assert sample_warnings("lhs", 4, None) == [] and sample_warnings("grid", None, None) == []


def runs_with_noise(noise: float, replicates: int = 3) -> pd.DataFrame:
    """10 design points whose outcome rises by 10 a point (spread about 30), with replicate noise of SD `noise`."""
    rng = np.random.default_rng(5)
    rows = [{"point": p, "replicate": r, "status": "ok", "y": 10.0 * p + rng.normal(0, noise)}
            for p in range(10) for r in range(replicates)]
    return pd.DataFrame(rows)


def test_replicate_noise_comparable_to_the_designs_effect_is_warned_about():
    assert noise_warnings(runs_with_noise(1.0), ["y"]) == []
    (warning,) = noise_warnings(runs_with_noise(60.0), ["y"])
    assert "replicate noise is comparable to the design's effect for 1 outcome(s) (y (" in warning
    assert f"above {NOISE_RATIO}" in warning
    assert noise_warnings(runs_with_noise(60.0, replicates=1), ["y"]) == []  # one replicate: not measurable
    constant = runs_with_noise(0.0).assign(y=1.0)
    assert noise_warnings(constant, ["y"]) == []  # an outcome that does not vary at all
