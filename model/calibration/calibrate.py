"""`renewal calibrate`: an ABC-SMC posterior (pyabc) over the parameters the documents can identify.

1. Prior: each calibrated parameter uniform over its search box (targets.yaml `calibrated`); each nuisance
   parameter (targets.yaml `nuisance`: assumed, and shaping the history the targets measure) triangular
   over its registry range with the registry value as mode, as bands draw it. pyabc proposes the
   calibrated values and the nuisance values marked `proposed` (those that move a fit target by more
   than its noise); the other nuisance values are drawn inside each particle and kept with it.
2. A particle is one replicate at the calibration's scale up to the fit targets' last month, its seed derived
   from pyabc's values (a particle simulated again gives the same targets and nuisance values). Its distance is the sum over fit
   targets of ((simulated - band centre) / sd)^2, sd = half the band's width / 2 (targets.yaml's rule).
3. ABC-SMC (pyabc.ABCSMC; each generation's threshold the median distance of the last), stored in a SQLite
   database keyed by everything that determines it: an interrupted calibration resumes from its last
   complete generation. Stopping rule (STOPPING_RULE): the threshold reaches MINIMUM_EPSILON, or changes
   by less than MIN_EPS_DIFF between generations (the simulation's noise floor). The time budget and the
   generation cap are guards: stopping on them is reported as not converged.
4. The last generation resampled by weight (systematic) into equally weighted joint draws, committed as
   posterior_draws.csv: replicate i of a run with parameter draws takes draw i modulo their number
   (model/inputs/draws.py).
5. Posterior predictive: the first joint draws, one replicate each, drawn exactly as a run with parameter
   draws draws them: per target the share of replicates inside its band, median and 5-95%.
   Identification: each target's standardised regression on the drawn parameters across those replicates.
6. The county's calibrated.yaml: each calibrated key's posterior median and 5-95% interval.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

if TYPE_CHECKING:  # pyabc loads in about a second: imported where ABC runs, not to read a stored calibration
    import pyabc

from model.inputs.counties import County, load_county
from model.inputs.draws import POSTERIOR_DRAWS, draw_values, drawn_keys
from model.inputs.errors import InputError
from model.inputs.registry import load_registry
from model.inputs.targets import Targets, forget_loaded, load_targets, simulated
from model.inputs.versioning import code_version
from model.inputs.scenario import resolve
from model.results.run import replicate_seeds, run, run_replicate
from model.calibration.settings import (FIT_COLUMNS, INTERVAL_MEANING, INTERVAL_MEANING_ZH, METHOD, MIN_EPS_DIFF,
                                        MINIMUM_EPSILON, SIMULATING_CODE, STEP, STOPPING_RULE, Settings)

@dataclasses.dataclass(frozen=True)
class Simulator:
    """One particle: the targets simulated at these parameter values (pickled into pyabc's workers)."""

    scenario: dict
    scale: float
    county: Path
    targets: Targets
    integers: frozenset[str]
    nuisance: tuple[tuple[str, float, float, float], ...] = ()  # drawn in the particle: (key, low, mode, high)

    def __call__(self, parameter: dict) -> dict[str, float]:
        """The calibrated and proposed nuisance values come from pyabc; the other nuisance values are drawn from
        their priors with the particle's seed and returned beside the targets (NUISANCE prefix), so that the accepted particles
        keep the combinations that fitted."""
        values = {k: float(v) for k, v in dict(parameter).items()}
        seed = particle_seed(values)
        rng = np.random.default_rng(seed)
        values |= {key: float(rng.triangular(low, mode, high)) for key, low, mode, high in self.nuisance}
        values = {k: int(round(v)) if k in self.integers else v for k, v in values.items()}
        drawn = {NUISANCE + key: float(values[key]) for key, *_ in self.nuisance}
        return self.simulate(values, seed) | drawn

    def simulate(self, overrides: dict[str, float], seed: int) -> dict[str, float]:
        monthly = run(self.scenario, overrides=overrides, scale=self.scale, seed=seed, replicates=1,
                      county=self.county).monthly
        return target_values(monthly, self.targets, self.targets.names("fit"))


def target_values(monthly: pd.DataFrame, targets: Targets, names: list[str]) -> dict[str, float]:
    """These targets' simulated values in a one-replicate monthly table."""
    return {name: float(simulated(monthly, targets.spec.targets[name]).iloc[0]) for name in names}


NUISANCE = "nuisance:"


def particle_seed(values: dict[str, float]) -> int:
    return int(hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()[:15], 16)


@dataclasses.dataclass(frozen=True)
class Distance:
    """Sum over fit targets of the squared distance from the band's centre in sds of measurement error."""

    centres: dict[str, float]
    sds: dict[str, float]

    def __call__(self, simulated_targets: dict, observed: dict) -> float:
        return float(sum(((simulated_targets[n] - c) / self.sds[n]) ** 2 for n, c in self.centres.items()))


def _predict(job: tuple) -> dict[str, float]:
    """Posterior predictive replicate i (runs in a worker): what replicate i of a run with parameter draws at
    the calibration's seed gives, its drawn values passed as overrides."""
    simulator, overrides, seed, replicate = job
    scenario = simulator.scenario | {"end": simulator.targets.last_month()}  # every target, not only the fitted
    resolved = resolve(scenario, overrides=overrides, scale=simulator.scale, county=simulator.county)
    monthly = run_replicate(resolved, seed, replicate)[0]
    return target_values(monthly, simulator.targets, simulator.targets.names())


class Calibration:
    """One calibration: its targets, prior, simulator and database."""

    def __init__(self, settings: Settings, progress: Callable[[str], None] | None = None):
        self.s = settings
        self.county = load_county(settings.county)
        if self.county.inherits and settings.write_registry:
            raise InputError(self.county.directory / "county.yaml", "inherits", "this county takes its calibration from "
                             f"{self.county.inherits.name}; remove `inherits` to calibrate it on its own targets")
        self.registry = load_registry(self.county.directory)
        self.targets = settings.targets or load_targets(self.county.directory)
        if settings.observed:
            self.targets = dataclasses.replace(self.targets, spec=self.targets.spec.model_copy(deep=True))
            for name, value in settings.observed.items():
                self.targets.spec.targets[name].observed = value
        self.keys = settings.keys or list(self.targets.spec.calibrated)
        self.nuisance = list(self.targets.spec.nuisance) if settings.nuisance is None else settings.nuisance
        self.proposed = [k for k in self.nuisance if k in self.targets.spec.nuisance and self.targets.spec.nuisance[k].proposed]
        self.fit = self.targets.names("fit")
        self.progress = progress or (lambda message: None)
        integers = frozenset(k for k in self.keys + self.nuisance if self.registry[k].type == "integer")
        nuisance = tuple((key, low, self.mode(key), high)
                         for key in self.nuisance if key not in self.proposed for low, high in [self.box(key)])
        self.simulator = Simulator({"extends": "baseline", "end": self.targets.last_month("fit")}, settings.scale,
                                   self.county.directory, self.targets, integers, nuisance)
        centres_sds = {n: self.targets.centre_and_sd(n) for n in self.fit}
        self.distance = Distance({n: c for n, (c, _) in centres_sds.items()}, {n: sd for n, (_, sd) in centres_sds.items()})
        self.database = settings.state_dir / f"{self.state_key()}.db"

    def box(self, key: str) -> tuple[float, float]:
        """A parameter's prior range: the search box of a calibrated key, the registry range of a nuisance one."""
        return tuple(self.targets.spec.calibrated[key].search) if key in self.keys else self.registry[key].bounds()

    def mode(self, key: str) -> float:
        return self.registry[key].schedule()[0][1]

    def prior(self) -> pyabc.Distribution:
        """Over the calibrated keys (uniform) and the proposed nuisance keys (triangular, as bands draw them).
        The other nuisance parameters are drawn inside each particle (Simulator): with all eighteen in
        pyabc's kernel, the importance weights degenerated to an effective sample size of one or two
        particles; with none, the acceptance collapsed, as the influential ones could not be selected."""
        import pyabc

        uniform = {key: pyabc.RV("uniform", low, high - low) for key in self.keys for low, high in [self.box(key)]}
        triangular = {key: pyabc.RV("triang", (self.mode(key) - low) / (high - low), low, high - low)
                      for key in self.proposed for low, high in [self.box(key)]}
        return pyabc.Distribution(**uniform, **triangular)

    def state_key(self) -> str:
        """Everything that determines the posterior: the code that simulates and scores a particle, registry (other than the drawn keys), targets,
        scale, population, seed and the drawn keys."""
        drawn = set(self.keys) | set(self.nuisance)
        others = {k: p.model_dump(mode="json")["value"] for k, p in self.registry.parameters.items() if k not in drawn}
        payload = json.dumps([code_version(*SIMULATING_CODE), others, self.targets.hash, self.s.scale, self.s.population, self.s.seed,
                              self.keys, self.nuisance, self.s.observed], sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]

    # ------------------------------------------------------------------------------- the posterior
    def posterior(self, deadline: float) -> pyabc.History:
        """Run ABC-SMC until its stopping rule (or a guard), resuming the stored database if there is one."""
        import pyabc

        abc = pyabc.ABCSMC(self.simulator, self.prior(), self.distance, population_size=self.s.population,
                           sampler=pyabc.sampler.MulticoreEvalParallelSampler(n_procs=self.s.workers),
                           eps=pyabc.QuantileEpsilon(alpha=0.5))
        url = f"sqlite:///{self.database}"
        np.random.seed(self.s.seed % 2**32)  # pyabc proposes particles from NumPy's global generator
        if self.database.exists():
            history = abc.load(url, 1)
            self.progress(f"resuming {self.database.name} after generation {history.max_t}")
        else:
            self.database.parent.mkdir(parents=True, exist_ok=True)
            history = abc.new(url, dict(self.distance.centres))
        done = history.max_t + 1
        if stopped_by_rule(epsilons(history)) or done >= self.s.max_generations:
            return history
        return abc.run(minimum_epsilon=MINIMUM_EPSILON, min_eps_diff=MIN_EPS_DIFF,
                       max_nr_populations=self.s.max_generations - done,
                       max_walltime=dt.timedelta(seconds=max(deadline - time.monotonic(), 1.0)))

    def joint_draws(self, history: pyabc.History) -> pd.DataFrame:
        """The last generation resampled by weight (systematic resampling) into equally weighted draws, in a
        random order (so that the first few replicates do not take neighbouring particles)."""
        population = history.get_population(t=history.max_t).particles
        particles = pd.DataFrame([{**dict(p.parameter), **{k: p.sum_stat[NUISANCE + k] for k in self.nuisance
                                                            if k not in self.proposed}}
                                  for p in population])
        weights = np.array([p.weight for p in population])
        rng = np.random.default_rng([self.s.seed, history.max_t])
        positions = (rng.random() + np.arange(self.s.draws)) / self.s.draws
        chosen = np.minimum(np.searchsorted(np.cumsum(weights) / np.sum(weights), positions), len(weights) - 1)
        draws = particles.iloc[rng.permutation(chosen)][self.keys + self.nuisance].reset_index(drop=True)
        for key in self.simulator.integers:
            draws[key] = draws[key].round().astype(int)
        return draws

    def predictive(self, draws: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Simulated targets of the first joint draws, one replicate each, with the other drawn assumed
        parameters drawn as a run with parameter draws draws them; and the values each replicate used."""
        seeds = replicate_seeds(self.s.seed, self.s.predictive)
        drawn = [k for k in drawn_keys(self.registry) if k in draws.columns or self.registry[k].status == "assumed"]
        values = [draw_values(seed, i, drawn, self.registry, joint=draws) for i, seed in enumerate(seeds)]
        jobs = [(self.simulator, v, seed, i) for i, (v, seed) in enumerate(zip(values, seeds))]
        with ProcessPoolExecutor(self.s.workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            simulated_targets = list(pool.map(_predict, jobs))
        return pd.DataFrame(simulated_targets), pd.DataFrame(values)

    def fit_table(self, predicted: pd.DataFrame) -> pd.DataFrame:
        rows = []
        for name, target in self.targets.spec.targets.items():
            low, high = self.targets.band(name)
            values = predicted[name]
            rows.append({"target": name, "figure": target.figure, "role": target.role, "measure": target.measure,
                         "compare": target.compare, "period": target.period, "observed": target.observed,
                         "band_low": low, "band_high": high, "simulated_median": values.median(),
                         "simulated_p5": values.quantile(0.05), "simulated_p95": values.quantile(0.95),
                         "error": (values.median() - target.observed) / target.observed,
                         "share_in_band": float(values.between(low, high).mean())})
        return pd.DataFrame(rows, columns=list(FIT_COLUMNS))

    def identification(self, predicted: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
        """Each target's movement, in sds of its measurement error, per tenth of each parameter's prior
        range: the coefficients of a linear regression across the predictive replicates."""
        keys = self.keys + self.nuisance
        scaled = np.column_stack([values[k] / (STEP * (self.box(k)[1] - self.box(k)[0])) for k in keys])
        design = np.column_stack([np.ones(len(scaled)), scaled])
        rows = {}
        for name in self.targets.spec.targets:
            sd = self.targets.centre_and_sd(name)[1]
            coefficients, *_ = np.linalg.lstsq(design, predicted[name].to_numpy() / sd, rcond=None)
            rows[name] = dict(zip(keys, coefficients[1:]))
        return pd.DataFrame(rows).T


def epsilons(history: pyabc.History) -> list[float]:
    """The acceptance threshold of each complete generation."""
    populations = history.get_all_populations()
    return [float(e) for e in populations.loc[populations["t"] >= 0, "epsilon"]]


def stopped_by_rule(eps: list[float]) -> bool:
    return bool(eps) and (eps[-1] <= MINIMUM_EPSILON or (len(eps) > 1 and abs(eps[-1] - eps[-2]) < MIN_EPS_DIFF))


class _Progress(logging.Handler):
    """pyabc's generation log lines, passed on to the calibration's progress."""

    def __init__(self, progress: Callable[[str], None]):
        super().__init__(logging.INFO)
        self.say = progress

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith(("t: ", "Accepted", "Stop", "Calibration sample")):
            self.say(message)


# ----------------------------------------------------------------------------------- the command
def calibrate(settings: Settings, progress: Callable[[str], None] | None = None) -> dict:
    """Run the whole calibration; returns the artefact (and writes it, and the registry, when asked)."""
    started = time.monotonic()
    calibration = Calibration(settings, progress)
    logger = logging.getLogger("ABC")
    own_handlers, logger.handlers = logger.handlers, [_Progress(calibration.progress)]  # pyabc's log, as progress
    logger.setLevel(logging.INFO)
    try:
        history = calibration.posterior(started + settings.budget)
    finally:
        logger.handlers = own_handlers
    generations = history.get_all_populations()
    generations = generations[generations["t"] >= 0].reset_index(drop=True)
    generations["acceptance_rate"] = settings.population / generations["samples"]
    eps = epsilons(history)
    draws = calibration.joint_draws(history)
    calibration.progress(f"posterior predictive: {settings.predictive} joint draws ...")
    predicted, used = calibration.predictive(draws)
    fit = calibration.fit_table(predicted)
    identification = calibration.identification(predicted, used)
    counts = {"pyabc": version("pyabc"), "calibrated": len(calibration.keys), "nuisance": len(calibration.nuisance),
              "proposed": len(calibration.proposed), "population": settings.population, "scale": settings.scale}
    artefact = {
        "method": METHOD["en"].format(**counts),
        "method_zh": METHOD["zh"].format(**counts),
        "date": dt.date.today().isoformat(),
        "code_version": code_version(),
        "targets_hash": calibration.targets.hash,
        "county": calibration.county.name,
        "registry_hash_before": calibration.registry.hash,
        "scale": settings.scale, "population": settings.population, "seed": settings.seed,
        "particle_seeds": "each particle's replicate seed is sha256 of its parameter values (model/calibration)",
        "predictive_seeds": replicate_seeds(settings.seed, settings.predictive),
        "generations": len(eps), "simulations": int(generations["samples"].sum()),
        "stopping_rule": STOPPING_RULE,
        "converged": stopped_by_rule(eps),
        "budget_s": settings.budget, "wall_time_s": round(time.monotonic() - started, 1),
        "epsilon": eps[-1],
        "keys": calibration.keys, "nuisance": calibration.nuisance, "proposed": calibration.proposed,
        "median": {k: float(draws[k].median()) for k in calibration.keys + calibration.nuisance},
        "intervals": {k: [float(draws[k].quantile(0.05)), float(draws[k].quantile(0.95))]
                      for k in calibration.keys + calibration.nuisance},
        "interval_meaning": INTERVAL_MEANING,
        "interval_meaning_zh": INTERVAL_MEANING_ZH,
        "draws": len(draws),
        "targets": {k: calibration.targets.spec.calibrated[k].targets for k in calibration.keys},
    }
    artefact["id"] = hashlib.sha256(json.dumps(artefact, sort_keys=True, default=str).encode()).hexdigest()[:12]
    out = settings.results_dir or calibration.county.directory / "calibration"
    out.mkdir(parents=True, exist_ok=True)
    (out / "calibration.json").write_text(json.dumps(artefact, indent=2) + "\n")
    draws.to_csv(out / POSTERIOR_DRAWS, index=False)
    generations[["t", "epsilon", "samples", "acceptance_rate", "population_end_time"]].to_csv(
        out / "generations.csv", index=False)
    fit.to_csv(out / "fit_table.csv", index=False)
    identification.rename_axis("target").to_csv(out / "identification.csv")
    if settings.write_registry:
        write_calibrated(artefact, calibration.county)
    return artefact


def _moved_fit_targets(before: pd.DataFrame, after: pd.DataFrame) -> list[str]:
    """The fit targets whose predictive values differ between two fit tables."""
    columns = ["simulated_median", "simulated_p5", "simulated_p95", "share_in_band"]
    old, new = (t[t["role"] == "fit"].set_index("target")[columns] for t in (before, after))
    return [name for name in old.index if not np.allclose(old.loc[name], new.loc[name], rtol=0, atol=1e-9)]


def repredict(county: str | Path | None = None, progress: Callable[[str], None] | None = None) -> dict:
    """The posterior predictive and identification tables again, from the committed joint draws: for a
    model whose other drawn parameters or mechanisms after the fitted history changed since the
    calibration. The posterior itself (its draws, intervals and id) is kept; the artefact records when and
    from which code the tables were recomputed. The fit targets' values must not move (what is drawn
    outside the calibration must leave the fitted history alone); if they do, nothing is written."""
    out = load_county(county).directory / "calibration"
    artefact = json.loads((out / "calibration.json").read_text())
    draws = pd.read_csv(out / POSTERIOR_DRAWS)
    settings = Settings(scale=artefact["scale"], seed=artefact["seed"], predictive=len(artefact["predictive_seeds"]),
                        county=county, write_registry=False)
    calibration = Calibration(settings, progress)
    calibration.progress(f"posterior predictive: {settings.predictive} joint draws ...")
    predicted, used = calibration.predictive(draws)
    fit = calibration.fit_table(predicted)
    moved = _moved_fit_targets(pd.read_csv(out / "fit_table.csv"), fit)
    if moved:
        raise InputError(out / "fit_table.csv", ", ".join(moved), "the fitted history moved: a parameter drawn "
                         "outside the calibration acts on it, so draw it in the calibration (targets.yaml nuisance) "
                         "or not at all; nothing was written")
    fit.to_csv(out / "fit_table.csv", index=False)
    calibration.identification(predicted, used).rename_axis("target").to_csv(out / "identification.csv")
    artefact["predictive"] = {"date": dt.date.today().isoformat(), "code_version": code_version(),
                              "drawn": len(drawn_keys(calibration.registry)),
                              "how": "recomputed from the posterior draws by `renewal fit --predict`"}
    (out / "calibration.json").write_text(json.dumps(artefact, indent=2) + "\n")
    return artefact


def _format(value: float) -> str:
    return f"{float(f'{value:.4g}')!r}"


CALIBRATED_HEADER = """# Written by `renewal calibrate` from its artefact ({artefact}, in calibration/ beside this file); not edited
# by hand. Each entry gives a key of the parameter tree its calibrated value (the posterior median), interval
# (5-95% of the posterior) and fit.
"""


def write_calibrated(artefact: dict, county: County) -> None:
    """Write the county's calibrated.yaml: each calibrated key's value, status, reason and calibration."""
    targets = load_targets(county.directory)
    entries = {}
    for key in artefact["keys"]:
        low, high = artefact["intervals"][key]
        entries[key] = {"value": float(_format(artefact["median"][key])), "status": "calibrated",
                        "reason": targets.spec.calibrated[key].why, "reason_zh": targets.spec.calibrated[key].why_zh,
                        "calibration": {"method": artefact["method"], "method_zh": artefact["method_zh"],
                                        "targets": artefact["targets"][key],
                                        "interval": [float(_format(low)), float(_format(high))],
                                        "interval_meaning": artefact["interval_meaning"],
                                        "interval_meaning_zh": artefact["interval_meaning_zh"],
                                        "loss": round(artefact["epsilon"], 4), "date": artefact["date"],
                                        "artefact": artefact["id"]}}
    text = CALIBRATED_HEADER.format(artefact=artefact["id"]) + yaml.safe_dump(
        {"parameters": entries}, allow_unicode=True, sort_keys=False, width=110)
    staging = county.calibrated_file.with_name(f".{county.calibrated_file.name}.tmp")
    staging.write_text(text, encoding="utf-8")
    os.replace(staging, county.calibrated_file)
    forget_loaded()


def load_artefact(directory: Path | None = None) -> tuple[dict, pd.DataFrame, pd.DataFrame] | None:
    """The stored calibration (artefact, fit table, identification table) of a calibration folder (default:
    the one the default county uses), or None if it never ran."""
    directory = directory or load_county().calibration_dir
    if not (directory / "calibration.json").exists():
        return None
    return (json.loads((directory / "calibration.json").read_text()), pd.read_csv(directory / "fit_table.csv"),
            pd.read_csv(directory / "identification.csv", index_col="target"))


def format_fit(county: str | Path | None = None) -> str:
    """`renewal fit`: the stored posterior predictive and identification tables of a county's calibration."""
    chosen = load_county(county)
    stored = load_artefact(chosen.calibration_dir)
    if stored is None:
        return f"{chosen.name}: calibration not run yet: run 'renewal calibrate --county {chosen.directory}'"
    artefact, fit, identification = stored
    shown = fit[["target", "role", "observed", "band_low", "band_high", "simulated_median", "simulated_p5",
                 "simulated_p95", "error", "share_in_band"]].set_index("target")
    number = lambda v: f"{v:,.4g}" if abs(v) < 10 else f"{v:,.0f}"  # noqa: E731
    table = shown.to_string(formatters={c: number for c in shown.columns if c not in ("role", "error", "share_in_band")}
                            | {"error": "{:+.1%}".format, "share_in_band": "{:.0%}".format})
    ident = identification.to_string(float_format=lambda v: f"{v:+.2f}")
    params = "\n".join(f"  {k} = {artefact['median'][k]:.4g}  90% {low:.4g} .. {high:.4g}"
                       f"{'' if k in artefact['keys'] else '  (nuisance)'}"
                       for k, (low, high) in artefact["intervals"].items())
    return (f"calibration {artefact['id']} ({artefact['date']}; {artefact['method']}; {artefact['generations']} "
            f"generations, {artefact['simulations']:,} simulations, "
            f"{'stopped by its rule' if artefact['converged'] else 'NOT converged: stopped by a guard'} "
            f"({artefact['stopping_rule']}); final threshold {artefact['epsilon']:.3f}; {artefact['wall_time_s']:.0f} s)\n"
            f"Posterior medians and 90% intervals ({artefact['draws']} joint draws):\n{params}\n\n"
            f"Posterior predictive ({len(artefact['predictive_seeds'])} replicates, each a joint draw; fit: used in "
            f"fitting, at least 90% in band expected; holdout: never used; check: soft plausibility check):\n{table}\n\n"
            f"Identification (target change in sd of its measurement error per tenth of each parameter's prior "
            f"range, regressed across the predictive replicates):\n{ident}")
