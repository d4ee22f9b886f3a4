"""A 填报日期 after the day the file was received, or after today, cannot be right: it is named with
the fix, the form is not called late on its account, and it never makes a version the latest."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ..dates import chinese_date
from ..forms.layout import DATE_CELL, FORM_SHEET
from ..problems import problem
from .submission import Submission


def mark_future_fill_dates(submissions: Sequence[Submission], today: date) -> None:
    """Each form whose 填报日期 is after its receipt (or, without one, after `today`) gets VALUE_DATE_FUTURE
    in place of VALUE_DATE_LATE."""
    for sub in submissions:
        if sub.fill_date is None:
            continue
        if sub.receipt is not None:
            bound, what, shown = sub.receipt.local_time.date(), "收到该文件的时间", sub.receipt.shown_time()
        else:
            bound, what, shown = today, "今天", chinese_date(today)
        if sub.fill_date <= bound:
            continue
        sub.date_impossible = True
        sub.problems = [p for p in sub.problems if p.code != "VALUE_DATE_LATE"]
        sub.problems.append(problem("VALUE_DATE_FUTURE", file=sub.file, sheet=FORM_SHEET, cell=DATE_CELL,
                                    date=sub.fill_date, what=what, bound=shown))  # fmt: skip
