"""master.xlsx: the office's workbook of a run (summary, detail, matrix, returns, problems, feedback).

Everything that came from a returned file is written with write_string, so a remark that starts
with '=' stays text and never becomes a formula.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..amounts import canonical, round2
from ..intake.collect import CollectResult, Status, Submission
from ..problems import Problem
from ..rubric import Kind, Rubric
from ..scoring.frame import display_frame
from ..scoring.score import NO_REMARK, Results
from .charts import add_charts
from .export import PROBLEM_HEADER, problem_rows, summary_header, summary_rows


class Sheets:
    """Writes rows of mixed values with one consistent set of formats."""

    def __init__(self, wb: Workbook) -> None:
        self.wb = wb
        font = {"font_name": "宋体", "valign": "vcenter"}
        self.head = wb.add_format({**font, "bold": True, "border": 1, "bg_color": "#D9E1F2", "text_wrap": True})
        self.text = wb.add_format({**font, "border": 1, "text_wrap": True})
        self.num = wb.add_format({**font, "border": 1, "num_format": "0.00"})
        self.int = wb.add_format({**font, "border": 1, "num_format": "0"})
        self.date = wb.add_format({**font, "border": 1, "num_format": "yyyy-mm-dd"})
        self.title = wb.add_format({"font_name": "黑体", "bold": True, "font_size": 14})

    def table(self, ws: Worksheet, first_row: int, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        ws.write_row(first_row, 0, header, self.head)
        row = first_row
        for row, values in enumerate(rows, start=first_row + 1):
            for col, value in enumerate(values):
                self.cell(ws, row, col, value)
        return row

    def cell(self, ws: Worksheet, row: int, col: int, value: Any) -> None:
        if value is None or (isinstance(value, float) and value != value):
            ws.write_blank(row, col, None, self.text)
        elif isinstance(value, bool):
            ws.write_string(row, col, "是" if value else "否", self.text)
        elif isinstance(value, int):
            ws.write_number(row, col, value, self.int)
        elif isinstance(value, (Decimal, Fraction)):
            ws.write_number(row, col, float(round2(value)), self.num)
        elif isinstance(value, float):  # already 2 decimals (master-frame hundredths / 100)
            ws.write_number(row, col, value, self.num)
        elif isinstance(value, date):
            ws.write_datetime(row, col, value, self.date)
        else:
            ws.write_string(row, col, str(value), self.text)


def write_master(
    path: Path, rubric: Rubric, results: Results, collected: CollectResult, problems: list[Problem]
) -> Path:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})  # fmt: skip
    wb.set_properties({"title": f"{rubric.year}年度政府质量工作考核汇总", "author": rubric.office})
    s = Sheets(wb)
    _summary(wb.add_worksheet("汇总"), s, rubric, results)
    _detail(wb.add_worksheet("明细"), s, collected.frame)
    _matrix(wb.add_worksheet("分项矩阵"), s, rubric, results)
    _returns(wb.add_worksheet("报送情况"), s, rubric, collected.submissions)
    listing = wb.add_worksheet("问题清单")
    last = s.table(listing, 0, PROBLEM_HEADER, problem_rows(problems))
    _widths(listing, [6, 26, 40, 10, 10, 90])
    listing.autofilter(0, 0, max(last, 1), len(PROBLEM_HEADER) - 1)
    _feedback(wb.add_worksheet("反馈要点"), s, rubric, results)
    add_charts(wb, rubric, results)
    wb.close()
    return path


def _widths(ws: Worksheet, widths: Sequence[float], *, printable: bool = True) -> None:
    """Column widths; sheets meant for paper print A4 landscape, one page wide."""
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    if printable:
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)
        ws.set_footer("&C第 &P 页，共 &N 页")


def _summary(ws: Worksheet, s: Sheets, rubric: Rubric, results: Results) -> None:
    ws.write_string(0, 0, f"{rubric.city}{rubric.year}年度政府质量工作考核汇总（按排名）", s.title)
    header = summary_header(rubric)
    last = s.table(ws, 2, header, summary_rows(results, rubric))
    thresholds = "；".join(f"{t.grade}级 ≥ {canonical(t.min)} 分" for t in rubric.grading.thresholds)
    notes = [
        f"等级标准：{thresholds}；其余为{rubric.grading.lowest_grade}级；触发否决项的为{rubric.grading.veto_grade}级。",
        "总分 = 各领域得分 + 加分 − 扣分，按精确值计算和排名，显示时四舍五入保留两位小数。",
        "等级带“（暂定）”的单位有项目缺少有效得分，详见“问题清单”和“报送情况”。",
        "每个得分的来源（文件、工作表、单元格）见“明细”工作表。",
    ]
    for n, note in enumerate(notes, start=last + 2):
        ws.write_string(n, 0, note)
    _widths(ws, [6, 18] + [12] * len(rubric.areas) + [8, 8, 10, 12, 6, 12])
    ws.freeze_panes(3, 2)


def _detail(ws: Worksheet, s: Sheets, frame: pd.DataFrame) -> None:
    """明细: the master frame, every column of its schema under its Chinese label."""
    shown = display_frame(frame)
    last = s.table(ws, 0, list(shown.columns), shown.itertuples(index=False))
    _widths(ws, [6, 14, 14, 6, 8, 9, 8, 7, 10, 8, 6, 50, 40, 8, 8, 9, 11, 14, 20], printable=False)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(last, 1), len(shown.columns) - 1)


def _matrix(ws: Worksheet, s: Sheets, rubric: Rubric, results: Results) -> None:
    header = ["被考核单位", *(i.id for i in rubric.items)]
    ws.write_row(0, 0, header, s.head)
    ws.write_string(1, 0, "满分/类别", s.head)
    for col, item in enumerate(rubric.items, start=1):
        label = canonical(item.max) if item.kind is Kind.SCORE else item.kind.label
        ws.write_string(1, col, label, s.head)
    for row, unit in enumerate(results.units, start=2):
        s.cell(ws, row, 0, unit.unit)
        for col, item_score in enumerate(unit.items, start=1):
            s.cell(ws, row, col, item_score.points)
    _widths(ws, [18] + [7] * len(rubric.items), printable=False)
    ws.freeze_panes(2, 1)


def _returns(ws: Worksheet, s: Sheets, rubric: Rubric, submissions: list[Submission]) -> None:
    """Each evaluator: received / missing / rejected, with contacts — the list for chasing."""
    rows: list[list[Any]] = []
    for ev in rubric.form_evaluators():
        own = [x for x in submissions if x.owner == ev.name]
        if not own:
            rows.append([ev.name, "未收到", "", None, "", "", ev.phone, ev.email, "请催收", ""])
        for sub in own:
            rows.append([ev.name, sub.status.label, sub.file, sub.fill_date, *_arrival(sub, rubric),
                         ev.phone, ev.email, sub.reason, _code(sub)])  # fmt: skip
    for sub in submissions:
        if not sub.owner:
            rows.append(["（无法识别）", sub.status.label, sub.file, None, *_arrival(sub, rubric), "", "",
                         sub.reason, ""])  # fmt: skip
    header = ["评价部门", "状态", "文件", "填报日期", "收到时间", "渠道", "联系电话", "电子邮箱", "说明", "纸质版校验码"]  # fmt: skip
    last = s.table(ws, 0, header, rows)
    _widths(ws, [16, 18, 44, 11, 17, 6, 14, 24, 60, 14])
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(last, 1), len(header) - 1)


def _code(sub: Submission) -> str:
    """The 校验码 the stamped paper of an adopted file should show (beside its stamp line)."""
    return sub.check_code.shown() if sub.check_code is not None and sub.status == Status.ACCEPTED else ""


def _arrival(sub: Submission, rubric: Rubric) -> list[str]:
    """收到时间 and 渠道 from the receipt record (逾期 marked), blank without a record."""
    if sub.receipt is None:
        return ["", ""]
    late = "（逾期）" if sub.receipt.late_for(rubric.return_deadline) else ""
    return [sub.receipt.shown_time() + late, sub.receipt.channel]


def _feedback(ws: Worksheet, s: Sheets, rubric: Rubric, results: Results) -> None:
    """Per unit, the items where points were lost: each evaluator's own entry and remark, and the
    item's combined result (for a joint item the mean differs from what each evaluator gave)."""
    header = ["被考核单位", "项目编号", "类别", "所评价项目", "满分", "评价部门", "该部门所填", "项目得分/扣分", "失分",
              "评价说明"]  # fmt: skip
    rows = []
    for unit in results.units:
        for item_score in unit.shortfalls():
            item = item_score.item
            result = "是（否决）" if item.kind is Kind.VETO else item_score.points
            for src in item_score.sources:
                entered = f"{src.raw}次" if item.kind is Kind.DEDUCTION else src.raw
                rows.append([unit.unit, item.id, item.kind.label, item.text, item.max, src.evaluator, entered,
                             result, item_score.lost, src.remark or NO_REMARK])  # fmt: skip
    last = s.table(ws, 0, header, rows)
    _widths(ws, [16, 9, 8, 40, 7, 14, 9, 9, 7, 70])
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(last, 1), len(header) - 1)
