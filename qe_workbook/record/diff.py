"""What changed between two runs: every item score that moved (old and new, with the file and
cell each came from) and each unit's total, grade and rank before and after.

Both runs are read through the library (`adopted_result`: their detail.json re-scored with the
rubric they were scored with, their adjustments applied); `write_change_report` writes 变更说明.xlsx.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, astuple, dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import xlsxwriter

from ..amounts import round2
from ..console import format_table
from ..forms.layout import display_width
from ..forms.paper import page_setup
from ..outputs.run_record import read_run
from ..problems import Problem
from ..rubric import Kind, Rubric
from ..scoring.results import ItemScore, Results
from ..workbooks import mark_output
from .adopted import adopted_result
from .appeals import FILE_NAME as APPEALS_FILE
from .appeals import read_appeals


@dataclass(frozen=True)
class ItemChange:
    unit: str
    item_id: str
    item_text: str
    old: str
    new: str
    old_from: str
    new_from: str
    behind: str = ""  # the correction form and the appeal behind the change (the new run's audit and 异议登记)


@dataclass(frozen=True)
class UnitChange:
    unit: str
    old_total: str
    new_total: str
    delta: str
    old_grade: str
    new_grade: str
    old_rank: int
    new_rank: int

    @property
    def changed(self) -> bool:
        return (self.old_total, self.old_grade, self.old_rank) != (self.new_total, self.new_grade, self.new_rank)


@dataclass
class RunDiff:
    old_run: str
    new_run: str
    items: list[ItemChange] = field(default_factory=list)
    units: list[UnitChange] = field(default_factory=list)  # every unit, changed or not


ITEM_HEADER = [
    "被考核单位",
    "项目编号",
    "项目",
    "原得分",
    "新得分",
    "原来源（文件 工作表!单元格）",
    "新来源（文件 工作表!单元格）",
    "变更依据（更正表、异议复核）",
]
UNIT_HEADER = ["被考核单位", "原总分", "新总分", "变化", "原等级", "新等级", "原排名", "新排名"]


def diff_runs(old_dir: Path, new_dir: Path, rubric: Rubric) -> tuple[RunDiff | None, list[Problem]]:
    old, problems = adopted_result(old_dir, rubric)
    new, more = adopted_result(new_dir, rubric)
    if old is None or new is None:
        return None, problems + more
    behind, found = appeals_behind(new_dir / APPEALS_FILE, rubric)
    behind = corrections_behind(new_dir, new.results, behind)
    changes = compare_results(old.results, new.results, old_dir.name, new_dir.name, behind)
    return changes, old.problems + new.problems + found


def appeals_behind(path: Path, rubric: Rubric) -> tuple[dict[tuple[str, str], str], list[Problem]]:
    """For each (unit, item) with a decided appeal in a run's 异议登记, what was claimed and decided."""
    if not path.is_file():
        return {}, []
    appeals, problems = read_appeals(path, rubric)
    behind: dict[tuple[str, str], str] = {}
    for a in appeals:
        if a.outcome:
            when = f"，{a.decided:%Y-%m-%d}" if a.decided else ""
            text = f"异议：{a.claim}；{a.evaluator}复核意见：{a.outcome}{when}"
            behind[(a.unit, a.item_id)] = "；".join(filter(None, [behind.get((a.unit, a.item_id), ""), text]))
    return behind, [p for p in problems if p.code != "APPEAL_PENDING"]


def corrections_behind(
    run_dir: Path, results: Results, behind: dict[tuple[str, str], str]
) -> dict[tuple[str, str], str]:
    """`behind` with, for each (unit, item) scored from an adopted correction form, that form named."""
    run, _ = read_run(run_dir)
    if run is None:
        return behind
    corrections = {f.get("file") for f in run.files if f.get("correction_units") and f.get("decision") == "accepted"}
    if not corrections:
        return behind
    merged = dict(behind)
    for unit in results.units:
        for item_score in unit.items:
            used = [f"更正表 {s.file}" for s in item_score.sources if s.file in corrections]
            if used:
                key = (unit.unit, item_score.item.id)
                merged[key] = "；".join(filter(None, [*used, behind.get(key, "")]))
    return merged


def compare_results(
    old: Results, new: Results, old_name: str, new_name: str, behind: Mapping[tuple[str, str], str] | None = None
) -> RunDiff:
    diff = RunDiff(old_name, new_name)
    after = {u.unit: u for u in new.units}
    for before in old.units:
        now = after[before.unit]
        now_items = {s.item.id: s for s in now.items}
        for item_score in before.items:
            changed = now_items[item_score.item.id]
            if item_score.points != changed.points:
                diff.items.append(ItemChange(before.unit, item_score.item.id, _short(item_score.item.text),
                                             _points(item_score), _points(changed), _where(item_score),
                                             _where(changed), (behind or {}).get((before.unit, item_score.item.id), "")))  # fmt: skip
        diff.units.append(UnitChange(before.unit, _amount(before.total), _amount(now.total),
                                     _signed(now.total - before.total), before.grade_label, now.grade_label,
                                     before.rank, now.rank))  # fmt: skip
    return diff


def _amount(value: Fraction) -> str:
    return f"{round2(value):.2f}"


def _signed(value: Fraction) -> str:
    return "0" if value == 0 else f"{round2(value):+.2f}"


def _points(item_score: ItemScore) -> str:
    if item_score.points is None:
        return "（无有效得分）"
    if item_score.item.kind is Kind.VETO:
        return "是" if item_score.points else "否"
    return _amount(item_score.points)


def _where(item_score: ItemScore) -> str:
    return "；".join(f"{s.file} {s.sheet}!{s.cell}" for s in item_score.sources) or "（无）"


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def diff_dict(diff: RunDiff) -> dict[str, Any]:
    return {"old_run": diff.old_run, "new_run": diff.new_run, "items": [asdict(c) for c in diff.items],
            "units": [asdict(u) for u in diff.units]}  # fmt: skip


def diff_text(diff: RunDiff) -> str:
    """The screen table: units whose result changed, then the changed item scores."""
    changed = [u for u in diff.units if u.changed]
    units = (format_table(UNIT_HEADER, [list(astuple(u)) for u in changed]) if changed
             else "各单位的总分、等级和排名没有变化。")  # fmt: skip
    items = format_table(ITEM_HEADER, [list(astuple(c)) for c in diff.items]) if diff.items else "没有变化的项目得分。"
    return f"{diff.old_run} → {diff.new_run}\n\n{units}\n\n{items}"


def write_change_report(path: Path, diff: RunDiff, rubric: Rubric) -> Path:
    """变更说明.xlsx: the units' totals, grades and ranks, then every changed item score."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})  # fmt: skip
    mark_output(wb, f"{rubric.year}年度考核结果变更说明", rubric.office)
    base = {"font_name": "宋体", "font_size": 11, "border": 1, "valign": "vcenter", "text_wrap": True}
    head = wb.add_format({**base, "bold": True, "align": "center", "bg_color": "#D9E1F2"})
    cell = wb.add_format(base)
    marked = wb.add_format({**base, "bg_color": "#FFF2CC"})
    title = wb.add_format({**base, "border": 0, "bold": True, "font_size": 14})
    sheets = [
        ("各单位结果变化", UNIT_HEADER, [[u.unit, u.old_total, u.new_total, u.delta, u.old_grade, u.new_grade,
                                          str(u.old_rank), str(u.new_rank)] for u in diff.units],
         [u.changed for u in diff.units], [18, 10, 10, 10, 10, 10, 8, 8]),
        ("变化的项目得分", ITEM_HEADER, [list(astuple(c)) for c in diff.items], [True] * len(diff.items),
         [14, 9, 32, 10, 10, 40, 40, 36]),
    ]  # fmt: skip
    for name, header, rows, marks, widths in sheets:
        ws = wb.add_worksheet(name)
        ws.merge_range(0, 0, 0, len(header) - 1, f"{name}：{diff.old_run} → {diff.new_run}", title)
        ws.set_row(1, _height(header, widths))
        ws.write_row(1, 0, header, head)
        for n, (values, mark) in enumerate(zip(rows, marks, strict=True), start=2):
            ws.set_row(n, _height(values, widths))
            ws.write_row(n, 0, values, marked if mark else cell)
        for col, width in enumerate(widths):
            ws.set_column(col, col, width)
        ws.freeze_panes(2, 0)
        page_setup(ws, owner=rubric.office, title=ws.name, last_row=max(len(rows) + 1, 2), last_col=len(header) - 1,
                   repeat_row=1)  # fmt: skip
    wb.close()
    return path


def _height(values: list[str], widths: list[int]) -> float:
    """A row tall enough for its wrapped texts (spreadsheet programs do not grow rows on opening)."""
    lines = max(math.ceil(display_width(v) / (w * 0.9)) or 1 for v, w in zip(values, widths, strict=True))
    return 15.0 * lines + 4
