"""The disk cache: what is slow to compute and fully determined by its key, kept between processes.

A folder given by the environment variable RENEWAL_CACHE (the app sets results/cache; its worker
processes inherit it; unset or empty, nothing is kept on disk). Each kind of entry has its folder
(histories/, screening/); an entry is one pickled file named by its key, which covers everything that
determines it and the code that makes runs, so a stale entry is never found, only left behind (delete
the folder to reclaim it). Files are written under a hidden temporary name and renamed into place; an
entry that cannot be read (a damaged file) counts as missing and is computed again.
"""

from __future__ import annotations

import os
import pickle
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

CACHE_ENV = "RENEWAL_CACHE"


def enabled() -> bool:
    """Whether a cache folder is set."""
    return bool(os.environ.get(CACHE_ENV))


def cached(kind: str, key: str, compute: Callable[[], T]) -> T:
    """`kind`'s entry `key`: read from the cache when it holds it, else computed and kept there."""
    path = cache_file(kind, key)
    value = read_entry(path)
    if value is None:
        value = compute()
        write_entry(path, value)
    return value


def cache_file(kind: str, key: str) -> Path | None:
    """The file of `kind`'s entry `key`, or None when no cache folder is set."""
    root = os.environ.get(CACHE_ENV)
    return Path(root) / kind / f"{key}.pkl.z" if root else None


def read_entry(path: Path | None) -> object | None:
    """The entry stored at `path`, or None (no cache, no file, or a file that cannot be read)."""
    if path is None or not path.is_file():
        return None
    try:
        return pickle.loads(zlib.decompress(path.read_bytes()))
    except (OSError, zlib.error, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        return None


def write_entry(path: Path | None, value: object) -> None:
    """Store `value` at `path` (compressed: a model state shrinks about fourfold), unless it is there already."""
    if path is None or path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
