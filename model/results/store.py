"""Results on disk: monthly.parquet, compounds.parquet and manifest.json, written atomically.

A results directory is written in a temporary sibling and renamed into place, so that an
interrupted write never leaves a directory that looks complete, and results already there are
replaced only once the new ones are whole.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from model.results.run import RunResult

MONTHLY, COMPOUNDS, MANIFEST = "monthly.parquet", "compounds.parquet", "manifest.json"


def write_results(result: RunResult, out_dir: str | Path) -> Path:
    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    try:
        result.monthly.to_parquet(staging / MONTHLY, index=False)
        result.compounds.to_parquet(staging / COMPOUNDS, index=False)
        (staging / MANIFEST).write_text(json.dumps(result.manifest, indent=2, ensure_ascii=False, default=str),
                                        encoding="utf-8")
        replace_dir(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out


def replace_dir(staging: Path, out: Path) -> None:
    """Move a finished directory into place, replacing an older one only after the move succeeds."""
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.replace(out, old / out.name)
        os.replace(staging, out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, out)


def read_results(directory: str | Path) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    directory = Path(directory)
    manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    return pd.read_parquet(directory / MONTHLY), pd.read_parquet(directory / COMPOUNDS), manifest
