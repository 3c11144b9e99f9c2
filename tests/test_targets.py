"""Calibration targets: one tolerance rule, taken on what is measured, and no fit target the model receives.

A target is received when an input (a plan, a capacity, a stock) caps or fixes its simulated value inside
its band, as the 188 + 180 plan caps the compounds rectified by 2024: such a figure judges nothing. Here only
the calibrated parameters move, to the ends of their priors, and every fit target's simulated value must
cross its whole band.
"""

from __future__ import annotations

import itertools

import pytest

import model
from model.inputs.errors import InputError
from model.inputs.locations import COUNTIES_DIR
from model.inputs.registry import load_registry
from model.calibration.settings import PROPOSED_EFFECT
from model.inputs.targets import load_targets, simulated

SCALE = 0.05


@pytest.fixture(scope="module")
def prior_ends():
    """The fit targets simulated with each calibrated parameter at either end of its prior (the others at
    their calibrated values), two seeds each."""
    targets = load_targets()
    scenario = {"extends": "baseline", "end": targets.last_month()}
    values = {}
    for key, entry in targets.spec.calibrated.items():
        for end in entry.search:
            monthly = model.run(scenario, scale=SCALE, seed=5, replicates=2, overrides={key: end}).monthly
            values[(key, end)] = {n: simulated(monthly, targets.spec.targets[n]) for n in targets.names("fit")}
    return targets, values


def test_every_fit_target_crosses_its_whole_band_as_the_calibrated_parameters_cross_their_priors(prior_ends):
    targets, values = prior_ends
    for name in targets.names("fit"):
        low, high = targets.band(name)
        simulated_values = [v for outcome in values.values() for v in outcome[name]]
        assert min(simulated_values) < low and max(simulated_values) > high, (name, low, high, simulated_values)


def test_each_fit_target_moves_across_its_band_with_the_parameter_calibrated_on_it(prior_ends):
    """Identification by design: the parameter a target is said to identify moves it across its band alone."""
    targets, values = prior_ends
    for key, entry in targets.spec.calibrated.items():
        for name in entry.targets:
            low, high = targets.band(name)
            ends = [values[(key, end)][name] for end in entry.search]
            assert min(ends[0].max(), ends[1].max()) < low and max(ends[0].min(), ends[1].min()) > high, (key, name)


def test_a_change_has_its_band_on_the_change_not_on_the_levels():
    targets = load_targets()
    low, high = targets.band("population_change_2022")
    assert (low, high) == pytest.approx((4500 * 0.98, 4500 * 1.02))


def test_every_band_follows_the_one_rule_from_its_hedge_and_reliability():
    targets = load_targets()
    for name, target in targets.spec.targets.items():
        hedge_low, hedge_high = targets.spec.hedges[target.hedge]
        slack = targets.spec.tolerance[target.reliability] * abs(target.observed)
        assert targets.band(name) == pytest.approx((hedge_low * target.observed - slack,
                                                    hedge_high * target.observed + slack)), name


def test_the_plan_capped_campaign_is_not_a_fit_target_and_its_parameter_is_drawn():
    targets = load_targets()
    assert targets.spec.targets["compounds_rectified_2024"].role == "check"
    registry = load_registry()
    delay = registry["disputes.works_delay_effect"]
    assert delay.status == "assumed" and delay.draw and "disputes.works_delay_effect" in targets.spec.nuisance


def test_nuisance_parameters_are_assumed_drawn_and_not_calibrated():
    targets = load_targets()
    registry = load_registry()
    assert targets.spec.nuisance
    for key in targets.spec.nuisance:
        assert registry[key].status == "assumed" and registry[key].draw, key
        assert key not in targets.spec.calibrated


def spread(low: float, high: float, integer: bool) -> list[float]:
    """A range's ends and two interior points (a third and two thirds in), whole numbers for an integer key:
    an effect that cancels between the ends (a threshold, a non-monotone response) shows inside."""
    points = [low + (high - low) * share for share in (0, 1 / 3, 2 / 3, 1)]
    return sorted({float(round(x)) for x in points}) if integer else points


def test_a_drawn_parameter_left_out_of_the_calibration_does_not_touch_the_fit_targets():
    """The calibration draws, as nuisance parameters, every drawn assumed parameter that acts on the history
    the fit targets measure; one left out may act only after them: at either end of its range and at two
    points inside it, every fit target is exactly what it is at the low end (same seeds)."""
    targets = load_targets()
    registry = load_registry()
    scenario = {"extends": "baseline", "end": targets.last_month()}
    outside = [k for k in registry.parameters if registry[k].draw and registry[k].status == "assumed"
               and k not in targets.spec.nuisance]
    assert outside, "every drawn parameter is a nuisance parameter: this test would check nothing"
    for key, scale in itertools.product(outside, (SCALE, 0.25)):
        values = spread(*registry[key].bounds(), registry[key].type == "integer")
        runs = [model.run(scenario, scale=scale, seed=5, replicates=1, overrides={key: value}).monthly
                for value in values]
        for name in targets.names("fit"):
            simulated_at = [simulated(monthly, targets.spec.targets[name]).iloc[0] for monthly in runs]
            assert len(set(simulated_at)) == 1, (key, scale, name, dict(zip(values, simulated_at)))


def test_the_nuisance_parameters_pyabc_proposes_are_those_that_move_a_fit_target_beyond_noise():
    """`proposed: true` (pyabc's kernel) marks the nuisance parameters that move a fit target by PROPOSED_EFFECT
    sds of its measurement error or more per tenth of their range (paired range ends, two seeds); the others,
    drawn inside each particle, move none that much (the largest of them, the dissatisfaction effect, about
    0.18 against 0.74 for the smallest proposed one)."""
    targets = load_targets()
    registry = load_registry()
    scenario = {"extends": "baseline", "end": targets.last_month("fit")}
    fit = targets.names("fit")
    sds = {n: targets.centre_and_sd(n)[1] for n in fit}
    for key, entry in targets.spec.nuisance.items():
        effects = []
        for seed in (1, 2):
            low, high = (model.run(scenario, scale=0.25, seed=seed, replicates=1, overrides={key: end}).monthly
                         for end in registry[key].bounds())
            effects.append([abs(simulated(high, targets.spec.targets[n]).iloc[0]
                                - simulated(low, targets.spec.targets[n]).iloc[0]) / sds[n] / 10 for n in fit])
        largest = max(sum(column) / 2 for column in zip(*effects))
        assert entry.proposed == (largest >= PROPOSED_EFFECT), (key, largest)


def test_a_whys_chinese_leaves_the_targets_hash_as_it_was_and_a_why_without_it_is_refused(tmp_path):
    """The hash names what a calibration is judged against: rewording a why's Chinese does not make the committed
    calibration stale, rewording its English does (as before); every calibrated parameter's why has its Chinese,
    which `renewal calibrate` writes as the entry's reason_zh."""
    written = (COUNTIES_DIR / "dongsheng" / "targets.yaml").read_text(encoding="utf-8")
    assert written.count("why_zh:") == len(load_targets().spec.calibrated)

    def variant(name: str, old: str, new: str):
        assert written.count(old) == 1, old
        path = tmp_path / name
        path.write_text(written.replace(old, new), encoding="utf-8")
        return path

    assert load_targets(path=variant("zh.yaml", 'why_zh: "危机后', 'why_zh: "危机过后')).hash == load_targets().hash
    assert load_targets(path=variant("en.yaml", 'why: "How fast returning', 'why: "How quickly returning')).hash != load_targets().hash
    line = next(line for line in written.splitlines(keepends=True) if line.strip().startswith('why_zh: "危机后'))
    with pytest.raises(InputError, match="calibrated.migration.recovery_drift.why_zh: Field required"):
        load_targets(path=variant("without.yaml", line, ""))


def test_every_target_has_its_chinese_label_which_leaves_the_hash_as_it_was(tmp_path):
    """Chinese mode names a target by its label_zh (the fit tables, `renewal cite --lang zh`): a translation to
    show, so rewording it leaves the committed calibration current; a target without one is refused."""
    targets = load_targets()
    assert targets.label("population_2022", "zh") == "2022年末常住人口"
    assert targets.label("population_2022", "en") == "population_2022" and targets.label("other", "zh") == "other"
    written = (COUNTIES_DIR / "dongsheng" / "targets.yaml").read_text(encoding="utf-8")
    assert written.count("label_zh:") == len(targets.spec.targets)
    reworded = tmp_path / "reworded.yaml"
    reworded.write_text(written.replace('label_zh: "2022年末常住人口"', 'label_zh: "2022年年末常住人口"'), encoding="utf-8")
    assert load_targets(path=reworded).hash == targets.hash
    without = tmp_path / "without.yaml"
    without.write_text(written.replace('    label_zh: "2022年末常住人口"\n', ""), encoding="utf-8")
    with pytest.raises(InputError, match="targets.population_2022.label_zh: Field required"):
        load_targets(path=without)
