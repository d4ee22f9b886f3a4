"""Where a year's work lives inside a workspace folder, laid out as the CLI's defaults are (so that
`qe collect 回收的评价表` run in the folder finds the same rubric, key and output folders)."""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..forms.register import REGISTER_NAME
from ..intake.discover import SET_ASIDE
from ..intake.receipts import RECORD_FILES
from ..keys import DEFAULT_KEY_PATH, create_key, parse_key, read_key, write_key
from ..problems import Problem, has_errors, problem
from ..rubric import Rubric, load_rubric
from ..rubric.load import BUNDLED_RUBRIC
from ..rubric.new_year import new_year
from ..rubric.workbook.files import import_rubric
from ..run_folder import RUN_MARKER

if TYPE_CHECKING:
    from ..documents.templating import DocumentKind

RETURNED = "回收的评价表"
UNITS_RECEIVED = "县区材料"  # what the units send the office: self-assessment reports, contact lists
# What the page may hand to the browser: the folders the year's commands write (as the CLI's defaults name
# them) and the rubric workbooks the page writes beside rubric.json. The key, the register, rubric.json and
# the returned forms are not among them (nor the archive, which holds the returned forms).
OUTPUT_FOLDERS = ("out/forms", "out/corrections", "out/results", "out/chase", "out/units", "out/units-check",
                  "out/evidence-check", "out/review")  # fmt: skip
FORMS_AGAIN = "forms-"  # out/forms-2, out/forms-3…: the forms issued again with a new seed
RUBRIC_WORKBOOK = "考核细则.xlsx"
FOLLOWING_RUBRIC = re.compile(r"rubric-\d{4}\.xlsx")


@dataclass(frozen=True)
class Workspace:
    root: Path

    @property
    def rubric_path(self) -> Path:
        return self.root / "rubric.json"

    @property
    def key_path(self) -> Path:
        return self.root / DEFAULT_KEY_PATH

    @property
    def register_path(self) -> Path:
        return self.key_path.parent / REGISTER_NAME

    @property
    def forms(self) -> Path:
        return self.root / "out" / "forms"

    @property
    def returned(self) -> Path:
        return self.root / RETURNED

    @property
    def units_received(self) -> Path:
        return self.root / UNITS_RECEIVED

    @property
    def units(self) -> Path:
        return self.root / "out" / "units"

    @property
    def results(self) -> Path:
        return self.root / "out" / "results"

    @property
    def templates(self) -> Path:
        """The office's own Word templates for the year (each replaces the bundled one of its name)."""
        from ..documents.templating import TEMPLATES_DIR  # python-docx only when documents are written

        return self.root / TEMPLATES_DIR

    def templates_used(self, kinds: tuple[DocumentKind, ...] | None = None) -> list[Problem]:
        """The note that documents come from the office's own templates here (for the page to say first), if any
        replaces one of `kinds` (default: the kinds written as Word documents)."""
        from ..documents.kinds import WORD_KINDS
        from ..documents.templating import templates_used

        used = templates_used(self.templates, kinds or WORD_KINDS)
        return [used] if used else []

    @property
    def ready(self) -> bool:
        return self.rubric_path.is_file()

    def inside(self, relative: str) -> Path | None:
        """The path `relative` names within the workspace, or None when it would lead outside it
        (an absolute path, '..', a link pointing out): nothing outside is ever read or written."""
        if not relative or "\x00" in relative:
            return None
        root = self.root.resolve()
        candidate = Path(relative)
        if candidate.is_absolute() or candidate.drive or candidate.anchor:
            return None
        resolved = (root / candidate).resolve()
        return resolved if resolved.is_relative_to(root) else None

    def output(self, relative: str) -> Path | None:
        """The regular file `relative` names when it lies (links resolved) in one of the output folders or is
        one of the rubric workbooks; None for anything else, above all the key."""
        path = self.inside(relative)
        if path is None or not path.is_file() or path == self.key_path.resolve():
            return None
        root = self.root.resolve()
        if path.parent == root:
            return path if path.name == RUBRIC_WORKBOOK or FOLLOWING_RUBRIC.fullmatch(path.name) else None
        again = [p for p in (root / "out").glob(f"{FORMS_AGAIN}*") if p.name.removeprefix(FORMS_AGAIN).isdigit()]
        return (
            path
            if any(path.is_relative_to(folder) for folder in (*(root / f for f in OUTPUT_FOLDERS), *again))
            else None
        )

    def relative(self, path: Path) -> str:
        """A workspace path as it is named in the page (forward slashes on every system)."""
        return path.resolve().relative_to(self.root.resolve()).as_posix()

    def runs(self) -> list[Path]:
        """The finished collect runs, newest first (run folders carry the run marker)."""
        if not self.results.is_dir():
            return []
        found = [p for p in self.results.iterdir() if p.is_dir() and (p / RUN_MARKER).is_file()]
        return sorted(found, key=lambda p: p.name, reverse=True)

    def returned_files(self) -> list[Path]:
        """The files in the returned folder, without the receipt record kept at its top and the files set aside."""
        aside = self.returned / SET_ASIDE
        return [p for p in self.received_files(self.returned) if not p.is_relative_to(aside)]

    def received_files(self, folder: Path) -> list[Path]:
        """The files kept in `folder`, without the receipt record at its top."""
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.rglob("*")
                      if p.is_file() and not (p.parent == folder and p.name in RECORD_FILES))  # fmt: skip

    def set_aside_files(self) -> list[Path]:
        """The files the office set aside (in the returned folder's 已搁置 folder): kept, never collected."""
        aside = self.returned / SET_ASIDE
        return sorted(p for p in aside.rglob("*") if p.is_file()) if aside.is_dir() else []

    @property
    def units_checks(self) -> Path:
        return self.root / "out" / "units-check"

    def checked_units(self) -> list[Path]:
        """The finished `qe units check` runs, newest first."""
        found = self.units_checks.iterdir() if self.units_checks.is_dir() else iter(())
        return sorted((p for p in found if p.is_dir() and not p.name.startswith(".")), reverse=True)

    def load_rubric(self) -> tuple[Rubric | None, list[Problem]]:
        load = load_rubric(self.rubric_path)
        return load.rubric, load.problems

    def read_key(self) -> tuple[bytes | None, list[Problem]]:
        return read_key(self.key_path)


@dataclass
class Created:
    workspace: Workspace | None
    problems: list[Problem]
    checklist: list[str]  # what to check against the new year's plan (empty for the bundled year)


def create_workspace(
    root: Path, year: int, key_text: str | None = None, rubric_file: tuple[str, bytes] | None = None
) -> Created:
    """Start a year's work in `root`: its rubric (the given rubric.json or rubric workbook, imported as
    `qe rubric import` does; else the bundled one, or rolled on to `year` as `qe rubric new-year` does), the
    office's key (the given one, or a new one) and the returned folder.

    Nothing already there is replaced: an existing rubric refuses, an existing key is kept."""
    ws = Workspace(root)
    if ws.rubric_path.exists():
        return Created(None, [problem("WORKSPACE_EXISTS", file=str(ws.rubric_path), path=str(ws.root))], [])
    key = None
    if key_text is not None:
        key, problems = parse_key(key_text, "密钥文件")
        if key is None:
            return Created(None, problems, [])
        existing, _ = read_key(ws.key_path) if ws.key_path.exists() else (key, [])
        if existing != key:
            return Created(None, [problem("KEY_EXISTS", file=str(ws.key_path))], [])
    bundled = load_rubric(BUNDLED_RUBRIC).rubric
    root.mkdir(parents=True, exist_ok=True)
    checklist: list[str] = []
    notes: list[Problem] = []
    if rubric_file is not None:
        notes = _import_rubric(ws, *rubric_file)
        if has_errors(notes):
            return Created(None, notes, [])
    elif bundled is not None and bundled.year == year:
        shutil.copyfile(BUNDLED_RUBRIC, ws.rubric_path)
    else:
        rolled = new_year(BUNDLED_RUBRIC, year, ws.rubric_path)
        if rolled.written is None:
            return Created(None, rolled.problems, [])
        checklist = rolled.checklist
    if not ws.key_path.exists():
        if key is None:
            create_key(ws.key_path)
        else:
            write_key(ws.key_path, key)
    ws.returned.mkdir(exist_ok=True)
    return Created(ws, notes, checklist)


def _import_rubric(ws: Workspace, name: str, data: bytes) -> list[Problem]:
    """The office's rubric.json or rubric workbook, kept in the workspace as given, then checked and
    written to rubric.json (nothing written when it has errors)."""
    suffix = Path(name).suffix.lower()
    if suffix not in (".json", ".xlsx"):
        return [problem("RUBRIC_UNREADABLE", file=name, reason="请选择 rubric.json 或考核细则工作簿（.xlsx）")]
    kept = write_new(ws.root, f"导入的考核细则{suffix}", data)
    if suffix == ".xlsx":
        return import_rubric(kept, ws.rubric_path).problems
    load = load_rubric(kept)
    if load.rubric is not None:
        shutil.copyfile(kept, ws.rubric_path)
    return load.problems


def write_new(folder: Path, name: str, data: bytes) -> Path:
    """Write under `name`, or `name (2)`, `name (3)`…: an existing file is never replaced."""
    stem, suffix = Path(name).stem, Path(name).suffix
    for n in range(1, 10_000):
        path = folder / (name if n == 1 else f"{stem} ({n}){suffix}")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
        except FileExistsError:
            continue
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        return path
    raise FileExistsError(name)
