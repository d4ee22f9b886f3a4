"""Correction forms: a signed form holding only some units' rows of one department.

It is the department's evaluation form (same generator, look, locking, validation and signature)
cut down to the chosen units, with one more locked column: the value the office currently adopts
for each row (from a finished run), for reference. `qe collect` puts an accepted correction over
the department's earlier values for those units only (`intake/corrections.py`). Every correction
is recorded in the generation register as a generation of kind "correction".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..forms.asks import Ask
from ..forms.generate import FormFile, write_form
from ..forms.layout import correction_file_name
from ..forms.manifest import derive
from ..forms.register import CORRECTION, FormRecord, Register
from ..outputs.run_record import read_run
from ..problems import Problem, problem
from ..rubric import Rubric

NOT_ADOPTED = "（未采用）"  # the run has no valid value for the row
UNFILLED = "（未填）"


@dataclass
class CorrectionReport:
    evaluator: str
    units: list[str]
    form: FormFile | None = None
    reference_run: str = ""  # the run whose adopted values the reference column shows
    generation: int | None = None  # its number in the generation register
    problems: list[Problem] = field(default_factory=list)


def issue_correction(
    rubric: Rubric,
    evaluator: str,
    units: Sequence[str],
    out_dir: Path,
    key: bytes,
    *,
    run: Path | None = None,
    register: Register | None = None,
    generated_at: datetime | None = None,
    password: str | None = None,
) -> CorrectionReport:
    """Write a correction form for `evaluator` holding only `units`' rows into `out_dir`; with `run`, the
    reference column shows that run's adopted values; with `register`, the form is recorded there."""
    ev = rubric.evaluator(evaluator)
    known = {u.name for u in rubric.units}
    unknown = [u for u in units if u not in known]
    report = CorrectionReport(ev.name if ev else evaluator, [u.name for u in rubric.units if u.name in units])
    if ev is None or unknown or not units:
        what = [evaluator] if ev is None else unknown or ["（未指定被考核单位）"]
        report.problems.append(problem("CORRECTION_UNKNOWN", names=what))
        return report
    if not rubric.items_for(ev.name):
        report.problems.append(problem("CORRECTION_NO_ITEMS", evaluator=ev.name))
        return report
    reference: dict[tuple[str, str, int], str] = {}
    if run is not None:
        found, problems = adopted_values(run, rubric, ev.name)
        report.problems += problems
        if found is None:
            return report
        reference, report.reference_run = found, str(run)
    else:
        report.problems.append(problem("CORRECTION_NO_REFERENCE"))
    when = (generated_at or datetime.now()).replace(microsecond=0)
    path, n = out_dir / correction_file_name(rubric, ev, report.units, f"{when:%Y%m%d-%H%M%S}"), 1
    while path.exists():  # another correction in the same second: never overwritten, its own name and id
        n += 1
        path = out_dir / correction_file_name(rubric, ev, report.units, f"{when:%Y%m%d-%H%M%S}-{n}")
    out_dir.mkdir(parents=True, exist_ok=True)
    form_id = derive(key, "correction-id", rubric.content_hash, ev.name, *report.units, when.isoformat(), path.name)
    report.form = write_form(rubric, ev, path, key, form_id=form_id, when=when, password=password, units=report.units,
                             reference=reference)  # fmt: skip
    if register is not None:
        generation = register.add(
            kind=CORRECTION, generated_at=when.isoformat(), seed="", year=rubric.year,
            rubric_hash=rubric.content_hash, folder=str(out_dir),
            forms=[FormRecord(ev.name, form_id, path.name, tuple(report.units))],
        )  # fmt: skip
        register.save()
        report.generation = generation.number
    return report


def adopted_values(
    run: Path, rubric: Rubric, evaluator: str
) -> tuple[dict[tuple[str, str, int], str] | None, list[Problem]]:
    """What a finished run adopted from `evaluator` for each (unit, item id, entry), as the form shows it."""
    record, problems = read_run(run, rubric, official="mails")
    if record is None:
        return None, problems
    frame = record.results.frame
    own = frame[frame["evaluator"] == evaluator]
    shown: dict[tuple[str, str, int], str] = {}
    for unit, item_id, entry, raw, valid in zip(own["unit"], own["item_id"], own["entry"], own["raw"], own["valid"],
                                                strict=True):  # fmt: skip
        text = str(raw) if isinstance(raw, str) else ""
        ask = Ask.of(rubric.item(str(item_id)), int(entry))
        key = (str(unit), str(item_id), int(entry))
        if not valid:
            shown[key] = NOT_ADOPTED if text else UNFILLED
        else:
            shown[key] = f"{text}{ask.asked.unit}" if ask.counts else text  # 2次, 3项
    return shown, []


def latest_run(parent: Path) -> Path | None:
    """The newest finished run folder under `parent` (run folders are named by time), if any."""
    if not parent.is_dir():
        return None
    runs = [
        p for p in parent.iterdir() if p.is_dir() and (p / "detail.json").is_file() and (p / "results.json").is_file()
    ]
    return max(runs, key=lambda p: p.name, default=None)
