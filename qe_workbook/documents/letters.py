"""The feedback letters of a run: each independent of the others, so a run with many writes them in shares,
each share a job that pickles (see parallel.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..rubric import Rubric
from ..scoring.score import Results
from .feedback_docx import write_feedback
from .letter_context import Followed

if TYPE_CHECKING:
    from ..feedback.fed_back import FedBack
    from ..scoring.self_scores import Comparison
    from .letter_notes import Note


@dataclass(frozen=True)
class Letter:
    """One unit's letter: where it goes and the notes that follow its result."""

    path: Path
    unit: str
    notes: tuple[Note, ...] = ()  # after its result (letter_notes.py)
    told: Mapping[str, FedBack] | None = None  # what the unit is told about each item (default: the 原文)
    followed: Followed | None = None  # last year's problems and their rectification


def shares(letters: Sequence[Letter], count: int) -> list[list[Letter]]:
    """The letters in `count` runs of consecutive letters (as even as can be; none empty)."""
    count = max(1, min(count, len(letters)))
    size, extra = divmod(len(letters), count)
    cuts = [n * size + min(n, extra) for n in range(count + 1)]
    return [list(letters[cuts[n] : cuts[n + 1]]) for n in range(count)]


def write_share(
    letters: Sequence[Letter],
    rubric: Rubric,
    results: Results,
    issued: date,
    stage: str,
    self_scores: Comparison | None = None,
    templates: Path | None = None,
) -> list[Path]:
    """Letters written one after another in this process (from the office's template in `templates` when it has
    one)."""
    units = {u.unit: u for u in results.units}
    return [
        write_feedback(
            x.path, rubric, results, units[x.unit], issued, stage, x.notes, x.told, x.followed, self_scores, templates
        )
        for x in letters
    ]
