"""Where a year's work lives inside a workspace folder, laid out as the CLI's defaults are (so that
`qe collect 回收的评价表` run in the folder finds the same rubric, key and output folders)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from ..forms.register import REGISTER_NAME
from ..keys import DEFAULT_KEY_PATH, create_key, parse_key, read_key, write_key
from ..outputs.run_folder import RUN_MARKER
from ..problems import Problem, problem
from ..rubric import Rubric, load_rubric
from ..rubric.load import BUNDLED_RUBRIC
from ..rubric.new_year import new_year

RETURNED = "回收的评价表"


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
    def results(self) -> Path:
        return self.root / "out" / "results"

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
        if not self.returned.is_dir():
            return []
        return sorted(p for p in self.returned.rglob("*") if p.is_file())

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


def create_workspace(root: Path, year: int, key_text: str | None = None) -> Created:
    """Start a year's work in `root`: its rubric (the bundled one, or rolled on to `year` as
    `qe rubric new-year` does), the office's key (the given one, or a new one) and the returned folder.

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
    if bundled is not None and bundled.year == year:
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
    return Created(ws, [], checklist)
