"""The 通报 of the year's results, for the office to submit for approval (方案三(三)), from its Word template.

Grades are listed in the rubric's order (A, B, C, then the lowest); within a grade the units stand in the
rubric's administrative order, or by rank when the rubric's `disclosure.public_shows` is scores (`published_order`:
the public list keeps the same order). The template is given a unit's total only when scores are published. A
unit whose data are incomplete is marked 暂定.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from ..amounts import fmt2
from ..choices import DRAFT_STAGE, Stage
from ..dates import chinese_date
from ..rubric import PublicShows, Rubric, VetoEffect, VetoKind, VetoRule
from ..rubric.model import grade_label
from ..rubric.view import veto_outcome
from ..scoring.score import Results, UnitResult
from .office_fields import OFFICE_FIELDS, office_context
from .templating import DocumentKind, Field, render

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


UNITS_EXAMPLE = [{"名称": "召陵区人民政府", "总分": "91.88", "暂定": False}]
NOTICE = DocumentKind(
    "通报",
    "考核结果通报（代拟稿、征求意见稿、审定稿、印发稿）",
    (
        *OFFICE_FIELDS,
        Field(
            "标题稿别",
            "标题后的稿别：初稿为“（代拟稿）”，征求意见稿为“（征求意见稿）”，审定稿、印发稿为空",
            "（代拟稿）",
        ),
        Field("文号", "发文字号（年份已填，机关代字和序号待填）", "〔2023〕　　号"),
        Field("主送", "被考核单位全称，按考核细则中的顺序", ["舞阳县人民政府", "临颍县人民政府"]),
        Field(
            "考核依据",
            "考核所依据的文件（含文号）",
            ["《中共漯河市委 漯河市人民政府关于开展质量提升行动的实施意见》（漯发〔2018〕21号）"],
        ),
        Field("考核细则", "考核细则名称（不带书名号）", "漯河市2022年度政府质量工作考核要点"),
        Field("考核周期起", "考核周期开始日期", "2022年1月1日"),
        Field("考核周期止", "考核周期结束日期", "2022年12月31日"),
        Field("公布分数", "是否公布总分（考核细则的公开设置）；为“否”时不提供总分", False),
        Field(
            "考核结果",
            "各等级及其单位，等级从高到低；只公布等级时同一等级内按考核细则中的顺序，公布分数时按得分",
            [{"等级": "A", "等级名称": "A级", "单位数": 1, "单位": UNITS_EXAMPLE}],
            (
                Field("等级", "等级", "A"),
                Field("等级名称", "等级在句中的写法（字母等级带“级”，如“A级”；“优秀”等名称原样）", "A级"),
                Field("单位数", "该等级的单位数", 1),
                Field(
                    "单位",
                    "该等级的单位",
                    UNITS_EXAMPLE,
                    (
                        Field("名称", "单位全称", "召陵区人民政府"),
                        Field("总分", "总分（仅在公布分数时提供）", "91.88"),
                        Field("暂定", "是否暂定（尚有考核项目缺少有效评分）", False),
                    ),
                ),
            ),
        ),
        Field("否决单位", "触发否决项的单位全称", []),
        Field("否决等级", "触发否决项的单位的等级", "D"),
        Field(
            "否决结果",
            "触发否决项的后果（按考核细则中各否决项的规定，如“考核等级一律为D级”“考核等级最高为良好”）",
            "考核等级一律为D级",
        ),
        Field("有暂定", "是否有单位等级暂定", False),
        Field("抄送", "抄送单位", ["市纪委监委", "市委组织部"]),
        Field("印发日期", "印发日期（版记）", "2023年5月8日"),
    ),
)


def notice_context(rubric: Rubric, results: Results, issued: date, stage: str = DRAFT_STAGE) -> dict[str, Any]:
    """What the 通报's template is given: the data, as the disclosure settings allow."""
    full_names = {u.name: u.full_name for u in rubric.units}
    scores = rubric.disclosure.public_shows is PublicShows.SCORES

    def unit(u: UnitResult) -> dict[str, Any]:
        shown: dict[str, Any] = {"名称": full_names[u.unit], "暂定": not u.complete}
        return {**shown, "总分": fmt2(u.total)} if scores else shown

    return {
        **office_context(rubric, issued, stage),
        "标题稿别": title_mark(stage),
        "文号": f"〔{issued.year}〕　　号",
        "主送": [u.full_name for u in rubric.units],
        "考核依据": list(rubric.basis),
        "考核细则": rubric.rubric_title,
        "考核周期起": chinese_date(rubric.period_start),
        "考核周期止": chinese_date(rubric.period_end),
        "公布分数": scores,
        "考核结果": [
            {"等级": grade, "等级名称": grade_label(grade), "单位数": len(units), "单位": [unit(u) for u in units]}
            for grade, units in grade_groups(rubric, results)
        ],
        "否决单位": [full_names[u.unit] for u in published_order(rubric, results) if u.veto],
        "否决等级": rubric.grading.veto_grade,
        "否决结果": veto_result(rubric, published_order(rubric, results)),
        "有暂定": not all(u.complete for u in results.units),
        "抄送": list(rubric.copy_to),
        "印发日期": chinese_date(issued),
    }


def veto_result(rubric: Rubric, units: list[UnitResult]) -> str:
    """What the vetoes did to the units that fired one: '考核等级一律为D级' when every one set the plan's veto
    grade, the one outcome when all had the same ('考核等级最高为良好'), else each unit's own
    ('甲县人民政府考核等级最高为良好，乙县人民政府考核结果为不合格')."""
    veto_grade = rubric.grading.veto_grade
    default = VetoEffect(VetoKind.SET_GRADE, grade=veto_grade)
    fired = {
        u.unit: [s.item.rule.effect for s in u.items if s.points and isinstance(s.item.rule, VetoRule)]
        for u in units
        if u.veto
    }
    outcomes = {e for effects in fired.values() for e in effects}
    if outcomes <= {default}:
        return f"考核等级一律为{grade_label(veto_grade)}"
    if len(outcomes) == 1:
        return veto_outcome(outcomes.pop(), veto_grade)
    full_names = {u.name: u.full_name for u in rubric.units}
    return "，".join(
        full_names[unit] + "、".join(dict.fromkeys(veto_outcome(e, veto_grade) for e in effects))
        for unit, effects in fired.items()
    )


def write_notice(
    path: Path, rubric: Rubric, results: Results, issued: date, stage: str = DRAFT_STAGE,
    templates: Path | None = None,
) -> Path:  # fmt: skip
    """The 通报 at `stage` from its template (the office's in `templates`, else the bundled one)."""
    path.write_bytes(render(NOTICE, notice_context(rubric, results, issued, stage), templates))
    return path
