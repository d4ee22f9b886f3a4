"""The adopted result of a run: scored (grade limits included), then the meeting's adjustments applied.

`adopt` scores a frame in hand (a fresh collect) and applies the adjustments in an adjustments.xlsx
(scoring/adopt.py does the arithmetic); `adopted_result` does the same for a finished run folder.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..outputs.detail import read_frame
from ..problems import Problem, problem
from ..rubric import Rubric
from ..scoring.adopt import Adoption
from ..scoring.results import Results
from ..scoring.score import score
from .adjustments import FILE_NAME as ADJUSTMENTS_FILE
from .adjustments import adjust


def adopt(frame: pd.DataFrame, rubric: Rubric, adjustments: Path | None) -> Adoption:
    """Score `frame` and apply the adjustments in `adjustments` (none when None or missing)."""
    return adjust(score(frame, rubric), adjustments, rubric)


def adopted_result(
    run_dir: Path, rubric: Rubric, adjustments: Path | None = None
) -> tuple[Adoption | None, list[Problem]]:
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
