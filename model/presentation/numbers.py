"""Numbers as planners read them: Chinese with 万 and 亿, English with thousands separators.

Shared by everything that shows numbers to people (CLI tables, the app, reports).
"""

from __future__ import annotations

import math

LANGUAGES = ("zh", "en")
WAN, YI = 10_000, 100_000_000
# Units of things counted one by one (model/simulation/measures.py): written as whole numbers, never "52.52"
COUNT_UNITS = frozenset({"blocks", "compounds", "disputes", "entities", "households", "items", "persons", "stalls",
                         "vendors"})


def format_number(value: float, lang: str = "zh", digits: int = 1, like: float | None = None) -> str:
    """12345678 -> '1234.6万' (zh) or '12,345,678' (en); 2.5e8 -> '2.5亿'; small numbers keep decimals.
    `like`: write the value in the unit this other value takes (the two ends of a band share one unit)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    magnitude = abs(value if like is None else like)
    if lang == "zh":
        if magnitude >= YI:
            return f"{value / YI:,.{digits}f}亿"
        if magnitude >= WAN:
            return f"{value / WAN:,.{digits}f}万"
    if magnitude >= 100 or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.{digits + 1}f}"


def format_count(value: float, lang: str = "zh", like: float | None = None) -> str:
    """A count (people, compounds, disputes): a whole number, with 万 and 亿 in Chinese (`like` as in
    format_number). A simulated count is scaled up from a sample of the county, so its decimals are not
    information."""
    if max(abs(value), abs(like or 0)) < WAN:
        return format_number(float(round(value)), lang)
    return format_number(value, lang, like=like)


def with_sign(shown: str, value: float) -> str:
    """A change written from its absolute value (`shown`), with "+" or "-"; none when it rounds to zero,
    so that a change is never "-0.0" or "+0"."""
    if not any(digit in shown for digit in "123456789"):
        return shown
    return ("+" if value > 0 else "-" if value < 0 else "") + shown


def format_yuan(value: float, lang: str = "zh", like: float | None = None) -> str:
    """Money: '1.2亿元' / '120 m yuan'; `like` as in format_number (a band's ends in one unit)."""
    if lang == "zh":
        return f"{format_number(value, 'zh', like=like)}元"
    magnitude = abs(value if like is None else like)
    if magnitude >= 1e9:
        return f"{value / 1e9:,.2f} bn yuan"
    if magnitude >= 1e6:
        return f"{value / 1e6:,.1f} m yuan"
    return f"{value:,.0f} yuan"


def band_scale(low: float, high: float) -> float:
    """The value whose unit both ends of a band take (the larger in size)."""
    return max(abs(low), abs(high))


def format_percent(value: float, lang: str = "zh", digits: int = 1) -> str:
    return f"{100 * value:.{digits}f}%"


def format_points(value: float, lang: str = "zh") -> str:
    """A change of a share, signed, in percentage points (a share going from 30% to 35% rose by 5 points,
    not by 5%); never "-0.0"."""
    shown = f"{100 * value:+.1f}"
    return ("0.0" if float(shown) == 0 else shown) + ("个百分点" if lang == "zh" else " pp")


def format_share_interval(share: float, low: float, high: float, lang: str = "zh") -> str:
    """A share with its 90% interval, in whole percent: '72%(58%–86%)' / '72% (58-86%)'."""
    if lang == "zh":
        return f"{100 * share:.0f}%({100 * low:.0f}%–{100 * high:.0f}%)"
    return f"{100 * share:.0f}% ({100 * low:.0f}-{100 * high:.0f}%)"


def format_exact(value: float, lang: str = "zh") -> str:
    """A parameter value in full (a citation must not round it): 654000 -> '65.4万' / '654,000'; 0.025 stays."""
    magnitude = abs(value)
    if lang == "zh" and magnitude >= WAN:
        unit, name = (YI, "亿") if magnitude >= YI else (WAN, "万")
        return f"{value / unit:,.10g}{name}"
    return f"{value:,.10g}"


def magnitude(value: float, lang: str = "zh") -> tuple[float, str]:
    """A divisor and its word for an axis: 1.07e6 -> (1e4, '万') in Chinese, (1e6, 'million') in English."""
    steps = ((YI, "亿"), (WAN, "万")) if lang == "zh" else ((1e9, "billion"), (1e6, "million"), (1e3, "thousand"))
    for divisor, word in steps:
        if abs(value) >= divisor:
            return divisor, word
    return 1.0, ""
