"""Filling a generated form as a department would: only the unlocked cells, through openpyxl.

Used by `qe simulate`, the demo and the tests. Protection, validation, the hidden manifest and
the document properties are kept as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter

from .layout import COL_ID, COL_REMARK, COL_SCORE, COL_TEXT, COL_UNIT, DATE_CELL, FIRST_DATA_ROW, FORM_SHEET
from .paper import text_height

Answer = tuple[object, str]  # (what goes in 实际得分, what goes in 评价说明)


def fill_form(
    src: Path,
    dst: Path,
    answers: Mapping[tuple[str, str], Answer | list[Answer]],
    fill_date: date | str | None,
    *,
    sheet: str = FORM_SHEET,
) -> int:
    """Write answers keyed by (unit, item id) into a copy of a form; returns the cells written.

    A checklist's aspects (one row each) take a list of answers, the n-th for the n-th aspect. On a unit's self-score
    table (`sheet` 自评打分表) the key's first part is the area its rows are under."""
    wb = openpyxl.load_workbook(src)
    ws = wb[sheet]
    written = 0
    unit, previous, entry = "", ("", ""), 0
    row = FIRST_DATA_ROW + 1  # openpyxl counts from 1
    while ws.cell(row, COL_ID + 1).value:
        unit = ws.cell(row, COL_UNIT + 1).value or unit
        key = (str(unit), str(ws.cell(row, COL_ID + 1).value))
        entry = entry + 1 if key == previous else 1
        previous = key
        answer = _answer(answers.get(key), entry)
        if answer is not None:
            value, remark = answer
            if value is not None:
                ws.cell(row, COL_SCORE + 1).value = value
                written += 1
            if remark:
                cell = ws.cell(row, COL_REMARK + 1)
                cell.value = remark
                cell.data_type = "s"  # a remark is text, even one that starts with an equals sign
                _grow(ws, row, remark)
        row += 1
    if fill_date is not None:
        ws[DATE_CELL].value = fill_date
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)
    return written


def _answer(given: Answer | list[Answer] | None, entry: int) -> Answer | None:
    """The answer for a row: the n-th of a list for a checklist's n-th aspect."""
    if isinstance(given, list):
        return given[entry - 1] if entry <= len(given) else None
    return given


def _grow(ws: Any, row: int, remark: str) -> None:
    """Make the row tall enough for its remark, as Excel does when a remark is typed in."""
    widths = {col: ws.column_dimensions[get_column_letter(col + 1)].width or 10 for col in (COL_TEXT, COL_REMARK)}
    text = str(ws.cell(row, COL_TEXT + 1).value or "")
    needed = text_height([(remark, widths[COL_REMARK]), (text, widths[COL_TEXT])], min_lines=2)
    dimension = ws.row_dimensions[row]
    dimension.height = max(dimension.height or 0, needed)
