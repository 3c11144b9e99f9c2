"""A run's manifest: everything that reproduces it (hashes, seeds, the code and package versions,
every resolved value) and its wall time. Written beside its results as manifest.json."""

from __future__ import annotations

import time

from model.inputs.calendar import format_month
from model.inputs.scenario import ResolvedScenario
from model.inputs.versioning import code_version, package_versions


def manifest(resolved: ResolvedScenario, seeds: list[int], run_hashes: list[str], draws: list[dict | None],
             started: float) -> dict:
    """The manifest of a run of `resolved` with these replicate seeds, run hashes and parameter draws
    that started at `started` (time.perf_counter)."""
    county = resolved.registry().county
    return {
        "scenario": resolved.name,
        "question": resolved.question,
        "outcomes": list(resolved.outcomes),
        "relies_on": {key: {"status": resolved.registry()[key].status, "value": resolved.registry()[key].value}
                      for key in resolved.relies_on},
        "county": {"name": county.name, "zh": county.labels.zh, "en": county.labels.en, "directory": str(county.directory)},
        "description": resolved.description,
        "files": list(resolved.files),
        "scenario_hash": resolved.scenario_hash(),
        "run_hashes": run_hashes,
        "parameter_draws": draws if resolved.parameter_draws else None,
        "registry_hash": resolved.registry_hash,
        "code_version": code_version(),
        "seed": resolved.seed,
        "seeds": seeds,
        "replicates": resolved.replicates,
        "scale": resolved.scale,
        "start": format_month(resolved.start),
        "end": format_month(resolved.end),
        "policy_start": format_month(resolved.policy_start),
        "levers": resolved.levers,
        "uncertainties": resolved.uncertainties,
        "timeline": list(resolved.timeline),
        "changed_parameters": resolved.changed_keys(),
        "resolved": resolved.canonical(),
        "packages": dict(package_versions()),  # a copy: the lookup is cached
        "wall_time_s": round(time.perf_counter() - started, 3),
    }
