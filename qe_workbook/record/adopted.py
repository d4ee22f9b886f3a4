"""The adopted result of a run: scored (grade limits included), then the meeting's adjustments applied.

`adopt` scores a frame in hand (a fresh collect) and applies the adjustments in an adjustments.xlsx
(scoring/adopt.py does the arithmetic); `adopted_result` reads a finished run folder through the one
run reader (outputs/run_record.py) with the adjustments of the run's own adjustments.xlsx, or of
the file given.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd

from ..choices import ADJUSTMENTS_FILE
from ..outputs.run_record import Official, read_run
from ..problems import Problem
from ..rubric import Rubric
from ..scoring.adopt import Adoption
from ..scoring.score import score
from .adjustments import adjust, read_adjustments


def adopt(frame: pd.DataFrame, rubric: Rubric, adjustments: Path | None) -> Adoption:
    """Score `frame` and apply the adjustments in `adjustments` (none when None or missing)."""
    return adjust(score(frame, rubric), adjustments, rubric)


def adopted_result(
    run_dir: Path, rubric: Rubric, adjustments: Path | None = None, *, official: Official | None = None
) -> tuple[Adoption | None, list[Problem]]:
    """A finished run read with its rubric (`read_run`), adopted with the adjustments in `adjustments` (default: the run's own
    adjustments.xlsx, else those results.json records); the file's problems are the adoption's. None with the
    problems when the run folder cannot be read, or, read for `official` documents, must not yield them."""
    path = adjustments or run_dir / ADJUSTMENTS_FILE
    found, trouble = read_adjustments(path, rubric) if path.exists() else (None, [])
    record, problems = read_run(run_dir, rubric, adjustments=found, official=official)
    if record is None or record.adoption is None:
        return None, problems
    return replace(record.adoption, problems=trouble), problems
