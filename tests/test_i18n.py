"""Numbers in Chinese use 万 and 亿."""

from model.presentation.numbers import (band_scale, format_count, format_number, format_percent, format_points,
                                        format_yuan, with_sign)


def test_chinese_numbers_use_wan_and_yi():
    assert format_number(580_800, "zh") == "58.1万"
    assert format_number(100_004, "zh") == "10.0万"
    assert format_number(213_000_000, "zh") == "2.1亿"
    assert format_number(4_500, "zh") == "4,500"
    assert format_yuan(600_000_000, "zh") == "6.0亿元"


def test_english_numbers_use_separators_and_millions():
    assert format_number(580_800, "en") == "580,800"
    assert format_yuan(213_000_000, "en") == "213.0 m yuan"
    assert format_percent(0.656) == "65.6%"


def test_a_change_of_a_share_is_in_points_and_never_minus_zero():
    assert format_points(0.047) == "+4.7个百分点" and format_points(-0.047, "en") == "-4.7 pp"
    assert format_points(-0.00001) == "0.0个百分点"


def test_axis_magnitudes_use_wan_and_yi_in_chinese_and_millions_in_english():
    from model.presentation.numbers import magnitude

    assert magnitude(1_070_000, "zh") == (10_000, "万")
    assert magnitude(2.5e8, "zh") == (1e8, "亿")
    assert magnitude(1_070_000, "en") == (1e6, "million")
    assert magnitude(840, "zh") == magnitude(840, "en") == (1.0, "")


def test_a_bands_two_ends_share_one_unit_and_counts_are_whole():
    like = band_scale(5.09e7, 3.1e8)
    assert (format_yuan(5.09e7, "zh", like=like), format_yuan(3.1e8, "zh", like=like)) == ("0.5亿元", "3.1亿元")
    assert format_yuan(5.09e7, "en", like=3.1e9) == "0.05 bn yuan"
    assert format_count(52.52) == "53" and format_count(9_000, like=12_000) == "0.9万"
    assert with_sign("0", -0.4) == "0" and with_sign("3", -2.6) == "-3" and with_sign("1.2万", 12_000) == "+1.2万"
