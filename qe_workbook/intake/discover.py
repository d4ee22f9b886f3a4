"""Finding the returned files under a folder: what to read, what to ignore and why."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..problems import Problem, os_error_text, problem
from ..run_folder import RUN_MARKER, TMP_PREFIX
from .receipts import RECORD_FILES

SET_ASIDE = "已搁置"  # a folder at the top of the returned folder: the office set its files aside

LONG_NAME = 100
LOCK_MAX_BYTES = 4096  # Excel's and WPS's lock files hold a user name: some 165 bytes


@dataclass
class Found:
    files: list[tuple[Path, str]] = field(default_factory=list)  # (path, name shown in reports)
    ignored: list[str] = field(default_factory=list)
    archives: list[tuple[Path, str]] = field(default_factory=list)  # .zip files, unpacked before reading
    problems: list[Problem] = field(default_factory=list)


def _odd_name(name: str) -> list[str]:
    reasons = []
    if any(c.isspace() for c in name):
        reasons.append("含空格")
    if any(unicodedata.east_asian_width(c) == "F" and unicodedata.category(c)[0] in "LN" for c in name):
        reasons.append("含全角字母或数字")  # full-width brackets and other punctuation are ordinary in Chinese names
    if name.startswith("~$"):
        reasons.append("以“~$”开头（办公软件临时文件常用的开头）")
    if len(name) > LONG_NAME:
        reasons.append(f"长达 {len(name)} 个字符")
    return reasons


READ_SUFFIXES = (".xlsx", ".xls", ".ods", ".xlsm")  # a form saved by WPS, Excel or LibreOffice keeps its sheets
WRONG_FORMAT = ("FILE_XLS_NAME", "FILE_MACRO_NAME", "FILE_CSV_NAME")  # a form saved in a format that is not read
NOT_A_FORM = "FILE_NOT_FORM"  # a form printed, scanned, photographed or written up: received, never usable
NOT_FORM_KINDS = {
    ".pdf": " PDF 文档", ".ofd": " OFD 版式文档", ".doc": " Word 文档", ".wps": " WPS 文字文档",
    ".rtf": "文字文档", ".jpg": "图片", ".jpeg": "图片", ".png": "图片", ".gif": "图片", ".bmp": "图片",
    ".tif": "图片", ".tiff": "图片", ".heic": "图片", ".webp": "图片",
}  # fmt: skip


def is_lock_file(path: Path) -> bool:
    """An office lock file (~$name.xlsx) is tiny and not a zip; a real form renamed ~$… is neither."""
    if path.stat().st_size > LOCK_MAX_BYTES:
        return False
    with path.open("rb") as fh:
        return fh.read(2) != b"PK"


def classify(path: Path, shown: str, found: Found) -> None:
    name = path.name
    lower = name.lower()

    def ignore(code: str) -> None:
        found.ignored.append(shown)
        found.problems.append(problem(code, file=shown))

    if path.is_symlink():
        ignore("FILE_SYMLINK")
    elif path.exists() and not path.is_file():  # a pipe or a device would block or never end
        ignore("FILE_NOT_REGULAR")
    elif lower.startswith(".~lock.") or (lower.startswith("~$") and is_lock_file(path)):
        ignore("FILE_LOCK")
    elif lower.endswith(READ_SUFFIXES):
        found.files.append((path, shown))
        odd = _odd_name(name)
        if odd:
            found.problems.append(problem("FILE_NAME_ODD", file=shown, reasons=odd))
    elif lower.endswith(".et"):
        ignore("FILE_XLS_NAME")
    elif lower.endswith((".xltm", ".xlsb")):
        ignore("FILE_MACRO_NAME")
    elif lower.endswith(".csv"):
        ignore("FILE_CSV_NAME")
    elif lower.endswith(".zip"):
        found.archives.append((path, shown))
    elif path.suffix.lower() in NOT_FORM_KINDS:
        found.ignored.append(shown)
        found.problems.append(problem(NOT_A_FORM, file=shown, kind=NOT_FORM_KINDS[path.suffix.lower()]))
    else:
        ignore("FILE_IGNORED")


def readable_file_name(name: str) -> tuple[str, bool]:
    """A file name fit to print: names unpacked from a GBK zip on Linux are not valid UTF-8.

    Returns the name and whether it had to be decoded (GB18030, else with replacement marks).
    """
    try:
        name.encode("utf-8")
        return name, False
    except UnicodeEncodeError:
        raw = os.fsencode(name)
        try:
            return raw.decode("gb18030"), True
        except UnicodeDecodeError:
            return raw.decode("utf-8", "replace"), True


def _classify_safely(path: Path, shown: str, found: Found) -> None:
    shown, decoded = readable_file_name(shown)
    try:
        classify(path, shown, found)
    except OSError as exc:  # e.g. a folder without search permission
        found.ignored.append(shown)
        found.problems.append(problem("FILE_UNREADABLE", file=shown, reason=os_error_text(exc)))
        return
    if decoded:
        found.problems.append(problem("FILE_NAME_NOT_UTF8", file=shown))


def discover(source: Path | Iterable[Path]) -> Found:
    """Every file under a folder (recursively, not following links), or the given files."""
    found = Found()
    if isinstance(source, Path) and source.is_dir():
        root = source
        paths: list[Path] = []
        for folder, dirs, files in os.walk(root, followlinks=False):
            dirs[:] = sorted(d for d in dirs if not d.startswith(TMP_PREFIX))  # half-written: a fetch or a run
            if RUN_MARKER in files and Path(folder) != root:  # this tool's own output: never read back
                found.ignored.append(os.path.relpath(folder, root))
                found.problems.append(problem("RUN_FOLDER_SKIPPED", file=os.path.relpath(folder, root)))
                dirs.clear()
                continue
            for d in list(dirs):
                if (Path(folder) / d).is_symlink():
                    paths.append(Path(folder) / d)
            top = Path(folder) == root  # the receipt record and register sit beside the returned files
            if top and SET_ASIDE in dirs:  # the office set these files aside: kept, never read
                dirs.remove(SET_ASIDE)
                found.ignored.append(SET_ASIDE)
                found.problems.append(problem("RETURNED_SET_ASIDE", file=SET_ASIDE))
            paths += [Path(folder) / f for f in sorted(files)
                      if not (top and f in RECORD_FILES) and not f.startswith(TMP_PREFIX)]  # fmt: skip
        for path in paths:
            _classify_safely(path, os.path.relpath(path, root), found)
    else:
        for path in [source] if isinstance(source, Path) else source:
            _classify_safely(path, path.name, found)
    return found
