"""The planners' app, driven through Streamlit's AppTest: what a planner sees after each action.

Runs are small (1-2% of the county, two replicates) so that the app answers fast here; AppTest's
3 s default timeout is a hidden timer, so every test sets a generous one explicitly.
"""

from __future__ import annotations

import json
import re
import time

from streamlit.proto.Metric_pb2 import Metric
from streamlit.testing.v1 import AppTest

import model

from model.app.headlines import SHOWN, headline_table, shown_for
from model.app.settings import from_query
from model.inputs.scenario import resolve
from model.app.text import text
from model.presentation.numbers import format_number
from model.results.marks import SCREENING_REPLICATES
from model.results.outcomes import BY_OUTCOME
from model.results.store import read_results
from tests.conftest import ROOT, renewal

CJK = re.compile(r"[\u4e00-\u9fff]")
SMALL = {"scale": "0.02", "replicates": "2"}
TINY = {"scale": "0.01", "replicates": "2"}
VIEWS = ["people", "renovation", "spending", "businesses", "stalls", "disputes", "compounds", "compare", "sources",
         "takeaway", "limitations"]


def open_app(query: dict[str, str]) -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    app.query_params = dict(query)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def act(app: AppTest, widget) -> AppTest:
    widget.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def metric(app: AppTest, outcome: str, lang: str = "zh"):
    label = BY_OUTCOME[outcome].label(lang)
    return next(m for m in app.metric if m.label == label)


def visible_words(app: AppTest) -> list[str]:
    """Every label, title, caption, message and chart title the page shows (not data values)."""
    widgets = [*app.slider, *app.select_slider, *app.selectbox, *app.segmented_control, *app.button,
               *app.number_input, *app.file_uploader, *app.get("download_button")]
    words = [w.label for w in widgets] + [w.help for w in widgets if getattr(w, "help", "")]
    words += [m.label for m in app.metric] + [e.label for e in app.expander]
    words += [e.value for kind in ("title", "subheader", "markdown", "caption", "error", "warning", "info", "success")
              for e in app.get(kind) if "「" not in e.value]  # a citation quotes its Chinese source in both
    words += [json.loads(c.proto.spec).get("title", "") for c in app.get("vega_lite_chart")]
    words += [str(column) for frame in app.dataframe for column in frame.value.columns]
    return [w for w in words if w]


def test_the_first_screen_is_chinese_with_headlines_bands_and_the_baseline_check():
    app = open_app(SMALL)
    assert app.title[0].value == "东胜区城市更新政策模拟"
    baseline = resolve("baseline")
    assert [m.label for m in app.metric] == [o.zh for o in shown_for(baseline.outcomes)]  # its answers first
    assert set(SHOWN) <= set(shown_for(baseline.outcomes))
    assert text("header.what_to_do", "zh") in [m.value for m in app.markdown]
    assert [s.value for s in app.subheader][:1] == [text("header.question", "zh", question=baseline.question["zh"])]
    assert all(CJK.search(m.value) or re.fullmatch(r"[\d,.%]+", m.value) for m in app.metric)
    captions = [c.value for c in app.caption]
    # the band includes parameter draws, and says how narrow two replicates make it (30%: 0.9 x 1/3)
    assert any(c.startswith(text("legend.band", "zh", n=2, coverage="30%")) for c in captions)
    assert text("check.identical_before", "zh", month="2026-01") in captions
    assert len(app.get("vega_lite_chart")) == 2  # population, migration: the first view only


def test_moving_sliders_changes_the_outcomes_they_should():
    app = open_app({**SMALL, "policy_start": "2023-01"})  # from the campaign on, when there is much to renovate
    assert metric(app, "government_spending").delta in ("", None)  # the setting is the baseline
    act(app, app.slider(key="ctl:renovation.resident_share").set_value(40))  # the government pays 40% not 80%
    assert metric(app, "government_spending").delta.startswith("-")
    assert metric(app, "renovated_by_2030").delta.startswith("-")  # poorer compounds cannot raise a 60% share
    act(app, app.slider(key="ctl:renovation.budget").set_value(0))  # and nothing is budgeted
    assert metric(app, "renovated_by_2030").delta.startswith("-")
    assert app.query_params["renovation.budget"] == "0" and app.query_params["renovation.resident_share"] == "0.6"


def test_a_change_the_replicates_disagree_on_reads_within_noise_without_arrow_or_colour():
    query = {**TINY, "policy_start": "2026-01", "stalls.supply": "1000"}
    app = open_app(query)
    settings = from_query(query)
    table = headline_table(model.run(settings.resolve()), model.run(settings.reference_resolved()))
    cases = {"noise": [], "none": [], "finding": []}
    for o in SHOWN:
        row = table.loc[o.name]
        case = "finding" if not row["within_noise"] else "none" if row["change_low"] == row["change_high"] == 0 else "noise"
        cases[case].append(o.name)
    assert all(cases.values()), cases  # this setting shows each case at least once
    arrowless, gray = Metric.MetricDirection.NONE, Metric.MetricColor.GRAY
    for name in cases["noise"]:
        shown = metric(app, name)
        assert shown.delta.endswith("(在随机波动内)") and shown.delta != "(在随机波动内)", shown.delta
        assert (shown.proto.direction, shown.proto.color) == (arrowless, gray), name
    for name in cases["none"]:
        assert metric(app, name).delta == text("metric.no_change", "zh")
        assert (metric(app, name).proto.direction, metric(app, name).proto.color) == (arrowless, gray), name
    for name in cases["finding"]:
        assert "随机波动" not in metric(app, name).delta and metric(app, name).proto.direction != arrowless, name


def test_a_preset_asks_its_question_and_shows_the_numbers_that_answer_it_first():
    app = open_app({**TINY, "preset": "residents_pay_30"})
    preset = resolve("residents_pay_30")
    labels = [m.label for m in app.metric]
    assert labels[:len(preset.outcomes)] == [BY_OUTCOME[name].zh for name in preset.outcomes]
    assert len(labels) == len(set(labels))  # an answer also on the overview is shown once
    assert text("header.question", "zh", question=preset.question["zh"]) in [s.value for s in app.subheader]
    assert text("header.answers", "zh", n=len(preset.outcomes)) in [c.value for c in app.caption]
    act(app, app.segmented_control(key="lang").set_value("en"))
    assert [m.label for m in app.metric][:len(preset.outcomes)] == [BY_OUTCOME[n].en for n in preset.outcomes]
    assert text("header.question", "en", question=preset.question["en"]) in [s.value for s in app.subheader]


def test_before_the_policy_start_every_series_equals_the_baseline():
    app = open_app({**TINY, "policy_start": "2024-01", "stalls.supply": "3000", "economy.crash_depth": "0.4"})
    captions = [c.value for c in app.caption]
    assert text("check.identical_before", "zh", month="2024-01") in captions
    assert all(w.value.startswith("财政提示") for w in app.warning)  # a deeper crash may strain the budget, nothing else
    assert metric(app, "stall_occupancy_end").delta not in ("", None)  # after it, the setting differs


def test_the_language_switch_changes_every_label_in_every_view():
    app = open_app(TINY)
    for view in VIEWS:
        act(app, app.segmented_control(key="view").set_value(view))
        # Chinese mode alone names the fit table's targets in Chinese, so it keeps their names in a column of their own
        chinese = [w for w in visible_words(app) if w != text("fit.key", "zh")]
        act(app, app.segmented_control(key="lang").set_value("en"))
        english = visible_words(app)
        assert len(english) == len(chinese) > 5, view
        assert not [w for w in english if CJK.search(w)], view
        assert not set(english) & set(chinese) - {"%"}, view
        assert sum(bool(CJK.search(w)) for w in chinese) > 0.8 * len(chinese), view
        act(app, app.segmented_control(key="lang").set_value("zh"))


def test_a_link_restores_its_settings_and_the_address_follows_the_controls():
    query = {**TINY, "preset": "residents_pay_30", "policy_start": "2027-01", "stalls.supply": "1500"}
    app = open_app(query)
    assert app.selectbox(key="preset").value == "residents_pay_30"
    assert app.select_slider(key="policy_start").value == "2027-01"
    assert app.slider(key="ctl:stalls.supply").value == 1500
    assert app.slider(key="ctl:renovation.resident_share").value == 70  # the preset's 30% residents' share
    assert app.query_params == query
    act(app, app.slider(key="ctl:talent.housing_units").set_value(500))
    assert app.query_params == {**query, "talent.housing_units": "500"}


def test_a_bad_link_or_file_gives_one_clear_message_and_no_traceback():
    app = open_app({**TINY, "renovation.resident_share": "2", "stalls.supply": "1500"})
    assert len(app.error) == 1 and len(app.code) == 1
    assert app.code[0].value == "link: renovation.resident_share: 2 is not allowed; allowed: a number from 0 to 0.6"
    assert app.slider(key="ctl:stalls.supply").value == 1500  # the rest of the link is restored
    assert app.slider(key="ctl:renovation.resident_share").value == 80
    upload = app.file_uploader(key="upload")
    act(app, upload.set_value(("mine.yaml", b"extends: ../../calibration/parameters.yaml\n", "application/x-yaml")))
    assert len(app.error) == 1 and app.code[0].value.startswith("mine.yaml: extends")
    act(app, app.file_uploader(key="upload").set_value(("mine.yaml", b"levers: [1, 2\n", "application/x-yaml")))
    assert "malformed YAML" in app.code[0].value
    assert app.session_state["settings"].changes == {"stalls.supply": 1500}  # unchanged by the bad files


HOSTILE_LINK = {"stalls.supply": "inf", "renovation.budget": "nan", "talent.housing_units": "-inf",
                "scale": "1e-7", "replicates": "1000", "seed": "-1",
                "[click me](https://example.com/x)": "![img](https://example.com/i.png) :link: <b>`x`</b>"}


def test_a_hostile_link_runs_the_defaults_and_says_why_in_plain_text():
    """Each bad value is dropped with a message naming it and its range; what came from the link is shown
    as plain text (a code block), never as Markdown; the page runs with the defaults."""
    app = open_app(HOSTILE_LINK)
    assert len(app.error) == len(HOSTILE_LINK)
    shown = {code.value.split(": ")[1]: code.value for code in app.code if code.value.startswith("link: ")}
    assert shown.keys() == HOSTILE_LINK.keys()
    assert shown["stalls.supply"] == "link: stalls.supply: inf is not allowed; allowed: a whole number from 0 to 5,000"
    assert shown["scale"].endswith("1e-7 is not allowed; allowed: a number from 0.01 to 0.25")
    assert shown["replicates"].endswith("1000 is not allowed; allowed: a whole number from 1 to 32")
    assert "[click me](https://example.com/x): unknown setting" in shown["[click me](https://example.com/x)"]
    boxes = [e.value for kind in ("error", "warning", "success", "info", "markdown", "caption") for e in app.get(kind)]
    assert not [box for box in boxes if "example.com" in box or ":link:" in box or "<b>" in box]
    settings = app.session_state["settings"]
    assert (settings.scale, settings.replicates, settings.changes) == (0.05, 4, {})
    assert app.select_slider(key="run:scale").value == 0.05 and app.slider(key="run:replicates").value == 4
    assert app.metric  # the page ran


def test_an_uploaded_scenario_sets_the_controls():
    app = open_app(TINY)
    content = b"extends: stalls_double_lenient\nlevers: {stalls.ban_months: 6}\nscale: 0.01\nreplicates: 2\n"
    act(app, app.file_uploader(key="upload").set_value(("lenient.yaml", content, "application/x-yaml")))
    assert app.success and app.selectbox(key="preset").value == "stalls_double_lenient"
    assert app.slider(key="ctl:stalls.ban_months").value == 6 and app.slider(key="ctl:stalls.supply").value == 1680


def test_kept_settings_sit_side_by_side():
    app = open_app(TINY)
    keep = text("sidebar.keep", "zh")
    act(app, next(b for b in app.button if b.label == keep).click())
    act(app, app.slider(key="ctl:stalls.supply").set_value(2000))
    act(app, next(b for b in app.button if b.label == keep).click())
    act(app, app.segmented_control(key="view").set_value("compare"))
    table = app.dataframe[0].value
    assert len(table.columns) == 3 and len(table) == len(shown_for(resolve("baseline").outcomes))  # current, two kept
    assert table.iloc[:, 0].tolist() == table.iloc[:, 2].tolist() != table.iloc[:, 1].tolist()
    # paired, as `renewal compare` computes it: the current setting against each kept one, in plain words
    title = text("compare.paired_title", "zh")
    paired = next(m.value for m in app.markdown if m.value == f"**{title}**")
    lines = app.markdown[[m.value for m in app.markdown].index(paired) + 1].value.splitlines()
    current, first, second = (text(k, "zh", i=i) for k, i in (("compare.current", 0), ("compare.kept", 1),
                                                               ("compare.kept", 2)))
    assert len(lines) == 2 * len(shown_for(resolve("baseline").outcomes))
    same = text("compare.no_difference", "zh", a=current, b=second)
    assert sum(line.endswith(same) for line in lines) == len(lines) // 2  # kept 2 is the current setting
    stalls = next(line for line in lines if line.startswith(f"- {BY_OUTCOME['stall_occupancy_end'].zh}") and first in line)
    assert text("compare.no_direction", "zh") in stalls
    assert any(re.search(rf"{current} 优于 {first} 的抽样占 \d+%", line) for line in lines)


def test_the_saved_yaml_runs_with_renewal_run_and_gives_the_apps_numbers(tmp_path):
    app = open_app({**TINY, "stalls.supply": "1500", "economy.second_shock_depth": "0.2"})
    shown = metric(app, "population_end").value
    act(app, app.segmented_control(key="view").set_value("takeaway"))
    assert [d.label for d in app.get("download_button")][0] == text("download.yaml", "zh")
    saved = tmp_path / "saved.yaml"
    saved.write_text(app.code[0].value, encoding="utf-8")  # the text the download button serves
    done = renewal("run", str(saved), "--quiet", "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    monthly, _, _ = read_results(tmp_path / "out")
    population = monthly[monthly["month"] == monthly["month"].max()]["population"].median()
    assert format_number(population, "zh") == shown


def test_a_coal_shock_shows_against_the_baseline_itself_not_in_its_own_world():
    app = open_app({**SMALL, "preset": "second_coal_shock_2027"})
    assert metric(app, "population_end").delta in ("", None)  # same world, same levers: nothing to compare
    act(app, app.radio(key="compare").set_value("baseline_world"))
    departures = metric(app, "departures")  # the preset's answer, shown first
    assert departures.delta.startswith("+") and "随机波动" not in departures.delta  # the shock drives people out
    assert text("check.identical_before", "zh", month="2026-01") in [c.value for c in app.caption]  # it hits in 2027
    assert app.query_params["compare"] == "baseline_world"


def test_unchanged_settings_come_from_the_cache_and_a_lever_reruns_only_the_setting(monkeypatch):
    from model.results import marks, run as run_module

    runs, screenings = [], []
    real_run = run_module.run

    def counted(scenario, **kw):
        (screenings if scenario.replicates == SCREENING_REPLICATES else runs).append(scenario.name)
        return real_run(scenario, **kw)

    monkeypatch.setattr(run_module, "run", counted)  # what the app's cached_run and cached_screening call
    monkeypatch.setattr(marks, "run", counted)
    app = open_app({**TINY, "seed": "424242"})  # a seed no other test uses: nothing cached yet
    assert len(runs) == 1  # the setting is the baseline: one run serves both
    assert screenings == ["baseline"]  # the preset, screened once for its assumption marks
    act(app, app.slider(key="ctl:stalls.supply").set_value(1200))  # a lever: the baseline is unchanged
    assert len(runs) == 2
    app.run()
    assert len(runs) == 2  # nothing changed: everything from the cache
    act(app, app.slider(key="ctl:economy.second_shock_depth").set_value(20))  # the world changes: both rerun
    assert len(runs) == 4
    assert len(screenings) == 1  # the preset's screening serves every setting of it


def test_the_assumption_marks_come_from_the_presets_screening_and_name_the_assumptions():
    """At the default scale, with two replicates for the setting itself: the marks are the screening's
    (32 replicates of the preset, computed here independently), not the two replicates'."""
    import model
    from model.app.settings import APP_WORKERS, Settings
    from model.inputs.registry import load_registry
    from model.results.marks import screen, screening

    app = open_app({"replicates": "2"})
    screened = model.run(screening(Settings(replicates=2).preset_resolved()), workers=APP_WORKERS)
    expected = screen(screened.monthly, screened.manifest, shown_for(resolve("baseline").outcomes))
    marked = expected[expected["depends_on_assumptions"]]
    captions = [c.value for c in app.caption]
    assert text("mark.screening", "zh", n=SCREENING_REPLICATES, preset=text("preset.baseline", "zh"),
                count=len(marked)) in captions
    registry = load_registry()
    for keys in marked["main_assumptions"]:
        names = text("list.separator", "zh").join(registry[k].label.zh for k in keys)
        assert any(c.startswith("⚠ 主要取决于模型假设") and c.endswith(names) for c in captions), names
    assert sum(c.startswith("⚠ 主要取决于模型假设") for c in captions) == len(marked)


def test_the_sources_show_the_calibration_when_it_exists_and_say_so_when_not(tmp_path, monkeypatch):
    from model.inputs.counties import County

    monkeypatch.setattr(County, "calibration_dir", property(lambda county: tmp_path))
    app = open_app(TINY)
    act(app, app.segmented_control(key="view").set_value("sources"))
    assert text("sources.not_calibrated", "zh") in [i.value for i in app.info]
    (tmp_path / "calibration.json").write_text(json.dumps({"id": "cal-test", "date": "2026-11-21", "method": "SMM"}))
    (tmp_path / "fit_table.csv").write_text(
        "target,figure,role,measure,compare,period,observed,band_low,band_high,simulated_median,simulated_p5,"
        "simulated_p95,error,share_in_band\n"
        "population_2015,dongsheng_pop_2015,fit,population,year_end,2015,570000,555000,585000,571000,565000,"
        "577000,0.0018,0.95\n")
    (tmp_path / "identification.csv").write_text("target,migration.crash_leave_effect\npopulation_2015,-0.8\n")
    app.run()
    assert not app.info
    table = app.dataframe[-1].value  # the fit table, after the registry, its headings in Chinese
    assert table[text("fit.target", "zh")].tolist() == ["2015年末人口"]  # Dongsheng's target, named in Chinese
    assert table[text("fit.measure", "zh")].tolist() == ["常住人口"] and table.columns[-1] == text("fit.key", "zh")
    assert table[text("fit.key", "zh")].tolist() == ["population_2015"]
    assert table[text("fit.role", "zh")].tolist() == [text("fit.role.fit", "zh")]
    assert any("cal-test" in c.value for c in app.caption)


def test_a_budget_beyond_what_revenue_carries_is_flagged_and_the_baseline_is_not():
    assert not [w for w in open_app(TINY).warning if w.value.startswith("财政提示")]
    app = open_app({**TINY, "renovation.budget": "1500000000"})
    strained = [w.value for w in app.warning if w.value.startswith("财政提示")]
    assert len(strained) == 1 and "2026" in strained[0]


def test_the_renovation_view_says_what_held_the_programme_back_each_year():
    """Why a lever can change nothing: the binding constraint per year from the policy start, for the setting
    and the baseline, in the reader's language."""
    app = open_app(SMALL)
    act(app, app.segmented_control(key="view").set_value("renovation"))
    assert text("binding.title", "zh") in [h.value for h in app.subheader]
    table = next(frame.value for frame in app.dataframe if list(frame.value.columns) == ["本设置", "基准"])
    assert table.index.tolist() == list(range(2026, 2036))
    labels = {text(f"binding.{name}", "zh") for name in ("budget", "plan", "residents", "nothing", "none")}
    cells = [cell for column in table.columns for cell in table[column]]
    assert all(re.fullmatch(r"(.+) \((\d+)%\)", cell) and cell.split(" (")[0] in labels for cell in cells), cells
    # the left-behind bars have whiskers and a light baseline, not the lines' shading and dashes, and say so
    captions = [c.value for c in app.caption]
    assert text("legend.bars", "zh", n=2) in captions and text("legend.short", "zh", n=2) in captions


def test_background_replicates_sharpen_the_answer_and_the_page_says_how_far(monkeypatch):
    """While the reader stays, replicates 3, 4, ... of the setting and its baseline run in the background; the
    page redraws with 8 once they are in, says so, and the saved scenario asks for as many as are shown."""
    monkeypatch.setenv("RENEWAL_SHARPEN", "1")
    app = open_app(TINY)  # 2 replicates
    assert any(text("sharpen.running", "zh").split(":")[0] in c.value for c in app.caption)
    waited = 0
    while app.session_state["shown_replicates"] < 8 and waited < 600:
        time.sleep(1)
        waited += 1
        app.run()
        assert not app.exception, [e.value for e in app.exception]
    assert app.session_state["shown_replicates"] == 8
    assert any("8 次重复模拟" in c.value for c in app.caption)
    act(app, app.segmented_control(key="view").set_value("takeaway"))
    assert "replicates: 8" in next(c.value for c in app.code if "extends:" in c.value)
    app.session_state["sharpening"].cancel()
