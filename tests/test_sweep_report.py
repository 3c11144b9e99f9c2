"""The report on a sweep store: its manifest filled from what the sweep recorded, the design said in
words, the swept ranges as the spec gives them (not the sampled extremes), indices with their
intervals and warnings, and a design table that stays within the page."""

from __future__ import annotations

import html
import json
import re

import pytest

from model.inputs.scenario import resolve
from model.inputs.versioning import code_version
from model.reports.document import build_report, write_report
from model.reports.text import TEXT
from model.sweeps.runner import open_executor, run_sweep
from model.sweeps.spec import load_spec
from model.sweeps.store import Store
from tests.test_sweep import SHORT_BASE

SPEC = """\
name: tiny_sobol
design: sobol
base: short.yaml
samples: 4
replicates: 2
scale: 0.01
seed: 5
vary:
  stalls.score_threshold: {range: [0, 100]}
  renovation.resident_share: {range: [0.05, 0.55]}
"""


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """A Sobol' sweep of 16 points x 2 replicates run into a store; its export directory."""
    directory = tmp_path_factory.mktemp("sweep")
    (directory / "short.yaml").write_text(SHORT_BASE, encoding="utf-8")
    (directory / "spec.yaml").write_text(SPEC, encoding="utf-8")
    with open_executor(2) as (executor, parallelism):
        run_sweep(load_spec(directory / "spec.yaml"), Store(directory / "store"), executor, parallelism)
    return directory / "store" / "sweeps" / "tiny_sobol"


def manifest_row(document: str, label: str) -> str:
    match = re.search(rf"<tr><th>{re.escape(label)}</th><td>(.*?)</td></tr>", document)
    assert match, label
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1)))


def test_the_manifest_is_filled_from_what_the_sweep_recorded(exported):
    document = build_report(exported, lang="en", calibration_dir=exported)
    t = TEXT["en"]
    base = resolve(str(exported.parents[2] / "short.yaml"), scale=0.01, seed=5)
    assert manifest_row(document, t["scenario_name"]) == "short"
    assert manifest_row(document, t["scenario_hash"]) == base.scenario_hash()
    assert manifest_row(document, t["registry_hash"]) == base.registry_hash
    assert manifest_row(document, t["code_version"]) == code_version()
    assert (manifest_row(document, t["start"]), manifest_row(document, t["end"])) == ("2014-01", "2026-12")
    assert float(manifest_row(document, t["wall_time"])) > 0
    about = json.loads((exported / "summary.json").read_text())
    assert about["packages"]["mesa"] == "3.5.1" and "<tr><td>mesa</td><td><code>3.5.1</code></td></tr>" in document
    for label in ("scenario_name", "files", "scenario_hash", "registry_hash", "seeds", "start", "end", "wall_time"):
        assert manifest_row(document, t[label]) != "–", label


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_design_is_said_in_words_and_the_ranges_are_the_specs(exported, lang):
    document = html.unescape(build_report(exported, lang=lang, calibration_dir=exported))
    words = TEXT[lang]["design_sobol"].format(samples=4, keys=2, points=16, replicates=2, axes="", levels=4)
    assert words in document
    threshold = re.search(r'id="param-stalls.score_threshold".*?</tr>', document, re.S).group(0)
    assert TEXT[lang]["varied"].format(low="0", high="100", n=16) in threshold
    share = re.search(r'id="param-renovation.resident_share".*?</tr>', document, re.S).group(0)
    assert TEXT[lang]["varied"].format(low="0.05", high="0.55", n=16) in share


def test_indices_carry_their_intervals_and_the_warnings(exported):
    document = build_report(exported, lang="en", calibration_dir=exported)
    section = document[document.index('<section id="sensitivity">'):]
    assert "<th>ST ± 95% interval</th>" in section and "<th>S1 ± 95% interval</th>" in section
    assert "_conf" not in section.split("<figure")[0]
    assert 'id="sweep-warnings"' in section and "only 4 base samples (fewer than 64)" in section
    markdown = build_report(exported, fmt="md", lang="en", calibration_dir=exported)
    assert "- only 4 base samples (fewer than 64)" in markdown and "| ST ± 95% interval |" in markdown


def test_the_design_table_scrolls_inside_the_page(exported, browser, tmp_path):
    """Many outcomes make the table wider than the page: it scrolls in its own box; the page does not."""
    path, _ = write_report(exported, tmp_path / "sweep.html", lang="en", calibration_dir=exported)
    page = browser.new_page(viewport={"width": 900, "height": 800})
    page.goto(path.as_uri(), wait_until="load")
    box = page.locator("#design .scroll")
    assert box.evaluate("e => getComputedStyle(e).overflowX") == "auto"
    assert page.evaluate("document.documentElement.scrollWidth") <= 900


def test_the_design_table_sits_in_a_scrolling_box(exported):
    """Without a browser: the design table is inside the box whose CSS scrolls sideways."""
    document = build_report(exported, lang="en", calibration_dir=exported)
    assert re.search(r'<section id="design">.*?<div class="scroll">\s*<table class="wide">', document, re.S)
    assert ".scroll { max-width: 100%; overflow-x: auto; }" in document
