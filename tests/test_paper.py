"""Page breaks of a form, as estimated before LibreOffice or Excel prints it (points of sheet height), and rows
that grow as a department types."""

from __future__ import annotations

import inspect
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from qe_workbook.forms.paper import GrowingWorksheet, block_breaks, fewest_pages, page_height

PAGE = page_height(100)


def test_blocks_that_fit_start_a_page_only_when_the_page_is_full() -> None:
    blocks = [(10, PAGE * 0.4), (20, PAGE * 0.4), (30, PAGE * 0.4)]
    assert block_breaks(blocks, top=0, repeated=20, scale=100) == (2, [30])


def test_a_block_taller_than_a_page_counts_every_page_it_runs_onto() -> None:
    blocks = [(10, PAGE * 0.5), (20, PAGE * 1.2)]
    # the tall block starts page 2 and runs onto page 3
    assert block_breaks(blocks, top=0, repeated=20, scale=100) == (3, [20])


def test_a_tall_block_that_may_flow_starts_under_the_block_above() -> None:
    blocks = [(10, PAGE * 0.5), (20, PAGE * 1.2)]
    assert block_breaks(blocks, top=0, repeated=20, scale=100, flow=True) == (2, [])
    # with less than a quarter of the page free, it still starts a new page
    assert block_breaks([(10, PAGE * 0.8), (20, PAGE * 1.2)], top=0, repeated=20, scale=100, flow=True)[1] == [20]


def test_the_scale_is_lowered_only_where_it_saves_a_page() -> None:
    fits_at_90 = [(10, page_height(90) * 0.5), (20, page_height(90) * 0.5 - 1)]
    assert fewest_pages(fits_at_90, top=0, repeated=0, scale=100) == (90, [])
    assert fewest_pages([(10, PAGE * 0.3)], top=0, repeated=0, scale=100) == (100, [])


def sheet_xml(tmp_path: Path, write: Callable[[GrowingWorksheet], None]) -> str:
    wb = xlsxwriter.Workbook(str(tmp_path / "grow.xlsx"))
    ws = wb.add_worksheet("表", worksheet_class=GrowingWorksheet)
    write(ws)
    wb.close()
    with zipfile.ZipFile(tmp_path / "grow.xlsx") as z:
        return z.read("xl/worksheets/sheet1.xml").decode()


def test_a_growing_row_keeps_its_starting_height_without_custom_height(tmp_path: Path) -> None:
    """What the override relies on: xlsxwriter's `_write_row(row, ...)` writes the row's tag, with
    customHeight beside ht; a growing row's tag comes out without it (Excel, WPS and LibreOffice then
    grow the row as a remark is typed in), every other row as xlsxwriter writes it."""
    assert list(inspect.signature(Worksheet._write_row).parameters)[:2] == ["self", "row"]

    def write(ws: GrowingWorksheet) -> None:
        ws.growing_rows.update({1, 3})
        for row in range(4):
            ws.set_row(row, 30)
            ws.write_string(row, 0, f"第{row + 1}行")
        ws.set_row(5, 45)  # an empty growing row is written by the same method
        ws.growing_rows.add(5)

    xml = sheet_xml(tmp_path, write)
    rows = {int(m[1]): m[0] for m in re.finditer(r'<row r="(\d+)"[^>]*>', xml)}
    assert rows[1] == '<row r="1" spans="1:1" ht="30" customHeight="1">'  # as xlsxwriter writes it
    assert rows[2] == '<row r="2" spans="1:1" ht="30">'
    assert rows[3] == '<row r="3" spans="1:1" ht="30" customHeight="1">'
    assert rows[4] == '<row r="4" spans="1:1" ht="30">'
    assert rows[6] == '<row r="6" spans="1:1" ht="45"/>'
    assert xml.count("customHeight") == 2
