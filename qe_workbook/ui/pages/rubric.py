"""The rubric in words, its workbook, and the next year's workbook."""

from __future__ import annotations

from flask import Blueprint, request
from werkzeug.wrappers import Response

from ...rubric.new_year import new_year
from ...rubric.view import counts_text, decision_rows, evaluator_rows, grading_rows, item_rows, rubric_counts
from ...rubric.view_rules import rule_sections
from ...rubric.workbook.files import export_rubric
from ...workspace.layout import RUBRIC_WORKBOOK
from ..shell import go, note, note_problems, page, rubric_or_stop, workspace

bp = Blueprint("rubric", __name__)
STEP = "考核细则"


@bp.get("/rubric")
def show() -> str:
    ws = workspace()
    rubric, problems = ws.load_rubric() if ws.ready else (None, [])
    workbook = ws.root / RUBRIC_WORKBOOK
    following = ws.root / f"rubric-{rubric.year + 1}.xlsx" if rubric else None
    return page(
        "rubric.html", "rubric", checked=problems, following=following if following and following.is_file() else None,
        counts_lines=counts_text(rubric_counts(rubric)).splitlines() if rubric else [],
        items=item_rows(rubric) if rubric else [], evaluators=evaluator_rows(rubric) if rubric else [],
        decisions=decision_rows(rubric) if rubric else [], workbook=workbook if workbook.is_file() else None,
        sections=rule_sections(rubric) if rubric else [], grading=grading_rows(rubric) if rubric else [],
    )  # fmt: skip


@bp.post("/rubric/export")
def export() -> Response:
    ws = workspace()
    rubric_or_stop()
    result = export_rubric(ws.rubric_path, ws.root / RUBRIC_WORKBOOK)
    note_problems(result.problems)
    if result.path is not None:
        note("info", f"已导出考核细则工作簿 {RUBRIC_WORKBOOK}，可在 Excel 或 WPS 中查看、修改。")
    return go("rubric.show")


@bp.post("/rubric/next-year")
def next_year() -> Response:
    ws = workspace()
    rubric = rubric_or_stop()
    year = rubric.year + 1
    result = new_year(ws.rubric_path, year, ws.root / f"rubric-{year}.xlsx")
    note_problems(result.problems)
    if result.written is not None:
        note("info", f"已生成 {year} 年度考核细则工作簿 {result.written.name}（可在本页下载）。请按新方案逐项核对：")
        for line in result.checklist:
            note("warning", line)
    return go("rubric.show", back=request.form.get("back"))  # the next-year page's button comes back to it
