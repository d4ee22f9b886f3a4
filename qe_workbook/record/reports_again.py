"""A finished run's reports written again (`qe report`): read back by `read_run`, re-scored from its detail.json."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from ..documents.kinds import WORD_KINDS
from ..documents.release_scan import scan_fed_back, scan_remarks
from ..documents.reports import write_reports
from ..documents.templating import check_templates
from ..errorlog import ErrorLog
from ..feedback.fed_back import fed_back_list
from ..problems import Problem
from ..rubric import Rubric
from ..run_folder import new_run_folder
from .adopted import adopted_result
from .kept_letters import kept_letter_inputs
from .stages import compare_with_approved

REPORTS_AGAIN = "重新生成的报告"


def report_run(
    run_dir: Path,
    rubric: Rubric,
    out_parent: Path | None = None,
    *,
    issued: date | None = None,
    adjustments: Path | None = None,
    feedback: Path | None = None,
    templates: Path | None = None,
) -> tuple[list[Path], list[Problem]]:
    """Read a finished run (`read_run`: its detail.json re-scored) and write its reports into a new folder; the
    adjustments (the given file, else the run's own adjustments.xlsx) are applied after scoring; with
    `feedback` (a 反馈修改稿.xlsx) the letters say what the office wrote there (feedback/fed_back.py); `templates` is the
    office's folder of document templates (else the bundled ones).

    The new folder is `<out_parent>/<time>` (default parent: `<run_dir>/重新生成的报告`), written
    aside and renamed like a run folder, so nothing already there is ever overwritten. The run
    must have been scored with this very rubric (results.json records its hash). A defect in the
    writing leaves the new folder holding only error.log (INTERNAL_ERROR). The letters carry every section the
    run's own letters carried, from what the run kept (kept_letters.py).
    """
    adopted, problems = adopted_result(run_dir, rubric, adjustments, official="documents")
    if adopted is None:
        return [], problems
    problems += scan_remarks(adopted.scored.frame)
    broken = check_templates(WORD_KINDS, templates)
    if broken:  # not one document from a set with a broken template
        return [], problems + broken
    errors = ErrorLog()
    with new_run_folder(out_parent or run_dir / REPORTS_AGAIN) as (tmp, finish):
        try:
            kept, found = kept_letter_inputs(run_dir, rubric, adopted)
            problems += found + adopted.problems
            results = adopted.results
            told = fed_back_list(results, rubric, feedback) if feedback is not None else None
            problems += told.problems if told is not None else []
            problems += scan_fed_back(told, str(feedback)) if told is not None else []
            written = write_reports(tmp, rubric, results, issued=issued, notes=kept.notes, told=told,
                                    followed=kept.followed, self_scores=kept.self_scores, templates=templates)  # fmt: skip
        except Exception as exc:  # our defect, not the run folder's: no half-written reports, the trace kept
            problems.append(errors.internal(str(run_dir), exc, file=str(run_dir)))
            shutil.rmtree(tmp)
            tmp.mkdir()
            written = [path for path in [errors.write(tmp)] if path is not None]
        folder = finish()
    if errors.entries:
        return [folder / p.relative_to(tmp) for p in written], problems
    return [folder / p.relative_to(tmp) for p in written], problems + compare_with_approved(run_dir.parent, results)
