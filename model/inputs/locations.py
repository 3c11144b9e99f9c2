"""Where the project's data lives: the parameter tree, the shipped scenarios, the county folders.

The model package sits beside them in the project (`model/`, `calibration/`, `scenarios/`,
`counties/`); every path the package reads by default starts here.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = PACKAGE_DIR.parent
CALIBRATION_DIR = PROJECT_DIR / "calibration"
SCENARIO_DIR = PROJECT_DIR / "scenarios"
COUNTIES_DIR = PROJECT_DIR / "counties"
PARAMETER_TREE = CALIBRATION_DIR / "parameters"
