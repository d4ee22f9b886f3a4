"""Reading a returned form: structure from the XML, values with python-calamine.

The sheet's real extent is checked from its XML before calamine sees it, because calamine
allocates a grid as large as the sheet claims and aborts the process when that fails; calamine
itself then runs in a memory-capped child process (isolate.py) in case a file gets past the check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import lru_cache, partial
from io import BytesIO
from typing import Any

from python_calamine import CalamineWorkbook

from ..amounts import canonical, from_cell
from ..forms.layout import FORM_SHEET, MANIFEST_SHEET
from ..problems import Problem, problem
from .container import ZIP_ERRORS, Limits, Package
from .isolate import Reader, ReaderFailed
from .sheetxml import (
    BrokenXml,
    PlaceTwice,
    SheetRef,
    SheetScan,
    UnknownEncoding,
    UnsafeXml,
    custom_properties,
    outside_references,
    scan_sheet,
    workbook_sheets,
)


@dataclass
class RawForm:
    """What was read from one returned file, before any judgement."""

    sheets: list[SheetRef]
    grid: list[list[Any]]
    scan: SheetScan
    manifest: dict[str, str] = field(default_factory=dict)
    properties: dict[str, str] = field(default_factory=dict)

    def cell(self, row: int, col: int) -> Any:
        if 0 <= row < len(self.grid) and 0 <= col < len(values := self.grid[row]):
            return values[col]
        return None


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: Any) -> str:
    """A cell's value as text: numbers in canonical form (5.0 -> '5'), dates as ISO, blanks as ''."""
    kind = type(value)
    if kind is str:  # the common cases first, each as the general path below gives it
        return value if value.strip() else ""
    if kind is float and value and value - value == 0:  # finite, not zero (-0.0 shows as '-0')
        return _float_text(value)
    if is_blank(value):
        return ""
    number = from_cell(value)
    if number is not None:
        return canonical(number)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() != datetime.min.time() else f"{value:%Y-%m-%d}"
    return str(value)


@lru_cache(maxsize=4096)
def _float_text(value: float) -> str:
    """cell_text of a finite non-zero float (the same few scores recur on every form)."""
    return canonical(Decimal(repr(value)))


def read_form(
    pkg: Package, data: bytes, file: str, limits: Limits, reader: Reader
) -> tuple[RawForm | None, list[Problem]]:
    """Read the form and manifest sheets of a package that passed the container checks (the values in
    `reader`'s isolated child)."""

    def fail(code: str, sheet: str | None = None, cell: str | None = None, **params: Any) -> tuple[None, list[Problem]]:
        return None, [problem(code, file=file, sheet=sheet, cell=cell, **params)]

    try:
        outside = outside_references(pkg)
        if outside is not None:
            return fail(outside[0], **outside[1])
        sheets = workbook_sheets(pkg)
        names = [s.name.casefold() for s in sheets]
        twice = next((s.name for s, n in zip(sheets, names, strict=True) if names.count(n) > 1), None)
        if twice is not None:  # readers differ on which of the two they take
            return fail("FILE_SHEET_NAME_TWICE", name=twice[:30])
        if not sheets:
            return fail("FORM_SHEET_MISSING")
        by_name = {s.name: s for s in sheets}
        form_ref = by_name.get(FORM_SHEET, sheets[0])
        to_read = [s for s in (form_ref, by_name.get(MANIFEST_SHEET)) if s is not None]
        scans = {}
        for ref in to_read:
            try:
                scans[ref.name] = scan_sheet(pkg, ref.part)
            except PlaceTwice as again:
                if again.row:
                    return fail("FILE_ROW_TWICE", sheet=ref.name, cell=f"A{again.ref}", row=again.ref)
                return fail("FILE_CELL_TWICE", sheet=ref.name, cell=again.ref)
        properties = custom_properties(pkg)
    except UnknownEncoding as exc:
        return fail("FILE_XML_ENCODING", part=exc.part[:60], encoding=exc.encoding)
    except UnsafeXml:
        return fail("FILE_XML_UNSAFE")
    except BrokenXml as exc:
        return fail("FILE_STRUCTURE_BROKEN", reason=str(exc))
    except ZIP_ERRORS:  # a part that cannot be decompressed (the container check read them once already)
        return fail("FILE_STRUCTURE_BROKEN", reason="压缩数据无法读取")
    for name, scan in scans.items():
        rows = max(scan.max_row, scan.dimension[0])
        cols = max(scan.max_col, scan.dimension[1])
        if rows * cols > limits.max_cells or cols > limits.max_cols:
            return fail(
                "FILE_SHEET_TOO_BIG",
                sheet=name,
                rows=rows,
                cols=cols,
                max_cols=limits.max_cols,
                max_cells=limits.max_cells,
            )
    try:
        grid, manifest_rows = reader.run(
            partial(read_cells, pkg.for_reader(data), form_ref.name, MANIFEST_SHEET in by_name)
        )
    except ReaderFailed as exc:
        return fail("FILE_READER_FAILED", reason=str(exc))
    manifest = {row[0]: cell_text(row[1]) for row in manifest_rows[1:] if len(row) >= 2 and isinstance(row[0], str)}
    return RawForm(sheets, grid, scans[form_ref.name], manifest, properties), []


def read_cells(data: bytes, form: str, with_manifest: bool) -> tuple[list[list[Any]], list[list[Any]]]:
    """The cell values of the form sheet and the manifest sheet (run in a child process)."""
    wb = CalamineWorkbook.from_filelike(BytesIO(data))
    grid = wb.get_sheet_by_name(form).to_python(skip_empty_area=False)
    manifest = wb.get_sheet_by_name(MANIFEST_SHEET).to_python(skip_empty_area=False) if with_manifest else []
    return grid, manifest
