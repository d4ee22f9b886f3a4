"""A streamed table sheet of master.xlsx holds the same bytes as xlsxwriter writes cell by cell."""

from __future__ import annotations

import zipfile
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter

from qe_workbook.outputs.master import Sheets
from qe_workbook.outputs.table_sheet import TableWorksheet


class Label(StrEnum):
    DONE = "已采用"


HEADER = ["单位", "得分", "名次", "说明", "日期", "否决"]
WIDTHS = [8, 6, 5, 20, 10, 5]
ROWS: list[list[Any]] = [
    ["东区", Fraction(9550, 100), 1, "第一行说明，较长的文字要换行显示才能看全。", date(2022, 12, 5), True],
    ["西区", Decimal("88.5"), 2, "=SUM(A1:A2)", None, False],
    ["南区", 0.5, 3, float("nan"), date(2022, 12, 5), Label.DONE],
    ["北区", Fraction(1, 3), 10**17, "多行\n说明\n第三行", "", 12.25],
    ["长文本", -1.25, 0, "字" * 20000 + "x" * 20000, None, None],
    [],
    ["只有一格"],
]


def write(path: Path, streamed: bool) -> Any:
    """Two tables, a title above and a merged note below, a row height set afterwards; `streamed` writes
    them on a `TableWorksheet`, otherwise on a plain worksheet cell by cell."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})  # fmt: skip
    s = Sheets(wb)
    ws = s.sheet("表")
    if not streamed:
        ws = wb.add_worksheet("逐格")
        ws.activate()
    ws.write_string(0, 0, "标题", s.title)
    last = s.table(ws, 2, HEADER, ROWS, WIDTHS)
    ws.merge_range(last + 2, 0, last + 2, 5, "注：说明文字。", s.note)
    ws.set_row(5, 40)
    last = s.table(ws, last + 20, HEADER, ROWS[:2])
    s.table(ws, last + 3, HEADER, [], WIDTHS)
    wb.close()
    return ws


def parts(path: Path, sheet: str) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in (sheet, "xl/sharedStrings.xml", "xl/styles.xml")}


def test_a_streamed_table_is_written_byte_for_byte_as_xlsxwriter_writes_it(tmp_path: Path) -> None:
    ws = write(tmp_path / "streamed.xlsx", streamed=True)
    assert isinstance(ws, TableWorksheet) and len(ws.rows) == 8  # every row with cells streamed
    write(tmp_path / "plain.xlsx", streamed=False)
    streamed = parts(tmp_path / "streamed.xlsx", "xl/worksheets/sheet1.xml")
    plain = parts(tmp_path / "plain.xlsx", "xl/worksheets/sheet2.xml")
    assert streamed["xl/worksheets/sheet1.xml"] == plain["xl/worksheets/sheet2.xml"]
    assert streamed["xl/sharedStrings.xml"] == plain["xl/sharedStrings.xml"]
    assert streamed["xl/styles.xml"] == plain["xl/styles.xml"]
    assert b'<row r="6" spans="1:6" ht="39.75" customHeight="1">' in streamed["xl/worksheets/sheet1.xml"]  # set later


def test_streamed_rows_come_in_order(tmp_path: Path) -> None:
    wb = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"))
    s = Sheets(wb)
    ws = s.sheet("表")
    assert isinstance(ws, TableWorksheet)
    s.table(ws, 10, HEADER, ROWS[:2])
    with pytest.raises(ValueError, match="in order"):
        s.table(ws, 2, HEADER, ROWS[:2])
    wb.close()
