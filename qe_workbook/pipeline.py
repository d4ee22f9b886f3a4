"""The office's collect-and-grade job: collect → score → write a new run folder."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .beside import Beside
from .choices import ADJUSTMENTS_FILE
from .documents.release_scan import scan_remarks
from .forms.register import Register
from .intake.collect import CollectResult, Prefer, collect
from .intake.container import Limits
from .outputs.export import results_dict, write_plain_outputs
from .outputs.master import write_master
from .outputs.run_outputs import RunOutputs
from .outputs.year_over_year import compare_with_previous, letter_notes
from .problems import Problem, has_errors, problem
from .record.adopted import adopt
from .record.appeals import APPEAL_HEADER, read_appeals
from .record.appeals import FILE_NAME as APPEALS_FILE
from .record.kept_letters import keep_letter_sources
from .record.stages import compare_with_approved
from .rectify.previous import read_followed
from .rubric import Rubric
from .run_folder import new_run_folder, write_marker
from .scoring.diagnosis import key_diagnosis, withheld
from .scoring.score import Results
from .scoring.self_scores import SELF_SCORES_FILE, Comparison, read_self_scores, write_self_scores
from .scoring.self_scores import compare as compare_self_scores


@dataclass(frozen=True)
class CollectOptions:
    """How a collect run goes: where it writes, its policies, and what its documents say."""

    out: Path  # the run folder is made inside it
    allow_partial: bool = False  # a missing score is a warning, not an error
    prefer: Prefer = Prefer.NONE  # which of two differing forms of one department is taken
    limits: Limits | None = None  # what a returned file may claim (size, cells, time)
    reports: bool = True  # the letters, the 通报 draft and the public list
    issued: date | None = None  # the date printed on the documents
    register: Register | None = None  # the generation register (which forms were sent)
    key_file: str = ""  # the key's file, named when the key looks wrong
    progress: Callable[[str], None] | None = None  # told each returned file's name as it is read


@dataclass
class RunReport:
    outputs: RunOutputs
    collected: CollectResult
    results: Results  # as adopted
    problems: list[Problem]  # the collector's and the scorer's, in that order

    @property
    def folder(self) -> Path:
        return self.outputs.folder

    @property
    def clean(self) -> bool:
        """Every evaluator's form accepted and complete (a missing form is an error), no errors anywhere."""
        return not has_errors(self.problems) and all(u.complete for u in self.results.units)


def run_collect(
    returned: Path,
    rubric: Rubric,
    key: bytes,
    options: CollectOptions,
    *,
    adjustments: Path | None = None,
    appeals: Path | None = None,
    previous: Path | None = None,
    previous_ledger: Path | None = None,
    units_check: Path | None = None,
) -> RunReport:
    """Collect the returned forms, score them, and write everything into a new run folder.

    With `options.reports`, the feedback documents, the 通报 draft and the public list go in too, dated
    `options.issued`. With
    `adjustments` (adjustments.xlsx), the meeting's adjustments are applied after scoring: master.xlsx
    shows both results side by side, the documents carry the adjusted one, and the file is kept in the run.
    With `previous` (an earlier run folder), master.xlsx gets a 与上年比较 sheet and each letter a paragraph;
    the letters also show last year's problems and their rectification, from the ledger in that run folder
    (or `previous_ledger`, a 整改台账.json or the folder holding it).
    A run-level diagnosis (a wrong key, named by `options.key_file`) comes first among the problems; no
    document is written while a unit has no accepted score at all. With `units_check` (a `qe units check`
    run folder, or its 自评得分.json) and a rubric that asks for self-scoring, master.xlsx and the letters
    set each unit's self-scores against the evaluated scores, and the self-scores are kept in the run.
    """
    out_parent = options.out
    collected = collect(returned, rubric, key, allow_partial=options.allow_partial, prefer=options.prefer,
                        limits=options.limits, progress=options.progress, register=options.register)  # fmt: skip
    adopted = adopt(collected.frame, rubric, adjustments)
    results, final = adopted.scored, adopted.results
    appeal_list, appeal_problems = read_appeals(appeals, rubric) if appeals is not None else ([], [])
    problems = collected.problems + results.problems + adopted.problems + appeal_problems
    problems += compare_with_approved(out_parent, final)
    problems += scan_remarks(collected.frame)  # personal data in what the units will read
    yoy, yoy_problems = compare_with_previous(previous, results_dict(final, rubric)) if previous else (None, [])
    problems += yoy_problems
    own, own_problems = self_score_comparison(units_check, rubric, results) if units_check else (None, [])
    problems += own_problems
    notes = letter_notes(adopted.notes, yoy, rank=rubric.disclosure.rank_in_letters)
    ledger = previous_ledger or previous
    followed, followed_problems = read_followed(ledger, explicit=previous_ledger is not None) if ledger else ({}, [])
    problems += followed_problems
    claimed = sum(1 for s in collected.submissions if s.claimed)
    wrong_key = key_diagnosis(collected.problems, claimed, rubric, options.key_file)
    problems = [wrong_key, *problems] if wrong_key else problems
    withholding = withheld(final) if options.reports else None
    reports = options.reports and withholding is None
    problems += [withholding] if withholding else []
    if out_parent.resolve().is_relative_to(returned.resolve()):
        problems.append(problem("OUTPUT_INSIDE_RETURNED", out=str(out_parent)))
    with new_run_folder(out_parent) as (tmp, finish):
        documents_side = None
        if reports:  # python-docx is loaded only by a run that writes documents
            from .documents.reports import write_reports

            for u in final.units:  # the item view both sides read, computed once before they part
                _ = u.items
            documents_side = Beside(write_reports, (tmp, rubric, final),
                                    {"notes": notes, "issued": options.issued, "followed": followed, "self_scores": own})  # fmt: skip
        try:
            master = write_master(tmp / "master.xlsx", rubric, final, collected, problems, adjusted=adopted.table,
                                  appeals=(APPEAL_HEADER, [a.row() for a in appeal_list]) if appeals else None,
                                  previous=yoy, self_scores=own)  # fmt: skip
            plain = write_plain_outputs(tmp, rubric, adopted, collected, problems)
            documents = documents_side.result() if documents_side else []
        finally:
            if documents_side:
                documents_side.stop()
        kept = [write_self_scores(tmp / SELF_SCORES_FILE, own.book, rubric)] if own else []
        kept += keep_letter_sources(tmp, previous if yoy else None, followed)
        if adjustments is not None and adopted.adjusted:
            shutil.copyfile(adjustments, tmp / ADJUSTMENTS_FILE)
        if appeals is not None:
            shutil.copyfile(appeals, tmp / APPEALS_FILE)
        error_log = collected.errors.write(tmp)
        marker = write_marker(tmp)
        written = RunOutputs.written(
            tmp, master, list(plain.values()), documents, kept, [error_log] if error_log else [], marker
        )
        folder = finish()
    return RunReport(written.moved(folder), collected, final, problems)


def self_score_comparison(source: Path, rubric: Rubric, results: Results) -> tuple[Comparison | None, list[Problem]]:
    """The units' self-scores (from a `qe units check` run) against the evaluated scores, when the rubric asks."""
    if not rubric.self_scoring:
        return None, [problem("SELF_SCORES_NOT_ASKED", source=str(source))]
    book, problems = read_self_scores(source, rubric)
    if book is None:
        return None, problems
    missing = [u.name for u in rubric.units if u.name not in book.units]
    if missing:
        problems.append(problem("SELF_SCORES_UNIT_MISSING", count=len(missing), units=missing))
    return compare_self_scores(book, results, rubric), problems
