"""The office's registers in a workspace: the meeting's adjustments (adjustments.xlsx) and the appeal register
(异议登记.xlsx), kept in out/review where the page's collection takes them in (as `qe collect --adjustments …
--appeals …` does), and the feedback wording the office edited (反馈修改稿.xlsx) that reports, approval and the
rectification ledgers use.

A register is replaced only by a file the same reader can read; the one it replaces is moved to
out/review/以前的版本, never deleted. One adjustment typed on the page is appended to adjustments.xlsx and read
back with the very checks the command line applies; a row they refuse is not kept.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from ..choices import ADJUSTMENTS_FILE, APPEALS_FILE
from ..feedback.fed_back import FILE_NAME as WORDING_FILE
from ..feedback.fed_back import read_wording
from ..problems import Problem, os_error_text, problem
from ..record import adjustments as adjustment_register
from ..record import appeals as appeal_register
from ..record.adjustments import read_adjustments
from ..record.appeals import read_appeals
from ..rubric import Rubric
from ..run_folder import free_file
from .layout import Workspace

REVIEW = "out/review"
EARLIER = "以前的版本"


@dataclass(frozen=True)
class Register:
    """One of the office's registers: its file in out/review, its blank template and its reader."""

    name: str  # the file name, as the command line's default names it
    label: str  # what the page calls it
    template: Callable[[Path, Rubric], Path] | None
    read: Callable[[Path, Rubric], tuple[object, list[Problem]]]
    unreadable: str  # the reader's code for a file it cannot read at all

    def path(self, ws: Workspace) -> Path:
        return ws.root / REVIEW / self.name


ADJUSTMENTS = Register(ADJUSTMENTS_FILE, "会议调整表", adjustment_register.write_template, read_adjustments,
                       "ADJUST_UNREADABLE")  # fmt: skip
APPEALS = Register(APPEALS_FILE, "异议登记表", appeal_register.write_template, read_appeals, "APPEAL_UNREADABLE")
WORDING = Register(WORDING_FILE, "反馈修改稿", None, read_wording, "FEEDBACK_WORDING_UNREADABLE")


def kept(ws: Workspace, register: Register) -> Path | None:
    """The register the workspace holds, or None."""
    path = register.path(ws)
    return path if path.is_file() else None


def blank(ws: Workspace, register: Register, rubric: Rubric) -> Path:
    """A blank register to download and fill (out/review/空白表/…; a new name when one is there already)."""
    assert register.template is not None
    folder = ws.root / REVIEW / "空白表"
    folder.mkdir(parents=True, exist_ok=True)
    return register.template(free_file(folder / f"空白{register.label}.xlsx"), rubric)


def replace_register(
    ws: Workspace, register: Register, data: bytes, rubric: Rubric
) -> tuple[Path | None, list[Problem]]:
    """Keep an uploaded register as the workspace's one, when its reader can read it; the problems it finds in
    its rows are said (those rows are left out when it is used, as on the command line)."""
    path = register.path(ws)
    path.parent.mkdir(parents=True, exist_ok=True)
    trial = path.with_name(f".{path.stem}.{os.getpid()}.upload{path.suffix}")
    try:
        trial.write_bytes(data)
        _rows, problems = register.read(trial, rubric)
        if any(p.code == register.unreadable for p in problems):
            trial.unlink()
            return None, [_named(p, register) for p in problems]
        _retire(path)
        os.replace(trial, path)
    except OSError as exc:
        trial.unlink(missing_ok=True)
        return None, [problem("REGISTER_NOT_SAVED", file=register.label, reason=os_error_text(exc))]
    return path, [_named(p, register) for p in problems]


def _named(found: Problem, register: Register) -> Problem:
    """A problem of the uploaded file, named by what the page calls the register (not a temporary name)."""
    return replace(found, file=register.label)


def _retire(path: Path) -> None:
    """Move the register being replaced to 以前的版本, named by when it was replaced."""
    if path.is_file():
        earlier = path.parent / EARLIER
        earlier.mkdir(exist_ok=True)
        os.replace(path, free_file(earlier / f"{path.stem}-{datetime.now():%Y%m%d-%H%M%S}{path.suffix}"))


@dataclass(frozen=True)
class NewAdjustment:
    unit: str
    kind: str  # 加分/扣分/降级/定级
    amount: str  # points, or a grade
    basis: str
    note: str = ""


def add_adjustment(ws: Workspace, rubric: Rubric, new: NewAdjustment) -> list[Problem]:
    """Append one row to the workspace's adjustments.xlsx (a blank one is written first when there is none);
    the row is read back with the command line's checks and not kept when they refuse it."""
    import openpyxl

    path = ADJUSTMENTS.path(ws)
    path.parent.mkdir(parents=True, exist_ok=True)
    trial = path.with_name(f".{path.stem}.{os.getpid()}.add{path.suffix}")
    try:
        if path.is_file():
            trial.write_bytes(path.read_bytes())
        else:
            adjustment_register.write_template(trial, rubric)
        book = openpyxl.load_workbook(trial)
        sheet = book.worksheets[0]
        header = next(
            r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == adjustment_register.COLUMNS[0]
        )
        row = header + 1
        while any(sheet.cell(row + n, c).value not in (None, "") for n in range(3) for c in range(1, 6)):
            row += 1
        for column, value in enumerate((new.unit, new.kind, new.amount, new.basis, new.note), start=1):
            sheet.cell(row, column, value.strip())
        book.save(trial)
        _rows, problems = read_adjustments(trial, rubric)
        refused = [p for p in problems if p.cell == f"A{row}"]
        if refused:
            trial.unlink()
            return [_named(p, ADJUSTMENTS) for p in refused]
        _retire(path)
        os.replace(trial, path)
    except OSError as exc:
        trial.unlink(missing_ok=True)
        return [problem("REGISTER_NOT_SAVED", file=ADJUSTMENTS.label, reason=os_error_text(exc))]
    return []


def adjustment_rows(ws: Workspace, rubric: Rubric) -> tuple[list[list[str]], list[Problem]]:
    """The workspace's adjustments as the page lists them (unit, what, basis, note), with the file's problems."""
    path = kept(ws, ADJUSTMENTS)
    if path is None:
        return [], []
    found, problems = read_adjustments(path, rubric)
    return [[a.unit, a.text(), a.basis, a.note] for a in found], [_named(p, ADJUSTMENTS) for p in problems]


def appeal_rows(ws: Workspace, rubric: Rubric) -> tuple[list[list[str]], list[Problem]]:
    path = kept(ws, APPEALS)
    if path is None:
        return [], []
    found, problems = read_appeals(path, rubric)
    return [a.row() for a in found], [_named(p, APPEALS) for p in problems]


def collect_registers(ws: Workspace) -> dict[str, Path]:
    """What a collection in the workspace takes in besides the returned forms (extras_from's keywords)."""
    return {name: path for name, path in (("adjustments", kept(ws, ADJUSTMENTS)), ("appeals", kept(ws, APPEALS)))
            if path is not None}  # fmt: skip
