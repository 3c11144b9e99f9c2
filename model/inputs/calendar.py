"""Months as integers: the model's clock counts months, scenarios and the registry write "YYYY-MM"."""

from __future__ import annotations

import re

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str) -> int:
    """'2014-01' -> an absolute month number (year * 12 + month - 1); ValueError if malformed."""
    match = _MONTH.match(str(text))
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"'{text}' is not a month; write YYYY-MM, e.g. 2026-01")
    return int(match.group(1)) * 12 + int(match.group(2)) - 1


def format_month(month: int) -> str:
    """Absolute month number -> 'YYYY-MM'."""
    return f"{month // 12:04d}-{month % 12 + 1:02d}"


def year_of(month: int) -> int:
    return month // 12


def month_of_year(month: int) -> int:
    """1 for January ... 12 for December."""
    return month % 12 + 1


MONTHS_PER_YEAR = 12
