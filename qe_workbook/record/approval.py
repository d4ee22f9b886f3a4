"""The frozen 审定稿: who approved which run, when, on what basis, and a fingerprint of what was approved.

`approve_run` appends a record to the run folder's 审定记录.json (the only file ever added to a
finished run folder; earlier records are kept) and writes the run's documents labelled with the
stage into `<run>/<stage>/`. Later runs compare themselves with it (stages.compare_with_approved);
their own documents stay 初稿.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..choices import ADJUSTMENTS_FILE
from ..documents.kinds import WORD_KINDS
from ..documents.reports import write_reports
from ..documents.templating import check_templates
from ..feedback.fed_back import FILE_NAME as WORDING_FILE
from ..feedback.fed_back import fed_back_list
from ..problems import Problem, has_errors, problem
from ..rubric import Rubric
from ..run_folder import new_run_folder
from .adopted import adopted_result
from .kept_letters import KEPT_FOR_LETTERS, kept_letter_inputs
from .stages import APPROVAL_FILE, FINAL_STAGES, STAGES, Stage, StageRecord, current_stage, read_stages, unit_lines

FINGERPRINTED = ("audit.json", "results.json", "detail.json")  # the inputs (with their SHA-256) and the results


def fingerprint(run_dir: Path, rubric: Rubric, documents: Path | None = None) -> dict[str, str]:
    """SHA-256 of the run's inputs (audit.json lists every input file with its own SHA-256), the
    rubric, the adjustments (when the run had any), what the run kept of last year for its letters (when it was
    compared with last year), the office's wording of the feedback kept with a stage's `documents` (when the
    letters were written from one) and the results; `run` covers them all.

    Approval records it once its documents are written and the archive recomputes it from the same folder."""
    parts = {name: _sha256(run_dir / name) for name in FINGERPRINTED}
    parts["rubric"] = rubric.content_hash
    adjustments = run_dir / ADJUSTMENTS_FILE
    parts["adjustments"] = _sha256(adjustments) if adjustments.is_file() else ""
    parts |= {name: _sha256(run_dir / name) for name in KEPT_FOR_LETTERS if (run_dir / name).is_file()}
    wording = documents / WORDING_FILE if documents is not None else None
    if wording is not None and wording.is_file():
        parts["feedback"] = _sha256(wording)
    parts["run"] = hashlib.sha256("\n".join(f"{k}={v}" for k, v in sorted(parts.items())).encode()).hexdigest()
    return parts


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class Approval:
    record: StageRecord
    documents: Path  # the folder of the run's documents labelled with the stage


def approve_run(
    run_dir: Path,
    rubric: Rubric,
    stage: Stage,
    basis: str,
    *,
    by: str | None = None,
    now: datetime | None = None,
    feedback: Path | None = None,
    templates: Path | None = None,
) -> tuple[Approval | None, list[Problem]]:
    """Record `stage` for a finished run and write its documents labelled with that stage, with every section its
    own letters carried; with `feedback` (the office's 反馈修改稿.xlsx) the letters say what the office wrote, and a
    copy of it is kept with them; `templates` is the office's folder of document templates (else the bundled ones)."""
    adopted, problems = adopted_result(run_dir, rubric, official="documents")
    if adopted is None:
        return None, problems
    if adopted.problems:
        return None, adopted.problems
    results = adopted.results
    where = str(run_dir)
    current = current_stage(run_dir)
    if STAGES.index(stage) <= STAGES.index(current):
        return None, [problem("APPROVE_STAGE_NOT_LATER", file=where, current=current, stage=stage)]
    if stage in FINAL_STAGES and not all(u.complete for u in results.units):
        pending = [u.unit for u in results.units if not u.complete]
        return None, [problem("APPROVE_INCOMPLETE", file=where, stage=stage, units=pending)]
    if not basis.strip():
        return None, [problem("APPROVE_NO_BASIS", file=where, stage=stage)]
    told = fed_back_list(results, rubric, feedback) if feedback is not None else None
    if told is not None and has_errors(told.problems):
        return None, told.problems
    broken = check_templates(WORD_KINDS, templates)
    if broken:  # the stage is not recorded without its documents
        return None, broken
    when = (now or datetime.now()).replace(microsecond=0)
    with new_run_folder(run_dir / stage, when) as (tmp, finish):
        kept, _ = kept_letter_inputs(run_dir, rubric, adopted)  # read when the run was collected
        write_reports(tmp, rubric, results, issued=when.date(), stage=stage, notes=kept.notes, told=told,
                      followed=kept.followed, self_scores=kept.self_scores, templates=templates)  # fmt: skip
        if feedback is not None:
            shutil.copyfile(feedback, tmp / WORDING_FILE)
        documents = finish()
    record = StageRecord(stage, by or _user(), when.isoformat(), basis.strip(), fingerprint(run_dir, rubric, documents),
                         unit_lines(results))  # fmt: skip
    _write_records(run_dir, [*read_stages(run_dir), record])
    return Approval(record, documents), told.problems if told is not None else []


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return ""


def _write_records(run_dir: Path, records: list[StageRecord]) -> None:
    """Replace 审定记录.json in one step (written aside, then renamed over)."""
    path = run_dir / APPROVAL_FILE
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    text = json.dumps({"records": [r.to_dict() for r in records]}, ensure_ascii=False, indent=2)
    tmp.write_text(text + "\n", encoding="utf-8")
    os.replace(tmp, path)
