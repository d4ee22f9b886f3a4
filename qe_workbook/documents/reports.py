"""The results the office sends: feedback per unit, the 通报 draft and the public list.

`write_reports` writes them into a run folder (feedback under 反馈意见/); `record/reports_again.py`
rebuilds them from a finished run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from functools import partial
from pathlib import Path
from typing import TypedDict, Unpack

from ..choices import DRAFT_STAGE
from ..feedback.common import common_problems
from ..feedback.fed_back import FedBackList
from ..rubric import Rubric
from ..scoring.score import Results
from ..scoring.self_scores import Comparison
from .common_docx import write_common_documents
from .kinds import WORD_KINDS
from .letter_context import Followed
from .letter_notes import Notes, capped_note
from .letters import Letter, shares, write_share
from .notice_docx import title_mark, write_notice
from .public_list import write_public_list
from .templating import require_templates

FEEDBACK_DIR = "反馈意见"


def feedback_name(rubric: Rubric, unit: str) -> str:
    return f"{unit}_{rubric.year}年度质量工作考核反馈意见.docx"


def notice_name(rubric: Rubric, stage: str = DRAFT_STAGE) -> str:
    return f"{rubric.year}年度政府质量工作考核结果通报{title_mark(stage)}.docx"


class ReportOptions(TypedDict, total=False):
    """What the documents say besides the result (see `report_jobs`)."""

    issued: date | None
    stage: str
    notes: Notes | None
    provisional: bool | None
    told: FedBackList | None
    followed: Mapping[str, Followed] | None
    self_scores: Comparison | None
    templates: Path | None


def write_reports(folder: Path, rubric: Rubric, results: Results, **options: Unpack[ReportOptions]) -> list[Path]:
    """Write the feedback documents, the 通报 draft, the public list and each department's 共性问题 here, one
    after another; return the files written (see `report_jobs`)."""
    return [path for job in report_jobs(folder, rubric, results, **options) for path in job()]


def report_jobs(
    folder: Path, rubric: Rubric, results: Results, letter_shares: int = 1, **options: Unpack[ReportOptions]
) -> list[Callable[[], list[Path]]]:
    """The documents as jobs that pickle, each returning the files it wrote: the letters in `letter_shares`
    shares (by rank), then the 通报 draft, the public list and each department's 共性问题.

    `issued` is the date printed under the office's name (else the rubric's report_date, else today); `stage` is
    printed in every document's header, followed by （暂定） when the results are `provisional`
    (by default: when any unit's results are incomplete). `notes` follow each unit's result in its letter.
    `told` is the fed-back list (the office's wording); without it every letter gives the departments' own
    remarks. `followed`: each unit's rectification of last year's problems; `self_scores`: the units'
    self-scores against the evaluated scores. `templates`: the office's folder of Word templates (each replaces
    the bundled template of its name); every template is checked first, and a broken one raises `TemplateBroken`
    before any file is written.
    """
    notes, told, followed = options.get("notes"), options.get("told"), options.get("followed")
    self_scores, provisional = options.get("self_scores"), options.get("provisional")
    issued = options.get("issued") or rubric.report_date or date.today()
    stage = options.get("stage", DRAFT_STAGE)
    templates = options.get("templates")
    require_templates(WORD_KINDS, templates)
    if provisional is None:
        provisional = not all(u.complete for u in results.units)
    stage = f"{stage}（暂定）" if provisional else stage
    feedback_dir = folder / FEEDBACK_DIR
    feedback_dir.mkdir(parents=True, exist_ok=True)
    shown = rubric.disclosure.rank_in_letters
    capped = {d.unit: [capped_note(d, rank=shown)] for d in results.demotions}
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
    return [
        *(partial(write_share, share, rubric, results, issued, stage, self_scores, templates)
          for share in shares(letters, letter_shares)),
        partial(write_others, folder, rubric, results, issued, stage, told, templates),
    ]  # fmt: skip


def write_others(
    folder: Path, rubric: Rubric, results: Results, issued: date, stage: str, told: FedBackList | None,
    templates: Path | None = None,
) -> list[Path]:  # fmt: skip
    """The 通报 draft, the public list and each department's 共性问题."""
    written = [write_notice(folder / notice_name(rubric, stage), rubric, results, issued, stage, templates)]
    written += write_public_list(folder, rubric, results, issued, stage)
    found = common_problems(rubric, results, told)
    return written + write_common_documents(folder, rubric, found, len(results.units), issued, stage, templates)
