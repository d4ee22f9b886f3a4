"""The two rules that turn totals into the published result, each written once, on whole columns: the grade a
unit gets and the rank among the units.

Scoring (`score.py`) and adoption (`adopt.py`, the meeting's adjustments) both call these, so a
total is graded and ranked the same way however it was reached. Points are integer hundredths.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..intake.frame import to_cents
from ..rubric import Grading


def grades(units: pd.DataFrame, grading: Grading) -> pd.Series:
    """The grade of each unit of the units frame: the highest whose threshold its total reaches (with
    `grading.by_percent`, thresholds are percentages of the unit's full marks `full_cents`); where a veto
    fired that sets a grade (`veto_set`), that grade; where one caps it (`veto_cap`), at most that grade in the
    rubric's order (a lower grade stays)."""
    total = units["total_cents"].to_numpy(np.int64)
    if grading.by_percent:  # total / full ≥ min %  ⇔  total × 100 ≥ min × full, in hundredths
        full = units["full_cents"].to_numpy(np.int64)
        reached_at = [total * 10000 >= to_cents(t.min) * full for t in grading.thresholds]
    else:
        reached_at = [total >= to_cents(t.min) for t in grading.thresholds]
    grade = np.select(reached_at, [t.grade for t in grading.thresholds], default=grading.lowest_grade).astype(object)
    order = {g: n for n, g in enumerate(grading.order)}
    veto_set, veto_cap = units["veto_set"].to_numpy(object), units["veto_cap"].to_numpy(object)
    grade = np.where(veto_set != "", veto_set, grade)
    capped = np.array([cap != "" and order[cap] > order[g] for g, cap in zip(grade, veto_cap, strict=True)], bool)
    return pd.Series(np.where(capped, veto_cap, grade), index=units.index, dtype=object)


def ranks(units: pd.DataFrame, grading: Grading) -> pd.Series:
    """Competition ranks (1, 2, 2, 4) of the units frame's exact totals (with `grading.by_percent`, of each total
    as a share of the unit's full marks, compared exactly); vetoed units after all the others when the rubric
    says so."""
    total = units["total_cents"]
    if grading.by_percent:  # total / full on one common denominator: whole numbers, compared exactly
        full = units["full_cents"].to_numpy(np.int64)
        common = math.lcm(*(int(f) for f in set(full.tolist()) if f > 0)) if len(full) else 1
        total = total * (common // np.maximum(full, 1))
    last = units["veto"] & grading.veto_ranks_last
    first = total[~last].rank(method="min", ascending=False)
    after = total[last].rank(method="min", ascending=False) + int((~last).sum())
    return pd.concat([first, after]).reindex(total.index).astype("int64")
