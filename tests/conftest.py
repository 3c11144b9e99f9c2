"""Shared fixtures: small synthetic Dongsheng runs, reused across tests (they are deterministic)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import model
from benchmarks.browser import CHROMIUM, LAUNCH_ARGS  # Debian's chromium; .ci/run installs it
from model.inputs.params import Params
from model.inputs.scenario import resolve

ROOT = Path(__file__).resolve().parent.parent
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


@pytest.fixture
def browser():
    """A headless Chromium. Skipped where none is installed, except in CI (RENEWAL_REQUIRE_BROWSER=1),
    where a missing browser is a failure rather than a silent skip."""
    if not Path(CHROMIUM).exists():
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
