"""Fuzzing the collector with edits of a filled form: values, locked cells, the manifest, rows, sheets.

Invariant: the file is either accepted with exactly the scores and remarks it holds, or rejected
with an error; the collector never crashes, and never accepts a form whose locked content changed.
The oracle reads the edited file with openpyxl, independently of the collector's own reader.
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from qe_workbook.forms.layout import (
    COL_ID,
    COL_MAX,
    COL_REMARK,
    COL_SCORE,
    COL_TEXT,
    COL_UNIT,
    FIRST_DATA_ROW,
    FORM_SHEET,
    HEADER_ROW,
    MANIFEST_SHEET,
    SHEETS,
    cell_ref,
)
from qe_workbook.forms.manifest import Manifest
from qe_workbook.intake.collect import collect
from qe_workbook.intake.submission import Status
from qe_workbook.rubric import Rubric

from .conftest import load_ok, small_rubric_data, write_json
from .forms import KEY, TIE, fill_all, generate

ROWS = 9  # 甲局's form: 3 units × (01-1, 01-2, 02-1)
COLUMNS = (COL_ID, COL_TEXT, COL_MAX, COL_SCORE, COL_REMARK)  # all but the unit, merged down each block
LOCKED = (COL_ID, COL_TEXT, COL_MAX)
PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")  # as typed into Excel


@dataclass(frozen=True)
class Book:
    wb: Workbook
    form: Worksheet  # held on to, so that a renamed sheet is still found
    manifest: Worksheet


Edit = Callable[[Book], None]


def _row(pos: int) -> int:
    return FIRST_DATA_ROW + pos + 1  # openpyxl counts from 1


def _put(cell: Cell | MergedCell, value: object) -> bool:
    """Write a cell; after rows were deleted or inserted a merged cell may sit there (left alone)."""
    if isinstance(cell, MergedCell):
        return False
    cell.value = value
    return True


def set_input(pos: int, col: int, value: object) -> Edit:
    def apply(book: Book) -> None:
        cell = book.form.cell(_row(pos), col + 1)
        if _put(cell, value) and col == COL_REMARK:
            cell.data_type = "s"  # a remark is text, even one that starts with '='

    return apply


def edit_locked(ref: str, suffix: str, delta: int) -> Edit:
    def apply(book: Book) -> None:
        old = book.form[ref].value
        new = old + delta if isinstance(old, (int, float)) else f"{old}{suffix}"
        _put(book.form[ref], new)

    return apply


def swap_rows(a: int, b: int) -> Edit:
    def apply(book: Book) -> None:
        for col in COLUMNS:
            x, y = book.form.cell(_row(a), col + 1), book.form.cell(_row(b), col + 1)
            if not isinstance(x, MergedCell) and not isinstance(y, MergedCell):
                x.value, y.value = y.value, x.value

    return apply


def delete_row(pos: int) -> Edit:
    def apply(book: Book) -> None:
        book.form.delete_rows(_row(pos))

    return apply


def duplicate_row(pos: int) -> Edit:
    def apply(book: Book) -> None:
        book.form.insert_rows(_row(pos) + 1)
        for col in COLUMNS:
            _put(book.form.cell(_row(pos) + 1, col + 1), book.form.cell(_row(pos), col + 1).value)

    return apply


def rename_sheet(index: int, name: str) -> Edit:
    def apply(book: Book) -> None:
        if name not in book.wb.sheetnames:
            book.wb.worksheets[index].title = name

    return apply


def reorder_sheets(order: list[int]) -> Edit:
    def apply(book: Book) -> None:
        book.wb._sheets = [book.wb._sheets[i] for i in order]

    return apply


PLAUSIBLE = {
    "format": "qe_workbook-form/2",
    "year": "2021",
    "rubric_hash": "0" * 64,
    "evaluator": "乙局",
    "form_id": "0" * 12,
    "generated_at": "2023-01-01T00:00:00",
    "hmac": "f" * 64,
}


def edit_manifest(name: str, junk: bool) -> Edit:
    def apply(book: Book) -> None:
        for key, value in book.manifest.iter_rows(min_row=2):
            if key.value == name:
                value.value = f"{value.value}x" if junk else PLAUSIBLE[name]

    return apply


POS = st.integers(0, ROWS - 1)
SCORES = st.one_of(
    st.none(),
    st.integers(-3, 45),
    st.integers(-300, 4500).map(lambda c: c / 100),
    st.integers(0, 45_000).map(lambda m: m / 1000),
    st.sampled_from(["满分", "2分", "12.5", "１８", " 7 ", "=20+1", "", "是", "1e1", "四十"]),
)
REMARKS = st.text(alphabet="优势不足建议abc =😀𠀀，。", max_size=30)
LOCKED_REFS = (
    ["A1", "A2", "B5", "B8", "B11"]
    + [cell_ref(HEADER_ROW, c) for c in range(6)]
    + [cell_ref(FIRST_DATA_ROW + pos, col) for pos in range(ROWS) for col in LOCKED]
)
VALUE_EDITS = st.one_of(
    st.builds(set_input, POS, st.just(COL_SCORE), SCORES),
    st.builds(set_input, POS, st.just(COL_REMARK), REMARKS),
)
OTHER_EDITS = st.one_of(
    st.builds(edit_locked, st.sampled_from(LOCKED_REFS), st.text(alphabet="改甲Ａ1，", min_size=1, max_size=3),
              st.integers(1, 9)),
    st.builds(swap_rows, POS, POS),
    st.builds(delete_row, POS),
    st.builds(duplicate_row, POS),
    st.builds(rename_sheet, st.integers(0, 2), st.sampled_from(["Sheet1", "评价表1", "manifest"])),
    st.builds(reorder_sheets, st.permutations([0, 1, 2])),
    st.builds(edit_manifest, st.sampled_from(list(PLAUSIBLE)), st.booleans()),
)  # fmt: skip
# often values alone (the file should then be accepted), often something else as well
EDITS = st.tuples(st.lists(VALUE_EDITS, max_size=4), st.lists(OTHER_EDITS, max_size=2)).map(lambda t: t[0] + t[1])


def written_number(value: object) -> Decimal | None:
    """The number a department meant, when there is no doubt about it."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(repr(value))
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        return Decimal(text) if PLAIN_NUMBER.match(text) else None
    return None


def apply_edits(form: bytes, edits: list[Edit]) -> bytes:
    wb = openpyxl.load_workbook(BytesIO(form))
    book = Book(wb, wb[FORM_SHEET], wb[MANIFEST_SHEET])
    for edit in edits:
        edit(book)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def locked_content(wb: Workbook) -> object:
    """What must not change, read with openpyxl (independently of the collector's reader)."""
    if wb.sheetnames != list(SHEETS):
        return wb.sheetnames
    ws = wb[FORM_SHEET]
    rows, unit, row = [], None, FIRST_DATA_ROW + 1
    while any(ws.cell(row, col + 1).value not in (None, "") for col in (*LOCKED, COL_UNIT)):
        unit = ws.cell(row, COL_UNIT + 1).value or unit
        rows.append((unit, *(ws.cell(row, col + 1).value for col in LOCKED)))
        row += 1
    return ws["A1"].value, ws["A2"].value, [c.value for c in ws[HEADER_ROW + 1]], rows


@dataclass(frozen=True)
class Source:
    rubric: Rubric
    form: bytes  # 甲局's form, filled
    locked: object  # its locked content as the oracle reads it
    form_id: str


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Source:
    folder = tmp_path_factory.mktemp("fuzz")
    rubric = load_ok(write_json(folder / "rubric.json", small_rubric_data()))
    form = fill_all(generate(rubric, folder / "forms"), folder / "filled", {"甲局": TIE["甲局"]})["甲局"].read_bytes()
    wb = openpyxl.load_workbook(BytesIO(form))
    manifest = Manifest.from_mapping(
        {str(k): str(v) for k, v in wb[MANIFEST_SHEET].iter_rows(min_row=2, values_only=True)}
    )
    assert manifest is not None
    return Source(rubric, form, locked_content(wb), manifest.form_id)


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=EDITS)
@example(edits=[set_input(0, COL_REMARK, "=="), swap_rows(0, 0)])  # a text remark rewritten as a formula
def test_an_edited_form_is_accepted_exactly_or_rejected(source: Source, edits: list[Edit]) -> None:
    data = apply_edits(source.form, edits)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "甲局.xlsx"
        path.write_bytes(data)
        collected = collect([path], source.rubric, KEY)
    (sub,) = collected.submissions
    assert not any(p.code == "INTERNAL_ERROR" for p in sub.problems)  # a defect, never the file's fault
    if sub.status != Status.ACCEPTED:
        assert any(p.severity == "error" and p.code.startswith(("FILE_", "FORM_")) for p in sub.problems)
        return
    edited = openpyxl.load_workbook(BytesIO(data))
    assert locked_content(edited) == source.locked, [p.code for p in sub.problems]
    assert (sub.evaluator, sub.form_id) == ("甲局", source.form_id)
    problem_cells = {p.cell for p in sub.problems if p.code.startswith("VALUE_")}
    ws = edited[FORM_SHEET]
    for pos, entry in enumerate(sub.entries):
        score, remark = (ws.cell(_row(pos), col + 1) for col in (COL_SCORE, COL_REMARK))
        if entry.valid:
            assert entry.value == written_number(score.value), (entry, score.value)
        else:
            assert entry.cell in problem_cells
        if remark.data_type == "f":  # a remark that became a formula (e.g. "==" re-typed) is refused, never read
            assert entry.remark == "" and entry.remark_cell in problem_cells
        else:
            assert entry.remark == ("" if remark.value is None else str(remark.value).strip())
    cents = [None if e.value is None else int(e.value * 100) for e in sub.entries]
    assert [None if v is pd.NA else v for v in collected.frame["value_cents"]] == cents
