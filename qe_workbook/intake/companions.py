"""A printout, scan or photo a department sends beside its adopted form (the stamped copy, say) asks nothing
of it: it is set aside as a companion of that form, with a note, instead of "received but unusable"."""

from __future__ import annotations

from ..problems import Problem, problem
from .discover import NOT_A_FORM, Found
from .submission import Status, Submission


def set_aside_companions(submissions: list[Submission], found: Found) -> list[Problem]:
    """Mark each PDF, image or document of a department whose form was adopted as its companion; their
    "cannot be used" notes in `found` give way to one note each."""
    adopted = {s.owner: s.file for s in submissions if s.status is Status.ACCEPTED and not s.units}
    scans = {p.file: p for p in found.problems if p.code == NOT_A_FORM}
    notes = []
    for sub in submissions:
        kept = adopted.get(sub.owner)
        if sub.status is Status.UNUSABLE and sub.file in scans and kept is not None:
            sub.status, sub.reason = Status.COMPANION, f"随已采用的评价表 {kept} 一同报送，不需采用"
            notes.append(problem("FILE_COMPANION", file=sub.file, kind=scans[sub.file].params["kind"], kept=kept))
    companions = {p.file for p in notes}
    found.problems = [p for p in found.problems if not (p.code == NOT_A_FORM and p.file in companions)]
    return notes
