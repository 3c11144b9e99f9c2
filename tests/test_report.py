"""Reports: every parameter cited, headline numbers equal to the results files, honest bands,
user text escaped, nothing fetched from the network, sweeps list every design point."""

from __future__ import annotations

import html
import io
import json
import re
import zipfile

import numpy as np
import pandas as pd
import pytest

import model
from model.cli import main
from model.inputs.counties import load_county
from model.inputs.registry import load_registry
from model.inputs.units import unit_in
from model.presentation.numbers import format_number, format_percent, format_yuan
from model.reports.document import build_report, report_file, write_report
from model.reports.sections import fit_section, format_headline, parameter_rows, source_rows
from model.reports.text import TEXT
from model.results.marks import MIN_REPLICATES_FOR_MARKS
from model.results.outcomes import OUTCOMES
from model.results.store import write_results
from tests.conftest import edited_registry
from tests.conftest import ROOT, renewal

HOSTILE_NAME = "<script>alert(1)<script>"  # no "/": a name is one folder name (model/inputs/names.py)
HOSTILE_DESCRIPTION = "Residents pay 30% | <img src=x onerror=alert(2)> **not bold** [link](http://example.com)"
# A short history with the 2023-2025 campaign in the policy period, so that renovation flows are not zero.
SCENARIO = {"name": HOSTILE_NAME, "description": HOSTILE_DESCRIPTION, "extends": "baseline",
            "policy_start": "2023-01", "end": "2025-12", "levers": {"renovation.resident_share": 0.3}}
BASELINE = {"name": "baseline", "extends": "baseline", "policy_start": "2023-01", "end": "2025-12"}
SCALE, SEED = 0.01, 5


@pytest.fixture(scope="session")
def runs(tmp_path_factory):
    """A what-if and its baseline (same seeds, two replicates each), written as results directories."""
    root = tmp_path_factory.mktemp("report-runs")
    scenario = write_results(model.run(SCENARIO, scale=SCALE, seed=SEED, replicates=2), root / "scenario")
    baseline = write_results(model.run(BASELINE, scale=SCALE, seed=SEED, replicates=2), root / "baseline")
    return scenario, baseline


@pytest.fixture(scope="session")
def reports(runs, tmp_path_factory):
    """The what-if's report in both languages and both formats (calibration not run yet)."""
    empty_calibration = tmp_path_factory.mktemp("calibration")
    return {(lang, fmt): build_report(runs[0], fmt=fmt, lang=lang, calibration_dir=empty_calibration)
            for lang in ("zh", "en") for fmt in ("html", "md")}


def row_text(document: str, row_id: str) -> str:
    """The visible text of the HTML table row with this id."""
    match = re.search(rf'<tr id="{re.escape(row_id)}">(.*?)</tr>', document, re.S)
    assert match, f"no row {row_id}"
    return html.unescape(re.sub(r"<[^>]+>", " ", match.group(1)))


def independent_headlines(results_dir) -> pd.DataFrame:
    """Headline numbers straight from monthly.parquet, without the model's own helpers."""
    monthly = pd.read_parquet(results_dir / "monthly.parquet")
    period = monthly[(monthly["month"] >= "2023-01") & (monthly["month"] <= "2025-12")]
    last = monthly[monthly["month"] == "2025-12"].set_index("replicate")
    sums = period.groupby("replicate")[["government_renovation_spending_yuan", "compounds_completed"]].sum()
    return pd.DataFrame({"population_end": last["population"], "unresolved_poorest": last["unresolved_share_q1"],
                         "government_spending": sums["government_renovation_spending_yuan"],
                         "renovations_completed": sums["compounds_completed"]})


# ------------------------------------------------------------------------------------ numbers
def test_headline_numbers_equal_those_in_the_results_files(runs, reports):
    truth = independent_headlines(runs[0])
    assert truth["government_spending"].min() > 0 and truth["renovations_completed"].min() > 0
    english, chinese = reports["en", "html"], reports["zh", "html"]
    population = row_text(english, "headline-population_end")
    for value in (truth["population_end"].median(), *np.percentile(truth["population_end"], [5, 95])):
        assert format_number(value, "en") in population
    assert format_number(truth["population_end"].median(), "zh") in row_text(chinese, "headline-population_end")
    assert "万" in format_number(truth["population_end"].median(), "zh")
    assert format_yuan(truth["government_spending"].median(), "en") in row_text(english, "headline-government_spending")
    assert format_yuan(truth["government_spending"].median(), "zh") in row_text(chinese, "headline-government_spending")
    assert format_percent(truth["unresolved_poorest"].median()) in row_text(english, "headline-unresolved_poorest")
    assert f"| {format_number(truth['renovations_completed'].median(), 'en')} |" in reports["en", "md"]


def test_a_comparison_shows_the_changed_lever_and_differences_replicate_by_replicate(runs, tmp_path):
    scenario, baseline = runs
    document = build_report(scenario, baseline=baseline, lang="en", calibration_dir=tmp_path)
    differences = document[document.index('id="differences"'):document.index('id="headlines"')]
    assert "renovation.resident_share" in differences and "0.2" in differences and "2023-01: 0.3" in differences
    assert differences.count("<code>") == 1  # only the lever the scenario sets
    ours, theirs = independent_headlines(scenario), independent_headlines(baseline)
    paired = ours["government_spending"] - theirs["government_spending"]
    row = row_text(document, "headline-government_spending")
    assert format_yuan(theirs["government_spending"].median(), "en") in row
    assert ("+" if paired.median() > 0 else "") + format_yuan(paired.median(), "en") in row
    assert TEXT["en"]["paired"] in document
    assert "<script" not in document.lower()  # the hostile name is also in the charts' legends
    verdicts = set()
    for name in ours.columns:  # a difference whose paired 5-95% band holds zero says so; no other does
        low, high = np.quantile(ours[name] - theirs[name], [0.05, 0.95])
        verdicts.add(bool(low <= 0 <= high))
        assert ("(within noise)" in row_text(document, f"headline-{name}")) == (low <= 0 <= high), name
    assert verdicts == {True, False}  # both cases are checked
    assert "one whose 5-95% band contains zero is marked" in document
    # how sure, as `renewal compare` says it: the share of paired replicates in which the scenario is better
    a, b = (json.loads((r / "manifest.json").read_text(encoding="utf-8"))["scenario"] for r in runs)
    ahead = (ours["population_end"] > theirs["population_end"]) + 0.5 * (ours["population_end"] == theirs["population_end"])
    share = f"{100 * ahead.mean():.0f}%"
    assert f"{a} better than {b} in {share} of replicates" in row_text(document, "headline-population_end")
    assert TEXT["en"]["compare_no_direction"] in row_text(document, "headline-government_spending")


def test_counts_are_whole_numbers_and_a_change_that_rounds_to_nothing_has_no_sign():
    assert format_headline(52.52, "count", "en") == "53" and format_headline(-0.4, "count", "zh", signed=True) == "0"
    assert format_headline(-2.6, "count", "en", signed=True) == "-3"
    assert format_headline(123456.0, "count", "zh") == "12.3万"


def test_a_signed_share_that_rounds_to_zero_has_no_sign():
    assert format_headline(-0.00001, "fraction", "en", signed=True) == "0.0 pp"
    assert format_headline(-0.001, "fraction", "zh", signed=True) == "-0.1个百分点"


def test_bands_say_whether_they_include_parameter_uncertainty(reports, tmp_path):
    assert TEXT["en"]["band_seed"].format(n=2) in html.unescape(reports["en", "html"])
    assert TEXT["en"]["no_draws"] in html.unescape(reports["en", "html"])
    single = model.run(BASELINE, scale=SCALE, seed=SEED, replicates=1)
    assert TEXT["en"]["band_single"] in html.unescape(build_report(single, lang="en", calibration_dir=tmp_path))


def test_a_run_with_parameter_draws_marks_the_outcomes_that_rest_on_assumptions(tmp_path):
    drawn = model.run({"extends": "baseline", "policy_start": "2023-01", "end": "2023-12"}, scale=SCALE, seed=SEED,
                      replicates=MIN_REPLICATES_FOR_MARKS, parameter_draws=True)
    document = html.unescape(build_report(drawn, lang="en", calibration_dir=tmp_path))
    assert TEXT["en"]["band_draws"].format(n=MIN_REPLICATES_FOR_MARKS) in document
    section = document[document.index('id="assumptions"'):document.index('id="calibration"')]
    assert section.count("<tr>") == 1 + len(OUTCOMES)  # a header and one row per headline outcome
    cells = re.findall(r'<td class="num">(\d+)% \((\d+)-(\d+)%\)</td><td class="num">(\d+)%</td>'
                       r'<td class="num">(\d+)%</td>', section)
    assert len(cells) >= 5
    for assumed, low, high, calibrated, other in (map(float, row) for row in cells):
        assert low <= assumed <= high  # the assumed share with its 90% interval
        assert assumed + calibrated + other == pytest.approx(100, abs=1.5)
    # the drawn values are in the appendix as the range each replicate drew from
    key = "migration.amenity_stay_effect"
    values = [d[key] for d in drawn.manifest["parameter_draws"]]
    assert f"drawn per replicate: {min(values):,.10g} to {max(values):,.10g} ({MIN_REPLICATES_FOR_MARKS} replicates" in row_text(
        document, f"param-{key}")


# ------------------------------------------------------------------------------------ citations
def test_every_parameter_in_the_run_appears_in_the_appendix_with_its_citation(runs, reports):
    registry = load_registry()
    manifest = json.loads((runs[0] / "manifest.json").read_text(encoding="utf-8"))
    keys = manifest["resolved"]["parameters"]
    assert len(keys) == len(registry.parameters) > 100
    for lang in ("zh", "en"):
        document = reports[lang, "html"]
        for key in keys:
            row = row_text(document, f"param-{key}")
            param = registry[key]
            assert getattr(param.label, lang) in row
            assert TEXT[lang][f"status_{param.status}"] in row
            for cited in registry.citation(key):
                source = cited["source_doc"]
                outlet = source.get("outlet_zh", source["outlet"]) if lang == "zh" else source["outlet_en"]
                date = source.get("date_zh", source["date"]) if lang == "zh" else source["date"]
                for part in (outlet, date, cited["quote_zh"], cited["en"]):
                    assert part in row, (key, part)
            if param.status == "assumed":
                assert param.reason_in(lang) in row
    lever = row_text(reports["en", "html"], "param-renovation.resident_share")
    assert "from the start: 0.2; from 2023-01: 0.3" in lever
    markdown = reports["zh", "md"]
    assert all(f"`{key}`" in markdown for key in keys)
    assert "号外网" in markdown and "Haowai.net" not in markdown and "Haowai.net" in reports["en", "md"]


def test_a_calibrated_parameter_shows_its_interval_and_fit_and_a_changed_registry_is_flagged(runs, tmp_path,
                                                                                              monkeypatch):
    unchanged = html.unescape(build_report(runs[0], lang="en", calibration_dir=tmp_path))
    assert TEXT["en"]["registry_changed"].split("(")[0] not in unchanged
    county, _ = edited_registry(tmp_path, "businesses.formal_share_start", lambda entry: entry.update(
        value=0.5, calibration={"method": "simulated method of moments", "targets": ["market_entities_2023"],
                                "interval": [0.45, 0.55], "loss": 0.42, "date": "2026-11-01",
                                "interval_meaning": "values whose simulated targets all stay inside their bands",
                                "method_zh": "模拟矩估计", "interval_meaning_zh": "模拟目标均落在容许区间内的取值",
                                "artefact": "calibration/calibration.json"}))
    calibrated = load_registry(county)
    document = build_report(runs[0], lang="en", calibration_dir=tmp_path, county=county)
    row = row_text(document, "param-businesses.formal_share_start")
    for text in ("calibrated", "calibration interval [0.45, 0.55]", "values whose simulated targets all stay",
                 "simulated method of moments", "market_entities_2023", "calibration/calibration.json"):
        assert text in row
    manifest = json.loads((runs[0] / "manifest.json").read_text(encoding="utf-8"))
    changed = TEXT["en"]["registry_changed"].format(run=manifest["registry_hash"], now=calibrated.hash)
    assert changed in html.unescape(document)


def test_the_appendix_carries_the_run_manifest_and_the_model_structure(runs, reports):
    manifest = json.loads((runs[0] / "manifest.json").read_text(encoding="utf-8"))
    document = reports["en", "html"]
    appendix = document[document.index('id="appendix"'):]
    for value in (*manifest["run_hashes"], manifest["registry_hash"], manifest["code_version"],
                  *(str(s) for s in manifest["seeds"]), *manifest["packages"].values()):
        assert value in appendix
    assert "docs/ODD.md" in appendix and 'id="chart-loop"' in appendix


def test_the_calibration_fit_table_is_shown_by_role_or_said_to_be_missing(runs, reports, tmp_path):
    assert "Calibration not run yet" in reports["en", "html"] and "尚未运行校准" in reports["zh", "html"]
    results = tmp_path / "calibration"
    results.mkdir(parents=True)
    pd.DataFrame([
        {"target": "population_2015", "figure": "dongsheng_pop_2015", "role": "fit", "measure": "population",
         "compare": "year_end", "period": "2015", "observed": 570000, "band_low": 558600, "band_high": 581400,
         "simulated_median": 575321, "simulated_p5": 570100, "simulated_p95": 580200, "error": 0.00933,
         "share_in_band": 0.97},
        {"target": "enterprises_2023", "figure": "dongsheng_enterprises_2023", "role": "holdout",
         "measure": "enterprises", "compare": "month", "period": "2023-03", "observed": 34921, "band_low": 34223,
         "band_high": 35619, "simulated_median": 31002, "simulated_p5": 30500, "simulated_p95": 31600,
         "error": -0.1122, "share_in_band": 0.0},
        {"target": "stall_share", "figure": "dongsheng_stalls", "role": "check", "measure": "stalls_occupied / stalls",
         "compare": "mean", "period": "2024-01..2024-12", "observed": 0.9, "band_low": 0.8, "band_high": 1.0,
         "simulated_median": 0.97, "simulated_p5": 0.95, "simulated_p95": 0.99, "error": 0.0778, "share_in_band": 1.0},
    ]).to_csv(results / "fit_table.csv", index=False)
    (results / "calibration.json").write_text(json.dumps({"id": "cal-fixture-1", "method": "abc-smc", "date": "2026-11-01",
                                                          "scale": 0.1, "predictive_seeds": list(range(64))}))
    document = html.unescape(build_report(runs[0], lang="en", calibration_dir=tmp_path / "calibration"))
    section = document[document.index('id="calibration"'):document.index('id="appendix"')]
    for text in ("Fit targets", "Holdout targets", "Check targets", "population_2015", "570,000", "575,321",
                 "-11.2%", "97%", "0%", "cal-fixture-1", "abc-smc", "64 replicates"):
        assert text in section
    assert section.index("Fit targets") < section.index("Holdout targets") < section.index("Check targets")
    assert TEXT["en"]["target_key"] not in section  # English names the targets by their names, as before
    for fmt in ("html", "md"):  # Chinese: each target's label, measure and period in Chinese, its name kept
        document = html.unescape(build_report(runs[0], fmt=fmt, lang="zh",
                                              calibration_dir=load_county().calibration_dir))
        start, end = ('id="calibration"', 'id="appendix"') if fmt == "html" else (
            f"## {TEXT['zh']['calibration']}", f"## {TEXT['zh']['appendix']}")
        section = document[document.index(start):document.index(end)]
        for text in (TEXT["zh"]["target_key"], "2022年末常住人口", "population_2022", "常住人口", "2022(年末值)",
                     "个体工商户 / 市场主体", "2022-01 至 2022-12(期间合计)"):
            assert text in section, (fmt, text)
        assert "year_end" not in section and "individual_businesses" not in section


# ------------------------------------------------------------------------------------ safety
def test_user_text_is_escaped_in_html_and_markdown(reports):
    for lang in ("zh", "en"):
        document = reports[lang, "html"]
        assert "&lt;script&gt;alert(1)&lt;script&gt;" in document
        assert "<script" not in document.lower() and "<img" not in document.lower()
        markdown = reports[lang, "md"]
        assert "&lt;script&gt;alert(1)&lt;script&gt;" in markdown and "<script" not in markdown
        assert "&lt;img src=x onerror=alert(2)&gt;" in markdown and "\\*\\*not bold\\*\\*" in markdown
        assert "30% \\| " in markdown  # a pipe in a description cannot break a table


def test_html_is_self_contained(reports):
    for lang in ("zh", "en"):
        document = reports[lang, "html"]
        links = re.findall(r'\b(?:src|href)\s*=\s*["\']([^"\']*)', document, re.I)
        assert links and all(link.startswith(("#", "data:")) for link in links), links
        assert not re.search(r"@import|url\(\s*['\"]?https?:", document)
        assert document.count("<svg") == 5  # four charts and the causal loop, inline


def test_the_same_results_give_the_same_report(runs, tmp_path):
    first = build_report(runs[0], lang="zh", calibration_dir=tmp_path)
    assert build_report(runs[0], lang="zh", calibration_dir=tmp_path) == first


def test_both_languages_have_the_same_words(reports):
    assert TEXT["zh"].keys() == TEXT["en"].keys()
    for key in TEXT["zh"]:
        assert re.findall(r"{(\w+)}", TEXT["zh"][key]) == re.findall(r"{(\w+)}", TEXT["en"][key]), key
    assert "主要结果" in reports["zh", "html"] and "Headline outcomes" in reports["en", "html"]
    assert "主要结果" not in reports["en", "html"]


# ------------------------------------------------------------------------------------ sweeps
@pytest.fixture()
def sweep_dir(tmp_path):
    """A sweep export as `renewal sweep` is to write it: three design points, two outcomes, indices."""
    directory = tmp_path / "sweep"
    directory.mkdir()
    rows = []
    for point, (share, stay) in enumerate([(0.1, 0.2), (0.3, 0.2), (0.3, 0.6)]):
        rows += [{"point": point, "renovation.resident_share": share, "migration.amenity_stay_effect": stay,
                  "outcome": "population_end", "mean": 581000 + 4000 * point, "p5": 575000 + 4000 * point,
                  "p95": 590000 + 4000 * point},
                 {"point": point, "renovation.resident_share": share, "migration.amenity_stay_effect": stay,
                  "outcome": "government_spending", "mean": 8.1e8 - 1e8 * point, "p5": 7.9e8 - 1e8 * point,
                  "p95": 8.3e8 - 1e8 * point}]
    pd.DataFrame(rows).to_csv(directory / "summary.csv", index=False)
    pd.DataFrame([("population_end", "renovation.resident_share", "S1", 0.05),
                  ("population_end", "renovation.resident_share", "ST", 0.08),
                  ("population_end", "migration.amenity_stay_effect", "S1", 0.81),
                  ("population_end", "migration.amenity_stay_effect", "ST", 0.9),
                  ("government_spending", "renovation.resident_share", "S1", 0.7),
                  ("government_spending", "renovation.resident_share", "ST", 0.75)],
                 columns=["outcome", "parameter", "index", "value"]).to_csv(directory / "sensitivity.csv", index=False)
    return directory


def test_a_sweep_report_lists_every_design_point_and_its_indices(sweep_dir, tmp_path):
    summary = pd.read_csv(sweep_dir / "summary.csv")
    for lang in ("zh", "en"):
        document = build_report(sweep_dir, lang=lang, calibration_dir=tmp_path)
        for point, part in summary.groupby("point"):
            row = row_text(document, f"point-{point}")
            population = part[part["outcome"] == "population_end"].iloc[0]
            assert f"{part['renovation.resident_share'].iloc[0]:g}" in row
            assert format_number(population["mean"], lang) in row and format_number(population["p95"], lang) in row
        assert document.count('id="chart-sensitivity_') == 2
        assert "0.81" in document and "0.75" in document
        for key in ("renovation.resident_share", "migration.amenity_stay_effect"):
            assert getattr(load_registry()[key].label, lang) in row_text(document, f"param-{key}")
    markdown = build_report(sweep_dir, fmt="md", lang="en", calibration_dir=tmp_path)
    assert markdown.count("\n| 0 |") + markdown.count("\n| 1 |") + markdown.count("\n| 2 |") == 3


# ------------------------------------------------------------------------------------ files, app, CLI
def test_the_app_download_is_the_html_or_the_markdown_zipped_with_its_charts(runs, tmp_path):
    name, data, mime = report_file(runs[0], lang="en", calibration_dir=tmp_path)
    assert name == "report-_script_alert_1__script_-en.html" and mime == "text/html"
    assert data.decode("utf-8").startswith("<!DOCTYPE html>")
    name, data, mime = report_file(runs[0], fmt="md", lang="zh", calibration_dir=tmp_path)
    assert name.endswith(".zip") and mime == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(data))
    markdown = archive.read(name.replace(".zip", ".md")).decode("utf-8")
    linked = re.findall(r"\]\((charts/[^)]+)\)", markdown)
    assert len(linked) == 5 and all(link in archive.namelist() for link in linked)
    assert {f"charts/{c}.svg" for c in ("population", "renovated", "businesses", "unresolved", "loop")} <= set(archive.namelist())


def test_renewal_report_writes_the_report_and_its_charts(runs, tmp_path):
    done = renewal("report", str(runs[0]), "--baseline", str(runs[1]), "--format", "md", "--lang", "en",
                   "--out", str(tmp_path / "meeting.md"))
    assert done.returncode == 0, done.stderr
    markdown = (tmp_path / "meeting.md").read_text(encoding="utf-8")
    assert "Difference (scenario − baseline)" in markdown
    charts = tmp_path / "meeting_charts"
    for chart in ("population", "renovated", "businesses", "unresolved", "loop"):
        assert f"](meeting_charts/{chart}.png)" in markdown
        assert (charts / f"{chart}.png").read_bytes().startswith(b"\x89PNG")
        assert "<svg" in (charts / f"{chart}.svg").read_text(encoding="utf-8")


def test_renewal_report_says_where_it_wrote_in_the_reports_language(runs, tmp_path, capsys):
    for lang, said in (("zh", "报告已写入"), ("en", "report written to")):
        out = tmp_path / f"report-{lang}.md"
        assert main(["report", str(runs[0]), "--lang", lang, "--format", "md", "--out", str(out)]) == 0
        assert capsys.readouterr().out.startswith(f"{said} {out}"), lang


@pytest.mark.parametrize("args, message", [
    (["report", "no/such/results"], "RESULTS: no/such/results is not a directory of results"),
    (["report", "scenarios"], "RESULTS: scenarios holds neither a run's results"),
    (["report", "RUN", "--baseline", "SWEEP"], "--baseline: the baseline must be a run's results, not a sweep"),
    (["report", "SWEEP", "--baseline", "RUN"], "--baseline: a sweep report compares its own design points"),
    (["report", "RUN", "--lang", "fr"], "--lang: 'fr' is not a report language; allowed: zh, en"),
    (["report", "RUN", "--format", "pdf"], "--format: 'pdf' is not a report format; allowed: html, md"),
    (["report", "RUN", "--out", "DIR"], "--out: DIR is a directory; give a file name"),
])
def test_renewal_report_refuses_bad_input_in_one_line(args, message, runs, sweep_dir, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    named = {"RUN": str(runs[0]), "SWEEP": str(sweep_dir), "DIR": str(tmp_path)}
    assert main([named.get(a, a) for a in args]) == 2
    error = capsys.readouterr().err
    assert error.startswith("error: ") and len(error.splitlines()) == 1
    assert message.replace("DIR", str(tmp_path)) in error


def test_renewal_run_draws_records_the_drawn_values(tmp_path, capsys):
    scenario = tmp_path / "short.yaml"
    scenario.write_text("extends: baseline\nname: short\nend: \"2023-12\"\n", encoding="utf-8")
    assert main(["run", str(scenario), "--draws", "--scale", "0.01", "--replicates", "2", "--quiet",
                 "--out", str(tmp_path / "out")]) == 0
    draws = json.loads((tmp_path / "out" / "manifest.json").read_text())["parameter_draws"]
    assert len(draws) == 2 and draws[0] != draws[1] and "migration.amenity_stay_effect" in draws[0]


# ------------------------------------------------------------------------------------ browser
# Draw two different Chinese characters in the page's font: a missing CJK font draws both as the same box.
CJK_GLYPHS_DIFFER = """() => {
  const canvas = document.createElement("canvas"); canvas.width = 48; canvas.height = 48;
  const pen = canvas.getContext("2d");
  pen.font = "36px " + getComputedStyle(document.body).fontFamily;
  const draw = (text) => { pen.clearRect(0, 0, 48, 48); pen.fillText(text, 4, 40); return canvas.toDataURL(); };
  return draw("东") !== draw("胜");
}"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_report_opens_offline_in_headless_chromium_and_chinese_renders(lang, runs, browser, tmp_path):
    path, _ = write_report(runs[0], tmp_path / f"report-{lang}.html", lang=lang, calibration_dir=tmp_path)
    truth = independent_headlines(runs[0])
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    problems, requests, dialogs = [], [], []
    page.on("console", lambda message: problems.append(message.text) if message.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(path.as_uri(), wait_until="load")
    assert problems == [] and dialogs == [] and requests == [path.as_uri()]
    assert HOSTILE_NAME in page.locator("h1").inner_text()
    charts = page.locator("figure svg")
    assert charts.count() == 5 and all(charts.nth(i).bounding_box()["width"] > 300 for i in range(5))
    population = page.locator("#headline-population_end").inner_text()
    assert format_number(truth["population_end"].median(), lang) in population
    assert page.locator("#headlines h2").inner_text() == TEXT[lang]["headlines"]
    assert page.evaluate(CJK_GLYPHS_DIFFER), "Chinese characters render as boxes: no CJK font"
    page.screenshot(path=str(tmp_path / f"report-{lang}.png"), full_page=True)


def test_a_report_on_a_real_sweep_store_lists_every_design_point(tmp_path):
    from tests.conftest import renewal
    spec = tmp_path / "tiny.yaml"
    spec.write_text("name: tiny\nbase: baseline\ndesign: grid\nreplicates: 1\nscale: 0.01\n"
                    "vary:\n  stalls.score_threshold: {values: [50, 60, 70]}\n", encoding="utf-8")
    done = renewal("sweep", str(spec), "--workers", "1", "--store", str(tmp_path / "store"), "--quiet")
    assert done.returncode == 0, done.stderr
    out = tmp_path / "report.html"
    made = renewal("report", str(tmp_path / "store" / "sweeps" / "tiny"), "--lang", "en", "--out", str(out))
    assert made.returncode == 0, made.stderr
    document = out.read_text(encoding="utf-8")
    points = pd.read_csv(tmp_path / "store" / "sweeps" / "tiny" / "points.csv")
    assert len(points) == 3
    for threshold in (50, 60, 70):
        assert f">{threshold}<" in document


def test_the_chinese_methods_appendix_gives_reasons_units_and_the_calibration_in_chinese():
    """What the zh report's parameter table and calibration section show, without a run: the Chinese reason
    (no English one), the Chinese unit, the interval's meaning and the method in Chinese."""
    registry = load_registry()
    assumed, calibrated = registry["renovation.budget"], registry["migration.crash_leave_effect"]
    values = {"renovation.budget": "x", "migration.crash_leave_effect": "y"}
    for lang in ("zh", "en"):
        rows = {row["key"]: row for row in parameter_rows(values, registry, lang)}
        budget, leave = rows["renovation.budget"], rows["migration.crash_leave_effect"]
        assert budget["reason"] == assumed.reason_in(lang) and budget["unit"] == unit_in(assumed.unit, lang)
        assert calibrated.calibration.interval_meaning_in(lang) in leave["interval"]
        assert leave["calibration"]["method"] == calibrated.calibration.method_in(lang)
    assert budget["reason"] == assumed.reason and budget["unit"] == "yuan per year"  # English
    zh = {row["key"]: row for row in parameter_rows(values, registry, "zh")}
    assert zh["renovation.budget"]["unit"] == "元/年" and assumed.reason not in str(zh)
    assert calibrated.calibration.interval_meaning not in str(zh) and calibrated.calibration.method not in str(zh)
    meta = fit_section("zh", load_county().calibration_dir)["meta"]
    assert calibrated.calibration.method_zh in meta and calibrated.calibration.method not in meta
    assert zh["migration.crash_leave_effect"]["calibration"]["targets"] == ["2015年末人口(population_2015)"]


def test_the_chinese_report_gives_reference_notes_and_source_documents_in_chinese():
    """The notes on how a figure is read and the source list (outlet, title, date, what the source leaves
    unstated, note) in Chinese, without the English asides of sources.yaml; English as before."""
    registry = load_registry()
    values = {key: "x" for key in registry.parameters}
    zh, en = parameter_rows(values, registry, "zh"), parameter_rows(values, registry, "en")
    notes = {c["note"] for row in zh for c in row["citations"] if c["note"]}
    assert "“600余”按约数惯例读作 600 × 1.05。" in notes and len(notes) >= 12
    assert not any(re.search("[A-Za-z]{4}", note.replace("renovation.local_plan_ongoing", "")) for note in notes)
    assert "600余 read by the hedge convention as 600 x 1.05." in {c["note"] for row in en for c in row["citations"]}
    sources = {s["id"]: s for s in source_rows(zh, registry, "zh")}
    assert sources["src000"]["outlet"] == "号外网" and sources["src000"]["unknown"] == "标题、确切日期、作者"
    assert sources["src002"]["note"] == "80/20费用分担、分批规则及整治行动迄今完成情况的出处。"
    for source in sources.values():
        for field in ("outlet", "title", "date", "unknown", "note"):
            assert not re.search("[A-Za-z]{3}", source[field]), (source["id"], field, source[field])
    english = {s["id"]: s for s in source_rows(en, registry, "en")}
    assert english["src000"]["outlet"] == "Haowai.net" and english["src000"]["unknown"] == "title, exact date, author"
    assert english["src002"]["date"].startswith("c. 2024-12 to 2025-01 (inferred")
