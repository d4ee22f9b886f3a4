"""Registers the office keeps in Excel (adjustments, appeals): the rows under their heading row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..problems import Problem, os_error_text, problem


def text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def table_rows(
    path: Path, first_heading: str, unreadable: str
) -> tuple[list[tuple[int, tuple[Any, ...]]], list[Problem]]:
    """The rows below the heading row of the first sheet, each with its row number as Excel shows it.

    An unreadable file or a missing heading is one `unreadable` problem and no rows.
    """
    import openpyxl  # here, not at the top: most runs read no register

    src = str(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        rows = list(wb.worksheets[0].iter_rows(values_only=True))
        wb.close()
    except OSError as exc:
        return [], [problem(unreadable, file=src, reason=os_error_text(exc))]
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        return [], [problem(unreadable, file=src, reason="不是有效的 Excel 工作簿")]
    header = next((n for n, row in enumerate(rows) if row and text(row[0]) == first_heading), None)
    if header is None:
        return [], [problem(unreadable, file=src, reason=f"找不到“{first_heading}”表头")]
    return list(enumerate(rows[header + 1 :], start=header + 2)), []
