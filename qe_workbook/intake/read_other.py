"""Reading a form saved as Excel 97-2003 (.xls) or OpenDocument (.ods): WPS, Excel and LibreOffice keep its
sheets and values, the hidden manifest sheet among them, so its manifest and signature are checked as an
.xlsx's are. What these formats do not let this program see (sheet protection, formulas, custom document
properties) is not checked; the signature over the locked content is what counts."""

from __future__ import annotations

from functools import partial
from io import BytesIO
from pathlib import PurePath
from typing import Any

from python_calamine import CalamineWorkbook

from ..forms.layout import FORM_SHEET, MANIFEST_SHEET
from ..problems import Problem, problem
from .container import Limits
from .isolate import Reader, ReaderFailed
from .read_form import RawForm, cell_text
from .sheetxml import SheetRef, SheetScan

FORMATS = {".xls": " Excel 97-2003（.xls）", ".ods": " OpenDocument（.ods）"}


def other_format(file: str, problems: list[Problem]) -> bool:
    """Whether a file the .xlsx container check refused is an .xls or .ods spreadsheet by name and content."""
    if PurePath(file).suffix.lower() not in FORMATS or len(problems) != 1:
        return False
    found = problems[0]
    return found.code == "FILE_XLS" or (found.code == "FILE_NOT_XLSX" and found.params.get("detected") == "odf")


def read_other(data: bytes, file: str, limits: Limits, reader: Reader) -> tuple[RawForm | None, list[Problem]]:
    """The form and manifest sheets of an .xls or .ods file (its values read in `reader`'s isolated child)."""
    try:
        names, grid, manifest_rows = reader.run(partial(read_workbook, data))
    except ReaderFailed as exc:
        return None, [problem("FILE_READER_FAILED", file=file, reason=str(exc))]
    if not names:
        return None, [problem("FORM_SHEET_MISSING", file=file)]
    form = FORM_SHEET if FORM_SHEET in names else names[0]
    cols = max((len(row) for row in grid), default=0)
    if len(grid) * cols > limits.max_cells or cols > limits.max_cols:
        return None, [problem("FILE_SHEET_TOO_BIG", file=file, sheet=form, rows=len(grid), cols=cols,
                              max_cols=limits.max_cols, max_cells=limits.max_cells)]  # fmt: skip
    manifest = {row[0]: cell_text(row[1]) for row in manifest_rows[1:] if len(row) >= 2 and isinstance(row[0], str)}
    scan = SheetScan(max_row=len(grid), max_col=cols, protected=True)  # protection cannot be seen in these formats
    raw = RawForm([SheetRef(name, "") for name in names], grid, scan, manifest)
    if MANIFEST_SHEET in names:
        return raw, []
    fmt = FORMATS[PurePath(file).suffix.lower()]
    return raw, [problem("FILE_FORMAT_UNVERIFIABLE", file=file, fmt=fmt)]


def read_workbook(data: bytes) -> tuple[list[str], list[list[Any]], list[list[Any]]]:
    """Every sheet's name, and the cells of the form and manifest sheets (run in a child process)."""
    wb = CalamineWorkbook.from_filelike(BytesIO(data))
    names = list(wb.sheet_names)
    if not names:
        return [], [], []
    grid = wb.get_sheet_by_name(FORM_SHEET if FORM_SHEET in names else names[0]).to_python(skip_empty_area=False)
    manifest = wb.get_sheet_by_name(MANIFEST_SHEET).to_python(skip_empty_area=False) if MANIFEST_SHEET in names else []
    return names, grid, manifest
