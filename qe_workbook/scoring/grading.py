"""The three rules that turn points into the published result, each written once, on whole columns:
the capped deduction of an item, the grade a total reaches, and the rank among the units.

Scoring (`score.py`) and adoption (`adopt.py`, the meeting's adjustments) both call these, so a
total is graded and ranked the same way however it was reached. Points are integer hundredths.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..intake.frame import to_cents
from ..rubric import Grading


def deduction_cents(events: Any, per_event_cents: Any, max_cents: Any) -> Any:
    """The points a deduction item takes: min(events × per event, cap), in hundredths (arrays or single values)."""
    return np.minimum(events * per_event_cents, max_cents)


def grades(total_cents: pd.Series, veto: pd.Series, grading: Grading) -> pd.Series:
    """The grade each total reaches by the thresholds (the veto grade where a veto fired)."""
    reached = np.select(
        [total_cents >= to_cents(t.min) for t in grading.thresholds],
        [t.grade for t in grading.thresholds],
        default=grading.lowest_grade,
    )
    return pd.Series(np.where(veto, grading.veto_grade, reached), index=total_cents.index, dtype=object)


def ranks(total_cents: pd.Series, veto: pd.Series, grading: Grading) -> pd.Series:
    """Competition ranks (1, 2, 2, 4) on the exact totals; vetoed units after all the others when the
    rubric says so."""
    last = veto & grading.veto_ranks_last
    first = total_cents[~last].rank(method="min", ascending=False)
    after = total_cents[last].rank(method="min", ascending=False) + int((~last).sum())
    return pd.concat([first, after]).reindex(total_cents.index).astype("int64")
