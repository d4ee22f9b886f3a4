"""The results the office sends: feedback per unit, the 通报 draft and the public list.

`write_reports` writes them into a run folder (feedback under 反馈意见/); `report_run` rebuilds
them from a finished run's detail.json, re-scored with the rubric.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from ..errorlog import ErrorLog
from ..feedback.fed_back import FedBackList, fed_back_list
from ..followup.common import common_problems
from ..followup.common_docx import write_common_documents
from ..problems import Problem
from ..record.adjustments import FILE_NAME as ADJUSTMENTS_FILE
from ..record.adopted import adopt, read_run
from ..record.stages import compare_with_approved
from ..rectify.previous import Followed
from ..rubric import Rubric
from ..run_folder import new_run_folder
from ..scoring.score import Results
from ..scoring.self_scores import SELF_SCORES_FILE, Comparison, compare, read_self_scores
from .letters import Letter, write_letters
from .notice_docx import title_mark, write_notice
from .official_docx import DRAFT_STAGE
from .public_list import write_public_list
from .release_scan import scan_fed_back, scan_remarks

FEEDBACK_DIR = "反馈意见"
REPORTS_AGAIN = "重新生成的报告"


def feedback_name(rubric: Rubric, unit: str) -> str:
    return f"{unit}_{rubric.year}年度质量工作考核反馈意见.docx"


def notice_name(rubric: Rubric, stage: str = DRAFT_STAGE) -> str:
    return f"{rubric.year}年度政府质量工作考核结果通报{title_mark(stage)}.docx"


def write_reports(
    folder: Path,
    rubric: Rubric,
    results: Results,
    *,
    issued: date | None = None,
    stage: str = DRAFT_STAGE,
    notes: Mapping[str, Sequence[str]] | None = None,
    provisional: bool | None = None,
    told: FedBackList | None = None,
    followed: Mapping[str, Followed] | None = None,
    self_scores: Comparison | None = None,
) -> list[Path]:
    """Write the feedback documents, the 通报 draft, the public list and each department's 共性问题; return the
    files written.

    `issued` is the date printed under the office's name (else the rubric's report_date, else today); `stage` is
    printed in every document's header, followed by （暂定） when the results are `provisional`
    (by default: when any unit's results are incomplete). `told` is the fed-back list (the office's wording);
    without it every letter gives the departments' own remarks. `followed`: each unit's rectification of last
    year's problems (rectify/previous.py).
    """
    issued = issued or rubric.report_date or date.today()
    if provisional is None:
        provisional = not all(u.complete for u in results.units)
    stage = f"{stage}（暂定）" if provisional else stage
    feedback_dir = folder / FEEDBACK_DIR
    feedback_dir.mkdir(parents=True, exist_ok=True)
    capped = {d.unit: [f"按考核细则的等级数量上限，你单位{d.sentence()}。"] for d in results.demotions}
    letters = [
        Letter(
            feedback_dir / feedback_name(rubric, u.unit),
            u.unit,
            (*capped.get(u.unit, ()), *(notes or {}).get(u.unit, ())),
            told.by_item(u.unit) if told is not None else None,
            (followed or {}).get(u.unit),
        )
        for u in results.by_rank()
    ]

    def others() -> list[Path]:
        written = [write_notice(folder / notice_name(rubric, stage), rubric, results, issued, stage)]
        written += write_public_list(folder, rubric, results, issued, stage)
        found = common_problems(rubric, results, told)
        return written + write_common_documents(folder, rubric, found, len(results.units), issued, stage)

    return write_letters(letters, rubric, results, issued, stage, self_scores, meanwhile=others)


def report_run(
    run_dir: Path,
    rubric: Rubric,
    out_parent: Path | None = None,
    *,
    issued: date | None = None,
    adjustments: Path | None = None,
    feedback: Path | None = None,
) -> tuple[list[Path], list[Problem]]:
    """Re-score a finished run (its detail.json) and write its reports into a new folder; the
    adjustments (the given file, else the run's own adjustments.xlsx) are applied after scoring; with
    `feedback` (a 反馈修改稿.xlsx) the letters say what the office wrote there (feedback/fed_back.py).

    The new folder is `<out_parent>/<time>` (default parent: `<run_dir>/重新生成的报告`), written
    aside and renamed like a run folder, so nothing already there is ever overwritten. The run
    must have been scored with this very rubric (results.json records its hash). A defect in the
    scoring or writing leaves the new folder holding only error.log (INTERNAL_ERROR). The self-scores
    the run kept (自评得分.json) are compared in the letters again.
    """
    frame, problems = read_run(run_dir, rubric)
    if frame is None:
        return [], problems
    problems += scan_remarks(frame)
    errors = ErrorLog()
    with new_run_folder(out_parent or run_dir / REPORTS_AGAIN) as (tmp, finish):
        try:  # scoring inside: a defect there, too, leaves only error.log
            adopted = adopt(frame, rubric, adjustments or run_dir / ADJUSTMENTS_FILE)
            own = _kept_self_scores(run_dir, rubric, adopted.scored, problems)
            problems += adopted.problems
            results, notes = adopted.results, adopted.notes
            told = fed_back_list(results, rubric, feedback) if feedback is not None else None
            problems += told.problems if told is not None else []
            problems += scan_fed_back(told, str(feedback)) if told is not None else []
            written = write_reports(tmp, rubric, results, issued=issued, notes=notes, told=told, self_scores=own)
        except Exception as exc:  # our defect, not the run folder's: no half-written reports, the trace kept
            problems.append(errors.internal(str(run_dir), exc, file=str(run_dir)))
            shutil.rmtree(tmp)
            tmp.mkdir()
            written = [path for path in [errors.write(tmp)] if path is not None]
        folder = finish()
    if errors.entries:
        return [folder / p.relative_to(tmp) for p in written], problems
    return [folder / p.relative_to(tmp) for p in written], problems + compare_with_approved(run_dir.parent, results)


def _kept_self_scores(run_dir: Path, rubric: Rubric, results: Results, problems: list[Problem]) -> Comparison | None:
    """The comparison with the self-scores a run kept, if it kept any."""
    if not (rubric.self_scoring and (run_dir / SELF_SCORES_FILE).is_file()):
        return None
    book, found = read_self_scores(run_dir / SELF_SCORES_FILE, rubric)
    problems += found
    return compare(book, results, rubric) if book else None
