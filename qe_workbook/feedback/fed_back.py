"""The fed-back list: for each unit, the items it is told about, in the words it is told.

Every unit × item where something happened is a candidate: a score item short of full marks, a
deduction, a bonus, a veto that fired. Its 原文 is the departments' remarks (a joint item's each
under its department's name). Without the office's wording (反馈修改稿.xlsx, see wording.py)
every candidate is sent in its 原文; with it, each is sent in the office's 反馈表述, or not at all
where 是否反馈 is 否. The letters, the 整改台账 and the 共性问题 all read this one list.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..amounts import fmt2
from ..office_table import table_rows, text
from ..problems import Problem, problem
from ..rubric import Item, Kind, Rubric
from ..scoring.results import ItemScore, Results, UnitResult

ENDS = "。；！？.;!?"
WORDING_SHEET = "反馈修改稿"
FILE_NAME = "反馈修改稿.xlsx"
GONE_SHEET = "已不再反馈的项目"
COLUMNS = ("被考核单位", "项目编号", "类别", "项目", "得分情况", "评价部门", "原文", "反馈表述", "是否反馈", "内部说明",
           "核对")  # fmt: skip
WIDTHS = (9, 8, 7, 20, 10, 11, 32, 32, 8, 20, 18)
ORIGINAL, TEXT, SEND, NOTE, CHECK = 6, 7, 8, 9, 10
INPUTS = (TEXT, SEND, NOTE)
YES, NO = "是", "否"
CHANGED, NEW = "原文已变", "新增"
FIRST_ROW = 3  # rows 0-1: title and hint; row 2: the header (Excel rows 1-3)


@dataclass(frozen=True)
class WordingRow:
    """One row of the office's 反馈修改稿: what it says for one unit × item."""

    unit: str
    item_id: str
    original: str  # 原文 as exported
    text: str  # 反馈表述
    send: bool  # 是否反馈
    note: str  # 内部说明 (never sent)
    row: int  # the row number as Excel shows it


Wording = Mapping[tuple[str, str], WordingRow]


@dataclass(frozen=True)
class FedBack:
    """One item as a unit is told about it."""

    unit: str
    score: ItemScore
    original: str  # the departments' remarks (原文)
    text: str  # what the unit is told (the office's 反馈表述, or the 原文)

    @property
    def item(self) -> Item:
        return self.score.item

    @property
    def is_problem(self) -> bool:
        """A shortfall the unit is to rectify (every kind but a bonus)."""
        return self.item.kind is not Kind.BONUS

    @property
    def edited(self) -> bool:
        return self.text != self.original

    @property
    def evaluators(self) -> list[str]:
        return [s.evaluator for s in self.score.sources] or list(self.item.evaluators)

    def remark_for(self, evaluator: str, first: bool) -> str:
        """The remark shown beside one evaluator's entry: its own remark while the office kept the 原文,
        else the office's text once (beside the item's first entry)."""
        if not self.edited:
            return next((s.remark.strip() for s in self.score.sources if s.evaluator == evaluator and s.remark), "")
        return self.text if first else ""

    def amount(self) -> str:
        """失 4.42 分 / 扣 1.50 分 / 加 1.00 分 / 否决."""
        kind, points = self.item.kind, self.score.points or Fraction(0)
        if kind is Kind.VETO:
            return "否决"
        if kind is Kind.BONUS:
            return f"加 {fmt2(points)} 分"
        if kind is Kind.DEDUCTION:
            return f"扣 {fmt2(points)} 分"
        return f"失 {fmt2(self.score.lost)} 分"

    def to_dict(self) -> dict[str, Any]:
        return {"unit": self.unit, "item": self.item.id, "kind": str(self.item.kind), "amount": self.amount(),
                "evaluators": self.evaluators, "text": self.text, "edited": self.edited}  # fmt: skip


def noted(score: ItemScore) -> bool:
    """Whether the item is fed back at all: points lost, deducted or added, or the veto fired."""
    if score.item.kind is Kind.BONUS:
        return bool(score.points)
    return score.lost is not None or (score.item.kind is Kind.VETO and bool(score.points))


def noted_items(unit: UnitResult) -> list[ItemScore]:
    return [s for s in unit.items if noted(s)]


def original_text(score: ItemScore) -> str:
    """The departments' remarks on the item: one department's as written, several each under its name."""
    said = [(s.evaluator, s.remark.strip()) for s in score.sources if s.remark and s.remark.strip()]
    if len(said) == 1:
        return said[0][1]
    parts = [f"{ev}：{text}" for ev, text in said]
    return "".join(p if p.endswith(tuple(ENDS)) or n == len(parts) - 1 else p + "；" for n, p in enumerate(parts))


@dataclass
class FedBackList:
    """Every unit's fed-back items (plan order of units, rubric order of items), and what the office's
    wording file said that needs looking at."""

    units: dict[str, list[FedBack]]
    problems: list[Problem] = field(default_factory=list)

    def for_unit(self, unit: str) -> list[FedBack]:
        """Everything the unit is told about, bonuses included."""
        return self.units.get(unit, [])

    def problems_of(self, unit: str) -> list[FedBack]:
        """The shortfalls the unit is told about (what it rectifies)."""
        return [f for f in self.for_unit(unit) if f.is_problem]

    def by_item(self, unit: str) -> dict[str, FedBack]:
        return {f.item.id: f for f in self.for_unit(unit)}

    def __iter__(self) -> Iterator[FedBack]:
        return (f for entries in self.units.values() for f in entries)


def fed_back(results: Results, wording: Wording | None = None, *, file: str | None = None) -> FedBackList:
    """The fed-back list of a run's results, in the office's `wording` (read from `file`) when given."""
    units: dict[str, list[FedBack]] = {}
    problems: list[Problem] = []
    used: set[tuple[str, str]] = set()
    for unit in results.units:
        entries = units.setdefault(unit.unit, [])
        for score in noted_items(unit):
            original = original_text(score)
            if wording is None:
                entries.append(FedBack(unit.unit, score, original, original))
                continue
            key = (unit.unit, score.item.id)
            row = wording.get(key)
            where: dict[str, Any] = {"file": file, "unit": unit.unit, "item": score.item.id}
            if row is None:
                problems.append(problem("FEEDBACK_WORDING_NO_ROW", **where))
                entries.append(FedBack(unit.unit, score, original, original))
                continue
            used.add(key)
            if row.original != original:
                problems.append(problem("FEEDBACK_WORDING_STALE", **where, sheet=WORDING_SHEET, cell=f"G{row.row}"))
            if row.send:
                entries.append(FedBack(unit.unit, score, original, row.text))
    if wording is not None:
        for key, row in wording.items():
            if key not in used:
                problems.append(problem("FEEDBACK_WORDING_NOT_NOTED", file=file, sheet=WORDING_SHEET,
                                        cell=f"A{row.row}", unit=row.unit, item=row.item_id))  # fmt: skip
    return FedBackList(units, problems)


def fed_back_list(results: Results, rubric: Rubric, wording_file: Path | None = None) -> FedBackList:
    """THE fed-back list: what each unit receives, in the office's wording when `wording_file` (a
    反馈修改稿.xlsx) is given. The file's problems come back in `.problems`; a bad row never stops it."""
    if wording_file is None:
        return fed_back(results)
    wording, trouble = read_wording(wording_file, rubric)
    listed = fed_back(results, wording, file=str(wording_file))
    listed.problems[:0] = trouble
    return listed


def read_wording(path: Path, rubric: Rubric) -> tuple[dict[tuple[str, str], WordingRow], list[Problem]]:
    """The office's rows, checked; a row naming no unit or item of the rubric, or twice the same one, is
    reported and left out; a 是否反馈 that is neither 是 nor 否 withholds the item until corrected."""
    rows, trouble = table_rows(path, COLUMNS[0], "FEEDBACK_WORDING_UNREADABLE")
    if trouble:
        return {}, trouble
    units, items = {u.name for u in rubric.units}, {i.id for i in rubric.items}
    found: dict[tuple[str, str], WordingRow] = {}
    problems: list[Problem] = []
    for n, row in rows:
        values = [text(v) for v in (*row, *[None] * len(COLUMNS))[: len(COLUMNS)]]
        if not any(values):
            continue
        unit, item_id = values[0], values[1]
        where: dict[str, Any] = {"file": str(path), "sheet": WORDING_SHEET}
        if unit not in units or item_id not in items:
            problems.append(problem("FEEDBACK_WORDING_UNKNOWN", **where, cell=f"A{n}", unit=unit, item=item_id))
            continue
        if (unit, item_id) in found:
            problems.append(problem("FEEDBACK_WORDING_DUPLICATE", **where, cell=f"A{n}", unit=unit, item=item_id,
                                    first=found[unit, item_id].row))  # fmt: skip
            continue
        send = values[SEND] or YES
        if send not in (YES, NO):
            problems.append(problem("FEEDBACK_WORDING_BAD_SEND", **where, cell=f"I{n}", unit=unit, item=item_id,
                                    value=send))  # fmt: skip
        found[unit, item_id] = WordingRow(unit, item_id, values[ORIGINAL], values[TEXT], send == YES, values[NOTE], n)
    return found, problems


def unit_fed_back(unit: UnitResult) -> dict[str, FedBack]:
    """One unit's items in the departments' own remarks (no wording file): item id → entry."""
    return {s.item.id: FedBack(unit.unit, s, text, text) for s in noted_items(unit) for text in [original_text(s)]}
