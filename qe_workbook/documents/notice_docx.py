"""The draft 通报 of the year's results, for the office to submit for approval (方案三(三)).

Grades are listed in the rubric's order (A, B, C, then the lowest); within a grade the units stand in the
rubric's administrative order, or by rank when the rubric's `disclosure.public_shows` is scores (`published_order`:
the public list keeps the same order). A unit whose data are incomplete carries （暂定）, and its total follows its
name when scores are published. The requirements paragraph follows 方案五(三).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..amounts import fmt2
from ..choices import Stage
from ..dates import chinese_date
from ..rubric import PublicShows, Rubric
from ..scoring.score import INCOMPLETE_MARK, Results, UnitResult
from .official_docx import DRAFT_STAGE, OfficialDocument

TITLE_MARKS = {Stage.DRAFT: "（代拟稿）", Stage.CONSULTATION: "（征求意见稿）"}  # approved and issued: the title alone


def title_mark(stage: str) -> str:
    """What follows the 通报's title (and its file name) at `stage`, which may carry （暂定）."""
    return next((mark for s, mark in TITLE_MARKS.items() if stage.startswith(s)), "")


def grade_order(rubric: Rubric) -> list[str]:
    """The grades from the best down (A, B, C, then the lowest and the veto grade)."""
    grading = rubric.grading
    return list(dict.fromkeys([*(t.grade for t in grading.thresholds), grading.lowest_grade, grading.veto_grade]))


def published_order(rubric: Rubric, results: Results) -> list[UnitResult]:
    """The units as every published list names them: by rank when scores are published; otherwise in the
    rubric's administrative order, so that a list by grade does not reveal the ranking."""
    if rubric.disclosure.public_shows is PublicShows.SCORES:
        return results.by_rank()
    by_name = {u.unit: u for u in results.units}
    return [by_name[u.name] for u in rubric.units]


def grade_groups(rubric: Rubric, results: Results) -> list[tuple[str, list[UnitResult]]]:
    """(grade, units in the published order) for every grade that was given, best grade first."""
    published = published_order(rubric, results)
    groups = [(grade, [u for u in published if u.grade == grade]) for grade in grade_order(rubric)]
    return [(grade, units) for grade, units in groups if units]


def write_notice(path: Path, rubric: Rubric, results: Results, issued: date, stage: str = DRAFT_STAGE) -> Path:
    """The 通报 at `stage` (its header; its title says 代拟稿 or 征求意见稿 before approval): basis, process, results
    by grade, requirements."""
    year, office = rubric.year, rubric.office
    title = f"关于{rubric.city}{year}年度政府质量工作\n考核结果的通报{title_mark(stage)}"  # broken at a sense boundary
    doc = OfficialDocument(title, office, stage)
    full_names = {u.name: u.full_name for u in rubric.units}
    doc.line("、".join(u.full_name for u in rubric.units) + "：")
    copy_to = "、".join(rubric.copy_to)
    doc.paragraph(
        f"根据{''.join(b + '、' for b in rubric.basis)}《{rubric.title}》，{office}组织开展了{year}年度政府质量工作考核，"
        f"考核周期为{chinese_date(rubric.period_start)}至{chinese_date(rubric.period_end)}。"
    )
    doc.paragraph(
        f"考核实行自我评价、部门打分和综合考评相结合。各被考核单位对照《{rubric.rubric_title}》开展自我评价，"
        "报送自评报告和印证材料；各考核评价部门根据印证材料，结合日常掌握情况、"
        f"群众反映和相关监测数据进行打分评价；{office}汇总各部门打分评价结果，综合考评，拟定考核等级。"
        "经市政府批准，现将考核结果通报如下。"
    )
    doc.heading("一、考核结果")
    groups = grade_groups(rubric, results)
    scores = rubric.disclosure.public_shows is PublicShows.SCORES
    for n, (grade, units) in enumerate(groups, start=1):
        names = "、".join(
            full_names[u.unit] + (f"（{fmt2(u.total)}分）" if scores else "") + ("" if u.complete else INCOMPLETE_MARK)
            for u in units
        )
        doc.paragraph(f"{grade}级（{len(units)}个）：{names}{'。' if n == len(groups) else '；'}")
    vetoed = [full_names[u.unit] for u in published_order(rubric, results) if u.veto]
    if vetoed:
        doc.paragraph(f"其中，{'、'.join(vetoed)}触发否决项，考核等级一律为{rubric.grading.veto_grade}级。")
    if not all(u.complete for u in results.units):
        doc.paragraph("标注“暂定”的单位尚有考核项目缺少有效评分，其等级为暂定，待评分补齐后确定。")
    doc.heading("二、有关要求")
    doc.paragraph(
        "各被考核单位要针对考核结果反馈建议指出的问题不足，制定改进方案，切实解决存在问题，"
        "并建立健全推动质量工作的长效机制。"
    )
    doc.paragraph(
        "各考核评价部门要根据考核中发现的共性问题不足，列为年度重点工作，加强工作指导，持续跟踪督导，推动整改提高。"
        f"对考核中发现的先进典型，{office}将优先推荐申报“推进质量工作成效突出地方”。"
    )
    if copy_to:
        doc.paragraph(
            f"考核结果同时抄送{copy_to}，作为对各被考核单位领导班子和领导干部进行综合评价和实行问责的重要依据。"
        )
    doc.signature(rubric.office_full_name, issued)
    doc.record(copy_to=list(rubric.copy_to), issuer=rubric.office_full_name, printed=issued)
    return doc.save(path)
