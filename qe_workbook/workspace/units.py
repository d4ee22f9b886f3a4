"""The units' part of the year in a workspace, as `qe units generate` and `qe units check 县区材料` run in the
workspace folder: the packages sent to the units (out/units), the materials they send back (县区材料, each
upload kept as sent with its receipt) and the checks of them (out/units-check/<time>)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook

from ..documents.templating import TemplateBroken
from ..problems import Problem
from ..rubric import Rubric
from ..units.package import generate_packages
from ..units.report_out import MERGED_FILE, STATUS_FILE, STATUS_HEADER, run_units_check
from .layout import Workspace


@dataclass
class UnitsGenerated:
    folders: list[Path] = field(default_factory=list)  # one per unit
    register: Path | None = None  # the office's 收件登记.xlsx
    problems: list[Problem] = field(default_factory=list)


def generate_units_in(ws: Workspace, rubric: Rubric) -> UnitsGenerated:
    """`qe units generate`: each unit's package in out/units/<unit> (never over an existing file), its 自评报告（模板）
    from the workspace's 文书模板 when it holds one."""
    key, problems = ws.read_key()
    if key is None:
        return UnitsGenerated(problems=problems)
    try:
        result = generate_packages(rubric, ws.units, key, templates=ws.templates)
    except TemplateBroken as broken:
        return UnitsGenerated(problems=broken.problems)
    return UnitsGenerated([p.folder for p in result.packages], result.register, ws.templates_used())


def unit_packages(ws: Workspace, rubric: Rubric) -> list[tuple[str, list[Path]]]:
    """Each unit's package folder as generated, with the files at its top (the 印证材料 folder left out)."""
    found = []
    for unit in rubric.units:
        folder = ws.units / unit.name
        if folder.is_dir():
            found.append((unit.name, sorted(p for p in folder.iterdir() if p.is_file())))
    return found


@dataclass
class UnitsChecked:
    folder: Path | None
    clean: bool = False
    problems: list[Problem] = field(default_factory=list)


def check_units_in(ws: Workspace, rubric: Rubric) -> UnitsChecked:
    """`qe units check 县区材料`: a new folder under out/units-check."""
    key, problems = ws.read_key()
    if key is None:
        return UnitsChecked(None, problems=problems)
    ws.units_received.mkdir(parents=True, exist_ok=True)
    check, folder = run_units_check(ws.units_received, rubric, key, ws.units_checks)
    return UnitsChecked(folder, check.clean, check.problems)


@dataclass
class CheckView:
    folder: Path
    header: list[str]
    rows: list[list[str]]  # 材料报送情况, as written
    files: list[Path]  # the office's downloads: 材料报送情况.xlsx, 考核工作联系人员名单.xlsx


def check_view(folder: Path) -> CheckView:
    """A units check as written: its 材料报送情况 table read back from the workbook."""
    rows: list[list[str]] = []
    status = folder / STATUS_FILE
    if status.is_file():
        wb = load_workbook(status, read_only=True)
        try:
            table = [["" if v is None else str(v) for v in r] for r in wb.worksheets[0].iter_rows(values_only=True)]
        finally:
            wb.close()
        at = next((i for i, r in enumerate(table) if r[: len(STATUS_HEADER)] == STATUS_HEADER), None)
        rows = [r[: len(STATUS_HEADER)] for r in table[at + 1 :] if any(r)] if at is not None else []
    files = [p for p in (status, folder / MERGED_FILE) if p.is_file()]
    return CheckView(folder, STATUS_HEADER, rows, files)
