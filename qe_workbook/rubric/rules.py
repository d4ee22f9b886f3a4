"""The scoring rules of the rubric: how one evaluator's entry becomes points, how several evaluators' points
combine, and what a veto does — a closed set, each stated in Chinese words and as the entries a form asks for.

A rule knows its own numbers only; the item's maximum and kind come in as arguments (`Item.words()` and
`Item.entries()` pass them).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from ..amounts import canonical

EntryKind = Literal["number", "choice", "yesno"]
YES, NO = "是", "否"


@dataclass(frozen=True)
class Entry:
    """One input the form asks of the evaluator for an item (a checklist asks one per aspect)."""

    label: str
    kind: EntryKind
    choices: tuple[str, ...] = ()
    min: Decimal | None = None
    max: Decimal | None = None
    decimals: int = 2
    unit: str = ""
    remark_required: bool = False  # a remark is required when the entry is not 0 (not 否)


@dataclass(frozen=True)
class Figure:
    """A measured figure the evaluator types on the form (合格率 in %, a count …)."""

    name: str
    unit: str = ""
    min: Decimal | None = None
    max: Decimal | None = None
    decimals: int = 2
    lower_is_better: bool = False

    def entry(self) -> Entry:
        return Entry(self.name, "number", min=self.min, max=self.max, decimals=self.decimals, unit=self.unit)

    def amount(self, value: Decimal) -> str:
        """98 % -> '98%', 3 起 -> '3起'."""
        return f"{canonical(value)}{self.unit}"

    def step(self, per: Decimal) -> str:
        """The unit of a shortfall: '1个百分点' for a rate, '1起' for a count."""
        return f"{canonical(per)}个百分点" if self.unit == "%" else f"{canonical(per)}{self.unit}"


@dataclass(frozen=True)
class Tier:
    points: Decimal
    label: str = ""

    @property
    def choice(self) -> str:
        """What the form's drop-down shows: the label, or the points when the tier has none."""
        return self.label or canonical(self.points)


@dataclass(frozen=True)
class TableRow:
    start: Decimal  # rubric.json `from`: the row applies from this figure up (to the next row's start)
    points: Decimal


class VetoKind(StrEnum):
    SET_GRADE = "set_grade"  # the unit's grade is set to `grade`
    CAP_GRADE = "cap_grade"  # the unit's grade is at most `grade` (a lower grade stays)
    ZERO_AREA = "zero_area"  # the area `area` scores 0
    ZERO_TOTAL = "zero_total"  # the total is 0


@dataclass(frozen=True)
class VetoEffect:
    kind: VetoKind
    grade: str | None = None
    area: str | None = None

    def words(self) -> str:
        if self.kind is VetoKind.SET_GRADE:
            return f"等级定为{self.grade}"
        if self.kind is VetoKind.CAP_GRADE:
            return f"等级最高为{self.grade}（不得评为更高等级，原等级更低的不变）"
        if self.kind is VetoKind.ZERO_AREA:
            return f"第{self.area}领域得0分"
        return "总分为0分"


def _number(label: str, low: Decimal, high: Decimal | None, unit: str = "分", decimals: int = 2) -> Entry:
    return Entry(label, "number", min=low, max=high, decimals=decimals, unit=unit)


def _floor_words(floor: Decimal) -> str:
    return "扣完为止" if floor == 0 else f"最低得{canonical(floor)}分"


@dataclass(frozen=True)
class PointsRule:
    """Any value from 0 to the maximum, in hundredths (the evaluator's score, a bonus's points)."""

    type: Literal["points"] = "points"

    def words(self, max_points: Decimal, kind: str) -> str:
        if kind == "bonus":
            return f"由评价部门确定加分，0～{canonical(max_points)}分"
        if kind == "deduction":
            return f"由评价部门确定扣分，0～{canonical(max_points)}分"
        return f"由评价部门评分，0～{canonical(max_points)}分"

    def entries(self, max_points: Decimal, kind: str) -> tuple[Entry, ...]:
        label = {"bonus": "加分", "deduction": "扣分"}.get(kind, "得分")
        return (_number(label, Decimal(0), max_points),)


@dataclass(frozen=True)
class TiersRule:
    """Only the listed tiers (好 = 2, 较好 = 1.5 … or the values 1 / 0.5 / 0)."""

    tiers: tuple[Tier, ...]
    type: Literal["tiers"] = "tiers"

    def words(self, max_points: Decimal, kind: str) -> str:
        if all(t.label for t in self.tiers):
            return "按档次评分：" + "；".join(f"{t.label}{canonical(t.points)}分" for t in self.tiers)
        return "只能评" + "、".join(canonical(t.points) for t in self.tiers) + "分"

    def entries(self, max_points: Decimal, kind: str) -> tuple[Entry, ...]:
        label = "档次" if all(t.label for t in self.tiers) else "得分"
        return (Entry(label, "choice", choices=tuple(t.choice for t in self.tiers)),)


@dataclass(frozen=True)
class LinearRule:
    """Full marks at `full_at` or better; `minus` points off per `per` units short, not below `floor`.

    `steps` "whole": a part of a step counts as a whole step (97.5 against 98 is one step short);
    "exact": proportional, rounded half up to hundredths."""

    figure: Figure
    full_at: Decimal
    per: Decimal
    minus: Decimal
    floor: Decimal = Decimal(0)
    steps: Literal["whole", "exact"] = "whole"
    type: Literal["linear"] = "linear"

    def words(self, max_points: Decimal, kind: str) -> str:
        f = self.figure
        at, worse = ("≤", "高") if f.lower_is_better else ("≥", "低")
        how = (
            f"不足{f.step(self.per)}的按{f.step(self.per)}计"
            if self.steps == "whole"
            else "不足部分按比例扣分（四舍五入到0.01分）"
        )
        return (
            f"按{f.name}测算：{at}{f.amount(self.full_at)} 得满分，每{worse}{f.step(self.per)}扣{canonical(self.minus)}分，"
            f"{how}，{_floor_words(self.floor)}"
        )

    def entries(self, max_points: Decimal, kind: str) -> tuple[Entry, ...]:
        return (self.figure.entry(),)


@dataclass(frozen=True)
class TableRule:
    """Piecewise: the points of the row with the highest start not above the figure."""

    figure: Figure
    rows: tuple[TableRow, ...]
    type: Literal["table"] = "table"

    def words(self, max_points: Decimal, kind: str) -> str:
        rows = sorted(self.rows, key=lambda r: r.start, reverse=True)
        return f"按{self.figure.name}测算：" + "；".join(
            f"≥{self.figure.amount(r.start)} 得{canonical(r.points)}分" for r in rows
        )

    def entries(self, max_points: Decimal, kind: str) -> tuple[Entry, ...]:
        return (self.figure.entry(),)


@dataclass(frozen=True)
class ChecklistRule:
    """Each aspect 是/否; points = max(maximum − minus × missing aspects, floor)."""

    aspects: tuple[str, ...]
    minus: Decimal
    floor: Decimal = Decimal(0)
    type: Literal["checklist"] = "checklist"

    def words(self, max_points: Decimal, kind: str) -> str:
        return f"逐项核查{len(self.aspects)}个方面：每缺1项扣{canonical(self.minus)}分，{_floor_words(self.floor)}"

    def entries(self, max_points: Decimal, kind: str) -> tuple[Entry, ...]:
        return tuple(Entry(aspect, "yesno", choices=(YES, NO)) for aspect in self.aspects)


@dataclass(frozen=True)
class BaseRule:
    """Every unit gets at least `base`; the evaluator scores between the base and the maximum."""

    base: Decimal
    type: Literal["base"] = "base"

    def words(self, max_points: Decimal, kind: str) -> str:
        return f"基础分{canonical(self.base)}分，评价部门在{canonical(self.base)}～{canonical(max_points)}分之间评分"

    def entries(self, max_points: Decimal, kind: str) -> tuple[Entry, ...]:
        return (_number("得分", self.base, max_points),)


@dataclass(frozen=True)
class RankRule:
    """The evaluator types the figure; points by the unit's rank among the units (of its class).

    `ties` "share": tied units all get the points of the best place they share; "average": the mean of the
    places' points, half up to hundredths."""

    figure: Figure
    points: tuple[Decimal, ...]
    rest: Decimal = Decimal(0)
    ties: Literal["share", "average"] = "share"
    type: Literal["rank"] = "rank"

    def words(self, max_points: Decimal, kind: str) -> str:
        order = "由低到高" if self.figure.lower_is_better else "由高到低"
        places = "、".join(f"第{n}名{canonical(p)}分" for n, p in enumerate(self.points, 1))
        tie = (
            "并列的都得所占最好名次的分值"
            if self.ties == "share"
            else "并列的得所占各名次分值的平均值（四舍五入到0.01分）"
        )
        return f"按{self.figure.name}{order}排名赋分：{places}，其余{canonical(self.rest)}分；{tie}"

    def entries(self, max_points: Decimal, kind: str) -> tuple[Entry, ...]:
        return (self.figure.entry(),)


@dataclass(frozen=True)
class PerEventRule:
    """The evaluator types the number of events; each is worth `per_event`, in all at most `cap` (None: no cap)."""

    per_event: Decimal
    cap: Decimal | None
    type: Literal["per_event"] = "per_event"

    def words(self, max_points: Decimal, kind: str) -> str:
        if kind == "bonus":
            cap = f"，最高加{canonical(self.cap)}分" if self.cap is not None else ""
            return f"每项加{canonical(self.per_event)}分{cap}"
        cap = f"，最高扣{canonical(self.cap)}分" if self.cap is not None else "，不设上限"
        return f"每次扣{canonical(self.per_event)}分{cap}"

    def entries(self, max_points: Decimal, kind: str) -> tuple[Entry, ...]:
        unit = "项" if kind == "bonus" else "次"
        entry = _number("项数" if kind == "bonus" else "次数", Decimal(0), None, unit=unit, decimals=0)
        return (replace(entry, remark_required=kind == "deduction"),)


@dataclass(frozen=True)
class RangedRule:
    """Per occurrence the evaluator chooses the points within [min, max]; the form takes the points deducted:
    0, or from `min` up to the item's cap, with a remark."""

    min: Decimal
    max: Decimal
    type: Literal["ranged"] = "ranged"

    def words(self, max_points: Decimal, kind: str) -> str:
        return (
            f"每次扣{canonical(self.min)}～{canonical(self.max)}分（由评价部门在范围内确定并说明理由），"
            f"最高扣{canonical(max_points)}分"
        )

    def entries(self, max_points: Decimal, kind: str) -> tuple[Entry, ...]:
        return (Entry("扣分", "number", min=Decimal(0), max=max_points, unit="分", remark_required=True),)


@dataclass(frozen=True)
class VetoRule:
    """The event happened (是) or not (否); when it did, `effect` applies."""

    effect: VetoEffect
    type: Literal["veto"] = "veto"

    def words(self, max_points: Decimal, kind: str) -> str:
        return f"发生即否决：{self.effect.words()}"

    def entries(self, max_points: Decimal, kind: str) -> tuple[Entry, ...]:
        return (Entry("是否发生", "yesno", choices=(YES, NO), remark_required=True),)


Rule = (
    PointsRule | TiersRule | LinearRule | TableRule | ChecklistRule | BaseRule | RankRule | PerEventRule | RangedRule
    | VetoRule
)  # fmt: skip
RULE_TYPES: dict[str, type] = {
    "points": PointsRule, "tiers": TiersRule, "linear": LinearRule, "table": TableRule, "checklist": ChecklistRule,
    "base": BaseRule, "rank": RankRule, "per_event": PerEventRule, "ranged": RangedRule, "veto": VetoRule,
}  # fmt: skip
RULE_LABELS = {
    "points": "直接评分", "tiers": "按档次评分", "linear": "按指标线性计分", "table": "按指标分段计分",
    "checklist": "逐项核查", "base": "基础分加评分", "rank": "按名次赋分", "per_event": "按次计分",
    "ranged": "按范围扣分", "veto": "否决",
}  # fmt: skip
# The rule types each item kind may use.
KIND_RULES = {
    "score": ("points", "tiers", "linear", "table", "checklist", "base", "rank"),
    "deduction": ("per_event", "ranged"),
    "bonus": ("points", "per_event"),
    "veto": ("veto",),
}


class CombineKind(StrEnum):
    MEAN = "mean"  # the mean of the evaluators' points, half up to hundredths
    MIN = "min"  # the strictest: the lowest score, the most deducted
    SUM_DEDUCTIONS = "sum_deductions"  # the item loses Σ (max − value_i) (deductions: Σ deductions), capped at max
    WEIGHTED = "weighted"  # Σ value_i × weight_i / 100, half up to hundredths
    LEAD = "lead"  # the lead department's value counts; the others are advisory


HALF_UP = "四舍五入到0.01分"
COMBINE_LABELS = {
    CombineKind.MEAN: "取各部门评分的平均值",
    CombineKind.MIN: "取各部门评分中从严的值",
    CombineKind.SUM_DEDUCTIONS: "各部门分别扣分，合计扣分（不超过本项分值）",
    CombineKind.WEIGHTED: "按各部门权重加权",
    CombineKind.LEAD: "以牵头部门的评分为准，其他部门的评分仅供参考",
}


@dataclass(frozen=True)
class Combine:
    kind: CombineKind
    weights: tuple[tuple[str, Decimal], ...] = ()  # (department, percent) for WEIGHTED, in the rubric's order
    lead: str | None = None  # the department whose value counts, for LEAD

    def words(self) -> str:
        """The combination in words, with the rounding of the one that divides (half up to hundredths)."""
        if self.kind is CombineKind.WEIGHTED:
            shares = "、".join(f"{name}{canonical(w)}%" for name, w in self.weights)
            return f"{COMBINE_LABELS[self.kind]}（{shares}），{HALF_UP}"
        if self.kind is CombineKind.LEAD:
            return f"以{self.lead}（牵头部门）的评分为准，其他部门的评分仅供参考"
        if self.kind is CombineKind.MEAN:
            return f"{COMBINE_LABELS[self.kind]}，{HALF_UP}"
        return COMBINE_LABELS[self.kind]


def default_rule(kind: str, per_event: Decimal | None, max_points: Decimal, veto_grade: str) -> Rule:
    """The rule an item without `rule` has (what the rubric meant before rules existed)."""
    if kind == "deduction":
        return PerEventRule(per_event if per_event is not None else max_points, max_points)
    if kind == "veto":
        return VetoRule(VetoEffect(VetoKind.SET_GRADE, grade=veto_grade))
    return PointsRule()
