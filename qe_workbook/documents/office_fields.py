"""The fields every official document's template is given alike: the plan, the issuing office, the date and the
stage (each kind adds its own)."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..dates import chinese_date
from ..rubric import Rubric
from .templating import Field

OFFICE_FIELDS = (
    Field("年度", "考核年度", "2022"),
    Field("城市", "城市名称", "漯河市"),
    Field("考核方案", "考核方案名称（不带书名号）", "漯河市2022年度政府质量工作考核方案"),
    Field("考核程序", "考核细则规定的考核程序", "经自我评价、部门打分和综合考评"),
    Field("阶段", "文稿阶段，印在页眉（初稿、征求意见稿、审定稿、印发稿，结果暂定时后加“（暂定）”）", "初稿"),
    Field("发文机关", "发文机关简称", "市质强办"),
    Field("发文机关全称", "发文机关全称（落款；通报的版记中为印发机关）", "漯河市质量强市战略工作领导小组办公室"),
    Field("成文日期", "成文日期（落款）", "2023年5月8日"),
)


def office_context(rubric: Rubric, issued: date, stage: str) -> dict[str, Any]:
    """The values of OFFICE_FIELDS."""
    return {
        "年度": str(rubric.year),
        "城市": rubric.city,
        "考核方案": rubric.title,
        "考核程序": rubric.texts.procedure,
        "阶段": stage,
        "发文机关": rubric.office,
        "发文机关全称": rubric.office_full_name,
        "成文日期": chinese_date(issued),
    }
