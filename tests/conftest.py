"""Shared fixtures: small synthetic Dongsheng runs, reused across tests (they are deterministic)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

import model
from benchmarks.browser import CHROMIUM, LAUNCH_ARGS  # Debian's chromium; .ci/run installs it
from model.inputs.locations import CALIBRATION_DIR, COUNTIES_DIR
from model.inputs.params import Params
from model.inputs.registry import tree_entries
from model.inputs.scenario import resolve

ROOT = Path(__file__).resolve().parent.parent
# No disk cache of histories in tests (the app's default would be results/cache): a test that wants one sets
# it; an empty value also reaches the subprocesses and servers the tests start.
os.environ["RENEWAL_CACHE"] = ""
# No background sharpening in the app (it redraws the page as replicates arrive, under a test that reads it);
# the test of sharpening turns it on.
os.environ["RENEWAL_SHARPEN"] = "0"
# Background replicates at normal priority: every process of a test run is foreground work, and at the lowest
# priority a test's background replicates would wait for the other tests.
os.environ["RENEWAL_BACKGROUND_NICENESS"] = "0"
TEST_SCALE = 0.02  # about 13,000 people: big enough for aggregates, small enough to run in a second


@pytest.fixture(scope="session")
def baseline_run():
    return model.run("baseline", scale=TEST_SCALE, seed=7)


@pytest.fixture(scope="session")
def baseline_params():
    return Params(resolve("baseline", scale=TEST_SCALE))


def renewal(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the `renewal` command line in a fresh process."""
    return subprocess.run([sys.executable, "-m", "model.cli", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, timeout=600)


@pytest.fixture(scope="session")
def history_run():
    """The baseline's history to the end of 2025 at a fifth of the county: enough compounds for the campaign."""
    return model.run({"extends": "baseline", "end": "2025-12"}, scale=0.2, seed=3)


def system_cjk_font() -> bool:
    """Whether fontconfig knows a Chinese font: Chromium draws pages with the system's fonts (the charts
    drawn on the server use the font packaged with the project instead)."""
    if shutil.which("fc-list") is None:
        return False
    return bool(subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout.strip())


@pytest.fixture
def browser():
    """A headless Chromium. Skipped where Chromium or a system CJK font is missing, except in CI
    (RENEWAL_REQUIRE_BROWSER=1), where that is a failure rather than a silent skip."""
    if not Path(CHROMIUM).exists() or not system_cjk_font():
        message = "needs Debian's chromium and a CJK font (apt-get install chromium fonts-wqy-microhei)"
        if os.environ.get("RENEWAL_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def edited_registry(tmp_path: Path, key: str, change: Callable[[dict], object]) -> tuple[Path, Path]:
    """A copy of the parameter tree and of Dongsheng's folder with one key's entry changed where it is
    written (the county's files if it gives the key, else the tree's file); returns (county, tree) for
    `load_registry(county, tree)`."""
    tree, county = tmp_path / "calibration", tmp_path / "dongsheng"
    shutil.copytree(CALIBRATION_DIR, tree)
    shutil.copytree(COUNTIES_DIR / "dongsheng", county)
    for name in ("parameters.yaml", "calibrated.yaml"):
        data = yaml.safe_load((county / name).read_text(encoding="utf-8"))
        if key in data["parameters"] and "value" in data["parameters"][key]:
            change(data["parameters"][key])
            (county / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
            return county, tree / "parameters"
    path = tree_entries(tree / "parameters")[key][1]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data[key.rpartition(".")[2]])
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return county, tree / "parameters"
