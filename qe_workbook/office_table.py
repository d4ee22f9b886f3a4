"""Registers the office keeps in Excel (adjustments, appeals): the blank register, and the rows under
its heading row."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from .problems import Problem, os_error_text, problem
from .rubric import Rubric
from .workbooks import mark_output

BASE = {"font_name": "宋体", "font_size": 11, "border": 1, "valign": "vcenter", "text_wrap": True}


@contextmanager
def blank_register(
    path: Path, rubric: Rubric, sheet: str, title: str, how: str, columns: Sequence[str], widths: Sequence[int],
    num_formats: Mapping[int, str] | None = None,
) -> Iterator[Worksheet]:  # fmt: skip
    """An empty register: "title（how）" on top, the column headings below (frozen), bordered wrapping
    columns (`num_formats` by column); the caller adds its drop-down lists. Written on leaving."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})  # fmt: skip
    mark_output(wb, title, rubric.office)
    ws = wb.add_worksheet(sheet)
    ws.merge_range(0, 0, 0, len(columns) - 1, f"{title}（{how}）",
                   wb.add_format({**BASE, "border": 0, "bold": True, "font_size": 14}))  # fmt: skip
    ws.write_row(1, 0, columns, wb.add_format({**BASE, "bold": True, "align": "center", "bg_color": "#D9E1F2"}))
    yield ws
    formats = num_formats or {}
    for col, width in enumerate(widths):
        ws.set_column(
            col, col, width, wb.add_format({**BASE, **({"num_format": formats[col]} if col in formats else {})})
        )
    ws.freeze_panes(2, 0)
    wb.close()


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
