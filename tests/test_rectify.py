"""整改台账: one signed ledger per unit with its problems as fed back, filled (openpyxl and real LibreOffice),
collected into one ledger with what is overdue."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date, datetime
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from qe_workbook.cli import main
from qe_workbook.documents.reports import FEEDBACK_DIR
from qe_workbook.extras import PreviousLedger, extras_from
from qe_workbook.feedback.fed_back import COLUMNS, WORDING_SHEET
from qe_workbook.feedback.wording import export_wording
from qe_workbook.forms.register import RECTIFY, Register, load_register
from qe_workbook.pipeline import CollectOptions, RunReport, run_collect
from qe_workbook.rectify.collect import rectify_collect
from qe_workbook.rectify.layout import COLLECTED_DIR, LEDGER_JSON, SHEET
from qe_workbook.rectify.ledger import Generated, generate_ledgers
from qe_workbook.rubric import Rubric

from .conftest import require_program, small_rubric_data
from .forms import KEY, fill_all, generate
from .test_print import pages, to_pdf
from .test_real_clients import LO_FILL, run_bounded, uno_python
from .test_reports import ANSWERS

OFFICE_TEXT = "农产品质量安全抽检的覆盖面有待扩大，请加大抽检力度。"
TODAY = date(2023, 7, 15)
WHEN = datetime(2023, 5, 20, 9, 0)
# (整改措施, 责任单位, 完成时限, 进展) per problem row, in the ledger's order
DONE = ("已完成整改。", "县市场监管局", datetime(2023, 6, 30), "已完成")
LATER = ("正在推进。", "县农业农村局", datetime(2023, 12, 31), "推进中")
LATE = ("正在推进。", "县农业农村局", datetime(2023, 6, 30), "推进中")  # past its 完成时限 on TODAY


@pytest.fixture
def run(tmp_path: Path, small_rubric: Rubric) -> RunReport:
    fill_all(generate(small_rubric, tmp_path / "forms"), tmp_path / "returned", ANSWERS)
    return run_collect(
        tmp_path / "returned", small_rubric, KEY, CollectOptions(tmp_path / "runs", allow_partial=True, reports=False)
    )


@pytest.fixture
def issued(tmp_path: Path, run: RunReport, small_rubric: Rubric) -> Generated:
    """The ledgers, generated from the office's wording (西区 01-2 reworded)."""
    exported = export_wording(run.folder, small_rubric)
    assert exported.path is not None
    wb = openpyxl.load_workbook(exported.path)
    for row in wb[WORDING_SHEET].iter_rows(min_row=4):
        if (row[0].value, row[1].value) == ("西区", "01-2"):
            row[COLUMNS.index("反馈表述")].value = OFFICE_TEXT
    wb.save(tmp_path / "wording.xlsx")
    register = Register(tmp_path / "register.json")
    return generate_ledgers(run.folder, small_rubric, KEY, wording=tmp_path / "wording.xlsx", register=register,
                            when=WHEN)  # fmt: skip


def _ledger(issued: Generated, unit: str) -> Path:
    return next(f.path for f in issued.ledgers if f.unit == unit)


def _locked_rows(path: Path) -> list[tuple[str, ...]]:
    ws = openpyxl.load_workbook(path)[SHEET]
    return [tuple(str(c) for c in row[1:5]) for row in ws.iter_rows(min_row=5, values_only=True) if row[1]]


def fill(src: Path, dst: Path, answers: list[tuple[str, str, object, str]]) -> Path:
    """A unit filling its ledger in a spreadsheet program (openpyxl keeps everything else)."""
    wb = openpyxl.load_workbook(src)
    ws = wb[SHEET]
    for n, values in enumerate(answers):
        for col, value in zip("FGHI", values, strict=True):
            ws[f"{col}{5 + n}"] = value
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)
    return dst


def test_a_ledger_per_unit_holds_its_problems_as_fed_back(tmp_path: Path, run: RunReport, issued: Generated) -> None:
    assert issued.problems == [] and issued.folder is not None and issued.folder.parent == run.folder / "整改台账"
    assert [(f.unit, f.problems) for f in issued.ledgers] == [("东区", 2), ("西区", 3), ("南区", 5)]
    assert _locked_rows(_ledger(issued, "西区")) == [
        ("01-2", "农产品质量安全合格率（失 4.42 分）", OFFICE_TEXT, "甲局、乙局"),  # the office's words, not the 原文
        ("02-1", "发生重大质量事件（扣 1.50 分）", "发生一起重大质量事件。", "甲局"),
        ("03-1", "完善质量工作制度（失 5.00 分）", "该项目失 5.00 分（反馈意见未写明具体问题）", "乙局"),
    ]
    ws = openpyxl.load_workbook(_ledger(issued, "西区"))[SHEET]
    assert ws.protection.sheet and [c for c in "ABCDEFGHI" if not ws[f"{c}5"].protection.locked] == list("FGHI")
    kinds = {str(v.sqref): v.type for v in ws.data_validations.dataValidation}
    assert kinds == {"F5:F7": "textLength", "G5:G7": "textLength", "H5:H7": "date", "I5:I7": "list"}
    register, trouble = load_register(tmp_path / "register.json")
    gen = register.generations[-1]
    assert trouble == [] and gen.kind == RECTIFY and gen.source == str(run.folder.resolve())
    assert [f.evaluator for f in gen.forms] == ["东区", "西区", "南区"]


def lo_type(src: Path, dst: Path, cells: dict[str, str], profile: Path) -> Path:
    soffice = require_program("soffice")
    args = [uno_python(), str(LO_FILL), str(src), str(dst), *(f"{k}={v}" for k, v in cells.items())]
    dst.parent.mkdir(parents=True, exist_ok=True)
    run_bounded([*args, "--sheet", SHEET, "--profile", str(profile), "--soffice", soffice])
    return dst


def test_filled_ledgers_are_collected_with_the_one_overdue_item(
    tmp_path: Path, run: RunReport, issued: Generated, small_rubric: Rubric
) -> None:
    back = tmp_path / "back"
    fill(_ledger(issued, "东区"), back / "东区.xlsx", [DONE, DONE])
    fill(_ledger(issued, "西区"), back / "西区台账.xlsx", [LATE, DONE, LATER])
    typed = {}  # 南区 types its answers in LibreOffice: five rows, dates typed as text Calc recognises
    for n, status in enumerate(["已完成", "推进中", "推进中", "已完成", "未开始"], start=5):
        typed |= {f"F{n}": "逐项整改", f"G{n}": "区政府办", f"H{n}": "2023-12-31", f"I{n}": status}
    lo_type(_ledger(issued, "南区"), back / "南区" / "整改台账.xlsx", typed, tmp_path / "lo-profile")
    register, _ = load_register(tmp_path / "register.json")
    collected = rectify_collect(back, small_rubric, KEY, today=TODAY, register=register)
    assert [p.code for p in collected.problems] == ["RECTIFY_OVERDUE"]
    late = collected.problems[0]
    assert (late.file, late.sheet, late.cell) == ("西区台账.xlsx", SHEET, "H5")
    assert "完成时限 2023-06-30 已过（截至 2023-07-15），进展为推进中" in late.message
    assert [(ln.unit, ln.item) for ln in collected.overdue] == [("西区", "01-2")]
    assert {u: s for u, (s, _) in collected.units.items()} == {"东区": "已交回", "西区": "已交回", "南区": "已交回"}
    south = [(ln.item, ln.due, ln.status) for ln in collected.lines if ln.unit == "南区"]
    assert south == [("01-1", "2023-12-31", "已完成"), ("01-2", "2023-12-31", "推进中"), ("02-1", "2023-12-31", "推进中"),
                     ("02-2", "2023-12-31", "已完成"), ("03-1", "2023-12-31", "未开始")]  # fmt: skip
    west = next(ln for ln in collected.lines if ln.unit == "西区")
    assert (west.problem, west.measure, west.owner) == (OFFICE_TEXT, "正在推进。", "县农业农村局")
    # the ledger goes beside the run it came from, in a folder of its own
    assert [p.relative_to(run.folder).parts[::2] for p in collected.written] == [
        (COLLECTED_DIR, "整改台账汇总.xlsx"), (COLLECTED_DIR, LEDGER_JSON)]  # fmt: skip
    book = openpyxl.load_workbook(collected.written[0])
    assert book["整改台账汇总"]["A1"].value.endswith("共 10 个问题，逾期 1 个）")
    assert [c.value for c in book["报送情况"][3]] == ["西区", "已交回", 3, 0, 2, 1, 1, "西区台账.xlsx"]
    typed_pdf, summary_pdf = to_pdf(
        [back / "南区" / "整改台账.xlsx", collected.written[0]], tmp_path, tmp_path / "lo-profile"
    )
    printed = pages(typed_pdf)  # the unit and the page on every page, its signature block at the end
    for n, page in enumerate(printed, start=1):
        assert page.strip().split()[0] == "南区人民政府" and f"第 {n} 页，共 {len(printed)} 页" in page
    assert re.search(r"^\s*填报单位（盖章）：\s+填报日期：", printed[-1], re.MULTILINE) and "经办人：" in printed[-1]
    assert "2023年12月31日" in printed[0] and "2023-12-31" not in printed[0]
    summary = pages(summary_pdf)  # no problem code on the office's paper, no file name in the ledger
    assert not [page for page in summary if "RECTIFY_OVERDUE" in page or page.strip().split()[0] != "质强办"]
    ledger = [page for page in summary if page.strip().splitlines()[0].split()[-1] in ("整改台账汇总", "报送情况")]
    assert len(ledger) == 2 and "台账.xlsx" not in "".join(ledger), ledger
    assert "2023年12月31日" in ledger[0]
    # next year: the letters show last year's problems as fed back and how far each was rectified
    next_year = run_collect(tmp_path / "returned", small_rubric, KEY, CollectOptions(tmp_path / "next", allow_partial=True, issued=date(2024, 5, 8)), extras_from(previous=run.folder))  # fmt: skip
    assert not [p for p in next_year.problems if p.code.startswith("RECTIFY")]
    texts, tables = _letter(next_year.folder, "西区")
    section = texts[texts.index("四、上年反馈问题整改情况") + 1]
    assert section == ("2022年度考核反馈你单位的 3 个问题，据你单位报送的整改台账，截至2023年7月15日，推进中 2 个、已完成 1 个，"
                       "其中 1 个已超过完成时限。请对未完成的问题加快整改，按时限完成：")  # fmt: skip
    followed = next(t for t in tables if t[0][1] == "上年反馈的问题")
    assert followed[1] == [
        "01-2 农产品质量安全合格率（失 4.42 分）",
        OFFICE_TEXT,
        "正在推进。",
        "2023-06-30",
        "推进中（逾期）",
    ]
    assert "五、改进建议" in texts
    missing, _ = _letter(run_collect(tmp_path / "returned", small_rubric, KEY, CollectOptions(tmp_path / "next-2", allow_partial=True), [PreviousLedger(tmp_path / "nowhere.json", explicit=True)]).folder, "东区")  # fmt: skip
    assert "四、改进建议" in missing and "上年反馈问题整改情况" not in "".join(missing)


def _letter(folder: Path, unit: str) -> tuple[list[str], list[list[list[str]]]]:
    document = docx.Document(str(folder / FEEDBACK_DIR / f"{unit}_2022年度质量工作考核反馈意见.docx"))
    plain = [p.text.replace("\u00a0", " ") for p in document.paragraphs if p.text]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    return plain, tables


def test_returns_with_mistakes_are_named_by_file_sheet_and_cell(
    tmp_path: Path, issued: Generated, small_rubric: Rubric
) -> None:
    back = tmp_path / "back"
    fill(_ledger(issued, "东区"), back / "东区.xlsx", [DONE, ("", "", None, "")])
    fill(_ledger(issued, "西区"), back / "西区.xlsx", [("整改中", "县局", "下月底", "完成了"), DONE, DONE])
    fill(_ledger(issued, "西区"), back / "西区-另一份.xlsx", [DONE, DONE, DONE])
    tampered = fill(_ledger(issued, "南区"), back / "南区.xlsx", [DONE] * 5)
    wb = openpyxl.load_workbook(tampered)
    wb[SHEET]["D5"] = "没有问题"
    wb.save(tampered)
    shutil.copy(back / "东区.xlsx", back / "东区 - 副本.xlsx")  # the same file twice counts once
    (back / "坏文件.xlsx").write_bytes(b"PK\x03\x04 broken")
    register, _ = load_register(tmp_path / "register.json")
    collected = rectify_collect(back, small_rubric, KEY, today=TODAY, register=register, out_parent=tmp_path / "out")
    found = {(p.code, p.file, p.cell) for p in collected.problems}
    assert found == {
        ("RECTIFY_ROW_INCOMPLETE", "东区 - 副本.xlsx", "F6"),
        ("RECTIFY_ROW_INCOMPLETE", "东区.xlsx", "F6"),
        ("MATERIAL_FILE_UNSAFE", "坏文件.xlsx", None),
        ("RECTIFY_LOCKED_CHANGED", "南区.xlsx", "D5"),
        ("RECTIFY_BAD_DATE", "西区.xlsx", "H5"),
        ("RECTIFY_BAD_STATUS", "西区.xlsx", "I5"),
        ("RECTIFY_DUPLICATE", None, None),
    }
    locked = next(p for p in collected.problems if p.code == "RECTIFY_LOCKED_CHANGED")
    assert "现为“没有问题”，下发时为“合格率低。”" in locked.message
    assert {u: s for u, (s, _) in collected.units.items()} == {"东区": "已交回", "西区": "未采用", "南区": "未采用"}


def test_the_commands_export_report_generate_and_collect(tmp_path: Path, run: RunReport) -> None:
    (tmp_path / "rubric.json").write_text(json.dumps(small_rubric_data(), ensure_ascii=False), encoding="utf-8")
    key = tmp_path / "office" / "qe.key"
    key.parent.mkdir()
    key.write_text(KEY.hex() + "\n", encoding="ascii")
    common = ["--rubric", str(tmp_path / "rubric.json")]
    runner = CliRunner()
    exported = runner.invoke(main, ["feedback", "export", str(run.folder), *common, "--json"])
    assert exported.exit_code == 0, exported.output
    wording = Path(json.loads(exported.output)["file"])
    assert wording == run.folder / "反馈修改稿.xlsx" and json.loads(exported.output)["rows"] == 11
    reported = runner.invoke(main, ["report", str(run.folder), *common, "--feedback", str(wording)])
    assert reported.exit_code == 0 and "已生成" in reported.output
    generated = runner.invoke(main, ["rectify", "generate", str(run.folder), *common, "--key", str(key),
                                     "--feedback", str(wording)])  # fmt: skip
    assert generated.exit_code == 0, generated.output
    assert "已生成 3 份整改台账" in generated.output and (key.parent / "评价表生成登记.json").is_file()
    folder = next((run.folder / "整改台账").iterdir())
    back = tmp_path / "back"
    fill(folder / "东区_2022年度考核反馈问题整改台账.xlsx", back / "东区.xlsx", [LATE, DONE])
    collected = runner.invoke(main, ["rectify", "collect", str(back), *common, "--key", str(key), "--today",
                                     "2023-07-15", "--json"])  # fmt: skip
    assert collected.exit_code == 1
    data = json.loads(collected.output)
    assert [p["code"] for p in data["problems"]] == ["RECTIFY_OVERDUE", "RECTIFY_MISSING", "RECTIFY_MISSING"]
    assert data["units"]["东区"] == {"status": "已交回", "file": "东区.xlsx"}
    assert Path(data["written"][1]).parent.parent == run.folder / COLLECTED_DIR
    bad = runner.invoke(main, ["rectify", "collect", str(back), *common, "--today", "15/07/2023"])
    assert bad.exit_code == 2


def test_a_ledger_generated_again_retires_the_earlier_one(
    tmp_path: Path, run: RunReport, issued: Generated, small_rubric: Rubric
) -> None:
    register, _ = load_register(tmp_path / "register.json")
    again = generate_ledgers(run.folder, small_rubric, KEY, register=register, when=datetime(2023, 6, 1, 9, 0))
    back = tmp_path / "back"
    fill(_ledger(issued, "东区"), back / "旧" / "东区.xlsx", [LATE, DONE])  # overdue, but the newer one counts
    fill(_ledger(again, "东区"), back / "新" / "东区.xlsx", [DONE, DONE])
    register, _ = load_register(tmp_path / "register.json")
    collected = rectify_collect(back, small_rubric, KEY, today=TODAY, register=register, out_parent=tmp_path / "out")
    assert [(p.code, p.file) for p in collected.problems if p.code != "RECTIFY_MISSING"] == [
        ("RECTIFY_SUPERSEDED", "旧/东区.xlsx")]  # fmt: skip
    assert collected.units["东区"] == ("已交回", "新/东区.xlsx") and collected.overdue == []
