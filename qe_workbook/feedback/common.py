"""共性问题: for each evaluating department, the items on which many units lost points by its own
entries (方案五(三): the departments take them as next year's priorities).

A unit lost points on an item by a department's entry when that department gave less than full
marks (a score item) or counted events (a deduction item: min(events × per event, cap)). An item is
a 共性问题 of the department when at least the rubric's `follow_up.common_min_percent` of all units,
and at least two, lost points by its entries. For an item two departments score, each department
sees only its own entries and remarks. Only what the units are told counts: the fed-back list
(feedback/fed_back.py) decides which items each unit hears about and in which words (the office's
反馈表述 where it rewrote the remarks). Points are exact Fractions.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from xlsxwriter.worksheet import Worksheet

from ..amounts import canonical
from ..outputs.master import ExtraSheet
from ..outputs.sheets import Sheets, column_widths, sheet_paper
from ..rubric import Item, Kind, Rubric
from ..rubric.view import points_label
from ..scoring.results import NO_REMARK, Results, Source
from .fed_back import FedBackList, fed_back

MIN_UNITS = 2  # "several" units: never one alone, whatever the share


@dataclass(frozen=True)
class Loss:
    """What one department entered for one unit on one item, and the points it cost."""

    unit: str
    entered: str  # as shown: 36.00 or 2次
    lost: Fraction
    remark: str
    file: str
    sheet: str
    cell: str


@dataclass(frozen=True)
class CommonProblem:
    evaluator: str
    item: Item
    losses: tuple[Loss, ...]  # in the rubric's order of units

    @property
    def total_lost(self) -> Fraction:
        return sum((loss.lost for loss in self.losses), Fraction(0))


def source_loss(item: Item, source: Source) -> Fraction:
    """The points one department's entry cost the unit by the item's rule, as scored (0 when nothing was lost, for
    an advisory department's entry, and on a checklist's aspects after the first, which carries the loss)."""
    if source.points is None or not source.counted or source.entry > 1:
        return Fraction(0)
    if item.kind is Kind.SCORE:
        return max(Fraction(item.max) - source.points, Fraction(0))
    if item.kind is Kind.DEDUCTION:
        return source.points
    return Fraction(0)


def entered_text(item: Item, source: Source) -> str:
    return f"{source.raw}次" if item.kind is Kind.DEDUCTION else f"{source.value:.2f}"


def is_common(count: int, units: int, min_percent: Fraction) -> bool:
    """At least MIN_UNITS units, and at least `min_percent` % of all units (exact: count × 100 ≥ percent × units)."""
    return count >= MIN_UNITS and count * 100 >= min_percent * units


def common_problems(
    rubric: Rubric, results: Results, told: FedBackList | None = None
) -> dict[str, list[CommonProblem]]:
    """Each form evaluator (in the rubric's order) with its 共性问题, items in the rubric's order; `told` is the
    fed-back list (default: every shortfall in the departments' own remarks)."""
    told = told if told is not None else fed_back(results)
    heard = {unit.unit: told.by_item(unit.unit) for unit in results.units}
    min_percent = Fraction(rubric.follow_up.common_min_percent)
    found: dict[str, list[CommonProblem]] = {ev.name: [] for ev in rubric.form_evaluators()}
    for n, item in enumerate(rubric.items):
        if item.kind not in (Kind.SCORE, Kind.DEDUCTION):
            continue
        for evaluator in item.evaluators:
            losses = []
            for unit in results.units:
                entry = heard[unit.unit].get(item.id)
                if entry is None:  # not fed back to this unit
                    continue
                for source in unit.items[n].sources:
                    lost = source_loss(item, source) if source.evaluator == evaluator else Fraction(0)
                    if lost:
                        losses.append(Loss(unit.unit, entered_text(item, source), lost,
                                           entry.remark_for(evaluator, True), source.file, source.sheet,
                                           source.cell))  # fmt: skip
            if is_common(len(losses), sum(u.items[n].applies for u in results.units), min_percent):
                found.setdefault(evaluator, []).append(CommonProblem(evaluator, item, tuple(losses)))
    return found


def common_sheet(rubric: Rubric, results: Results) -> ExtraSheet:
    """master.xlsx's 共性问题 sheet."""
    return ExtraSheet(("共性问题",), lambda ws, s: _common(ws[0], s, rubric, results))


def _common(ws: Worksheet, s: Sheets, rubric: Rubric, results: Results) -> None:
    """共性问题: per department, the items where the rubric's share of units lost points by its entries."""
    header = [
        "评价部门",
        "项目编号",
        "所评价项目",
        "满分",
        "失分单位数",
        "被考核单位",
        "该部门所填",
        "失分",
        "评价说明",
    ]
    widths = [13, 8, 36, 10, 8, 12, 9, 7, 60]
    ws.write_string(
        0,
        0,
        f"共性问题：失分单位占被考核单位 {canonical(rubric.follow_up.common_min_percent)}% 以上（且不少于 2 个）的项目",
        s.title,
    )
    last = s.table(ws, 2, header, _common_rows(rubric, results), widths)
    column_widths(ws, widths)
    sheet_paper(ws, 2, last, len(header) - 1, owner=s.owner, printed=False)  # long: each department's own file prints


def _common_rows(rubric: Rubric, results: Results) -> Iterator[list[Any]]:
    """共性问题's rows one at a time."""
    for evaluator, found in common_problems(rubric, results).items():
        for problem in found:
            item, label, count = problem.item, points_label(problem.item), len(problem.losses)
            for loss in problem.losses:
                yield [evaluator, item.id, item.text, label, count, loss.unit, loss.entered, loss.lost,
                       loss.remark or NO_REMARK]  # fmt: skip
        if not found:
            yield [evaluator, "", "（没有共性问题）", "", 0, "", "", None, ""]
