"""master.xlsx: the office's workbook of a run (summary, detail, matrix, returns, problems, feedback).

Everything that came from a returned file is written with write_string, so a remark that starts
with '=' stays text and never becomes a formula. Tables are written in row order, so that a big run
can use xlsxwriter's constant_memory mode: each row goes to disk when the next one starts (its text
inline rather than shared, its charts without cached values, which every spreadsheet recomputes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pandas as pd
from xlsxwriter.worksheet import Worksheet

from ..amounts import canonical, round2
from ..forms.paper import code_width, text_height
from ..intake.collect import CollectResult
from ..intake.frame import LABELS
from ..intake.standing import Standing, correction_line, department_standings, file_standing, return_note
from ..intake.submission import Status, Submission
from ..problems import Problem, Severity
from ..rubric import Kind, Rubric, VetoEffect, VetoKind, VetoRule
from ..rubric.model import grade_label
from ..rubric.view import points_label, veto_outcome
from ..scoring.diagnosis import KEY_WRONG
from ..scoring.score import NO_REMARK, Results
from ..scoring.self_scores import Comparison
from ..scoring.totals import total_words
from ..workbooks import VisibleWorkbook, mark_output
from .charts import add_charts
from .detail import APPLIED_LABEL, applied_rules, display_frame
from .export import PAPER_PROBLEM_HEADER, paper_problem_rows, summary_header, summary_rows
from .self_score_sheet import DETAIL_HEADER as SELF_SCORE_HEADER
from .self_score_sheet import DETAIL_SHEET as SELF_SCORE_DETAIL
from .self_score_sheet import SHEET as SELF_SCORE_SHEET
from .self_score_sheet import SUMMARY_HEADER as SELF_SCORE_SUMMARY
from .self_score_sheet import write_self_score_sheets
from .sheets import Sheets, column_widths, sheet_paper
from .subtotals import SHEET as SUBTOTAL_SHEET
from .subtotals import has_tree, level_max, level_points, levels
from .year_over_year import YearOverYear

BIG_DETAIL = 50_000  # detail rows (about 700 units) above which rows go to disk as they are written


@dataclass(frozen=True)
class ExtraSheet:
    """Sheets a run's extra adds to master.xlsx (appeals, adjustments, 与上年比较, self-scores …): their names,
    how to write them (one worksheet per name, in order) and where they go."""

    names: tuple[str, ...]
    write: Callable[[Sequence[Worksheet], Sheets], None]
    front: bool = False  # right after 汇总 (what the meeting reads first), else after 反馈要点


def write_master(
    path: Path,
    rubric: Rubric,
    results: Results,
    collected: CollectResult,
    problems: list[Problem],
    extra: Sequence[ExtraSheet] = (),
) -> Path:
    wb = VisibleWorkbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False,
                                         "constant_memory": len(collected.frame) > BIG_DETAIL})  # fmt: skip
    mark_output(wb, f"{rubric.year}年度政府质量工作考核汇总", rubric.office)
    s = Sheets(wb, rubric.office)
    _summary(s.sheet("汇总"), s, rubric, results)
    if has_tree(rubric) or rubric.parts:
        _subtotals(s.sheet(SUBTOTAL_SHEET), s, rubric, results)
    for sheet in (x for x in extra if x.front):
        sheet.write([s.sheet(name) for name in sheet.names], s)
    _detail(s.sheet("明细"), s, collected.frame, applied_rules(collected.frame, rubric, results))
    _matrix(s.sheet("分项矩阵"), s, rubric, results)
    _returns(s.sheet("报送情况"), s, rubric, collected.submissions, any(p.code == KEY_WRONG for p in problems))
    _problems(s.sheet("问题清单"), s, problems)
    _feedback(s.sheet("反馈要点"), s, rubric, results)
    for sheet in (x for x in extra if not x.front):
        sheet.write([s.sheet(name) for name in sheet.names], s)
    add_charts(wb, rubric, results, s.owner)
    wb.close()
    return path


def adjusted_sheet(header: list[str], rows: list[list[str]]) -> ExtraSheet:
    """会议调整后: the unadjusted and the adjusted result of every unit, side by side."""
    return ExtraSheet(("会议调整后",), lambda ws, s: _adjusted(ws[0], s, header, rows), front=True)


def register_sheet(header: list[str], rows: list[list[str]]) -> ExtraSheet:
    """异议登记: the office's appeal register."""
    return ExtraSheet(("异议登记",), lambda ws, s: _register(ws[0], s, header, rows), front=True)


def previous_sheet(yoy: YearOverYear) -> ExtraSheet:
    """与上年比较: this run against an earlier one."""
    return ExtraSheet(("与上年比较",), lambda ws, s: _previous(ws[0], s, yoy))


def self_score_sheets(comparison: Comparison) -> ExtraSheet:
    """自评对比 and 自评对比明细: the units' self-scores against the evaluated scores."""

    def write(sheets: Sequence[Worksheet], s: Sheets) -> None:
        summary, detail = sheets
        last_summary, last_detail = write_self_score_sheets(summary, detail, s, comparison)
        sheet_paper(summary, 0, last_summary, len(SELF_SCORE_SUMMARY) - 1, freeze_col=1, owner=s.owner)
        sheet_paper(detail, 0, last_detail, len(SELF_SCORE_HEADER) - 1, freeze_col=1, owner=s.owner, printed=False)

    return ExtraSheet((SELF_SCORE_SHEET, SELF_SCORE_DETAIL), write)


def _adjusted(ws: Worksheet, s: Sheets, header: list[str], rows: list[list[str]]) -> None:
    """The unadjusted and the adjusted result of every unit, side by side, by adjusted rank."""
    widths = [16, 11, 11, 11, 60, 11, 11, 11]
    last = s.table(ws, 0, header, rows, widths)
    column_widths(ws, widths)
    sheet_paper(ws, 0, last, len(header) - 1, freeze_col=1, owner=s.owner)


def _register(ws: Worksheet, s: Sheets, header: list[str], rows: list[list[str]]) -> None:
    """The appeal register as the office keeps it (pending appeals say 待复核)."""
    widths = [14, 9, 40, 30, 14, 9, 36, 11]
    last = s.table(ws, 0, header, rows, widths)
    column_widths(ws, widths)
    sheet_paper(ws, 0, last, len(header) - 1, owner=s.owner)


def _previous(ws: Worksheet, s: Sheets, yoy: YearOverYear) -> None:
    """与上年比较: each unit's total, grade and rank against the previous run, then each area."""
    widths = [20, 12, 12, 10, 10, 10, 10, 10, 14]
    last = s.table(ws, 0, yoy.unit_header(), yoy.unit_rows(), widths)
    header = ["县区", "考核领域", f"{yoy.old.year}年度", f"{yoy.new.year}年度", "变化", "对应方式"]
    last = s.table(ws, last + 2, header, yoy.area_rows(), [20, 18, 12, 12, 10, 10])
    column_widths(ws, widths)
    sheet_paper(ws, 0, last, len(widths) - 1, owner=s.owner)


def grading_note(rubric: Rubric) -> str:
    """'等级标准：A级 ≥ 90 分；…；其余为D级；触发否决项的为D级。' with the plan's own grade names and veto effects."""
    g = rubric.grading
    unit = "%（占该单位满分的百分比）" if g.by_percent else " 分"
    thresholds = "；".join(f"{grade_label(t.grade)} ≥ {canonical(t.min)}{unit}" for t in g.thresholds)
    default = VetoEffect(VetoKind.SET_GRADE, grade=g.veto_grade)
    effects = [(i.id, i.rule.effect) for i in rubric.items_of_kind(Kind.VETO) if isinstance(i.rule, VetoRule)]
    vetoes = [f"{n}触发时{veto_outcome(e, g.veto_grade)}" for n, e in effects if e != default]
    if any(e == default for _, e in effects):
        vetoes.insert(0, f"触发否决项的为{grade_label(g.veto_grade)}")
    return "；".join([f"等级标准：{thresholds}", f"其余为{grade_label(g.lowest_grade)}", *vetoes]) + "。"


def full_marks_note(rubric: Rubric) -> str:
    """'满分 120 分，其中平时考核 72 分（质量整体水平折算）、年终考核 48 分（…）。' for a plan not of 100 points or with parts."""
    names = {a.id: a.name for a in rubric.areas}
    parts = "、".join(
        f"{p.name} {canonical(p.weight)} 分（{'、'.join(names[a] for a in p.areas)}折算）" for p in rubric.parts
    )
    more = "，各部分和各级要点的得分见“分级小计”" if has_tree(rubric) or rubric.parts else ""
    return f"满分 {canonical(rubric.total)} 分" + (f"，其中{parts}" if parts else "") + more + "。"


def _summary(ws: Worksheet, s: Sheets, rubric: Rubric, results: Results) -> None:
    ws.write_string(0, 0, f"{rubric.city}{rubric.year}年度政府质量工作考核汇总（按排名）", s.title)
    header = summary_header(rubric)
    widths = [6, 18] + [12] * len(rubric.areas) + [17] * len(rubric.parts) + [8, 8, 10, 12, 6, 12]
    last = s.table(ws, 2, header, summary_rows(results, rubric), widths)
    notes = [
        grading_note(rubric),
        f"总分 = {total_words(rubric)}，按精确值计算和排名，显示时四舍五入保留两位小数。",
        *([full_marks_note(rubric)] if rubric.parts or rubric.total != 100 else []),
        "等级带“（暂定）”的单位有项目缺少有效得分，详见“问题清单”和“报送情况”。",
        "每个得分的来源（文件、工作表、单元格）见“明细”工作表。",
        "明细、分项矩阵、反馈要点、共性问题等长表供屏幕查看，打印本工作簿时不打印；需要时取消其打印区域后单独打印。",
        *(f"等级数量上限：{d.unit}{d.sentence()}。" for d in results.demotions),
    ]
    for n, note in enumerate(notes, start=last + 2):
        ws.set_row(n, text_height([(note, sum(widths))]))
        ws.merge_range(n, 0, n, len(header) - 1, note, s.note)
    column_widths(ws, widths)
    sheet_paper(ws, 2, last + 1 + len(notes), len(header) - 1, freeze_col=2, owner=s.owner)
    ws.autofilter(2, 0, last, len(header) - 1)


def _subtotals(ws: Worksheet, s: Sheets, rubric: Rubric, results: Results) -> None:
    """分级小计: every level of the plan's tree (areas, key points indented by depth), the weighted parts with
    their weights, bonus, deductions and the total; one column per unit by rank, its full marks beside its
    points when its class makes them differ from the plan's."""
    units = results.by_rank()
    ws.write_string(0, 0, f"{rubric.city}{rubric.year}年度政府质量工作考核分级小计（按排名）", s.title)
    header = ["考核领域及要点", "满分", *(u.unit for u in units)]
    rows: list[list[Any]] = []
    for level in levels(rubric):
        full = [level_max(rubric, level, u.unit) for u in units]
        top = max(full, default=Decimal(0))
        if not top and not level.area:
            continue  # a key point holding only bonus, deduction or veto items
        rows.append([("　" * level.depth) + level.name, top,
                     *(_of(level_points(u, level), f, top) for u, f in zip(units, full, strict=True))])  # fmt: skip
    names = {a.id: a.name for a in rubric.areas}
    for p in rubric.parts:
        label = f"{p.name}（{'、'.join(names[a] for a in p.areas)}，权重 {canonical(p.weight)} 分，折算）"
        rows.append([label, p.weight, *(u.parts[p.id] for u in units)])
    bonus = sum((i.max for i in rubric.items_of_kind(Kind.BONUS)), Decimal(0))
    rows.append(["加分", rubric.grading.bonus_cap if rubric.grading.bonus_cap is not None else bonus,
                 *(u.bonus for u in units)])  # fmt: skip
    rows.append(["扣分", None, *(u.deduction for u in units)])
    rows.append(["总分", rubric.total, *(_of(u.total, u.full, Fraction(rubric.total)) for u in units)])
    widths = [34, 8] + [11] * len(units)
    last = s.table(ws, 2, header, rows, widths)
    notes = [
        f"总分 = {total_words(rubric)}。满分为本考核细则的满分；单位类别不同、适用项目不同的，得分后注明该单位的满分。"
    ]
    for n, note in enumerate(notes, start=last + 2):
        ws.set_row(n, text_height([(note, sum(widths))]))
        ws.merge_range(n, 0, n, len(header) - 1, note, s.note)
    column_widths(ws, widths)
    sheet_paper(ws, 2, last + 1 + len(notes), len(header) - 1, freeze_col=1, owner=s.owner)


def _of(points: Fraction, full: Decimal | Fraction, top: Decimal | Fraction) -> Fraction | str:
    """The points, or '45.00／50' when the unit's own full marks differ from the column's."""
    return points if full == top else f"{round2(points):.2f}／{canonical(round2(full))}"


def _detail(ws: Worksheet, s: Sheets, frame: pd.DataFrame, applied: list[str] | None) -> None:
    """明细: the master frame, every column of its schema under its Chinese label (and, for a plan with rules,
    what each value gives by its rule)."""
    shown = display_frame(frame, applied=applied)
    widths = [5, 12, 12, 10, 8, 7, 7, 6, 8, 7, 5, 36, 30, 7, 7, 8, 12, 12, 20]
    for label, width in ((LABELS["entry"], 6), (APPLIED_LABEL, 40)):  # shown only when some row needs them
        if label in shown.columns:
            widths.insert(list(shown.columns).index(label), width)
    last = s.table(ws, 0, list(shown.columns), shown.itertuples(index=False), widths[:-1])
    column_widths(ws, widths)
    sheet_paper(ws, 0, last, len(shown.columns) - 1, owner=s.owner, printed=False)


def _matrix(ws: Worksheet, s: Sheets, rubric: Rubric, results: Results) -> None:
    """One row per item, one column per unit (named on every printed page); a veto reads 是/否."""
    header = ["项目编号", "领域", "满分/类别", *(u.unit for u in results.units)]
    areas = {a.id: a.name for a in rubric.areas}
    rows = []
    for n, item in enumerate(rubric.items):
        cells: list[Any] = [item.id, areas.get(item.area, item.area), points_label(item)]
        for unit in results.units:
            points = unit.items[n].points
            cells.append(_veto_text(points) if item.kind is Kind.VETO else points)
        rows.append(cells)
    widths = [9, 16, 14] + [10] * len(results.units)
    last = s.table(ws, 0, header, rows, widths)
    column_widths(ws, widths)
    sheet_paper(ws, 0, last, len(header) - 1, freeze_col=1, owner=s.owner, printed=False)


def _veto_text(points: Fraction | None) -> str | None:
    return None if points is None else ("是" if points else "否")


def _returns(ws: Worksheet, s: Sheets, rubric: Rubric, submissions: list[Submission], key_doubted: bool) -> None:
    """Each evaluator: its files and where its return stands, with what to do and the contacts — the list
    for chasing (after a probably wrong key, a department with nothing adopted waits for the right key)."""
    rows: list[list[Any]] = []
    standings = department_standings([ev.name for ev in rubric.form_evaluators()], submissions, key_doubted=key_doubted)
    for ev in rubric.form_evaluators():
        own = [x for x in submissions if x.owner == ev.name]
        if not own:
            rows.append([ev.name, str(Standing.MISSING), "", None, "", "", ev.phone, ev.email,
                         Standing.MISSING.action, ""])  # fmt: skip
        for sub in own:
            status, text = _status(sub)
            if standings[ev.name] is Standing.KEY_DOUBTED:
                status, text = str(Standing.KEY_DOUBTED), return_note(Standing.KEY_DOUBTED, sub.reason)
            rows.append([ev.name, status, sub.file, sub.fill_date, *_arrival(sub, rubric),
                         ev.phone, ev.email, text, _code(sub)])  # fmt: skip
    for sub in submissions:
        if not sub.owner:
            status, text = _status(sub)
            rows.append(["（无法识别）", status, sub.file, None, *_arrival(sub, rubric), "", "", text, ""])
    header = ["评价部门", "状态", "文件", "填报日期", "收到时间", "渠道", "联系电话", "电子邮箱", "说明", "纸质版校验码"]  # fmt: skip
    widths = [14, 20, 36, 12, 17, 6, 15, 24, 42, 12]  # a status such as 已采用，需更正（E5） on one line
    widths[7] = max(widths[7], code_width([ev.email or "" for ev in rubric.form_evaluators()]))  # e-mails whole
    last = s.table(ws, 0, header, rows, widths)
    column_widths(ws, widths)
    sheet_paper(ws, 0, last, len(header) - 1, owner=s.owner)


def _status(sub: Submission) -> tuple[str, str]:
    """A file's 状态 and 说明: where it leaves its department and what to do (an adopted correction form
    is marked 更正表; a superseded version or an identical copy only says why it was set aside)."""
    errors = [p for p in sub.problems if p.severity is Severity.ERROR]
    cells = [correction_line(p.sheet, p.cell, p.message) for p in errors]
    state = file_standing(sub.status, len(cells) if sub.status == Status.ACCEPTED else 0)
    if state is None:
        return sub.status.label, sub.reason
    if sub.status is Status.CONFLICT:  # its reason says what to do
        return sub.status.label, sub.reason
    shown = state.shown([p.cell or "" for p in errors])
    shown = f"{shown}（更正表）" if sub.units and sub.status == Status.ACCEPTED else shown
    return shown, return_note(state, sub.reason, cells if state is Standing.ADOPTED_TO_CORRECT else ())


def _problems(ws: Worksheet, s: Sheets, problems: list[Problem]) -> None:
    """问题清单: every problem, or a line saying there is none; its code in the last column, on screen only."""
    rows = paper_problem_rows(problems) or [["", "", "", "", "无问题：所有文件均已采用，未发现需要处理的问题。", ""]]
    widths = [6, 36, 9, 9, 80, 24]
    last = s.table(ws, 0, PAPER_PROBLEM_HEADER, rows, widths)
    column_widths(ws, widths)
    sheet_paper(ws, 0, last, len(PAPER_PROBLEM_HEADER) - 2, owner=s.owner)


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
    widths = [12, 8, 7, 36, 6, 13, 9, 9, 6, 60]
    last = s.table(ws, 0, header, _feedback_rows(results), widths)
    column_widths(ws, widths)
    sheet_paper(ws, 0, last, len(header) - 1, owner=s.owner, printed=False)


def _feedback_rows(results: Results) -> Iterator[list[Any]]:
    """反馈要点's rows one at a time."""
    for unit in results.units:
        for item_score in unit.shortfalls():
            item = item_score.item
            result = "是（否决）" if item.kind is Kind.VETO else item_score.points
            lost = item_score.lost
            for src in item_score.sources:
                entered = f"{src.raw}次" if item.kind is Kind.DEDUCTION else src.raw
                yield [unit.unit, item.id, item.kind.label, item.text, item.max, src.evaluator, entered, result, lost,
                       src.remark or NO_REMARK]  # fmt: skip
