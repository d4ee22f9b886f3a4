"""The units' self-scores against the evaluated scores, item by item (when the rubric asks for self-scoring).

`qe units check` writes the self-scores it accepted to 自评得分.json in its run folder: integer
hundredths, each traceable to its file, sheet and cell. `qe collect --units-check <that folder>`
reads them (and keeps a copy in its own run folder, where `qe report` finds it again), and
`compare` sets them against the scored items: gap = self-score − evaluated score, exact Fractions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..problems import Problem, problem
from ..rubric import Item, Rubric
from .results import Results

SELF_SCORES_FILE = "自评得分.json"
SELF_SCORES_FORMAT = "qe_workbook-self-scores/1"
LARGEST_GAPS = 5  # items a letter lists


@dataclass(frozen=True)
class SelfScoreValue:
    """One unit's self-score of one item, as read from its table (cents None: the value broke a rule)."""

    unit: str
    item_id: str
    cents: int | None
    raw: str
    remark: str
    file: str
    sheet: str
    cell: str

    @property
    def points(self) -> Fraction | None:
        return None if self.cents is None else Fraction(self.cents, 100)


@dataclass(frozen=True)
class Gap:
    """One unit and item: its self-score, the evaluated score and the difference."""

    unit: str
    item: Item
    self_score: Fraction | None
    evaluated: Fraction | None
    source: SelfScoreValue | None

    @property
    def gap(self) -> Fraction | None:
        """Self-score minus evaluated score: above 0 where the unit rated itself higher."""
        if self.self_score is None or self.evaluated is None:
            return None
        return self.self_score - self.evaluated


@dataclass
class SelfScoreBook:
    """The self-scores a units check accepted, by unit and item."""

    values: dict[tuple[str, str], SelfScoreValue]
    units: list[str]  # the units whose table was used

    def record(self, rubric: Rubric) -> dict[str, Any]:
        """自评得分.json: exact hundredths with their file, sheet and cell."""
        return {
            "format": SELF_SCORES_FORMAT,
            "year": rubric.year,
            "rubric_hash": rubric.content_hash,
            "units": self.units,
            "values": [_value_record(v) for v in self.values.values()],
        }


def _value_record(v: SelfScoreValue) -> dict[str, Any]:
    return {"unit": v.unit, "item": v.item_id, "cents": v.cents, "raw": v.raw, "remark": v.remark,
            "file": v.file, "sheet": v.sheet, "cell": v.cell}  # fmt: skip


def write_self_scores(path: Path, book: SelfScoreBook, rubric: Rubric) -> Path:
    path.write_text(json.dumps(book.record(rubric), ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def read_self_scores(source: Path, rubric: Rubric) -> tuple[SelfScoreBook | None, list[Problem]]:
    """A units check's 自评得分.json (the file, or the run folder holding it), for this very rubric."""
    path = source / SELF_SCORES_FILE if source.is_dir() else source
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != SELF_SCORES_FORMAT:
            raise ValueError(data.get("format"))
        if data.get("rubric_hash") != rubric.content_hash:
            return None, [problem("SELF_SCORES_OTHER_RUBRIC", file=str(path))]
        items = {i.id for i in rubric.self_scored_items()}
        units = {u.name for u in rubric.units}
        values = {}
        for v in data["values"]:
            cents = v["cents"]
            if v["unit"] not in units or v["item"] not in items or not (cents is None or isinstance(cents, int)):
                raise ValueError(v)
            values[(v["unit"], v["item"])] = SelfScoreValue(v["unit"], v["item"], cents, str(v["raw"]),
                                                            str(v["remark"]), str(v["file"]), str(v["sheet"]),
                                                            str(v["cell"]))  # fmt: skip
        used = [str(u) for u in data["units"] if u in units]
    except OSError:
        return None, [problem("SELF_SCORES_UNREADABLE", file=str(path), reason=f"找不到 {SELF_SCORES_FILE}")]
    except (ValueError, KeyError, TypeError, AttributeError):
        return None, [problem("SELF_SCORES_UNREADABLE", file=str(path), reason="文件内容不完整或被改动")]
    return SelfScoreBook(values, used), []


@dataclass
class Comparison:
    """Every unit's scored items: self-score against evaluated score."""

    rubric: Rubric
    book: SelfScoreBook
    gaps: dict[str, list[Gap]]  # unit -> its score items in the plan's order

    def totals(self, unit: str) -> tuple[Fraction, Fraction, int]:
        """The sums over the items with both scores (self, evaluated) and how many such items."""
        both = [g for g in self.gaps[unit] if g.gap is not None]
        return (sum((g.self_score or Fraction(0) for g in both), Fraction(0)),
                sum((g.evaluated or Fraction(0) for g in both), Fraction(0)), len(both))  # fmt: skip

    def largest(self, unit: str, count: int = LARGEST_GAPS) -> list[Gap]:
        """The items with the largest differences either way, largest first (ties in the plan's order)."""
        found = [g for g in self.gaps[unit] if g.gap]
        return sorted(found, key=lambda g: -abs(g.gap or Fraction(0)))[:count]

    def has(self, unit: str) -> bool:
        return any(g.self_score is not None for g in self.gaps[unit])


def compare(book: SelfScoreBook, results: Results, rubric: Rubric) -> Comparison:
    gaps: dict[str, list[Gap]] = {}
    for unit in results.units:
        rows = []
        for score in unit.items:
            if not score.item.self_score or not score.applies:
                continue
            value = book.values.get((unit.unit, score.item.id))
            rows.append(Gap(unit.unit, score.item, value.points if value else None, score.points, value))
        gaps[unit.unit] = rows
    return Comparison(rubric, book, gaps)
