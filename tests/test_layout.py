"""The package's layout: one room per concept, imports one way, no cycles (pyproject.toml [tool.importlinter])."""

from __future__ import annotations

from importlinter.cli import lint_imports

from tests.conftest import ROOT


def test_imports_walk_one_way_and_have_no_cycles(tmp_path):
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), cache_dir=str(tmp_path), no_logo=True) == 0


def test_the_package_keeps_only_a_handful_of_modules_at_its_top_level():
    top = sorted(p.name for p in (ROOT / "model").iterdir() if p.suffix == ".py")
    rooms = sorted(p.name for p in (ROOT / "model").iterdir() if (p / "__init__.py").exists())
    assert top == ["__init__.py", "cli.py"]
    assert rooms == ["app", "calibration", "inputs", "presentation", "reports", "results", "simulation", "sweeps"]
