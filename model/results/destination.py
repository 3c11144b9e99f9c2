"""Where the tool may write: the one place that decides whether a destination is ours to replace.

Nothing the tool did not write is deleted or overwritten. A destination is refused (one line, before any
work) when it is the working directory, holds it or the project's inputs, or lies under a file; when it
is a directory that is neither new, empty nor an earlier output of the same kind; and, for an earlier
output, when replacing it was not asked for (--force) and it is not the same run. An output is
recognised by the files the tool writes: a run's results by monthly.parquet, compounds.parquet and a
manifest.json that says it was written by `renewal run`; a comparison, a robustness analysis or a
discovery by a summary.json that says it was written by `renewal compare`, `renewal robust` or `renewal
discover`; a sweep store by its index/ folder; a report by the <stem>_charts/ folder written beside it.
When an earlier directory is replaced, what else it holds (a report, notes, a folder) is carried over
into the new one.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from model.inputs.errors import InputError
from model.inputs.locations import CALIBRATION_DIR, COUNTIES_DIR, SCENARIO_DIR

MONTHLY, COMPOUNDS, MANIFEST = "monthly.parquet", "compounds.parquet", "manifest.json"
RUN_FILES = (MONTHLY, COMPOUNDS, MANIFEST)
WRITTEN_BY = {"written_by": "renewal run"}  # manifest.json's mark: these results are the tool's own
SUMMARY_FILE = "summary.json"  # what identifies a comparison, a robustness analysis or a discovery, with its mark
COMPARED_BY = {"written_by": "renewal compare"}  # summary.json's mark: this comparison is the tool's own
ROBUST_BY = {"written_by": "renewal robust"}  # summary.json's mark: this robustness analysis is the tool's own
PROTECTED = {SCENARIO_DIR: "the project's scenarios", COUNTIES_DIR: "the project's counties",
             CALIBRATION_DIR: "the project's parameter tree"}


def check_location(path: Path, option: str) -> None:
    """Refuse a destination that is (or holds) the working directory or the project's inputs, or whose
    parent is a file."""
    resolved = path.resolve()
    for place, what in {Path.cwd().resolve(): "the working directory", **PROTECTED}.items():
        if place.is_relative_to(resolved):
            raise InputError(option, str(path), f"is {what} or holds it; give a new or empty directory")
    parent = next(p for p in resolved.parents if p.exists())
    if not parent.is_dir():
        raise InputError(option, str(path), f"{parent} is a file, not a directory")


def check_run_directory(out: Path, scenario_hash: str, force: bool = False) -> None:
    """May a run of this scenario hash write its results to `out`? Yes if it is new or empty, or holds
    the results of the same run, or (with force) of another run."""
    check_location(out, "--out")
    if out.exists() and not out.is_dir():
        raise InputError("--out", str(out), "is a file; give a directory")
    if not out.exists() or not any(out.iterdir()):
        return
    earlier = earlier_run(out)
    if earlier is None:
        raise InputError("--out", str(out), "is not empty and holds no results of `renewal run`; nothing in it "
                         "is replaced; give a new or empty directory")
    if earlier.get("scenario_hash") != scenario_hash and not force:
        raise InputError("--out", str(out), f"holds the results of another run ({earlier.get('scenario')}, "
                         f"{earlier.get('scenario_hash')}); give --force to replace them, or another --out")


def earlier_run(directory: Path) -> dict | None:
    """The manifest of the run results in `directory`, or None if it holds none that the tool wrote."""
    if not all((directory / name).is_file() for name in RUN_FILES):
        return None
    return marked(directory / MANIFEST, WRITTEN_BY)


def check_comparison_directory(out: Path, comparison_hash: str, force: bool = False) -> None:
    """May a comparison write to `out`? Yes if it is new or empty, or holds the same comparison (the same
    policies, settings and outcomes), or (with force) another one."""
    check_marked_directory(out, SUMMARY_FILE, COMPARED_BY, "comparison_hash", comparison_hash, "comparison", force)


def check_robustness_directory(out: Path, robustness_hash: str, force: bool = False) -> None:
    """May a robustness analysis write to `out`? Yes if it is new or empty, or holds the same analysis (the
    same spec, code, outcome, threshold, bins and draws), or (with force) another one."""
    check_marked_directory(out, SUMMARY_FILE, ROBUST_BY, "robustness_hash", robustness_hash,
                           "robustness analysis", force)


def check_marked_directory(out: Path, summary: str, mark: dict, identity_key: str, identity: str, kind: str,
                           force: bool = False) -> None:
    """May an output of this `kind`, whose `summary` file carries `mark`, write to `out`? Yes if it is new or
    empty, or holds the same output (the same `identity`), or (with force) another one of its kind."""
    check_location(out, "--out")
    if out.exists() and not out.is_dir():
        raise InputError("--out", str(out), "is a file; give a directory")
    if not out.exists() or not any(out.iterdir()):
        return
    earlier = marked(out / summary, mark)
    if earlier is None:
        raise InputError("--out", str(out), f"is not empty and holds no {kind} of `{mark['written_by']}`; nothing "
                         "in it is replaced; give a new or empty directory")
    if earlier.get(identity_key) != identity and not force:
        raise InputError("--out", str(out), f"holds another {kind} ({earlier.get(identity_key)}); give --force to "
                         "replace it, or another --out")


def marked(path: Path, mark: dict) -> dict | None:
    """The JSON mapping in `path` if it carries the tool's mark, else None (missing, unreadable, not ours)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    ours = isinstance(data, dict) and all(data.get(k) == v for k, v in mark.items())
    return data if ours else None


def check_report_file(out: Path, force: bool = False) -> None:
    """May a report be written to the file `out`? Yes if it is new, or is a report the tool wrote (its
    <stem>_charts/ folder is beside it), or with force."""
    check_location(out, "--out")
    charts = out.parent / f"{out.stem}_charts"
    if charts.exists() and not charts.is_dir():
        raise InputError("--out", str(out), f"its charts go to {charts}, which is a file")
    if out.exists() and not out.is_dir() and not charts.is_dir() and not force:
        raise InputError("--out", str(out), "exists and is not a report of `renewal report`; give --force to "
                         "overwrite it, or another --out")


def check_sweep_store(root: Path) -> None:
    """May a sweep use `root` as its store? Yes if it is new, empty or already a store (it has index/)."""
    check_location(root, "--store")
    if root.exists() and not root.is_dir():
        raise InputError("--store", str(root), "is a file; give a directory")
    if root.exists() and any(root.iterdir()) and not (root / "index").is_dir():
        raise InputError("--store", str(root), "is not empty and is not a sweep store (it has no index/ folder); "
                         "give a new or empty directory, or an earlier store")


def replace_outputs(staging: Path, out: Path, names: tuple[str, ...]) -> None:
    """Move a finished directory into place. An earlier `out` is swapped out whole, after what else it
    holds has been moved across into the new one; of the old directory only the files in `names` are
    deleted, so that an interruption at any point loses nothing the tool did not write."""
    if not out.exists():
        os.replace(staging, out)
        return
    kept = [entry.name for entry in out.iterdir() if entry.name not in names]
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent)) / out.name
    try:
        for name in kept:
            os.replace(out / name, staging / name)
        os.replace(out, old)
        os.replace(staging, out)
    except BaseException:
        if old.exists() and not out.exists():
            os.replace(old, out)
        for name in kept:
            if (staging / name).exists():
                os.replace(staging / name, out / name)
        old.parent.rmdir()
        raise
    discard(old, names)
    old.parent.rmdir()


def discard(directory: Path, names: tuple[str, ...]) -> None:
    """Delete the tool's own files `names` from `directory`, and the directory if that empties it."""
    for name in names:
        (directory / name).unlink(missing_ok=True)
    try:
        directory.rmdir()
    except OSError:  # gone already, or it holds what the tool did not write: left as it is
        pass
