"""`renewal calibrate`: simulated method of moments for the few parameters the documents can identify.

1. Loss: over the fit targets of the county's targets.yaml, the squared distance of the simulated mean
   (R replicates) from the band's centre, in standard deviations of measurement error (band
   half-width / 2). Common random numbers: every candidate runs with the same R seeds.
2. Optimiser: SciPy's Nelder-Mead in the unit cube of the search box, from the registry's values,
   until it converges or the time budget runs out. Every evaluation is appended to a state file keyed
   by everything that determines it, so a stopped calibration resumes by replaying cached evaluations.
3. Fit table: every target (fit, holdout, check) at the optimum with 2R replicates: observed value,
   band, simulated mean and 5-95% range, relative error.
4. Identification: how far each target moves, in its own standard deviations, when each parameter
   moves by a tenth of its search range (central differences, common random numbers).
5. Interval: an ABC acceptance region. Candidates drawn from the linearised distribution of the
   estimate (from step 4 and the targets' measurement error), widened by half; a candidate is accepted when its loss, with each target's measurement error widened by the standard
   error of its simulated mean, is within the 90% chi-square threshold of the best. A parameter's
   interval is the range of its accepted values: it carries the targets' uncertainty as well as the
   simulation's noise.
6. The county's calibrated.yaml is written (value, status, calibration block of each calibrated key) and
   the artefact is stored in the county's calibration/ folder.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import optimize, stats
import yaml
from scipy.stats import qmc

from model.inputs.counties import County, load_county
from model.inputs.errors import InputError
from model.inputs.locations import PROJECT_DIR
from model.inputs.registry import load_registry
from model.inputs.targets import Targets, forget_loaded, load_targets, simulated
from model.inputs.versioning import code_version
from model.results.run import replicate_seeds, run

STATE_DIR = PROJECT_DIR / ".calibration-state"
LEVEL = 0.90
WIDEN = 1.5  # candidates spread half as wide again as the linearised estimate, to find the region's edges
INTERVAL_MEANING = ("ABC acceptance region (90%): the range of parameter values, among quasi-random candidates "
                    "around the optimum, whose loss is within the 90% chi-square threshold (degrees of freedom = the "
                    "number of calibrated parameters) of the best loss. The loss reads each fit target's band (its "
                    "hedge and reliability tolerance, calibration/targets.yaml) as measurement error, widened by the "
                    "standard error of the simulated mean; so the interval carries the documents' uncertainty as well "
                    "as the simulation's noise.")
FIT_COLUMNS = ("target", "figure", "role", "measure", "compare", "period", "observed", "band_low", "band_high",
               "simulated_mean", "simulated_p5", "simulated_p95", "error", "within_band")
ROLES = ("fit", "holdout", "check")
STEP = 0.1  # identification: a tenth of the search range
SEED = 20230327  # the calibration's own seed sequence (the date of the business count)


@dataclasses.dataclass
class Settings:
    scale: float = 0.25
    replicates: int = 8  # per candidate: with 4, common random numbers let the optimiser fit its own seeds
    budget: float = 1200.0
    max_evaluations: int = 400  # tests stop on this, never on the clock, so that they are repeatable
    workers: int = 2
    abc_samples: int = 30
    seed: int = SEED
    targets: Targets | None = None
    keys: list[str] | None = None  # calibrated keys (default: targets.yaml `calibrated`)
    observed: dict[str, float] | None = None  # replace observed values (parameter-recovery tests)
    write_registry: bool = True
    county: str | Path | None = None  # a shipped county's name or a county folder (default Dongsheng)
    results_dir: Path | None = None  # default: the county's calibration/ folder
    state_dir: Path = STATE_DIR


def _simulate(job: tuple) -> dict[str, float]:
    """One replicate at one candidate: the simulated value of every target (runs in a worker)."""
    scenario, overrides, scale, seed, targets, county = job
    monthly = run(scenario, overrides=overrides, scale=scale, seed=seed, replicates=1, county=county).monthly
    return {name: float(simulated(monthly, t).iloc[0]) for name, t in targets.spec.targets.items()}


class Calibration:
    """State of one calibration: settings, evaluations so far, and the executor that runs replicates."""

    def __init__(self, settings: Settings, executor: Executor, progress: Callable[[str], None] | None = None):
        self.s = settings
        self.county = load_county(settings.county)
        if self.county.inherits and settings.write_registry:
            raise InputError(self.county.directory / "county.yaml", "inherits", "this county takes its calibration from "
                             f"{self.county.inherits.name}; remove `inherits` to calibrate it on its own targets")
        self.targets = settings.targets or load_targets(self.county.directory)
        self.keys = settings.keys or list(self.targets.spec.calibrated)
        self.box = np.array([self.targets.spec.calibrated[k].search for k in self.keys], dtype=float)
        self.fit = self.targets.names("fit")
        if settings.observed:
            self.targets = dataclasses.replace(self.targets, spec=self.targets.spec.model_copy(deep=True))
            for name, value in settings.observed.items():
                self.targets.spec.targets[name].observed = value
        self.scenario = {"extends": "baseline", "end": self.targets.last_month()}
        self.seeds = replicate_seeds(settings.seed, 2 * settings.replicates)
        self.executor = executor
        self.progress = progress or (lambda message: None)
        self.trace: list[dict] = []
        self.cache: dict[str, dict] = {}
        self.state_path = settings.state_dir / f"{self.state_key()}.jsonl"
        if self.state_path.exists():
            for line in self.state_path.read_text().splitlines():
                record = json.loads(line)
                self.cache[record["key"]] = record["targets"]

    def state_key(self) -> str:
        """Everything that determines an evaluation: code, registry (other than the calibrated keys),
        targets, scale, replicates and seeds."""
        registry = load_registry(self.county.directory)
        others = {k: p.model_dump(mode="json")["value"] for k, p in registry.parameters.items() if k not in self.keys}
        payload = json.dumps([code_version(), others, self.targets.hash, self.s.scale, self.s.replicates, self.s.seed,
                              self.keys, self.s.observed], sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]

    # ------------------------------------------------------------------------------- evaluations
    def evaluate(self, values: np.ndarray, replicates: int | None = None) -> pd.DataFrame:
        """Simulated targets for parameter values (one row per replicate), from cache when known."""
        replicates = replicates or self.s.replicates
        values = [float(v) for v in values]
        key = json.dumps([values, replicates])
        if key not in self.cache:
            overrides = dict(zip(self.keys, values))
            jobs = [(self.scenario, overrides, self.s.scale, seed, self.targets, self.county.directory)
                    for seed in self.seeds[:replicates]]
            self.cache[key] = list(self.executor.map(_simulate, jobs))
            self.state_path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.state_path, "a") as handle:
                handle.write(json.dumps({"key": key, "targets": self.cache[key]}) + "\n")
        return pd.DataFrame(self.cache[key])

    def loss(self, means: pd.Series) -> float:
        total = 0.0
        for name in self.fit:
            centre, sd = self.targets.centre_and_sd(name)
            total += ((means[name] - centre) / sd) ** 2
        return total

    def region_loss(self, draws: pd.DataFrame) -> float:
        """The loss with each target's measurement error widened by the standard error of its simulated
        mean (the simulation's own noise with this many replicates)."""
        means, error = draws.mean(), draws.std(ddof=1).fillna(0) / np.sqrt(len(draws))
        total = 0.0
        for name in self.fit:
            centre, sd = self.targets.centre_and_sd(name)
            total += (means[name] - centre) ** 2 / (sd ** 2 + error[name] ** 2)
        return total

    def to_values(self, unit: np.ndarray) -> np.ndarray:
        return self.box[:, 0] + np.clip(unit, 0, 1) * (self.box[:, 1] - self.box[:, 0])

    # ------------------------------------------------------------------------------- the steps
    def optimise(self, deadline: float) -> np.ndarray:
        registry = load_registry(self.county.directory)
        start = np.array([registry[k].schedule()[0][1] for k in self.keys])
        unit_start = np.clip((start - self.box[:, 0]) / (self.box[:, 1] - self.box[:, 0]), 0.05, 0.95)

        def objective(unit: np.ndarray) -> float:
            values = self.to_values(unit)
            loss = self.loss(self.evaluate(values).mean())
            self.trace.append({"evaluation": len(self.trace) + 1, **dict(zip(self.keys, values)), "loss": loss})
            self.progress(f"evaluation {len(self.trace)}: loss {loss:.3f}")
            return loss

        def stop_at_deadline(intermediate_result):
            if time.monotonic() > deadline:
                raise StopIteration

        simplex = np.array([unit_start] + [np.clip(unit_start + 0.15 * np.eye(len(self.keys))[i], 0, 1)
                                           for i in range(len(self.keys))])
        result = optimize.minimize(objective, unit_start, method="Nelder-Mead", callback=stop_at_deadline,
                                   bounds=[(0, 1)] * len(self.keys),
                                   options={"initial_simplex": simplex, "xatol": 1e-3, "fatol": 1e-2, "maxfev": self.s.max_evaluations})
        best = min(self.trace, key=lambda row: row["loss"])
        self.converged = bool(result.success)
        return np.array([best[k] for k in self.keys])

    def fit_table(self, optimum: np.ndarray) -> pd.DataFrame:
        draws = self.evaluate(optimum, replicates=2 * self.s.replicates)
        rows = []
        for name, target in self.targets.spec.targets.items():
            low, high = self.targets.band(name)
            values = draws[name]
            rows.append({"target": name, "figure": target.figure, "role": target.role, "measure": target.measure,
                         "compare": target.compare, "period": target.period, "observed": target.observed,
                         "band_low": low, "band_high": high, "simulated_mean": values.mean(),
                         "simulated_p5": values.quantile(0.05), "simulated_p95": values.quantile(0.95),
                         "error": (values.mean() - target.observed) / target.observed,
                         "within_band": bool(low <= values.mean() <= high)})
        return pd.DataFrame(rows, columns=list(FIT_COLUMNS))

    def jacobian(self, optimum: np.ndarray) -> pd.DataFrame:
        """d target / d parameter at the optimum (central differences, common random numbers; one-sided
        where the optimum lies within a step of the search box's edge, since no value outside it runs)."""
        columns = {}
        for i, key in enumerate(self.keys):
            step = STEP * (self.box[i, 1] - self.box[i, 0])
            up, down = optimum.copy(), optimum.copy()
            up[i], down[i] = min(optimum[i] + step, self.box[i, 1]), max(optimum[i] - step, self.box[i, 0])
            columns[key] = (self.evaluate(up).mean() - self.evaluate(down).mean()) / (up[i] - down[i])
        return pd.DataFrame(columns)

    def identification(self, jacobian: pd.DataFrame) -> pd.DataFrame:
        """Target movement, in its measurement-error sd, per tenth of each parameter's search range."""
        widths = pd.Series(self.box[:, 1] - self.box[:, 0], index=self.keys)
        sds = pd.Series({n: self.targets.centre_and_sd(n)[1] for n in jacobian.index})
        return jacobian.mul(STEP * widths, axis=1).div(sds, axis=0)

    def acceptance_region(self, optimum: np.ndarray, jacobian: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
        """Candidates drawn (quasi-randomly) from the linearised distribution of the estimate, widened
        by half, within the search box; accepted when their loss is within the chi-square threshold."""
        fit_jacobian = jacobian.loc[self.fit].to_numpy()
        weights = np.diag([1 / self.targets.centre_and_sd(n)[1] ** 2 for n in self.fit])
        widths = self.box[:, 1] - self.box[:, 0]
        try:
            covariance = np.linalg.inv(fit_jacobian.T @ weights @ fit_jacobian)
            np.linalg.cholesky(covariance)
        except np.linalg.LinAlgError:
            covariance = np.diag((STEP * widths) ** 2)
        covariance = np.minimum(covariance, np.outer(widths, widths))  # an unidentified direction spans the box
        sampler = qmc.MultivariateNormalQMC(mean=optimum, cov=WIDEN**2 * covariance, seed=self.s.seed)
        power_of_two = 2 ** int(np.ceil(np.log2(max(self.s.abc_samples, 1))))  # Sobol' points come in powers of two
        draws = np.clip(sampler.random(power_of_two)[: self.s.abc_samples], self.box[:, 0], self.box[:, 1])
        candidates = np.vstack([optimum, draws])
        rows = []
        for number, values in enumerate(candidates):
            rows.append({**dict(zip(self.keys, values)), "loss": self.region_loss(self.evaluate(values))})
            self.progress(f"acceptance region: candidate {number + 1}/{len(candidates)}")
        table = pd.DataFrame(rows)
        table["accepted"] = table["loss"] <= table["loss"].min() + stats.chi2.ppf(LEVEL, df=len(self.keys))
        accepted = table[table["accepted"]]
        intervals = {k: (float(accepted[k].min()), float(accepted[k].max())) for k in self.keys}
        at_edge = [k for i, k in enumerate(self.keys)
                   if intervals[k][0] <= self.box[i, 0] or intervals[k][1] >= self.box[i, 1]]
        self.interval_meaning = INTERVAL_MEANING + (
            f" For {', '.join(at_edge)} the accepted values reach the edge of the search range, so the "
            "documents do not bound it on that side." if at_edge else "")
        return table, intervals


# ----------------------------------------------------------------------------------- the command
def calibrate(settings: Settings, progress: Callable[[str], None] | None = None) -> dict:
    """Run the whole calibration; returns the artefact (and writes it, and the registry, when asked)."""
    started = time.monotonic()
    with ProcessPoolExecutor(max_workers=settings.workers, mp_context=multiprocessing.get_context("spawn")) as executor:
        calibration = Calibration(settings, executor, progress)
        optimum = calibration.optimise(started + settings.budget)
        fit = calibration.fit_table(optimum)
        jacobian = calibration.jacobian(optimum)
        identification = calibration.identification(jacobian)
        region, intervals = calibration.acceptance_region(optimum, jacobian)
    trace = pd.DataFrame(calibration.trace)
    best_loss = float(trace["loss"].min())
    artefact = {
        "method": (f"simulated method of moments: Nelder-Mead over {len(calibration.keys)} parameters, common random "
                   f"numbers, {settings.replicates} replicates per candidate at scale {settings.scale}"),
        "date": dt.date.today().isoformat(),
        "code_version": code_version(),
        "targets_hash": calibration.targets.hash,
        "county": calibration.county.name,
        "registry_hash_before": load_registry(calibration.county.directory).hash,
        "scale": settings.scale, "replicates": settings.replicates, "seed": settings.seed,
        "seeds": calibration.seeds,
        "evaluations": len(trace), "converged": calibration.converged,
        "budget_s": settings.budget, "wall_time_s": round(time.monotonic() - started, 1),
        "loss": best_loss,
        "optimum": dict(zip(calibration.keys, map(float, optimum))),
        "intervals": {k: list(v) for k, v in intervals.items()},
        "interval_meaning": calibration.interval_meaning,
        "accepted": int(region["accepted"].sum()), "candidates": len(region),
        "targets": {k: calibration.targets.spec.calibrated[k].targets for k in calibration.keys},
    }
    artefact["id"] = hashlib.sha256(json.dumps(artefact, sort_keys=True, default=str).encode()).hexdigest()[:12]
    out = settings.results_dir or calibration.county.directory / "calibration"
    out.mkdir(parents=True, exist_ok=True)
    (out / "calibration.json").write_text(json.dumps(artefact, indent=2) + "\n")
    fit.to_csv(out / "fit_table.csv", index=False)
    identification.rename_axis("target").to_csv(out / "identification.csv")
    trace.to_csv(out / "loss_trace.csv", index=False)
    region.to_csv(out / "acceptance_region.csv", index=False)
    if settings.write_registry:
        write_calibrated(artefact, calibration.county)
    return artefact


def _format(value: float) -> str:
    return f"{float(f'{value:.4g}')!r}"


CALIBRATED_HEADER = """# Written by `renewal calibrate` from its artefact ({artefact}, in calibration/ beside this file); not edited
# by hand. Each entry gives a key of the parameter tree its calibrated value, interval and fit.
"""


def write_calibrated(artefact: dict, county: County) -> None:
    """Write the county's calibrated.yaml: each calibrated key's value, status, reason and calibration."""
    targets = load_targets(county.directory)
    entries = {}
    for key, value in artefact["optimum"].items():
        low, high = artefact["intervals"][key]
        entries[key] = {"value": float(_format(value)), "status": "calibrated",
                        "reason": targets.spec.calibrated[key].why,
                        "calibration": {"method": artefact["method"], "targets": artefact["targets"][key],
                                        "interval": [float(_format(low)), float(_format(high))],
                                        "interval_meaning": artefact["interval_meaning"],
                                        "loss": round(artefact["loss"], 4), "date": artefact["date"],
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
    """`renewal fit`: the stored fit and identification tables of the calibration a county uses."""
    chosen = load_county(county)
    stored = load_artefact(chosen.calibration_dir)
    if stored is None:
        return f"{chosen.name}: calibration not run yet: run 'renewal calibrate --county {chosen.directory}'"
    artefact, fit, identification = stored
    shown = fit[["target", "role", "observed", "band_low", "band_high", "simulated_mean", "simulated_p5",
                 "simulated_p95", "error", "within_band"]].set_index("target")
    number = lambda v: f"{v:,.4g}" if abs(v) < 10 else f"{v:,.0f}"  # noqa: E731
    table = shown.to_string(formatters={c: number for c in shown.columns if c not in ("role", "within_band", "error")}
                            | {"error": "{:+.1%}".format})
    ident = identification.to_string(float_format=lambda v: f"{v:+.2f}")
    params = "\n".join(f"  {k} = {v:.4g}  interval {artefact['intervals'][k][0]:.4g} .. {artefact['intervals'][k][1]:.4g}"
                       for k, v in artefact["optimum"].items())
    return (f"calibration {artefact['id']} ({artefact['date']}; {artefact['method']}; {artefact['evaluations']} "
            f"evaluations, {'converged' if artefact['converged'] else 'stopped by the time budget'}; "
            f"{artefact['accepted']}/{artefact['candidates']} candidates accepted; loss {artefact['loss']:.3f}; "
            f"{artefact['wall_time_s']:.0f} s)\n{params}\n\nFit table (fit: used in fitting; holdout: never used; "
            f"check: soft plausibility check):\n{table}\n\nIdentification (target change in sd of its measurement "
            f"error per tenth of each parameter's search range):\n{ident}")

