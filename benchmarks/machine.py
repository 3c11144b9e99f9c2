"""What the figures were measured on: processor, cores, memory, load, software."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path

from model.inputs.versioning import code_version, package_versions


def _first(path: str, prefix: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def _commit(root: Path) -> str:
    try:
        done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True,
                              timeout=10)
        return done.stdout.strip() or "no git"
    except (OSError, subprocess.SubprocessError):
        return "no git"


def describe(root: Path) -> dict[str, str]:
    memory = _first("/proc/meminfo", "MemTotal")
    if memory != "unknown":
        memory = f"{int(memory.split()[0]) / 1024**2:.1f} GiB"
    return {
        "processor": _first("/proc/cpuinfo", "model name") if platform.system() == "Linux" else platform.processor(),
        "cores available": str(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()),
        "memory": memory,
        "system": f"{platform.system()} {platform.release()}",
        **{name: v for name, v in package_versions().items()},
        "commit": _commit(root),
        "model code": code_version(),
    }


def load() -> str:
    """Load averages (1, 5, 15 min): above the core count, other processes were competing for the CPU."""
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())
