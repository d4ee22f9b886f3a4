"""The feedback letter a county government receives (考核结果反馈意见): its result, where it lost points, what to
improve, every lost item with its remarks in the attachment — the template's words (反馈意见.docx, bundled or the
office's own) filled with the unit's fields (letter_context.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from ..choices import Stage
from ..feedback.fed_back import FedBack
from ..rubric import Rubric
from ..scoring.score import Results, UnitResult
from ..scoring.self_scores import Comparison
from .feedback_kind import FEEDBACK
from .letter_context import Followed, letter_context
from .letter_notes import Note
from .templating import render


def write_feedback(
    path: Path,
    rubric: Rubric,
    results: Results,
    unit: UnitResult,
    issued: date,
    stage: str = Stage.DRAFT,
    notes: Sequence[Note] = (),
    told: Mapping[str, FedBack] | None = None,
    followed: Followed | None = None,
    self_scores: Comparison | None = None,
    templates: Path | None = None,
) -> Path:
    """One unit's feedback letter (see `letter_context`), from the office's template in `templates` when it has
    one, else the bundled one."""
    context = letter_context(rubric, results, unit, issued, stage, notes, told, followed, self_scores)
    path.write_bytes(render(FEEDBACK, context, templates))
    return path
