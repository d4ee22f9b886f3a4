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
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from ..amounts import canonical, decimal_places
from ..problems import Problem, make_problem

TOTAL_POINTS = Decimal(100)

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
    "grade": "等级应为一个大写英文字母，例如 A",
    "phone": "电话号码只能含数字、空格、括号、加号和短横",
    "email": "电子邮箱格式不正确，例如 lhzl@126.com",
}

SCHEMA_PATH = Path(__file__).with_name("rubric.schema.json")


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


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
    if v == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        return f"缺少必填字段“{missing[0] if missing else error.message}”"
    if v == "additionalProperties":
        extra = re.findall(r"'([^']+)'", error.message)
        names = "、".join(f"“{e}”" for e in extra if e not in error.schema.get("properties", {}))
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
    if v == "minLength":
        return "不能为空"
    if v == "maxLength":
        return f"过长（不超过 {error.validator_value} 个字符）"
    if v == "pattern":
        return f"{_pattern_hint(error)}，实际为 {shown}"
    return "不符合格式要求"


def schema_problems(data: Any, src: str) -> list[Problem]:
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    return [
        make_problem("RUBRIC_SCHEMA", f"{e.json_path}：{_schema_message(e)}", file=src, cell=e.json_path)
        for e in errors
    ]


def check_rubric_data(data: Any, src: str) -> list[Problem]:
    """All problems in parsed rubric.json data: schema first; meaning only if the shape is right."""
    problems = schema_problems(data, src)
    if problems:
        return problems
    return list(_meaning_problems(data, src))


def _dup_problems(values: list[str], path: str, what: str, src: str) -> Iterator[Problem]:
    for value, count in Counter(values).items():
        if count > 1:
            idx = values.index(value)
            yield make_problem(
                "RUBRIC_DUPLICATE_ID",
                f"{path}[{idx}]：{what}“{value}”出现了 {count} 次",
                file=src,
                cell=f"{path}[{idx}]",
            )


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
    def P(code: str, path: str, detail: str) -> Problem:
        return make_problem(code, f"{path}：{detail}", file=src, cell=path)

    # dates
    for section, keys in (("period", ("start", "end")), ("deadlines", ("materials", "form_return"))):
        for key in keys:
            try:
                date.fromisoformat(data[section][key])
            except ValueError:
                yield P("RUBRIC_SCHEMA", f"$.{section}.{key}", f"“{data[section][key]}”不是有效日期")
    try:
        if date.fromisoformat(data["period"]["start"]) > date.fromisoformat(data["period"]["end"]):
            yield P("RUBRIC_SCHEMA", "$.period", "考核周期的开始日期晚于结束日期")
    except ValueError:
        pass

    units, areas, kps, items, evs = (data[k] for k in ("units", "areas", "key_points", "items", "evaluators"))
    yield from _dup_problems([u["name"] for u in units], "$.units", "县区", src)
    yield from _dup_problems([a["id"] for a in areas], "$.areas", "领域编号", src)
    yield from _dup_problems([k["id"] for k in kps], "$.key_points", "考核要点编号", src)
    yield from _dup_problems([i["id"] for i in items], "$.items", "项目编号", src)
    yield from _dup_problems(
        [str(n) for e in evs for n in (e["name"], *e.get("aliases", ()))], "$.evaluators", "评价部门名称", src
    )

    area_ids = {a["id"] for a in areas}
    kp_area = {k["id"]: k["area"] for k in kps}
    known_evaluators = {n for e in evs for n in (e["name"], *e.get("aliases", ()))}
    for n, kp in enumerate(kps):
        if kp["area"] not in area_ids:
            yield P("RUBRIC_UNKNOWN_REF", f"$.key_points[{n}].area", f"领域“{kp['area']}”未在 areas 中定义")

    for n, item in enumerate(items):
        path = f"$.items[{n}]"
        yield from _item_problems(item, path, area_ids, kp_area, known_evaluators, P)

    # sums per area and in total
    sums: dict[str, Decimal] = {a["id"]: Decimal(0) for a in areas}
    for item in items:
        if item["kind"] == "score" and item["area"] in sums:
            sums[item["area"]] += Decimal(item["max"])
    for n, area in enumerate(areas):
        if sums[area["id"]] != Decimal(area["max"]):
            yield P(
                "RUBRIC_AREA_SUM",
                f"$.areas[{n}].max",
                f"领域“{area['name']}”分值为 {canonical(Decimal(area['max']))} 分，"
                f"但其评分项目满分合计为 {canonical(sums[area['id']])} 分",
            )
    area_total = sum((Decimal(a["max"]) for a in areas), Decimal(0))
    if area_total != TOTAL_POINTS:
        yield P("RUBRIC_TOTAL", "$.areas", f"各领域分值合计为 {canonical(area_total)} 分，应为 100 分")
    for n, area in enumerate(areas):
        if decimal_places(Decimal(area["max"])) > 2:
            yield P("RUBRIC_VALUE", f"$.areas[{n}].max", "分值最多两位小数")

    yield from _grading_problems(data["grading"], P)
    yield from _evaluator_problems(data, P)


def _item_problems(
    item: dict[str, Any], path: str, area_ids: set[str], kp_area: dict[str, str], known: set[str], P: Any
) -> Iterator[Problem]:
    if item["area"] not in area_ids:
        yield P("RUBRIC_UNKNOWN_REF", f"{path}.area", f"领域“{item['area']}”未在 areas 中定义")
    if item["key_point"] not in kp_area:
        yield P("RUBRIC_UNKNOWN_REF", f"{path}.key_point", f"考核要点“{item['key_point']}”未在 key_points 中定义")
    elif kp_area[item["key_point"]] != item["area"]:
        yield P(
            "RUBRIC_UNKNOWN_REF",
            f"{path}.area",
            f"项目属于考核要点“{item['key_point']}”，该要点属于领域“{kp_area[item['key_point']]}”，"
            f"而不是“{item['area']}”",
        )
    for k, name in enumerate(item["evaluators"]):
        if name not in known:
            yield P(
                "RUBRIC_UNKNOWN_REF",
                f"{path}.evaluators[{k}]",
                f"评价部门“{name}”未在 evaluators 中定义（名称须与附件4一致，或列为 aliases）",
            )
    if len(set(item["evaluators"])) != len(item["evaluators"]):
        yield P("RUBRIC_DUPLICATE_ID", f"{path}.evaluators", "同一评价部门列了两次")
    kind, mx = item["kind"], Decimal(item["max"])
    if decimal_places(mx) > 2:
        yield P("RUBRIC_VALUE", f"{path}.max", f"满分 {mx} 的小数超过两位")
    if kind == "veto":
        if mx != 0:
            yield P("RUBRIC_VALUE", f"{path}.max", "否决项不计分，max 应为 0")
    elif mx <= 0:
        yield P("RUBRIC_VALUE", f"{path}.max", "满分（扣分项为最高扣分）应大于 0")
    if kind == "deduction":
        if "per_event" not in item:
            yield P("RUBRIC_VALUE", f"{path}.per_event", "扣分项须写明每次扣分 per_event")
        elif decimal_places(Decimal(item["per_event"])) > 2:
            yield P("RUBRIC_VALUE", f"{path}.per_event", "每次扣分最多两位小数")
    elif "per_event" in item:
        yield P("RUBRIC_VALUE", f"{path}.per_event", "只有扣分项才有 per_event")
    for key, want, have in _text_points(item):
        yield P("RUBRIC_TEXT_MAX", f"{path}.{key}", f"项目文字写明 {canonical(want)} 分，但 {key} 为 {canonical(have)}")


def _grading_problems(grading: dict[str, Any], P: Any) -> Iterator[Problem]:
    thresholds = grading["thresholds"]
    grades = [t["grade"] for t in thresholds] + [grading["lowest_grade"]]
    for grade, count in Counter(grades).items():
        if count > 1:
            yield P("RUBRIC_GRADING", "$.grading", f"等级“{grade}”定义了 {count} 次")
    mins = [Decimal(t["min"]) for t in thresholds]
    for n in range(1, len(mins)):
        if mins[n] >= mins[n - 1]:
            yield P(
                "RUBRIC_GRADING",
                f"$.grading.thresholds[{n}].min",
                f"分数线应从高到低排列：{canonical(mins[n])} 不低于上一级的 {canonical(mins[n - 1])}",
            )
    for n, m in enumerate(mins):
        if decimal_places(m) > 2:
            yield P("RUBRIC_GRADING", f"$.grading.thresholds[{n}].min", "分数线最多两位小数")
    if grading["veto"]["grade"] not in grades:
        yield P("RUBRIC_GRADING", "$.grading.veto.grade", f"否决等级“{grading['veto']['grade']}”不是已定义的等级")


def _evaluator_problems(data: dict[str, Any], P: Any) -> Iterator[Problem]:
    used = {name for item in data["items"] for name in item["evaluators"]}
    for n, ev in enumerate(data["evaluators"]):
        names = {ev["name"], *ev.get("aliases", ())}
        if not names & used:
            yield P(
                "RUBRIC_EVALUATOR_UNUSED", f"$.evaluators[{n}]", f"“{ev['name']}”没有需要评价的项目，不会为其生成评价表"
            )
            continue
        missing = [label for key, label in (("phone", "联系电话"), ("email", "电子邮箱")) if not ev[key]]
        if missing:
            yield P(
                "RUBRIC_CONTACT_MISSING", f"$.evaluators[{n}]", f"“{ev['name']}”缺少{'和'.join(missing)}（附件4未列出）"
            )
