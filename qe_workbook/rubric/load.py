"""Reading rubric.json: exact numbers, every problem reported, the model built only from checked data."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..problems import Problem, has_errors, os_error_text, problem
from ..small_files import read_small
from .check import check_rubric_data
from .model import (
    Area,
    Attachments,
    Disclose,
    Disclosure,
    Evaluator,
    FollowUp,
    GradeLimit,
    Grading,
    Item,
    JointRule,
    KeyPoint,
    Kind,
    Part,
    PlanTexts,
    PublicShows,
    ReportLimits,
    Rubric,
    Threshold,
    Unit,
    UnitClass,
)
from .rules import (
    BaseRule,
    ChecklistRule,
    Combine,
    CombineKind,
    Figure,
    LinearRule,
    PerEventRule,
    PointsRule,
    RangedRule,
    RankRule,
    Rule,
    TableRow,
    TableRule,
    Tier,
    TiersRule,
    VetoEffect,
    VetoKind,
    VetoRule,
    default_rule,
)

BUNDLED_RUBRIC = Path(__file__).with_name("data") / "rubric-2022.json"
RUBRIC_MAX_BYTES = 8 * 2**20  # a city's rubric is about 50 KB
NUMBER_MAX_DIGITS = 30  # a year, a maximum, points: a few digits; 30 leaves room for any decimal written out
NESTING_MAX = 64  # a rubric nests about 5 deep


def default_rubric_path(path: Path | None = None) -> Path:
    """The rubric used when none is named: ./rubric.json, else the bundled 2022 rubric."""
    if path is not None:
        return path
    local = Path("rubric.json")
    return local if local.exists() else BUNDLED_RUBRIC


@dataclass
class RubricFile:
    """A rubric read from rubric.json or from a rubric workbook: its data and every problem."""

    data: dict[str, Any] | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return self.data is not None and not has_errors(self.problems)


@dataclass
class RubricLoad:
    rubric: Rubric | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return self.rubric is not None and not has_errors(self.problems)


def canonical_json(data: Any) -> str:
    """Stable JSON text for hashing (sorted keys, Decimals as plain numbers)."""

    def default(obj: object) -> str:
        if isinstance(obj, Decimal):
            return format(obj.normalize(), "f")
        raise TypeError(type(obj).__name__)

    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=default)


OFFICE_FILE_STARTS = (
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0",
)  # a zip package (.xlsx, .docx, .ods) or an OLE file (.xls, .doc)


def read_rubric_json(path: Path) -> tuple[Any, list[Problem]]:
    """Parse rubric.json keeping numbers exact; duplicate keys are problems."""
    src = str(path)
    problems: list[Problem] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for key, value in items:
            if key in seen:
                problems.append(problem("RUBRIC_DUPLICATE_KEY", file=src, key=key))
            seen[key] = value
        return seen

    try:
        raw = read_small(path, RUBRIC_MAX_BYTES)
    except OSError as exc:
        return None, [problem("RUBRIC_UNREADABLE", file=src, reason=os_error_text(exc))]
    if len(raw) > RUBRIC_MAX_BYTES:
        return None, [problem("RUBRIC_TOO_LARGE", file=src, limit_mb=RUBRIC_MAX_BYTES // 2**20)]
    if raw.startswith(OFFICE_FILE_STARTS):
        return None, [problem("RUBRIC_IS_WORKBOOK", file=src)]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [problem("RUBRIC_NOT_UTF8", file=src)]
    if _depth(text) > NESTING_MAX:  # before parsing: the parser's own RecursionError upsets the interpreter
        return None, [problem("RUBRIC_TOO_DEEP", file=src, limit=NESTING_MAX)]
    try:
        data = json.loads(text, parse_float=_number(Decimal), parse_int=_number(int), object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        cell = f"行{exc.lineno}列{exc.colno}"
        return None, [problem("RUBRIC_JSON_SYNTAX", file=src, cell=cell, line=exc.lineno, column=exc.colno)]
    except _NumberTooLong as exc:
        return None, [problem("RUBRIC_NUMBER_TOO_LONG", file=src, digits=exc.digits, limit=NUMBER_MAX_DIGITS)]
    return data, problems


class _NumberTooLong(ValueError):
    def __init__(self, digits: int) -> None:
        super().__init__(digits)
        self.digits = digits


def _number(kind: Callable[[str], Any]) -> Callable[[str], Any]:
    """A JSON number parser that refuses a number of more than `NUMBER_MAX_DIGITS` digits (before Python's own
    limit on long integers raises a bare ValueError, and before a huge number slows every later check)."""

    def parse(text: str) -> Any:
        digits = sum(c.isdigit() for c in text)
        if digits > NUMBER_MAX_DIGITS:
            raise _NumberTooLong(digits)
        return kind(text)

    return parse


def _depth(text: str) -> int:
    """How deep the brackets of JSON text nest, strings left out (an unbalanced text is the parser's to tell)."""
    deepest = depth = 0
    for bracket in _BRACKETS.findall(_STRINGS.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKETS = re.compile(r"[\[\]{}]")


def load_rubric(path: str | Path) -> RubricLoad:
    """Load and check rubric.json; the rubric is None when it has errors."""
    path = Path(path)
    data, problems = read_rubric_json(path)
    if data is None:
        return RubricLoad(None, problems)
    problems += check_rubric_data(data, str(path))
    if has_errors(problems):
        return RubricLoad(None, problems)
    return RubricLoad(build_rubric(data), problems)


def _dec(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _opt_dec(value: Any) -> Decimal | None:
    return None if value is None else _dec(value)


def _build_limit(data: dict[str, Any]) -> GradeLimit:
    return GradeLimit(
        data["grade"],
        data.get("max_units"),
        _opt_dec(data.get("max_percent")),
        data.get("top_units"),
        _opt_dec(data.get("top_percent")),
    )


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
    areas = tuple(Area(a["id"], a["name"], Decimal(a["max"])) for a in data["areas"])
    joint = JointRule(grading["joint"])
    self_scoring = bool(data.get("self_scoring", False))
    item_context = _ItemContext(canonical_name, grading["veto"]["grade"], joint, self_scoring)
    items = tuple(_build_item(i, item_context) for i in data["items"])
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
        units=tuple(Unit(u["name"], u["full_name"], u.get("class")) for u in data["units"]),
        areas=areas,
        key_points=_build_key_points(data["key_points"]),
        items=items,
        evaluators=evaluators,
        grading=Grading(
            thresholds=tuple(Threshold(t["grade"], Decimal(t["min"])) for t in grading["thresholds"]),
            lowest_grade=grading["lowest_grade"],
            veto_grade=grading["veto"]["grade"],
            veto_ranks_last=grading["veto"]["ranks_last"],
            joint=joint,
            limits=tuple(_build_limit(x) for x in grading.get("limits", ())),
            bonus_cap=_opt_dec(grading.get("bonus_cap")),
            by_percent=bool(grading.get("by_percent", False)),
        ),
        decisions=tuple((d["topic"], d["text"]) for d in data.get("decisions", ())),
        report_date=date.fromisoformat(data["report_date"]) if data.get("report_date") else None,
        self_scoring=self_scoring or any(i.self_score for i in items),  # an item self-scored asks for the table
        disclosure=_build_disclosure(data.get("disclosure", {})),
        follow_up=FollowUp(Decimal(data.get("follow_up", {}).get("common_min_percent", FollowUp.common_min_percent))),
        content_hash=hashlib.sha256(canonical_json(data).encode()).hexdigest(),
        total=_dec(data["total"]) if "total" in data else sum((a.max for a in areas), Decimal(0)),
        parts=tuple(Part(p["id"], p["name"], _dec(p["weight"]), tuple(p["areas"])) for p in data.get("parts", ())),
        start_from=_opt_dec(data.get("start_from")),
        floor=_dec(data.get("floor", 0)),
        texts=_build_texts(data.get("texts", {})),
        unit_classes=tuple(UnitClass(c["id"], c["name"]) for c in data.get("unit_classes", ())),
    )


def _build_key_points(raw: list[dict[str, Any]]) -> tuple[KeyPoint, ...]:
    """Key points with the area inherited down the tree (a child may leave its area out)."""
    by_id = {k["id"]: k for k in raw}

    def area(k: dict[str, Any]) -> str:
        seen = set()
        while "area" not in k and k.get("parent") in by_id and k["id"] not in seen:
            seen.add(k["id"])
            k = by_id[k["parent"]]
        return str(k.get("area", ""))

    return tuple(
        KeyPoint(k["id"], k["label"], k["title"], area(k), k.get("parent"), _opt_dec(k.get("max"))) for k in raw
    )


@dataclass(frozen=True)
class _ItemContext:
    canonical_name: dict[str, str]
    veto_grade: str
    joint: JointRule
    self_scoring: bool


def _build_item(raw: dict[str, Any], ctx: _ItemContext) -> Item:
    per_event = _opt_dec(raw.get("per_event"))
    kind = Kind(raw["kind"])
    max_points = Decimal(raw["max"])
    rule = (
        build_rule(raw["rule"], max_points, ctx.veto_grade)
        if "rule" in raw
        else default_rule(kind.value, per_event, max_points, ctx.veto_grade)
    )
    if kind is Kind.DEDUCTION and per_event is None and isinstance(rule, PerEventRule):
        per_event = rule.per_event  # the same deduction, whether written on the item or in its rule
    return Item(
        id=raw["id"],
        area=raw["area"],
        key_point=raw["key_point"],
        kind=kind,
        max=max_points,
        text=raw["text"],
        evaluators=tuple(ctx.canonical_name[name] for name in raw["evaluators"]),
        per_event=per_event,
        group=raw.get("group"),
        notes=raw.get("notes", ""),
        focus=raw.get("focus", ""),
        rule=rule,
        combine=build_combine(raw.get("combine", ctx.joint.value), ctx.canonical_name),
        classes=tuple(raw.get("classes", ())),
        self_score=bool(raw.get("self_score", ctx.self_scoring and kind is Kind.SCORE)),
    )


def build_figure(raw: dict[str, Any]) -> Figure:
    return Figure(
        raw["name"],
        raw.get("unit", ""),
        _opt_dec(raw.get("min")),
        _opt_dec(raw.get("max")),
        int(raw.get("decimals", 2)),
        bool(raw.get("lower_is_better", False)),
    )


def build_rule(raw: dict[str, Any], max_points: Decimal, veto_grade: str) -> Rule:
    """A checked rubric.json `rule` as its model (the defaults of the optional numbers filled in)."""
    kind = raw["type"]
    if kind == "points":
        return PointsRule()
    if kind == "tiers":
        return TiersRule(tuple(Tier(_dec(t["points"]), t.get("label", "")) for t in raw["tiers"]))
    if kind == "linear":
        return LinearRule(build_figure(raw["figure"]), _dec(raw["full_at"]), _dec(raw.get("per", 1)),
                          _dec(raw["minus"]), _dec(raw.get("floor", 0)), raw.get("steps", "whole"))  # fmt: skip
    if kind == "table":
        rows = tuple(TableRow(_dec(r["from"]), _dec(r["points"])) for r in raw["rows"])
        return TableRule(build_figure(raw["figure"]), rows)
    if kind == "checklist":
        return ChecklistRule(tuple(raw["aspects"]), _dec(raw["minus"]), _dec(raw.get("floor", 0)))
    if kind == "base":
        return BaseRule(_dec(raw["base"]))
    if kind == "rank":
        return RankRule(build_figure(raw["figure"]), tuple(_dec(p) for p in raw["points"]),
                        _dec(raw.get("rest", 0)), raw.get("ties", "share"))  # fmt: skip
    if kind == "per_event":
        return PerEventRule(_dec(raw["per_event"]), _opt_dec(raw["cap"]) if "cap" in raw else max_points)
    if kind == "ranged":
        return RangedRule(_dec(raw["min"]), _dec(raw["max"]))
    return VetoRule(build_veto_effect(raw.get("effect"), veto_grade))


def build_veto_effect(raw: dict[str, Any] | None, veto_grade: str) -> VetoEffect:
    if not raw:
        return VetoEffect(VetoKind.SET_GRADE, grade=veto_grade)
    if "set_grade" in raw:
        return VetoEffect(VetoKind.SET_GRADE, grade=raw["set_grade"])
    if "cap_grade" in raw:
        return VetoEffect(VetoKind.CAP_GRADE, grade=raw["cap_grade"])
    if "zero_area" in raw:
        return VetoEffect(VetoKind.ZERO_AREA, area=raw["zero_area"])
    return VetoEffect(VetoKind.ZERO_TOTAL)


def build_combine(raw: str | dict[str, Any], canonical_name: dict[str, str]) -> Combine:
    if isinstance(raw, str):
        return Combine(CombineKind(raw))
    if "weighted" in raw:
        weights = tuple((canonical_name.get(k, k), _dec(v)) for k, v in raw["weighted"].items())
        return Combine(CombineKind.WEIGHTED, weights=weights)
    return Combine(CombineKind.LEAD, lead=canonical_name.get(raw["lead"], raw["lead"]))


def _build_texts(raw: dict[str, Any]) -> PlanTexts:
    default = PlanTexts()
    limits = raw.get("report_limits", {})
    return PlanTexts(
        procedure=raw.get("procedure", default.procedure),
        attachments=Attachments(**{**default.attachments.__dict__, **raw.get("attachments", {})}),
        report_limits=ReportLimits(
            int(limits.get("chars", default.report_limits.chars)), int(limits.get("cases", default.report_limits.cases))
        ),
    )


def _build_disclosure(raw: dict[str, Any]) -> Disclosure:
    default = Disclosure()
    return Disclosure(
        rank_in_letters=raw.get("rank_in_letters", default.rank_in_letters),
        distance_in_letters=raw.get("distance_in_letters", default.distance_in_letters),
        public_shows=PublicShows(raw.get("public_shows", default.public_shows)),
        remarks=Disclose(raw.get("remarks", default.remarks)),
    )
