"""The rubric's items as the columns the scoring arithmetic reads: one array entry per item, in rubric order,
every number in integer hundredths (figures too), every rule and combination as a small integer code.

`score.py` indexes these arrays with the item code of each master-frame row, so one rule type is computed
for all its entries at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from ..intake.frame import to_cents
from ..rubric import (
    ChecklistRule,
    CombineKind,
    Item,
    Kind,
    LinearRule,
    PerEventRule,
    RangedRule,
    RankRule,
    Rubric,
    TableRule,
    VetoRule,
)

# How one evaluator's entry becomes points (tiers, base and ranged entries are the points typed: the value
# checks keep them on a tier, above the base, within the range).
TYPED, PER_EVENT, LINEAR, TABLE, CHECKLIST, RANK, VETO = range(7)
# How the evaluators' points make the item's.
MEAN, MIN, SUM_DEDUCTIONS, WEIGHTED, LEAD = range(5)
COMBINE_CODES = {CombineKind.MEAN: MEAN, CombineKind.MIN: MIN, CombineKind.SUM_DEDUCTIONS: SUM_DEDUCTIONS,
                 CombineKind.WEIGHTED: WEIGHTED, CombineKind.LEAD: LEAD}  # fmt: skip
NO_CAP = -1


def _cents(value: Decimal | None, default: int = 0) -> int:
    return default if value is None else to_cents(value)


def _rule_code(item: Item) -> int:
    rule = item.rule
    if isinstance(rule, PerEventRule):
        return PER_EVENT
    codes: dict[type, int] = {LinearRule: LINEAR, TableRule: TABLE, ChecklistRule: CHECKLIST, RankRule: RANK,
                              VetoRule: VETO}  # fmt: skip
    return codes.get(type(rule), TYPED)


@dataclass(frozen=True)
class ItemFacts:
    """Per item: kind, area, max, rule code and its numbers, combination code, evaluators expected; per
    (item, evaluator code): the evaluator's weight and whether its value counts (advisory ones do not)."""

    kind: np.ndarray
    area: np.ndarray
    max_cents: np.ndarray
    rule: np.ndarray
    per_cents: np.ndarray  # per event (PER_EVENT)
    cap_cents: np.ndarray  # per-event cap (NO_CAP: none); ranged and typed deductions: the item max
    full_at: np.ndarray  # LINEAR
    step: np.ndarray
    minus: np.ndarray  # LINEAR, CHECKLIST
    floor: np.ndarray  # LINEAR, CHECKLIST
    whole: np.ndarray
    lower_is_better: np.ndarray
    entries: np.ndarray  # the inputs one evaluator gives (a checklist's aspects)
    combine: np.ndarray
    expected: np.ndarray  # the evaluators whose values count
    weight: np.ndarray  # [item, evaluator code]
    counts: np.ndarray  # [item, evaluator code]
    position: np.ndarray  # [item, evaluator code]: the evaluator's place in the item's list

    @classmethod
    def of(cls, rubric: Rubric, evaluators: list[str]) -> ItemFacts:
        items = rubric.items
        n, m = len(items), max(len(evaluators), 1)
        code = {name: c for c, name in enumerate(evaluators)}
        weight = np.zeros((n, m), dtype=np.int64)
        counts = np.zeros((n, m), dtype=bool)
        position = np.zeros((n, m), dtype=np.int64)
        linear: list[tuple[int, int, int, int, bool, bool]] = []
        for i, item in enumerate(items):
            weights = dict(item.combine.weights)
            for p, name in enumerate(item.evaluators):
                if name in code:
                    position[i, code[name]] = p
                    weight[i, code[name]] = _cents(weights.get(name))
                    counts[i, code[name]] = item.combine.kind is not CombineKind.LEAD or name == item.combine.lead
            r = item.rule
            if isinstance(r, LinearRule):
                linear.append((to_cents(r.full_at), to_cents(r.per), to_cents(r.minus), to_cents(r.floor),
                               r.steps == "whole", r.figure.lower_is_better))  # fmt: skip
            elif isinstance(r, ChecklistRule):
                linear.append((0, 1, to_cents(r.minus), to_cents(r.floor), True, False))
            else:
                linear.append((0, 1, 0, 0, True, False))
        columns = np.array(linear, dtype=np.int64).reshape(n, 6).T
        return cls(
            kind=np.array([str(i.kind) for i in items], dtype=object),
            area=np.array([i.area for i in items], dtype=object),
            max_cents=np.array([to_cents(i.max) for i in items], dtype=np.int64),
            rule=np.array([_rule_code(i) for i in items], dtype=np.int64),
            per_cents=np.array([_cents(getattr(i.rule, "per_event", None)) for i in items], dtype=np.int64),
            cap_cents=np.array([_cap(i) for i in items], dtype=np.int64),
            full_at=columns[0], step=columns[1], minus=columns[2], floor=columns[3], whole=columns[4].astype(bool),
            lower_is_better=columns[5].astype(bool),
            entries=np.array([len(i.entries()) for i in items], dtype=np.int64),
            combine=np.array([COMBINE_CODES[i.combine.kind] for i in items], dtype=np.int64),
            expected=counts.sum(axis=1),
            weight=weight, counts=counts, position=position,
        )  # fmt: skip


def _cap(item: Item) -> int:
    """An entry's cap: a per-event rule's own (a bonus without one: the item max), else the item max."""
    rule = item.rule
    if isinstance(rule, PerEventRule) and (rule.cap is not None or item.kind is Kind.BONUS):
        return to_cents(rule.cap if rule.cap is not None else item.max)
    if isinstance(rule, PerEventRule):
        return NO_CAP
    capped = isinstance(rule, RangedRule) or item.kind in (Kind.DEDUCTION, Kind.BONUS)
    return to_cents(item.max) if capped else NO_CAP
