"""Collect the returned forms into one long pandas frame, with every problem found on the way.

One bad file never stops the run: each file is read in isolation and whatever goes wrong with
it becomes problems attached to that file. Inputs are only ever opened for reading.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from ..choices import Prefer as Prefer
from ..dates import chinese_date
from ..errorlog import ErrorLog
from ..forms.check_code import expected_codes
from ..forms.layout import FORM_SHEET
from ..forms.register import Register
from ..problems import CATALOGUE, Problem, Severity, has_errors, os_error_text, problem
from ..rubric import Rubric
from ..workbooks import OUTPUT_PROPERTY
from .archives import REFUSED, unpack_archives
from .blank_copies import set_aside_blank_copies
from .check_form import EVALUATION, check_integrity
from .check_values import read_values
from .chosen import Choice, chosen_among, read_choices
from .companions import set_aside_companions
from .container import Limits, too_large
from .corrections import apply_corrections
from .discover import NOT_A_FORM, WRONG_FORMAT, Found, discover
from .frame import build_frame
from .future_dates import mark_future_fill_dates
from .generations import retire_superseded
from .one_handle import NotRegular, read_regular
from .receipts import FORM_MATERIAL, OFFICE_TZ, ReceiptBook, late_problem, load_receipts
from .returns import Returns, latest, same_returns
from .sender import department_names, file_receipt, named_in_path, named_on_sheet, recognise_senders
from .standing import standing
from .submission import Status, Submission

OWN_OUTPUT = "FILE_OWN_OUTPUT"


@dataclass
class CollectResult:
    frame: pd.DataFrame
    problems: list[Problem]
    submissions: list[Submission]
    ignored: list[str]
    errors: ErrorLog = field(default_factory=ErrorLog)  # tracebacks of internal errors, for error.log

    def accepted(self) -> list[Submission]:
        return [s for s in self.submissions if s.status == Status.ACCEPTED]


def read_submission(
    path: Path,
    file: str,
    rubric: Rubric,
    key: bytes,
    *,
    allow_partial: bool,
    limits: Limits,
    errors: ErrorLog,
    returns: Returns,
) -> Submission:
    """Read and check one file (its values in the isolated child of the `returns` session); never raises for
    anything the file contains.

    Whatever the file holds comes back as problems from the checks themselves; an exception that
    still gets here is a defect of this program (INTERNAL_ERROR, traceback kept in `errors`).
    """
    sub = Submission(file, "", 0)
    try:
        data, sub.size = read_regular(path, limits.max_file_bytes)  # a huge file is never loaded
        sub.modified = path.lstat().st_mtime  # orders the versions of one department's form
    except NotRegular as exc:  # it changed since discovery looked at it
        sub.problems.append(problem(exc.code, file=file, severity=Severity.ERROR))
        return _decide(sub)
    except OSError as exc:
        data = None
        sub.problems.append(problem("FILE_UNREADABLE", file=file, reason=os_error_text(exc)))
    else:
        if data is None:
            sub.problems.append(too_large(sub.size, file, limits))
    if data is not None:
        sub.sha256 = hashlib.sha256(data).hexdigest()
        try:
            _check(sub, data, rubric, key, allow_partial, returns)
        except Exception as exc:  # a defect here must not end the run, nor be blamed on the file
            sub.problems.append(errors.internal(file, exc, file=file))
    return _decide(sub)


def _decide(sub: Submission) -> Submission:
    """Accepted only when the file is an authentic form of a known evaluator without file/form errors."""
    fault = next((p for p in sub.problems if p.code == "INTERNAL_ERROR"), None)
    if fault is not None:  # the program failed on it: the department is not asked to send it again
        sub.status, sub.reason, sub.entries = Status.FAULTED, fault.message, []
    elif has_errors(p for p in sub.problems if p.code.startswith(("FILE_", "FORM_"))) or not sub.evaluator:
        sub.status = Status.REJECTED
        first = next((p for p in sub.problems if p.severity is Severity.ERROR), None)
        sub.reason = first.message if first else "未能识别评价表"
        sub.entries = []
    else:
        sub.status = Status.ACCEPTED
    return sub


def unusable_returns(found: Found) -> list[Submission]:
    """A form saved as .csv, or printed to PDF, scanned, photographed: not read, but received from its
    sender (received but unusable, so the office asks for the .xlsx instead of chasing a missing form).
    A scan's reason says what it is (what to do follows from its standing); a format's says how to save it."""
    return [
        Submission(p.file, "", 0, status=Status.UNUSABLE, reason=_reason(p))
        for p in found.problems
        if p.code in (*WRONG_FORMAT, NOT_A_FORM, REFUSED) and p.file
    ]


def _reason(found: Problem) -> str:
    if found.code == NOT_A_FORM:
        return found.message.removesuffix(CATALOGUE[found.code].fix).rstrip("。")
    return found.message


def unclaimed_are_notes(found: Found, submissions: list[Submission]) -> None:
    """A file saved in another format that no department can be recognised as having sent (a stray
    results.csv, an export) is no department's return: what it is becomes a note, not an error."""
    nobody = {s.file for s in submissions if s.status is Status.UNUSABLE and not s.owner}
    found.problems = [replace(p, severity=Severity.INFO) if p.code in WRONG_FORMAT and p.file in nobody else p
                      for p in found.problems]  # fmt: skip


def guess_evaluator(file: str, rubric: Rubric) -> str | None:
    """The department a file's path names (its name, else its innermost folder naming one), if any."""
    return named_in_path(file, department_names(rubric))


def _check(sub: Submission, data: bytes, rubric: Rubric, key: bytes, allow_partial: bool, returns: Returns) -> None:
    raw, problems = returns.open(data, sub.file)
    sub.problems += problems
    if raw is None:
        return
    if OUTPUT_PROPERTY in raw.properties:  # master.xlsx, 公告名单.xlsx …: never a department's return
        sub.problems.append(problem(OWN_OUTPUT, file=sub.file, kind=raw.properties[OUTPUT_PROPERTY]))
        return
    integrity = check_integrity(raw, rubric, key, sub.file)
    sub.problems += integrity.problems
    if integrity.manifest is not None:
        sub.form_id = integrity.manifest.form_id
        sub.claimed = integrity.manifest.evaluator
    else:  # a table copied into a new workbook still names its department on its owner line
        sub.guessed = named_on_sheet(raw, department_names(rubric))
    spec = integrity.spec
    if not integrity.ok or spec is None:
        return
    if not raw.scan.protected:
        sub.problems.append(problem("FORM_UNPROTECTED", file=sub.file, sheet=spec.sheet))
    sub.evaluator = spec.owner
    sub.key = EVALUATION.kind.key(spec.owner, integrity.manifest)
    if integrity.manifest is not None:
        sub.units, sub.generated_at = integrity.manifest.unit_names, integrity.manifest.generated_at
    values = read_values(raw, spec, sub.file, allow_partial=allow_partial)
    sub.entries, sub.fill_date = values.entries, values.fill_date
    sub.check_code = expected_codes(raw.cell, list(spec.rows))
    sub.problems += values.problems


def resolve_duplicates(submissions: list[Submission], prefer: Prefer, choices: Sequence[Choice] = ()) -> list[Problem]:
    """Two files for one evaluator (or two copies of one correction form): identical ones are harmless;
    of different ones the version the office chose among them (`choices`), else the latest (`Prefer.LATEST`: by receipt time, then 填报日期, then file time;
    `Prefer.NEWEST`: by 填报日期) is adopted and the others superseded; versions that cannot be ordered
    (or every version, with `Prefer.NONE`) are a conflict. Different correction forms are ordered by
    `apply_corrections`."""
    problems: list[Problem] = []
    accepted = [s for s in submissions if s.status == Status.ACCEPTED and s.evaluator]
    for group in same_returns(accepted, lambda s: s.key, Submission.values_key).values():
        subs = group.returns
        if len(subs) < 2:
            continue
        evaluator, names = subs[0].evaluator, [s.file for s in subs]

        def mark(sub: Submission, status: Status, reason: str, code: str, **params: Any) -> None:
            sub.status, sub.reason = status, reason
            problems.append(problem(code, file=sub.file, **params))

        if len(group.versions) == 1:
            for dup, kept in group.copies:
                mark(dup, Status.DUPLICATE, f"与 {kept.file} 内容相同", "SUBMISSION_DUPLICATE_IDENTICAL",
                     evaluator=evaluator, kept=kept.file)  # fmt: skip
            continue
        choice, outdated = chosen_among(choices, evaluator, {s.sha256 for s in subs})
        if choice is not None:
            kept = next(s for s in subs if s.sha256 == choice.sha256)
            for other in (s for s in subs if s is not kept):
                mark(other, Status.SUPERSEDED, f"市质强办选定采用 {kept.file}", "SUBMISSION_CHOSEN",
                     evaluator=evaluator, count=len(subs), when=choice.shown_time, kept=kept.file)  # fmt: skip
            continue
        if outdated:
            problems.append(problem("SUBMISSION_CHOICE_OUTDATED", evaluator=evaluator, count=len(subs)))
        orders = VERSION_ORDERS[prefer](subs)
        found = latest(subs, [(name, key) for name, key, _shown in orders])
        if found is not None:
            kept, by = found
            shown = next(show for name, _key, show in orders if name == by)
            for other in (s for s in subs if s is not kept):
                mark(other, Status.SUPERSEDED, f"已采用{by}更晚的 {kept.file}", "SUBMISSION_SUPERSEDED",
                     evaluator=evaluator, count=len(subs), files=names, by=by, when=shown(kept), kept=kept.file)  # fmt: skip
            continue
        code = "SUBMISSION_NEWEST_UNDECIDED" if prefer == Prefer.NEWEST else "SUBMISSION_DUPLICATE"
        why = {Prefer.LATEST: "收到时间、填报日期和文件修改时间都相同，无法判断哪一份最新",
               Prefer.NEWEST: "填报日期相同或缺失", Prefer.NONE: "按 --prefer none 不自动选择"}[prefer]  # fmt: skip
        for sub in subs:
            mark(sub, Status.CONFLICT, f"{evaluator}有 {len(subs)} 份内容不同的评价表（{why}）；"
                 "请该部门确认以哪一份为准，只保留那一份", code,
                 evaluator=evaluator, count=len(subs), files=names, why=why)  # fmt: skip
    return problems


Order = tuple[str, Callable[[Submission], Any], Callable[[Submission], str]]  # name, key, the key as shown


def _version_orders(subs: Sequence[Submission]) -> list[Order]:
    """Receipt time (by the day only when a register gave one of them without a time), then 填报日期,
    then the file's modification time."""
    by_day = any(s.receipt is not None and s.receipt.date_only for s in subs)

    def received(s: Submission) -> Any:
        return None if s.receipt is None else (s.receipt.local_time.date() if by_day else s.receipt.local_time)

    def modified(s: Submission) -> str:
        return f"{datetime.fromtimestamp(s.modified or 0, OFFICE_TZ):%Y-%m-%d %H:%M:%S}"

    return [
        ("收到时间", received, lambda s: s.receipt.shown_time() if s.receipt else ""),
        *_fill_date_order(subs),
        ("文件修改时间", lambda s: s.modified, modified),
    ]


def _fill_date_order(_subs: Sequence[Submission]) -> list[Order]:
    """填报日期: a form without one (or with an impossible one) is older than every dated one."""

    def filled(s: Submission) -> date:
        return date.min if s.date_impossible or s.fill_date is None else s.fill_date

    return [("填报日期", filled, lambda s: chinese_date(s.fill_date) if s.fill_date else "")]


VERSION_ORDERS: dict[Prefer, Callable[[Sequence[Submission]], list[Order]]] = {
    Prefer.LATEST: _version_orders,
    Prefer.NEWEST: _fill_date_order,
    Prefer.NONE: lambda _subs: [],
}


def missing_problems(rubric: Rubric, submissions: list[Submission]) -> list[Problem]:
    """Evaluators with no accepted form: missing, or sent only files that were not used. Accepted correction
    forms count only when together they hold every unit."""
    problems = []
    accepted = {s.evaluator for s in submissions if s.status == Status.ACCEPTED and not s.units}
    corrected: dict[str | None, set[str]] = {}
    for s in submissions:
        if s.status == Status.ACCEPTED and s.units:
            corrected.setdefault(s.evaluator, set()).update(s.units)
    every = {u.name for u in rubric.units}
    for ev in rubric.form_evaluators():
        if ev.name in accepted or corrected.get(ev.name, set()) >= every:
            continue
        tried = [s for s in submissions if s.owner == ev.name and not (s.units and s.status == Status.ACCEPTED)]
        contact: dict[str, Any] = {"evaluator": ev.name, "phone": ev.phone or "未提供", "email": ev.email or "未提供"}
        if tried:
            state = standing(s.status for s in tried)
            problems.append(problem("SUBMISSION_REJECTED", files=[s.file for s in tried], state=state.value, **contact))
        else:
            problems.append(problem("SUBMISSION_MISSING", **contact))
    return problems


def attach_receipts(submissions: list[Submission], book: ReceiptBook) -> None:
    """Each file's arrival from the receipt record (before the versions of a department are ordered)."""
    for sub in submissions:
        sub.receipt = file_receipt(book, sub, sub.owner)


def arrival_problems(submissions: list[Submission], rubric: Rubric) -> list[Problem]:
    """A file not in the receipt record is named; a department's adopted form that came after the return
    deadline is only warned about (rejecting it would zero those items for every unit)."""
    problems: list[Problem] = []
    for sub in submissions:
        if sub.receipt is None:
            problems.append(problem("RECEIPT_NOT_FOUND", file=sub.file, name=sub.file))
        elif sub.status == Status.ACCEPTED and not sub.units:  # a correction is issued after the deadline
            late = late_problem(sub.receipt, rubric.return_deadline, file=sub.file, who=sub.owner or sub.file,
                                material=FORM_MATERIAL, rejects=False)  # fmt: skip
            problems += [late] if late else []
    return problems


def collect(
    source: Path | Iterable[Path],
    rubric: Rubric,
    key: bytes,
    *,
    allow_partial: bool = False,
    prefer: Prefer = Prefer.LATEST,
    limits: Limits | None = None,
    progress: Callable[[str], None] | None = None,
    receipts: ReceiptBook | None = None,
    register: Register | None = None,
    today: date | None = None,
) -> CollectResult:
    """Read every returned form under `source` (a folder, or a list of files) and merge them.

    Arrival times come from `receipts`, or else from the folder's own 收件记录.json/收件登记.xlsx.
    With the generation `register`, forms of a superseded generation are named and, when the newer
    form of the same department is in, set aside. A 填报日期 after `today` (default: the office's date)
    or after the file's receipt is named as impossible."""
    limits = limits or Limits()
    receipt_problems: list[Problem] = []
    if receipts is None and isinstance(source, Path):
        receipts, receipt_problems = load_receipts(source, rubric)
    choices: list[Choice] = []
    if isinstance(source, Path) and source.is_dir():
        choices, choice_problems = read_choices(source)
        receipt_problems += choice_problems
    found = discover(source)
    errors = ErrorLog()
    submissions = []
    with tempfile.TemporaryDirectory(prefix="qe-unpacked-") as unpacked, Returns(limits) as returns:
        unpack_archives(found, Path(unpacked), limits)
        for path, name in found.files:
            submissions.append(
                read_submission(
                    path, name, rubric, key, allow_partial=allow_partial, limits=limits, errors=errors, returns=returns
                )
            )
            if progress:
                progress(name)
    for sub in [s for s in submissions if any(p.code == OWN_OUTPUT for p in s.problems)]:
        submissions.remove(sub)  # the tool's own output: noted, never a return
        found.ignored.append(sub.file)
        found.problems += sub.problems
    submissions += unusable_returns(found)
    recognise_senders(submissions, rubric, receipts)
    unclaimed_are_notes(found, submissions)
    blank_copies = set_aside_blank_copies(submissions)
    if receipts:
        attach_receipts(submissions, receipts)
    mark_future_fill_dates(submissions, today or datetime.now(OFFICE_TZ).date())
    resolved = retire_superseded(submissions, register) if register is not None else []
    resolved += resolve_duplicates(submissions, prefer, choices)
    resolved += apply_corrections(submissions, rubric, register)
    resolved += set_aside_companions(submissions, found)
    problems = list(found.problems)
    for sub in submissions:
        problems += [] if sub.status is Status.SUPERSEDED else sub.problems  # a superseded version's no longer count
    problems += blank_copies + resolved + receipt_problems
    problems += arrival_problems(submissions, rubric) if receipts else []
    problems += missing_problems(rubric, submissions)
    accepted = [s for s in submissions if s.status is Status.ACCEPTED]
    return CollectResult(build_frame(rubric, accepted, FORM_SHEET), problems, submissions, found.ignored, errors)
