"""The rubric workbook's commands: export, import (never over an existing file silently), any-format load."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ...problems import Problem, Severity, has_errors, problem
from ..check import check_rubric_data
from ..load import RubricFile, RubricLoad, build_rubric, read_rubric_json

XLSX_SUFFIXES = (".xlsx", ".xlsm")


def read_rubric_file(path: Path) -> RubricFile:
    """rubric.json or a rubric workbook (by its extension), checked."""
    if path.suffix.lower() in XLSX_SUFFIXES:
        from .read import read_workbook  # the workbook libraries only for a workbook: `qe rubric check` starts at once

        return read_workbook(path)
    data, problems = read_rubric_json(path)
    if data is not None:
        problems += check_rubric_data(data, str(path))
    return RubricFile(data, problems)


def load_any_rubric(path: Path) -> RubricLoad:
    """The rubric model from rubric.json or a rubric workbook; None when it has errors."""
    read = read_rubric_file(path)
    if not read.ok or read.data is None:
        return RubricLoad(None, read.problems)
    return RubricLoad(build_rubric(read.data), read.problems)


@dataclass
class ExportResult:
    path: Path | None
    problems: list[Problem] = field(default_factory=list)


def export_rubric(source: Path, out: Path) -> ExportResult:
    """Write the rubric at `source` as an editable workbook; an existing `out` is never replaced."""
    read = read_rubric_file(source)
    errors = [p for p in read.problems if p.severity is Severity.ERROR]
    if errors or read.data is None:
        return ExportResult(None, errors)
    if out.exists():
        fix = "请用 --out 指定新的文件名，或先把原文件改名。"
        return ExportResult(None, [problem("RUBRIC_OUTPUT_EXISTS", file=str(out), fix=fix, path=str(out))])
    out.parent.mkdir(parents=True, exist_ok=True)
    from .export import export_workbook

    return ExportResult(export_workbook(read.data, out))


@dataclass
class ImportResult:
    data: dict[str, Any] | None
    problems: list[Problem]
    written: Path | None = None
    backup: Path | None = None

    @property
    def ok(self) -> bool:
        return self.written is not None and not has_errors(self.problems)


def rubric_json_text(data: dict[str, Any]) -> str:
    """rubric.json as the office keeps it: UTF-8, indented, exact numbers."""
    from .read import plain_numbers

    return json.dumps(plain_numbers(data), ensure_ascii=False, indent=2) + "\n"


def backup_path(path: Path, when: datetime | None = None) -> Path:
    stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.stem}.备份-{stamp}{path.suffix}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}.备份-{stamp}-{n}{path.suffix}")
    return candidate


def import_rubric(workbook: Path, out: Path, *, replace: bool = False) -> ImportResult:
    """Read the workbook and write rubric.json when it has no errors.

    An existing `out` is kept: without `replace` nothing is written; with it the old file is first
    renamed to a dated backup next to it.
    """
    from .read import read_workbook

    read = read_workbook(workbook)
    if not read.ok or read.data is None:
        return ImportResult(read.data, read.problems)
    text = rubric_json_text(read.data)
    backup = None
    if out.exists():
        if not replace:
            return ImportResult(
                read.data, [*read.problems, problem("RUBRIC_OUTPUT_EXISTS", file=str(out), path=str(out))]
            )
        backup = backup_path(out)
        out.rename(backup)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return ImportResult(read.data, read.problems, out, backup)
