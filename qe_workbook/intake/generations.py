"""Forms of a superseded generation: named, and set aside when the newer form of the department is in."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ..forms.register import Register
from ..problems import Problem, problem
from .returns import newer_generations
from .submission import Status, Submission


def _when(iso: str) -> str:
    try:
        return f"{datetime.fromisoformat(iso):%Y-%m-%d %H:%M}"
    except ValueError:
        return iso


def retire_superseded(submissions: Sequence[Submission], register: Register) -> list[Problem]:
    """Each accepted form whose generation a later one superseded: set aside when that later form
    of the same department was accepted too, else kept with a warning."""
    problems = []
    accepted = [s for s in submissions if s.status == Status.ACCEPTED and s.form_id]
    for sub, newer in newer_generations(accepted, lambda s: s.form_id or "", register):
        facts: dict[str, Any] = {
            "evaluator": sub.evaluator, "old": newer.old.number, "old_at": _when(newer.old.generated_at),
            "new": newer.new.number, "new_at": _when(newer.new.generated_at), "new_file": newer.form.file,
        }  # fmt: skip
        if newer.returned:
            sub.status, sub.reason = Status.SUPERSEDED, f"已采用第 {newer.new.number} 次生成的新版"
            problems.append(problem("FORM_GENERATION_SUPERSEDED", file=sub.file, **facts))
        else:
            problems.append(problem("FORM_GENERATION_OLD", file=sub.file, **facts))
    return problems
