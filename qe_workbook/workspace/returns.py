"""Returned forms in a workspace: a file added through the page is kept as it was sent (its own name and
extension made safe), its arrival written to the receipt record; and each department's return as the latest
run saw it."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..file_names import plain_file_name, safe_file_name, shorten_name
from ..intake.archives import REFUSED
from ..intake.collect import guess_evaluator
from ..intake.container import Limits, open_package, too_large
from ..intake.receipts import (
    FORM_MATERIAL,
    OFFICE_TZ,
    RECORD_JSON,
    Receipt,
    ReceiptBook,
    aware,
    read_record,
    write_record,
)
from ..intake.standing import Standing, correction_line, return_note, standing
from ..intake.submission import Status
from ..intake.unpack import unpack_zip
from ..outputs.run_record import read_run
from ..problems import Problem, Severity, os_error_text, problem
from ..rubric import Rubric
from .layout import Workspace, write_new

UPLOAD_CHANNEL = "网页上传"


@dataclass
class Added:
    sent: str  # the file's name as sent (its last part)
    path: Path | None  # where the file was kept, or the file with the same content already kept (None: refused)
    problems: list[Problem]
    same: bool = False  # the very same content was already in the returned folder: nothing new kept

    @property
    def saved(self) -> bool:
        return self.path is not None and not self.same

    @property
    def renamed(self) -> str:
        """How the kept name differs from the name as sent: "" when it does not."""
        if not self.saved or self.path is None or self.path.name == self.sent:
            return ""
        plain = plain_file_name(self.sent, "评价表")
        return "文件名过长" if shorten_name(plain) != plain else "文件名含不能用作文件名的字符"


def sent_name(name: str) -> str:
    """The last part of the name a browser sent (some send the sender's whole path)."""
    return name.replace("\\", "/").rsplit("/", 1)[-1] or "评价表"


def add_returned(
    ws: Workspace, name: str, data: bytes, limits: Limits | None = None, folder: Path | None = None
) -> Added:
    """Keep one returned file in the workspace's returned folder as it was sent, under its own name and
    extension made safe for Windows (the name the browser sent is never used as a path). A file over the size
    limit is refused; what `qe collect` will find wrong with a workbook's container is said, and the file kept:
    it is what the department sent."""
    limits = limits or Limits()
    sent = sent_name(name)
    shown = safe_file_name(name, "评价表")
    if len(data) > limits.max_file_bytes:
        return Added(sent, None, [too_large(len(data), shown, limits)])
    digest = hashlib.sha256(data).hexdigest()
    folder = folder or ws.returned
    kept_files = ws.returned_files() if folder == ws.returned else ws.received_files(folder)
    for existing in kept_files:
        if existing.stat().st_size == len(data) and hashlib.sha256(existing.read_bytes()).hexdigest() == digest:
            kept = ws.relative(existing)
            return Added(sent, existing, [problem("RETURNED_ALREADY_ADDED", file=shown, kept=kept)], same=True)
    problems: list[Problem] = []
    if Path(shown).suffix.lower() in (".xlsx", ".xlsm"):
        package, problems = open_package(data, shown, limits)
        if package is not None:
            package.zip.close()
    elif Path(shown).suffix.lower() == ".zip":  # what the collect's unpacking will refuse, said now
        unpacked = unpack_zip(data, limits)
        problems = [problem(REFUSED, file=shown, reason=unpacked.error)] if unpacked.error else []
        problems += [problem(REFUSED, file=f"{shown}/{name}", reason=reason) for name, reason in unpacked.refused]
    folder.mkdir(parents=True, exist_ok=True)
    return Added(sent, write_new(folder, shown, data), problems)


def receive_files(ws: Workspace, files: Sequence[tuple[str, bytes]], rubric: Rubric | None = None, *,
                  received: datetime | None = None, channel: str = UPLOAD_CHANNEL, limits: Limits | None = None,
                  folder: Path | None = None, material: str | None = FORM_MATERIAL) -> tuple[list[Added], list[Problem]]:  # fmt: skip
    """Keep each file (one that cannot be written is refused with the reason, the others still kept) and
    write when and how each kept file arrived to the returned folder's receipt record, the one `qe mail
    fetch` writes (`received` defaults to now). With `folder` (the units' materials), the files and their
    record go there, each file's sender left to the check that reads it."""
    folder = folder or ws.returned
    when = aware(received) if received is not None else datetime.now(OFFICE_TZ)
    added = []
    for name, data in files:
        try:
            added.append(add_returned(ws, name, data, limits, folder))
        except OSError as exc:
            sent = sent_name(name)
            added.append(Added(sent, None, [problem("RETURNED_NOT_SAVED", file=sent, reason=os_error_text(exc))]))
    receipts = [
        Receipt(
            when,
            channel,
            sender=guess_evaluator(a.sent, rubric) if rubric and material == FORM_MATERIAL else None,
            file=a.sent,
            material=material,
            sha256=hashlib.sha256(a.path.read_bytes()).hexdigest(),
            saved_as=a.path.relative_to(folder).as_posix(),
        )
        for a in added
        if a.saved and a.path is not None
    ]
    return added, _record(folder, receipts)


def _record(folder: Path, receipts: list[Receipt]) -> list[Problem]:
    if not receipts:
        return []
    path = folder / RECORD_JSON
    book, problems = read_record(path) if path.exists() else (ReceiptBook(), [])
    if problems:
        return problems  # an unreadable record is left as it is for the office to look at
    book.add(receipts)
    try:
        write_record(folder, book)
    except OSError as exc:
        return [problem("RECEIPT_RECORD_NOT_WRITTEN", file=RECORD_JSON, reason=os_error_text(exc))]
    return []


@dataclass
class DepartmentReturn:
    """One department's return: how many of its files came in, were adopted or turned back."""

    evaluator: str
    phone: str
    email: str
    received: int = 0
    adopted: int = 0
    rejected: int = 0
    reasons: list[str] = field(default_factory=list)
    corrections: list[str] = field(default_factory=list)  # errors in cells of an adopted form
    cells: list[str] = field(default_factory=list)  # where those errors are ("" for one without a cell)
    decisions: list[str] = field(default_factory=list)  # what became of each file (`Status`)
    key_doubted: bool = False  # the run was probably collected with another key: its rejections say nothing
    collected: bool = True  # False before the first run: the files are only counted
    issued: bool = True  # False before any form was generated: nobody is chased yet

    @property
    def standing(self) -> Standing:
        if self.received and not self.collected:
            return Standing.RECEIVED
        if self.received and not self.adopted and self.key_doubted:
            return Standing.KEY_DOUBTED
        return standing(self.decisions, len(self.corrections), issued=self.issued)

    @property
    def state(self) -> str:
        return self.standing.shown(self.cells)

    @property
    def ask(self) -> str:
        """What to ask the department for (nothing once its form is adopted as it is)."""
        state = self.standing
        if state is Standing.ADOPTED_TO_CORRECT:
            return return_note(state, corrections=self.corrections[:2])
        if state in (Standing.RETURNED, Standing.UNUSABLE):
            return return_note(state, "；".join(r for r in self.reasons[:2] if r))
        return "" if state is Standing.ADOPTED else state.action


@dataclass
class Returns:
    departments: list[DepartmentReturn]
    run: Path | None  # the run the states come from (None: not collected yet, files only counted)
    newer_files: int  # returned files added after that run
    refusal: list[Problem] = field(default_factory=list)  # why that run's rejections ask nothing of the departments


def department_returns(ws: Workspace, rubric: Rubric) -> Returns:
    """Each department's return, from the latest run's audit.json; before any run, the returned files
    are counted by the department their name names; before any form was generated or came back, nobody
    is missing yet."""
    runs = ws.runs()
    files = ws.returned_files()
    issued = bool(runs or files) or ws.register_path.is_file() or (ws.forms.is_dir() and any(ws.forms.iterdir()))
    departments = {ev.name: DepartmentReturn(ev.name, ev.phone, ev.email, issued=issued)
                   for ev in rubric.form_evaluators()}  # fmt: skip
    if not runs:
        for waiting in departments.values():
            waiting.collected = False
        for path in files:
            owner = guess_evaluator(path.relative_to(ws.returned).as_posix(), rubric)
            if owner in departments:
                departments[owner].received += 1
        return Returns(list(departments.values()), None, len(files))
    run = runs[0]
    record, _ = read_run(run)
    if record is None:
        raise ValueError(f"{run} is not a finished run")
    refusal = record.official_refusal("mails")
    adopted = {e["file"]: e.get("evaluator") for e in record.files if e.get("decision") == Status.ACCEPTED}
    for found in record.run_problems:
        dept = departments.get(adopted.get(found.get("file"), "") or "")
        if dept is not None and found.get("severity") == Severity.ERROR:
            dept.corrections.append(correction_line(found.get("sheet"), found.get("cell"), found["message"]))
            dept.cells.append(str(found.get("cell") or ""))
    for entry in record.files:
        dept = departments.get(entry.get("evaluator") or "")
        if dept is None:
            continue
        dept.received += 1
        dept.key_doubted = bool(refusal)
        dept.decisions.append(str(entry.get("decision")))
        if entry.get("decision") == Status.ACCEPTED:
            dept.adopted += 1
        elif entry.get("decision") not in (Status.SUPERSEDED, Status.DUPLICATE):  # set aside, not turned back
            dept.rejected += 1
            dept.reasons.append(str(entry.get("reason") or ""))
    since = (run / "audit.json").stat().st_mtime
    newer = sum(1 for p in files if p.stat().st_mtime > since)
    return Returns(list(departments.values()), run, newer, refusal)
