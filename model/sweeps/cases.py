"""A sweep's runs as cases: one row per (design point, replicate) with what varied and what came out.

The one reader of a sweep's stored runs: the summary, scenario discovery and robustness all start here.
Each row holds the point, the replicate, its seed and run key, the varied keys' values, the run's status,
error and wall time, and its headline outcomes (the catalogue's, over the what-if period). With `drawn`,
each row also holds the parameter values the run drew (base scenarios with `parameter_draws`), one
column per drawn key named `drawn:<key>`, read from the run's manifest: replicate i of every point
takes the same draws, so they describe the state of the world a replicate is, not the design.
"""

from __future__ import annotations

import json

import pandas as pd

from model.inputs.errors import InputError
from model.results.outcomes import OUTCOMES
from model.sweeps.plan import RunTask
from model.sweeps.spec import Sweep
from model.sweeps.store import Store

DRAWN = "drawn:"  # the prefix of a drawn parameter's column
NAMES = [o.name for o in OUTCOMES]


def stored_runs(sweep: Sweep, tasks: list[RunTask], store: Store, manifest: bool = False) -> pd.DataFrame:
    """Every planned run with its stored index row (status `missing` when the store has none)."""
    values = pd.DataFrame(list(sweep.points), columns=list(sweep.keys)).rename_axis("point").reset_index()
    plan = pd.DataFrame([(t.point, t.replicate, t.seed, t.key) for t in tasks],
                        columns=["point", "replicate", "seed", "run_key"])
    columns = ["run_key", "status", "error", *NAMES, "wall_time_s"] + (["manifest"] if manifest else [])
    index = store.index(columns=", ".join(columns))
    runs = values.merge(plan, on="point").merge(index, on="run_key", how="left")
    runs["status"] = runs["status"].fillna("missing")
    return runs


def cases(sweep: Sweep, tasks: list[RunTask], store: Store, drawn: bool = False) -> pd.DataFrame:
    """The sweep's runs, all of them stored and ok (else one InputError naming the spec and what is
    missing), with the drawn parameters' values as `drawn:<key>` columns when `drawn`."""
    runs = stored_runs(sweep, tasks, store, manifest=drawn)
    bad = runs[runs["status"] != "ok"]
    if len(bad):
        counts = bad["status"].value_counts()
        what = ", ".join(f"{n} {status}" for status, n in counts.items())
        stale = _other_code(bad["run_key"], store)
        older = f"; {stale} of them are stored from another version of the model code, which does not count" if stale else ""
        raise InputError(str(sweep.path), None, f"{len(bad)} of the sweep's {len(runs)} runs are not stored ({what}) "
                         f"in {store.root}{older}; run `renewal sweep {sweep.path}` (with the same --store) to "
                         "finish it")
    if not drawn:
        return runs
    if not sweep.resolved_base.parameter_draws:
        raise InputError(str(sweep.path), "base", f"the base scenario {sweep.base_name!r} does not draw parameters "
                         "(parameter_draws: false), so its runs have no drawn values to add as dimensions")
    draws = pd.DataFrame([_scalars(json.loads(m)["parameter_draws"][0]) for m in runs["manifest"]], index=runs.index)
    return pd.concat([runs.drop(columns="manifest"), draws.add_prefix(DRAWN)], axis=1)


def _other_code(keys: pd.Series, store: Store) -> int:
    """How many of these run keys' runs the store holds under another code version."""
    stored = store.index(columns="run_hash, code_version, status")
    if "run_hash" not in stored:
        return 0
    ok = set(stored.loc[stored["status"] == "ok", "run_hash"])
    return int(sum(key.rpartition("-")[0] in ok for key in keys))


def _scalars(draw: dict) -> dict:
    """The drawn values that are numbers (a drawn time series has no single value to place in a box)."""
    return {key: value for key, value in draw.items() if isinstance(value, int | float) and not isinstance(value, bool)}
