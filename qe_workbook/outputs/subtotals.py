"""A unit's points at every level of the plan's tree (area → key point → sub-point …) and its weighted parts,
for master.xlsx (分级小计) and the letters' context (分级小计, 各部分). Nothing is recomputed: the scores are the
ones scoring stored (`UnitResult.areas`, `key_points`, `parts`); the full marks at a level are the points of the
score items below it that apply to the unit's class.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..amounts import canonical, fmt2
from ..rubric import Kind, Rubric
from ..scoring.score import UnitResult

SHEET = "分级小计"


@dataclass(frozen=True)
class Level:
    """One row of the tree: an area (depth 0) or a key point (depth 1 directly under its area, 2 below …)."""

    depth: int
    id: str
    name: str
    area: bool


def has_tree(rubric: Rubric) -> bool:
    """Whether the plan gives points below its areas (a key point with a parent or its own max)."""
    return any(k.parent is not None or k.max is not None for k in rubric.key_points)


def levels(rubric: Rubric) -> list[Level]:
    """The areas, each followed by its key points depth first (the plan's order within a level)."""
    rows: list[Level] = []

    def below(parent: str | None, area: str, depth: int) -> None:
        for kp in rubric.key_points:
            if kp.parent == parent and kp.area == area:
                rows.append(Level(depth, kp.id, f"{kp.label}{kp.title}", False))
                below(kp.id, area, depth + 1)

    for a in rubric.areas:
        rows.append(Level(0, a.id, a.name, True))
        below(None, a.id, 1)
    return rows


def level_max(rubric: Rubric, level: Level, unit: str) -> Decimal:
    """The points a unit can score at a level: the score items below it that apply to its class."""
    who = next(u for u in rubric.units if u.name == unit)
    return sum(
        (i.max for i in rubric.unit_items(who) if i.kind is Kind.SCORE and _under(rubric, i.id, i.area, level)),
        Decimal(0),
    )


def _under(rubric: Rubric, item_id: str, area: str, level: Level) -> bool:
    if level.area:
        return area == level.id
    return any(k.id == level.id for k in rubric.key_point_chain(item_id))


def level_points(unit: UnitResult, level: Level) -> Fraction:
    return unit.areas[level.id] if level.area else unit.key_points[level.id]


def subtotal_fields(rubric: Rubric, unit: UnitResult) -> list[dict[str, Any]]:
    """分级小计 for a letter: every level with its full marks, points and points lost ([] for a plan without a tree)."""
    if not has_tree(rubric):
        return []
    rows = []
    for level in levels(rubric):
        full, points = level_max(rubric, level, unit.unit), level_points(unit, level)
        if not full and not level.area:
            continue  # a key point holding only bonus, deduction or veto items
        rows.append({"层级": level.depth, "编号": level.id, "名称": level.name, "满分": canonical(full),
                     "得分": fmt2(points), "失分": fmt2(Fraction(full) - points)})  # fmt: skip
    return rows


def part_fields(rubric: Rubric, unit: UnitResult) -> list[dict[str, Any]]:
    """各部分 for a letter: each weighted part, its weight (also as 满分), its areas, its scaled points and the
    points it lost ([] without parts)."""
    names = {a.id: a.name for a in rubric.areas}
    return [
        {"名称": p.name, "权重": canonical(p.weight), "所含领域": "、".join(names[a] for a in p.areas),
         "满分": fmt2(p.weight), "得分": fmt2(unit.parts[p.id]), "失分": fmt2(Fraction(p.weight) - unit.parts[p.id])}
        for p in rubric.parts
    ]  # fmt: skip
