"""Forms of a superseded generation: named, and set aside when the newer form of the department is in."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ..forms.register import Register
from ..problems import Problem, problem
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
    accepted_ids = {s.form_id for s in submissions if s.status == Status.ACCEPTED and s.form_id}
    for sub in submissions:
        if sub.status != Status.ACCEPTED or not sub.form_id:
            continue
        old, newer = register.generation_of(sub.form_id), register.superseding(sub.form_id)
        if old is None or newer is None:
            continue
        (old_gen, _), (new_gen, new_form) = old, newer
        facts: dict[str, Any] = {
            "evaluator": sub.evaluator, "old": old_gen.number, "old_at": _when(old_gen.generated_at),
            "new": new_gen.number, "new_at": _when(new_gen.generated_at), "new_file": new_form.file,
        }  # fmt: skip
        if new_form.form_id in accepted_ids:
            sub.status, sub.reason = Status.SUPERSEDED, f"已采用第 {new_gen.number} 次生成的新版"
            problems.append(problem("FORM_GENERATION_SUPERSEDED", file=sub.file, **facts))
        else:
            problems.append(problem("FORM_GENERATION_OLD", file=sub.file, **facts))
    return problems
