"""What one input cell of a form asks for, from the item's scoring rule.

An item whose rule is what every form asked before rules existed (a score from 0 to the maximum, a number of
events capped at the maximum, 是/否 for a veto) is `plain`: its row, validation and checks are the old ones, so a
plan without rules gives the same forms. Any other rule asks through the rubric's `Entry`: a tier chosen from a
drop-down, a figure with its name, unit and range, a score between a base and the maximum, points deducted within
a range, a number of bonus items, or 是/否 for each aspect of a checklist (one row per aspect, entry 1..n).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from ..amounts import canonical
from ..rubric import (
    BaseRule,
    ChecklistRule,
    Entry,
    Item,
    Kind,
    LinearRule,
    PerEventRule,
    PointsRule,
    RangedRule,
    RankRule,
    TableRule,
    TiersRule,
    VetoRule,
)


def is_plain(item: Item) -> bool:
    """Whether the item's form row is the one forms had before rules (its rule is its kind's old meaning)."""
    rule = item.rule
    if isinstance(rule, PointsRule | VetoRule):
        return True
    return isinstance(rule, PerEventRule) and item.kind is Kind.DEDUCTION and rule.cap == item.max


def entry_numbers(item: Item) -> tuple[int, ...]:
    """The entries of an item's rows: (0,) for one input, 1..n for a checklist's aspects."""
    if isinstance(item.rule, ChecklistRule):
        return tuple(range(1, len(item.rule.aspects) + 1))
    return (0,)


@dataclass(frozen=True)
class Ask:
    """One input cell: the item, which of its entries, and what the rubric's rule asks for there."""

    item: Item
    entry: int
    asked: Entry
    plain: bool

    @staticmethod
    def of(item: Item, entry: int = 0) -> Ask:
        return _ask(item, entry)

    @staticmethod
    def points(item: Item) -> Ask:
        """Points whatever the rule, asked as a plain item of its kind asks (a unit's own score or claim)."""
        return Ask(item, 0, PointsRule().entries(item.max, item.kind.value)[0], True)

    @property
    def figure(self) -> bool:
        """A measured figure (a rate, a count) typed instead of points."""
        return isinstance(self.item.rule, LinearRule | TableRule | RankRule)

    @property
    def counts(self) -> bool:
        """A whole number of events or of bonus items."""
        return isinstance(self.item.rule, PerEventRule)

    def tier_points(self, choice: str) -> Decimal | None:
        """The points of a tier chosen by its label (or, for tiers without labels, by its points)."""
        rule = self.item.rule
        if isinstance(rule, TiersRule):
            return next((t.points for t in rule.tiers if t.choice == choice), None)
        return None

    def tier_of_points(self, points: Decimal) -> Decimal | None:
        """`points` when they are a tier's points (typed instead of the tier's label)."""
        rule = self.item.rule
        if isinstance(rule, TiersRule) and any(t.points == points for t in rule.tiers):
            return points
        return None

    @property
    def top_choice(self) -> str:
        """The choice that loses nothing: the best tier, or 是."""
        rule = self.item.rule
        if isinstance(rule, TiersRule):
            return max(rule.tiers, key=lambda t: t.points).choice
        return self.asked.choices[0]

    def amount(self) -> str:
        """What to fill, named with its unit: 合格率（%）, 扣分（分）, 次数（次）."""
        return f"{self.asked.label}（{self.asked.unit}）" if self.asked.unit else self.asked.label

    def span(self) -> str:
        """The numbers allowed, in words: 0～100, 3～5, 0或5～10, 0或正整数."""
        a = self.asked
        rule = self.item.rule
        if isinstance(rule, RangedRule):
            return f"0或{canonical(rule.min)}～{canonical(self.item.max)}"
        if a.max is None:
            return (
                f"{canonical(a.min or Decimal(0))}或以上的整数" if a.decimals == 0 else f"不小于{canonical(a.min or 0)}"
            )
        return f"{canonical(a.min if a.min is not None else Decimal(0))}～{canonical(a.max)}"


@lru_cache(maxsize=1024)
def _ask(item: Item, entry: int) -> Ask:
    asked = item.entries()[entry - 1 if entry else 0]
    return Ask(item, entry, asked, is_plain(item))


def row_prompt(item: Item, entry: int) -> str:
    """The short line under an item's text saying what its row asks for ('' for a plain item); the rule in full
    words is in the cell's input message and the guide sheet (and a checklist's, here on its first aspect)."""
    ask = Ask.of(item, entry)
    if ask.plain:
        return ""
    a = ask.asked
    rule = item.rule
    if isinstance(rule, ChecklistRule):
        head = f"{item.words()}\n" if entry == 1 else ""
        return f"{head}（{entry}）{a.label}：选“是”或“否”"
    if isinstance(rule, TiersRule):
        tiers = (f"{t.label}{canonical(t.points)}分" if t.label else canonical(t.points) for t in rule.tiers)
        return f"选择{a.label}：{'、'.join(tiers)}"
    if isinstance(rule, BaseRule):
        return f"填{a.label}：{ask.span()}{a.unit}（基础分{canonical(rule.base)}分）"
    if isinstance(rule, RangedRule):
        return f"填{a.label}：{ask.span()}{a.unit}，须写明理由"
    if ask.counts:
        return f"填{a.label}"
    return f"填{ask.amount()}，不填得分，按细则换算"
