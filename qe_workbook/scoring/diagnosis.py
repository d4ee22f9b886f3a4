"""Run-level diagnoses, said once before the per-file problems: a wrong key, units without any score."""

from __future__ import annotations

from collections.abc import Sequence

from ..problems import Problem, problem
from ..rubric import Rubric
from .results import Results

KEY_WRONG = "KEY_PROBABLY_WRONG"  # most signatures fail: the office's key, not the forms
WITHHELD = "REPORTS_WITHHELD"  # no documents written for want of scores
DIAGNOSES = (KEY_WRONG, WITHHELD)  # the run-level diagnoses, said before and after everything else


def key_diagnosis(problems: Sequence[Problem], submissions: int, rubric: Rubric, key_file: str) -> Problem | None:
    """Most forms naming this year fail their signature: the key is probably not the one that made them."""
    failed = [p for p in problems if p.code == "FORM_SIGNATURE_INVALID" and p.params.get("year") == rubric.year]
    if not failed or len(failed) * 2 <= submissions:
        return None
    return problem(KEY_WRONG, failed=len(failed), total=submissions, year=rubric.year, key=key_file)


def units_without_scores(results: Results) -> list[str]:
    """Units for which not one score was accepted: ranking them would be meaningless."""
    return [u.unit for u in results.units if all(s.points is None for s in u.items)]


def withheld(results: Results) -> Problem | None:
    """Why no 通报, public list or feedback letter was written, if that is the case."""
    empty = units_without_scores(results)
    return problem(WITHHELD, units=empty, count=len(empty)) if empty else None
