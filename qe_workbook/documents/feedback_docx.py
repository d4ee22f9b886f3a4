"""The feedback letter a county government receives (考核结果反馈意见): its result, where it lost
points, what to improve — a body of a few pages, every lost item with its remarks in the attachment.

What the letter says about each item (the remarks, and whether the item is listed at all) comes
from the fed-back list (feedback/fed_back.py): the office's wording when it gave one, else the
departments' remarks; the figures (totals, areas, counts of lost items) are always the full result.

Totals, gaps and losses are exact Fractions; they are only rounded (half up, 2 decimals) when
printed. Remarks and event counts come from the returned forms and are printed as plain text; a
missing remark is left out. Numbers are written in one style, "总分 75.50 分，等级为 C", with
no-break spaces so that a number never parts from its unit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from ..amounts import canonical, fmt2
from ..feedback.fed_back import FedBack, unit_fed_back
from ..rubric import JOINT_RULE_LABELS, Item, Kind, Rubric
from ..rubric.view import short_text
from ..scoring.limits import Demotion
from ..scoring.score import ItemScore, Results, UnitResult
from ..scoring.self_scores import Comparison
from .official_docx import DRAFT_STAGE, TABLE_SIZE, OfficialDocument, chinese_number
from .typeset import NBSP, num

TOP_LOSSES = 8  # lost items shown in the body; all of them are in the attachment
SUGGESTIONS = 5
ATTACHMENT = "失分项目及评价说明"
BODY_WIDTHS = [42, 13, 13, 13, 22, 53]  # mm, 156 mm of text width
ATTACHMENT_WIDTHS = [40, 14, 14, 14, 22, 52]
FOLLOWED_WIDTHS = [30, 44, 37, 25, 20]


@dataclass(frozen=True)
class Followed:
    """What one unit's letter says about last year's problems."""

    sentence: str
    rows: list[list[str]]  # 项目, 上年反馈的问题, 整改措施, 完成时限, 进展


def write_feedback(
    path: Path,
    rubric: Rubric,
    results: Results,
    unit: UnitResult,
    issued: date,
    stage: str = DRAFT_STAGE,
    notes: Sequence[str] = (),
    told: Mapping[str, FedBack] | None = None,
    followed: Followed | None = None,
    self_scores: Comparison | None = None,
) -> Path:
    """One unit's feedback letter; `notes` (the meeting's adjustments, the year before) follow the result;
    `told` (item id → fed-back entry) is what the unit is told about each item (default: the 原文 of every one);
    `followed`, last year's problems and their rectification, gets a section of its own before the advice;
    with `self_scores`, the unit's self-score against the evaluated score follows its losses."""
    told = unit_fed_back(unit) if told is None else told
    full_name = next(u.full_name for u in rubric.units if u.name == unit.unit)
    doc = OfficialDocument(f"{rubric.city}{rubric.year}年度政府质量工作\n考核结果反馈意见", rubric.office, stage)
    doc.line(f"{full_name}：")
    doc.paragraph(
        f"根据《{rubric.title}》，经自我评价、部门打分和综合考评，"
        f"现将你单位{rubric.year}年度政府质量工作考核结果反馈如下。"
    )
    losses, short = _score_losses(unit), unit.shortfalls()  # each read by several sections
    doc.heading("一、考核结果")
    _result(doc, rubric, results, unit)
    for note in notes:
        doc.paragraph(note)
    doc.heading("二、失分情况")
    lost = _losses(doc, losses, short, told)
    if self_scores is not None:
        from .self_score_docx import self_score_section  # it builds on this module's helpers

        self_score_section(doc, self_scores, unit.unit)
    doc.heading("三、扣分、加分和否决情况")
    _deductions_bonus_veto(doc, rubric, unit, told, short)
    if followed is not None:
        doc.heading("四、上年反馈问题整改情况")
        doc.paragraph(followed.sentence)
        if followed.rows:
            doc.table(["项目", "上年反馈的问题", "整改措施", "完成时限", "进展"], followed.rows,
                      widths_mm=FOLLOWED_WIDTHS, size=TABLE_SIZE, left={0, 1, 2}, split_rows=True)  # fmt: skip
    doc.heading(f"{'五' if followed is not None else '四'}、改进建议")
    _improvement(doc, rubric, losses, told)
    if lost:
        doc.attachment_note([ATTACHMENT])
    doc.signature(rubric.office_full_name, issued)
    if lost:
        _attachment(doc, rubric, unit, told, short)
    return doc.save(path)


def _result(doc: OfficialDocument, rubric: Rubric, results: Results, unit: UnitResult) -> None:
    shown = rubric.disclosure
    tied = sum(1 for u in results.units if u.rank == unit.rank) > 1
    capped = next((d for d in results.demotions if d.unit == unit.unit), None)
    rank = (
        f"，在{num(len(results.units), '个')}被考核单位中{'并列' if tied else ''}排名第{num(unit.rank, '位')}"
        if shown.rank_in_letters
        else ""
    )
    standing = "" if unit.veto or not shown.distance_in_letters else _standing(rubric, unit, capped)
    doc.paragraph(f"你单位总分{num(unit.total)}，等级为 {unit.grade_label}{rank}{standing}。各领域得分如下：")
    bonus_max = sum((Fraction(i.max) for i in rubric.items_of_kind(Kind.BONUS)), Fraction(0))
    area_max = sum((Fraction(a.max) for a in rubric.areas), Fraction(0))
    rows = [
        [a.name, fmt2(a.max), fmt2(unit.areas[a.id]), fmt2(Fraction(a.max) - unit.areas[a.id])] for a in rubric.areas
    ]
    rows += [["加分", fmt2(bonus_max), fmt2(unit.bonus), ""], ["扣分", "", fmt2(unit.deduction), ""]]
    rows.append(["总分", fmt2(area_max), fmt2(unit.total), ""])
    doc.table(["考核领域", "满分", "得分", "失分"], rows, widths_mm=[60, 30, 30, 30])
    if unit.veto:
        doc.paragraph(f"你单位触发否决项，不论得分，考核等级一律为{num(rubric.grading.veto_grade, '级')}。")
    if not unit.complete:
        gaps = "、".join(short_text(s.item) for s in unit.items if not s.complete)
        which = "总分、等级和排名" if shown.rank_in_letters else "总分和等级"
        doc.paragraph(f"注：{gaps}等项目尚缺有效评分，以上{which}为暂定，待评分补齐后另行反馈。")


def _standing(rubric: Rubric, unit: UnitResult, capped: Demotion | None) -> str:
    """'，距 B 级（80 分）还差 4.50 分' — or that the top grade is reached, or that a grade limit (`capped`) moved
    the unit below the grade its total reached."""
    provisional = "（按暂定总分计算）" if not unit.complete else ""
    if capped:  # the sentence with the reason follows the result table
        return f"，已达到{capped.reached}级分数线，因等级数量上限定为{unit.grade}级{provisional}"
    upper = rubric.grading.next_grade_up(unit.total)
    if upper is None:
        return f"，已达到最高等级标准{provisional}"
    gap = Fraction(upper.min) - unit.total
    return f"，距{num(upper.grade, '级')}（{canonical(upper.min) + NBSP + '分'}）还差{num(gap)}{provisional}"


def _score_losses(unit: UnitResult) -> list[tuple[ItemScore, Fraction]]:
    """Score items short of full marks, largest loss first (ties in the plan's order)."""
    pairs = [(s, lost) for s in unit.items if s.item.kind is Kind.SCORE for lost in [s.lost] if lost]
    return sorted(pairs, key=lambda pair: -pair[1])


def _losses(
    doc: OfficialDocument,
    losses: list[tuple[ItemScore, Fraction]],
    short: list[ItemScore],
    told: Mapping[str, FedBack],
) -> bool:
    """The lost points by area, and the items that lost most (`losses`, of the `short` ones); returns whether
    the attachment lists anything."""
    attached = any(s.item.id in told for s in short)
    if not losses:
        doc.paragraph("各评分项目均未失分。")
        return attached
    total = sum((lost for _, lost in losses), Fraction(0))
    doc.paragraph(
        f"你单位共有{num(len(losses), '个')}评分项目失分，合计失分{num(total)}（各领域失分见上表）。失分较多的项目如下表"
        + ("，全部失分项目及各部门的评价说明见附件。" if len(losses) > TOP_LOSSES else "，各部门的评价说明见附件。")
    )
    rows = [_loss_row(s, lost, told[s.item.id]) for s, lost in losses if s.item.id in told][:TOP_LOSSES]
    if not rows:
        return attached
    doc.caption("失分较多的项目")
    doc.table(["项目", "满分", "得分", "失分", "评价部门", "评价说明"], rows, widths_mm=BODY_WIDTHS,
              size=TABLE_SIZE, left={0, 5}, split_rows=True)  # fmt: skip
    return True


def _loss_row(s: ItemScore, lost: Fraction, said: FedBack) -> list[str]:
    """项目, 满分, 得分, 失分, 评价部门, 评价说明 (as fed back: a joint item's 原文 each under its department's name)."""
    evaluators = "、".join(src.evaluator for src in s.sources)
    return [
        f"{s.item.id} {short_text(s.item)}",
        fmt2(s.item.max),
        fmt2(s.points),
        fmt2(lost),
        evaluators,
        said.text,
    ]


def _deductions_bonus_veto(
    doc: OfficialDocument, rubric: Rubric, unit: UnitResult, told: Mapping[str, FedBack], short: list[ItemScore]
) -> None:
    """The deduction and bonus totals always; the items behind them as far as they are fed back (a bonus's
    wording only where the office wrote one)."""
    parts = []
    deducted = [s for s in unit.items if s.item.kind is Kind.DEDUCTION and s.points]
    if deducted:
        listed = "；".join(
            f"{short_text(s.item)}，扣{num(s.points or 0)}（{'、'.join(src.evaluator for src in s.sources)}）"
            for s in deducted
            if s.item.id in told
        )
        parts.append(f"扣分{num(unit.deduction)}" + (f"：{listed}。" if listed else "。"))
    else:
        parts.append("未被扣分。")
    obtained = [s for s in unit.items if s.item.kind is Kind.BONUS and s.points]
    if obtained:
        listed = "；".join(_bonus(s, told[s.item.id]) for s in obtained if s.item.id in told)
        parts.append(f"加分{num(unit.bonus)}" + (f"：{listed}。" if listed else "。"))
    else:
        parts.append("未获得加分。")
    vetoed = [s for s in unit.items if s.item.kind is Kind.VETO and s.points]
    if vetoed:
        listed = "、".join(short_text(s.item) for s in vetoed)
        parts.append(f"触发否决项（{listed}），考核等级为{num(rubric.grading.veto_grade, '级')}。")
    else:
        parts.append("未触发否决项。")
    doc.paragraph("你单位" + "".join(parts))
    joint = [s for s in short if len(s.sources) > 1]
    if joint:
        doc.paragraph(f"由两个部门共同评价的项目，两个部门分别打分，{JOINT_RULE_LABELS[rubric.grading.joint]}。")


def _bonus(s: ItemScore, said: FedBack) -> str:
    wording = f"（{said.text.rstrip('。')}）" if said.edited and said.text else ""
    return f"{short_text(s.item)}，加{num(s.points or 0)}{wording}"


def _improvement(
    doc: OfficialDocument, rubric: Rubric, losses: list[tuple[ItemScore, Fraction]], told: Mapping[str, FedBack]
) -> None:
    """Where to start: the areas that lost most, and the evaluators' own suggestions."""
    weakest = []
    for area in rubric.areas:
        lost = sum((lost for s, lost in losses if s.item.area == area.id), Fraction(0))
        if lost:
            weakest.append((lost / Fraction(area.max), area.name))
    weakest.sort(key=lambda pair: -pair[0])
    n = 0
    if weakest:
        names = "、".join(name for _, name in weakest[:2])
        n += 1
        doc.paragraph(
            f"（{chinese_number(n)}）聚焦薄弱领域。你单位{names}领域失分率较高，"
            "请对照失分项目逐项分析原因，明确责任单位和完成时限，补齐短板。"
        )
    advice = _suggestions(losses, told)
    if advice:
        n += 1
        doc.paragraph(f"（{chinese_number(n)}）落实评价部门建议。" + "；".join(advice) + "。")
    n += 1
    doc.paragraph(
        f"（{chinese_number(n)}）健全长效机制。请针对本反馈意见指出的问题不足，制定改进方案，切实解决存在问题，"
        "并建立健全推动质量工作的长效机制。"
    )


def _suggestions(losses: list[tuple[ItemScore, Fraction]], told: Mapping[str, FedBack]) -> list[str]:
    """The distinct 建议… clauses of what is fed back on the items that lost most."""
    found: list[str] = []
    for s, _ in losses:
        said = told.get(s.item.id)
        for clause in re.findall(r"建议([^。；;]+)", said.text if said else ""):
            clause = clause.strip("，, ")
            if clause and clause not in found:
                found.append(clause)
    return found[:SUGGESTIONS]


def _attachment(
    doc: OfficialDocument, rubric: Rubric, unit: UnitResult, told: Mapping[str, FedBack], short: list[ItemScore]
) -> None:
    """Every item fed back where points were lost (or the veto fired: the `short` ones), by area, with each
    evaluator's own entry and the remark as fed back."""
    doc.attachment(f"{unit.unit}{ATTACHMENT}")
    by_area: dict[str, list[ItemScore]] = {}
    for s in short:
        if s.item.id in told:
            by_area.setdefault(s.item.area, []).append(s)
    for area in rubric.areas:
        lost = by_area.get(area.id)
        if not lost:
            continue
        rows = []
        for s in lost:
            points_lost = s.lost
            result = fmt2(points_lost) if points_lost is not None else "否决"
            for n, src in enumerate(s.sources):
                entered = _entered(s.item.kind, src.raw, src.value)
                rows.append([f"{s.item.id} {short_text(s.item)}", _max_text(s.item), entered, result,
                             src.evaluator, told[s.item.id].remark_for(src.evaluator, n == 0)])  # fmt: skip
        doc.caption(area.name)
        doc.table(["项目", "满分", "所评", "失分", "评价部门", "评价说明"], rows, widths_mm=ATTACHMENT_WIDTHS,
                  size=TABLE_SIZE, left={0, 5})  # fmt: skip


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
