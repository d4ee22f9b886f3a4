"""The generator: locked forms with validation, a verifiable manifest, deterministic bytes."""

from __future__ import annotations

import subprocess
from collections import Counter
from datetime import datetime
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from qe_workbook.cli import main
from qe_workbook.forms.generate import generate_forms
from qe_workbook.forms.layout import (
    DATE_CELL,
    FORM_SHEET,
    GUIDE_SHEET,
    HEADER,
    MANIFEST_SHEET,
    cell_ref,
    column_fixed_ref,
    expected_content,
)
from qe_workbook.forms.manifest import Manifest, verify
from qe_workbook.rubric import Rubric

from .conftest import load_ok, require_program, small_rubric_data, write_json

KEY = bytes(range(32))
WHEN = datetime(2023, 3, 6, 9, 0, 0)


def _manifest(path: Path) -> Manifest:
    wb = openpyxl.load_workbook(path)
    ws = wb[MANIFEST_SHEET]
    values = {str(r[0]): str(r[1]) for r in ws.iter_rows(min_row=2, values_only=True)}
    manifest = Manifest.from_mapping(values)
    assert manifest is not None
    return manifest


def test_one_form_per_evaluator_with_items(tmp_path: Path, small_rubric: Rubric) -> None:
    result = generate_forms(small_rubric, tmp_path / "forms", KEY, generated_at=WHEN)
    assert [f.evaluator.name for f in result.forms] == ["甲局", "乙局", "质强办"]
    assert sorted(p.name for p in (tmp_path / "forms").iterdir()) == sorted(
        ["发放清单.xlsx"] + [f"2022年度质量工作考核评价表_{n}.xlsx" for n in ("甲局", "乙局", "质强办")]
    )


def test_2022_forms_skip_the_radio_bureau(tmp_path: Path, rubric_2022: Rubric) -> None:
    result = generate_forms(rubric_2022, tmp_path, KEY, generated_at=WHEN)
    assert len(result.forms) == 28
    assert [e.name for e in result.idle] == ["市无线电管理局"]
    dispatch = openpyxl.load_workbook(result.dispatch_list)
    assert dispatch["未生成评价表的部门"]["A4"].value == "市无线电管理局"
    assert dispatch["发放清单"].max_row == 31  # title, issuer and date, header, 28 forms


def test_form_sheet_layout_follows_attachment_6(tmp_path: Path, small_rubric: Rubric) -> None:
    form = generate_forms(small_rubric, tmp_path, KEY, generated_at=WHEN).forms[0]  # 甲局: 01-1, 01-2, 02-1
    wb = openpyxl.load_workbook(form.path)
    assert wb.sheetnames == [FORM_SHEET, GUIDE_SHEET, MANIFEST_SHEET]
    assert wb[MANIFEST_SHEET].sheet_state == "veryHidden"
    ws = wb[FORM_SHEET]
    assert ws["A2"].value == "考核评价部门（盖章）：甲局"
    assert ws["D2"].value == "填报日期："
    assert tuple(c.value for c in ws[4]) == HEADER
    assert [ws.cell(row, 1).value for row in range(5, 14)] == ["01-1", "01-2", "02-1"] * 3
    assert [ws.cell(row, 2).value for row in (5, 8, 11)] == ["东区", "西区", "南区"]
    assert [ws.cell(row, 2).value for row in range(5, 8)] == ["东区"] * 3  # named in every row of its block
    assert ws["B5"].font.b and not ws["B6"].font.b
    assert not any(r.min_col <= 2 <= r.max_col and 5 <= r.min_row <= 13 for r in ws.merged_cells.ranges)
    assert ws["C6"].value == "2. 根据农产品质量安全合格率测算得分。（20分）"
    assert [ws.cell(row, 4).value for row in (5, 6, 7)] == [40, 20, 2]
    assert ws["A15"].value.startswith("注：1.")


def test_only_the_input_cells_are_unlocked(tmp_path: Path, small_rubric: Rubric) -> None:
    form = generate_forms(small_rubric, tmp_path, KEY, generated_at=WHEN).forms[0]
    ws = openpyxl.load_workbook(form.path)[FORM_SHEET]
    assert ws.protection.sheet is True
    assert ws.protection.formatRows is False and ws.protection.formatColumns is False  # False = allowed
    assert ws.protection.formatCells is True and ws.protection.insertRows is True  # True = forbidden
    unlocked = {
        c.coordinate
        for row in ws.iter_rows(min_row=1, max_row=ws.max_row + 2, max_col=8)
        for c in row
        if c.protection.locked is False
    }
    expected = {DATE_CELL} | {f"{col}{row}" for row in range(5, 14) for col in "EF"}
    assert unlocked == expected


def test_every_input_cell_has_one_validation_with_the_right_bounds(tmp_path: Path, small_rubric: Rubric) -> None:
    form = generate_forms(small_rubric, tmp_path, KEY, generated_at=WHEN).forms[0]
    ws = openpyxl.load_workbook(form.path)[FORM_SHEET]
    covering: dict[str, list[openpyxl.worksheet.datavalidation.DataValidation]] = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            for row in ws[rng.coord] if ":" in rng.coord else [[ws[rng.coord]]]:
                for c in row:
                    covering.setdefault(c.coordinate, []).append(dv)
    inputs = {DATE_CELL} | {f"{col}{row}" for row in range(5, 14) for col in "EF"}
    assert set(covering) == inputs
    assert all(len(v) == 1 for v in covering.values())
    score, joint, deduction = covering["E5"][0], covering["E6"][0], covering["E7"][0]
    assert (score.type, score.operator or "between", score.formula1, score.formula2) == (
        "decimal",
        "between",
        "0",
        "40",
    )
    assert joint.formula2 == "20"
    assert (deduction.type, deduction.formula1, deduction.formula2) == ("whole", "0", "99")
    assert "每次扣1.5分，最高扣2分" in deduction.prompt
    assert all(dv.errorStyle in (None, "stop") and dv.showErrorMessage for v in covering.values() for dv in v)
    remark = covering["F5"][0]
    assert (remark.type, remark.operator, remark.formula1) == ("textLength", "lessThanOrEqual", "500")
    assert covering[DATE_CELL][0].type == "date"


def test_veto_is_a_yes_no_list(tmp_path: Path, small_rubric: Rubric) -> None:
    form = generate_forms(small_rubric, tmp_path, KEY, generated_at=WHEN).forms[2]  # 质强办: 02-2 veto
    ws = openpyxl.load_workbook(form.path)[FORM_SHEET]
    dv = next(dv for dv in ws.data_validations.dataValidation if "E5" in dv.sqref)
    assert (dv.type, dv.formula1) == ("list", '"是,否"')


def test_only_missing_remarks_change_colour(tmp_path: Path, small_rubric: Rubric) -> None:
    """The blank form prints in the one input colour the instructions name; a shortfall without remark turns orange."""
    form = generate_forms(small_rubric, tmp_path, KEY, generated_at=WHEN).forms[0]
    ws = openpyxl.load_workbook(form.path)[FORM_SHEET]
    rules = {
        str(rng.sqref): [r.formula[0] for r in rules] for rng, rules in ws.conditional_formatting._cf_rules.items()
    }
    assert set(rules) == {"F5 F6 F8 F9 F11 F12", "F7 F10 F13"}
    assert {ws.cell(row, col).fill.fgColor.rgb for row in range(5, 14) for col in (5, 6)} == {"FFFFF2CC"}
    assert "浅黄色单元格是填写处" in ws["A3"].value and "橙色" in ws["A3"].value
    assert ws["D7"].number_format == '"每次扣1.5分，"\n"最高扣"General"分"\n"（填次数）"'
    assert rules["F5 F6 F8 F9 F11 F12"] == ["AND(AND(ISNUMBER($E5),$E5<$D5),LEN(TRIM($F5))=0)"]
    assert rules["F7 F10 F13"] == ["AND(AND(ISNUMBER($E7),$E7>0),LEN(TRIM($F7))=0)"]


def test_manifest_verifies_with_the_key_only(tmp_path: Path, small_rubric: Rubric) -> None:
    for form in generate_forms(small_rubric, tmp_path, KEY, generated_at=WHEN).forms:
        manifest = _manifest(form.path)
        content = expected_content(small_rubric, form.evaluator)
        assert manifest.evaluator == form.evaluator.name and manifest.year == 2022
        assert verify(KEY, manifest, content)
        assert not verify(bytes(32), manifest, content)
        props = {p.name: p.value for p in openpyxl.load_workbook(form.path).custom_doc_props.props}
        assert props["qe_hmac"] == manifest.hmac and props["qe_form_id"] == manifest.form_id


def test_every_item_for_every_unit_exactly_once_across_forms(tmp_path: Path, rubric_2022: Rubric) -> None:
    seen: Counter[tuple[str, str]] = Counter()
    for form in generate_forms(rubric_2022, tmp_path, KEY, generated_at=WHEN).forms:
        ws = openpyxl.load_workbook(form.path)[FORM_SHEET]
        unit = None
        for row in ws.iter_rows(min_row=5, max_row=4 + form.rows, max_col=2, values_only=True):
            unit = row[1] or unit
            seen[(str(unit), str(row[0]))] += 1
    for unit in rubric_2022.units:
        for item in rubric_2022.items:
            assert seen[(unit.name, item.id)] == len(item.evaluators), (unit.name, item.id)
    assert sum(seen.values()) == 8 * (66 + 7)  # seven joint items are scored twice


def test_same_inputs_give_the_same_bytes(tmp_path: Path, small_rubric: Rubric) -> None:
    a = generate_forms(small_rubric, tmp_path / "a", KEY, generated_at=WHEN)
    b = generate_forms(small_rubric, tmp_path / "b", KEY, generated_at=WHEN)
    for fa, fb in zip(a.forms, b.forms, strict=True):
        assert fa.path.read_bytes() == fb.path.read_bytes()
    c = generate_forms(small_rubric, tmp_path / "c", KEY, generated_at=WHEN, seed="v2")
    assert c.forms[0].form_id != a.forms[0].form_id


def test_cli_generate_creates_the_key_and_keygen_never_overwrites(tmp_path: Path, small_rubric_path: Path) -> None:
    runner = CliRunner()
    key = tmp_path / "k" / "qe.key"
    result = runner.invoke(
        main, ["generate", "--rubric", str(small_rubric_path), "--key", str(key), "--out", str(tmp_path / "forms")]
    )
    assert result.exit_code == 0, result.output
    assert key.exists() and "已新建" in result.output
    before = key.read_bytes()
    result = runner.invoke(main, ["keygen", str(key)])
    assert result.exit_code == 1 and "未覆盖" in result.output
    assert key.read_bytes() == before


def test_cli_generate_with_a_broken_key_is_a_problem(tmp_path: Path, small_rubric_path: Path) -> None:
    key = tmp_path / "qe.key"
    key.write_text("not a key")
    result = CliRunner().invoke(
        main, ["generate", "--rubric", str(small_rubric_path), "--key", str(key), "--out", str(tmp_path / "forms")]
    )
    assert result.exit_code == 1 and "KEY_INVALID" in result.output


def test_libreoffice_prints_the_form_one_page_wide_on_a4(tmp_path: Path, rubric_2022: Rubric) -> None:
    soffice = require_program("soffice")
    pdftotext = require_program("pdftotext")
    form = next(
        f for f in generate_forms(rubric_2022, tmp_path, KEY, generated_at=WHEN).forms if f.evaluator.name == "市住建局"
    )
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            str(form.path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "pdf" / form.path.with_suffix(".pdf").name
    info = subprocess.run([require_program("pdfinfo"), str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "841.89 x 595.3" in info  # A4 landscape
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pages = [p for p in text.split("\f") if "项目编号" in p and "所评县区" in p]
    assert len(pages) >= 2
    for page in pages:  # the header is repeated and the whole width is on every page
        assert "评价说明" in page and "实际得分" in page


def test_cell_references_hold_past_column_z() -> None:
    assert [cell_ref(0, 0), cell_ref(4, 25), cell_ref(9, 26), cell_ref(0, 701), cell_ref(0, 702)] == [
        "A1", "Z5", "AA10", "ZZ1", "AAA1"
    ]  # fmt: skip
    assert column_fixed_ref(4, 4) == "$E5"


def test_a_shortfall_without_a_remark_is_flagged_in_the_remark_column(tmp_path: Path, small_rubric: Rubric) -> None:
    result = generate_forms(small_rubric, tmp_path, KEY)
    rules = {}
    for form in result.forms:
        ws = openpyxl.load_workbook(form.path)[FORM_SHEET]
        rules[form.evaluator.name] = [(str(cf.sqref), cf.rules[0].formula) for cf in ws.conditional_formatting]
    assert rules["甲局"] == [  # 01-1, 01-2 scored and 02-1 deducted, for 东区, 西区, 南区 in rows 5–13
        ("F5 F6 F8 F9 F11 F12", ["AND(AND(ISNUMBER($E5),$E5<$D5),LEN(TRIM($F5))=0)"]),
        ("F7 F10 F13", ["AND(AND(ISNUMBER($E7),$E7>0),LEN(TRIM($F7))=0)"]),
    ]
    assert rules["质强办"] == [("F5 F6 F7", ['AND($E5="是",LEN(TRIM($F5))=0)'])]


def test_guide_and_prompt_name_the_configured_veto_grade(tmp_path: Path) -> None:
    data = small_rubric_data()
    data["grading"]["veto"]["grade"] = "C"
    rubric = load_ok(write_json(tmp_path / "rubric.json", data))
    form = next(f for f in generate_forms(rubric, tmp_path / "forms", KEY).forms if f.evaluator.name == "质强办")
    wb = openpyxl.load_workbook(form.path)
    guide = [str(c.value).replace("\n", "") for row in wb[GUIDE_SHEET].iter_rows() for c in row if c.value]
    assert [text for text in guide if text.startswith("否决（")] == ["否决（C级）；发生的选“是”，否则选“否”"]
    prompts = [dv.prompt or "" for dv in wb[FORM_SHEET].data_validations.dataValidation]
    assert any("考核结果为C级" in p for p in prompts) and not any("D级" in p for p in prompts)
