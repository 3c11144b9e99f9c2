"""Results on disk: monthly.parquet, compounds.parquet and manifest.json, written atomically.

A results directory is written in a temporary sibling and moved into place, so that an interrupted
write never leaves a directory that looks complete, and results already there are replaced only once
the new ones are whole, and only if they are ours to replace (model/results/destination.py).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pandas as pd

from model.results.destination import (COMPOUNDS, MANIFEST, MONTHLY, RUN_FILES, WRITTEN_BY, check_run_directory,
                                       discard, replace_outputs)
from model.results.run import RunResult

__all__ = ["COMPOUNDS", "MANIFEST", "MONTHLY", "read_results", "write_results"]


def write_results(result: RunResult, out_dir: str | Path, force: bool = False) -> Path:
    """Write a run's results to `out_dir`: a new or empty directory, or the results of the same run (of
    another run with `force`); what else the directory holds stays."""
    out = Path(out_dir)
    check_run_directory(out, result.manifest["scenario_hash"], force)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    try:
        result.monthly.to_parquet(staging / MONTHLY, index=False)
        result.compounds.to_parquet(staging / COMPOUNDS, index=False)
        (staging / MANIFEST).write_text(json.dumps({**WRITTEN_BY, **result.manifest}, indent=2, ensure_ascii=False,
                                                   default=str), encoding="utf-8")
        replace_outputs(staging, out, RUN_FILES)
    except BaseException:
        discard(staging, RUN_FILES)
        raise
    return out


def read_results(directory: str | Path) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    directory = Path(directory)
    manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    return pd.read_parquet(directory / MONTHLY), pd.read_parquet(directory / COMPOUNDS), manifest
