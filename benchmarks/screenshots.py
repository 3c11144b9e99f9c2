"""Retake docs/app.md's screenshots of what the page shows a planner, in headless Chromium.

    python -m benchmarks.screenshots                  # docs/images/app-*.png, about 8 minutes on 2 cores
    python -m benchmarks.screenshots within_noise     # only the shots of the functions named

The app is served as `make app` serves it (model/app/serve.py), on a fresh disk cache, in Chinese; Chinese needs
a CJK font on this machine (Debian's fonts-wqy-microhei or fonts-noto-cjk), or it shows as empty boxes. Each shot
waits for what it shows, so a page that no longer shows it fails here instead of being photographed half-drawn.
The Compare view's shot (app-compare-paired.png) needs kept settings and is retaken by hand.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from benchmarks.browser import CHROMIUM, LAUNCH_ARGS, served_app
from model.app.text import text
from model.results.cache import CACHE_ENV
from model.results.outcomes import BY_OUTCOME

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
VIEWPORT = {"width": 1500, "height": 1100}


def _headlines(page) -> None:
    from playwright.sync_api import expect

    population = page.get_by_test_id("stMetric").filter(has_text=BY_OUTCOME["population_end"].zh)
    expect(population.get_by_test_id("stMetricValue")).to_be_visible(timeout=600_000)


def _marks(page) -> None:
    from playwright.sync_api import expect

    expect(page.get_by_text(text("mark.screening", "zh", n=0, preset="", count=0)[:5])).to_be_visible(timeout=600_000)


def first_screen(browser, address: str) -> None:
    """A preset's first screen: the question, the numbers that answer it, changes within noise without arrows."""
    page = browser.new_page(viewport=VIEWPORT, locale="zh-CN")
    page.goto(f"{address}/?preset=residents_pay_30", timeout=600_000)
    _headlines(page)
    _marks(page)
    page.screenshot(path=str(IMAGES / "app-first-screen.png"))
    page.close()  # and its background replicates stop


def within_noise(browser, address: str) -> None:
    """A lever with no effect on the headlines: every change reads 在随机波动内, grey, without an arrow."""
    from playwright.sync_api import expect

    page = browser.new_page(viewport=VIEWPORT, locale="zh-CN")
    page.goto(f"{address}/?stalls.supply=2000", timeout=600_000)
    population = page.get_by_test_id("stMetric").filter(has_text=BY_OUTCOME["population_end"].zh)
    expect(population.get_by_test_id("stMetricDelta")).to_contain_text(text("metric.within_noise", "zh", change=""),
                                                                       timeout=600_000)
    _marks(page)
    page.screenshot(path=str(IMAGES / "app-within-noise.png"))
    page.close()


def slider_and_policy_start(browser, address: str) -> None:
    """A lever moved (the government's share a step down), then the policy start a month earlier: the line
    under the headlines names the new start, before which the setting and its baseline are identical; then the
    background replicates sharpening the answer, with their count; then what held renovation back."""
    from playwright.sync_api import expect

    page = browser.new_page(viewport=VIEWPORT, locale="zh-CN")
    page.goto(address, timeout=600_000)
    _headlines(page)
    _marks(page)
    before = page.get_by_test_id("stMetricValue").all_inner_texts()
    thumb = page.get_by_test_id("stSlider").filter(has_text=text("label.government_share", "zh")).get_by_role("slider")
    thumb.focus()
    thumb.press("ArrowLeft")
    page.wait_for_function("""(before) => {
      const now = [...document.querySelectorAll('[data-testid="stMetricValue"]')].map(v => v.innerText);
      return now.length > 0 && now.join('|') !== before.join('|');
    }""", arg=before, timeout=600_000)
    start = page.get_by_test_id("stSlider").filter(has_text=text("sidebar.policy_start", "zh")).get_by_role("slider")
    start.focus()
    start.press("ArrowLeft")
    expect(page.get_by_text(text("check.identical_before", "zh", month="2025-12"))).to_be_visible(timeout=600_000)
    page.screenshot(path=str(IMAGES / "app-policy-start.png"))
    running = text("sharpen.running", "zh", ready=0, target=0, shown=8, next=0)  # the one 8 is the replicates shown
    page.wait_for_function("(words) => document.body.innerText.includes(words)",
                           arg=running[running.index("8") - 5:running.index("8") + 3], timeout=600_000)
    page.screenshot(path=str(IMAGES / "app-sharpening.png"))
    page.get_by_test_id("stButtonGroup").locator("button", has_text=text("tab.renovation", "zh")).click()
    expect(page.get_by_role("heading", name=text("binding.title", "zh"))).to_be_visible(timeout=600_000)
    table = page.get_by_test_id("stDataFrame").last
    table.scroll_into_view_if_needed()
    expect(table.locator("canvas").first).to_be_visible(timeout=60_000)  # the grid drawn, not its placeholder
    page.wait_for_timeout(1000)
    page.screenshot(path=str(IMAGES / "app-binding.png"))


SHOTS = (first_screen, within_noise, slider_and_policy_start)


def main(names: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    unknown = set(names) - {shot.__name__ for shot in SHOTS}
    if unknown:
        raise SystemExit(f"no such shot: {', '.join(sorted(unknown))}; the shots: {', '.join(s.__name__ for s in SHOTS)}")

    if not Path(CHROMIUM).exists():
        raise SystemExit(f"no Chromium at {CHROMIUM}: install Debian's chromium (and fonts-wqy-microhei)")
    with tempfile.TemporaryDirectory() as folder, \
            served_app(ROOT, Path(folder) / "streamlit.log", {CACHE_ENV: str(Path(folder) / "cache")}) as address, \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        for shot in (shot for shot in SHOTS if not names or shot.__name__ in names):
            print(f"{shot.__name__} ...", flush=True)
            shot(browser, address)
        browser.close()
    print(f"written to {IMAGES}")


if __name__ == "__main__":
    main(sys.argv[1:])
