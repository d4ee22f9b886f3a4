"""Exports for the result's users (方案三(三)): the sheet the 综合考评 takes (each unit's grade turned
into points by the office's map) and the facts that matter for accountability (问责: D grades,
vetoes with their basis, deductions with their events and remarks).

Both are written from a finished run re-scored from its detail.json, with the run's meeting
adjustments applied, into a new folder `<run>/导出/<time>/` (never overwriting). Points are exact
Decimals; the CSV copies carry them as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import xlsxwriter

from ..amounts import canonical, fmt2
from ..documents.notice_docx import grade_order
from ..feedback.common import entered_text, source_loss
from ..forms.paper import text_height
from ..outputs.export import write_csv
from ..outputs.sheets import Sheets, column_widths, sheet_paper
from ..problems import Problem
from ..record.adopted import adopted_result
from ..record.stages import current_stage
from ..rubric import Kind, Rubric
from ..rubric.model import grade_label
from ..run_folder import new_run_folder
from ..scoring.adopt import Adjustment
from ..scoring.results import INCOMPLETE_MARK, Results
from ..workbooks import mark_output

EXPORT_DIR = "导出"
KAOPING_NAME = "综合考评折算表"
WENZE_NAME = "问责相关情况"


def map_example(rubric: Rubric) -> str:
    """'A=100,B=90,C=80,D=60' with the plan's own grades ('优秀=100,良好=90,合格=80,不合格=60')."""
    grades = grade_order(rubric)
    points = [100 - 10 * n for n in range(len(grades) - 1)]
    points.append(min(60, points[-1] - 10) if points else 100)
    return ",".join(f"{g}={p}" for g, p in zip(grades, points, strict=True))


class GradeMapError(ValueError):
    """A --map the office typed wrong; the message says how to write it (in Chinese)."""


def parse_grade_map(text: str, rubric: Rubric) -> dict[str, Decimal]:
    """'A=100,B=90,C=80,D=60' -> {grade: points}; every grade the rubric can give must be mapped once."""
    grades = grade_order(rubric)
    found: dict[str, Decimal] = {}
    for part in (p.strip() for p in re.split(r"[,，;；]", text)):
        if not part:
            continue
        grade, sep, value = [s.strip() for s in [*re.split(r"([=＝:：])", part, maxsplit=1), "", ""]][:3]
        if not sep:
            raise GradeMapError(f"“{part}”应写成“等级=分值”，例如 {map_example(rubric)}。")
        grade = grade.upper()
        if grade not in grades:
            raise GradeMapError(f"考核细则中没有等级“{grade}”（等级为 {'、'.join(grades)}）。")
        if grade in found:
            raise GradeMapError(f"等级 {grade} 写了两次。")
        try:
            points = Decimal(value)
        except InvalidOperation:
            raise GradeMapError(f"等级 {grade} 的分值“{value}”不是数字，例如 {map_example(rubric)}。") from None
        if not points.is_finite() or points < 0 or points != points.quantize(Decimal("0.01")):
            raise GradeMapError(f"等级 {grade} 的分值“{value}”应为不小于 0、最多两位小数的数字。")
        found[grade] = points
    missing = [g for g in grades if g not in found]
    if missing:
        raise GradeMapError(f"缺少等级 {'、'.join(missing)} 的分值，例如 {map_example(rubric)}。")
    return found


@dataclass
class Export:
    folder: Path | None
    files: list[Path]
    rows: list[dict[str, Any]]  # what --json prints
    problems: list[Problem]


def _stage(run_dir: Path, complete: bool) -> str:
    return str(current_stage(run_dir)) + ("" if complete else INCOMPLETE_MARK)


def kaoping_rows(run_dir: Path, rubric: Rubric, results: Results, points: dict[str, Decimal]) -> list[dict[str, Any]]:
    full_names = {u.name: u.full_name for u in rubric.units}
    return [
        {"unit": full_names[u.unit], "grade": u.grade, "points": points[u.grade], "stage": _stage(run_dir, u.complete)}
        for u in results.units
    ]


def export_kaoping(run_dir: Path, rubric: Rubric, points: dict[str, Decimal]) -> Export:
    """综合考评折算表.xlsx/.csv: unit, grade, converted points, stage of the result, in the rubric's order."""
    adopted, problems = adopted_result(run_dir, rubric, official="documents")
    if adopted is None:
        return Export(None, [], [], problems)
    problems += adopted.problems
    rows = kaoping_rows(run_dir, rubric, adopted.results, points)
    header = ["被考核单位", "等级", "折算分值", "结果阶段"]
    table = [[r["unit"], r["grade"], r["points"], r["stage"]] for r in rows]
    mapped = "、".join(f"{grade_label(g)} {canonical(p)} 分" for g, p in points.items())
    notes = [f"折算标准：{mapped}。", "结果阶段为“初稿”或带“（暂定）”的，须待审定后再用于综合考评。"]
    title = f"{rubric.city}{rubric.year}年度政府质量工作考核结果（供综合考评使用）"
    with new_run_folder(run_dir / EXPORT_DIR) as (tmp, finish):
        _workbook(tmp / f"{KAOPING_NAME}.xlsx", rubric, [(KAOPING_NAME, title, header, table, [30, 8, 10, 16], notes)])
        write_csv(tmp / f"{KAOPING_NAME}.csv", header, [[u, g, canonical(p), s] for u, g, p, s in table])
        folder = finish()
    files = [folder / f"{KAOPING_NAME}.xlsx", folder / f"{KAOPING_NAME}.csv"]
    return Export(folder, files, [{**r, "points": canonical(r["points"])} for r in rows], problems)


LOWEST = "D级单位"  # the key of the lowest grade's sheet; shown with the plan's own grade name


def lowest_sheet(rubric: Rubric) -> str:
    """'D级单位', or '不合格单位' for a plan whose lowest grade is 不合格."""
    return f"{grade_label(rubric.grading.lowest_grade)}单位"


WENZE_SHEETS = {
    LOWEST: ["被考核单位", "总分", "等级", "原因", "结果阶段"],
    "否决项": ["被考核单位", "项目编号", "否决事项", "评价部门", "评价说明（依据）", "来源文件", "工作表", "单元格"],
    "扣分项": ["被考核单位", "项目编号", "扣分事项", "评价部门", "事件次数", "该部门扣分", "项目扣分", "评价说明",
               "来源文件", "工作表", "单元格"],
}  # fmt: skip


def wenze_tables(
    run_dir: Path, rubric: Rubric, results: Results, adjustments: list[Adjustment]
) -> dict[str, list[list[Any]]]:
    """The D-grade units (why), every veto that fired (its basis), every deduction (events, points, remarks)."""
    low = {rubric.grading.lowest_grade, rubric.grading.veto_grade}
    lowest_line = min((t.min for t in rubric.grading.thresholds), default=Decimal(0))
    tables: dict[str, list[list[Any]]] = {name: [] for name in WENZE_SHEETS}
    for unit in results.units:
        fired = [s for s in unit.items if s.item.kind is Kind.VETO and s.points]
        if unit.grade in low:
            why = [f"触发否决项（{'、'.join(s.item.id for s in fired)}）"] if fired else []
            if not fired and unit.total < lowest_line:
                why.append(f"总分低于 {canonical(lowest_line)} 分")
            why += [a.sentence() for a in adjustments if a.unit == unit.unit]
            tables[LOWEST].append([unit.unit, unit.total, unit.grade_label, "；".join(why),
                                      _stage(run_dir, unit.complete)])  # fmt: skip
        for s in fired:
            for src in s.sources:
                if src.value:
                    tables["否决项"].append([unit.unit, s.item.id, s.item.text, src.evaluator, src.remark or "（未填写）",
                                             src.file, src.sheet, src.cell])  # fmt: skip
        for s in unit.items:
            if s.item.kind is not Kind.DEDUCTION or not s.points:
                continue
            for src in s.sources:
                if src.value:
                    tables["扣分项"].append([unit.unit, s.item.id, s.item.text, src.evaluator, entered_text(s.item, src),
                                             source_loss(s.item, src), s.points, src.remark or "（未填写）", src.file,
                                             src.sheet, src.cell])  # fmt: skip
    return tables


def export_wenze(run_dir: Path, rubric: Rubric) -> Export:
    """问责相关情况.xlsx: three sheets (D级单位, 否决项, 扣分项), every fact with its source."""
    adopted, problems = adopted_result(run_dir, rubric, official="documents")
    if adopted is None:
        return Export(None, [], [], problems)
    problems += adopted.problems
    tables = wenze_tables(run_dir, rubric, adopted.results, adopted.adjustments)
    widths = {LOWEST: [14, 9, 9, 50, 14], "否决项": [12, 8, 40, 12, 40, 24, 10, 7],
              "扣分项": [12, 8, 36, 12, 8, 10, 9, 36, 24, 10, 7]}  # fmt: skip
    shown = {name: lowest_sheet(rubric) if name == LOWEST else name for name in WENZE_SHEETS}
    sheets = [
        (shown[name], f"{rubric.city}{rubric.year}年度政府质量工作考核：{shown[name]}", header, tables[name],
         widths[name], [] if tables[name] else ["无。"])
        for name, header in WENZE_SHEETS.items()
    ]  # fmt: skip
    with new_run_folder(run_dir / EXPORT_DIR) as (tmp, finish):
        _workbook(tmp / f"{WENZE_NAME}.xlsx", rubric, sheets)
        folder = finish()
    rows = [
        {"sheet": shown[name], **{h: _plain(v) for h, v in zip(WENZE_SHEETS[name], row, strict=True)}}
        for name, table in tables.items()
        for row in table
    ]
    return Export(folder, [folder / f"{WENZE_NAME}.xlsx"], rows, problems)


def _plain(value: Any) -> Any:
    """A value for JSON: exact points as text with two decimals."""
    return value if isinstance(value, str | int) else fmt2(value)


def _workbook(
    path: Path, rubric: Rubric, sheets: list[tuple[str, str, list[str], list[list[Any]], list[int], list[str]]]
) -> None:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})  # fmt: skip
    mark_output(wb, sheets[0][1], rubric.office)
    s = Sheets(wb, rubric.office)
    for name, title, header, rows, widths, notes in sheets:
        ws = wb.add_worksheet(name)
        ws.write_string(0, 0, title, s.title)
        last = s.table(ws, 2, header, rows, widths)
        for n, note in enumerate(notes, start=last + 2):
            ws.set_row(n, text_height([(note, sum(widths))]))
            ws.merge_range(n, 0, n, len(header) - 1, note, s.note)
        column_widths(ws, widths)
        sheet_paper(ws, 2, last + len(notes) + 1, len(header) - 1, owner=s.owner)
    wb.close()
