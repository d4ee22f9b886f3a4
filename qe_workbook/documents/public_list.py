"""The public list (公告名单) for the announcement (方案三(三) “向社会公告”): each unit and its grade, by rank.

Only the unit's full name and its grade go out; a grade from incomplete data reads “（暂定）”.
"""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

from ..outputs.export import write_csv
from ..rubric import Rubric
from ..scoring.score import Results
from .official_docx import DRAFT_STAGE

HEADER = ["被考核单位", "等级"]
XLSX_NAME, CSV_NAME = "公告名单.xlsx", "公告名单.csv"


def public_rows(rubric: Rubric, results: Results) -> list[list[str]]:
    full_names = {u.name: u.full_name for u in rubric.units}
    return [[full_names[u.unit], u.grade_label] for u in results.by_rank()]


def write_public_list(folder: Path, rubric: Rubric, results: Results, stage: str = DRAFT_STAGE) -> list[Path]:
    """公告名单.xlsx and 公告名单.csv (UTF-8 with BOM) in `folder`."""
    rows = public_rows(rubric, results)
    xlsx = folder / XLSX_NAME
    wb = xlsxwriter.Workbook(str(xlsx), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})  # fmt: skip
    wb.set_properties({"title": f"{rubric.year}年度政府质量工作考核结果公告名单", "author": rubric.office})
    font = {"font_name": "宋体", "font_size": 12, "border": 1, "valign": "vcenter"}
    head = wb.add_format({**font, "bold": True, "align": "center", "bg_color": "#D9E1F2"})
    text = wb.add_format(font)
    ws = wb.add_worksheet("公告名单")
    for col, title in enumerate(HEADER):
        ws.write_string(0, col, title, head)
    for row, values in enumerate(rows, start=1):
        for col, value in enumerate(values):
            ws.write_string(row, col, value, text)
    ws.set_header(f"&R{stage}")
    ws.set_column(0, 0, 32)
    ws.set_column(1, 1, 12)
    wb.close()
    csv = folder / CSV_NAME
    write_csv(csv, HEADER, rows)
    return [xlsx, csv]
