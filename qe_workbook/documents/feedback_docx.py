"""The feedback a unit receives (考核结果反馈意见): its result, where it lost points, what to improve.

Totals, gaps and losses are exact Fractions; they are only rounded (half up, 2 decimals) when
printed. Remarks and event counts come from the returned forms and are printed as plain text.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from pathlib import Path

from ..amounts import canonical, fmt2
from ..rubric import JOINT_RULE_LABELS, KIND_LABELS, Item, Kind, Rubric
from ..scoring.score import NO_REMARK, ItemScore, Results, Source, UnitResult
from .official_docx import DRAFT_STAGE, OfficialDocument, chinese_number

TOP_LOSSES = 5


def write_feedback(
    path: Path,
    rubric: Rubric,
    results: Results,
    unit: UnitResult,
    issued: date,
    stage: str = DRAFT_STAGE,
    notes: Sequence[str] = (),
) -> Path:
    """One unit's feedback document; `notes` (the meeting's adjustments) follow the result."""
    full_name = next(u.full_name for u in rubric.units if u.name == unit.unit)
    doc = OfficialDocument(f"{rubric.city}{rubric.year}年度政府质量工作考核反馈意见", rubric.office, stage)
    doc.line(f"{full_name}：")
    doc.paragraph(
        f"根据《{rubric.title}》，经自我评价、部门打分和综合考评，"
        f"现将你单位{rubric.year}年度政府质量工作考核结果反馈如下。"
    )
    doc.heading("一、考核结果")
    _result(doc, rubric, results, unit)
    for note in notes:
        doc.paragraph(note)
    doc.heading("二、失分项目")
    _losses(doc, rubric, unit)
    doc.heading("三、加分项目")
    _bonuses(doc, unit)
    doc.heading("四、改进建议")
    _improvement(doc, rubric, unit)
    doc.signature(rubric.office_full_name, issued)
    return doc.save(path)


def _result(doc: OfficialDocument, rubric: Rubric, results: Results, unit: UnitResult) -> None:
    tied = sum(1 for u in results.units if u.rank == unit.rank) > 1
    doc.paragraph(
        f"你单位总分 {fmt2(unit.total)} 分，考核等级为{unit.grade_label}，"
        f"在 {len(results.units)} 个被考核单位中{'并列' if tied else ''}排名第 {unit.rank} 位。各领域得分如下："
    )
    bonus_max = sum((Fraction(i.max) for i in rubric.items_of_kind(Kind.BONUS)), Fraction(0))
    area_max = sum((Fraction(a.max) for a in rubric.areas), Fraction(0))
    rows = [[a.name, fmt2(a.max), fmt2(unit.areas[a.id])] for a in rubric.areas]
    rows += [["加分", fmt2(bonus_max), fmt2(unit.bonus)], ["扣分", "—", fmt2(unit.deduction)]]
    rows.append(["总分", fmt2(area_max), fmt2(unit.total)])
    doc.table(["考核领域", "满分", "得分"], rows)
    if unit.veto:
        doc.paragraph(f"你单位触发否决项，不论得分，考核等级一律为{rubric.grading.veto_grade}级。")
    if not unit.complete:
        gaps = "、".join(s.item.id for s in unit.items if not s.complete)
        doc.paragraph(f"注：项目 {gaps} 尚缺有效评分，以上总分、等级和排名为暂定，待评分补齐后另行反馈。")


def _losses(doc: OfficialDocument, rubric: Rubric, unit: UnitResult) -> None:
    """Every item where points were lost (or the veto fired), grouped by area, with each evaluator's remark."""
    lost = unit.shortfalls()
    if not lost:
        doc.paragraph("各项目均未失分。")
        return
    areas = [a for a in rubric.areas if any(s.item.area == a.id for s in lost)]
    for n, area in enumerate(areas, start=1):
        doc.subheading(f"（{chinese_number(n)}）{area.name}")
        for k, item_score in enumerate((s for s in lost if s.item.area == area.id), start=1):
            _item(doc, k, item_score)
            doc.paragraph(_outcome(rubric, item_score))
            for src in item_score.sources:
                doc.paragraph(_source(item_score.item, src))


def _item(doc: OfficialDocument, number: int, item_score: ItemScore) -> None:
    item = item_score.item
    doc.paragraph(f"{number}. 项目 {item.id}（{KIND_LABELS[item.kind]}）：{item.text}")


def _outcome(rubric: Rubric, item_score: ItemScore) -> str:
    item, points = item_score.item, item_score.points or Fraction(0)
    if item.kind is Kind.VETO:
        text = f"触发否决项，考核等级一律为{rubric.grading.veto_grade}级。"
    elif item.kind is Kind.DEDUCTION:
        text = f"扣 {fmt2(points)} 分。"
    else:
        text = f"满分 {fmt2(item.max)} 分，得分 {fmt2(points)} 分，失分 {fmt2(item_score.lost)} 分。"
    if len(item_score.sources) > 1:
        text += f"本项由 {len(item_score.sources)} 个部门共同评价，{JOINT_RULE_LABELS[rubric.grading.joint]}。"
    if item_score.missing:
        text += f"{'、'.join(item_score.missing)}尚未给出有效评分，暂按已收到的评分计算。"
    return text


def _source(item: Item, src: Source) -> str:
    """One evaluator's value and remark, as entered on its form."""
    if item.kind is Kind.DEDUCTION:
        return f"{src.evaluator}：发生 {src.raw} 次。扣分原因：{src.remark or NO_REMARK}"
    value = {
        Kind.SCORE: f"评分 {fmt2(src.value)} 分",
        Kind.BONUS: f"加 {fmt2(src.value)} 分",
        Kind.VETO: f"认定为“{src.raw}”",
    }[item.kind]
    return f"{src.evaluator}：{value}。评价说明：{src.remark or NO_REMARK}"


def _bonuses(doc: OfficialDocument, unit: UnitResult) -> None:
    obtained = [s for s in unit.items if s.item.kind is Kind.BONUS and s.points]
    if not obtained:
        doc.paragraph("本年度未获得加分。")
        return
    for k, item_score in enumerate(obtained, start=1):
        _item(doc, k, item_score)
        doc.paragraph(f"加 {fmt2(item_score.points)} 分。")
        for src in item_score.sources:
            doc.paragraph(_source(item_score.item, src))


def _improvement(doc: OfficialDocument, rubric: Rubric, unit: UnitResult) -> None:
    if not unit.veto:  # a vetoed unit's grade does not follow from its total
        doc.paragraph(_standing(rubric, unit))
    losses = sorted(((s, lp) for s in unit.items if (lp := s.lost) is not None), key=lambda pair: -pair[1])
    if losses:
        listed = "；".join(
            f"{s.item.id}（{rubric.key_point(s.item.key_point).title}）失 {fmt2(lp)} 分"
            for s, lp in losses[:TOP_LOSSES]
        )
        doc.paragraph(f"失分较多的项目依次为：{listed}。")
    doc.paragraph("请针对本反馈意见指出的问题不足，制定改进方案，切实解决存在问题，并建立健全推动质量工作的长效机制。")


def _standing(rubric: Rubric, unit: UnitResult) -> str:
    """How far the total is from the next grade up ('距B级（80 分）还差 1.35 分')."""
    provisional = "" if unit.complete else "（按暂定总分计算）"
    upper = rubric.grading.next_grade_up(unit.total)
    if upper is None:
        return f"你单位总分已达到最高等级（{unit.grade}级）标准{provisional}。"
    gap = Fraction(upper.min) - unit.total
    return f"你单位总分距{upper.grade}级（{canonical(upper.min)} 分）还差 {fmt2(gap)} 分{provisional}。"
