"""The notes that follow a letter's result, as fields: each of the meeting's adjustments with its basis, the result
before them, a grade limit that lowered the unit, the change from last year (or that the unit is new). A note is a
record with its `kind` (调整, 调整前, 等级数量上限, 上年, 新增单位); the template (反馈意见.docx) words it. A rank is in a
note only when the rubric gives ranks in letters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..amounts import round2
from ..outputs.year_over_year import YearOverYear
from ..scoring.adopt import Adjustment, Adoption
from ..scoring.limits import Demotion

Note = Mapping[str, Any]
Notes = Mapping[str, Sequence[Note]]  # unit → its notes, in the order the letter gives them


def adjustment_notes(adoption: Adoption) -> dict[str, list[Note]] | None:
    """For each adjusted unit: each adjustment, then the result before them. None without an adjustments file."""
    if not adoption.adjusted:
        return None
    old = {u.unit: u for u in adoption.scored.units}
    notes: dict[str, list[Note]] = {}
    for unit in adoption.results.units:
        own = [a for a in adoption.adjustments if a.unit == unit.unit]
        if own:
            was = old[unit.unit]
            before: dict[str, Any] = {"kind": "调整前", "total": f"{round2(was.total):.2f}", "grade": was.grade_label}
            if adoption.show_rank:
                before["rank"] = was.rank
            notes[unit.unit] = [*(_adjustment(a) for a in own), before]
    return notes


def _adjustment(a: Adjustment) -> Note:
    points = "" if a.points is None else str(a.points)
    return {"kind": "调整", "adjust": str(a.kind), "points": points, "grade": a.grade or "", "basis": a.basis,
            "note": a.note}  # fmt: skip


def capped_note(demotion: Demotion, *, rank: bool) -> Note:
    """A grade limit lowered the unit below the grade its total reached."""
    note: dict[str, Any] = {"kind": "等级数量上限", "total": demotion.total, "reached": demotion.reached,
                            "grade": demotion.grade, "limit": demotion.limit.text(), "allowed": demotion.allowed,
                            "tied": demotion.tied}  # fmt: skip
    if rank:
        note["rank"] = demotion.rank
    return note


def with_previous_year(notes: Notes | None, previous: YearOverYear | None, *, rank: bool) -> Notes | None:
    """The given notes, then each unit's change from the previous year (ranks only with `rank`)."""
    if previous is None:
        return notes
    merged = {unit: list(lines) for unit, lines in (notes or {}).items()}
    for unit in previous.new.units:
        note = _previous(previous, unit, rank)
        if note is not None:
            merged.setdefault(unit, []).append(note)
    return merged


def _previous(previous: YearOverYear, unit: str, rank: bool) -> Note | None:
    if unit in previous.units_added:
        return {"kind": "新增单位", "year": previous.new.year}
    change = next((c for c in previous.units if c.unit == unit), None)
    if change is None:
        return None
    delta = change.total_change
    note: dict[str, Any] = {
        "kind": "上年",
        "year": previous.old.year,
        "old_total": f"{change.old.total:.2f}",
        "new_total": f"{change.new.total:.2f}",
        "change": "增加" if delta > 0 else "减少" if delta < 0 else "持平",
        "amount": f"{abs(delta):.2f}" if delta else "",
        "old_grade": change.old.grade,
        "new_grade": change.new.grade,
    }
    if rank:
        note |= {"old_rank": change.old.rank, "new_rank": change.new.rank, "rank_change": change.rank_change}
    return note
