"""Checks on rubric.json: the JSON Schema first, then the meaning (sums, references, grading).

Every finding is a `Problem` whose `cell` is the JSON path of the value at fault.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..amounts import canonical, decimal_places
from ..problems import Problem, problem
from .check_rules import duplicate_problems, rule_language_problems
from .model import Attachments

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

_TYPE_NAMES = {
    "object": "对象（{…}）",
    "array": "列表（[…]）",
    "string": "文字（带引号）",
    "number": "数字",
    "integer": "整数",
    "boolean": "true 或 false",
}

_PATTERN_HINTS = {
    "date": "日期格式应为 YYYY-MM-DD，例如 2023-04-10",
    "id": "编号只能由字母、数字、点、下划线和短横组成，且不超过 20 个字符",
    "name": '名称不能为空，不能含空格或 \\ / : * ? " < > | 等字符（会用作文件名）',
    "grade": "等级名称不能含空格，例如 A 或 优秀",
    "phone": "电话号码只能含数字、空格、括号、加号和短横",
    "email": "电子邮箱格式不正确，例如 lhzl@126.com",
}

SCHEMA_PATH = Path(__file__).with_name("rubric.schema.json")


@cache
def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


@cache
def _validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator  # here: only reading a rubric needs it, not the start-up

    return Draft202012Validator(_schema())


def _pattern_hint(error: ValidationError) -> str:
    defs = _validator().schema["$defs"]
    for key, hint in _PATTERN_HINTS.items():
        if defs.get(key, {}).get("pattern") == error.validator_value:
            return hint
    last = str(error.path[-1]) if error.path else ""
    return _PATTERN_HINTS.get(last, "格式不正确")


def _schema_message(error: ValidationError) -> str:
    v = error.validator
    inst = error.instance
    shown = json.dumps(inst, ensure_ascii=False, default=str)
    if len(shown) > 60:
        shown = shown[:57] + "…"
    if v == "additionalProperties":
        names = "、".join(f"“{e}”" for e in sorted(inst) if e not in error.schema.get("properties", {}))
        return f"有未定义的字段{names}（可能是拼写错误）"
    if v == "type":
        want = error.validator_value
        wants = want if isinstance(want, list) else [want]
        return f"应为{'或'.join(_TYPE_NAMES.get(str(w), str(w)) for w in wants)}，实际为 {shown}"
    if v == "enum":
        options = "、".join(json.dumps(o, ensure_ascii=False) for o in error.validator_value)
        return f"取值只能是 {options} 之一，实际为 {shown}"
    if v == "const":
        return f"取值只能是 {json.dumps(error.validator_value, ensure_ascii=False)}，实际为 {shown}"
    if v in ("minimum", "exclusiveMinimum"):
        rel = "大于" if v == "exclusiveMinimum" else "不小于"
        return f"应{rel} {error.validator_value}，实际为 {shown}"
    if v in ("maximum", "exclusiveMaximum"):
        return f"应不大于 {error.validator_value}，实际为 {shown}"
    if v == "minItems":
        return f"至少应有 {error.validator_value} 项"
    if v == "oneOf":  # the one oneOf: a grade quota is a number of units or a percentage, at most or the best
        return "“max_units”“max_percent”“top_units”“top_percent”（最多几个、最多百分之几、前几名、前百分之几）应填且只填一个"
    if v == "minLength":
        return "不能为空"
    if v == "maxLength":
        return f"过长（不超过 {error.validator_value} 个字符）"
    if v == "pattern":
        return f"{_pattern_hint(error)}，实际为 {shown}"
    return "不符合格式要求"


def schema_problems(data: Any, src: str) -> list[Problem]:
    """What jsonschema finds against rubric.schema.json, each error told in Chinese at its JSON position
    (from the error's path, keyword and values, never from its English message)."""
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    problems, told = [], set()
    for e in errors:
        at = {"file": src, "cell": e.json_path, "rule": e.validator}
        if e.validator != "required":
            problems.append(problem("RUBRIC_SCHEMA", **at, requirement=_schema_message(e), **_value(e)))
        elif e.json_path not in told:  # one error per missing field, in the schema's order: told all at once
            told.add(e.json_path)
            missing = [name for name in e.validator_value if name not in e.instance]
            problems += [problem("RUBRIC_SCHEMA", **at, requirement=f"缺少必填字段“{name}”") for name in missing]
    return problems


def _value(error: ValidationError) -> dict[str, Any]:
    """The offending value as a param, when it is a single value (not a whole object or list)."""
    inst = error.instance
    return {} if isinstance(inst, dict | list) else {"value": inst}


def check_rubric_data(data: Any, src: str) -> list[Problem]:
    """All problems in parsed rubric.json data: schema first; meaning only if the shape is right."""
    problems = schema_problems(data, src)
    if problems:
        return problems
    return list(_meaning_problems(data, src))


_POINTS_IN_TEXT = [
    (re.compile(r"（每项扣(\d+(?:\.\d+)?)分，最高扣(\d+(?:\.\d+)?)分）$"), "per_event_and_max"),
    (re.compile(r"（最高扣(\d+(?:\.\d+)?)分）$"), "max"),
    (re.compile(r"（加\s*(\d+(?:\.\d+)?)分）$"), "max"),
    (re.compile(r"（(\d+(?:\.\d+)?)分）$"), "max"),
]


def _text_points(item: dict[str, Any]) -> list[tuple[str, Decimal, Decimal]]:
    """Mismatches between the points written in the item text and max/per_event."""
    text = re.sub(r"\s", "", item["text"])
    for pattern, kind in _POINTS_IN_TEXT:
        m = pattern.search(text)
        if not m:
            continue
        if kind == "per_event_and_max":
            pairs = [("per_event", Decimal(m.group(1))), ("max", Decimal(m.group(2)))]
        else:
            pairs = [("max", Decimal(m.group(1)))]
        return [(k, want, Decimal(item.get(k) or 0)) for k, want in pairs if Decimal(item.get(k) or 0) != want]
    return []


def _meaning_problems(data: dict[str, Any], src: str) -> Iterator[Problem]:
    # dates
    for section, keys in (("period", ("start", "end")), ("deadlines", ("materials", "form_return"))):
        for key in keys:
            try:
                date.fromisoformat(data[section][key])
            except ValueError:
                yield problem("RUBRIC_DATE_INVALID", file=src, cell=f"$.{section}.{key}", value=data[section][key])
    if data.get("report_date"):
        try:
            date.fromisoformat(data["report_date"])
        except ValueError:
            yield problem("RUBRIC_DATE_INVALID", file=src, cell="$.report_date", value=data["report_date"])
    try:
        start, end = (date.fromisoformat(data["period"][k]) for k in ("start", "end"))
        if start > end:
            yield problem("RUBRIC_PERIOD_ORDER", file=src, cell="$.period", start=start, end=end)
    except ValueError:
        pass

    units, areas, kps, items, evs = (data[k] for k in ("units", "areas", "key_points", "items", "evaluators"))
    yield from duplicate_problems([u["name"] for u in units], "$.units", "县区", src)
    yield from duplicate_problems([a["id"] for a in areas], "$.areas", "领域编号", src)
    yield from duplicate_problems([k["id"] for k in kps], "$.key_points", "考核要点编号", src)
    yield from duplicate_problems([i["id"] for i in items], "$.items", "项目编号", src)
    yield from duplicate_problems(
        [str(n) for e in evs for n in (e["name"], *e.get("aliases", ()))], "$.evaluators", "评价部门名称", src
    )

    area_ids = {a["id"] for a in areas}
    kp_area = key_point_areas(kps)
    known_evaluators = {n for e in evs for n in (e["name"], *e.get("aliases", ()))}
    for n, kp in enumerate(kps):
        if "area" in kp and kp["area"] not in area_ids:
            yield problem(
                "RUBRIC_UNKNOWN_REF",
                file=src,
                cell=f"$.key_points[{n}].area",
                what="领域",
                ref=kp["area"],
                section="areas",
            )

    for n, item in enumerate(items):
        path = f"$.items[{n}]"
        yield from _item_problems(item, path, area_ids, kp_area, known_evaluators, src)

    # sums per area (with unit classes: the best class's sum); the totals are `rule_language_problems`'
    sums = _area_sums(data)
    for n, area in enumerate(areas):
        if "start_from" not in data and sums[area["id"]] != Decimal(area["max"]):
            yield problem(
                "RUBRIC_AREA_SUM",
                file=src,
                cell=f"$.areas[{n}].max",
                area=area["name"],
                max=canonical(Decimal(area["max"])),
                sum=canonical(sums[area["id"]]),
            )
    for n, area in enumerate(areas):
        if decimal_places(Decimal(area["max"])) > 2:
            yield problem("RUBRIC_TOO_PRECISE", file=src, cell=f"$.areas[{n}].max", value=Decimal(area["max"]))

    yield from _grading_problems(data["grading"], src)
    yield from _evaluator_problems(data, src)
    yield from rule_language_problems(data, src)


def _area_sums(data: dict[str, Any]) -> dict[str, Decimal]:
    """Each area's score items' max added up; with unit classes, the largest of the classes' sums (a class's
    units are scored on the items for all classes and those for their class)."""
    classes = [c["id"] for c in data.get("unit_classes", ())] or [None]
    sums: dict[str, Decimal] = {a["id"]: Decimal(0) for a in data["areas"]}
    for cls in classes:
        by_class: dict[str, Decimal] = {a: Decimal(0) for a in sums}
        for item in data["items"]:
            applies = cls is None or "classes" not in item or cls in item["classes"]
            if item["kind"] == "score" and item["area"] in by_class and applies:
                by_class[item["area"]] += Decimal(item["max"])
        sums = {a: max(sums[a], by_class[a]) for a in sums}
    return sums


def key_point_areas(kps: list[dict[str, Any]]) -> dict[str, str]:
    """Each key point's area: its own, or inherited from its parents ("" when none is found)."""
    by_id = {k["id"]: k for k in kps}
    areas: dict[str, str] = {}
    for kp in kps:
        node, seen = kp, set()
        while "area" not in node and node.get("parent") in by_id and node["id"] not in seen:
            seen.add(node["id"])
            node = by_id[node["parent"]]
        areas[kp["id"]] = str(node.get("area", ""))
    return areas


def _item_problems(
    item: dict[str, Any], path: str, area_ids: set[str], kp_area: dict[str, str], known: set[str], src: str
) -> Iterator[Problem]:
    item_id = item["id"]
    if item["area"] not in area_ids:
        yield problem(
            "RUBRIC_UNKNOWN_REF",
            file=src,
            cell=f"{path}.area",
            item=item_id,
            what="领域",
            ref=item["area"],
            section="areas",
        )
    if item["key_point"] not in kp_area:
        yield problem(
            "RUBRIC_UNKNOWN_REF",
            file=src,
            cell=f"{path}.key_point",
            item=item_id,
            what="考核要点",
            ref=item["key_point"],
            section="key_points",
        )
    elif kp_area[item["key_point"]] != item["area"]:
        yield problem(
            "RUBRIC_AREA_MISMATCH",
            file=src,
            cell=f"{path}.area",
            item=item_id,
            key_point=item["key_point"],
            key_point_area=kp_area[item["key_point"]],
            area=item["area"],
        )
    for k, name in enumerate(item["evaluators"]):
        if name not in known:
            yield problem(
                "RUBRIC_UNKNOWN_EVALUATOR", file=src, cell=f"{path}.evaluators[{k}]", item=item_id, evaluator=name
            )
    for name, count in Counter(item["evaluators"]).items():
        if count > 1:
            yield problem(
                "RUBRIC_EVALUATOR_REPEATED", file=src, cell=f"{path}.evaluators", item=item_id, evaluator=name
            )
    kind, mx = item["kind"], Decimal(item["max"])
    if decimal_places(mx) > 2:
        yield problem("RUBRIC_TOO_PRECISE", file=src, cell=f"{path}.max", item=item_id, value=mx)
    if kind == "veto":
        if mx != 0:
            yield problem("RUBRIC_VETO_POINTS", file=src, cell=f"{path}.max", item=item_id, value=canonical(mx))
    elif mx <= 0:
        yield problem("RUBRIC_VALUE", file=src, cell=f"{path}.max", item=item_id, value=canonical(mx))
    if kind == "deduction":
        if "per_event" not in item and "rule" not in item:
            yield problem("RUBRIC_PER_EVENT_MISSING", file=src, cell=f"{path}.per_event", item=item_id)
        elif "per_event" in item and decimal_places(Decimal(item["per_event"])) > 2:
            yield problem(
                "RUBRIC_TOO_PRECISE", file=src, cell=f"{path}.per_event", item=item_id, value=Decimal(item["per_event"])
            )
    elif "per_event" in item:
        yield problem("RUBRIC_PER_EVENT_UNEXPECTED", file=src, cell=f"{path}.per_event", item=item_id, kind=kind)
    for key, want, have in _text_points(item):
        yield problem(
            "RUBRIC_TEXT_MAX",
            file=src,
            cell=f"{path}.{key}",
            item=item_id,
            field=key,
            written=canonical(want),
            value=canonical(have),
        )


def _grading_problems(grading: dict[str, Any], src: str) -> Iterator[Problem]:
    thresholds = grading["thresholds"]
    grades = [t["grade"] for t in thresholds] + [grading["lowest_grade"]]
    for grade, count in Counter(grades).items():
        if count > 1:
            yield problem("RUBRIC_DUPLICATE_ID", file=src, cell="$.grading", what="等级", value=grade, count=count)
    mins = [Decimal(t["min"]) for t in thresholds]
    for n in range(1, len(mins)):
        if mins[n] >= mins[n - 1]:
            yield problem(
                "RUBRIC_GRADING",
                file=src,
                cell=f"$.grading.thresholds[{n}].min",
                min=canonical(mins[n]),
                previous=canonical(mins[n - 1]),
            )
    for n, m in enumerate(mins):
        if decimal_places(m) > 2:
            yield problem("RUBRIC_TOO_PRECISE", file=src, cell=f"$.grading.thresholds[{n}].min", value=m)
    yield from _limit_problems(grading, [t["grade"] for t in thresholds], src)
    if grading["veto"]["grade"] not in grades:
        yield problem(
            "RUBRIC_VETO_GRADE_UNKNOWN",
            file=src,
            cell="$.grading.veto.grade",
            grade=grading["veto"]["grade"],
            grades=grades,
        )


def _limit_problems(grading: dict[str, Any], graded: list[str], src: str) -> Iterator[Problem]:
    """Each capped grade is one of the thresholds' grades (so there is a grade below it), capped once."""
    limits = grading.get("limits", [])
    for grade, count in Counter(x["grade"] for x in limits).items():
        if count > 1:
            yield problem("RUBRIC_DUPLICATE_ID", file=src, cell="$.grading.limits", what="等级数量上限的等级",
                          value=grade, count=count)  # fmt: skip
    for n, limit in enumerate(limits):
        if limit["grade"] not in graded:
            yield problem("RUBRIC_LIMIT_GRADE", file=src, cell=f"$.grading.limits[{n}].grade", grade=limit["grade"],
                          grades=graded)  # fmt: skip
        if "max_percent" in limit and decimal_places(Decimal(str(limit["max_percent"]))) > 2:
            yield problem("RUBRIC_TOO_PRECISE", file=src, cell=f"$.grading.limits[{n}].max_percent",
                          value=limit["max_percent"])  # fmt: skip


def _evaluator_problems(data: dict[str, Any], src: str) -> Iterator[Problem]:
    used = {name for item in data["items"] for name in item["evaluators"]}
    attachments = Attachments(**data.get("texts", {}).get("attachments", {}))
    for n, ev in enumerate(data["evaluators"]):
        names = {ev["name"], *ev.get("aliases", ())}
        if not names & used:
            yield problem("RUBRIC_EVALUATOR_UNUSED", file=src, cell=f"$.evaluators[{n}]", evaluator=ev["name"])
            continue
        missing = [label for key, label in (("phone", "联系电话"), ("email", "电子邮箱")) if not ev[key]]
        if missing:
            yield problem("RUBRIC_CONTACT_MISSING", file=src, cell=f"$.evaluators[{n}]", evaluator=ev["name"],
                          missing=missing, attachment=attachments.evaluators)  # fmt: skip
