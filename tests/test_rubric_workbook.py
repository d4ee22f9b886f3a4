"""The rubric as a workbook: export, import, the round trip, LibreOffice, a clerk's typical mistakes."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.worksheet.worksheet import Worksheet

from qe_workbook.cli import main
from qe_workbook.problems import Problem, Severity
from qe_workbook.rubric import Rubric, load_rubric
from qe_workbook.rubric.load import canonical_json, read_rubric_json
from qe_workbook.rubric.workbook.files import export_rubric, import_rubric
from qe_workbook.rubric.workbook.read import read_workbook

from .conftest import ROOT, load_ok, small_rubric_data, write_json
from .test_real_clients import _libreoffice

# the 2022 rubric's own notes (财务装备科 has no contacts, 市无线电管理局 no items): not mistakes
KNOWN_2022 = {"RUBRIC_CONTACT_MISSING", "RUBRIC_EVALUATOR_UNUSED"}


@pytest.fixture(scope="module")
def workbook_2022(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "rubric-2022.xlsx"
    result = export_rubric(ROOT / "rubric.json", out)
    assert result.path == out, result.problems
    return out


def _edited(src: Path, dst: Path, edit: Callable[[openpyxl.Workbook], None]) -> Path:
    """The workbook as a clerk leaves it after an edit in Excel (here: openpyxl)."""
    wb = openpyxl.load_workbook(src)
    edit(wb)
    wb.save(dst)
    return dst


def _row_of(ws: Worksheet, item_id: str) -> int:
    """The row of an item on the 评价项目 sheet (编号 is column K)."""
    return next(row for row in range(2, ws.max_row + 1) if ws.cell(row, 11).value == item_id)


def _new(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.code not in KNOWN_2022]


def test_export_then_import_gives_the_same_2022_rubric(
    tmp_path: Path, workbook_2022: Path, rubric_2022: Rubric
) -> None:
    result = import_rubric(workbook_2022, tmp_path / "rubric.json")
    assert result.ok and _new(result.problems) == []
    original, _ = read_rubric_json(ROOT / "rubric.json")
    written, _ = read_rubric_json(tmp_path / "rubric.json")
    assert canonical_json(written) == canonical_json(original)
    assert load_ok(tmp_path / "rubric.json").content_hash == rubric_2022.content_hash


def test_a_rubric_without_optional_fields_round_trips(tmp_path: Path) -> None:
    src = write_json(tmp_path / "small.json", small_rubric_data())
    assert export_rubric(src, tmp_path / "small.xlsx").path
    read = read_workbook(tmp_path / "small.xlsx")
    assert read.problems == []
    original, _ = read_rubric_json(src)
    assert canonical_json(read.data) == canonical_json(original)


def test_a_workbook_saved_by_libreoffice_imports_unchanged(
    tmp_path: Path, workbook_2022: Path, rubric_2022: Rubric
) -> None:
    _libreoffice([workbook_2022], tmp_path / "saved", tmp_path / "profile")
    result = import_rubric(tmp_path / "saved" / workbook_2022.name, tmp_path / "rubric.json")
    assert result.ok, result.problems
    assert load_ok(tmp_path / "rubric.json").content_hash == rubric_2022.content_hash


def test_the_export_shows_the_area_sums_and_offers_drop_downs(workbook_2022: Path) -> None:
    wb = openpyxl.load_workbook(workbook_2022)
    assert wb.sheetnames[0] == "说明"
    areas = wb["考核领域"]
    assert [areas.cell(r, 4).value for r in range(2, 7)] == [f"=SUMIFS('评价项目'!$G$2:$G$267,'评价项目'!$A$2:$A$267,B{r},'评价项目'!$F$2:$F$267,\"评分项\")" for r in range(2, 7)]  # fmt: skip
    cached = openpyxl.load_workbook(workbook_2022, data_only=True)["考核领域"]
    assert [cached.cell(r, 4).value for r in range(2, 7)] == [28, 25, 25, 9, 13]
    sources = {str(dv.sqref): dv.formula1 for dv in wb["评价项目"].data_validations.dataValidation}
    assert sources["F2:F267"] == '"评分项,扣分项,加分项,否决项"'
    assert sources["E2:E267"] == "'评价部门'!$A$2:$A$301"
    assert sources["A2:A267"] == "'考核领域'!$B$2:$B$101"
    assert sources["B2:B267"] == "'考核要点'!$G$2:$G$301"  # beside 上级要点 and 分值


def test_an_existing_rubric_json_is_never_overwritten(tmp_path: Path, workbook_2022: Path) -> None:
    out = write_json(tmp_path / "rubric.json", {"kept": True})
    refused = import_rubric(workbook_2022, out)
    assert not refused.ok and [p.code for p in _new(refused.problems)] == ["RUBRIC_OUTPUT_EXISTS"]
    assert json.loads(out.read_text(encoding="utf-8")) == {"kept": True}
    replaced = import_rubric(workbook_2022, out, replace=True)
    assert replaced.ok and replaced.backup is not None
    assert json.loads(replaced.backup.read_text(encoding="utf-8")) == {"kept": True}
    assert load_rubric(out).ok


# ---------------------------------------------------------------- typical mistakes, one message each


def _one_error(tmp_path: Path, workbook: Path, edit: Callable[[openpyxl.Workbook], None]) -> Problem:
    read = read_workbook(_edited(workbook, tmp_path / "edited.xlsx", edit))
    (error,) = _new(read.problems)
    return error


def test_a_merged_cell(tmp_path: Path, workbook_2022: Path) -> None:
    def merge(wb: openpyxl.Workbook) -> None:
        ws = wb["评价项目"]
        row = _row_of(ws, "11-2")  # 11-2 and 11-3 are both 市住建局's, one merged cell in 附件1
        ws.merge_cells(f"E{row}:E{row + 1}")

    error = _one_error(tmp_path, workbook_2022, merge)
    assert (error.code, error.sheet, error.cell) == ("RUBRIC_XLSX_MERGED", "评价项目", "E50")
    assert error.message.startswith("[评价项目] 第 50 行 E 列：单元格 E50:E51 是合并单元格")
    assert "取消合并" in error.message


def test_points_typed_with_the_word_for_points(tmp_path: Path, workbook_2022: Path) -> None:
    def typed(wb: openpyxl.Workbook) -> None:
        wb["评价项目"].cell(_row_of(wb["评价项目"], "05-3"), 7).value = "4分"  # 05-3 is worth 4

    error = _one_error(tmp_path, workbook_2022, typed)
    assert (error.code, error.sheet, error.cell) == ("RUBRIC_XLSX_NOT_NUMBER", "评价项目", "G21")
    assert (
        error.message
        == "[评价项目] 第 21 行 G 列：分值或最高扣分“4分”不是数字。请改为 4（只填数字，不要写“分”等文字）。"
    )


def test_an_evaluator_misspelt_gets_the_near_name(tmp_path: Path, workbook_2022: Path) -> None:
    def misspelt(wb: openpyxl.Workbook) -> None:
        wb["评价项目"].cell(_row_of(wb["评价项目"], "11-2"), 5).value = "市住健局"

    error = _one_error(tmp_path, workbook_2022, misspelt)
    assert (error.code, error.cell) == ("RUBRIC_XLSX_UNKNOWN_NAME", "E50")
    assert error.message == (
        "[评价项目] 第 50 行 E 列：评价部门“市住健局”不在“评价部门”工作表中。"
        "是否应为“市住建局”？请改为与“评价部门”工作表完全一致的名称，或从下拉列表中选择。"
    )


def test_a_blank_row_in_the_middle_is_skipped_with_a_warning(tmp_path: Path, workbook_2022: Path, rubric_2022: Rubric) -> None:  # fmt: skip
    edited = _edited(workbook_2022, tmp_path / "edited.xlsx", lambda wb: wb["评价项目"].insert_rows(10))
    result = import_rubric(edited, tmp_path / "rubric.json")
    (warning,) = _new(result.problems)
    assert (warning.code, warning.severity, warning.sheet) == ("RUBRIC_XLSX_BLANK_ROW", Severity.WARNING, "评价项目")
    assert warning.message.startswith("[评价项目] 第 10 行：第 10 行是空行，已跳过。如果是要删除")
    assert result.ok and load_ok(tmp_path / "rubric.json").content_hash == rubric_2022.content_hash


def test_meaning_checks_name_the_cell(tmp_path: Path, workbook_2022: Path) -> None:
    def moved(wb: openpyxl.Workbook) -> None:
        ws = wb["评价项目"]
        ws.cell(_row_of(ws, "16-3"), 7).value = 0.5  # area 5 now sums to 12.8, and the text still says 0.7
        ws.cell(_row_of(ws, "16-4"), 11).value = "16-1"  # a repeated id

    read = read_workbook(_edited(workbook_2022, tmp_path / "edited.xlsx", moved))
    found = {(p.code, p.sheet, p.cell): p.message for p in _new(read.problems)}
    assert set(found) == {
        ("RUBRIC_AREA_SUM", "考核领域", "C6"),
        ("RUBRIC_TEXT_MAX", "评价项目", "G65"),
        ("RUBRIC_DUPLICATE_ID", "评价项目", "K66"),
    }
    assert found[("RUBRIC_AREA_SUM", "考核领域", "C6")].startswith(
        "[考核领域] 第 6 行 C 列：领域“质量基础设施”分值为 13 分，但其评分项目满分合计为 12.8 分"
    )
    assert "项目文字写明 0.7 分，但 分值 为 0.5" in found[("RUBRIC_TEXT_MAX", "评价项目", "G65")]
    assert found[("RUBRIC_DUPLICATE_ID", "评价项目", "K66")].startswith(
        "[评价项目] 第 66 行 K 列：项目编号“16-1”出现了 2 次"
    )


def test_cli_export_import_and_diff(tmp_path: Path) -> None:
    runner = CliRunner()
    src = write_json(tmp_path / "old.json", small_rubric_data())
    xlsx = tmp_path / "rubric.xlsx"
    assert runner.invoke(main, ["rubric", "export", "--rubric", str(src), "--out", str(xlsx)]).exit_code == 0
    again = runner.invoke(main, ["rubric", "export", "--rubric", str(src), "--out", str(xlsx)])
    assert again.exit_code == 1 and "已存在，未覆盖" in again.output

    def edit(wb: openpyxl.Workbook) -> None:
        wb["被考核单位"].append(["北区", "北区人民政府"])
        wb["等级评定"]["C2"].value = 92

    _edited(xlsx, xlsx, edit)
    imported = runner.invoke(main, ["rubric", "import", str(xlsx), "--out", str(tmp_path / "new.json")])
    assert imported.exit_code == 0, imported.output
    shown = runner.invoke(main, ["rubric", "diff", str(src), str(xlsx)])
    assert shown.exit_code == 0, shown.output
    assert "新增  被考核单位  北区" in shown.output
    assert "等级分数线由 A≥90、B≥80、C≥60 改为 A≥92、B≥80、C≥60" in shown.output
    as_json = json.loads(runner.invoke(main, ["rubric", "diff", str(src), str(tmp_path / "new.json"), "--json"]).output)
    assert [c["kind"] for c in as_json["changes"]] == ["unit_added", "grading_changed"]
    checked = runner.invoke(main, ["rubric", "check", str(xlsx)])
    assert checked.exit_code == 0 and "4 个被考核单位" in checked.output


def test_an_unreadable_workbook_is_one_problem(tmp_path: Path) -> None:
    bad = tmp_path / "rubric.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    (p,) = read_workbook(bad).problems
    assert p.code == "RUBRIC_XLSX_UNREADABLE" and "不是 .xlsx 工作簿" in p.message
    copy = tmp_path / "copy.xlsx"
    shutil.copy(bad, copy)
    result = CliRunner().invoke(main, ["rubric", "import", str(copy), "--out", str(tmp_path / "r.json")])
    assert result.exit_code == 1 and not (tmp_path / "r.json").exists()
