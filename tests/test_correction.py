"""Correction forms: a signed form for some units of one department, put over its earlier values by collect.

The small rubric filled as TIE (tests/forms.py): 东区 90.5, 西区 90.5, 南区 98. 乙局 scores 01-2 (jointly with
甲局, the mean counts), 03-1 and 03-2 (bonus) for every unit.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from qe_workbook.cli import main
from qe_workbook.forms.fill import Answer, fill_form
from qe_workbook.forms.layout import COL_REFERENCE, COL_UNIT, FIRST_DATA_ROW, FORM_SHEET, REFERENCE_HEADER, form_rows
from qe_workbook.forms.register import CORRECTION, REGISTER_NAME, Register, load_register
from qe_workbook.intake.collect import CollectResult, collect
from qe_workbook.intake.submission import Status
from qe_workbook.pipeline import CollectOptions, RunReport, run_collect
from qe_workbook.record.correction import CorrectionReport, issue_correction
from qe_workbook.record.diff import diff_runs
from qe_workbook.rubric import Rubric
from qe_workbook.scoring.score import score

from .conftest import load_ok, small_rubric_data, write_json
from .forms import KEY, TIE, fill_all, generate

ISSUED = datetime(2023, 5, 10, 9, 0)
# 乙局 corrects 东区's 03-1 (35 → 38) and 西区's 01-2 (16 → 18, so the joint mean with 甲局's 17 goes from
# 16.5 to 17.5); every other row of the two units is written again unchanged.
CORRECTED: dict[tuple[str, str], Answer] = {
    ("东区", "01-2"): (19, "农产品监测工作扎实，溯源体系待完善。"),
    ("东区", "03-1"): (38, "制度建设基本到位，个别制度待修订。"),
    ("东区", "03-2"): (1, ""),
    ("西区", "01-2"): (18, "监测覆盖面有所扩大。"),
    ("西区", "03-1"): (37.5, "部分制度未落实。"),
    ("西区", "03-2"): (0, ""),
}


def correct(
    rubric: Rubric, tmp_path: Path, units: list[str], answers: dict[tuple[str, str], Answer], name: str, *,
    run: Path | None = None, when: datetime = ISSUED, register: Register | None = None, key: bytes = KEY,
) -> tuple[CorrectionReport, Path]:  # fmt: skip
    """Issue 乙局's correction form for `units` and return it filled into the returned folder as `name`."""
    report = issue_correction(rubric, "乙局", units, tmp_path / "更正表" / name, key, run=run, generated_at=when,
                              register=register)  # fmt: skip
    assert report.form is not None, report.problems
    returned = tmp_path / "returned" / name
    fill_form(report.form.path, returned, {k: v for k, v in answers.items() if k[0] in units}, "2023-05-12")
    return report, returned


def totals(collected: CollectResult, rubric: Rubric) -> dict[str, Decimal]:
    return {u.unit: Decimal(u.total.numerator) / u.total.denominator for u in score(collected.frame, rubric).units}


def codes(collected: CollectResult) -> list[str]:
    return [p.code for p in collected.problems]


@pytest.fixture
def first_run(tmp_path: Path, small_rubric: Rubric) -> RunReport:
    fill_all(generate(small_rubric, tmp_path / "forms"), tmp_path / "returned", TIE)
    return run_collect(tmp_path / "returned", small_rubric, KEY, CollectOptions(tmp_path / "results"))


def test_a_correction_for_two_units_changes_exactly_those_items(
    tmp_path: Path, small_rubric: Rubric, first_run: RunReport
) -> None:
    register = Register(tmp_path / REGISTER_NAME)
    report, _ = correct(small_rubric, tmp_path, ["西区", "东区"], CORRECTED, "乙局更正.xlsx", run=first_run.folder,
                        register=register)  # fmt: skip
    assert report.units == ["东区", "西区"] and report.generation == 1
    (generation,) = load_register(tmp_path / REGISTER_NAME)[0].generations
    assert generation.kind == CORRECTION and generation.forms[0].units == ("东区", "西区")

    sheet = openpyxl.load_workbook(report.form.path)[FORM_SHEET]  # type: ignore[union-attr]
    assert sheet.cell(FIRST_DATA_ROW, COL_REFERENCE + 1).value == REFERENCE_HEADER
    shown = [(sheet.cell(r, COL_UNIT + 1).value, sheet.cell(r, COL_REFERENCE + 1).value) for r in range(5, 11)]
    assert shown == [("东区", "19"), ("东区", "35"), ("东区", "1"), ("西区", "16"), ("西区", "37.5"), ("西区", "0")]
    assert sheet.protection.sheet and sheet.cell(5, COL_REFERENCE + 1).protection.locked

    second = run_collect(
        tmp_path / "returned", small_rubric, KEY, CollectOptions(tmp_path / "results", register=register)
    )
    # 东区 90.5 + 3 (03-1) = 93.5; 西区 90.5 + 1 (01-2 mean 16.5 → 17.5) = 91.5; 南区 stays 98 from the full form
    assert {u.unit: u.total for u in second.results.units} == {"东区": Decimal("93.5"), "西区": Decimal("91.5"),
                                                                "南区": Decimal(98)}  # fmt: skip
    statuses = {s.file: (s.status, s.reason) for s in second.collected.submissions}
    original = "2022年度质量工作考核评价表_乙局.xlsx"
    assert statuses["乙局更正.xlsx"] == (Status.ACCEPTED, "更正表：东区、西区的 6 项采用本表的值")
    assert statuses[original] == (Status.ACCEPTED, "东区、西区的项目已由更正表 乙局更正.xlsx 更正；其他单位采用本表")
    (applied,) = [p for p in second.problems if p.code == "CORRECTION_APPLIED"]
    assert applied.params == {"evaluator": "乙局", "units": ["东区", "西区"], "count": 6, "original": original}
    assert not [p for p in second.problems if p.code in ("VALUE_DATE_LATE", "SUBMISSION_DUPLICATE")]

    book = openpyxl.load_workbook(second.folder / "master.xlsx")
    returns = {(r[0], r[2]): (r[1], r[8]) for r in book["报送情况"].iter_rows(min_row=2, values_only=True)}
    assert returns[("乙局", "乙局更正.xlsx")] == ("已采用（更正表）", "更正表：东区、西区的 6 项采用本表的值")
    assert returns[("乙局", original)][0] == "已采用"
    detail = list(book["明细"].iter_rows(values_only=True))
    head = detail[0]
    rows = [dict(zip(head, r, strict=True)) for r in detail[1:] if r[head.index("评价部门")] == "乙局"]
    source = {(r["被考核单位"], r["项目编号"]): (r["文件"], r["单元格"], r["填写内容"]) for r in rows}
    on_correction = {(r.unit.name, r.item.id): r.score_cell for r in form_rows(small_rubric, "乙局", ["东区", "西区"])}
    on_original = {(r.unit.name, r.item.id): r.score_cell for r in form_rows(small_rubric, "乙局")}
    assert len(rows) == 9
    for key, (file, cell, _raw) in source.items():
        expected = ("乙局更正.xlsx", on_correction[key]) if key[0] != "南区" else (original, on_original[key])
        assert (file, cell) == expected
    assert source[("东区", "03-1")][2] == "38"
    audit = {f["file"]: f for f in json.loads((second.folder / "audit.json").read_text(encoding="utf-8"))["files"]}
    assert audit["乙局更正.xlsx"]["correction_units"] == ["东区", "西区"]
    assert audit[original]["corrected_by"] == {"东区": "乙局更正.xlsx", "西区": "乙局更正.xlsx"}

    diff, problems = diff_runs(first_run.folder, second.folder, small_rubric)
    assert problems == [] and diff is not None
    assert [c.behind for c in diff.items] == ["更正表 乙局更正.xlsx"] * 2
    changed = [(c.unit, c.item_id, c.old, c.new, c.new_from) for c in diff.items]
    jia = {(r.unit.name, r.item.id): r.score_cell for r in form_rows(small_rubric, "甲局")}
    assert changed == [("东区", "03-1", "35.00", "38.00", f"乙局更正.xlsx 评价表!{on_correction[('东区', '03-1')]}"),
                       ("西区", "01-2", "16.50", "17.50",
                        f"2022年度质量工作考核评价表_甲局.xlsx 评价表!{jia[('西区', '01-2')]}；"
                        f"乙局更正.xlsx 评价表!{on_correction[('西区', '01-2')]}")]  # fmt: skip
    ranks = {u.unit: (u.old_rank, u.new_rank) for u in diff.units}
    assert ranks == {"东区": (2, 2), "西区": (2, 3), "南区": (1, 1)}


def test_a_correction_without_the_original_counts_for_its_units_only(tmp_path: Path, small_rubric: Rubric) -> None:
    generated = generate(small_rubric, tmp_path / "forms")
    fill_all(generated, tmp_path / "returned", {ev: a for ev, a in TIE.items() if ev != "乙局"})
    correct(small_rubric, tmp_path, ["东区"], CORRECTED, "乙局更正.xlsx")
    collected = collect(tmp_path / "returned", small_rubric, KEY)
    (alone,) = [p for p in collected.problems if p.code == "CORRECTION_WITHOUT_ORIGINAL"]
    assert alone.message.startswith("乙局更正.xlsx 是乙局对东区的更正表，但没有采用乙局的原评价表")
    assert "SUBMISSION_MISSING" in codes(collected)  # 西区 and 南区 still lack 乙局's values
    # 东区 36 + (18+19)/2 + 38 + 1 = 93.5; 南区 has only 甲局's values: 40 + 20 − 2 = 58
    assert totals(collected, small_rubric)["东区"] == Decimal("93.5")
    assert totals(collected, small_rubric)["南区"] == Decimal(58)
    units = {u.unit: u.complete for u in score(collected.frame, small_rubric).units}
    assert units == {"东区": True, "西区": False, "南区": False}


def test_the_later_of_two_corrections_wins_and_the_earlier_is_superseded(
    tmp_path: Path, small_rubric: Rubric, first_run: RunReport
) -> None:
    register = Register(tmp_path / REGISTER_NAME)
    later = {**CORRECTED, ("东区", "03-1"): (39, "制度建设到位。")}
    # issued: first for 东区 and 西区, then for 东区 alone (returned first, in file-name order)
    correct(small_rubric, tmp_path, ["东区", "西区"], CORRECTED, "b-更正.xlsx", register=register)
    correct(small_rubric, tmp_path, ["东区"], later, "a-再更正.xlsx", when=datetime(2023, 5, 11, 9), register=register)
    collected = collect(tmp_path / "returned", small_rubric, KEY, register=register)
    # 东区 from the later correction: 90.5 + 4 = 94.5; 西区 still from the earlier one: 91.5
    assert totals(collected, small_rubric) == {"东区": Decimal("94.5"), "西区": Decimal("91.5"), "南区": Decimal(98)}
    (older,) = [p for p in collected.problems if p.code == "CORRECTION_SUPERSEDED"]
    assert older.file == "b-更正.xlsx" and older.params["units"] == ["东区"]
    assert {s.file: s.status for s in collected.submissions}["b-更正.xlsx"] == Status.ACCEPTED  # 西区 is its own

    correct(small_rubric, tmp_path, ["西区"], CORRECTED, "c-三更正.xlsx", when=datetime(2023, 5, 12, 9))
    collected = collect(tmp_path / "returned", small_rubric, KEY)  # without the register: the signed times decide
    status = {s.file: (s.status, s.reason) for s in collected.submissions}
    assert status["b-更正.xlsx"] == (Status.SUPERSEDED, "已由更晚生成的更正表 a-再更正.xlsx、c-三更正.xlsx 替换")
    assert totals(collected, small_rubric) == {"东区": Decimal("94.5"), "西区": Decimal("91.5"), "南区": Decimal(98)}


def test_a_correction_edited_to_hold_another_unit_is_refused(
    tmp_path: Path, small_rubric: Rubric, first_run: RunReport
) -> None:
    _, returned = correct(small_rubric, tmp_path, ["东区"], CORRECTED, "乙局更正.xlsx")
    book = openpyxl.load_workbook(returned)
    book[FORM_SHEET].cell(FIRST_DATA_ROW + 1, COL_UNIT + 1).value = "南区"  # the unit of its first row
    book.save(returned)
    collected = collect(tmp_path / "returned", small_rubric, KEY)
    (edited,) = [p for p in collected.problems if p.file == "乙局更正.xlsx" and p.code.startswith("FORM_")]
    assert (edited.code, edited.cell) == ("FORM_LOCKED_CHANGED", "B5")
    assert edited.params["found"] == "南区" and edited.params["expected"] == "东区"
    assert totals(collected, small_rubric) == {"东区": Decimal("90.5"), "西区": Decimal("90.5"), "南区": Decimal(98)}


def test_a_correction_with_another_key_or_rubric_is_refused(
    tmp_path: Path, small_rubric: Rubric, first_run: RunReport
) -> None:
    correct(small_rubric, tmp_path, ["东区"], CORRECTED, "别的密钥.xlsx", key=bytes(32))
    data = small_rubric_data()
    data["items"][4]["text"] = "健全质量工作制度。（40分）"  # 03-1, scored by 乙局
    other = load_ok(write_json(tmp_path / "rubric-new.json", data))
    correct(other, tmp_path, ["东区"], CORRECTED, "别的细则.xlsx")
    collected = collect(tmp_path / "returned", small_rubric, KEY)
    found = {p.file: p.code for p in collected.problems if p.code.startswith("FORM_")}
    assert found == {"别的密钥.xlsx": "FORM_SIGNATURE_INVALID", "别的细则.xlsx": "FORM_OLD_RUBRIC"}
    assert not [p for p in collected.problems if p.code.startswith("CORRECTION_")]
    assert totals(collected, small_rubric) == {"东区": Decimal("90.5"), "西区": Decimal("90.5"), "南区": Decimal(98)}


def test_a_correction_needs_known_names_and_says_when_nothing_is_adopted_yet(
    tmp_path: Path, small_rubric: Rubric
) -> None:
    report = issue_correction(small_rubric, "乙局", ["北区"], tmp_path, KEY)
    assert [p.code for p in report.problems] == ["CORRECTION_UNKNOWN"] and report.form is None
    report = issue_correction(small_rubric, "乙管理局", ["南区"], tmp_path, KEY, generated_at=ISSUED)  # an alias
    assert report.evaluator == "乙局" and [p.code for p in report.problems] == ["CORRECTION_NO_REFERENCE"]
    sheet = openpyxl.load_workbook(report.form.path)[FORM_SHEET]  # type: ignore[union-attr]
    assert {sheet.cell(r, COL_REFERENCE + 1).value for r in range(5, 8)} == {"（无）"}
    again = issue_correction(small_rubric, "乙局", ["南区"], tmp_path, KEY, generated_at=ISSUED)  # the same second
    assert again.form is not None and again.form.path.name == report.form.path.name.replace(".xlsx", "-2.xlsx")  # type: ignore[union-attr]
    assert again.form.form_id != report.form.form_id  # type: ignore[union-attr]


def test_a_correction_typed_in_libreoffice_is_applied_and_prints_like_the_form(
    tmp_path: Path, small_rubric: Rubric, first_run: RunReport
) -> None:
    from .test_check_code import typed_in_libreoffice
    from .test_print import pages, to_pdf

    report = issue_correction(small_rubric, "乙局", ["东区", "西区"], tmp_path / "更正表", KEY, run=first_run.folder,
                              generated_at=ISSUED)  # fmt: skip
    assert report.form is not None
    rows = form_rows(small_rubric, "乙局", ["东区", "西区"])
    typed = {r.score_cell: str(CORRECTED[(r.unit.name, r.item.id)][0]) for r in rows}
    typed |= {
        r.remark_cell: CORRECTED[(r.unit.name, r.item.id)][1] for r in rows if CORRECTED[(r.unit.name, r.item.id)][1]
    }
    typed["E2"] = "2023-05-12"
    returned = tmp_path / "returned" / "乙局更正（LibreOffice）.xlsx"
    printed = typed_in_libreoffice(report.form.path, returned, typed, tmp_path / "lo-profile")
    collected = collect(tmp_path / "returned", small_rubric, KEY)
    corrected = {s.file: s for s in collected.submissions}[returned.name]
    assert corrected.status == Status.ACCEPTED and corrected.problems == []
    assert corrected.check_code is not None and corrected.check_code.shown() == printed  # the paper's 校验码
    assert totals(collected, small_rubric) == {"东区": Decimal("93.5"), "西区": Decimal("91.5"), "南区": Decimal(98)}

    (pdf,) = to_pdf([report.form.path], tmp_path / "pdf", tmp_path / "lo-profile")
    paper = pages(pdf)
    form_pages = [page for page in paper if "实际得分" in page]  # a page for each of its two units
    assert len(form_pages) == 2 and len(paper) == 3  # and the guide's page
    form_page = "".join(form_pages)
    assert "（更正）" in form_page and "现采用值" in form_page and "37.5" in form_page
    assert all("现采用值" in page for page in form_pages) and "南区" not in form_page


def test_cli_correction(tmp_path: Path, small_rubric: Rubric, small_rubric_path: Path, first_run: RunReport) -> None:
    (tmp_path / "qe.key").write_text(KEY.hex())
    args = ["correction", "--evaluator", "乙管理局", "--units", "西区，东区", "--from", str(first_run.folder), "--out",
            str(tmp_path / "更正表"), "--rubric", str(small_rubric_path), "--key", str(tmp_path / "qe.key")]  # fmt: skip
    shown = CliRunner().invoke(main, args)
    assert shown.exit_code == 0, shown.output
    (made,) = (tmp_path / "更正表").iterdir()
    assert f"已生成乙局的更正表（东区、西区，共 6 项）：{made}" in shown.output
    assert f"“现采用值”取自：{first_run.folder}" in shown.output
    assert "已记入评价表生成登记（第 1 次生成，更正）" in shown.output
    (generation,) = load_register(tmp_path / REGISTER_NAME)[0].generations
    assert generation.kind == CORRECTION and generation.forms[0].file == made.name

    report = json.loads(CliRunner().invoke(main, [*args, "--json"]).output)
    assert (report["evaluator"], report["units"], report["rows"], report["generation"]) == (
        "乙局",
        ["东区", "西区"],
        6,
        2,
    )
    wrong = CliRunner().invoke(main, [*args[:4], "北区", *args[5:]])
    assert wrong.exit_code == 2 and "没有名为“北区”的被考核单位" in wrong.output
