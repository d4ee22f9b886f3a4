"""Dates as a reader writes them: 2023年4月30日 (no leading zero in month or day)."""

from __future__ import annotations

from datetime import date


def chinese_date(day: date) -> str:
    """The 成文日期 form, used wherever a user reads a date: 2023年5月8日."""
    return f"{day.year}年{day.month}月{day.day}日"
