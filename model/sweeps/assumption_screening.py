"""`renewal screen-assumptions`: which assumed parameters shape the future, by Morris screening.

Bands draw the assumed parameters that matter; this finds which those are. For the baseline and every
shipped what-if, one Morris sweep through the sweep machinery over every assumed uncertainty across its
registry range, one replicate per design point, every sweep on the same seed: a what-if's run at a design
point is paired with the baseline's run at the same point (same values, same seed), and the change is read
off the pair over the what-if's period, as `renewal effects` reads it (the baseline sets no lever, so its
runs are the same whatever its policy start: one baseline sweep serves every what-if). A what-if that sets
an assumed key itself (a shock) is screened over the other keys, beside a baseline sweep over the same keys,
since a sweep would override what the what-if sets. A pair of keys
`X_from` / `X_to` (build-year spans) is screened over the parts of their ranges that keep from <= to.

The columns screened: the baseline's headline outcomes (its `outcomes:`, at 2026-01), and each what-if's
paired change in the outcomes that answer its question, over the what-if's period. A parameter's mu*
(SALib: the mean absolute elementary effect over the trajectories, per step of 2/3 of its range) is
compared with the largest mu* of its column and with the column's seed noise: the same statistic
computed between two seeds at the same values (a small Latin hypercube sweep with two replicates).
Rule: a parameter is drawn when, in any column whose largest mu* is above NOISE_MARGIN times its seed
noise, its own mu* reaches DRAW_SHARE of that largest and is itself above NOISE_MARGIN times the noise
(a parameter that only perturbs a chaotic run has a mu* about the size of the noise). A parameter the sweep
cannot tell from seed noise is not drawn on the strength of the noise.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from model.inputs.calendar import format_month
from model.inputs.registry import Registry, load_registry
from model.inputs.scenario import resolve
from model.results.effects import REFERENCE, answering, shipped_what_ifs
from model.results.outcomes import outcome_table, what_if_period
from model.sweeps.plan import plan
from model.sweeps.runner import run_sweep
from model.sweeps.spec import Sweep, load_spec
from model.sweeps.store import MONTHLY, Store
from model.sweeps.summary import analyse

DRAW_SHARE = 0.1  # a tenth of the largest mu* of a column (issue 14)
NOISE_MARGIN = 2.0  # a mu* below twice its column's seed noise cannot be told from it
NOISE_POINTS = 8  # Latin hypercube points of the noise sweep (two seeds each)
DESIGNS = ("morris", "lhs")  # the screening itself, and the seed noise it is read against
RESULT = "assumption_screening.csv"
COLUMNS = ("column", "scenario", "outcome", "key", "mu_star", "mu_star_conf", "largest", "noise", "relative",
           "informative", "selected")


@dataclasses.dataclass(frozen=True)
class Settings:
    trajectories: int = 4
    levels: int = 4
    scale: float = 0.05
    seed: int = 20260101
    store: Path = Path("results") / "assumption-screening"
    what_ifs: tuple[str, ...] = ()  # default: every shipped one
    keys: tuple[str, ...] = ()  # default: every assumed uncertainty (screened_keys)


def screened_keys(registry: Registry) -> list[str]:
    """Every assumed uncertainty: what the documents leave open and a planner does not choose."""
    return [k for k, p in registry.parameters.items() if p.status == "assumed" and p.role == "uncertainty"]


def screened_range(key: str, registry: Registry) -> tuple[float, float]:
    """A key's registry range, or for one end of a from/to span the part that cannot cross the other end's."""
    low, high = registry[key].bounds()
    for mine, other in (("_from", "_to"), ("_to", "_from")):
        partner = key.removesuffix(mine) + other
        if key.endswith(mine) and partner in registry.parameters:
            partner_low, partner_high = registry[partner].bounds()
            return (low, min(high, partner_low)) if mine == "_from" else (max(low, partner_high), high)
    return low, high


def swept_keys(settings: Settings, registry: Registry, what_if: str = REFERENCE) -> list[str]:
    """The keys screened for a what-if: every assumed uncertainty (or the settings' keys) it does not set."""
    resolved = resolve(what_if)
    fixed = set(resolved.uncertainties) | {k for entry in resolved.timeline for k in entry["uncertainties"]}
    return [k for k in settings.keys or screened_keys(registry) if k not in fixed]


def _spec(settings: Settings, registry: Registry, base: str, keys: list[str], design: str, name: str) -> dict:
    vary = {}
    for key in keys:
        vary[key] = {"range": [registry[key].display_value(v) for v in screened_range(key, registry)]}
    sampled = {"samples": settings.trajectories, "levels": settings.levels, "replicates": 1} if design == "morris" \
        else {"samples": NOISE_POINTS, "replicates": 2}
    return {"name": name, "base": base, "design": design, "scale": settings.scale, "seed": settings.seed,
            "max_runs": 1_000_000, **sampled, "vary": vary}


def _write_specs(settings: Settings, registry: Registry) -> dict[str, dict[str, Path]]:
    """Spec files in the store: {sweep: {design: spec path}}; a what-if that sets keys has its own baseline
    sweep, `baseline.for-<what-if>`, over the keys it leaves."""
    folder = settings.store / "specs"
    folder.mkdir(parents=True, exist_ok=True)
    everything = swept_keys(settings, registry)
    sweeps = {REFERENCE: (REFERENCE, everything)}
    for name in settings.what_ifs or shipped_what_ifs():
        keys = swept_keys(settings, registry, name)
        sweeps[name] = (name, keys)
        if keys != everything:
            sweeps[_paired_baseline(name)] = (REFERENCE, keys)
    specs = {}
    for sweep, (base, keys) in sweeps.items():
        specs[sweep] = {}
        for design in DESIGNS:
            path = folder / f"{sweep}.{design}.yaml"
            path.write_text(yaml.safe_dump(_spec(settings, registry, base, keys, design, f"{sweep}.{design}"),
                                           sort_keys=False))
            specs[sweep][design] = path
    return specs


def _paired_baseline(what_if: str) -> str:
    return f"{REFERENCE}.for-{what_if}"


def _period(sweep: Sweep) -> tuple[str, str]:
    base = sweep.resolved_base
    return what_if_period({k: format_month(getattr(base, k)) for k in ("policy_start", "start", "end")})


def _values(sweep: Sweep, store: Store, outcomes: tuple, period: tuple[str, str]) -> np.ndarray:
    """Each run's outcomes over `period` (points x replicates x outcomes), read from the stored monthly tables."""
    tasks = plan(sweep)
    values = np.full((len(sweep.points), sweep.replicates, len(outcomes)), np.nan)
    for task in tasks:
        monthly = pd.read_parquet(store.path(MONTHLY, task.key))
        values[task.point, task.replicate] = outcome_table(monthly, period, outcomes).iloc[0].to_numpy(float)
    return values


def screen(settings: Settings, executor: Executor, parallelism: int,
           progress: Callable[[str, int, int], None] | None = None) -> pd.DataFrame:
    """Run (or resume) every sweep of the screening and return its table (one row per column and key)."""
    registry = load_registry()
    store = Store(settings.store)
    specs = _write_specs(settings, registry)
    sweeps = {name: {d: load_spec(path) for d, path in paths.items()} for name, paths in specs.items()}
    for name, designs in sweeps.items():
        for design, sweep in designs.items():
            follow = (lambda done, total, n=sweep.name: progress(n, done, total)) if progress else None
            report = run_sweep(sweep, store, executor, parallelism, follow)
            if report.failures:
                raise RuntimeError(f"{sweep.name}: {len(report.failures)} run(s) failed: "
                                   f"{next(iter(report.failures.values()))}")
    baseline = sweeps[REFERENCE]
    outcomes, period = answering(baseline["morris"].resolved_base), _period(baseline["morris"])
    rows = _columns(REFERENCE, outcomes, {d: _values(baseline[d], store, outcomes, period) for d in DESIGNS},
                    baseline["morris"])
    for name in settings.what_ifs or shipped_what_ifs():
        what_if, paired = sweeps[name], sweeps.get(_paired_baseline(name), baseline)
        outcomes, period = answering(what_if["morris"].resolved_base), _period(what_if["morris"])
        change = {d: _values(what_if[d], store, outcomes, period) - _values(paired[d], store, outcomes, period)
                  for d in DESIGNS}
        rows += _columns(name, outcomes, change, what_if["morris"])
    return _select(pd.DataFrame(rows))


def _columns(scenario: str, outcomes: tuple, values: dict[str, np.ndarray], morris: Sweep) -> list[dict]:
    """Each outcome's mu* per key, and its seed noise: the mean absolute difference between the two seeds of
    the noise sweep, per Morris step (levels / (2 (levels - 1)) of a range)."""
    step = morris.levels / (2 * (morris.levels - 1))
    rows = []
    for j, outcome in enumerate(outcomes):
        result = analyse("morris", morris.problem, morris.nominal, values["morris"][:, 0, j], morris.levels, morris.seed)
        noise = float(np.mean(np.abs(values["lhs"][:, 1, j] - values["lhs"][:, 0, j])) / step)
        for i, key in enumerate(morris.keys):
            rows.append({"column": f"{scenario}:{outcome.name}", "scenario": scenario, "outcome": outcome.name,
                         "key": key, "mu_star": float(result["mu_star"][i]),
                         "mu_star_conf": float(result["mu_star_conf"][i]), "noise": noise})
    return rows


def _select(table: pd.DataFrame) -> pd.DataFrame:
    """The rule of the module docstring, column by column."""
    table["largest"] = table.groupby("column")["mu_star"].transform("max")
    table["relative"] = np.where(table["largest"] > 0, table["mu_star"] / table["largest"], 0.0)
    table["informative"] = table["largest"] > NOISE_MARGIN * table["noise"]
    table["selected"] = (table["informative"] & (table["relative"] >= DRAW_SHARE)
                         & (table["mu_star"] > NOISE_MARGIN * table["noise"]))
    return table[list(COLUMNS)]


def drawn_by_screening(table: pd.DataFrame) -> pd.DataFrame:
    """One row per selected key: its largest relative mu* and the column where it reaches it."""
    chosen = table[table["selected"]].sort_values("relative", ascending=False).drop_duplicates("key")
    return chosen[["key", "column", "relative", "mu_star", "noise"]].sort_values("key").reset_index(drop=True)


def settings_line(settings: Settings) -> str:
    return (f"Morris, {settings.trajectories} trajectories, {settings.levels} levels, one replicate per point at scale "
            f"{settings.scale}, seed {settings.seed}; seed noise from {NOISE_POINTS} Latin hypercube points x 2 seeds. "
            f"Selected: mu* at least {DRAW_SHARE:g} of its column's largest and above {NOISE_MARGIN:g} x the column's "
            f"seed noise, in a column whose largest is above {NOISE_MARGIN:g} x its noise. Written by `make screening`.")


def format_screening(table: pd.DataFrame, registry: Registry | None = None) -> str:
    """A Markdown table of the selected keys, and a line per column that shows only noise."""
    registry = registry or load_registry()
    chosen = drawn_by_screening(table)
    lines = ["| assumed parameter | drawn | strongest in | mu* / largest | mu* | seed noise |", "|---|---|---|---|---|---|"]
    for row in chosen.itertuples():
        param = registry[row.key]
        drawn = "yes" if param.draw else "no" if param.type != "month" and not isinstance(param.value, dict) \
            else "cannot (a month or a schedule)"
        lines.append(f"| `{row.key}` ({param.label.en}) | {drawn} "
                     f"| `{row.column}` | {row.relative:.2f} | {row.mu_star:,.4g} | {row.noise:,.4g} |")
    quiet = table[~table["informative"]]["column"].unique()
    columns = table["column"].nunique()
    lines.append("")
    lines.append(f"{len(chosen)} of {table['key'].nunique()} assumed parameters selected over {columns} columns"
                 + (f"; {len(quiet)} column(s) show only seed noise: {', '.join(f'`{c}`' for c in quiet)}" if len(quiet) else "")
                 + ".")
    return "\n".join(lines)
