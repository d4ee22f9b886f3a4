"""Exports for the result's users: the 综合考评 sheet (grades turned into points) and the facts for 问责."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from qe_workbook.followup.exports import GradeMapError, export_kaoping, export_wenze, parse_grade_map
from qe_workbook.pipeline import CollectOptions, RunReport, run_collect
from qe_workbook.record.approval import approve_run
from qe_workbook.record.stages import Stage
from qe_workbook.rubric import Rubric

from .forms import KEY, TIE, fill_all, generate, with_changes
from .test_adjustments import MINUTES, adjustments_file

# TIE (tests/forms.py) with 东区's 01-1 lowered to 30 and a veto for 南区:
#   南区 98 but vetoed: D, 3rd;  西区 90.5: A, 1st;  东区 84.5: B, 2nd.
ANSWERS = with_changes(
    with_changes(TIE, "甲局", {("东区", "01-1"): (30, "合格率低。")}),
    "质强办",
    {("南区", "02-2"): ("是", "发生区域性食品质量安全事件（漯市监〔2022〕8号通报）。")},
)


@pytest.fixture
def run(tmp_path: Path, small_rubric: Rubric) -> RunReport:
    fill_all(generate(small_rubric, tmp_path / "forms"), tmp_path / "returned", ANSWERS)
    return run_collect(tmp_path / "returned", small_rubric, KEY, CollectOptions(tmp_path / "results"))


def test_the_grade_map_is_read_exactly(small_rubric: Rubric) -> None:
    assert parse_grade_map("A=100,B=90,C=80,D=60", small_rubric) == {
        "A": Decimal(100), "B": Decimal(90), "C": Decimal(80), "D": Decimal(60)}  # fmt: skip
    assert parse_grade_map("a＝95.5，B=87.25, C=80 ,D=0", small_rubric)["B"] == Decimal("87.25")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("A=100,B=90,C=80", "缺少等级 D 的分值"),
        ("A=1OO,B=90,C=80,D=60", "等级 A 的分值“1OO”不是数字"),
        ("A=100,B=90,C=80,D=60,E=0", "考核细则中没有等级“E”"),
        ("A=100,A=90,C=80,D=60", "等级 A 写了两次"),
        ("A100,B=90,C=80,D=60", "“A100”应写成“等级=分值”"),
        ("A=100.555,B=90,C=80,D=60", "最多两位小数"),
        ("A=-1,B=90,C=80,D=60", "不小于 0"),
    ],
)
def test_a_bad_grade_map_says_how_to_write_it(small_rubric: Rubric, text: str, message: str) -> None:
    with pytest.raises(GradeMapError, match=message):
        parse_grade_map(text, small_rubric)


def test_kaoping_gives_the_hand_computed_points_and_the_stage(run: RunReport, small_rubric: Rubric) -> None:
    points = parse_grade_map("A=100,B=92.5,C=80,D=60", small_rubric)
    first = export_kaoping(run.folder, small_rubric, points)
    assert first.problems == [] and first.folder is not None
    assert first.rows == [
        {"unit": "东区人民政府", "grade": "B", "points": "92.5", "stage": "初稿"},
        {"unit": "西区人民政府", "grade": "A", "points": "100", "stage": "初稿"},
        {"unit": "南区人民政府", "grade": "D", "points": "60", "stage": "初稿"},
    ]
    sheet = openpyxl.load_workbook(first.files[0]).active
    assert [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=3, max_row=6)] == [
        ("被考核单位", "等级", "折算分值", "结果阶段"),
        ("东区人民政府", "B", 92.5, "初稿"),
        ("西区人民政府", "A", 100, "初稿"),
        ("南区人民政府", "D", 60, "初稿"),
    ]
    assert sheet["A8"].value == "折算标准：A级 100 分、B级 92.5 分、C级 80 分、D级 60 分。"
    rows = list(csv.reader(first.files[1].read_text(encoding="utf-8-sig").splitlines()))
    assert rows[1] == ["东区人民政府", "B", "92.5", "初稿"]

    # the meeting lowers 西区 a grade; once approved, the sheet carries the adjusted grade and the stage
    adjustments_file(run.folder / "adjustments.xlsx", small_rubric, [("西区", "降级", None, MINUTES, None)])
    approval, problems = approve_run(run.folder, small_rubric, Stage.APPROVED, MINUTES)
    assert approval is not None, problems
    second = export_kaoping(run.folder, small_rubric, points)
    assert second.folder != first.folder and first.files[0].exists()  # never overwritten
    assert [(r["grade"], r["points"], r["stage"]) for r in second.rows] == [
        ("B", "92.5", "审定稿"), ("B", "92.5", "审定稿"), ("D", "60", "审定稿")]  # fmt: skip


def test_wenze_lists_d_grades_vetoes_and_deductions(run: RunReport, small_rubric: Rubric) -> None:
    result = export_wenze(run.folder, small_rubric)
    assert result.problems == [] and result.folder is not None
    book = openpyxl.load_workbook(result.files[0])
    assert book.sheetnames == ["D级单位", "否决项", "扣分项"]

    def rows(name: str) -> list[tuple[object, ...]]:
        return [tuple(c.value for c in row) for row in book[name].iter_rows(min_row=4) if row[0].value]

    assert rows("D级单位") == [("南区", 98, "D", "触发否决项（02-2）", "初稿")]
    ((unit, item, _text, evaluator, basis, file, sheet, cell),) = rows("否决项")
    assert (unit, item, evaluator) == ("南区", "02-2", "质强办")
    assert basis == "发生区域性食品质量安全事件（漯市监〔2022〕8号通报）。"
    assert file.endswith(".xlsx") and sheet and cell
    assert [(r[0], r[1], r[3], r[4], r[5], r[6], r[7]) for r in rows("扣分项")] == [
        ("西区", "02-1", "甲局", "1次", 1.5, 1.5, "发生一起重大质量事件。"),
        ("南区", "02-1", "甲局", "3次", 2, 2, "发生三起重大质量事件。"),
    ]
    assert {r["sheet"] for r in result.rows} == {"D级单位", "否决项", "扣分项"}
    assert result.rows[0]["总分"] == "98.00"


def test_cli_exports(run: RunReport, small_rubric_path: Path) -> None:
    from click.testing import CliRunner

    from qe_workbook.cli import main

    common = ["--rubric", str(small_rubric_path)]
    shown = CliRunner().invoke(main, ["export", "kaoping", str(run.folder), "--map", "A=100,B=90,C=80,D=60", *common,
                                      "--json"])  # fmt: skip
    assert shown.exit_code == 0, shown.output
    report = json.loads(shown.output)
    assert [(r["unit"], r["points"]) for r in report["rows"]] == [
        ("东区人民政府", "90"), ("西区人民政府", "100"), ("南区人民政府", "60")]  # fmt: skip
    bad = CliRunner().invoke(main, ["export", "kaoping", str(run.folder), "--map", "A=1OO,B=90,C=80,D=60", *common])
    assert bad.exit_code == 2 and "等级 A 的分值“1OO”不是数字" in bad.output
    missing = CliRunner().invoke(main, ["export", "kaoping", str(run.folder), *common])
    assert missing.exit_code == 2 and "--map" in missing.output
    wenze = CliRunner().invoke(main, ["export", "wenze", str(run.folder), *common])
    assert wenze.exit_code == 0, wenze.output
    assert "问责相关情况.xlsx" in wenze.output
