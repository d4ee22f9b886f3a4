"""The adopted result of a run: scored (grade limits included), then the meeting's adjustments applied.

`adopted_result` reads a finished run folder (its detail.json, scored with the very rubric the run
recorded), re-scores it and applies the run's adjustments.xlsx (or the file given); `adopt` does the
same for a frame in hand (a fresh collect). `qe report`, `qe export`, `qe approve` and `qe diff` all
take their result from here, so they cannot disagree about which result was adopted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..intake.frame import read_frame
from ..problems import Problem, problem
from ..rubric import Rubric
from ..scoring.results import Results
from ..scoring.score import score
from .adjustments import FILE_NAME as ADJUSTMENTS_FILE
from .adjustments import AdjustedRun, Adjustment, adjust


@dataclass(frozen=True)
class AdoptedResult:
    scored: Results  # as scored, before the meeting's adjustments
    adjusted: AdjustedRun | None  # None when there was no adjustments file
    problems: list[Problem] = field(default_factory=list)  # the adjustments file's

    @property
    def results(self) -> Results:
        """The result as adopted: adjusted when there were adjustments, else as scored."""
        return self.adjusted.after if self.adjusted else self.scored

    @property
    def adjustments(self) -> list[Adjustment]:
        return self.adjusted.adjustments if self.adjusted else []

    @property
    def notes(self) -> dict[str, list[str]] | None:
        """Each adjusted unit's sentences for its letter (None without adjustments)."""
        return self.adjusted.notes if self.adjusted else None


def adopt(frame: pd.DataFrame, rubric: Rubric, adjustments: Path | None) -> AdoptedResult:
    """Score `frame` and apply the adjustments in `adjustments` (none when None or missing)."""
    scored = score(frame, rubric)
    adjusted, problems = adjust(scored, adjustments, rubric)
    return AdoptedResult(scored, adjusted, problems)


def adopted_result(
    run_dir: Path, rubric: Rubric, adjustments: Path | None = None
) -> tuple[AdoptedResult | None, list[Problem]]:
    """A finished run's adopted result: re-scored from its detail.json, with `adjustments` (default: the run's own
    adjustments.xlsx) applied. None with the problems when the run folder cannot be read."""
    frame, problems = read_run(run_dir, rubric)
    if frame is None:
        return None, problems
    return adopt(frame, rubric, adjustments or run_dir / ADJUSTMENTS_FILE), problems


def read_run(run_dir: Path, rubric: Rubric) -> tuple[pd.DataFrame | None, list[Problem]]:
    """A finished run's master frame from its detail.json, when it was scored with this rubric.

    Missing or damaged files are the run folder's problem (REPORT_RUN_INVALID), never a crash.
    """
    try:
        recorded = json.loads((run_dir / "results.json").read_text(encoding="utf-8")).get("rubric_hash")
        if recorded != rubric.content_hash:
            return None, [problem("REPORT_RUBRIC_MISMATCH", file=str(run_dir))]
        return read_frame(json.loads((run_dir / "detail.json").read_text(encoding="utf-8")), rubric), []
    except (OSError, ValueError, KeyError, TypeError, AttributeError, ArithmeticError):
        return None, [problem("REPORT_RUN_INVALID", file=str(run_dir))]


def rescore_run(run_dir: Path, rubric: Rubric) -> tuple[Results | None, list[Problem]]:
    """A finished run's results, re-scored from its detail.json with the rubric it was scored with (no adjustments)."""
    frame, problems = read_run(run_dir, rubric)
    return (None, problems) if frame is None else (score(frame, rubric), [])
