"""The public list (公告名单) for the announcement (方案三(三) “向社会公告”): each unit and its grade.

Grades go from the best down; within a grade the units stand as in the 通报 (`grade_groups`): in the rubric's
administrative order, so the list does not reveal a ranking, or by score when scores are published. Only the unit's full name and its grade
go out (and its total when the rubric's `disclosure.public_shows` is scores); a grade from incomplete
data reads “（暂定）”.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import xlsxwriter

from ..amounts import fmt2
from ..choices import DRAFT_STAGE
from ..dates import chinese_date
from ..forms.paper import page_setup
from ..outputs.export import write_csv
from ..rubric import PublicShows, Rubric
from ..scoring.score import Results
from ..workbooks import mark_output
from .notice_docx import grade_groups

HEADER = ["被考核单位", "等级"]
SCORE_HEADER = ["被考核单位", "总分", "等级"]
XLSX_NAME, CSV_NAME = "公告名单.xlsx", "公告名单.csv"


def shows_scores(rubric: Rubric) -> bool:
    return rubric.disclosure.public_shows is PublicShows.SCORES


def public_header(rubric: Rubric) -> list[str]:
    return SCORE_HEADER if shows_scores(rubric) else HEADER


def public_rows(rubric: Rubric, results: Results) -> list[list[str]]:
    """(full name, [total,] grade) by grade, in the 通报's order of units within a grade."""
    full_names = {u.name: u.full_name for u in rubric.units}
    units = [u for _, grade in grade_groups(rubric, results) for u in grade]
    if shows_scores(rubric):
        return [[full_names[u.unit], fmt2(u.total), u.grade_label] for u in units]
    return [[full_names[u.unit], u.grade_label] for u in units]


def public_title(rubric: Rubric) -> str:
    return f"{rubric.city}{rubric.year}年度政府质量工作考核结果"


def write_public_list(
    folder: Path, rubric: Rubric, results: Results, issued: date, stage: str = DRAFT_STAGE
) -> list[Path]:
    """公告名单.xlsx (titled; the office and the date under the table; printable) and 公告名单.csv (UTF-8 with BOM, the table only) in `folder`."""
    rows, header = public_rows(rubric, results), public_header(rubric)
    last_col = len(header) - 1
    xlsx = folder / XLSX_NAME
    wb = xlsxwriter.Workbook(str(xlsx), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})  # fmt: skip
    mark_output(wb, f"{public_title(rubric)}公告名单", rubric.office)
    font = {"font_name": "宋体", "font_size": 12, "border": 1, "valign": "vcenter"}
    title = wb.add_format({"font_name": "黑体", "font_size": 16, "bold": True, "align": "center", "valign": "vcenter"})
    dated = wb.add_format({"font_name": "宋体", "font_size": 12, "align": "right", "valign": "vcenter"})
    head = wb.add_format({**font, "bold": True, "align": "center", "bg_color": "#D9E1F2"})
    text = wb.add_format({**font, "indent": 1})
    grade = wb.add_format({**font, "align": "center"})
    ws = wb.add_worksheet("公告名单")
    ws.set_row(0, 40)
    ws.merge_range(0, 0, 0, last_col, public_title(rubric), title)
    ws.set_row(1, 22)
    for col, heading in enumerate(header):
        ws.write_string(1, col, heading, head)
    for row, (name, *values) in enumerate(rows, start=2):
        ws.set_row(row, 22)
        ws.write_string(row, 0, name, text)
        for col, value in enumerate(values, start=1):
            ws.write_string(row, col, value, grade)
    last = len(rows) + 1
    for row, line in enumerate((rubric.office_full_name, chinese_date(issued)), start=last + 2):
        ws.set_row(row, 22)
        ws.merge_range(row, 0, row, last_col, line, dated)
    ws.set_column(0, 0, 40)
    ws.set_column(1, last_col, 14)
    page_setup(ws, owner=rubric.office, title=stage, last_row=last + 3, last_col=last_col, repeat_row=1,
               landscape=False)  # fmt: skip
    wb.close()
    csv = folder / CSV_NAME
    write_csv(csv, header, rows)
    return [xlsx, csv]
