"""The served app in a real browser: headless Chromium (Debian's, installed by .ci/run) opens it, a
planner moves a slider, a headline changes, a screenshot is kept under the test's folder, and the
downloaded chart and scenario work (the scenario runs with `renewal run` and gives the page's numbers)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.browser import served_app as serve
from model.app.text import text
from model.presentation.numbers import format_number
from model.results.outcomes import BY_OUTCOME
from model.results.store import read_results
from tests.conftest import ROOT, renewal


@pytest.fixture
def served_app(tmp_path):
    with serve(ROOT, tmp_path / "streamlit.log") as address:
        yield address


def test_a_planner_moves_a_slider_sees_the_headline_change_and_takes_the_setting_away(served_app, browser, tmp_path):
    from playwright.sync_api import expect

    spending = BY_OUTCOME["government_spending"].zh
    share = text("label.government_share", "zh")
    page = browser.new_page(viewport={"width": 1500, "height": 1100}, locale="zh-CN", accept_downloads=True)
    page.goto(f"{served_app}/?scale=0.02&replicates=2&policy_start=2023-01", timeout=120_000)
    expect(page.get_by_role("heading", name="东胜区城市更新政策模拟")).to_be_visible(timeout=180_000)
    headline = page.get_by_test_id("stMetric").filter(has_text=spending)
    expect(headline).to_be_visible(timeout=180_000)
    expect(page.get_by_test_id("stAppDeployButton")).to_have_count(0)  # the toolbar is minimal: no Deploy
    before = headline.get_by_test_id("stMetricValue").inner_text()
    thumb = page.get_by_test_id("stSlider").filter(has_text=share).get_by_role("slider")
    thumb.focus()
    thumb.press("Home")  # the government pays 40% instead of 80%
    expect(headline.get_by_test_id("stMetricValue")).not_to_have_text(before, timeout=180_000)
    expect(headline.get_by_test_id("stMetricDelta")).to_contain_text("-", timeout=60_000)
    assert "renovation.resident_share=0.6" in page.url  # the address holds the changed setting
    page.screenshot(path=str(tmp_path / "app.png"), full_page=True)
    population = page.get_by_test_id("stMetric").filter(has_text=BY_OUTCOME["population_end"].zh)
    shown = population.get_by_test_id("stMetricValue").inner_text()

    with page.expect_download(timeout=120_000) as chart:
        page.get_by_role("button", name=text("download.chart", "zh", fmt="PNG")).first.click()
    assert chart.value.suggested_filename.endswith(".png")
    assert (Path(chart.value.path()).read_bytes()).startswith(b"\x89PNG")
    page.get_by_test_id("stButtonGroup").locator("button", has_text=text("tab.takeaway", "zh")).click()
    with page.expect_download(timeout=120_000) as scenario:
        page.get_by_role("button", name=text("download.yaml", "zh")).click()
    scenario.value.save_as(tmp_path / "saved.yaml")
    with page.expect_download(timeout=300_000) as report:
        page.get_by_role("button", name=text("download.report", "zh")).click()
    document = Path(report.value.path()).read_text(encoding="utf-8")
    assert (tmp_path / "app.png").stat().st_size > 50_000
    assert "<!DOCTYPE html>" in document[:200] and "方法附录" in document  # the report of this setting, in Chinese
    done = renewal("run", str(tmp_path / "saved.yaml"), "--quiet", "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    monthly, _, _ = read_results(tmp_path / "out")
    assert format_number(monthly[monthly["month"] == "2035-12"]["population"].median(), "zh") == shown


def test_a_hostile_link_shows_its_text_plainly_and_the_page_runs(served_app, browser):
    """Bad values and Markdown in a link: no traceback, each reason shown literally in a code block, and
    no link, image or emoji made from the link's text."""
    from urllib.parse import urlencode

    from playwright.sync_api import expect

    query = urlencode({"lang": "en", "scale": "1e-7", "replicates": "1000", "stalls.supply": "inf",
                       "[click](https://example.com/x)": "![i](https://example.com/i.png) :link:"})
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{served_app}/?{query}", timeout=120_000)
    expect(page.get_by_test_id("stMetric").first).to_be_visible(timeout=180_000)
    assert page.get_by_test_id("stException").count() == 0
    assert page.get_by_test_id("stAlert").count() >= 4
    codes = page.get_by_test_id("stCode").all_inner_texts()
    assert any("stalls.supply: inf is not allowed; allowed: a whole number from 0 to 5,000" in c for c in codes)
    assert any("link: [click](https://example.com/x): unknown setting" in c for c in codes)
    assert page.locator('a[href*="example.com"], img[src*="example.com"]').count() == 0
    assert "🔗" not in page.locator("body").inner_text()


def test_a_change_within_noise_reads_so_without_an_arrow_and_a_finding_keeps_its_arrow(served_app, browser):
    """More free stalls barely move the population (through amenity and migration): at the app's scale and
    these seeds its paired band holds zero, so the headline reads "在随机波动内", with no arrow; so does every
    other change within noise or "无变化"; a change whose band excludes zero keeps its arrow."""
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1500, "height": 1100}, locale="zh-CN")
    page.goto(f"{served_app}/?replicates=2&stalls.supply=2000", timeout=120_000)
    population = page.get_by_test_id("stMetric").filter(has_text=BY_OUTCOME["population_end"].zh)
    expect(population.get_by_test_id("stMetricDelta")).to_contain_text(text("metric.within_noise", "zh", change=""),
                                                                       timeout=180_000)
    expect(page.get_by_test_id("stMetric").first).to_be_visible()
    noise, unchanged = text("metric.within_noise", "zh", change=""), text("metric.no_change", "zh")
    deltas = [(d.inner_text(), d.locator('[data-testid^="stMetricDeltaIcon"]').count())
              for d in page.get_by_test_id("stMetricDelta").all()]
    quiet = [arrows for words, arrows in deltas if noise in words or words == unchanged]
    findings = [arrows for words, arrows in deltas if words and noise not in words and words != unchanged]
    assert quiet and findings, f"both kinds are needed for the check to check anything: {deltas}"
    assert quiet == [0] * len(quiet)  # no arrow on what is not a finding
    assert findings == [1] * len(findings)  # a finding keeps its arrow
