"""The feedback wording in a workspace: `qe feedback export <run> [--from out/review/反馈修改稿.xlsx]` writes the
sheet into the run folder; the office's edited sheet, uploaded, becomes out/review/反馈修改稿.xlsx, which the
reports, the approval and the rectification ledgers then use (registers.WORDING)."""

from __future__ import annotations

from pathlib import Path

from ..feedback.fed_back import fed_back_list
from ..feedback.wording import WordingExport, export_wording
from ..outputs.run_record import read_run
from ..problems import Problem
from ..rubric import Rubric
from .layout import Workspace
from .registers import WORDING, kept, replace_register


def export_in(ws: Workspace, run: Path, rubric: Rubric) -> WordingExport:
    """The run's 反馈修改稿 (in the run folder, never over an earlier one), carrying over the office's kept wording."""
    return export_wording(run, rubric, previous=kept(ws, WORDING))


def exported(run: Path) -> list[Path]:
    """The 反馈修改稿 files exported from `run`, oldest first."""
    return sorted(run.glob(f"{Path(WORDING.name).stem}*.xlsx"), key=lambda p: p.stat().st_mtime)


def upload_wording(ws: Workspace, data: bytes, run: Path, rubric: Rubric) -> tuple[Path | None, list[Problem]]:
    """Keep the office's edited sheet, then say what the letters of `run` would make of it (rows for another
    run, an item no longer noted, a 是否反馈 that is neither 是 nor 否)."""
    path, problems = replace_register(ws, WORDING, data, rubric)
    record, _ = read_run(run, rubric)
    if path is None or record is None or record.adoption is None:
        return path, problems
    told = fed_back_list(record.results, rubric, path)
    return path, [p for p in told.problems if p not in problems]
