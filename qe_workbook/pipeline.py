"""The office's collect-and-grade job: collect → score → write a new run folder."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .documents.release_scan import scan_remarks
from .extras import Extra, Scored, adopted_by, gathered
from .feedback.common import common_sheet
from .followup.exemplary import exemplars_sheet
from .forms.register import Register
from .intake.collect import CollectResult, Prefer, collect
from .intake.container import Limits
from .outputs.export import write_plain_outputs
from .outputs.master import write_master
from .outputs.run_outputs import RunOutputs
from .parallel import alongside, workers_for
from .problems import Problem, has_errors, problem
from .record.stages import compare_with_approved
from .rubric import Rubric
from .run_folder import new_run_folder, write_marker
from .scoring.diagnosis import key_diagnosis, withheld
from .scoring.score import Results

# From this many units a run writes its documents on spawned workers while it writes master.xlsx; below, all
# in this process. Measured in processor seconds on the 2022 items: master.xlsx and the plain outputs take
# 0.15 s at 8 units, 0.6 s at 50, 1.75 s at 180 (the documents 0.19, 0.9 and 2.76 s); a spawned worker takes
# about 0.8 s to start (the libraries it imports). On two cores the worker saves min(documents, master.xlsx −
# its start): nothing below about 80 units, about 1 s of 4.5 at 180.
PARALLEL_FROM_UNITS = 100


@dataclass(frozen=True)
class CollectOptions:
    """How a collect run goes: where it writes, its policies, and what its documents say."""

    out: Path  # the run folder is made inside it
    allow_partial: bool = False  # a missing score is a warning, not an error
    prefer: Prefer = Prefer.LATEST  # which of two differing forms of one department is taken
    limits: Limits | None = None  # what a returned file may claim (size, cells, time)
    reports: bool = True  # the letters, the 通报 draft and the public list
    issued: date | None = None  # the date printed on the documents
    register: Register | None = None  # the generation register (which forms were sent)
    key_file: str = ""  # the key's file, named when the key looks wrong
    progress: Callable[[str], None] | None = None  # told each returned file's name as it is read
    templates: Path | None = None  # the office's folder of Word templates (else the bundled ones)


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
    returned: Path, rubric: Rubric, key: bytes, options: CollectOptions, extras: Sequence[Extra] = ()
) -> RunReport:
    """Collect the returned forms, score them, and write everything into a new run folder inside `options.out`.

    With `options.reports`, the feedback documents, the 通报 draft and the public list go in too, dated
    `options.issued`. Each of `extras` (extras.py: adjustments, appeals, last year, self-scores) adds its
    problems, its master.xlsx sheets, what it adds to the letters and the files the run keeps; the meeting's
    adjustments decide the adopted result, which the documents carry.
    A run-level diagnosis (a wrong key, named by `options.key_file`) comes first among the problems; no
    document is written after it, nor while a unit has no accepted score at all.
    """
    out_parent = options.out
    collected = collect(returned, rubric, key, allow_partial=options.allow_partial, prefer=options.prefer,
                        limits=options.limits, progress=options.progress, register=options.register)  # fmt: skip
    adopted = adopted_by(extras, collected.frame, rubric)
    results, final = adopted.scored, adopted.results
    extra = gathered(extras, Scored(rubric, collected, adopted))
    problems = collected.problems + results.problems
    problems += compare_with_approved(out_parent, final)
    problems += scan_remarks(collected.frame)  # personal data in what the units will read
    problems += extra.problems
    letters = extra.letters
    claimed = sum(1 for s in collected.submissions if s.claimed)
    wrong_key = key_diagnosis(collected.problems, claimed, rubric, options.key_file)
    problems = [wrong_key, *problems] if wrong_key else problems
    withholding = withheld(final) if options.reports else None
    reports = options.reports and withholding is None and wrong_key is None  # nothing official from a wrong key
    problems += [withholding] if withholding else []
    if out_parent.resolve().is_relative_to(returned.resolve()):
        problems.append(problem("OUTPUT_INSIDE_RETURNED", out=str(out_parent)))
    with new_run_folder(out_parent) as (tmp, finish):
        workers = workers_for(len(final.units), PARALLEL_FROM_UNITS) if reports else 0
        jobs = []
        if reports:  # python-docx is loaded only by a run that writes documents
            from .documents.reports import report_jobs
            from .documents.templating import TemplateBroken

            try:  # a broken template stops every document before the first is written
                jobs = report_jobs(tmp, rubric, final, issued=options.issued, notes=letters.notes,
                                   followed=letters.followed, self_scores=letters.self_scores,
                                   letter_shares=workers, templates=options.templates)  # fmt: skip
            except TemplateBroken as broken:
                problems += broken.problems

        def tables() -> tuple[Path, dict[str, Path]]:
            sheets = [common_sheet(rubric, final), exemplars_sheet(rubric, final), *extra.sheets]
            master = write_master(tmp / "master.xlsx", rubric, final, collected, problems, sheets)
            return master, write_plain_outputs(tmp, rubric, adopted, collected, problems)

        (master, plain), documents = alongside(jobs, tables, workers=workers)
        kept = extra.keep(tmp) if extra.keep else []
        error_log = collected.errors.write(tmp)
        marker = write_marker(tmp)
        written = RunOutputs.written(
            tmp, master, list(plain.values()), documents, kept, [error_log] if error_log else [], marker
        )
        folder = finish()
    return RunReport(written.moved(folder), collected, final, problems)
