"""The meeting's adjustments, applied after scoring and shown beside the unadjusted result.

The office keeps them in adjustments.xlsx (`write_template`): one row per adjustment — unit,
加分/扣分/降级/定级, points or grade, 依据 (文号 or 纪要), note. Points go into the unit's bonus or
deduction (so the letter's table still adds up); 降级 lowers the grade by one step (or to the grade
given), 定级 sets it; ranks follow the adjusted totals (veto units stay last where the rubric says so).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..amounts import round2
from ..choices import ADJUSTMENTS_FILE
from ..office_table import blank_register, table_rows
from ..office_table import text as _text
from ..problems import Problem, problem
from ..rubric import Rubric
from ..scoring.results import Results, UnitResult

FILE_NAME = ADJUSTMENTS_FILE
SHEET = "会议调整"
COLUMNS = ("被考核单位", "调整类型", "分值或等级", "依据（文号或纪要）", "备注")


class AdjustKind(StrEnum):
    ADD = "加分"
    SUBTRACT = "扣分"
    DOWNGRADE = "降级"
    SET = "定级"


@dataclass(frozen=True)
class Adjustment:
    unit: str
    kind: AdjustKind
    points: Decimal | None
    grade: str | None
    basis: str
    note: str
    cell: str  # where the row starts in adjustments.xlsx

    def text(self) -> str:
        if self.kind in (AdjustKind.ADD, AdjustKind.SUBTRACT):
            return f"{self.kind} {self.points} 分"
        if self.kind is AdjustKind.DOWNGRADE:
            return f"降为 {self.grade} 级" if self.grade else "降一个等级"
        return f"定为 {self.grade} 级"

    def sentence(self) -> str:
        note = f"（{self.note}）" if self.note else ""
        return f"根据{self.basis}，{self.text()}{note}"


def grade_order(rubric: Rubric) -> list[str]:
    return rubric.grading.order


def write_template(path: Path, rubric: Rubric) -> Path:
    """An empty adjustments.xlsx with drop-down lists for the unit, the kind and the grade."""
    with blank_register(path, rubric, SHEET, f"{rubric.year}年度考核结果会议调整", "每行一项；依据必填", COLUMNS,
                        [18, 10, 12, 40, 40]) as ws:  # fmt: skip
        rows = 200
        ws.data_validation(2, 0, rows, 0, {"validate": "list", "source": [u.name for u in rubric.units]})
        ws.data_validation(2, 1, rows, 1, {"validate": "list", "source": [str(k) for k in AdjustKind],
                                           "input_title": "调整类型", "input_message": "加分、扣分填分值；降级可填等级（不填降一级）；定级填等级。"})  # fmt: skip
    return path


def read_adjustments(path: Path, rubric: Rubric) -> tuple[list[Adjustment], list[Problem]]:
    """Every filled row of adjustments.xlsx, checked; a bad row is reported (with its cell) and left out."""
    rows, trouble = table_rows(path, COLUMNS[0], "ADJUST_UNREADABLE")
    if trouble:
        return [], trouble
    found: list[Adjustment] = []
    problems: list[Problem] = []
    units, grades = {u.name for u in rubric.units}, grade_order(rubric)
    for n, row in rows:
        values = [_text(v) for v in (*row, *[None] * len(COLUMNS))[: len(COLUMNS)]]
        if not any(values):
            continue
        unit, kind, amount, basis, note = values
        where: dict[str, Any] = {"file": str(path), "sheet": SHEET, "cell": f"A{n}"}
        if unit not in units:
            problems.append(problem("ADJUST_UNKNOWN_UNIT", **where, unit=unit))
            continue
        if kind not in set(AdjustKind):
            problems.append(problem("ADJUST_BAD_KIND", **where, kind=kind))
            continue
        if not basis:
            problems.append(problem("ADJUST_NO_BASIS", **where, unit=unit))
            continue
        adjust = AdjustKind(kind)
        points = grade = None
        if adjust in (AdjustKind.ADD, AdjustKind.SUBTRACT):
            points = _points(amount)
            if points is None:
                problems.append(problem("ADJUST_BAD_VALUE", **where, unit=unit, value=amount, kind=kind))
                continue
        elif amount or adjust is AdjustKind.SET:
            grade = amount.upper()
            if grade not in grades:
                problems.append(problem("ADJUST_BAD_VALUE", **where, unit=unit, value=amount, kind=kind))
                continue
        found.append(Adjustment(unit, adjust, points, grade, basis, note, f"A{n}"))
    return found, problems


def _points(text: str) -> Decimal | None:
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite() or number <= 0 or number.as_tuple().exponent < -2:  # type: ignore[operator]
        return None
    return number.normalize() if number == number.to_integral_value() else number


def apply_adjustments(results: Results, adjustments: Sequence[Adjustment], rubric: Rubric) -> Results:
    """The results after the meeting's adjustments (a new Results; the unadjusted one is unchanged)."""
    by_unit: dict[str, list[Adjustment]] = {}
    for adjustment in adjustments:
        by_unit.setdefault(adjustment.unit, []).append(adjustment)
    units = [_adjusted(u, by_unit.get(u.unit, []), rubric) for u in results.units]
    ranked = [replace(u, rank=_rank(u, units, rubric.grading.veto_ranks_last)) for u in units]
    capped = [d for d in results.demotions if d.unit not in by_unit]  # an adjusted unit's grade is the meeting's
    return Results(results.year, ranked, results.problems, results.frame, results.items_frame, results.units_frame,
                   capped)  # fmt: skip


def _rank(unit: UnitResult, units: list[UnitResult], veto_last: bool) -> int:
    group = [o for o in units if (o.veto and veto_last) == (unit.veto and veto_last)]
    before = sum(1 for o in units if not (o.veto and veto_last)) if unit.veto and veto_last else 0
    return before + sum(1 for o in group if o.total > unit.total) + 1


def _adjusted(unit: UnitResult, adjustments: list[Adjustment], rubric: Rubric) -> UnitResult:
    if not adjustments:
        return unit
    add = sum((Fraction(a.points) for a in adjustments if a.kind is AdjustKind.ADD and a.points), Fraction(0))
    sub = sum((Fraction(a.points) for a in adjustments if a.kind is AdjustKind.SUBTRACT and a.points), Fraction(0))
    total = unit.total + add - sub
    grade = rubric.grading.veto_grade if unit.veto else rubric.grading.grade_for(total)
    order = grade_order(rubric)
    for adjustment in adjustments:
        if adjustment.kind is AdjustKind.DOWNGRADE:
            lower = order[min(order.index(grade) + 1, len(order) - 1)]
            grade = (
                adjustment.grade if adjustment.grade and order.index(adjustment.grade) > order.index(grade) else lower
            )
        elif adjustment.kind is AdjustKind.SET and adjustment.grade:
            grade = adjustment.grade
    return replace(unit, bonus=unit.bonus + add, deduction=unit.deduction + sub, total=total, grade=grade)


def unit_notes(
    before: Results, after: Results, adjustments: Sequence[Adjustment], *, rank: bool = True
) -> dict[str, list[str]]:
    """For each adjusted unit, the sentences its letter carries: each adjustment with its basis, and
    the result before the adjustments (its rank only when the letters show ranks)."""
    old = {u.unit: u for u in before.units}
    notes: dict[str, list[str]] = {}
    for unit in after.units:
        own = [a for a in adjustments if a.unit == unit.unit]
        if own:
            was = old[unit.unit]
            notes[unit.unit] = [*(a.sentence() + "。" for a in own),
                                f"调整前你单位总分 {round2(was.total):.2f} 分，等级为{was.grade_label}"
                                f"{f'，排名第 {was.rank} 位' if rank else ''}；"
                                f"以上为调整后的结果。"]  # fmt: skip
    return notes


def side_by_side(before: Results, after: Results, adjustments: Sequence[Adjustment]) -> list[list[str]]:
    """Rows for master.xlsx: each unit's unadjusted and adjusted result, with the adjustments between."""
    old = {u.unit: u for u in before.units}
    rows = []
    for unit in after.by_rank():
        was = old[unit.unit]
        done = "；".join(a.sentence() for a in adjustments if a.unit == unit.unit) or "—"
        rows.append([unit.unit, f"{round2(was.total):.2f}", was.grade_label, str(was.rank), done,
                     f"{round2(unit.total):.2f}", unit.grade_label, str(unit.rank)])  # fmt: skip
    return rows


SIDE_BY_SIDE_HEADER = ["被考核单位", "调整前总分", "调整前等级", "调整前排名", "会议调整及依据", "调整后总分", "调整后等级",
                       "调整后排名"]  # fmt: skip


@dataclass(frozen=True)
class AdjustedRun:
    before: Results
    after: Results
    adjustments: list[Adjustment]
    show_rank: bool = True  # the rubric's disclosure.rank_in_letters

    @property
    def notes(self) -> dict[str, list[str]]:
        return unit_notes(self.before, self.after, self.adjustments, rank=self.show_rank)

    @property
    def table(self) -> tuple[list[str], list[list[str]]]:
        return SIDE_BY_SIDE_HEADER, side_by_side(self.before, self.after, self.adjustments)


def adjust(results: Results, path: Path | None, rubric: Rubric) -> tuple[AdjustedRun | None, list[Problem]]:
    """The results with the adjustments in `path` applied (None without a file)."""
    if path is None or not path.exists():
        return None, []
    found, problems = read_adjustments(path, rubric)
    adjusted = apply_adjustments(results, found, rubric)
    return AdjustedRun(results, adjusted, found, rubric.disclosure.rank_in_letters), problems
