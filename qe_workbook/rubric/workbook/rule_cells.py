"""The scoring language in the rubric workbook's cells: an item's rule, combination, classes and self-scoring
written as a clerk reads them (好=2；较好=1.5, 5～10, 定为D级, 加权：市农业农村局=60；市畜牧局=40) and read back.

`cells(item)` gives the export's cell texts per column key; `parse_*` read one cell's text back to rubric.json
values, or None when the text cannot be read (the reader then tells the clerk what it should look like).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from ...amounts import canonical
from ..model import grade_label
from .layout import COMBINE_TEXT, LEAD_PREFIX, NO_CAP, STEPS_TEXT, TIES_TEXT, WEIGHTED_PREFIX

LIST_SEPARATORS = re.compile(r"\s*[；;\n]+\s*")
_PAIR = re.compile(r"^(.*?)\s*[=＝:：]\s*([-+]?\d+(?:\.\d+)?)$")
_RANGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:～|~|〜|-|－|—|至|到)\s*(\d+(?:\.\d+)?)\s*分?\s*$")
_AT_LEAST = re.compile(r"^(?:≥|>=|＞=|大于等于|不低于)?\s*")

TIERS_EXAMPLE = "好=2；较好=1.5；一般=0.5，或 1；0.5；0"
ROWS_EXAMPLE = "≥98=2；≥95=1.5；≥0=0"
PLACES_EXAMPLE = "5；4.5；4（第1名、第2名……的分值）"
RANGE_EXAMPLE = "5～10"
EFFECT_EXAMPLE = "定为D级、最高B级、领域3得0分 或 总分为0"
COMBINE_EXAMPLE = "平均值、从严、合计扣分、加权：市农业农村局=60；市畜牧局=40 或 牵头：市农业农村局"


def _number(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip().removesuffix("分"))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _num(value: Any) -> str:
    return canonical(Decimal(str(value)))


# ---------------------------------------------------------------- export


def cells(item: dict[str, Any]) -> dict[str, Any]:
    """The item's scoring-language cells by column key (absent: the cell stays blank)."""
    out: dict[str, Any] = {}
    rule = item.get("rule")
    if rule is not None:
        out["rule.type"] = rule["type"]
        for key in ("full_at", "per", "minus", "floor", "base", "rest"):
            if key in rule:
                out[f"rule.{key}"] = rule[key]
        for key, value in rule.get("figure", {}).items():
            out[f"rule.figure.{key}"] = value
        if "steps" in rule:
            out["rule.steps"] = STEPS_TEXT[rule["steps"]]
        if "ties" in rule:
            out["rule.ties"] = TIES_TEXT[rule["ties"]]
        listed = tiers_text(rule)
        if listed:
            out["rule.tiers"] = listed
        if "aspects" in rule:
            out["rule.aspects"] = "\n".join(rule["aspects"])
        if "cap" in rule:
            out["rule.cap"] = NO_CAP if rule["cap"] is None else rule["cap"]
        if rule["type"] == "ranged":
            out["rule.range"] = f"{_num(rule['min'])}～{_num(rule['max'])}"
        if rule.get("effect"):
            out["rule.effect"] = effect_text(rule["effect"])
        if rule["type"] == "per_event":
            out["per_event"] = rule["per_event"]
    if "combine" in item:
        out["combine"] = combine_text(item["combine"])
    if "classes" in item:
        out["classes"] = item["classes"]
    if "self_score" in item:
        out["self_score"] = item["self_score"]
    return out


def tiers_text(rule: dict[str, Any]) -> str:
    """A rule's tiers, table rows or places' points as one cell."""
    if rule["type"] == "tiers":
        return "；".join(f"{t['label']}={_num(t['points'])}" if t.get("label") else _num(t["points"])
                        for t in rule["tiers"])  # fmt: skip
    if rule["type"] == "table":
        return "；".join(f"≥{_num(r['from'])}={_num(r['points'])}" for r in rule["rows"])
    if rule["type"] == "rank":
        return "；".join(_num(p) for p in rule["points"])
    return ""


def effect_text(effect: dict[str, Any]) -> str:
    if "set_grade" in effect:
        return f"定为{grade_label(effect['set_grade'])}"
    if "cap_grade" in effect:
        return f"最高{grade_label(effect['cap_grade'])}"
    if "zero_area" in effect:
        return f"领域{effect['zero_area']}得0分"
    return "总分为0"


def combine_text(combine: str | dict[str, Any]) -> str:
    if isinstance(combine, str):
        return COMBINE_TEXT[combine]
    if "weighted" in combine:
        return f"{WEIGHTED_PREFIX}：" + "；".join(f"{name}={_num(w)}" for name, w in combine["weighted"].items())
    return f"{LEAD_PREFIX}：{combine['lead']}"


# ---------------------------------------------------------------- import


def parse_tiers(text: str, rule_type: str) -> tuple[str, list[Any]] | None:
    """The list cell as the rule's JSON key and value: tiers, rows or points (None: not readable)."""
    parts = [p for p in LIST_SEPARATORS.split(text.strip()) if p]
    if not parts:
        return None
    if rule_type == "rank":
        points = [_number(p) for p in parts]
        return ("points", points) if all(p is not None for p in points) else None
    if rule_type == "table":
        rows = []
        for part in parts:
            m = _PAIR.match(_AT_LEAST.sub("", part, count=1))
            start = _number(m.group(1).removesuffix("%").removesuffix("％")) if m else None
            if m is None or start is None:
                return None
            rows.append({"from": start, "points": Decimal(m.group(2))})
        return "rows", rows
    tiers: list[dict[str, Any]] = []
    for part in parts:
        m = _PAIR.match(part)
        if m and m.group(1):
            tiers.append({"label": m.group(1), "points": Decimal(m.group(2))})
        elif (value := _number(part)) is not None:
            tiers.append({"points": value})
        else:
            return None
    return "tiers", tiers


def list_example(rule_type: str) -> str:
    return {"rank": PLACES_EXAMPLE, "table": ROWS_EXAMPLE}.get(rule_type, TIERS_EXAMPLE)


def parse_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def parse_cap(value: Any) -> tuple[bool, Decimal | None]:
    """(readable, cap): 不设上限 -> None."""
    text = str(value).strip()
    if text == NO_CAP:
        return True, None
    number = value if isinstance(value, Decimal) else _number(text)
    return number is not None, number


def parse_range(text: str) -> tuple[Decimal, Decimal] | None:
    m = _RANGE.match(text)
    return (Decimal(m.group(1)), Decimal(m.group(2))) if m else None


def _grade(text: str) -> str:
    text = text.strip().removeprefix("为").strip()
    bare = text.removesuffix("级")
    return bare if len(bare) == 1 and bare.isascii() else text


def parse_effect(text: str) -> dict[str, Any] | None:
    """定为D级 / 最高B级 / 领域3得0分 / 总分为0 (the area as the clerk wrote it: an id or a name)."""
    text = re.sub(r"\s", "", text)
    if re.fullmatch(r"总分(为|得|计)?0分?", text):
        return {"zero_total": True}
    if m := re.fullmatch(r"(?:领域|考核领域)[“\"]?(.+?)[”\"]?得0分", text):
        return {"zero_area": m.group(1)}
    if m := re.fullmatch(r"(?:等级)?最高(?:为|评为)?(.+)", text):
        return {"cap_grade": _grade(m.group(1))}
    if m := re.fullmatch(r"(?:等级)?(?:定为|评为|为)(.+)", text):
        return {"set_grade": _grade(m.group(1))}
    return None


def parse_combine(text: str) -> str | dict[str, Any] | None:
    text = text.strip()
    for key, shown in COMBINE_TEXT.items():
        if text in (shown, key):
            return key
    head, _, rest = re.sub(r"\s", "", text).partition("：") if "：" in text else text.partition(":")
    if head == LEAD_PREFIX and rest:
        return {"lead": rest}
    if head == WEIGHTED_PREFIX and rest:
        weights: dict[str, Decimal] = {}
        for part in LIST_SEPARATORS.split(rest):
            m = _PAIR.match(part)
            if not m or not m.group(1):
                return None
            weights[m.group(1)] = Decimal(m.group(2))
        return {"weighted": weights}
    return None
