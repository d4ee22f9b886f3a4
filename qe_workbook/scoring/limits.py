"""The rubric's optional caps on a grade ("at most 2 units graded A"), applied to the scored grades.

The caps are the plan's grade proposal, applied after the thresholds, from the highest grade down:
when more units reach a capped grade than the cap allows, the lowest-scoring of them go down one
grade (where they count against that grade's cap in turn). Ties are never split: when units with
equal totals straddle the cap, all of them go down, so a cap is never exceeded (it may be left
short). Units whose grade a veto set are not touched. A quota on the best units ("前30%为A") is the same
arithmetic: the best so many units keep the grade their totals reach, the others that reach it go down. Each unit moved is named with its reason
(`Demotion.sentence`), for master.xlsx, the problem list and its letter.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from ..rubric import GradeLimit, Rubric
from ..rubric.model import grade_label


@dataclass(frozen=True)
class Demotion:
    unit: str
    total_cents: int
    rank: int
    reached: str  # the grade its total reached
    grade: str  # the grade it gets
    limit: GradeLimit
    allowed: int  # how many units the cap lets have the grade
    tied: bool  # it went down with units of equal total that straddle the cap

    @property
    def total(self) -> str:
        return f"{Decimal(self.total_cents).scaleb(-2):.2f}"

    def sentence(self) -> str:
        tie = "，与同分单位一并调整（并列时不拆分）" if self.tied else ""
        return (f"总分 {self.total} 分（第 {self.rank} 名）达到{grade_label(self.reached)}分数线，但考核细则规定{self.limit.text()}"
                f"（本次 {self.allowed} 个），按排名由{grade_label(self.reached)}降为{grade_label(self.grade)}{tie}")  # fmt: skip


def apply_grade_limits(units: pd.DataFrame, rubric: Rubric) -> list[Demotion]:
    """Lower the `grade` column of the units frame where a cap is exceeded; return who went down and why."""
    grading = rubric.grading
    order = grading.order
    demotions: list[Demotion] = []
    for limit in sorted(grading.limits, key=lambda x: order.index(x.grade)):
        allowed = limit.allowed(len(units))
        holders = units[(units["grade"] == limit.grade) & (units["veto_set"] == "")].sort_values(
            "total_cents", ascending=False, kind="stable"
        )  # named from the highest total down; equal totals in the plan's order
        if len(holders) <= allowed:
            continue
        lower = order[order.index(limit.grade) + 1]
        totals = holders["total_cents"].to_numpy()
        for unit, total in zip(holders.index, totals, strict=True):
            if int((totals >= total).sum()) <= allowed:  # it fits with every unit of its total or more
                continue
            row = units.loc[unit]
            tied = int((totals > total).sum()) < allowed  # it would fit, but not with its equals
            units.loc[unit, "grade"] = lower
            demotions.append(Demotion(str(unit), int(row["total_cents"]), int(row["rank"]), limit.grade, lower, limit,
                                      allowed, tied))  # fmt: skip
    return demotions
