"""Read-only views of a rubric for people: counts, item lists, items per evaluator."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from typing import Any

from ..amounts import canonical
from .model import (
    DISCLOSE_LABELS,
    JOINT_RULE_LABELS,
    KIND_LABELS,
    PUBLIC_SHOWS_LABELS,
    SETTING_LABELS,
    Item,
    JointRule,
    Kind,
    Rubric,
    grade_label,
)
from .rules import PerEventRule, RangedRule, VetoEffect, VetoKind, VetoRule
from .workbook.layout import SETTING_ROWS, SETTINGS

SHORT_TEXT = 26


def rubric_counts(rubric: Rubric) -> dict[str, Any]:
    """The numbers `qe rubric check` prints (56 scored items summing to 100, ...)."""
    kinds = Counter(i.kind for i in rubric.items)
    scored = rubric.items_of_kind(Kind.SCORE)
    return {
        "year": rubric.year,
        "units": len(rubric.units),
        "areas": [
            {"id": a.id, "name": a.name, "max": canonical(a.max), "items": sum(1 for i in scored if i.area == a.id)}
            for a in rubric.areas
        ],
        "key_points": len(rubric.key_points),
        "score_items": kinds[Kind.SCORE],
        "score_total": canonical(sum((i.max for i in scored), Decimal(0))),
        "deduction_items": kinds[Kind.DEDUCTION],
        "deduction_caps": [canonical(i.max) for i in rubric.items_of_kind(Kind.DEDUCTION)],
        "bonus_items": kinds[Kind.BONUS],
        "bonus_points": [canonical(i.max) for i in rubric.items_of_kind(Kind.BONUS)],
        "veto_items": kinds[Kind.VETO],
        "evaluators": len(rubric.evaluators),
        "form_evaluators": len(rubric.form_evaluators()),
        "self_scoring": rubric.self_scoring,
        "self_scored": [i.id for i in rubric.self_scored_items() if i.kind is not Kind.BONUS],
        "self_claims": [i.id for i in rubric.self_scored_items() if i.kind is Kind.BONUS],
    }


def counts_text(c: dict[str, Any]) -> str:
    areas = "，".join(f"{a['name']} {a['max']} 分（{a['items']} 项）" for a in c["areas"])
    return "\n".join(
        [
            f"{c['year']} 年度考核细则：{c['units']} 个被考核单位，{len(c['areas'])} 个领域，"
            f"{c['key_points']} 个考核要点。",
            f"评分项目 {c['score_items']} 项，满分合计 {c['score_total']} 分：{areas}。",
            f"扣分项 {c['deduction_items']} 项（最高扣分 {'、'.join(c['deduction_caps'])}），"
            f"加分项 {c['bonus_items']} 项（{'、'.join('+' + b for b in c['bonus_points'])}），"
            f"否决项 {c['veto_items']} 项。",
            f"评价部门 {c['evaluators']} 个，其中 {c['form_evaluators']} 个需要填写评价表。",
            self_scoring_text(c["self_scoring"], len(c["self_scored"]), len(c["self_claims"])),
        ]
    )


def self_scoring_text(on: bool, score_items: int, claims: int = 0) -> str:
    """The self-scoring setting as `qe rubric check` and `qe rubric show` print it."""
    if on:
        asked = [f"对 {score_items} 个评分项目自评打分并说明" if score_items else "",
                 f"对 {claims} 个加分项申报加分并附佐证" if claims else ""]  # fmt: skip
        return f"县区自评打分：要求（各县区填报自评打分表，{'，'.join(a for a in asked if a)}）。"
    return "县区自评打分：不要求（考核细则未要求县区填报自评打分表）。"


def max_label(rubric: Rubric, item_id: str) -> str:
    """How an item's points read in Chinese: '5分', '每次扣1分，最高扣2分', '加1分', '否决（D级）' (the veto grade)."""
    item = rubric.item(item_id)
    rule = item.rule
    if item.kind is Kind.DEDUCTION:
        if isinstance(rule, RangedRule):
            return f"每次扣{canonical(rule.min)}～{canonical(rule.max)}分，最高扣{canonical(item.max)}分"
        if isinstance(rule, PerEventRule):
            return item.words()  # 每次扣1分，最高扣2分 / 每次扣5分，不设上限
    if item.kind is Kind.BONUS:
        return item.words() if isinstance(rule, PerEventRule) else f"加{canonical(item.max)}分"
    if item.kind is Kind.VETO:
        effect = rule.effect if isinstance(rule, VetoRule) else VetoEffect(VetoKind.SET_GRADE)
        return f"否决（{_veto_short(effect, rubric.grading.veto_grade)}）"
    return f"{canonical(item.max)}分"


def veto_outcome(effect: VetoEffect, veto_grade: str) -> str:
    """What a fired veto does, as a clause: 考核结果为D级 / 考核等级最高为良好 / 第3领域得0分 / 总分为0分."""
    if effect.kind is VetoKind.SET_GRADE:
        return f"考核结果为{grade_label(effect.grade or veto_grade)}"
    if effect.kind is VetoKind.CAP_GRADE:
        return f"考核等级最高为{grade_label(effect.grade or veto_grade)}"
    return effect.words()


def _veto_short(effect: VetoEffect, veto_grade: str) -> str:
    """D级 / 最高B级 / 第3领域得0分 / 总分为0分."""
    if effect.kind is VetoKind.SET_GRADE:
        return grade_label(effect.grade or veto_grade)
    if effect.kind is VetoKind.CAP_GRADE:
        return f"最高{grade_label(effect.grade or veto_grade)}"
    return effect.words()


def item_rows(rubric: Rubric, evaluator: str | None = None) -> list[dict[str, str]]:
    items = rubric.items_for(evaluator) if evaluator else rubric.items
    return [
        {
            "id": i.id,
            "kind": KIND_LABELS[i.kind],
            "points": max_label(rubric, i.id),
            "evaluators": "、".join(i.evaluators),
            "rule": i.words(),
            "text": i.text,
        }
        for i in items
    ]


def decision_rows(rubric: Rubric) -> list[dict[str, str]]:
    """How the office settled what the plan leaves open (missing forms, joint items, ties …)."""
    return [{"topic": topic, "text": setting_words(text)} for topic, text in rubric.decisions]


_SETTING_IN_TEXT = re.compile(r'joint\s*=\s*"(mean|min)"')
_SMALLER_IN_TEXT = re.compile(r"\bmin\(([^,()]+),\s*([^()]+)\)")  # a formula: min(a, b)
_SETTING_PATHS = {s.path: s.label for s in SETTING_ROWS if "." in s.path}
_SETTING_PATH_IN_TEXT = re.compile(r"\s*\b(" + "|".join(map(re.escape, _SETTING_PATHS)) + r")\b\s*")


def setting_words(text: str) -> str:
    """A decision's text with a setting written as in rubric.json (joint = "min", deadlines.form_return) said in
    Chinese: the rule's words, or the setting's row in the rubric workbook; and a formula's min(a, b) in words."""
    text = _SETTING_IN_TEXT.sub(lambda m: f"把联合评价规则改为“{JOINT_RULE_LABELS[JointRule(m.group(1))]}”", text)
    text = _SETTING_PATH_IN_TEXT.sub(lambda m: f"考核细则工作簿“{SETTINGS}”的“{_SETTING_PATHS[m.group(1)]}”", text)
    return _SMALLER_IN_TEXT.sub(lambda m: f"{m.group(1)}与{m.group(2)}中较小的一个", text)


def evaluator_rows(rubric: Rubric) -> list[dict[str, str]]:
    return [
        {
            "evaluator": ev.name,
            "bureau": ev.bureau or "",
            "items": str(len(rubric.items_for(ev.name))),
            "item_ids": "、".join(i.id for i in rubric.items_for(ev.name)),
            "phone": ev.phone,
            "email": ev.email,
        }
        for ev in rubric.evaluators
    ]


def grading_rows(rubric: Rubric) -> list[dict[str, str]]:
    """The grading rules as `qe rubric show` lists them: the lines, the veto, the optional grade limits."""
    g = rubric.grading
    percent = "%" if g.by_percent else " 分"
    lines = "；".join(f"{grade_label(t.grade)} ≥ {canonical(t.min)}{percent}" for t in g.thresholds)
    limits = "；".join(x.text() for x in g.limits)
    default = VetoEffect(VetoKind.SET_GRADE, grade=g.veto_grade)
    vetoes = [(i, i.rule.effect) for i in rubric.items_of_kind(Kind.VETO) if isinstance(i.rule, VetoRule)]
    own = [f"{i.id} {effect.words()}" for i, effect in vetoes if effect != default]
    return [
        {"rule": "等级分数线", "text": f"{lines}；其余为{grade_label(g.lowest_grade)}"},
        {"rule": "否决", "text": f"触发否决项的为{grade_label(g.veto_grade)}"
                                 f"{'，排在其他单位之后' if g.veto_ranks_last else ''}"
                                 + (f"；其中{'；'.join(own)}" if own else "")},
        {"rule": "等级数量上限",
         "text": f"{limits}；超出的按排名（总分从高到低）降一级，同分的不拆分（一并降级）" if limits else "不限"},
    ]  # fmt: skip


def disclosure_rows(rubric: Rubric) -> list[dict[str, str]]:
    """What the office lets units and the public see, and the 共性问题 threshold, as `qe rubric show` lists them."""
    shown = rubric.disclosure
    values = [
        "是" if shown.rank_in_letters else "否",
        "是" if shown.distance_in_letters else "否",
        PUBLIC_SHOWS_LABELS[shown.public_shows],
        DISCLOSE_LABELS[shown.remarks],
        canonical(rubric.follow_up.common_min_percent),
    ]
    return [{"setting": label, "value": value} for label, value in zip(SETTING_LABELS.values(), values, strict=True)]


def item_phrase(item: Item) -> str:
    """The item as a phrase, whole: its text without the points and the 根据…测算得分 frame."""
    text = re.sub(r"（[^（）]*分[^（）]*）$", "", item.text.strip()).rstrip("。；; ")
    text = re.sub(r"^根据", "", text)
    return re.sub(r"(测算得分|评估得分|得分)$", "", text)


def short_text(item: Item) -> str:
    """The item as a short phrase (`item_phrase`), cut."""
    text = item_phrase(item)
    if len(text) <= SHORT_TEXT:
        return text
    first = re.split(r"[，；]", text)[0].removesuffix("的")
    return first if 6 <= len(first) <= SHORT_TEXT else text[: SHORT_TEXT - 1] + "…"


def points_label(item: Item) -> str:
    """满分/类别: 5; 扣分项（最高2）; 加分项（1）; 否决项."""
    if item.kind is Kind.SCORE:
        return canonical(item.max)
    if item.kind is Kind.VETO:
        return item.kind.label
    return f"{item.kind.label}（{'最高' if item.kind is Kind.DEDUCTION else ''}{canonical(item.max)}）"
