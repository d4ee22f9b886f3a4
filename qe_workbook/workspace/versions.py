"""What each department sent, as a clerk handles it: every file (its name as sent, when and how it arrived),
what the latest run made of it (the words of audit.json and 报送情况), and the office's two decisions, which
`qe collect` on the same folder honours: set a file aside (moved into 已搁置, never deleted) and choose which of
a department's versions is adopted (选定的版本.json)."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..intake.chosen import SET_ASIDE, Choice, choose, read_choices, write_choices
from ..intake.collect import guess_evaluator
from ..intake.receipts import RECORD_FILES, RECORD_JSON, Receipt, ReceiptBook, read_record, write_record
from ..intake.submission import Status
from ..outputs.run_record import read_run
from ..problems import Problem, os_error_text, problem
from ..rubric import Rubric
from .layout import Workspace
from .returns import DepartmentReturn, department_returns

VERSIONS = (Status.ACCEPTED, Status.SUPERSEDED, Status.CONFLICT)  # a department's forms the office may choose among
PENDING = "待汇总"  # a file added after the latest run (or before any)
SET_ASIDE_LABEL = "已搁置（不汇总）"


@dataclass
class Version:
    """One file in the returned folder."""

    relative: str  # its path inside the returned folder ('/'), how the page names it
    sent: str  # its name as sent (from the receipt record), else its own name
    received: str  # when it arrived (office time), "" when not recorded
    channel: str
    decision: str  # what the latest run made of it, in the words of 报送情况
    reason: str  # why (audit.json's reason: which version was adopted instead, what is wrong)
    adopted: bool = False
    set_aside: bool = False
    choosable: bool = False  # one of several versions of the department's form, not the adopted one
    chosen: bool = False  # adopted because the office chose it


@dataclass
class DepartmentFiles:
    department: DepartmentReturn  # its standing and what it must do (the overview's words)
    versions: list[Version] = field(default_factory=list)

    @property
    def evaluator(self) -> str:
        return self.department.evaluator


@dataclass
class ReturnedFiles:
    departments: list[DepartmentFiles]
    unknown: list[Version]  # files no department could be told for
    run: Path | None
    problems: list[Problem]


def returned_files(ws: Workspace, rubric: Rubric) -> ReturnedFiles:
    """Each form department's files (in the rubric's order) as the latest run saw them; files added since,
    and set aside, as they are."""
    returns = department_returns(ws, rubric)
    book, problems = _book(ws)
    choices, choice_problems = read_choices(ws.returned)
    audit = _audit(returns.run)
    ran = (returns.run / "audit.json").stat().st_mtime if returns.run is not None else 0.0
    departments = {d.evaluator: DepartmentFiles(d) for d in returns.departments}
    unknown: list[Version] = []
    for path in [*ws.returned_files(), *ws.set_aside_files()]:
        relative = path.relative_to(ws.returned).as_posix()
        aside = relative.startswith(f"{SET_ASIDE}/")
        sha = _sha256(path)
        entries = [e for e in audit if e["file"] == relative or e["file"].startswith(f"{relative}/")]
        # A file the run read without hashing (a scan, a file of another kind) is its entry while not changed since.
        unhashed = path.stat().st_mtime <= ran
        entries = [e for e in entries if e.get("sha256") in (sha, *([""] if unhashed else [])) or e["file"] != relative]
        receipt = book.find(sha256=sha, path=relative, name=path.name)
        owner = next((e["evaluator"] for e in entries if e.get("evaluator")), None)
        owner = owner or (receipt.sender if receipt else None) or guess_evaluator(relative, rubric)
        version = _version(relative, path.name, receipt, entries, aside)
        version.chosen = version.adopted and any(c.sha256 == sha and c.evaluator == owner for c in choices)
        (departments[owner].versions if owner in departments else unknown).append(version)
    for files in departments.values():
        files.versions.sort(key=lambda v: (v.set_aside, v.received, v.relative))  # as they came
        several = sum(1 for v in files.versions if v.decision in {s.label for s in VERSIONS}) > 1
        for v in files.versions:
            v.choosable = several and not v.adopted and v.decision in {s.label for s in VERSIONS}
    return ReturnedFiles(list(departments.values()), unknown, returns.run, problems + choice_problems)


def _version(relative: str, name: str, receipt: Receipt | None, entries: list[dict[str, Any]], aside: bool) -> Version:
    shown = receipt.shown_time() if receipt else ""
    channel = receipt.channel if receipt else ""
    sent = receipt.file if receipt and receipt.file else name
    if aside:
        return Version(relative, sent, shown, channel, SET_ASIDE_LABEL, "", set_aside=True)
    if not entries:
        return Version(relative, sent, shown, channel, PENDING, "")
    decisions = [Status(e["decision"]) for e in entries]
    adopted = Status.ACCEPTED in decisions
    label = "、".join(dict.fromkeys(d.label for d in decisions))
    reason = "；".join(dict.fromkeys(str(e.get("reason") or "") for e in entries if e.get("reason")))
    return Version(relative, sent, shown, channel, label, reason, adopted=adopted)


def set_aside(ws: Workspace, relative: str) -> tuple[str | None, list[Problem]]:
    """Move the returned file `relative` into the 已搁置 folder (under the same path; never over another
    file) and say so in the receipt record; returns its new path inside the returned folder."""
    path = _returned(ws, relative)
    inside = _inside_returned(ws, path)
    if path is None or inside.startswith(f"{SET_ASIDE}/"):
        return None, [problem("RETURNED_FILE_UNKNOWN", file=relative)]
    return _move(ws, path, f"{SET_ASIDE}/{inside}")


def restore(ws: Workspace, relative: str) -> tuple[str | None, list[Problem]]:
    """Move a set-aside file back where it was (beside it when that name is taken again)."""
    path = _returned(ws, relative)
    inside = _inside_returned(ws, path)
    if path is None or not inside.startswith(f"{SET_ASIDE}/"):
        return None, [problem("RETURNED_FILE_UNKNOWN", file=relative)]
    return _move(ws, path, inside.removeprefix(f"{SET_ASIDE}/"))


def choose_version(ws: Workspace, rubric: Rubric, relative: str) -> tuple[str | None, list[Problem]]:
    """Adopt the returned file `relative` over the other versions of its department's form the latest run
    read; returns the department."""
    found = returned_files(ws, rubric)
    for files in found.departments:
        version = next((v for v in files.versions if v.relative == relative and v.choosable), None)
        if version is None:
            continue
        others = [v for v in files.versions if v.decision in {s.label for s in VERSIONS}]
        choices, problems = read_choices(ws.returned)
        if problems:
            return None, problems
        shas = [_sha256(ws.returned / v.relative) for v in others]
        chosen = choose(choices, files.evaluator, _sha256(ws.returned / relative), relative, shas)
        try:
            write_choices(ws.returned, chosen)
        except OSError as exc:
            return None, [problem("CHOICES_NOT_WRITTEN", file=relative, reason=os_error_text(exc))]
        return files.evaluator, []
    return None, [problem("RETURNED_NOT_CHOOSABLE", file=relative)]


def chosen_versions(ws: Workspace) -> list[Choice]:
    return read_choices(ws.returned)[0]


def _returned(ws: Workspace, relative: str) -> Path | None:
    path = ws.inside(f"{ws.returned.name}/{relative}")
    if path is None or not path.is_file() or not path.is_relative_to(ws.returned.resolve()):
        return None
    return None if path.parent == ws.returned.resolve() and path.name in RECORD_FILES else path


def _inside_returned(ws: Workspace, path: Path | None) -> str:
    """A resolved returned file's path inside the returned folder ('/'), as the moves name it."""
    return path.relative_to(ws.returned.resolve()).as_posix() if path is not None else ""


def _move(ws: Workspace, path: Path, target: str) -> tuple[str | None, list[Problem]]:
    dest = ws.returned / target
    stem, suffix = dest.stem, dest.suffix
    n = 1
    while dest.exists():
        n += 1
        dest = dest.with_name(f"{stem} ({n}){suffix}")
    old = path.relative_to(ws.returned.resolve()).as_posix()
    new = dest.relative_to(ws.returned).as_posix()
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, dest)
    except OSError as exc:
        return None, [problem("RETURNED_NOT_MOVED", file=old, reason=os_error_text(exc))]
    book, problems = _book(ws)
    if book and not problems:
        book.receipts = [replace(r, saved_as=new) if r.saved_as == old else r for r in book.receipts]
        try:
            write_record(ws.returned, book)
        except OSError as exc:
            problems = [problem("RECEIPT_RECORD_NOT_WRITTEN", file=RECORD_JSON, reason=os_error_text(exc))]
    for folder in [p for p in path.parents if p.is_relative_to(ws.returned.resolve())][:-1]:
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()  # a sub-folder the move left empty
    return new, problems


def _book(ws: Workspace) -> tuple[ReceiptBook, list[Problem]]:
    path = ws.returned / RECORD_JSON
    return read_record(path) if path.is_file() else (ReceiptBook(), [])


def _audit(run: Path | None) -> list[dict[str, Any]]:
    if run is None:
        return []
    record, _ = read_run(run)
    return record.files if record is not None else []


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
