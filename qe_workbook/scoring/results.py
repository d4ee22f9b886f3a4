"""The scored frames seen as objects: `Results` → `UnitResult` → `ItemScore` → `Source`.

The documents and charts read these. They are built from the frames `scoring.score` computes
(points in hundredths, shown here as exact Fractions); a unit's item scores are built when first
read, from the item frame and the master-frame rows each score came from.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..intake.frame import plain
from ..problems import Problem, problem
from ..rubric import Item, Kind, Rubric

if TYPE_CHECKING:
    from .limits import Demotion

INCOMPLETE_MARK = "（暂定）"
NO_REMARK = "（未填写评价说明）"


def points(cents: Any) -> Fraction:
    return Fraction(int(cents), 100)


@dataclass(frozen=True)
class Source:
    """One evaluator's value for one item of one unit, where it was written, and its master-frame row.

    `value` is what was typed (points, events, a figure, 1/0 for 是/否); `points` what that evaluator's entry
    gives by the item's rule (for a checklist: the evaluator's points over all its aspects, on each aspect's
    source); `entry` the input it answers (0: the item's one input; 1…n: a checklist's aspects, as
    `Item.entries()` lists them); `counted` False for an advisory department's value (shown, not counted) and
    for a checklist an evaluator left incomplete."""

    evaluator: str
    file: str
    sheet: str
    cell: str
    raw: str
    value: Decimal
    remark: str
    row: int = -1
    points: Fraction | None = None
    entry: int = 0
    counted: bool = True


@dataclass(frozen=True)
class Sources:
    """The master-frame rows the item scores were computed from, grouped by (unit, item) slot
    (`src_start`/`src_stop` of the item frame), with each row's evaluator points by the rule and whether it
    counted."""

    rows: np.ndarray
    points: np.ndarray
    counted: np.ndarray


@dataclass
class ItemScore:
    item: Item
    points: Fraction | None  # score/bonus points, deduction points (positive), veto 1/0
    sources: list[Source]
    missing: list[str]  # evaluators whose valid value is missing
    applies: bool = True  # False: the item is for another class of units (not expected, not counted, no points)

    @property
    def rule(self) -> str:
        """The rule the points were computed by, in words (for 明细: "合格率 97.50% → 1.50 分（按合格率测算…）")."""
        return self.item.words()

    @property
    def combination(self) -> str:
        """How several departments' points were combined, in words ("" for an item one department scores)."""
        return self.item.combine.words() if self.item.is_joint else ""

    @property
    def rows(self) -> list[int]:
        """The master-frame rows this score was computed from."""
        return [s.row for s in self.sources]

    @property
    def complete(self) -> bool:
        return not self.missing

    @cached_property  # read several times per item by the letters, master.xlsx and the follow-up lists
    def lost(self) -> Fraction | None:
        """Points lost on this item: max − score, the deduction itself, or None when nothing was lost."""
        if self.points is None:
            return None
        if self.item.kind is Kind.SCORE and self.points < self.item.max:
            return Fraction(self.item.max) - self.points
        if self.item.kind is Kind.DEDUCTION and self.points > 0:
            return self.points
        return None


class ItemTable:
    """The item frame with what is needed to show one unit's item scores and their sources."""

    def __init__(self, rubric: Rubric, frame: pd.DataFrame, items: pd.DataFrame, sources: Sources) -> None:
        self.rubric, self.frame, self.items, self.sources = rubric, frame, items, sources
        self.unit_position = {u.name: n for n, u in enumerate(rubric.units)}

    @cached_property
    def _lists(self) -> dict[str, list[Any]]:
        """The columns the view reads, once, as plain lists (the view is built item by item)."""
        f, items = self.frame, self.items
        lists = {c: plain(f[c], "") for c in ("evaluator", "file", "sheet", "cell", "raw", "remark")}
        lists["value_cents"] = plain(f["value_cents"])
        lists["row"] = f.index.tolist()
        lists["points_cents"] = plain(items["points_cents"])
        lists["short"] = (items["received"] < items["expected"]).tolist()
        lists["src_start"], lists["src_stop"] = items["src_start"].tolist(), items["src_stop"].tolist()
        lists["source_rows"] = self.sources.rows.tolist()
        lists["source_points"], lists["counted"] = self.sources.points.tolist(), self.sources.counted.tolist()
        lists["applies"] = items["applies"].tolist()
        lists["entry"] = f["entry"].tolist()
        return lists

    def row_points(self) -> pd.DataFrame:
        """Per master-frame row (same index): `points_cents`, what that row's evaluator entry gives by the item's
        rule (Int64; NA for a row not scored: invalid, or of an item that does not apply to the unit; a checklist's
        points on each of its aspects' rows), and `counted` (False for an advisory department's row and a
        checklist left incomplete). For 明细: "合格率 97.50% → 1.50 分（rule words: `Item.words()`）"."""
        frame = pd.DataFrame({"points_cents": pd.array([pd.NA] * len(self.frame), dtype="Int64"),
                              "counted": np.zeros(len(self.frame), dtype=bool)}, index=self.frame.index)  # fmt: skip
        frame.iloc[self.sources.rows, 0] = self.sources.points
        frame.iloc[self.sources.rows, 1] = self.sources.counted
        return frame

    def for_unit(self, unit: str) -> list[ItemScore]:
        """The unit's item scores, one per rubric item in rubric order (so position n is `rubric.items[n]`); an item
        for another class of units has `applies` False, no points and no sources."""
        n_items = len(self.rubric.items)
        first = self.unit_position[unit] * n_items
        c = self._lists
        evaluator, file, sheet, cell, raw, remark, value, row, entry = (
            c[k] for k in ("evaluator", "file", "sheet", "cell", "raw", "remark", "value_cents", "row", "entry")
        )
        scores = []
        for n, item in enumerate(self.rubric.items, start=first):
            sources = [
                Source(evaluator[at], file[at], sheet[at], cell[at], raw[at], Decimal(value[at]).scaleb(-2),
                       remark[at], row[at], Fraction(c["source_points"][s], 100), entry[at], c["counted"][s])
                for s, at in enumerate(c["source_rows"][c["src_start"][n] : c["src_stop"][n]], c["src_start"][n])
            ]  # fmt: skip
            missing: list[str] = []
            if c["short"][n]:
                got = {s.evaluator for s in sources if s.counted}
                lead = item.combine.lead
                missing = [e for e in item.evaluators if e not in got and lead in (None, e)]
            cents = c["points_cents"][n]
            points = None if cents is None else Fraction(cents, 100)
            scores.append(ItemScore(item, points, sources, missing, c["applies"][n]))
        return scores


@dataclass(frozen=True)
class UnitResult:
    unit: str
    areas: dict[str, Fraction]
    bonus: Fraction
    deduction: Fraction
    total: Fraction
    grade: str
    veto: bool
    complete: bool
    rank: int
    table: ItemTable | None = field(default=None, repr=False, compare=False)
    key_points: dict[str, Fraction] = field(default_factory=dict)  # every key point's subtotal, at every level
    parts: dict[str, Fraction] = field(default_factory=dict)  # each weighted part's points, scaled
    full: Fraction = Fraction(100)  # the unit's full marks (of the items that apply to it)

    @classmethod
    def from_row(cls, unit: Any, row: Mapping[Hashable, Any], table: ItemTable) -> UnitResult:
        rubric = table.rubric
        areas = {a.id: points(row[f"area_{a.id}_cents"]) for a in rubric.areas}
        key_points = {k.id: points(row[f"kp_{k.id}_cents"]) for k in rubric.key_points}
        parts = {p.id: points(row[f"part_{p.id}_cents"]) for p in rubric.parts}
        return cls(str(unit), areas, points(row["bonus_cents"]), points(row["deduction_cents"]),
                   points(row["total_cents"]), str(row["grade"]), bool(row["veto"]), bool(row["complete"]),
                   int(row["rank"]), table, key_points, parts, points(row["full_cents"]))  # fmt: skip

    @cached_property
    def items(self) -> list[ItemScore]:
        return [] if self.table is None else self.table.for_unit(self.unit)

    @property
    def grade_label(self) -> str:
        return self.grade if self.complete else f"{self.grade}{INCOMPLETE_MARK}"

    def item(self, item_id: str) -> ItemScore:
        """The unit's score of one item (for an item of another class: `applies` False, no points)."""
        return next(s for s in self.items if s.item.id == item_id)

    def shortfalls(self) -> list[ItemScore]:
        """Items where points were lost, or the veto fired."""
        return [s for s in self.items if s.lost is not None or (s.item.kind is Kind.VETO and s.points)]


@dataclass(frozen=True, eq=False)
class Results:
    """A read-only view of one units frame (one row per unit, points in hundredths) with the item and
    master frames behind it: `units` are that frame's rows as objects, so they never disagree with it.

    `scoring.score` makes the scored view; `scoring.adopt` the adopted one, a new units frame over
    the same item table."""

    year: int
    units_frame: pd.DataFrame = field(repr=False)  # one row per unit, in the plan's order
    table: ItemTable = field(repr=False)  # the item frame and the master frame
    problems: list[Problem]
    demotions: list[Demotion] = field(default_factory=list)  # units a grade cap of the rubric moved down

    @property
    def frame(self) -> pd.DataFrame:
        """The master frame."""
        return self.table.frame

    @property
    def items_frame(self) -> pd.DataFrame:
        """One row per (unit, item)."""
        return self.table.items

    @cached_property
    def units(self) -> list[UnitResult]:
        """The units frame's rows, in the plan's order."""
        frame = self.units_frame
        rows = frame.to_dict("records")  # plain values: read column by column, not row by row
        return [UnitResult.from_row(unit, row, self.table) for unit, row in zip(frame.index, rows, strict=True)]

    def by_rank(self) -> list[UnitResult]:
        return sorted(self.units, key=lambda u: u.rank)  # stable: ties keep the plan's order


def incomplete_problems(units: list[UnitResult]) -> list[Problem]:
    problems = []
    for u in units:
        if u.complete:
            continue
        gaps = [s for s in u.items if not s.complete]
        listed = [f"{s.item.id}（{'、'.join(s.missing)}）" for s in gaps[:6]] + (["…"] if len(gaps) > 6 else [])
        problems.append(problem("UNIT_INCOMPLETE", unit=u.unit, count=len(gaps), gaps=listed))
    return problems
