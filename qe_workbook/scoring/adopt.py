"""Adoption: the meeting's adjustments applied to the scored units frame, as a new units frame.

The office's adjustments (加分/扣分/降级/定级, each with its basis) arrive as plain `Adjustment`
values (record/adjustments.py reads them from adjustments.xlsx). Points go into the unit's bonus or
deduction column, so its total still adds up; an adjusted unit is graded again from its new total
by the thresholds (the meeting's decision replaces a grade cap for it), then 降级 lowers the grade
one step (or to the grade given) and 定级 sets it; every unit is ranked again on the adjusted totals.
Grading and ranking are the very functions scoring uses (`grading.py`). The adopted result is a new
`Results` view over its own units frame; the scored one is kept beside it (`Adoption`), for the
"before" columns of master.xlsx and the letters' notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

import pandas as pd

from ..amounts import round2
from ..intake.frame import to_cents
from ..problems import Problem
from ..rubric import Rubric
from ..rubric.model import grade_label
from .grading import grades, ranks
from .results import Results


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
            return f"降为{grade_label(self.grade)}" if self.grade else "降一个等级"
        return f"定为{grade_label(self.grade or '')}"

    def sentence(self) -> str:
        note = f"（{self.note}）" if self.note else ""
        return f"根据{self.basis}，{self.text()}{note}"

    def to_dict(self) -> dict[str, Any]:
        """As results.json records it."""
        points = None if self.points is None else str(self.points)
        return {"unit": self.unit, "kind": str(self.kind), "points": points, "grade": self.grade, "basis": self.basis,
                "note": self.note, "cell": self.cell}  # fmt: skip

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Adjustment:
        points = None if data["points"] is None else Decimal(data["points"])
        return cls(str(data["unit"]), AdjustKind(data["kind"]), points, data["grade"], str(data["basis"]),
                   str(data["note"]), str(data["cell"]))  # fmt: skip


def adopted_results(scored: Results, adjustments: Sequence[Adjustment], rubric: Rubric) -> Results:
    """The scored result with the adjustments applied: a new view over a new units frame (the scored one
    is unchanged)."""
    units = scored.units_frame.copy()
    added, taken = (_cents(adjustments, kind, units.index) for kind in (AdjustKind.ADD, AdjustKind.SUBTRACT))
    units["bonus_cents"] += added
    units["deduction_cents"] += taken
    units["total_cents"] += added - taken
    names = {a.unit for a in adjustments}
    adjusted = units.index.isin(list(names))
    units.loc[adjusted, "grade"] = grades(units, rubric.grading)[adjusted]
    order = rubric.grading.order
    for a in adjustments:
        grade = str(units.at[a.unit, "grade"])
        if a.kind is AdjustKind.DOWNGRADE:
            lower = order[min(order.index(grade) + 1, len(order) - 1)]
            units.at[a.unit, "grade"] = a.grade if a.grade and order.index(a.grade) > order.index(grade) else lower
        elif a.kind is AdjustKind.SET and a.grade:
            units.at[a.unit, "grade"] = a.grade
    units["rank"] = ranks(units, rubric.grading)
    capped = [d for d in scored.demotions if d.unit not in names]  # an adjusted unit's grade is the meeting's
    return Results(scored.year, units, scored.table, scored.problems, capped)


def _cents(adjustments: Sequence[Adjustment], kind: AdjustKind, units: pd.Index) -> pd.Series:
    """Each unit's points of one kind of adjustment, in hundredths (0 for a unit without any)."""
    own = [a for a in adjustments if a.kind is kind and a.points is not None]
    cents = pd.Series(
        [to_cents(a.points) for a in own if a.points is not None], index=[a.unit for a in own], dtype="int64"
    )
    return cents.groupby(level=0).sum().reindex(units, fill_value=0)


@dataclass(frozen=True)
class Adoption:
    """A run's result as scored and as adopted, with the adjustments between (none when `adjusted` is False:
    the run had no adjustments file)."""

    scored: Results
    results: Results  # as adopted: what every published number comes from
    adjustments: list[Adjustment] = field(default_factory=list)
    adjusted: bool = False  # an adjustments file was given (master.xlsx then shows 会议调整后)
    show_rank: bool = True  # the rubric's disclosure.rank_in_letters
    problems: list[Problem] = field(default_factory=list)  # the adjustments register's (rows left out)

    @property
    def table(self) -> tuple[list[str], list[list[str]]] | None:
        """master.xlsx's 会议调整后: each unit's scored and adopted result, with the adjustments between (None
        without an adjustments file)."""
        if not self.adjusted:
            return None
        old = {u.unit: u for u in self.scored.units}
        rows = []
        for unit in self.results.by_rank():
            was = old[unit.unit]
            done = "；".join(a.sentence() for a in self.adjustments if a.unit == unit.unit) or "—"
            rows.append([unit.unit, f"{round2(was.total):.2f}", was.grade_label, str(was.rank), done,
                         f"{round2(unit.total):.2f}", unit.grade_label, str(unit.rank)])  # fmt: skip
        return SIDE_BY_SIDE_HEADER, rows


SIDE_BY_SIDE_HEADER = ["被考核单位", "调整前总分", "调整前等级", "调整前排名", "会议调整及依据", "调整后总分", "调整后等级",
                       "调整后排名"]  # fmt: skip


def adopt(scored: Results, adjustments: Sequence[Adjustment] | None, rubric: Rubric) -> Adoption:
    """The adoption of a scored result: with `adjustments` (None: the run had no adjustments file) applied."""
    if adjustments is None:
        return Adoption(scored, scored, show_rank=rubric.disclosure.rank_in_letters)
    adopted = adopted_results(scored, adjustments, rubric)
    return Adoption(scored, adopted, list(adjustments), True, rubric.disclosure.rank_in_letters)
