"""The notes that follow a letter's result, as fields: each of the meeting's adjustments with its basis, the result
before them, a grade limit that lowered the unit, the change from last year (or that the unit is new). A note is a
record with its 种类 (调整, 调整前, 等级数量上限, 上年, 新增单位); the template (反馈意见.docx) words it. A rank is in a
note only when the rubric gives ranks in letters. A grade in a note reads as a sentence says it: "B级", or the plan's
own name ("优秀").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..amounts import round2
from ..outputs.year_over_year import YearOverYear
from ..rubric.model import grade_label
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
            before: dict[str, Any] = {"种类": "调整前", "总分": f"{round2(was.total):.2f}", "等级": was.grade_label}
            if adoption.show_rank:
                before["排名"] = was.rank
            notes[unit.unit] = [*(_adjustment(a) for a in own), before]
    return notes


def _adjustment(a: Adjustment) -> Note:
    points = "" if a.points is None else str(a.points)
    grade = grade_label(a.grade) if a.grade else ""
    return {"种类": "调整", "方式": str(a.kind), "分数": points, "等级": grade, "依据": a.basis, "备注": a.note}


def capped_note(demotion: Demotion, *, rank: bool) -> Note:
    """A grade limit lowered the unit below the grade its total reached."""
    note: dict[str, Any] = {"种类": "等级数量上限", "总分": demotion.total, "达到等级": grade_label(demotion.reached),
                            "等级": grade_label(demotion.grade), "上限": demotion.limit.text(), "名额": demotion.allowed,
                            "并列": demotion.tied}  # fmt: skip
    if rank:
        note["排名"] = demotion.rank
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
        return {"种类": "新增单位", "年度": previous.new.year}
    change = next((c for c in previous.units if c.unit == unit), None)
    if change is None:
        return None
    delta = change.total_change
    note: dict[str, Any] = {
        "种类": "上年",
        "年度": previous.old.year,
        "上年总分": f"{change.old.total:.2f}",
        "本年总分": f"{change.new.total:.2f}",
        "变化": "增加" if delta > 0 else "减少" if delta < 0 else "持平",
        "变化分数": f"{abs(delta):.2f}" if delta else "",
        "上年等级": grade_label(change.old.grade),
        "本年等级": grade_label(change.new.grade),
    }
    if rank:
        note |= {"上年排名": change.old.rank, "本年排名": change.new.rank, "名次变化": change.rank_change}
    return note
