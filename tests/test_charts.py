"""The one chart stack: app charts as data and as files, report charts, Chinese glyphs from the packaged font."""

from __future__ import annotations

import warnings

import pytest
from matplotlib import font_manager
from matplotlib.font_manager import FontProperties
from noto_cjk import otc_path

from model.app.charts import VIEWS, ChartSpec, chart_data, figure_file, vega_lite
from model.presentation.charts import CJK_FONT, Line, cjk_font, line_chart, to_png
from model.results.bands import at_end, bands
from tests.test_outcomes import monthly, result


def test_bars_at_the_end_and_charts_for_both_runs():
    table = at_end(monthly(3, [1, 2, 3], [0, 0, 0]), ["unresolved_share_q1"])
    assert table.iloc[0]["median"] == pytest.approx(0.1)
    spec = ChartSpec("population", ("population", "births"), "year")
    labels = {"population": "常住人口", "births": "出生人口", "setting": "本设置", "baseline": "基准"}
    data = chart_data(spec, result(monthly(2, [1, 2], [0, 10])), result(monthly(2, [1, 1], [0, 0])), labels)
    assert set(data["series"]) == {"本设置", "基准"} and data["x"].iloc[0] == "2025-01-01"
    assert len(data) == 2 * 2 * 2  # two runs, two years, two measures


def test_the_vega_lite_chart_bands_only_the_setting_and_marks_the_policy_start():
    words = {"setting": "本设置", "baseline": "基准", "policy_start": "政策起点", "measure": "指标", "series": "情景",
             "median": "中位数", "low": "5%", "high": "95%"}
    spec = vega_lite(VIEWS["people"][0], "常住人口", "万人", words, "2026-01")
    band, line, rule, _ = spec["layer"]
    assert band["mark"]["type"] == "area" and band["transform"] == [{"filter": {"field": "series", "equal": "本设置"}}]
    assert line["encoding"]["strokeDash"]["field"] == "series"
    assert rule["data"]["values"][0]["x"] == "2026-01-01"


@pytest.mark.parametrize("fmt, magic", [("png", b"\x89PNG"), ("svg", b"<?xml")])
def test_charts_download_as_png_and_svg_with_chinese_glyphs(fmt, magic):
    spec = ChartSpec("population", ("population",))
    labels = {"population": "常住人口", "setting": "本设置", "baseline": "基准"}
    data = chart_data(spec, result(monthly(2, [1, 2], [0, 10])), result(monthly(2, [1, 1], [0, 0])), labels)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        content = figure_file(data, spec, "常住人口", "万人", "阴影:5%–95% 区间", fmt)
    assert content.startswith(magic)
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert not missing, f"no CJK font (install fonts-wqy-microhei): {missing[:1]}"


def test_chinese_is_drawn_with_the_packaged_font_whatever_the_machine_has():
    assert cjk_font() == CJK_FONT
    found = font_manager.fontManager.findfont(FontProperties(family=CJK_FONT), fallback_to_default=False)
    assert found == str(otc_path("sans"))
    frame = bands(monthly(2, [1, 2], [0, 10]), ["population"]).set_index("period")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = to_png(line_chart([Line("常住人口", frame)], "常住人口(万人)", "zh", policy_start="2026-01",
                                policy_label="政策起点", note="阴影:5%–95% 区间"))
    assert png.startswith(b"\x89PNG")
    assert not [str(w.message) for w in caught if "missing from" in str(w.message)]
