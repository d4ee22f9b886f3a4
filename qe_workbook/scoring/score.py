"""From the master frame to unit totals, grades and ranks, in exact arithmetic.

Points are Decimals as entered (at most 2 decimals) and sums are exact Fractions. The one
division, the mean of a joint item, is rounded half up to hundredths, so every total is an exact
number of hundredths: what is shown is what the grade and rank were decided on. Every item score
keeps the cells it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

import pandas as pd

from ..amounts import round2
from ..problems import Problem, make_problem
from ..rubric import Item, Kind, Rubric

INCOMPLETE_MARK = "（暂定）"
NO_REMARK = "（未填写评价说明）"


@dataclass(frozen=True)
class Source:
    """One evaluator's value for one item of one unit, and where it was written."""

    evaluator: str
    file: str
    sheet: str
    cell: str
    raw: str
    value: Decimal
    remark: str


@dataclass
class ItemScore:
    item: Item
    points: Fraction | None  # score/bonus points, deduction points (positive), veto 1/0
    sources: list[Source]
    missing: list[str]  # evaluators whose valid value is missing

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def lost(self) -> Fraction | None:
        """Points lost on this item: max − score, the deduction itself, or None when nothing was lost."""
        if self.points is None:
            return None
        if self.item.kind is Kind.SCORE and self.points < self.item.max:
            return Fraction(self.item.max) - self.points
        if self.item.kind is Kind.DEDUCTION and self.points > 0:
            return self.points
        return None


@dataclass
class UnitResult:
    unit: str
    areas: dict[str, Fraction]
    bonus: Fraction
    deduction: Fraction
    total: Fraction
    grade: str
    veto: bool
    complete: bool
    items: list[ItemScore] = field(default_factory=list)
    rank: int = 0

    @property
    def grade_label(self) -> str:
        return self.grade if self.complete else f"{self.grade}{INCOMPLETE_MARK}"

    def shortfalls(self) -> list[ItemScore]:
        """Items where points were lost, or the veto fired."""
        return [s for s in self.items if s.lost is not None or (s.item.kind is Kind.VETO and s.points)]


@dataclass
class Results:
    year: int
    units: list[UnitResult]  # in the plan's order
    problems: list[Problem]

    def by_rank(self) -> list[UnitResult]:
        return sorted(self.units, key=lambda u: u.rank)  # stable: ties keep the plan's order


def event_points(item: Item, events: Decimal) -> Fraction:
    """A deduction: min(events × per_event, cap)."""
    assert item.per_event is not None, "rubric_check requires per_event on every deduction"
    per_event = item.per_event
    return min(Fraction(events) * Fraction(per_event), Fraction(item.max))


def combine(item: Item, points: list[Fraction], rule: str) -> Fraction:
    """Joint items: the mean of the received values, or the strictest one (rule 'min')."""
    if item.kind is Kind.VETO:
        return max(points)  # any evaluator reporting the event triggers the veto
    if rule == "min":
        return max(points) if item.kind is Kind.DEDUCTION else min(points)
    # The mean is kept in hundredths (half up), like every other score, so that a displayed total
    # is always the exact total the grade and rank were decided on.
    return Fraction(round2(sum(points, Fraction(0)) / len(points)))


def _sources(frame: pd.DataFrame) -> dict[tuple[str, str], list[Source]]:
    found: dict[tuple[str, str], list[Source]] = {}
    valid = frame[frame["valid"]] if len(frame) else frame
    for row in valid.itertuples(index=False):
        found.setdefault((str(row.unit), str(row.item_id)), []).append(
            Source(
                str(row.evaluator),
                str(row.file),
                str(row.sheet),
                str(row.cell),
                str(row.raw),
                Decimal(str(row.value)),
                str(row.remark),
            )
        )
    return found


def item_score(item: Item, sources: list[Source], rule: str) -> ItemScore:
    by_evaluator = {s.evaluator: s for s in sources}
    missing = [e for e in item.evaluators if e not in by_evaluator]
    values = [by_evaluator[e] for e in item.evaluators if e in by_evaluator]
    if not values:
        return ItemScore(item, None, [], missing)
    points = [event_points(item, s.value) if item.kind is Kind.DEDUCTION else Fraction(s.value) for s in values]
    return ItemScore(item, combine(item, points, rule), values, missing)


def score(frame: pd.DataFrame, rubric: Rubric) -> Results:
    """Unit totals, grades and ranks from the master frame."""
    sources = _sources(frame)
    units = []
    for unit in rubric.units:
        items = [item_score(i, sources.get((unit.name, i.id), []), rubric.grading.joint) for i in rubric.items]

        def total_of(kind: Kind, area: str | None = None, items: list[ItemScore] = items) -> Fraction:
            return sum(
                (s.points or Fraction(0) for s in items if s.item.kind is kind and area in (None, s.item.area)),
                Fraction(0),
            )

        areas = {a.id: total_of(Kind.SCORE, a.id) for a in rubric.areas}
        bonus, deduction = total_of(Kind.BONUS), total_of(Kind.DEDUCTION)
        total = sum(areas.values(), Fraction(0)) + bonus - deduction
        veto = any(s.points for s in items if s.item.kind is Kind.VETO)
        grade = rubric.grading.veto_grade if veto else rubric.grading.grade_for(total)
        complete = all(s.complete for s in items)
        units.append(UnitResult(unit.name, areas, bonus, deduction, total, grade, veto, complete, items))
    assign_ranks(units, rubric.grading.veto_ranks_last)
    return Results(rubric.year, units, incomplete_problems(units))


def assign_ranks(units: list[UnitResult], veto_last: bool) -> None:
    """Competition ranking (1, 2, 2, 4) on the exact total; vetoed units after the others."""

    def key(u: UnitResult) -> tuple[bool, Fraction]:
        return (veto_last and u.veto, -u.total)

    ordered = sorted(units, key=key)
    for position, unit in enumerate(ordered, start=1):
        previous = ordered[position - 2] if position > 1 else None
        unit.rank = previous.rank if previous is not None and key(previous) == key(unit) else position


def incomplete_problems(units: list[UnitResult]) -> list[Problem]:
    problems = []
    for u in units:
        gaps = [s for s in u.items if not s.complete]
        if gaps:
            listed = "、".join(f"{s.item.id}（{'、'.join(s.missing)}）" for s in gaps[:6])
            more = f" 等 {len(gaps)} 项" if len(gaps) > 6 else ""
            problems.append(
                make_problem(
                    "UNIT_INCOMPLETE", f"{u.unit}有 {len(gaps)} 个项目缺少有效得分：{listed}{more}；总分和等级为暂定"
                )
            )
    return problems
