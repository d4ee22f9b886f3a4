"""The units frame: the item points of each unit summed into subtotals, parts and its total, graded and ranked.

The item frame is units × items in rubric order, so its points reshape into the 分项矩阵 (one row per unit,
one column per item); every subtotal is a row sum over that matrix's columns of one kind (and area, key
point). Then, in this order: a fired veto that zeroes an area zeroes its score items; each weighted part is
its areas' subtotal × weight / Σ its areas' max (the max of the items that apply to the unit's class), half up
to hundredths; the scores are the parts (or the
areas) added up, or the plan's start-from score when it has one; the bonus in total is at most
`grading.bonus_cap`; total = scores + bonus − deductions, 0 where a veto zeroes the total, and never below
the rubric's floor (0 unless stated).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..amounts import canonical
from ..intake.frame import to_cents
from ..rubric import Kind, Rubric, VetoKind, VetoRule
from .grading import grades, ranks
from .rules import half_up


def unit_frame(items: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """One row per unit in rubric order, all points in hundredths.

    Besides `score.unit_columns` (areas, bonus, deduction, total, grade, veto, complete, rank) it holds
    `kp_<id>_cents` (each key point, at every level of the tree: the points of the score items below it),
    `part_<id>_cents` (each weighted part, scaled), `full_cents` (the unit's full marks: of the items that
    apply to it), and `veto_set` / `veto_cap` (the grade a fired veto sets / caps the unit at; "" if none).
    """
    shape = (len(rubric.units), len(rubric.items))
    matrix = items["points_cents"].fillna(0).to_numpy(np.int64).reshape(shape)
    kind = np.array([str(i.kind) for i in rubric.items], dtype=object)
    area = np.array([i.area for i in rubric.items], dtype=object)
    scored = kind == Kind.SCORE
    veto = VetoEffects(rubric, (matrix > 0) & (kind == Kind.VETO))
    matrix = np.where(veto.zeroed(area) & scored, 0, matrix)

    def total(columns: np.ndarray) -> np.ndarray:
        return matrix[:, columns].sum(axis=1)

    units = pd.DataFrame(index=pd.Index([u.name for u in rubric.units], name="unit"))
    for a in rubric.areas:
        units[f"area_{a.id}_cents"] = total(scored & (area == a.id))
    scores = total(scored)
    if rubric.parts:
        scores = np.zeros(len(units), np.int64)
        applies = items["applies"].to_numpy(bool).reshape(shape)
        item_max = np.array([to_cents(i.max) for i in rubric.items], dtype=np.int64)
        for p in rubric.parts:  # scaled on the points the unit can reach: its class's items in the part's areas
            full = (applies & scored & np.isin(area, list(p.areas))).astype(np.int64) @ item_max
            part = sum(units[f"area_{a}_cents"].to_numpy(np.int64) for a in p.areas)
            units[f"part_{p.id}_cents"] = half_up(part * to_cents(p.weight), np.maximum(full, 1))
            scores = scores + units[f"part_{p.id}_cents"].to_numpy(np.int64)
    if rubric.start_from is not None:
        scores = np.full(len(units), to_cents(rubric.start_from), np.int64)
    bonus = total(kind == Kind.BONUS)
    if rubric.grading.bonus_cap is not None:
        bonus = np.minimum(bonus, to_cents(rubric.grading.bonus_cap))
    deduction = total(kind == Kind.DEDUCTION)
    units["bonus_cents"], units["deduction_cents"] = bonus, deduction
    units["total_cents"] = np.maximum(np.where(veto.zero_total, 0, scores + bonus - deduction), to_cents(rubric.floor))
    units["veto"] = np.asarray(veto.fired.any(axis=1), dtype=bool)
    units["veto_set"], units["veto_cap"] = veto.lowest(VetoKind.SET_GRADE), veto.lowest(VetoKind.CAP_GRADE)
    units["full_cents"] = [to_cents(rubric.total if rubric.parts else rubric.full_marks(u)) for u in rubric.units]
    units["grade"] = grades(units, rubric.grading)
    missing = (items["expected"] - items["received"]).clip(lower=0).to_numpy(np.int64).reshape(shape)
    units["complete"] = missing.sum(axis=1) == 0
    units["rank"] = ranks(units, rubric.grading)
    for kp in rubric.key_points:
        units[f"kp_{kp.id}_cents"] = total(scored & below(rubric, kp.id))
    return units


def below(rubric: Rubric, kp_id: str) -> np.ndarray:
    """Which items are under a key point, at any depth."""
    return np.array([any(k.id == kp_id for k in rubric.key_point_chain(i.id)) for i in rubric.items], dtype=bool)


class VetoEffects:
    """What the vetoes that fired (`fired[unit, item]`) do to each unit."""

    def __init__(self, rubric: Rubric, fired: np.ndarray) -> None:
        self.rubric, self.fired = rubric, fired
        self.effects = [(n, i.rule.effect) for n, i in enumerate(rubric.items) if isinstance(i.rule, VetoRule)]
        zero = [n for n, effect in self.effects if effect.kind is VetoKind.ZERO_TOTAL]
        self.zero_total = fired[:, zero].any(axis=1)

    def zeroed(self, area: np.ndarray) -> np.ndarray:
        """[unit, item]: a fired veto zeroes the item's area for the unit."""
        out = np.zeros(self.fired.shape, dtype=bool)
        for n, effect in self.effects:
            if effect.kind is VetoKind.ZERO_AREA:
                out |= self.fired[:, [n]] & (area == effect.area)[None, :]
        return out

    def lowest(self, kind: VetoKind) -> list[str]:
        """Per unit, the lowest grade its fired vetoes of `kind` name ("" when none fired)."""
        order = self.rubric.grading.order
        named = [(n, effect.grade) for n, effect in self.effects if effect.kind is kind and effect.grade]
        return [max((g for n, g in named if row[n]), key=order.index, default="") for row in self.fired]


def total_words(rubric: Rubric) -> str:
    """How a total is made, in the words of the 汇总 note: "各领域得分 + 加分 − 扣分" for a plain plan."""
    if rubric.start_from is not None:
        words = f"起评分 {canonical(rubric.start_from)} 分 − 扣分 + 加分"
    elif rubric.parts:
        words = "各部分折算得分（所含领域得分合计 × 权重 ÷ 所含领域满分合计，四舍五入到0.01分）+ 加分 − 扣分"
    else:
        words = "各领域得分 + 加分 − 扣分"
    if rubric.grading.bonus_cap is not None:
        words += f"（加分合计最多 {canonical(rubric.grading.bonus_cap)} 分）"
    if rubric.start_from is not None or rubric.floor:
        words += f"，最低 {canonical(rubric.floor)} 分"
    return words
