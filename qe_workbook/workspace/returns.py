"""Returned forms in a workspace: a file added through the page passes the same limits and container
checks as `qe collect` before it is kept; and each department's return as the latest run saw it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..intake.collect import guess_evaluator
from ..intake.container import Limits, open_package, too_large
from ..intake.standing import Standing, correction_line, return_note, standing
from ..intake.submission import Status
from ..mail.decode import safe_file_name
from ..outputs.run_record import read_run
from ..problems import Problem, Severity, problem
from ..rubric import Rubric
from .layout import Workspace, write_new


@dataclass
class Added:
    path: Path | None  # where the file was kept (None: refused)
    shown: str  # the name it is known by
    problems: list[Problem]


def add_returned(ws: Workspace, name: str, data: bytes, limits: Limits | None = None) -> Added:
    """Keep one returned file in the workspace's returned folder, under a Windows-safe name of its own
    (the name the browser sent is never used as a path); refused when `qe collect` would refuse to open it."""
    limits = limits or Limits()
    shown = safe_file_name(name, "评价表")
    if not shown.lower().endswith(".xlsx"):
        shown = f"{Path(shown).stem or '评价表'}.xlsx"
    if len(data) > limits.max_file_bytes:
        return Added(None, shown, [too_large(len(data), shown, limits)])
    package, problems = open_package(data, shown, limits)
    if package is None:
        return Added(None, shown, problems)
    package.zip.close()
    digest = hashlib.sha256(data).hexdigest()
    for existing in ws.returned_files():
        if existing.stat().st_size == len(data) and hashlib.sha256(existing.read_bytes()).hexdigest() == digest:
            kept = ws.relative(existing)
            return Added(existing, shown, [problem("RETURNED_ALREADY_ADDED", file=shown, kept=kept)])
    ws.returned.mkdir(parents=True, exist_ok=True)
    return Added(write_new(ws.returned, shown, data), shown, problems)


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
        return self.standing.shown(len(self.corrections))

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
    refusal: list[str] = field(default_factory=list)  # why that run's rejections ask nothing of the departments


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
            owner = guess_evaluator(path.name, rubric)
            if owner in departments:
                departments[owner].received += 1
        return Returns(list(departments.values()), None, len(files))
    run = runs[0]
    record, _ = read_run(run)
    if record is None:
        raise ValueError(f"{run} is not a finished run")
    refusal = [p.message for p in record.official_refusal("mails")]
    adopted = {e["file"]: e.get("evaluator") for e in record.files if e.get("decision") == Status.ACCEPTED}
    for found in record.run_problems:
        dept = departments.get(adopted.get(found.get("file"), "") or "")
        if dept is not None and found.get("severity") == Severity.ERROR:
            dept.corrections.append(correction_line(found.get("sheet"), found.get("cell"), found["message"]))
    for entry in record.files:
        dept = departments.get(entry.get("evaluator") or "")
        if dept is None:
            continue
        dept.received += 1
        dept.key_doubted = bool(refusal)
        dept.decisions.append(str(entry.get("decision")))
        if entry.get("decision") == Status.ACCEPTED:
            dept.adopted += 1
        else:
            dept.rejected += 1
            dept.reasons.append(str(entry.get("reason") or ""))
    since = (run / "audit.json").stat().st_mtime
    newer = sum(1 for p in files if p.stat().st_mtime > since)
    return Returns(list(departments.values()), run, newer, refusal)
