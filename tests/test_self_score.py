"""Self-scoring (a rubric setting, off for the 2022 plan as written): each unit's package holds a signed
自评打分表.xlsx on the evaluation form's layout, `qe units check` collects it with the evaluation forms'
integrity and value checks and writes the accepted self-scores (integer hundredths) to 自评得分.json.

The small rubric (tests/conftest.py) has three score items: 01-1 (40), 01-2 (20), 03-1 (40).
"""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from qe_workbook.cli import main
from qe_workbook.documents.reports import FEEDBACK_DIR
from qe_workbook.extras import SelfScores
from qe_workbook.forms.layout import FIRST_DATA_ROW
from qe_workbook.intake.collect import collect
from qe_workbook.pipeline import CollectOptions, RunReport, run_collect
from qe_workbook.record.approval import approve_run
from qe_workbook.record.reports_again import report_run
from qe_workbook.record.stages import Stage
from qe_workbook.rubric import Rubric, load_rubric
from qe_workbook.rubric.view import counts_text, rubric_counts
from qe_workbook.rubric.workbook.export import export_workbook
from qe_workbook.rubric.workbook.read import read_workbook
from qe_workbook.scoring.score import score
from qe_workbook.scoring.self_scores import SELF_SCORES_FILE, compare, read_self_scores
from qe_workbook.units.check import Status, check_units
from qe_workbook.units.materials import SELF_SCORE_FILE, Material
from qe_workbook.units.package import generate_packages
from qe_workbook.units.report_out import run_units_check
from qe_workbook.units.self_score import SELF_HEADER, SHEET
from qe_workbook.units.simulate import fill_self_score, simulate_units

from .conftest import ROOT, load_ok, require_program, small_rubric_data, write_json
from .forms import KEY, TIE, fill_all, generate
from .test_real_clients import LO_FILL, run_bounded, uno_python

WHEN = datetime(2023, 3, 1, 9, 0)
ON_TIME = date(2023, 4, 8)
# what each unit of the small rubric rates itself (item -> (自评得分, 说明))
SELF: dict[str, dict[str, tuple[Any, str]]] = {
    "东区": {"01-1": (40, "合格率达标。"), "01-2": (19.5, "抽检覆盖略有不足。"), "03-1": (38, "个别制度未落实。")},
    "西区": {"01-1": (39, "一批次不合格。"), "01-2": (20, ""), "03-1": (40, "")},
    "南区": {"01-1": (40, ""), "01-2": (20, ""), "03-1": (40, "")},
}


def self_scoring_data() -> dict[str, Any]:
    return {**small_rubric_data(), "self_scoring": True}


@pytest.fixture
def scoring_rubric(tmp_path: Path) -> Rubric:
    return load_ok(write_json(tmp_path / "rubric-self.json", self_scoring_data()))


def unit_of(rubric: Rubric, name: str) -> Any:
    return next(u for u in rubric.units if u.name == name)


def received_folder(tmp_path: Path, rubric: Rubric) -> Path:
    """Packages generated, every unit's materials simulated, then each table filled with SELF."""
    packages, received = tmp_path / "units", tmp_path / "received"
    generate_packages(rubric, packages, KEY, generated_at=WHEN)
    simulate_units(rubric, packages, received)
    for name, answers in SELF.items():
        fill_self_score(packages / name / SELF_SCORE_FILE, received / name / SELF_SCORE_FILE, rubric,
                        unit_of(rubric, name), answers, ON_TIME)  # fmt: skip
    return received


# -- the setting -------------------------------------------------------------------------------


def test_the_2022_plan_as_written_asks_for_no_self_scoring(rubric_2022: Rubric) -> None:
    assert rubric_2022.self_scoring is False
    assert "县区自评打分：不要求" in counts_text(rubric_counts(rubric_2022))


def test_the_setting_is_a_true_or_false_in_rubric_json(tmp_path: Path, scoring_rubric: Rubric) -> None:
    assert scoring_rubric.self_scoring is True
    assert "对 3 个评分项目自评打分" in counts_text(rubric_counts(scoring_rubric))
    bad = load_rubric(write_json(tmp_path / "bad.json", {**small_rubric_data(), "self_scoring": "是"}))
    assert bad.rubric is None
    assert [(p.code, p.cell) for p in bad.problems] == [("RUBRIC_SCHEMA", "$.self_scoring")]


def test_the_excel_rubric_carries_the_setting_both_ways(tmp_path: Path) -> None:
    on = export_workbook(self_scoring_data(), tmp_path / "on.xlsx")
    ws = openpyxl.load_workbook(on)["基本设置"]
    assert [r[1] for r in ws.iter_rows(values_only=True) if r[0] == "县区自评打分"] == ["是"]
    assert read_workbook(on).data == self_scoring_data()
    off = export_workbook(small_rubric_data(), tmp_path / "off.xlsx")
    assert read_workbook(off).data == small_rubric_data()  # left blank: the key stays out of rubric.json
    wb = openpyxl.load_workbook(off)
    row = next(r for r in wb["基本设置"].iter_rows() if r[0].value == "县区自评打分")
    row[1].value = "否"
    wb.save(off)
    assert read_workbook(off).data == {**small_rubric_data(), "self_scoring": False}


# -- the table ---------------------------------------------------------------------------------


def test_packages_hold_a_self_score_table_only_when_the_rubric_asks(tmp_path: Path, small_rubric: Rubric) -> None:
    generate_packages(small_rubric, tmp_path / "off", KEY, generated_at=WHEN)
    assert not (tmp_path / "off" / "东区" / SELF_SCORE_FILE).exists()
    scoring = load_ok(write_json(tmp_path / "r.json", self_scoring_data()))
    generate_packages(scoring, tmp_path / "on", KEY, generated_at=WHEN)
    wb = openpyxl.load_workbook(tmp_path / "on" / "西区" / SELF_SCORE_FILE)
    assert wb.sheetnames == [SHEET, "qe_manifest"]
    ws = wb[SHEET]
    assert ws["A1"].value == "2022年度政府质量工作考核自评打分表"
    assert ws["A2"].value == "被考核单位（盖章）：西区人民政府"
    assert tuple(c.value for c in ws[FIRST_DATA_ROW]) == SELF_HEADER
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=FIRST_DATA_ROW + 1, max_row=FIRST_DATA_ROW + 3)]
    assert [r[:4] for r in rows] == [
        ["01-1", "质量整体水平", "1. 根据产品质量合格率测算得分。（40分）", 40],
        ["01-2", "质量整体水平", "2. 根据农产品质量安全合格率测算得分。（20分）", 20],
        ["03-1", "质量政策制度", "3. 完善质量工作制度。（40分）", 40],
    ]  # the score items only: the deduction, veto and bonus are the evaluators' to judge
    assert ws.protection.sheet is True
    assert not ws["E5"].protection.locked and not ws["F5"].protection.locked and ws["D5"].protection.locked
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert (rules["E5"].type, rules["E5"].formula1, rules["E5"].formula2) == ("decimal", "0", "40")
    assert (rules["E6"].formula2, rules["E7"].formula2) == ("20", "40")
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9


# -- collected by the units check --------------------------------------------------------------


def test_the_units_check_collects_the_self_scores_exactly(tmp_path: Path, scoring_rubric: Rubric) -> None:
    received = received_folder(tmp_path, scoring_rubric)
    check, folder = run_units_check(received, scoring_rubric, KEY, tmp_path / "check")
    assert [p.code for p in check.problems] == []
    assert all(check.status(u, Material.SELF_SCORE) is Status.RECEIVED for u in scoring_rubric.units)
    record = json.loads((folder / SELF_SCORES_FILE).read_text(encoding="utf-8"))
    cents = {(v["unit"], v["item"]): v["cents"] for v in record["values"]}
    assert cents[("东区", "01-2")] == 1950 and cents[("西区", "01-1")] == 3900 and cents[("南区", "03-1")] == 4000
    one = next(v for v in record["values"] if (v["unit"], v["item"]) == ("东区", "03-1"))
    assert (one["file"], one["sheet"], one["cell"], one["remark"]) == (
        "东区/自评打分表.xlsx",
        SHEET,
        "E7",
        "个别制度未落实。",
    )
    book, problems = read_self_scores(folder, scoring_rubric)
    assert problems == [] and book is not None and book.units == ["东区", "西区", "南区"]


def test_without_the_setting_a_self_score_table_is_not_checked(tmp_path: Path, scoring_rubric: Rubric) -> None:
    received = received_folder(tmp_path, scoring_rubric)
    off = load_ok(write_json(tmp_path / "off.json", small_rubric_data()))
    check = check_units(received, off, KEY)
    unknown = [p for p in check.problems if p.code == "UNIT_FILE_UNKNOWN" and p.file and SELF_SCORE_FILE in p.file]
    assert len(unknown) == 3 and "考核细则未要求县区自评打分" in unknown[0].message
    assert "UNIT_SELF_SCORE_MISSING" not in {p.code for p in check.problems}


def edit_cell(path: Path, cell: str, value: Any, dst: Path | None = None) -> None:
    wb = openpyxl.load_workbook(path)
    wb[SHEET][cell].value = value
    wb.save(dst or path)


def test_bad_self_score_tables_are_reported_with_file_sheet_and_cell(tmp_path: Path, scoring_rubric: Rubric) -> None:
    received = received_folder(tmp_path, scoring_rubric)
    east, west, south = (received / n / SELF_SCORE_FILE for n in ("东区", "西区", "南区"))
    edit_cell(east, "E5", 41)  # above the 40 points
    edit_cell(east, "E6", "19.5分")  # pasted text
    edit_cell(west, "C7", "完善制度。（40分）")  # a locked cell edited
    shutil.copy(south, received / "南区" / "南区自评打分表(1).xlsx")
    edit_cell(received / "南区" / "南区自评打分表(1).xlsx", "E5", 39)  # a second, different table
    check = check_units(received, scoring_rubric, KEY)
    found = {(p.code, p.file, p.sheet, p.cell) for p in check.problems}
    assert ("VALUE_ABOVE_MAX", "东区/自评打分表.xlsx", SHEET, "E5") in found
    assert ("VALUE_NOT_NUMBER", "东区/自评打分表.xlsx", SHEET, "E6") in found
    assert ("FORM_LOCKED_CHANGED", "西区/自评打分表.xlsx", SHEET, "C7") in found
    duplicate = next(p for p in check.problems if p.code == "UNIT_MATERIAL_DUPLICATE")
    assert duplicate.params["unit"] == "南区" and duplicate.severity.value == "error"
    locked = next(p for p in check.problems if p.code == "FORM_LOCKED_CHANGED")
    assert "项目文字被改为“完善制度。（40分）”" in locked.message
    assert check.status(unit_of(scoring_rubric, "东区"), Material.SELF_SCORE) is Status.INVALID
    used = {e.unit.name: e for e in check.self_scores()}
    assert list(used) == ["东区"]  # 西区 edited, 南区 twice: not used; 东区's valid values are
    values = {e.item_id: e.value for e in used["东区"].self_score.entries}  # type: ignore[union-attr]
    assert values == {"01-1": None, "01-2": None, "03-1": 38}


def test_a_self_score_table_sent_twice_unchanged_is_used_once(tmp_path: Path, scoring_rubric: Rubric) -> None:
    received = received_folder(tmp_path, scoring_rubric)
    south = received / "南区" / SELF_SCORE_FILE
    shutil.copy(south, received / "南区" / "南区自评打分表(1).xlsx")  # the same table again
    check = check_units(received, scoring_rubric, KEY)
    found = [(p.code, p.file) for p in check.problems if p.params.get("unit") == "南区"]
    # the first one read (in the folder's name order) is kept
    assert found == [("UNIT_MATERIAL_DUPLICATE_IDENTICAL", "南区/自评打分表.xlsx")]
    assert [e.file for e in check.self_scores() if e.unit.name == "南区"] == ["南区/南区自评打分表(1).xlsx"]


def test_wrong_key_missing_and_corrupt_tables(tmp_path: Path, scoring_rubric: Rubric) -> None:
    received = received_folder(tmp_path, scoring_rubric)
    other = tmp_path / "other"
    generate_packages(scoring_rubric, other, bytes(32), generated_at=WHEN)  # another key
    fill_self_score(other / "东区" / SELF_SCORE_FILE, received / "东区" / SELF_SCORE_FILE, scoring_rubric,
                    unit_of(scoring_rubric, "东区"), SELF["东区"], ON_TIME)  # fmt: skip
    (received / "西区" / SELF_SCORE_FILE).unlink()
    (received / "南区" / SELF_SCORE_FILE).write_bytes(b"PK\x03\x04 not really a workbook")
    check = check_units(received, scoring_rubric, KEY)
    by_code = {p.code: p for p in check.problems}
    assert by_code["UNIT_SELF_SCORE_SIGNATURE"].file == "东区/自评打分表.xlsx"
    assert "自评打分表（自称“东区”2022 年度）的签名与内容不符" in by_code["UNIT_SELF_SCORE_SIGNATURE"].message
    assert by_code["UNIT_SELF_SCORE_MISSING"].params == {"unit": "西区"}
    corrupt = [p for p in check.problems if p.file == "南区/自评打分表.xlsx"]
    assert corrupt and all(p.severity.value == "error" for p in corrupt)
    assert check.status(unit_of(scoring_rubric, "南区"), Material.SELF_SCORE) is Status.INVALID
    assert check.self_scores() == []


def test_the_units_check_output_from_another_rubric_is_refused(tmp_path: Path, scoring_rubric: Rubric) -> None:
    received = received_folder(tmp_path, scoring_rubric)
    _, folder = run_units_check(received, scoring_rubric, KEY, tmp_path / "check")
    other = load_ok(write_json(tmp_path / "o.json", {**self_scoring_data(), "title": "另一版方案"}))
    book, problems = read_self_scores(folder, other)
    assert book is None and [p.code for p in problems] == ["SELF_SCORES_OTHER_RUBRIC"]
    book, problems = read_self_scores(tmp_path, scoring_rubric)
    assert book is None and [p.code for p in problems] == ["SELF_SCORES_UNREADABLE"]


def test_the_bundled_rubric_is_unchanged_by_the_setting() -> None:
    assert "self_scoring" not in json.loads((ROOT / "rubric.json").read_text(encoding="utf-8"))


# -- compared in master.xlsx and the letters ---------------------------------------------------
# The evaluators fill the small rubric as tests/forms.TIE does; against SELF, by hand:
#   东区 self 40 / 19.5 / 38 = 97.5, evaluated 36 / (18+19)/2 = 18.5 / 35 = 89.5: gaps +4, +1, +3 (sum +8)
#   西区 self 39 / 20 / 40 = 99,     evaluated 38 / (17+16)/2 = 16.5 / 37.5 = 92: gaps +1, +3.5, +2.5 (sum +7)
#   南区 self 40 / 20 / 40 = 100,    evaluated 40 / 20 / 40 = 100: no gap


def plain(text: str) -> str:
    """A letter's text as read: word joiners removed, no-break spaces as spaces."""
    return text.replace("\u00a0", " ")


def letter(folder: Path, unit: str) -> tuple[list[str], list[list[list[str]]]]:
    document = docx.Document(str(folder / FEEDBACK_DIR / f"{unit}_2022年度质量工作考核反馈意见.docx"))
    paragraphs = [plain(p.text) for p in document.paragraphs if p.text]
    tables = [[[plain(c.text) for c in row.cells] for row in t.rows] for t in document.tables]
    return paragraphs, tables


@pytest.fixture
def compared(tmp_path: Path, scoring_rubric: Rubric) -> RunReport:
    received = received_folder(tmp_path, scoring_rubric)
    _, units_folder = run_units_check(received, scoring_rubric, KEY, tmp_path / "check")
    fill_all(generate(scoring_rubric, tmp_path / "forms"), tmp_path / "returned", TIE)
    return run_collect(
        tmp_path / "returned", scoring_rubric, KEY, CollectOptions(tmp_path / "runs"), [SelfScores(units_folder)]
    )


def sheet_rows(path: Path, sheet: str) -> list[list[Any]]:
    return [list(r) for r in openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True)]


def test_master_sets_each_self_score_against_the_evaluated_score(compared: RunReport) -> None:
    assert compared.clean, [p.message for p in compared.problems]
    master = compared.folder / "master.xlsx"
    summary = sheet_rows(master, "自评对比")
    assert summary[0][:5] == ["被考核单位", "对比项目数", "自评合计", "评价得分合计", "差值（自评−评价）"]
    assert [r[:6] for r in summary[1:]] == [
        ["东区", 3, 97.5, 89.5, 8, "01-1（+4.00）、03-1（+3.00）、01-2（+1.00）"],
        ["西区", 3, 99, 92, 7, "01-2（+3.50）、03-1（+2.50）、01-1（+1.00）"],
        ["南区", 3, 100, 100, 0, "无差距"],
    ]
    detail = {(r[0], r[1]): r for r in sheet_rows(master, "自评对比明细")[1:]}
    assert detail[("东区", "01-2")][4:8] == [20, 19.5, 18.5, 1]
    assert detail[("西区", "03-1")][4:8] == [40, 40, 37.5, 2.5]
    assert detail[("东区", "03-1")][8:] == ["个别制度未落实。", f"东区/自评打分表.xlsx {SHEET}!E7"]
    kept = json.loads((compared.folder / SELF_SCORES_FILE).read_text(encoding="utf-8"))
    assert {(v["unit"], v["item"]): v["cents"] for v in kept["values"]}[("西区", "01-1")] == 3900


def test_each_letter_shows_the_self_score_and_the_largest_gaps(compared: RunReport) -> None:
    paragraphs, tables = letter(compared.folder, "东区")
    assert ("你单位对 3 个评分项目进行了自评打分，自评合计 97.50 分，评价得分合计 89.50 分，自评高出 8.00 分。"
            "差距较大的项目如下表，请对照印证材料和评价说明查找差距。") in paragraphs  # fmt: skip
    gap_table = next(t for t in tables if t[0] == ["项目", "满分", "自评得分", "评价得分", "差值"])
    assert [r[1:] for r in gap_table[1:]] == [
        ["40.00", "40.00", "36.00", "+4.00"],
        ["40.00", "38.00", "35.00", "+3.00"],
        ["20.00", "19.50", "18.50", "+1.00"],
    ]
    assert [r[0].split()[0] for r in gap_table[1:]] == ["01-1", "03-1", "01-2"]
    south, _ = letter(compared.folder, "南区")
    assert ("你单位对 3 个评分项目进行了自评打分，自评合计 100.00 分，评价得分合计 100.00 分，两者相同。"
            "各项目自评得分与评价得分一致。") in south  # fmt: skip


def test_qe_report_compares_the_self_scores_the_run_kept(compared: RunReport, scoring_rubric: Rubric) -> None:
    written, problems = report_run(compared.folder, scoring_rubric)
    assert problems == []
    again = next(p for p in written if p.name.startswith("西区"))
    paragraphs, _ = letter(again.parent.parent, "西区")
    assert any("自评合计 99.00 分，评价得分合计 92.00 分，自评高出 7.00 分" in p for p in paragraphs)


def test_the_approved_letters_compare_the_self_scores_as_the_draft_did(
    compared: RunReport, scoring_rubric: Rubric
) -> None:
    for stage in (Stage.CONSULTATION, Stage.APPROVED, Stage.ISSUED):
        approval, problems = approve_run(compared.folder, scoring_rubric, stage, "会议纪要")
        assert approval is not None and problems == []
        for unit in ("东区", "西区", "南区"):  # the same letter but for the stage its title names
            (approved, tables), (draft, draft_tables) = letter(approval.documents, unit), letter(compared.folder, unit)
            mark = "" if stage in (Stage.APPROVED, Stage.ISSUED) else f"（{stage}）"
            assert (approved[1], draft[1]) == (f"2022年度政府质量工作\n考核结果反馈意见{mark}",
                                               "2022年度政府质量工作\n考核结果反馈意见（初稿）")  # fmt: skip
            assert (approved[:1] + approved[2:], tables) == (draft[:1] + draft[2:], draft_tables)
    paragraphs, _ = letter(approval.documents, "西区")
    assert any("自评合计 99.00 分，评价得分合计 92.00 分，自评高出 7.00 分" in p for p in paragraphs)


def test_self_scores_are_used_only_when_the_rubric_asks(tmp_path: Path, compared: RunReport) -> None:
    off = load_ok(write_json(tmp_path / "off.json", small_rubric_data()))
    units_folder = next((tmp_path / "check").iterdir())
    fill_all(generate(off, tmp_path / "forms-off"), tmp_path / "returned-off", TIE)
    run = run_collect(
        tmp_path / "returned-off", off, KEY, CollectOptions(tmp_path / "runs-off"), [SelfScores(units_folder)]
    )
    assert [p.code for p in run.problems] == ["SELF_SCORES_NOT_ASKED"]
    assert "自评对比" not in openpyxl.load_workbook(run.folder / "master.xlsx").sheetnames


def test_a_table_typed_in_libreoffice_is_collected_exactly(tmp_path: Path, scoring_rubric: Rubric) -> None:
    soffice = require_program("soffice")
    received = received_folder(tmp_path, scoring_rubric)
    blank = tmp_path / "units" / "西区" / SELF_SCORE_FILE
    typed = {
        "E5": "38.75",
        "F5": "一批次抽检不合格",
        "E6": "20",
        "E7": "39.5",
        "F7": "个别制度未落实",
        "E2": "2023-04-08",
    }
    cells = [f"{k}={v}" for k, v in typed.items()]
    args = [uno_python(), str(LO_FILL), str(blank), str(received / "西区" / SELF_SCORE_FILE), *cells, "--sheet", SHEET,
            "--profile", str(tmp_path / "lo-profile"), "--soffice", soffice]  # fmt: skip
    run_bounded(args)
    check = check_units(received, scoring_rubric, KEY)
    assert check.problems == []
    west = next(e for e in check.self_scores() if e.unit.name == "西区").self_score
    assert west is not None and west.fill_date == date(2023, 4, 8)
    assert [(e.cell, e.value, e.remark) for e in west.entries] == [
        ("E5", Decimal("38.75"), "一批次抽检不合格"), ("E6", Decimal(20), ""), ("E7", Decimal("39.5"), "个别制度未落实"),
    ]  # fmt: skip


def test_the_commands_turn_it_on_show_it_and_compare(tmp_path: Path) -> None:
    """`qe rubric show` names the setting, `qe demo --self-scoring` runs on its own copy of the rubric, and
    `qe collect --units-check` compares the self-scores of that demo's units check."""
    source = write_json(tmp_path / "rubric.json", small_rubric_data())
    shown = CliRunner().invoke(main, ["rubric", "show", "--rubric", str(source)])
    assert "县区自评打分：不要求" in shown.output
    demo = CliRunner().invoke(
        main, ["demo", "--out", str(tmp_path / "demo"), "--rubric", str(source), "--self-scoring"]
    )
    assert demo.exit_code == 0, demo.output
    assert "考核细则副本 rubric.json（已开启县区自评打分）" in demo.output and "自评对比" in demo.output
    (folder,) = (tmp_path / "demo").iterdir()
    own = folder / "rubric.json"
    assert json.loads(own.read_text(encoding="utf-8")) == {**small_rubric_data(), "self_scoring": True}
    assert "县区自评打分：要求" in CliRunner().invoke(main, ["rubric", "show", "--rubric", str(own)]).output
    (units_check,) = (folder / "units-check").iterdir()
    collected = CliRunner().invoke(main, [
        "collect", str(folder / "returned"), "--rubric", str(own), "--key", str(folder / "qe.key"),
        "--out", str(tmp_path / "runs"), "--units-check", str(units_check), "--json",
    ])  # fmt: skip
    assert collected.exit_code == 0, collected.output
    (run,) = (tmp_path / "runs").iterdir()
    assert {"自评对比", "自评对比明细"} <= set(openpyxl.load_workbook(run / "master.xlsx").sheetnames)
    assert (run / SELF_SCORES_FILE).read_bytes() == (units_check / SELF_SCORES_FILE).read_bytes()


# -- any item self-scored: bonus claims with their evidence ---------------------------------------


def test_a_bonus_item_self_scored_is_a_claim_with_its_evidence(tmp_path: Path) -> None:
    """03-2 (加1分, 乙局) self-scored: the unit claims its bonus and names the evidence; 乙局 confirms on its form."""
    data = small_rubric_data()  # no rubric-wide setting: the one item asks for the table
    next(i for i in data["items"] if i["id"] == "03-2")["self_score"] = True
    rubric = load_ok(write_json(tmp_path / "rubric.json", data))
    assert rubric.self_scoring and [i.id for i in rubric.self_scored_items()] == ["03-2"]
    packages, received = tmp_path / "units", tmp_path / "received"
    generate_packages(rubric, packages, KEY, generated_at=WHEN)
    ws = openpyxl.load_workbook(packages / "东区" / SELF_SCORE_FILE)[SHEET]
    assert [c.value for c in ws[FIRST_DATA_ROW + 1]][:4] == ["03-2", "质量政策制度", "1. 受到督查激励。（加1分）", 1]
    assert ws[FIRST_DATA_ROW + 2][0].value is None
    assert "加分项填申报的加分" in ws["A3"].value
    simulate_units(rubric, packages, received)
    claims = {"东区": (1, "省政府督查激励文件（豫政办〔2023〕5号）。"), "西区": (1, ""), "南区": (0, "")}
    for name, claim in claims.items():
        fill_self_score(packages / name / SELF_SCORE_FILE, received / name / SELF_SCORE_FILE, rubric,
                        unit_of(rubric, name), {"03-2": claim}, ON_TIME)  # fmt: skip
    check, folder = run_units_check(received, rubric, KEY, tmp_path / "check")
    assert [(p.code, p.file, p.cell) for p in check.problems] == [
        ("VALUE_CLAIM_NO_EVIDENCE", "西区/自评打分表.xlsx", "F5")
    ]
    assert "西区第1项（03-2）申报加 1 分，但“说明”未写明印证材料" in check.problems[0].message
    book, problems = read_self_scores(folder, rubric)
    assert problems == [] and book is not None
    assert {k: (v.cents, v.remark) for k, v in book.values.items()} == {
        ("东区", "03-2"): (100, "省政府督查激励文件（豫政办〔2023〕5号）。"), ("西区", "03-2"): (100, ""),
        ("南区", "03-2"): (0, ""),
    }  # fmt: skip
    fill_all(generate(rubric, tmp_path / "forms"), tmp_path / "returned", TIE)
    comparison = compare(book, score(collect(tmp_path / "returned", rubric, KEY).frame, rubric), rubric)
    gaps = {u: [(g.item.id, g.self_score, g.evaluated) for g in gs] for u, gs in comparison.gaps.items()}
    # 乙局 confirms 东区's bonus (TIE gives 东区 1 and the others 0): 西区's claim is not confirmed
    assert gaps == {"东区": [("03-2", 1, 1)], "西区": [("03-2", 1, 0)], "南区": [("03-2", 0, 0)]}
