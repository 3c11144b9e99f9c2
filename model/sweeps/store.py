"""The sweep store: each run's outputs as Parquet files named by its run key, written by the client alone.

Layout of a store directory:

    index/<key>.parquet      one row per run: status (ok/failed), error, sweep, point, replicate, seed,
                             scale, the varied values, the headline outcomes, wall time, manifest (JSON)
    monthly/<key>.parquet    the run's monthly table, as `model.run` returns it, with a run_key column
    compounds/<key>.parquet  the run's end-of-run compound table, with a run_key column
    sweeps/<name>/           one sweep's summary: points.csv, runs.csv, indices.csv, spec.yaml, summary.json

The run key is `<run hash>-<code version>`: every resolved value, the scale and the seed, and the source
of the code that makes a run (model/inputs/versioning.py RUN_CODE). Every file is written to a hidden temporary name and renamed into place, and a run's index row
is written after its outputs, so a run is stored exactly when its index row says `ok`; a kill at any
moment leaves no half-written file under a real name. The index is queried with DuckDB:
`SELECT * FROM read_parquet('STORE/index/*.parquet', union_by_name=true)`.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from model.inputs.errors import InputError

INDEX, MONTHLY, COMPOUNDS, SWEEPS = "index", "monthly", "compounds", "sweeps"


class Store:
    def __init__(self, root: str | Path):
        self.root = Path(root)

    def path(self, kind: str, key: str) -> Path:
        return self.root / kind / f"{key}.parquet"

    @contextmanager
    def open(self) -> Iterator[Store]:
        """Hold the store's lock (one writing client at a time) and clear temporary files a kill left."""
        try:
            for kind in (INDEX, MONTHLY, COMPOUNDS, SWEEPS):
                (self.root / kind).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError("--store", str(self.root), f"cannot use it as a store ({exc.strerror})") from None
        with open(self.root / ".lock", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise InputError("--store", str(self.root), "another sweep is writing to this store; "
                                 "wait for it or use another --store") from None
            for leftover in self.root.rglob(".*.tmp"):
                leftover.unlink()
            yield self

    def statuses(self) -> dict[str, str]:
        """Run key -> 'ok' or 'failed', for every run in the index."""
        table = self.index(columns="run_key, status")
        return dict(zip(table["run_key"], table["status"]))

    def index(self, columns: str = "*") -> pd.DataFrame:
        """The index rows of every stored run (a DuckDB query over index/*.parquet)."""
        pattern = str(self.root / INDEX / "*.parquet")
        if not any((self.root / INDEX).glob("*.parquet")):
            return pd.DataFrame(columns=["run_key", "status"])
        with duckdb.connect() as con:
            con.execute("SET enable_progress_bar = false")  # the CLI has its own progress bar
            return con.execute(f"SELECT {columns} FROM read_parquet(?, union_by_name=true) ORDER BY run_key",
                               [pattern]).df()

    def write_run(self, key: str, row: dict, monthly: pd.DataFrame, compounds: pd.DataFrame) -> None:
        """Store a finished run: its tables first, its index row last."""
        for kind, table in ((MONTHLY, monthly), (COMPOUNDS, compounds)):
            keyed = table.copy()
            keyed.insert(0, "run_key", key)
            atomic_write(self.path(kind, key), lambda tmp, t=keyed: t.to_parquet(tmp, index=False))
        self._write_row(key, row)

    def write_failure(self, key: str, row: dict) -> None:
        self._write_row(key, row)

    def _write_row(self, key: str, row: dict) -> None:
        frame = pd.DataFrame([row])
        for column in ("error", "manifest"):
            frame[column] = frame[column].astype("string")
        atomic_write(self.path(INDEX, key), lambda tmp: frame.to_parquet(tmp, index=False))

    def sweep_dir(self, name: str) -> Path:
        path = self.root / SWEEPS / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def write_csv(self, path: Path, table: pd.DataFrame) -> None:
        atomic_write(path, lambda tmp: table.to_csv(tmp, index=False))

    def write_text(self, path: Path, text: str) -> None:
        atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))

    def write_json(self, path: Path, data: dict) -> None:
        self.write_text(path, json.dumps(data, indent=2, ensure_ascii=False, default=str))


def atomic_write(path: Path, write: Callable[[Path], object]) -> None:
    """Write to a hidden temporary file beside `path`, then rename it into place."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
