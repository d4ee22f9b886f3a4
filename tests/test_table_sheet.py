"""master.xlsx tables as a spreadsheet reads them: values, formats and row heights, in both writing modes."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter

from qe_workbook.feedback.common import common_sheet
from qe_workbook.followup.exemplary import exemplars_sheet
from qe_workbook.intake.collect import collect
from qe_workbook.keys import read_key
from qe_workbook.outputs import master
from qe_workbook.outputs.master import adjusted_sheet, register_sheet, write_master
from qe_workbook.outputs.sheets import Sheets
from qe_workbook.scoring.score import score

from .conftest import ROOT


class Label(StrEnum):
    DONE = "已采用"


HEADER = ["单位", "得分", "名次", "说明", "日期", "否决"]
WIDTHS = [8, 6, 5, 20, 10, 5]
ROWS: list[list[Any]] = [
    ["东区", Fraction(9550, 100), 1, "第一行说明，较长的文字要换行显示才能看全。", date(2022, 12, 5), True],
    ["西区", Decimal("88.5"), 2, "=SUM(A1:A2)", None, False],
    ["南区", 0.5, 3, float("nan"), date(2022, 12, 5), Label.DONE],
    ["北区", Fraction(1, 3), 10**17, "多行\n说明\n第三行", "", 12.25],
    ["只有一格"],
]


def write(path: Path, constant_memory: bool) -> None:
    """A title, a table with row heights, a merged note below it, and a second table without heights."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False, "constant_memory": constant_memory})  # fmt: skip
    s = Sheets(wb)
    ws = s.sheet("表")
    ws.write_string(0, 0, "标题", s.title)
    last = s.table(ws, 2, HEADER, ROWS, WIDTHS)
    ws.merge_range(last + 2, 0, last + 2, 5, "注：说明文字。", s.note)
    s.table(ws, last + 4, HEADER, ROWS[1:2])
    wb.close()


@pytest.mark.parametrize("constant_memory", [False, True])
def test_a_table_reads_back_with_its_values_formats_and_row_heights(tmp_path: Path, constant_memory: bool) -> None:
    write(tmp_path / "t.xlsx", constant_memory)
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")["表"]
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=3, max_row=8)]
    assert values == [
        HEADER,
        ["东区", 95.5, 1, "第一行说明，较长的文字要换行显示才能看全。", datetime(2022, 12, 5), "是"],
        ["西区", 88.5, 2, "=SUM(A1:A2)", None, "否"],  # a formula-like remark stays text
        ["南区", 0.5, 3, None, datetime(2022, 12, 5), "已采用"],
        ["北区", 0.33, 10**17, "多行\n说明\n第三行", "", 12.25],
        ["只有一格", None, None, None, None, None],
    ]
    assert ws.cell(4, 4).data_type == "s" and ws["A1"].value == "标题" and ws["A10"].value == "注：说明文字。"
    formats = [c.number_format for c in ws[4]]
    assert formats == ["General", "0.00", "0", "General", 'yyyy"年"m"月"d"日"', "General"]
    assert ws["C7"].number_format == "0" and ws["B7"].number_format == "0.00"
    assert all(c.border.left.style == "thin" and c.alignment.wrap_text for c in (ws["A4"], ws["D4"], ws["E5"]))
    assert ws["A3"].font.b and ws["A3"].fill.fgColor.rgb == "FFD9E1F2" and ws["A1"].font.name == "黑体"
    # 16 pt a line + 2 pt, in whole pixels (4/3 of a point; xlsxwriter 3.2 on stores pixels, 3.1 points):
    # 名次 wraps in a column of 5 (34 pt), the remark takes 3 lines in a column of 20 (50 pt), the 18 digits
    # of 10**17 take 5 in a column of 5 (82 pt), 只有一格 2 in a column of 8
    pixels = [round((ws.row_dimensions[r].height or 0) * 4 / 3) for r in range(3, 9)]
    assert pixels == [45, 67, 45, 45, 109, 45]
    assert ws.row_dimensions[13].height is None  # the second table was written without widths
    assert [c.value for c in ws[13]] == ["西区", 88.5, 2, "=SUM(A1:A2)", None, "否"]


def master_cells(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    wb = openpyxl.load_workbook(path)
    return {
        ws.title: [
            (c.coordinate, c.value, c.number_format, c.font.b, c.alignment.wrap_text, ws.row_dimensions[c.row].height)
            for row in ws.iter_rows()
            for c in row
        ]
        for ws in wb.worksheets
    }


def test_a_big_run_writes_the_same_master_xlsx_row_by_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qe_workbook.rubric import load_rubric

    rubric = load_rubric(ROOT / "rubric.json").rubric
    key, _ = read_key(ROOT / "samples" / "qe-sample.key")
    assert rubric is not None and key is not None
    collected = collect(ROOT / "samples" / "returned", rubric, key)
    results = score(collected.frame, rubric)
    register = (["单位", "说明"], [["东区", "=异议"], ["西区", "已复核"]])
    extra = [common_sheet(rubric, results), exemplars_sheet(rubric, results), register_sheet(*register),
             adjusted_sheet(*register)]  # fmt: skip
    write_master(tmp_path / "usual.xlsx", rubric, results, collected, collected.problems, extra)
    monkeypatch.setattr(master, "BIG_DETAIL", len(collected.frame) - 1)
    write_master(tmp_path / "big.xlsx", rubric, results, collected, collected.problems, extra)
    with zipfile.ZipFile(tmp_path / "big.xlsx") as z:
        assert b't="inlineStr"' in z.read("xl/worksheets/sheet1.xml")  # written in constant_memory mode
    with zipfile.ZipFile(tmp_path / "usual.xlsx") as z:
        assert b't="inlineStr"' not in z.read("xl/worksheets/sheet1.xml")
    usual, big = master_cells(tmp_path / "usual.xlsx"), master_cells(tmp_path / "big.xlsx")
    assert list(usual) == list(big) and sum(map(len, usual.values())) > 10_000
    assert {"共性问题", "先进典型", "异议登记", "会议调整后"} <= set(usual)
    for name in usual:
        assert usual[name] == big[name], name
