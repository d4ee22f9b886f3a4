"""Where in the rubric a problem lies, as a clerk reads it: `$.evaluators[28].phone` is 第29个评价部门的联系电话,
named by the sheets, columns and labels of the rubric workbook (the form a clerk edits the rubric in)."""

from __future__ import annotations

import re

from ..problems import Problem
from .workbook.layout import GRADING, GRADING_ROWS, SETTING_ROWS, TABLES

TABLE_SECTIONS = {"units": "被考核单位", "areas": "考核领域", "key_points": "考核要点", "items": "评价项目",
                  "evaluators": "评价部门", "decisions": "未明确事项", "unit_classes": "单位类别",
                  "parts": "考核部分"}  # fmt: skip
# A rule's JSON fields kept in another column of the workbook than their own name says.
RULE_COLUMN_OF = {"rule.rows": "rule.tiers", "rule.points": "rule.tiers", "rule.min": "rule.range",
                  "rule.max": "rule.range", "rule.per_event": "per_event", "rule": "rule.type"}  # fmt: skip
SETTING_LABELS = {
    **{s.path: s.label for s in SETTING_ROWS},
    **{f"grading.{s.path}": s.label for s in GRADING_ROWS},
    "grading": GRADING, "period": "考核周期", "deadlines": "截止日期", "disclosure": "公开内容",
    "follow_up": "共性问题", "report_date": "成文日期", "schema_version": "格式版本", "grading.veto": "否决",
}  # fmt: skip
ROW_FIELDS = {  # the fields of one row of a grading list
    "grade": "等级", "min": "分数线", "max_units": "单位个数", "max_percent": "百分比", "top_units": "前几名",
    "top_percent": "前百分之几",
}  # fmt: skip
STEP = re.compile(r"\.(\w+)|\[(\d+)\]")


def json_place(path: str) -> str:
    """A JSON path into rubric.json (`$.items[3].max`) in the clerk's words (第4个评价项目的分值或最高扣分);
    the part it cannot name is left out, so the place is never English."""
    steps = [(name, int(index) if index else None) for name, index in STEP.findall(path.removeprefix("$"))]
    if not steps:
        return "考核细则"
    first = steps[0][0]
    if first in TABLE_SECTIONS:
        return _table_place(TABLE_SECTIONS[first], steps[1:])
    names: list[str] = []
    for n, (name, index) in enumerate(steps):
        if index is not None:
            label = SETTING_LABELS.get(".".join(names), "")
            row = f"{label}第{index + 1}条" if label else ""
            field = next((ROW_FIELDS[s] for s, _ in steps[n + 1 : n + 2] if s in ROW_FIELDS), "")
            return f"{row}的{field}" if row and field else row or "考核细则"
        names.append(name)
    while names and ".".join(names) not in SETTING_LABELS:
        names.pop()
    return SETTING_LABELS[".".join(names)] if names else "考核细则"


def _table_place(sheet: str, steps: list[tuple[str, int | None]]) -> str:
    if not steps or steps[0][1] is None:
        return sheet
    place = f"第{steps[0][1] + 1}个{sheet}"
    headers = {c.key: c.header for c in TABLES[sheet]}
    tail = steps[1:]
    names = []
    for name, index in tail:
        if index is not None:
            break
        names.append(name)
    while names:  # the longest dotted prefix that is a column: rule.figure.name, rule.tiers, combine
        key = ".".join(names)
        key = RULE_COLUMN_OF.get(key, key)
        if key in headers:
            place += f"的{headers[key]}"
            after = tail[len(names)] if len(tail) > len(names) else None
            if after is not None and after[1] is not None:
                place += f"中第{after[1] + 1}个"
            return place
        names.pop()
    return place


SECTION_WORD = re.compile(r"\b(" + "|".join(TABLE_SECTIONS) + r")\b")


def placed_message(p: Problem) -> str:
    """The message of a problem in rubric.json told in the workbook's words: its JSON path as `json_place`
    tells it, and a section named by its field (`在 evaluators 中补充`) by its sheet (在“评价部门”中补充)."""
    if not p.cell or not p.cell.startswith("$"):
        return p.message
    text = p.message.replace(p.cell, json_place(p.cell))
    return SECTION_WORD.sub(lambda m: f"“{TABLE_SECTIONS[m.group(1)]}”", text).replace(" “", "“").replace("” ", "”")
