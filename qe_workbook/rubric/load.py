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
    PublicShows,
    Rubric,
    Threshold,
    Unit,
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


def _build_limit(data: dict[str, Any]) -> GradeLimit:
    percent = data.get("max_percent")
    return GradeLimit(data["grade"], data.get("max_units"), Decimal(str(percent)) if percent is not None else None)


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
            joint=JointRule(grading["joint"]),
            limits=tuple(_build_limit(x) for x in grading.get("limits", ())),
        ),
        decisions=tuple((d["topic"], d["text"]) for d in data.get("decisions", ())),
        report_date=date.fromisoformat(data["report_date"]) if data.get("report_date") else None,
        self_scoring=bool(data.get("self_scoring", False)),
        disclosure=_build_disclosure(data.get("disclosure", {})),
        follow_up=FollowUp(Decimal(data.get("follow_up", {}).get("common_min_percent", FollowUp.common_min_percent))),
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


def _build_disclosure(raw: dict[str, Any]) -> Disclosure:
    default = Disclosure()
    return Disclosure(
        rank_in_letters=raw.get("rank_in_letters", default.rank_in_letters),
        distance_in_letters=raw.get("distance_in_letters", default.distance_in_letters),
        public_shows=PublicShows(raw.get("public_shows", default.public_shows)),
        remarks=Disclose(raw.get("remarks", default.remarks)),
    )
