"""What produced a result: a hash of the package source (works without git) and package versions."""

from __future__ import annotations

import hashlib
import platform
from functools import cache
from importlib.metadata import PackageNotFoundError, version

from model.inputs.locations import PACKAGE_DIR

PACKAGES = ("mesa", "numpy", "scipy", "pandas", "pyarrow", "pydantic", "PyYAML")


@cache
def code_version(*subpackages: str) -> str:
    """sha256 of every Python file of the `model` package (or of these subpackages of it), in path order."""
    root = PACKAGE_DIR
    digest = hashlib.sha256()
    paths = [p for folder in (subpackages or (".",)) for p in (root / folder).rglob("*.py")]
    for path in sorted(paths):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


RUN_CODE = ("inputs", "simulation", "results")  # what a run's outputs depend on (not sweeps, reports or the app)


def run_code_version() -> str:
    """The code version in a sweep's run keys: a change to how runs are summarised, discovered or shown
    does not make the stored runs stale."""
    return code_version(*RUN_CODE)


@cache
def package_versions() -> dict[str, str]:
    """Looked up once per process: reading package metadata costs milliseconds on every run."""
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "not installed"
    return versions
