"""The calibration's settings and fixed choices, importable without pyabc (the CLI shows the defaults)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from model.inputs.locations import PROJECT_DIR
from model.inputs.targets import Targets

STATE_DIR = PROJECT_DIR / ".calibration-state"
SIMULATING_CODE = ("simulation", "inputs", "results", "calibration")  # what a particle's distance depends on
SEED = 20230327  # the calibration's own seed sequence (the date of the business count)
MINIMUM_EPSILON = 1.0  # every accepted particle within one sd (half its band) of every fit target, at most
MIN_EPS_DIFF = 0.05  # a threshold that moves less than this between generations has met the noise floor
STOPPING_RULE = (f"the acceptance threshold (a sum of squared standardised errors over the fit targets) reaches "
                 f"{MINIMUM_EPSILON:g}, or changes by less than {MIN_EPS_DIFF:g} between two generations")
INTERVAL_MEANING = ("Posterior 90% interval: the 5th and 95th percentiles of this parameter over the ABC-SMC "
                    "posterior's joint draws (pyabc; calibrated and nuisance parameters drawn together). The "
                    "distance reads each fit target's band (its hedge and reliability tolerance, targets.yaml) as "
                    "two standard deviations of measurement error, so the interval carries the documents' "
                    "uncertainty, the simulation's noise and the nuisance parameters' ranges.")
INTERVAL_MEANING_ZH = ("后验90%区间:该参数在ABC-SMC后验联合抽样(pyabc;校准参数与干扰参数一起抽样)中的第5和第95百分位数。"
                       "距离函数把每个拟合目标的容许区间(其约数处理与可靠性容差,targets.yaml)视为测量误差的两倍标准差,"
                       "因此该区间包含文献数据的不确定性、模拟的随机波动和干扰参数取值范围的影响。")
METHOD = {  # the calibration's method in both languages, from its counts (written to the artefact and the registry)
    "en": ("ABC-SMC (pyabc {pyabc}): {calibrated} calibrated and {nuisance} nuisance parameters ({proposed} in its "
           "kernel), {population} particles a generation, one replicate per particle at scale {scale}"),
    "zh": ("ABC-SMC(pyabc {pyabc}):{calibrated}个校准参数和{nuisance}个干扰参数(其中{proposed}个在其转移核中),"
           "每代{population}个粒子,每个粒子按模拟比例{scale}运行一次重复"),
}
FIT_COLUMNS = ("target", "figure", "role", "measure", "compare", "period", "observed", "band_low", "band_high",
               "simulated_median", "simulated_p5", "simulated_p95", "error", "share_in_band")
ROLES = ("fit", "holdout", "check")
PROPOSED_EFFECT = 0.5  # sds per tenth of its range: a nuisance parameter that moves a fit target this much is proposed
STEP = 0.1  # identification: target movement per tenth of each parameter's prior range


@dataclasses.dataclass
class Settings:
    scale: float = 0.5  # below it the business register's own noise (1.8% at 0.1, 0.7% at 0.5) rivals its band
    population: int = 128  # particles per generation: a generation at scale 0.5 in about 2 minutes
    draws: int = 256  # equally weighted joint draws kept
    predictive: int = 64  # joint draws simulated for the posterior predictive table
    budget: float = 5400.0  # seconds: a guard, not the stopping rule
    max_generations: int = 25
    workers: int = 2
    seed: int = SEED
    targets: Targets | None = None
    keys: list[str] | None = None  # calibrated keys (default: targets.yaml `calibrated`)
    nuisance: list[str] | None = None  # nuisance keys (default: targets.yaml `nuisance`)
    observed: dict[str, float] | None = None  # replace observed values (parameter-recovery tests)
    write_registry: bool = True
    county: str | Path | None = None  # a shipped county's name or a county folder (default Dongsheng)
    results_dir: Path | None = None  # default: the county's calibration/ folder
    state_dir: Path = STATE_DIR
