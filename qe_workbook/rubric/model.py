"""The rubric (考核细则) as a validated, immutable data model.

`load.load_rubric` builds it from rubric.json once every check has passed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from ..amounts import round2
from ..choices import Disclose
from .rules import Combine, CombineKind, Entry, PointsRule, Rule


class Kind(StrEnum):
    """An item's kind; the value is the rubric's code, `label` what people read."""

    SCORE = "score"
    DEDUCTION = "deduction"
    BONUS = "bonus"
    VETO = "veto"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


class JointRule(StrEnum):
    """How the values of an item scored by several evaluators are combined (`grading.joint`)."""

    MEAN = "mean"  # the mean of the received values, rounded half up to hundredths
    MIN = "min"  # the strictest value: the lowest score, the most deducted

    @property
    def label(self) -> str:
        return JOINT_RULE_LABELS[self]


class PublicShows(StrEnum):
    """What the 通报 and the public list show of each unit (`disclosure.public_shows`)."""

    GRADES = "grades"  # the grade only
    SCORES = "scores"  # the total score and the grade


@dataclass(frozen=True)
class Disclosure:
    """What the office lets the units and the public see (rubric `disclosure`; all on by default)."""

    rank_in_letters: bool = True  # 排名 in each unit's feedback letter
    distance_in_letters: bool = True  # 距上一等级还差多少分 in each letter
    public_shows: PublicShows = PublicShows.GRADES
    remarks: Disclose = Disclose.SHORTFALLS  # the default of the 得分核对单's remarks


@dataclass(frozen=True)
class FollowUp:
    """The follow-up the plan asks for (方案五(三)); rubric `follow_up`."""

    common_min_percent: Decimal = Decimal(50)  # an item is a 共性问题 when at least this share of units lost points


PUBLIC_SHOWS_LABELS = {PublicShows.GRADES: "只列等级", PublicShows.SCORES: "总分和等级"}
DISCLOSE_LABELS = {Disclose.SHORTFALLS: "失分项目", Disclose.ALL: "全部", Disclose.NONE: "不列"}
# The settings as the rubric workbook and `qe rubric show` name them, by their dotted JSON path.
SETTING_LABELS = {
    "disclosure.rank_in_letters": "反馈意见写排名",
    "disclosure.distance_in_letters": "反馈意见写距上一等级的分差",
    "disclosure.public_shows": "通报和公告名单列出",
    "disclosure.remarks": "得分核对单列出的评价说明",
    "follow_up.common_min_percent": "共性问题的失分单位比例（%）",
}
JOINT_RULE_LABELS = {JointRule.MEAN: "取各部门评分的平均值", JointRule.MIN: "取各部门评分中从严的值"}
KIND_LABELS = {Kind.SCORE: "评分项", Kind.DEDUCTION: "扣分项", Kind.BONUS: "加分项", Kind.VETO: "否决项"}


@dataclass(frozen=True)
class Unit:
    name: str
    full_name: str
    unit_class: str | None = None  # rubric `units[].class`: a `UnitClass.id` (None when the plan has no classes)


@dataclass(frozen=True)
class UnitClass:
    """A class of units assessed on their own items (县（市）, 区 …); rubric `unit_classes`."""

    id: str
    name: str


@dataclass(frozen=True)
class Area:
    id: str
    name: str
    max: Decimal


@dataclass(frozen=True)
class Part:
    """A weighted part of the total (平时考核 60, 年终考核 40): its areas' subtotal scaled to `weight`
    (subtotal × weight / Σ its areas' max, half up to hundredths)."""

    id: str
    name: str
    weight: Decimal
    areas: tuple[str, ...]


@dataclass(frozen=True)
class KeyPoint:
    id: str
    label: str
    title: str
    area: str  # inherited from the parent when the rubric names one
    parent: str | None = None  # another key point's id: a tree of any depth below an area
    max: Decimal | None = None  # the points at this level (checked: the sum of its children's)


@dataclass(frozen=True)
class Attachments:
    """The plan's attachment labels, as its documents and the forms cite them."""

    rubric: str = "附件1"  # 考核细则
    report: str = "附件2"  # 自评报告
    contacts: str = "附件3"  # 联络员
    evaluators: str = "附件4"  # 评价部门
    focus: str = "附件5"  # 评价重点
    form: str = "附件6"  # 评价表


@dataclass(frozen=True)
class ReportLimits:
    """The limits of a unit's self-assessment report (字数, 典型案例数)."""

    chars: int = 3000
    cases: int = 3


@dataclass(frozen=True)
class PlanTexts:
    """The plan's own figures and words (rubric `texts`), with 漯河 2022's values as defaults."""

    procedure: str = "经自我评价、部门打分和综合考评"
    attachments: Attachments = Attachments()
    report_limits: ReportLimits = ReportLimits()


@dataclass(frozen=True)
class Item:
    id: str
    area: str
    key_point: str
    kind: Kind
    max: Decimal
    text: str
    evaluators: tuple[str, ...]
    per_event: Decimal | None = None
    group: str | None = None
    notes: str = ""
    focus: str = ""
    rule: Rule = field(default_factory=PointsRule)  # always set by the loader (defaulted from the kind and per_event)
    combine: Combine = field(
        default_factory=lambda: Combine(CombineKind.MEAN)
    )  # always set by the loader (defaulted from grading.joint)
    classes: tuple[str, ...] = ()  # the unit classes the item applies to; () = all units
    self_score: bool = False  # units self-score this item (a bonus item: a bonus claim with its evidence)

    @property
    def is_joint(self) -> bool:
        return len(self.evaluators) > 1

    def applies_to(self, unit: Unit) -> bool:
        return not self.classes or unit.unit_class in self.classes

    def words(self) -> str:
        """The item's rule in Chinese (`qe rubric show`)."""
        return self.rule.words(self.max, self.kind.value)

    def entries(self) -> tuple[Entry, ...]:
        """What the form asks of one evaluator for this item."""
        return self.rule.entries(self.max, self.kind.value)


@dataclass(frozen=True)
class Evaluator:
    name: str
    full_name: str
    phone: str
    email: str
    bureau: str | None = None
    aliases: tuple[str, ...] = ()


def grade_label(grade: str) -> str:
    """How a grade reads in a sentence: 'A级' for a letter grade, the name itself for 优秀 and the like."""
    return f"{grade}级" if len(grade) == 1 and grade.isascii() else grade


@dataclass(frozen=True)
class Threshold:
    grade: str
    min: Decimal


@dataclass(frozen=True)
class GradeLimit:
    """A quota on `grade`: exactly one of the four numbers is set.

    `max_units` / `max_percent` (today's limits): at most so many units (percent of the units, rounded down) get
    the grade; `top_units` / `top_percent` (前30%为A): the best so many units get the grade, thresholds permitting."""

    grade: str
    max_units: int | None = None
    max_percent: Decimal | None = None
    top_units: int | None = None
    top_percent: Decimal | None = None

    @property
    def is_top(self) -> bool:
        return self.top_units is not None or self.top_percent is not None

    def allowed(self, units: int) -> int:
        for count in (self.max_units, self.top_units):
            if count is not None:
                return count
        percent = self.max_percent if self.max_percent is not None else self.top_percent
        return int(Decimal(units) * (percent or Decimal(0)) // 100)

    def text(self) -> str:
        """至多 2 个单位 / 至多 30% 的单位 / 前 30% 的单位."""
        if self.max_units is not None:
            return f"{grade_label(self.grade)}最多 {self.max_units} 个单位"
        if self.max_percent is not None:
            return f"{grade_label(self.grade)}最多占被考核单位的 {self.max_percent}%（向下取整）"
        if self.top_units is not None:
            return f"得分前 {self.top_units} 名的单位为{grade_label(self.grade)}（须达到分数线）"
        return f"得分前 {self.top_percent}% 的单位（向下取整）为{grade_label(self.grade)}（须达到分数线）"


@dataclass(frozen=True)
class Grading:
    thresholds: tuple[Threshold, ...]
    lowest_grade: str
    veto_grade: str
    veto_ranks_last: bool
    joint: JointRule
    limits: tuple[GradeLimit, ...] = ()  # optional quotas on how many units get a grade, highest grade first
    bonus_cap: Decimal | None = None  # the bonus in total is at most this (None: only each item's own max)
    by_percent: bool = False  # thresholds are percentages of each unit's full marks (unit classes)

    @property
    def order(self) -> list[str]:
        """The grades from highest to lowest (the veto grade last when it is none of the others)."""
        return list(dict.fromkeys([*(t.grade for t in self.thresholds), self.lowest_grade, self.veto_grade]))

    def next_grade_up(self, total: Fraction) -> Threshold | None:
        """The nearest threshold above `total`, if any (for '距B级还差 x 分')."""
        above = [t for t in self.thresholds if Fraction(t.min) > total]
        return min(above, key=lambda t: t.min) if above else None


@dataclass(frozen=True)
class Rubric:
    year: int
    title: str
    rubric_title: str
    city: str
    office: str
    office_full_name: str
    basis: tuple[str, ...]  # the documents the plan rests on, cited by the 通报
    copy_to: tuple[str, ...]  # who the 通报 is copied to (方案三(三))
    period_start: date
    period_end: date
    materials_deadline: date
    return_deadline: date
    units: tuple[Unit, ...]
    areas: tuple[Area, ...]
    key_points: tuple[KeyPoint, ...]
    items: tuple[Item, ...]
    evaluators: tuple[Evaluator, ...]
    grading: Grading
    decisions: tuple[tuple[str, str], ...]
    content_hash: str
    report_date: date | None = None  # the date the office puts on its letters and the 通报
    self_scoring: bool = False  # each unit also fills a 自评打分表 (score items: its own score and a remark)
    disclosure: Disclosure = Disclosure()
    follow_up: FollowUp = FollowUp()
    total: Decimal = Decimal(100)  # the full marks (rubric `total`, default the sum of the areas' max)
    parts: tuple[Part, ...] = ()  # weighted parts of the total; () = the areas add up directly
    start_from: Decimal | None = None  # 起评分: total = start_from − deductions + bonus
    floor: Decimal = Decimal(0)  # the lowest total
    texts: PlanTexts = PlanTexts()
    unit_classes: tuple[UnitClass, ...] = ()
    _by_name: dict[str, Evaluator] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, Evaluator] = {}
        for ev in self.evaluators:
            for name in (ev.name, *ev.aliases):
                index.setdefault(name, ev)
        object.__setattr__(self, "_by_name", index)

    def evaluator(self, name: str) -> Evaluator | None:
        """Look an evaluator up by its name or an alias (市工业和信息化局 -> 市工信局)."""
        return self._by_name.get(name)

    def items_for(self, evaluator: str) -> tuple[Item, ...]:
        return tuple(i for i in self.items if evaluator in i.evaluators)

    def form_evaluators(self) -> tuple[Evaluator, ...]:
        """Evaluators that score at least one item, in catalogue order."""
        return tuple(ev for ev in self.evaluators if self.items_for(ev.name))

    def idle_evaluators(self) -> tuple[Evaluator, ...]:
        return tuple(ev for ev in self.evaluators if not self.items_for(ev.name))

    def item(self, item_id: str) -> Item:
        return next(i for i in self.items if i.id == item_id)

    def key_point(self, kp_id: str) -> KeyPoint:
        return next(k for k in self.key_points if k.id == kp_id)

    def items_of_kind(self, kind: Kind) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.kind is kind)

    def area(self, area_id: str) -> Area:
        return next(a for a in self.areas if a.id == area_id)

    def key_point_chain(self, item_id: str) -> tuple[KeyPoint, ...]:
        """The key points above an item, outermost first (one for a flat rubric)."""
        chain: list[KeyPoint] = []
        kp: str | None = self.item(item_id).key_point
        while kp is not None:
            node = self.key_point(kp)
            chain.insert(0, node)
            kp = node.parent
        return tuple(chain)

    def path(self, item_id: str) -> tuple[Area | KeyPoint, ...]:
        """The chain above an item: its area, then its key points outermost first."""
        return (self.area(self.item(item_id).area), *self.key_point_chain(item_id))

    def children(self, kp_id: str) -> tuple[KeyPoint, ...]:
        """The key points directly below a key point."""
        return tuple(k for k in self.key_points if k.parent == kp_id)

    def subtotal(self, kp_id: str) -> Decimal:
        """The points below a key point: its score items' max added up at every level below it (with unit
        classes, the largest of the classes' sums: each class counts the items that apply to it)."""
        below = [i for i in self.items if i.kind is Kind.SCORE and kp_id in {k.id for k in self.key_point_chain(i.id)}]
        classes: list[str | None] = [c.id for c in self.unit_classes] or [None]
        return max(sum((i.max for i in below if not i.classes or c in i.classes), Decimal(0)) for c in classes)

    def unit_items(self, unit: Unit) -> tuple[Item, ...]:
        """The items that apply to a unit (all of them when the plan has no unit classes)."""
        return tuple(i for i in self.items if i.applies_to(unit))

    def full_marks(self, unit: Unit) -> Decimal:
        """A unit's full marks: the total, or when some score items do not apply to it, the max of those that do
        (with weighted parts: each part's share of its weight, half up to hundredths; a start-from plan: the
        start-from score)."""
        items = self.unit_items(unit)
        if len(items) == len(self.items) or self.start_from is not None:
            return self.total
        own = {
            a.id: sum((i.max for i in items if i.kind is Kind.SCORE and i.area == a.id), Decimal(0)) for a in self.areas
        }
        if not self.parts:
            return sum(own.values(), Decimal(0))
        area_max = {a.id: a.max for a in self.areas}

        def share(part: Part) -> Decimal:
            scored = sum((own[a] for a in part.areas), Decimal(0))
            return round2(Fraction(scored * part.weight) / Fraction(sum((area_max[a] for a in part.areas), Decimal(0))))

        return sum((share(p) for p in self.parts), Decimal(0))

    def self_scored_items(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.self_score)
