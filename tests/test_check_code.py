"""Paper matches the file: the 校验码 a spreadsheet program computes on a filled form is the one
`报送情况` expects for the adopted file (LibreOffice typing through UNO, recalculating as it goes)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from qe_workbook.forms.check_code import code_in_text, form_check_code
from qe_workbook.forms.layout import CODE_CELL, FORM_SHEET, form_rows
from qe_workbook.intake.collect import collect
from qe_workbook.intake.submission import Status
from qe_workbook.outputs.master import write_master
from qe_workbook.rubric import Rubric
from qe_workbook.scoring.score import score

from .conftest import ROOT, load_ok, require_program, small_rubric_data, write_json
from .forms import KEY, TIE, fill_all, generate
from .test_real_clients import TYPED, run_bounded, uno_python

LO_FILL = ROOT / "scripts" / "lo_fill.py"
BMP_ONLY = {k: v.replace("😀", "").replace("𠀀", "") for k, v in TYPED.items()}


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> tuple[Rubric, Path, Path]:
    folder = tmp_path_factory.mktemp("check-code")
    rubric = load_ok(write_json(folder / "rubric.json", small_rubric_data()))
    generated = generate(rubric, folder / "forms")
    form = next(f.path for f in generated.forms if f.evaluator.name == "甲局")
    return rubric, form, folder / "lo-profile"


def typed_in_libreoffice(form: Path, dst: Path, cells: dict[str, str], profile: Path) -> str:
    """Fill the form in LibreOffice and return the 校验码 LibreOffice computed and saved beside the stamp line."""
    soffice = require_program("soffice")
    run_bounded([uno_python(), str(LO_FILL), str(form), str(dst), *(f"{k}={v}" for k, v in cells.items()),
                 "--profile", str(profile), "--soffice", soffice])  # fmt: skip
    grid = CalamineWorkbook.from_path(str(dst)).get_sheet_by_name(FORM_SHEET).to_python()
    code = code_in_text(str(grid[1][5]))
    assert code is not None, grid[1][5]
    assert str(grid[1][5]).endswith(f"\n校验码：{code}")  # its own line under the form number, never split
    return code


def test_libreoffice_computes_the_code_that_the_returns_sheet_expects(
    tmp_path: Path, forms: tuple[Rubric, Path, Path]
) -> None:
    rubric, form, profile = forms
    printed = typed_in_libreoffice(form, tmp_path / "returned" / "甲局.xlsx", BMP_ONLY, profile)
    collected = collect(tmp_path / "returned", rubric, KEY)
    (sub,) = collected.submissions
    assert sub.status == Status.ACCEPTED and sub.check_code is not None
    assert sub.check_code.excel == sub.check_code.libreoffice == printed
    write_master(tmp_path / "master.xlsx", rubric, score(collected.frame, rubric), collected, collected.problems)
    sheet = openpyxl.load_workbook(tmp_path / "master.xlsx")["报送情况"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "甲局")
    assert row[header.index("纸质版校验码")] == printed


def test_characters_beyond_the_bmp_give_both_readings(tmp_path: Path, forms: tuple[Rubric, Path, Path]) -> None:
    """LibreOffice counts 😀 as one character, Excel as two UTF-16 units: the sheet names both codes."""
    rubric, form, profile = forms
    printed = typed_in_libreoffice(form, tmp_path / "returned" / "甲局.xlsx", TYPED, profile)
    (sub,) = collect(tmp_path / "returned", rubric, KEY).submissions
    assert sub.check_code is not None
    assert sub.check_code.libreoffice == printed != sub.check_code.excel
    assert sub.check_code.shown() == f"{sub.check_code.excel}（用 LibreOffice 填写打印的为 {printed}）"


def test_any_single_score_change_changes_the_code(tmp_path: Path, small_rubric: Rubric) -> None:
    generated = generate(small_rubric, tmp_path / "forms")
    fill_all(generated, tmp_path / "returned", TIE)
    grid = CalamineWorkbook.from_path(str(tmp_path / "returned" / generated.forms[0].path.name))
    cells = grid.get_sheet_by_name(FORM_SHEET).to_python()
    rows = form_rows(small_rubric, generated.forms[0].evaluator.name)

    def reading(changes: dict[tuple[int, int], object]) -> str:
        return form_check_code(lambda r, c: changes.get((r, c), cells[r][c] if c < len(cells[r]) else None), rows)

    base = reading({})
    for r in rows:
        for delta in (0.01, 0.5, 1):
            value = cells[r.row][4]
            changed = value + delta if isinstance(value, int | float) else "是"
            assert reading({(r.row, 4): changed}) != base, (r.score_cell, delta)
        assert reading({(r.row, 5): f"{cells[r.row][5]}。"}) != base, r.remark_cell
    blank = openpyxl.load_workbook(generated.forms[0].path)[FORM_SHEET][CODE_CELL]
    assert blank.value.text.startswith('="表单编号：') and "校验码：" in blank.value.text
