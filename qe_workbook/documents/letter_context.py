"""What one unit's feedback letter (考核结果反馈意见) is filled with: fields, not sentences.

The words are the template's (templates/feedback.docx, or the office's own copy of it); this module gives it the
data: the unit, its scores and grade, the area subtotals, the items that lost points with the remarks as fed back
(feedback/fed_back.py: the office's wording where it gave one, else the departments' remarks), deductions, bonus
and veto, the self-scores against the evaluated scores, last year's problems and their rectification, the notes
that follow the result (the meeting's adjustments with their basis, the change from last year), the stage, the
dates and the office.

The fields have Chinese names, as the office reads them in the template (feedback_kind.py lists them). The
disclosure settings decide what is in the context at all: when the rubric gives no rank in letters, there is no 排名
field, so no template can print one; likewise 差距 (the distance to the next grade).

Every number is text already, exact Fractions rounded half up to 2 decimals ("75.50"); the template writes the
units and spaces around them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..amounts import canonical, fmt2
from ..choices import Stage
from ..dates import chinese_date
from ..feedback.fed_back import FedBack, unit_fed_back
from ..outputs.subtotals import Level, level_max, part_fields, subtotal_fields
from ..rubric import JOINT_RULE_LABELS, Combine, CombineKind, Item, Kind, Rubric, VetoEffect, VetoKind, VetoRule
from ..rubric.model import grade_label
from ..rubric.view import item_phrase, veto_outcome
from ..scoring.score import ItemScore, Results, UnitResult
from ..scoring.self_scores import Comparison
from .letter_notes import Note

TOP_LOSSES = 8  # lost items in the body's table; all of them are in the attachment
SUGGESTIONS = 5  # the evaluators' 建议… clauses repeated under 改进建议
WEAK_AREAS = 2  # the areas named under 改进建议, by their share of points lost
FOLLOWED_COLUMNS = ("项目", "上年反馈的问题", "整改措施", "完成时限", "进展")  # a row of last year's problems
FINAL_STAGES = (Stage.APPROVED, Stage.ISSUED)  # a letter at these stages carries no stage in its title

Context = dict[str, Any]


@dataclass(frozen=True)
class Followed:
    """What one unit's letter says about last year's problems."""

    sentence: str
    rows: list[list[str]]  # 项目, 上年反馈的问题, 整改措施, 完成时限, 进展


def letter_context(
    rubric: Rubric,
    results: Results,
    unit: UnitResult,
    issued: date,
    stage: str,
    notes: Sequence[Note] = (),
    told: Mapping[str, FedBack] | None = None,
    followed: Followed | None = None,
    self_scores: Comparison | None = None,
) -> Context:
    """The fields of `unit`'s letter. `notes` (the meeting's adjustments, the change from last year) follow the
    result; `told` (item id → fed-back entry) is what the unit is told about each item (default: the 原文 of every
    one); `followed` is last year's problems; `self_scores` the units' self-scores against the evaluated scores."""
    told = unit_fed_back(unit) if told is None else told
    full_name = next(u.full_name for u in rubric.units if u.name == unit.unit)
    losses, short = _score_losses(unit), unit.shortfalls()
    stage_name = next((s.value for s in Stage if stage.startswith(s.value)), stage)
    context: Context = {
        "城市": rubric.city,
        "年度": rubric.year,
        "考核方案": rubric.title,
        "考核程序": rubric.texts.procedure,
        "发文机关": rubric.office,
        "发文机关全称": rubric.office_full_name,
        "成文日期": chinese_date(issued),
        "文号": f"〔{issued.year}〕　　号",
        "阶段": stage,
        "标题稿别": "" if stage.startswith(FINAL_STAGES) else f"（{stage_name}）",
        "暂定": not unit.complete,
        "单位": unit.unit,
        "单位全称": full_name,
        **_result(rubric, results, unit),
        "结果说明": [dict(note) for note in notes],
        **_losses(losses, short, told),
        **_deductions_bonus_veto(rubric, unit, told, short),
        **_improvement(rubric, losses, told),
        "附件": _attachment(rubric, told, short),
    }
    if self_scores is not None and self_scores.has(unit.unit):
        context["自评"] = _self_scores(self_scores, unit.unit)
    if followed is not None:
        problems = [dict(zip(FOLLOWED_COLUMNS, row, strict=True)) for row in followed.rows]
        context["上年整改"] = {"说明": followed.sentence, "问题": problems}
    return context


def _result(rubric: Rubric, results: Results, unit: UnitResult) -> Context:
    shown = rubric.disclosure
    bonus_max = sum((Fraction(i.max) for i in rubric.items_of_kind(Kind.BONUS)), Fraction(0))
    if rubric.grading.bonus_cap is not None:  # the bonus in total is at most the plan's cap
        bonus_max = min(bonus_max, Fraction(rubric.grading.bonus_cap))
    fields: Context = {
        "总分": fmt2(unit.total),
        "等级": unit.grade_label,
        "等级代号": unit.grade,
        "等级名称": grade_label(unit.grade),
        "满分": fmt2(unit.full),
        "各领域": [
            {
                "名称": a.name,
                "满分": fmt2(full),
                "得分": fmt2(unit.areas[a.id]),
                "失分": fmt2(Fraction(full) - unit.areas[a.id]),
            }
            for a in rubric.areas
            for full in [level_max(rubric, Level(0, a.id, a.name, True), unit.unit)]
        ],
        "各部分": part_fields(rubric, unit),
        "分级小计": subtotal_fields(rubric, unit),
        "加分上限": fmt2(bonus_max),
        "加分": fmt2(unit.bonus),
        "扣分": fmt2(unit.deduction),
        "否决": bool(unit.veto),
        "否决等级": rubric.grading.veto_grade,
        "否决后等级": spaced_grade(unit.grade),
        "否决结果": _veto_result(rubric, unit),
        "缺评分项目": [item_phrase(s.item) for s in unit.items if not s.complete],
    }
    if shown.rank_in_letters:
        fields["排名"] = {
            "名次": unit.rank,
            "单位数": len(results.units),
            "并列": sum(1 for u in results.units if u.rank == unit.rank) > 1,
        }
    if shown.distance_in_letters and not unit.veto:
        fields["差距"] = _standing(rubric, results, unit)
    return fields


def _standing(rubric: Rubric, results: Results, unit: UnitResult) -> Context:
    """How far the unit is from the next grade up: 降等 when a grade limit moved it below the grade its total
    reached (达到等级), 最高等级 when it has the top grade, else the next grade, its threshold and the gap."""
    capped = next((d for d in results.demotions if d.unit == unit.unit), None)
    if capped:
        return {
            "降等": True,
            "达到等级": capped.reached,
            "达到等级名称": grade_label(capped.reached),
            "最高等级": False,
        }
    upper = rubric.grading.next_grade_up(unit.total)
    if upper is None:
        return {"降等": False, "最高等级": True}
    gap = Fraction(upper.min) - unit.total
    return {
        "降等": False,
        "最高等级": False,
        "上一等级": upper.grade,
        "上一等级名称": spaced_grade(upper.grade),
        "分数线": canonical(upper.min),
        "还差": fmt2(gap),
    }


def spaced_grade(grade: str) -> str:
    """A grade as the letter's sentences write it: 'B 级' (a no-break space before 级, as before a unit), '良好'."""
    return f"{grade}\u00a0级" if grade_label(grade) != grade else grade


def _veto_result(rubric: Rubric, unit: UnitResult) -> str:
    """What the vetoes the unit fired did: '考核等级一律为 D 级' for the plan's veto grade, else each veto's own
    outcome ('考核等级最高为良好', '第3领域得0分')."""
    veto_grade = rubric.grading.veto_grade
    default = VetoEffect(VetoKind.SET_GRADE, grade=veto_grade)
    effects = [s.item.rule.effect for s in unit.items if s.points and isinstance(s.item.rule, VetoRule)]
    if all(e == default for e in effects):
        return f"考核等级一律为{'' if grade_label(veto_grade) == veto_grade else ' '}{spaced_grade(veto_grade)}"
    return "，".join(dict.fromkeys(veto_outcome(e, veto_grade) for e in effects))


def _score_losses(unit: UnitResult) -> list[tuple[ItemScore, Fraction]]:
    """Score items short of full marks, largest loss first (ties in the plan's order)."""
    pairs = [(s, lost) for s in unit.items if s.item.kind is Kind.SCORE for lost in [s.lost] if lost]
    return sorted(pairs, key=lambda pair: -pair[1])


def _name(item: Item) -> str:
    return f"{item.id} {item_phrase(item)}"


def _evaluators(s: ItemScore) -> str:
    return "、".join(src.evaluator for src in s.sources)


def _losses(losses: list[tuple[ItemScore, Fraction]], short: list[ItemScore], told: Mapping[str, FedBack]) -> Context:
    """The lost points: how many score items, their sum, the ones that lost most (as far as they are fed back)."""
    rows = [
        {"项目": _name(s.item), "满分": fmt2(s.item.max), "得分": fmt2(s.points), "失分": fmt2(lost),
         "评价部门": _evaluators(s), "评价说明": told[s.item.id].text}
        for s, lost in losses
        if s.item.id in told
    ][:TOP_LOSSES]  # fmt: skip
    return {
        "失分项目数": len(losses),
        "合计失分": fmt2(sum((lost for _, lost in losses), Fraction(0))),
        "失分项目较多": len(losses) > TOP_LOSSES,  # more lost items than the body's table shows
        "失分较多的项目": rows,
        "有共同评价项目": any(len(s.sources) > 1 for s in short),
    }


def _deductions_bonus_veto(rubric: Rubric, unit: UnitResult, told: Mapping[str, FedBack], short: list[ItemScore]) -> Context:  # fmt: skip
    """The deduction and bonus totals always; the items behind them as far as they are fed back (a bonus's wording
    only where the office wrote one)."""
    deducted = [s for s in unit.items if s.item.kind is Kind.DEDUCTION and s.points]
    obtained = [s for s in unit.items if s.item.kind is Kind.BONUS and s.points]
    return {
        "被扣分": bool(deducted),
        "扣分项目": [
            {"项目": item_phrase(s.item), "扣分": fmt2(s.points or 0), "评价部门": _evaluators(s)}
            for s in deducted
            if s.item.id in told
        ],
        "获得加分": bool(obtained),
        "加分项目": [
            {"项目": item_phrase(s.item), "加分": fmt2(s.points or 0), "表述": _wording(told[s.item.id])}
            for s in obtained
            if s.item.id in told
        ],
        "加分合计": fmt2(sum((s.points or 0 for s in obtained), Fraction(0))),
        "加分超出上限": sum((s.points or 0 for s in obtained), Fraction(0)) > unit.bonus,  # the plan's cap applied
        "否决项目": [item_phrase(s.item) for s in unit.items if s.item.kind is Kind.VETO and s.points],
        "共同评价计分办法": joint_words(rubric, short),
    }


def joint_words(rubric: Rubric, short: list[ItemScore]) -> str:
    """How the joint items among `short` were combined: the plan's one rule when every joint item follows it, else
    each joint item's own combination (weighted, sum of deductions, a lead department …) by its number."""
    joint = [s for s in short if len(s.item.evaluators) > 1]
    default = Combine(CombineKind(str(rubric.grading.joint)))
    if all(s.item.combine == default for s in joint):
        return JOINT_RULE_LABELS[rubric.grading.joint]
    return "；".join(f"{s.item.id}{s.item.combine.words()}" for s in joint)


def _wording(said: FedBack) -> str:
    return said.text.rstrip("。") if said.edited and said.text else ""


def _improvement(rubric: Rubric, losses: list[tuple[ItemScore, Fraction]], told: Mapping[str, FedBack]) -> Context:
    """Where to start: the areas that lost the largest share of their points, and the evaluators' own suggestions
    (the distinct 建议… clauses of what is fed back on the items that lost most)."""
    weakest = []
    for area in rubric.areas:
        lost = sum((lost for s, lost in losses if s.item.area == area.id), Fraction(0))
        if lost:
            weakest.append((lost / Fraction(area.max), area.name))
    weakest.sort(key=lambda pair: -pair[0])
    found: list[str] = []
    for s, _ in losses:
        said = told.get(s.item.id)
        for clause in re.findall(r"建议([^。；;]+)", said.text if said else ""):
            clause = clause.strip("，, ")
            if clause and clause not in found:
                found.append(clause)
    return {"薄弱领域": [name for _, name in weakest[:WEAK_AREAS]], "部门建议": found[:SUGGESTIONS]}


def _self_scores(comparison: Comparison, unit: str) -> Context:
    """自评与评价对比: the totals over the items scored both ways, and the largest gaps either way."""
    own, evaluated, count = comparison.totals(unit)
    difference = own - evaluated
    return {
        "项目数": count,
        "自评合计": fmt2(own),
        "评价合计": fmt2(evaluated),
        "自评较高": difference > 0,
        "自评较低": difference < 0,
        "相差": fmt2(abs(difference)),
        "差距较大的项目": [
            {
                "项目": _name(g.item),
                "满分": fmt2(g.item.max),
                "自评得分": fmt2(g.self_score),
                "评价得分": fmt2(g.evaluated),
                "差值": ("+" if (g.gap or 0) > 0 else "") + fmt2(g.gap),
            }
            for g in comparison.largest(unit)
        ],
    }


def _attachment(rubric: Rubric, told: Mapping[str, FedBack], short: list[ItemScore]) -> list[Context]:
    """The attachment's tables, one per area: every item fed back where points were lost (or the veto fired: the
    `short` ones). A joint item is one row: each evaluator's entry, the adopted value and the loss once."""
    by_area: dict[str, list[Context]] = {}
    for s in short:
        if s.item.id in told:
            by_area.setdefault(s.item.area, []).append(_attachment_row(s, told[s.item.id]))
    return [{"名称": a.name, "项目": by_area[a.id]} for a in rubric.areas if a.id in by_area]


def _attachment_row(s: ItemScore, said: FedBack) -> Context:
    lost = s.lost
    joint = len(s.sources) > 1
    entries = [{"部门": src.evaluator, "所评": _entered(s.item.kind, src.raw, src.value)} for src in s.sources]
    return {
        "项目": _name(s.item),
        "满分": _max_text(s.item),
        "共同评价": joint,
        "各部门": entries,
        "所评": entries[0]["所评"] if entries else "",
        "采用": fmt2(s.points) if s.points is not None else "",
        "失分": fmt2(lost) if lost is not None else "否决",
        "评价部门": _evaluators(s),
        "评价说明": _remark(s, said),
    }


def _remark(s: ItemScore, said: FedBack) -> str:
    """The remark as fed back: the office's wording, else the department's own — each after its department's name
    on a joint item's row."""
    if len(s.sources) <= 1 or said.edited:
        return said.remark_for(s.sources[0].evaluator, True) if s.sources else said.text
    own = [(src.evaluator, said.remark_for(src.evaluator, True)) for src in s.sources]
    return "".join(f"{evaluator}：{remark}" for evaluator, remark in own if remark)


def _entered(kind: Kind, raw: str, value: Decimal) -> str:
    """What an evaluator entered: a count of deductions, the veto's 是/否, else the score."""
    if kind is Kind.DEDUCTION:
        return f"{raw}次"
    if kind is Kind.VETO:
        return f"{raw}"
    return fmt2(value)


def _max_text(item: Item) -> str:
    if item.kind is Kind.DEDUCTION:
        return f"最高扣{canonical(item.max)}"
    if item.kind is Kind.VETO:
        return "否决"
    return fmt2(item.max)
