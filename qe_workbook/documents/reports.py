"""The results the office sends: feedback per unit, the 通报 draft and the public list.

`write_reports` writes them into a run folder (feedback under 反馈意见/); `record/reports_again.py`
rebuilds them from a finished run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from ..feedback.common import common_problems
from ..feedback.fed_back import FedBackList
from ..rubric import Rubric
from ..scoring.score import Results
from ..scoring.self_scores import Comparison
from .common_docx import write_common_documents
from .feedback_docx import Followed
from .letters import Letter, write_letters
from .notice_docx import title_mark, write_notice
from .official_docx import DRAFT_STAGE
from .public_list import write_public_list

FEEDBACK_DIR = "反馈意见"


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
