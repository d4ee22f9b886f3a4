"""Every kind of document made from a Word template: what `qe templates export/check` lists and what a set of
documents is checked against before its first file is written; and, for `qe templates check`, how each kind's
contexts are made from a run's results."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from ..choices import Stage
from ..feedback.common import common_problems
from ..problems import Problem
from ..rubric import Rubric
from ..scoring.score import Results
from .common_docx import COMMON, common_context
from .feedback_kind import FEEDBACK
from .letter_context import letter_context
from .notice_docx import NOTICE, notice_context
from .self_report_kind import SELF_REPORT
from .sheet_notes import LEDGER_NOTES, PRECHECK_NOTES
from .templating import DocumentKind, TemplateBroken, render

WORD_KINDS: tuple[DocumentKind, ...] = (FEEDBACK, NOTICE, COMMON, SELF_REPORT)  # documents written as .docx
SHEET_KINDS: tuple[DocumentKind, ...] = (PRECHECK_NOTES, LEDGER_NOTES)  # sentences placed into workbooks
DOCUMENT_KINDS = WORD_KINDS + SHEET_KINDS

Contexts = Callable[[Rubric, Results, date], list[dict[str, Any]]]


def _common_contexts(rubric: Rubric, results: Results, issued: date) -> list[dict[str, Any]]:
    found = common_problems(rubric, results)
    return [
        common_context(rubric, evaluator, problems, len(results.units), issued, Stage.DRAFT)
        for evaluator, problems in found.items()
        if problems
    ][:2]


SAMPLE_CONTEXTS: dict[str, Contexts] = {
    FEEDBACK.name: lambda rubric, results, issued: [
        letter_context(rubric, results, unit, issued, Stage.DRAFT) for unit in results.by_rank()[:2]
    ],
    NOTICE.name: lambda rubric, results, issued: [notice_context(rubric, results, issued)],
    COMMON.name: _common_contexts,
}


def render_samples(
    kinds: tuple[DocumentKind, ...], rubric: Rubric, results: Results, issued: date, templates: Path | None
) -> list[Problem]:
    """The problems of filling each kind's template with contexts made from `results` (a sample run)."""
    found: list[Problem] = []
    for kind in kinds:
        for context in SAMPLE_CONTEXTS.get(kind.name, lambda *_: [])(rubric, results, issued):
            try:
                render(kind, context, templates)
            except TemplateBroken as exc:
                found += [p for p in exc.problems if p not in found]
                break
    return found
