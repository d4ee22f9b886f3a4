"""Screening a unit's file before anything opens it: empty, oversized, encrypted or hostile.

The container checks of the evaluation forms (intake/container.py) run on every file; what
they say only about the type (not an .xlsx, an old .xls) does not matter here, the rest is
reported in words for the units. A PDF with an /Encrypt dictionary is encrypted.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from ..intake.container import Limits, open_package
from ..intake.discover import readable_file_name
from ..problems import CATALOGUE, Problem, os_error_text, problem

MAX_MATERIAL_BYTES = 100 * 1024 * 1024
LIMITS = Limits(max_file_bytes=MAX_MATERIAL_BYTES, max_unzipped_bytes=1024 * 1024 * 1024)
TYPE_ONLY = {"FILE_NOT_XLSX", "FILE_XLS"}  # said of a well-formed file that is just not a workbook
RENAMED = {"FILE_EMPTY": "MATERIAL_FILE_EMPTY", "FILE_ENCRYPTED": "MATERIAL_FILE_ENCRYPTED"}


@dataclass(frozen=True)
class Screened:
    data: bytes | None  # None when the file must not be opened
    sha256: str | None
    problems: list[Problem]


def screen(path: Path, shown: str) -> Screened:
    try:
        size = path.stat().st_size
        if size > MAX_MATERIAL_BYTES:
            mb = f"{size / 1048576:.1f}"
            return Screened(None, None, [problem("MATERIAL_FILE_TOO_LARGE", file=shown, size=mb,
                                                 limit=MAX_MATERIAL_BYTES // 1048576)])  # fmt: skip
        data = path.read_bytes()
    except OSError as exc:
        reason = os_error_text(exc)
        return Screened(None, None, [problem("MATERIAL_FILE_UNSAFE", file=shown, reason=reason)])
    sha = hashlib.sha256(data).hexdigest()
    _pkg, found = open_package(data, shown, LIMITS)
    problems = [_renamed(p, shown) for p in found if p.code not in TYPE_ONLY]
    if data.startswith(b"%PDF") and b"/Encrypt" in data:
        problems.append(problem("MATERIAL_FILE_ENCRYPTED", file=shown))
    return Screened(None if problems else data, sha, problems)


def _renamed(p: Problem, shown: str) -> Problem:
    code = RENAMED.get(p.code)
    if code:
        return problem(code, file=shown)
    return problem("MATERIAL_FILE_UNSAFE", file=shown, reason=CATALOGUE[p.code].meaning.rstrip("。"))


def relative(path: Path, root: Path) -> str:
    return os.path.relpath(path, root).replace(os.sep, "/")


SKIPPED_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}


def walk_files(root: Path) -> list[tuple[Path, str]]:
    """Every regular file under root (not following links), with its name relative to root;
    office lock files and system clutter are left out."""
    found = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            lower = name.lower()
            if lower in SKIPPED_NAMES or lower.startswith(("~$", ".~lock.")) or path.is_symlink():
                continue
            if path.is_file():
                found.append((path, readable_file_name(relative(path, root))[0]))
    return found
