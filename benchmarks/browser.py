"""The app as a planner meets it: served by Streamlit, driven in headless Chromium on this machine.

A slider move is timed from the key press to the moment the page shows the new headline number
(polled on every animation frame), so it includes the slider's own delay, the server's rerun and the
browser's drawing. The browser shares the machine's cores with the server's workers, as it does in
the tests; a planner's own browser would not. So each move also records the CPU seconds the machine
spent, and Chromium's part of them: what the browser takes away from the model's workers.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psutil

from benchmarks.timing import Stat
from model.app.settings import SHARPEN_ENV
from model.app.text import text
from model.results.cache import CACHE_ENV
from model.results.outcomes import BY_OUTCOME

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]
HEADLINES = """() => [...document.querySelectorAll('[data-testid="stMetricValue"]')].map(v => v.innerText).join('|')"""
HEADLINES_CHANGED = """(before) => {
  const now = [...document.querySelectorAll('[data-testid="stMetricValue"]')].map(v => v.innerText).join('|');
  return now !== '' && now !== before;
}"""
VALUE_CHANGED = """([label, before]) => {
  const metric = [...document.querySelectorAll('[data-testid="stMetric"]')].find(m => m.innerText.includes(label));
  const value = metric && metric.querySelector('[data-testid="stMetricValue"]');
  return value !== null && value !== undefined && value.innerText !== before;
}"""


def _cpu_seconds() -> tuple[float, float]:
    """CPU seconds used so far: by the whole machine (all cores), and by Chromium's processes alive now."""
    machine = psutil.cpu_times()
    browser = 0.0
    for proc in psutil.process_iter(["name", "cpu_times"]):
        if "chrom" in (proc.info["name"] or "") and proc.info["cpu_times"] is not None:
            browser += proc.info["cpu_times"].user + proc.info["cpu_times"].system
    return machine.user + machine.system + machine.nice, browser


# The timings are of what a reader waits for: without the background replicates that sharpen an answer, whose
# redraws would read as the awaited change (they stop when a setting changes, and run at the lowest priority).
FOREGROUND = {SHARPEN_ENV: "0"}


@contextlib.contextmanager
def served_app(root: Path, log_path: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """The app served as `make app` serves it (model/app/serve.py) on a free port, its output in `log_path`
    (with `env` added to its environment); yields its address and always stops it. The browser tests serve the app the same way."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"http://127.0.0.1:{port}"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "model.app.serve", "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"], cwd=root, stdout=log, stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})})
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    with urllib.request.urlopen(f"{address}/_stcore/health", timeout=2) as answer:
                        if answer.read() == b"ok":
                            break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"streamlit did not start: {Path(log_path).read_text()}") from None
                    time.sleep(0.5)
            yield address
        finally:
            # Its worker processes outlive it by up to half a second and may still write to its disk cache:
            # wait for them too, so that a folder the caller removes next is not written into meanwhile.
            workers = psutil.Process(server.pid).children(recursive=True) if server.poll() is None else []
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            _, left = psutil.wait_procs(workers, timeout=10)
            for process in left:
                process.kill()


def slider_moves(root: Path, moves: int, query: str = "") -> dict | None:
    """First load (to the assumption marks) and `moves` slider moves, each to a value not seen before,
    with the CPU seconds each move used (the machine's, Chromium's); None where Debian's chromium is
    missing."""
    if not Path(CHROMIUM).exists():
        return None
    from playwright.sync_api import expect, sync_playwright

    spending, share = BY_OUTCOME["government_spending"].zh, text("label.government_share", "zh")
    with tempfile.TemporaryDirectory() as folder, served_app(root, Path(folder) / "streamlit.log", FOREGROUND) as address:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            page = browser.new_page(viewport={"width": 1500, "height": 1100}, locale="zh-CN")
            started = time.perf_counter()
            page.goto(f"{address}/{query}", timeout=300_000)
            expect(page.get_by_text(text("mark.screening", "zh", n=0, preset="", count=0)[:5])).to_be_visible(
                timeout=600_000)
            first = time.perf_counter() - started
            headline = page.get_by_test_id("stMetric").filter(has_text=spending).get_by_test_id("stMetricValue")
            thumb = page.get_by_test_id("stSlider").filter(has_text=share).get_by_role("slider")
            times, machine_cpu, browser_cpu = [], [], []
            for _ in range(moves):  # the government's share down a step each time: every value is new
                before = headline.inner_text()
                thumb.focus()
                cpu_before = _cpu_seconds()
                pressed = time.perf_counter()
                thumb.press("ArrowLeft")
                page.wait_for_function(VALUE_CHANGED, arg=[spending, before], polling="raf", timeout=120_000)
                times.append(time.perf_counter() - pressed)
                machine, chromium = (after - earlier for after, earlier in zip(_cpu_seconds(), cpu_before))
                machine_cpu.append(machine)
                browser_cpu.append(chromium)
                page.wait_for_timeout(1500)  # let the page finish (charts, marks) before the next move
            browser.close()
    return {"first": first, "moves": Stat.of(times), "machine_cpu": Stat.of(machine_cpu),
            "browser_cpu": Stat.of(browser_cpu)}


def _press(control, key: str) -> float:
    """Press `key` on a slider's thumb; the moment it was pressed."""
    thumb = control.get_by_role("slider")
    thumb.focus()
    pressed = time.perf_counter()
    thumb.press(key)
    return pressed


def prepared_cache(root: Path, folder: Path) -> float:
    """`renewal prepare-app baseline` into `folder` (what `make app` does for every preset); its seconds."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "model.cli", "prepare-app", "baseline", "--quiet"], cwd=root, check=True,
                   env={**os.environ, CACHE_ENV: str(folder)}, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def cold_starts(root: Path, repeats: int) -> dict | None:
    """Issue 16's three timings, each from a fresh server whose disk cache was prepared: the first headline
    after the page is asked for (and the assumption marks), a moved lever to its new headline with the
    app's 4 replicates, and a policy start moved one month to its new headline (a start never run, resumed
    from the January before it). None where Debian's chromium is missing."""
    if not Path(CHROMIUM).exists():
        return None
    from playwright.sync_api import expect, sync_playwright

    spending, share = BY_OUTCOME["government_spending"].zh, text("label.government_share", "zh")
    first, marks, lever, start = [], [], [], []
    with tempfile.TemporaryDirectory() as folder:
        prepared = Path(folder) / "prepared"
        preparing = prepared_cache(root, prepared)
        for repeat in range(repeats):  # each on a copy of the prepared cache: what one repeat ran, the next has not
            cache = Path(folder) / f"cache-{repeat}"
            shutil.copytree(prepared, cache)
            with served_app(root, Path(folder) / "streamlit.log", {CACHE_ENV: str(cache), **FOREGROUND}) as address, \
                    sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
                page = browser.new_page(viewport={"width": 1500, "height": 1100}, locale="zh-CN")
                asked = time.perf_counter()
                page.goto(address, timeout=300_000)
                headline = page.get_by_test_id("stMetric").filter(has_text=spending).get_by_test_id("stMetricValue")
                headline.wait_for(timeout=300_000)
                first.append(time.perf_counter() - asked)
                expect(page.get_by_text(text("mark.screening", "zh", n=0, preset="", count=0)[:5])).to_be_visible(
                    timeout=600_000)
                marks.append(time.perf_counter() - asked)
                # a lever: until a headline changes
                before = page.evaluate(HEADLINES)
                pressed = _press(page.get_by_test_id("stSlider").filter(has_text=share), "ArrowLeft")
                page.wait_for_function(HEADLINES_CHANGED, arg=before, polling="raf", timeout=300_000)
                lever.append(time.perf_counter() - pressed)
                page.wait_for_timeout(1500)
                # the policy start a month earlier: a month's move can leave every rounded headline as it was, so
                # until the line under the headlines names the new month (drawn after them)
                pressed = _press(page.get_by_test_id("stSlider").filter(has_text=text("sidebar.policy_start", "zh")),
                                 "ArrowLeft")
                expect(page.get_by_text(text("check.identical_before", "zh", month="2025-12"))).to_be_visible(
                    timeout=300_000)
                start.append(time.perf_counter() - pressed)
                browser.close()
    return {"preparing": preparing, "first": Stat.of(first), "marks": Stat.of(marks), "lever": Stat.of(lever),
            "policy_start": Stat.of(start)}
