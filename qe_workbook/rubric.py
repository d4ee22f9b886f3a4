"""The rubric (考核细则) as a validated, immutable data model.

`load_rubric` reads rubric.json, checks it against the shipped JSON Schema and for meaning
(`rubric_check`), and returns the model with every problem found; it never raises on bad input.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from pathlib import Path
from typing import Any

from .problems import Problem, has_errors, make_problem, os_error_text


class Kind(StrEnum):
    SCORE = "score"
    DEDUCTION = "deduction"
    BONUS = "bonus"
    VETO = "veto"


JOINT_RULE_LABELS = {"mean": "取各部门评分的平均值", "min": "取各部门评分中从严的值"}
KIND_LABELS = {Kind.SCORE: "评分项", Kind.DEDUCTION: "扣分项", Kind.BONUS: "加分项", Kind.VETO: "否决项"}


@dataclass(frozen=True)
class Unit:
    name: str
    full_name: str


@dataclass(frozen=True)
class Area:
    id: str
    name: str
    max: Decimal


@dataclass(frozen=True)
class KeyPoint:
    id: str
    label: str
    title: str
    area: str


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

    @property
    def is_joint(self) -> bool:
        return len(self.evaluators) > 1


@dataclass(frozen=True)
class Evaluator:
    name: str
    full_name: str
    phone: str
    email: str
    bureau: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Threshold:
    grade: str
    min: Decimal


@dataclass(frozen=True)
class Grading:
    thresholds: tuple[Threshold, ...]
    lowest_grade: str
    veto_grade: str
    veto_ranks_last: bool
    joint: str

    def grade_for(self, total: Fraction) -> str:
        for t in self.thresholds:
            if total >= Fraction(t.min):
                return t.grade
        return self.lowest_grade

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


@dataclass
class RubricLoad:
    rubric: Rubric | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return self.rubric is not None and not has_errors(self.problems)


SCHEMA_PATH = Path(__file__).with_name("rubric.schema.json")


def canonical_json(data: Any) -> str:
    """Stable JSON text for hashing (sorted keys, Decimals as plain numbers)."""

    def default(obj: object) -> str:
        if isinstance(obj, Decimal):
            return format(obj.normalize(), "f")
        raise TypeError(type(obj).__name__)

    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=default)


def read_rubric_json(path: Path) -> tuple[Any, list[Problem]]:
    """Parse rubric.json keeping numbers exact; duplicate keys are problems."""
    src = str(path)
    problems: list[Problem] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for key, value in items:
            if key in seen:
                problems.append(
                    make_problem(
                        "RUBRIC_SCHEMA",
                        f"同一对象中字段“{key}”出现了两次，后一个会覆盖前一个",
                        file=src,
                        fix="请删除重复的字段。",
                    )
                )
            seen[key] = value
        return seen

    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        return None, [make_problem("RUBRIC_UNREADABLE", f"无法读取考核细则文件：{os_error_text(exc)}", file=src)]
    except UnicodeDecodeError:
        return None, [
            make_problem(
                "RUBRIC_UNREADABLE", "考核细则文件不是 UTF-8 编码", file=src, fix="请用文本编辑器以 UTF-8 编码另存。"
            )
        ]
    try:
        data = json.loads(text, parse_float=Decimal, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        return None, [
            make_problem(
                "RUBRIC_UNREADABLE",
                f"JSON 语法错误（第 {exc.lineno} 行第 {exc.colno} 列附近）",
                file=src,
                cell=f"行{exc.lineno}列{exc.colno}",
            )
        ]
    return data, problems


def load_rubric(path: str | Path) -> RubricLoad:
    """Load and check rubric.json; the rubric is None when it has errors."""
    from .rubric_check import check_rubric_data

    path = Path(path)
    data, problems = read_rubric_json(path)
    if data is None:
        return RubricLoad(None, problems)
    problems += check_rubric_data(data, str(path))
    if has_errors(problems):
        return RubricLoad(None, problems)
    return RubricLoad(build_rubric(data), problems)


def build_rubric(data: dict[str, Any]) -> Rubric:
    """Build the model from data that passed `check_rubric_data`."""
    grading = data["grading"]
    evaluators = tuple(
        Evaluator(
            e["name"],
            e.get("full_name", e["name"]),
            e["phone"],
            e["email"],
            e.get("bureau"),
            tuple(e.get("aliases", ())),
        )
        for e in data["evaluators"]
    )
    canonical_name = {alias: e.name for e in evaluators for alias in (e.name, *e.aliases)}
    return Rubric(
        year=data["year"],
        title=data["title"],
        rubric_title=data.get("rubric_title", data["title"]),
        city=data.get("city", ""),
        office=data["office"],
        office_full_name=data.get("office_full_name", data["office"]),
        basis=tuple(data.get("basis", ())),
        copy_to=tuple(data.get("copy_to", ())),
        period_start=date.fromisoformat(data["period"]["start"]),
        period_end=date.fromisoformat(data["period"]["end"]),
        materials_deadline=date.fromisoformat(data["deadlines"]["materials"]),
        return_deadline=date.fromisoformat(data["deadlines"]["form_return"]),
        units=tuple(Unit(u["name"], u["full_name"]) for u in data["units"]),
        areas=tuple(Area(a["id"], a["name"], Decimal(a["max"])) for a in data["areas"]),
        key_points=tuple(KeyPoint(k["id"], k["label"], k["title"], k["area"]) for k in data["key_points"]),
        items=tuple(_build_item(i, canonical_name) for i in data["items"]),
        evaluators=evaluators,
        grading=Grading(
            thresholds=tuple(Threshold(t["grade"], Decimal(t["min"])) for t in grading["thresholds"]),
            lowest_grade=grading["lowest_grade"],
            veto_grade=grading["veto"]["grade"],
            veto_ranks_last=grading["veto"]["ranks_last"],
            joint=grading["joint"],
        ),
        decisions=tuple((d["topic"], d["text"]) for d in data.get("decisions", ())),
        content_hash=hashlib.sha256(canonical_json(data).encode()).hexdigest(),
    )


def _build_item(raw: dict[str, Any], canonical_name: dict[str, str]) -> Item:
    per_event = raw.get("per_event")
    return Item(
        id=raw["id"],
        area=raw["area"],
        key_point=raw["key_point"],
        kind=Kind(raw["kind"]),
        max=Decimal(raw["max"]),
        text=raw["text"],
        evaluators=tuple(canonical_name[name] for name in raw["evaluators"]),
        per_event=None if per_event is None else Decimal(per_event),
        group=raw.get("group"),
        notes=raw.get("notes", ""),
        focus=raw.get("focus", ""),
    )
