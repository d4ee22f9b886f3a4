"""The meeting's adjustments register, adjustments.xlsx: its template and its rows read and checked.

The office keeps one row per adjustment (`write_template`): unit, 加分/扣分/降级/定级, points or grade,
依据 (文号 or 纪要), note. The rows read become plain `Adjustment` values that the scoring layer applies
(scoring/adopt.py), keeping the scored result beside the adopted one.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..office_table import blank_register, table_rows
from ..office_table import text as _text
from ..problems import Problem, problem
from ..rubric import Rubric
from ..scoring.adopt import AdjustKind, Adjustment, Adoption, adopt
from ..scoring.results import Results

SHEET = "会议调整"
COLUMNS = ("被考核单位", "调整类型", "分值或等级", "依据（文号或纪要）", "备注")


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
    units, grades = {u.name for u in rubric.units}, rubric.grading.order
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


def adjust(scored: Results, path: Path | None, rubric: Rubric) -> Adoption:
    """The scored result adopted with the adjustments in `path` (none without a file), with the file's problems."""
    if path is None or not path.exists():
        return adopt(scored, None, rubric)
    found, problems = read_adjustments(path, rubric)
    return replace(adopt(scored, found, rubric), problems=problems)
