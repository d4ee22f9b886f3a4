"""Scoring as frame operations: the master frame → one row per (unit, item) → one row per unit.

All points are integer hundredths (int64), so every step is exact. The one division, the mean of
a joint item, is rounded half up to hundredths in integer arithmetic; a total is a sum of
hundredths, so what is shown is exactly what the grade and rank were decided on. Every item score
keeps its source rows: `src_start`/`src_stop` slice `ItemTable.source_rows`, the positions in the
master frame of the values it was computed from.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..intake.frame import Column, to_cents
from ..problems import problem
from ..rubric import Kind, RankRule, Rubric, TableRule
from . import rules
from .facts import CHECKLIST, LEAD, LINEAR, MIN, NO_CAP, PER_EVENT, SUM_DEDUCTIONS, WEIGHTED, ItemFacts
from .limits import apply_grade_limits
from .results import (
    INCOMPLETE_MARK,
    NO_REMARK,
    ItemScore,
    ItemTable,
    Results,
    Source,
    Sources,
    UnitResult,
    incomplete_problems,
)
from .totals import unit_frame

__all__ = [
    "INCOMPLETE_MARK", "NO_REMARK", "ItemScore", "Results", "Source", "UnitResult", "item_frame", "score", "unit_columns",
    "unit_frame",
]  # fmt: skip


def unit_columns(rubric: Rubric) -> list[Column]:
    """The units frame's columns as the 汇总 table and results.csv show them (the unit is the index): a plan with
    weighted parts shows each part's scaled points after the areas."""
    return [
        Column("rank", "排名", "int64"),
        Column("unit", "被考核单位", "str"),
        *(Column(f"area_{a.id}_cents", a.name, "int64") for a in rubric.areas),
        *(Column(f"part_{p.id}_cents", f"{p.name}（折算）", "int64") for p in rubric.parts),
        Column("bonus_cents", "加分", "int64"),
        Column("deduction_cents", "扣分", "int64"),
        Column("total_cents", "总分", "int64"),
        Column("grade", "等级", "str"),
        Column("veto", "否决", "bool"),
        Column("complete", "是否完整", "bool"),
    ]


@dataclass(frozen=True)
class _Entries:
    """The rows scored (master-frame positions, their slot key unit × item, item, evaluator, entry, and the
    evaluator entry each belongs to) and the evaluator entries (slot key, item, evaluator, value, complete)."""

    positions: np.ndarray
    row_key: np.ndarray
    row_item: np.ndarray
    row_evaluator: np.ndarray
    entry: np.ndarray
    own: np.ndarray
    key: np.ndarray
    item: np.ndarray
    evaluator: np.ndarray
    value: np.ndarray
    ok: np.ndarray


def _entries(frame: pd.DataFrame, rubric: Rubric, facts: ItemFacts) -> _Entries:
    """The valid values of items that apply to their unit, and the evaluator entries they make: one per row,
    but one per evaluator for a checklist's aspects (its value: the aspects answered 否)."""
    n_items = len(rubric.items)
    unit_code = frame["unit"].cat.codes.to_numpy(np.int64)
    item_code = frame["item_id"].cat.codes.to_numpy(np.int64)
    applies = _applies(rubric)
    ok = frame["valid"].to_numpy(bool) & (unit_code >= 0) & (item_code >= 0)
    ok[ok] = applies[unit_code[ok], item_code[ok]]
    positions = np.flatnonzero(ok)
    unit_code, item_code = unit_code[positions], item_code[positions]
    evaluator = frame["evaluator"].cat.codes.to_numpy(np.int64)[positions]
    value = frame["value_cents"].to_numpy(np.int64, na_value=0)[positions]
    entry = frame["entry"].to_numpy(np.int64)[positions]
    key = unit_code * n_items + item_code
    aspect = facts.rule[item_code] == CHECKLIST
    own = np.arange(len(positions))  # each row its own evaluator entry ...
    e_key, e_item, e_ev, e_value, e_ok = key, item_code, evaluator, value, np.ones(len(positions), bool)
    if aspect.any():  # ... but a checklist's aspects fold into one entry per evaluator
        at = np.flatnonzero(aspect)
        groups, inverse = np.unique(key[at] * facts.weight.shape[1] + evaluator[at], return_inverse=True)
        first = at[np.unique(inverse, return_index=True)[1]]
        folded = len(positions) - len(at)
        keep = np.flatnonzero(~aspect)
        own = np.empty(len(positions), np.int64)
        own[keep] = np.arange(folded)
        own[at] = folded + inverse
        answered_no = np.bincount(inverse, weights=value[at] == 0, minlength=len(groups)).astype(np.int64)
        given = np.bincount(inverse, minlength=len(groups))
        e_key = np.concatenate([key[keep], key[first]])
        e_item = np.concatenate([item_code[keep], item_code[first]])
        e_ev = np.concatenate([evaluator[keep], evaluator[first]])
        e_value = np.concatenate([value[keep], answered_no])
        e_ok = np.concatenate([np.ones(folded, bool), given == facts.entries[item_code[first]]])
    return _Entries(positions, key, item_code, evaluator, entry, own, e_key, e_item, e_ev, e_value, e_ok)


def _applies(rubric: Rubric) -> np.ndarray:
    """applies[unit, item]: the item is scored for the unit (all, unless the plan has unit classes)."""
    shape = (len(rubric.units), len(rubric.items))
    if not rubric.unit_classes:
        return np.ones(shape, dtype=bool)
    first = {u.unit_class: u for u in reversed(rubric.units)}  # one unit of each class stands for it
    classes = list(first)
    by_class = np.array([[i.applies_to(first[c]) for i in rubric.items] for c in classes], dtype=bool)
    return by_class[[classes.index(u.unit_class) for u in rubric.units]].reshape(shape)


def _points(e: _Entries, facts: ItemFacts, rubric: Rubric) -> np.ndarray:
    """Each evaluator entry's points by its item's rule, one rule type at a time."""
    f, item, value = facts, e.item, e.value
    points = np.where(f.cap_cents[item] == NO_CAP, value, np.minimum(value, f.cap_cents[item]))
    at = f.rule[item] == PER_EVENT
    points[at] = rules.per_event(value[at] // 100, f.per_cents[item[at]], f.cap_cents[item[at]])
    at = f.rule[item] == LINEAR
    i = item[at]
    points[at] = rules.linear(value[at], f.full_at[i], f.step[i], f.minus[i], f.floor[i], f.max_cents[i], f.whole[i],
                              f.lower_is_better[i])  # fmt: skip
    at = f.rule[item] == CHECKLIST
    i = item[at]
    points[at] = rules.checklist(value[at], f.minus[i], f.floor[i], f.max_cents[i])
    classes = np.array([u.unit_class or "" for u in rubric.units], dtype=object)
    for n, it in enumerate(rubric.items):
        rule = it.rule
        if isinstance(rule, TableRule):
            at = item == n
            points[at] = rules.table(value[at], [to_cents(r.start) for r in rule.rows],
                                     [to_cents(r.points) for r in rule.rows])  # fmt: skip
        elif isinstance(rule, RankRule):  # ranked among the units of one class, each evaluator's figures apart
            at = np.flatnonzero(item == n)
            group = classes[e.key[at] // len(rubric.items)] + "\x00" + e.evaluator[at].astype(str)
            points[at] = rules.rank_points(value[at], group, [to_cents(p) for p in rule.points], to_cents(rule.rest),
                                           rule.ties == "average", rule.figure.lower_is_better)  # fmt: skip
    return points


def item_frame(frame: pd.DataFrame, rubric: Rubric) -> tuple[pd.DataFrame, Sources]:
    """One row per (unit, item), units × items in rubric order, and the source rows it points into.

    Columns: points_cents (Int64, NA when no valid value arrived or the item does not apply to the unit),
    received, expected, src_start, src_stop. Each evaluator entry becomes points by the item's rule
    (`_points`); the entries that count combine by the item's `combine`; a veto fires when any evaluator
    reports the event.
    """
    n_items, n_units = len(rubric.items), len(rubric.units)
    facts = ItemFacts.of(rubric, list(frame["evaluator"].cat.categories))
    e = _entries(frame, rubric, facts)
    points = _points(e, facts, rubric)
    counted = facts.counts[e.item, e.evaluator] & e.ok
    grouped = _grouped(e.key[counted], points[counted], facts.weight[e.item[counted], e.evaluator[counted]],
                       n_units * n_items, (facts.combine == WEIGHTED).any())  # fmt: skip
    n, total, low, high, weighted, weights = grouped
    slot_item = np.tile(np.arange(n_items), n_units)
    kind, combine, max_cents = facts.kind[slot_item], facts.combine[slot_item], facts.max_cents[slot_item]
    deduction = kind == Kind.DEDUCTION
    combined = rules.half_up(total, np.maximum(n, 1))  # MEAN
    combined = np.where(combine == MIN, np.where(deduction, high, low), combined)
    added = deduction | (kind == Kind.BONUS)  # each department's own deduction (bonus) adds up
    combined = np.where(combine == SUM_DEDUCTIONS, rules.sum_lost(n, total, max_cents, added), combined)
    combined = np.where(combine == WEIGHTED, rules.half_up(weighted, np.maximum(weights, 1)), combined)
    combined = np.where(combine == LEAD, total, combined)
    combined = np.where(kind == Kind.VETO, high, combined)

    order = np.lexsort((e.entry, facts.position[e.row_item, e.row_evaluator], e.row_key))
    sorted_keys = e.row_key[order]
    slots = np.arange(n_units * n_items)
    applies = _applies(rubric).reshape(-1)
    table = pd.DataFrame(
        {
            "points_cents": pd.array(combined, dtype="Int64"),
            "received": n,
            "expected": np.where(applies, facts.expected[slot_item], 0),
            "src_start": np.searchsorted(sorted_keys, slots, side="left"),
            "src_stop": np.searchsorted(sorted_keys, slots, side="right"),
            "applies": applies,
        },
        index=pd.MultiIndex.from_product([pd.Index([u.name for u in rubric.units], name="unit"),
                                          pd.Index([i.id for i in rubric.items], name="item_id")]),
    )  # fmt: skip
    table.loc[n == 0, "points_cents"] = pd.NA
    own = e.own[order]
    return table, Sources(e.positions[order], points[own], counted[own])


def _grouped(key: np.ndarray, points: np.ndarray, weight: np.ndarray, slots: int, weighted: bool) -> list[np.ndarray]:
    """Per slot (unit × item): count, sum, min, max of the points that count, and (weighted) Σ weight × points
    and Σ weight, all int64."""
    data = pd.DataFrame({"p": points, **({"wp": weight * points, "w": weight} if weighted else {})})
    grouped = data.groupby(key).agg(**{"n": ("p", "count"), "sum": ("p", "sum"), "min": ("p", "min"),
                                       "max": ("p", "max"),
                                       **({"wp": ("wp", "sum"), "w": ("w", "sum")} if weighted else {})})  # fmt: skip
    grouped = grouped.reindex(range(slots), fill_value=0)
    columns = [grouped[c].to_numpy(np.int64) for c in ("n", "sum", "min", "max")]
    zero = np.zeros(slots, np.int64)
    return [*columns, *((grouped["wp"].to_numpy(np.int64), grouped["w"].to_numpy(np.int64)) if weighted
                        else (zero, zero))]  # fmt: skip


def score(frame: pd.DataFrame, rubric: Rubric) -> Results:
    """Unit totals, grades and ranks from the master frame (a pure function of frame and rubric)."""
    items, sources = item_frame(frame, rubric)
    units = unit_frame(items, rubric)
    demotions = apply_grade_limits(units, rubric)
    table = ItemTable(rubric, frame, items, sources)
    results = Results(rubric.year, units, table, [], demotions)
    results.problems.extend(incomplete_problems(results.units))
    results.problems.extend(
        problem("GRADE_LIMIT_APPLIED", unit=d.unit, reason=d.sentence(), grade=d.grade, reached=d.reached)
        for d in demotions
    )
    return results
