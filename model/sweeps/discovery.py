"""Scenario discovery: under which conditions does an outcome fail? PRIM and CART from EMA Workbench.

A sweep's runs are the cases (model/sweeps/cases.py): each replicate of each design point is one case,
so the replicates' noise stays in the data and a box has to hold across seeds. A case fails when its
outcome meets the failure rule (`--where "< 0.8"`). The dimensions are the sweep's varied keys (levers
and uncertainties alike) and, when asked, the parameters each run drew (the posterior's joint draws
and the assumed parameters: these are correlated with each other, so a box on one of them may stand
for another).

PRIM (Friedman and Fisher 1999; Bryant and Lempert 2010) peels the space of the dimensions towards the
failures and records the trajectory of boxes: coverage (the share of all failures inside the box),
density (the share of the box's cases that fail), mass (the share of cases inside) and the number of
restricted dimensions. The box shown is chosen by one stated rule: the densest box on the trajectory
whose coverage is at least `min_coverage` (ties: fewer restricted dimensions). Each restricted
dimension carries its quasi-p value (a one-sided binomial test of whether the restriction matters;
Bryant and Lempert 2010). Further boxes are searched on the cases outside the boxes found. CART
(a classification tree with leaves of at least `mass_min` of the cases) is the second view: its
leaves that fail more often than the cases overall, with the same statistics.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import warnings
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd

from model.inputs.errors import InputError
from model.inputs.versioning import code_version
from model.results.outcomes import Outcome
from model.sweeps.cases import DRAWN, cases
from model.sweeps.plan import plan
from model.sweeps.spec import Sweep
from model.sweeps.store import Store
from model.sweeps.threshold import Threshold

with warnings.catch_warnings():  # the workbench warns at import about its optional parallel evaluators
    warnings.simplefilter("ignore")
    from ema_workbench.analysis import cart, prim

logging.getLogger("EMA").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Settings:
    mass_min: float = 0.05      # the smallest box (PRIM) or leaf (CART), as a share of the cases
    peel_alpha: float = 0.05    # the share of cases peeled at each PRIM step
    min_coverage: float = 0.8   # the chosen box is the densest with at least this coverage
    boxes: int = 1              # how many boxes to search, each on the cases outside the earlier ones

    def check(self) -> Settings:
        for name, low, high in (("mass_min", 0.0, 0.5), ("peel_alpha", 0.0, 0.5), ("min_coverage", 0.0, 1.0)):
            value = getattr(self, name)
            if not low < value <= high:
                raise InputError(f"--{name.replace('_', '-')}", str(value), f"give a number above {low:g} and at "
                                 f"most {high:g}")
        if not 1 <= self.boxes <= 5:
            raise InputError("--boxes", str(self.boxes), "give a whole number from 1 to 5")
        return self


@dataclass(frozen=True)
class Box:
    """One PRIM box: its peeling trajectory, the step chosen, and the chosen box's limits (restricted
    dimensions only: low, high, the dimension's whole range, quasi-p values)."""

    trajectory: pd.DataFrame  # step, coverage, density, mass, res_dim, n (cases), k (failures)
    chosen: int
    limits: pd.DataFrame      # dimension, low, high, range_low, range_high, qp_low, qp_high

    @property
    def stats(self) -> dict:
        row = self.trajectory.iloc[self.chosen]
        return {"step": int(self.chosen), **{k: float(row[k]) for k in ("coverage", "density", "mass")},
                "res_dim": int(row["res_dim"]), "cases": int(row["n"]), "failures": int(row["k"])}


@dataclass(frozen=True)
class Discovery:
    boxes: list[Box]
    leaves: pd.DataFrame  # CART leaves failing more often than the cases overall: stats and limits
    tree: str             # the CART tree as text
    cases: int
    failures: int
    dimensions: list[str]
    settings: Settings


def discover(x: pd.DataFrame, failed: np.ndarray, settings: Settings = Settings()) -> Discovery:
    """PRIM boxes and CART leaves of the failures `failed` (booleans, one per row of `x`)."""
    settings.check()
    failed = np.asarray(failed, dtype=bool)
    x = x.reset_index(drop=True)
    varying = [c for c in x.columns if x[c].nunique() > 1]
    if not varying:
        raise InputError("SWEEP", None, "no dimension varies across the cases; discovery needs a sweep that "
                         "varies at least one key")
    # Whole-number keys as reals: PRIM's pasting may move a limit half-way between two values (EMA Workbench
    # 3.0 then fails to write 19.5 into an integer column).
    x = x[varying].astype({c: float for c in varying if pd.api.types.is_integer_dtype(x[c])})
    if failed.all() or not failed.any():
        raise InputError("--where", None, f"{int(failed.sum())} of {len(failed)} cases fail: discovery needs "
                         "cases that fail and cases that do not; change the threshold")
    boxes = _prim_boxes(x, failed, settings)
    leaves, tree = _cart(x, failed, settings)
    return Discovery(boxes, leaves, tree, len(failed), int(failed.sum()), varying, settings)


def _prim_boxes(x: pd.DataFrame, failed: np.ndarray, settings: Settings) -> list[Box]:
    finder = prim.Prim(x, failed.astype(int), peel_alpha=settings.peel_alpha, mass_min=settings.mass_min)
    boxes = []
    for _ in range(settings.boxes):
        found = finder.find_box()
        if found is None:
            break
        trajectory = found.peeling_trajectory.rename(columns={"id": "step"})
        chosen = _chosen(trajectory, settings.min_coverage)
        found.select(chosen)
        boxes.append(Box(trajectory[["step", "coverage", "density", "mass", "res_dim", "n", "k"]], chosen,
                         _limits(found, chosen, finder.box_init)))
        if found.yi.size == 0 or trajectory.loc[chosen, "k"] == 0:
            break
    return boxes


def _chosen(trajectory: pd.DataFrame, min_coverage: float) -> int:
    """The densest step whose coverage reaches `min_coverage` (the whole space always does); ties go to
    fewer restricted dimensions, then to the higher coverage."""
    eligible = trajectory[trajectory["coverage"] >= min_coverage - 1e-12]
    if eligible.empty:  # a later box covers only what the earlier ones left: take its first step
        eligible = trajectory.iloc[:1]
    best = eligible.sort_values(["density", "res_dim", "coverage"], ascending=[False, True, False], kind="stable")
    return int(best.index[0])


def _limits(box, step: int, whole: pd.DataFrame) -> pd.DataFrame:
    """The chosen step's restricted dimensions with their limits, whole ranges and quasi-p values."""
    _, table = box.inspect(step, style="data")[0]
    rows = []
    for dimension in table.index:
        low, high, qp_low, qp_high = table.loc[dimension].to_list()
        rows.append({"dimension": dimension, "low": float(low), "high": float(high),
                     "range_low": float(whole[dimension].iloc[0]), "range_high": float(whole[dimension].iloc[1]),
                     "qp_low": float(qp_low), "qp_high": float(qp_high)})
    return pd.DataFrame(rows, columns=["dimension", "low", "high", "range_low", "range_high", "qp_low", "qp_high"])


def _cart(x: pd.DataFrame, failed: np.ndarray, settings: Settings) -> tuple[pd.DataFrame, str]:
    from sklearn.tree import export_text

    x = x.astype(float)  # the workbench's CART writes float thresholds into the box table (int columns refuse them)
    # the workbench turns mass_min into whole cases per leaf, rounding down: at least one
    tree = cart.CART(x, failed.astype(int), mass_min=max(settings.mass_min, 1.5 / len(x)))
    tree.build_tree()
    whole = x.agg(["min", "max"])
    rate = failed.mean()
    rows = []
    for leaf, (limits, stats) in enumerate(zip(tree.boxes, tree.stats)):
        if stats["density"] <= rate:
            continue
        bounds = {d: (float(limits[d].iloc[0]), float(limits[d].iloc[1])) for d in x.columns}
        restricted = {d: b for d, b in bounds.items() if b != (float(whole[d].iloc[0]), float(whole[d].iloc[1]))}
        rows.append({"leaf": leaf, "coverage": float(stats["coverage"]), "density": float(stats["density"]),
                     "mass": float(stats["mass"]), "res_dim": len(restricted), "limits": restricted})
    leaves = pd.DataFrame(rows, columns=["leaf", "coverage", "density", "mass", "res_dim", "limits"])
    leaves = leaves.sort_values("coverage", ascending=False, kind="stable").reset_index(drop=True)
    return leaves, export_text(tree.clf, feature_names=list(tree.feature_names), max_depth=4, decimals=3)


# ------------------------------------------------------------------------------------- on a sweep
DISCOVERED_BY = {"written_by": "renewal discover"}  # summary.json's mark: this discovery is the tool's own


@dataclass(frozen=True)
class Question:
    """What a discovery asks of which sweep: which outcome fails by which rule, over which dimensions."""

    sweep: Sweep
    store: Store
    outcome: Outcome
    rule: Threshold  # when a case fails
    drawn: bool = False  # add the parameters each run drew as dimensions

    def identity(self, settings: Settings) -> str:
        """What identifies the discovery (an earlier one of the same is replaced without --force): the spec,
        the question and the settings."""
        payload = {"spec": self.sweep.spec_hash(), "outcome": self.outcome.name, "rule": str(self.rule),
                   "drawn": self.drawn, "settings": dataclasses.asdict(settings)}
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]


def sweep_cases(question: Question) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame]:
    """The dimensions (the varied keys, and `drawn:<key>` columns when asked), whether each case fails,
    and the cases themselves (point, replicate, seed, outcome)."""
    table = cases(question.sweep, plan(question.sweep), question.store, drawn=question.drawn)
    dimensions = list(question.sweep.keys)
    if question.drawn:  # a drawn key the sweep varies is the sweep's value, already a dimension
        dimensions += [c for c in table.columns if c.startswith(DRAWN) and c[len(DRAWN):] not in question.sweep.keys]
    failed = question.rule(table[question.outcome.name].astype(float))
    kept = table[["point", "replicate", "seed", *dimensions, question.outcome.name]].assign(failed=failed)
    return table[dimensions].apply(pd.to_numeric), failed.to_numpy(), kept


def discover_sweep(question: Question, settings: Settings) -> tuple[Discovery, pd.DataFrame, dict]:
    """Discovery on a sweep's stored runs: the result, the cases, and what produced it (summary.json)."""
    x, failed, table = sweep_cases(question)
    found = discover(x, failed, settings)
    sweep = question.sweep
    record = {**DISCOVERED_BY, "discovery_hash": question.identity(settings), "sweep": sweep.name,
              "spec": _shown_path(sweep.path), "spec_hash": sweep.spec_hash(), "store": str(question.store.root),
              "design": sweep.design, "scale": sweep.scale, "replicates": sweep.replicates, "seed": sweep.seed,
              "base": sweep.base_name, "parameter_draws": sweep.resolved_base.parameter_draws,
              "outcome": question.outcome.name, "where": str(question.rule), "drawn_dimensions": question.drawn,
              "settings": dataclasses.asdict(settings), "cases": found.cases, "failures": found.failures,
              "dimensions": found.dimensions, "code_version": code_version(),
              "packages": {name: version(name) for name in ("ema_workbench", "scikit-learn")}}
    return found, table, record


def _shown_path(path: Path) -> str:
    """A path as a reader can reuse it: relative to the working directory when it lies inside it (so a
    discovery made in another clone says the same)."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)
