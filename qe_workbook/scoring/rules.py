"""The rubric's scoring rules as arithmetic on whole columns of integer hundredths.

Each function takes numpy arrays (or single ints) of hundredths and returns hundredths; the one
rounding any of them does is `half_up`, division rounded half up to hundredths. `score.py` calls
them once per rule type over all the evaluator entries of that type (one evaluator's entry for one
unit's item), then once per combination over all the items' entries; `rank_points` works on the
figures of one item at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def half_up(numerator: Any, denominator: Any) -> Any:
    """numerator / denominator rounded half up (toward +∞ at exactly one half), in whole numbers."""
    return (2 * numerator + denominator) // (2 * denominator)


def per_event(events: Any, per_cents: Any, cap_cents: Any) -> Any:
    """events × points per event, at most the cap (a negative cap: no cap)."""
    points = events * per_cents
    return np.where(np.asarray(cap_cents) < 0, points, np.minimum(points, cap_cents))


def linear(figure: Any, full_at: Any, per: Any, minus: Any, floor: Any, max_cents: Any, whole: Any,
           lower_is_better: Any) -> Any:  # fmt: skip
    """Full marks at or beyond `full_at`; `minus` off per `per` short of it (whole steps: a part of a step counts
    as a step; exact: in proportion, half up), never below `floor`. All in hundredths (figures too)."""
    short = np.maximum(np.where(lower_is_better, figure - full_at, full_at - figure), 0)
    per = np.maximum(per, 1)
    steps = (short + per - 1) // per
    lost = np.where(whole, steps * minus, half_up(short * minus, per))
    return np.maximum(max_cents - lost, floor)


def table(figure: Any, froms: Sequence[int], points: Sequence[int], lower_is_better: bool = False) -> Any:
    """The points of the row with the highest `from` at or below the figure (lower is better: the lowest `from`
    at or above it); 0 where no row matches."""
    figure = np.asarray(figure)
    result = np.zeros(figure.shape, dtype=np.int64)
    matched = np.zeros(figure.shape, dtype=bool)
    order = sorted(range(len(froms)), key=lambda n: froms[n], reverse=not lower_is_better)
    for n in order:  # the best row first: it wins where several match
        hit = ~matched & ((figure <= froms[n]) if lower_is_better else (figure >= froms[n]))
        result[hit] = points[n]
        matched |= hit
    return result


def checklist(missing: Any, minus: Any, floor: Any, max_cents: Any) -> Any:
    """max − minus × the aspects missing, not below the floor."""
    return np.maximum(max_cents - missing * minus, floor)


def rank_points(figure: Any, groups: Any, points: Sequence[int], rest: int, average: bool,
                lower_is_better: bool = False) -> np.ndarray:  # fmt: skip
    """Points by place among the units of the same group (1st: points[0], …; beyond the list: `rest`). Tied units
    share: all get the points of the best place they hold together; average: the mean of those places' points,
    half up."""
    figure, groups = np.asarray(figure, dtype=np.int64), np.asarray(groups)
    table_ = np.array([*points, rest], dtype=np.int64)
    result = np.zeros(len(figure), dtype=np.int64)
    key = figure if lower_is_better else -figure
    for group in np.unique(groups):
        at = np.flatnonzero(groups == group)
        values = key[at]
        for value in np.unique(values):
            tied = at[values == value]
            first = int((values < value).sum())  # the places before this one, 0-based
            places = np.minimum(np.arange(first, first + len(tied)), len(points))
            result[tied] = half_up(int(table_[places].sum()), len(tied)) if average else table_[places[0]]
    return result


def sum_lost(n: Any, total: Any, max_cents: Any, added: Any) -> Any:
    """Each evaluator deducts for its own aspect: a score item loses Σ (max − value); where `added` (a deduction or
    bonus item) the item is Σ of the evaluators' points; either way within 0 … the item's max."""
    return np.where(added, np.minimum(total, max_cents), max_cents - np.minimum(n * max_cents - total, max_cents))
