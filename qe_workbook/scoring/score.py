"""Scoring as frame operations: the master frame → one row per (unit, item) → one row per unit.

All points are integer hundredths (int64), so every step is exact. The one division, the mean of
a joint item, is rounded half up to hundredths in integer arithmetic; a total is a sum of
hundredths, so what is shown is exactly what the grade and rank were decided on. Every item score
keeps its source rows: `src_start`/`src_stop` slice `ItemTable.source_rows`, the positions in the
master frame of the values it was computed from.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..intake.frame import Column, to_cents
from ..problems import problem
from ..rubric import JointRule, Kind, Rubric
from .grading import deduction_cents, grades, ranks
from .limits import apply_grade_limits
from .results import INCOMPLETE_MARK, NO_REMARK, ItemScore, ItemTable, Results, Source, UnitResult, incomplete_problems

__all__ = [
    "INCOMPLETE_MARK", "NO_REMARK", "ItemScore", "Results", "Source", "UnitResult", "item_frame", "score", "unit_columns",
    "unit_frame",
]  # fmt: skip


def unit_columns(rubric: Rubric) -> list[Column]:
    """The units frame's columns as the 汇总 table and results.csv show them (the unit is the index)."""
    return [
        Column("rank", "排名", "int64"),
        Column("unit", "被考核单位", "str"),
        *(Column(f"area_{a.id}_cents", a.name, "int64") for a in rubric.areas),
        Column("bonus_cents", "加分", "int64"),
        Column("deduction_cents", "扣分", "int64"),
        Column("total_cents", "总分", "int64"),
        Column("grade", "等级", "str"),
        Column("veto", "否决", "bool"),
        Column("complete", "是否完整", "bool"),
    ]


def rubric_items(rubric: Rubric) -> pd.DataFrame:
    """The items' facts the arithmetic needs, in hundredths, in rubric order."""
    return pd.DataFrame(
        {
            "kind": [str(i.kind) for i in rubric.items],
            "area": [i.area for i in rubric.items],
            "max_cents": [to_cents(i.max) for i in rubric.items],
            "per_event_cents": [to_cents(i.per_event or 0) for i in rubric.items],
            "expected": [len(i.evaluators) for i in rubric.items],
        },
        index=pd.Index([i.id for i in rubric.items], name="item_id"),
    )


def _evaluator_positions(rubric: Rubric, frame: pd.DataFrame) -> np.ndarray:
    """pos[item, evaluator] = the evaluator's place in the item's list (sources follow the rubric's order)."""
    evaluators = list(frame["evaluator"].cat.categories)
    pos = np.zeros((len(rubric.items), max(len(evaluators), 1)), dtype=np.int64)
    for i, item in enumerate(rubric.items):
        for p, name in enumerate(item.evaluators):
            if name in evaluators:
                pos[i, evaluators.index(name)] = p
    return pos


def item_frame(frame: pd.DataFrame, rubric: Rubric) -> tuple[pd.DataFrame, np.ndarray]:
    """One row per (unit, item), units × items in rubric order, and the source rows it points into.

    Columns: points_cents (Int64, NA when no valid value arrived), received, expected, src_start,
    src_stop. A deduction counts min(events × per_event, cap) per evaluator; several evaluators'
    points combine per `grading.joint`; a veto fires when any evaluator reports the event.
    """
    facts = rubric_items(rubric)
    n_items = len(facts)
    units = pd.Index([u.name for u in rubric.units], name="unit")
    positions = np.flatnonzero(frame["valid"].to_numpy(bool))
    valid = frame.iloc[positions]
    item_code = valid["item_id"].cat.codes.to_numpy(np.int64)
    key = valid["unit"].cat.codes.to_numpy(np.int64) * n_items + item_code
    kind = facts["kind"].to_numpy()[item_code]
    points = valid["value_cents"].to_numpy(np.int64)
    deduction = kind == Kind.DEDUCTION
    events = points // 100
    capped = deduction_cents(
        events, facts["per_event_cents"].to_numpy()[item_code], facts["max_cents"].to_numpy()[item_code]
    )
    points = np.where(deduction, capped, points)

    grouped = pd.Series(points).groupby(key).agg(["count", "sum", "min", "max"])
    grouped = grouped.reindex(range(len(units) * n_items), fill_value=0)
    n, total, low, high = (grouped[c].to_numpy(np.int64) for c in ("count", "sum", "min", "max"))
    item_kind = np.tile(facts["kind"].to_numpy(), len(units))
    if rubric.grading.joint == JointRule.MIN:
        combined = np.where(item_kind == Kind.DEDUCTION, high, low)  # the strictest value
    else:
        combined = (2 * total + n) // np.maximum(2 * n, 1)  # mean of non-negative hundredths, half up
    combined = np.where(item_kind == Kind.VETO, high, combined)

    evaluator_code = valid["evaluator"].cat.codes.to_numpy(np.int64)
    order = np.lexsort((_evaluator_positions(rubric, frame)[item_code, evaluator_code], key))
    sorted_keys = key[order]
    slots = np.arange(len(units) * n_items)
    table = pd.DataFrame(
        {
            "points_cents": pd.array(combined, dtype="Int64"),
            "received": n,
            "expected": np.tile(facts["expected"].to_numpy(), len(units)),
            "src_start": np.searchsorted(sorted_keys, slots, side="left"),
            "src_stop": np.searchsorted(sorted_keys, slots, side="right"),
        },
        index=pd.MultiIndex.from_product([units, facts.index]),
    )
    table.loc[n == 0, "points_cents"] = pd.NA
    return table, positions[order]


def unit_frame(items: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """One row per unit in rubric order: area subtotals, bonus, deduction, total, veto, grade,
    completeness and rank, all points in hundredths.

    The item frame is units × items in rubric order, so its points reshape into the 分项矩阵 (one row
    per unit, one column per item); every subtotal is a row sum over that matrix's columns of one
    kind (and area).
    """
    facts = rubric_items(rubric)
    shape = (len(rubric.units), len(facts))
    matrix = items["points_cents"].fillna(0).to_numpy(np.int64).reshape(shape)
    kind, area = facts["kind"].to_numpy(), facts["area"].to_numpy()

    def total(columns: np.ndarray) -> np.ndarray:
        return matrix[:, columns].sum(axis=1)

    units = pd.DataFrame(index=pd.Index([u.name for u in rubric.units], name="unit"))
    for a in rubric.areas:
        units[f"area_{a.id}_cents"] = total((kind == Kind.SCORE) & (area == a.id))
    units["bonus_cents"] = total(kind == Kind.BONUS)
    units["deduction_cents"] = total(kind == Kind.DEDUCTION)
    units["total_cents"] = total(kind == Kind.SCORE) + units["bonus_cents"] - units["deduction_cents"]
    units["veto"] = total(kind == Kind.VETO) > 0
    units["grade"] = grades(units["total_cents"], units["veto"], rubric.grading)
    missing = (items["expected"] - items["received"]).to_numpy(np.int64).reshape(shape)
    units["complete"] = missing.sum(axis=1) == 0
    units["rank"] = ranks(units["total_cents"], units["veto"], rubric.grading)
    return units


def score(frame: pd.DataFrame, rubric: Rubric) -> Results:
    """Unit totals, grades and ranks from the master frame (a pure function of frame and rubric)."""
    items, source_rows = item_frame(frame, rubric)
    units = unit_frame(items, rubric)
    demotions = apply_grade_limits(units, rubric)
    table = ItemTable(rubric, frame, items, source_rows)
    results = Results(rubric.year, units, table, [], demotions)
    results.problems.extend(incomplete_problems(results.units))
    results.problems.extend(
        problem("GRADE_LIMIT_APPLIED", unit=d.unit, reason=d.sentence(), grade=d.grade, reached=d.reached)
        for d in demotions
    )
    return results
