"""A blank copy of a form lying beside the filled one (a subfolder, a download kept twice): set aside."""

from __future__ import annotations

from collections.abc import Sequence

from ..problems import Problem, problem
from .submission import Status, Submission


def is_blank(sub: Submission) -> bool:
    """No input cell filled: no score, no remark, no fill date."""
    return sub.fill_date is None and all(not e.raw.strip() and not e.remark for e in sub.entries)


def set_aside_blank_copies(submissions: Sequence[Submission]) -> list[Problem]:
    """Each accepted blank form of a department whose filled form is in too: set aside with a note,
    its empty-cell problems dropped (they are not the department's)."""
    accepted = [s for s in submissions if s.status is Status.ACCEPTED and s.evaluator]
    filled = {s.evaluator: s for s in accepted if not is_blank(s)}
    notes = []
    for sub in accepted:
        other = filled.get(sub.evaluator)
        if other is None or not is_blank(sub):
            continue
        sub.status, sub.reason = Status.DUPLICATE, f"空白副本（已采用填好的 {other.file}）"
        sub.problems = [p for p in sub.problems if not p.code.startswith("VALUE_")]
        notes.append(problem("SUBMISSION_BLANK_COPY", file=sub.file, evaluator=sub.evaluator, filled=other.file))
    return notes
