"""The collector: returned forms merged into one frame, exact totals, grades and ranks by hand."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from qe_workbook.cli import main
from qe_workbook.intake.collect import CollectResult, Prefer, collect
from qe_workbook.intake.submission import Status
from qe_workbook.pipeline import CollectOptions, run_collect
from qe_workbook.rubric import Rubric
from qe_workbook.scoring.score import score

from .conftest import load_ok, small_rubric_data, write_json
from .forms import KEY, TIE, fill_all, generate, with_changes


def _collect(tmp_path: Path, rubric: Rubric, answers=TIE, **kwargs) -> CollectResult:  # type: ignore[no-untyped-def]
    fill_all(generate(rubric, tmp_path / "forms"), tmp_path / "returned", answers)
    return collect(tmp_path / "returned", rubric, KEY, **kwargs)


def _codes(result: CollectResult) -> set[str]:
    return {p.code for p in result.problems}


def test_tie_shares_a_rank_and_joint_items_take_the_mean(tmp_path: Path, small_rubric: Rubric) -> None:
    collected = _collect(tmp_path, small_rubric)
    assert collected.problems == []
    results = score(collected.frame, small_rubric)
    by_unit = {u.unit: u for u in results.units}
    assert [(u.unit, u.total, u.grade, u.rank) for u in results.by_rank()] == [
        ("南区", 98, "A", 1),
        ("东区", Decimal("90.5"), "A", 2),
        ("西区", Decimal("90.5"), "A", 2),
    ]
    assert by_unit["东区"].areas == {"1": Decimal("54.5"), "2": 35}
    assert by_unit["东区"].bonus == 1
    assert by_unit["西区"].deduction == Decimal("1.5")
    assert by_unit["南区"].deduction == 2  # 3 events × 1.5 capped at 2
    joint = next(s for s in by_unit["西区"].items if s.item.id == "01-2")
    assert joint.points == Decimal("16.5")
    assert [(s.evaluator, s.cell) for s in joint.sources] == [("甲局", "E9"), ("乙局", "E8")]


def test_the_veto_makes_d_and_ranks_last(tmp_path: Path, small_rubric: Rubric) -> None:
    answers = with_changes(TIE, "质强办", {("南区", "02-2"): ("是", "发生区域性产品质量安全事件。")})
    results = score(_collect(tmp_path, small_rubric, answers).frame, small_rubric)
    assert [(u.unit, u.grade, u.rank, u.veto) for u in results.by_rank()] == [
        ("东区", "A", 1, False),
        ("西区", "A", 1, False),
        ("南区", "D", 3, True),
    ]


def test_joint_rule_min_takes_the_lower_score(tmp_path: Path, small_rubric: Rubric) -> None:
    collected = _collect(tmp_path, small_rubric)
    data = small_rubric_data()
    data["grading"]["joint"] = "min"
    strict = load_ok(write_json(tmp_path / "strict.json", data))
    by_unit = {u.unit: u for u in score(collected.frame, strict).units}
    assert by_unit["东区"].total == Decimal("90")  # 36 + min(18, 19) + 35 + 1


def test_the_frame_holds_one_row_per_evaluator_unit_and_item(tmp_path: Path, small_rubric: Rubric) -> None:
    frame = _collect(tmp_path, small_rubric).frame
    assert len(frame) == 3 * (3 + 3 + 1)
    row = frame[(frame.unit == "西区") & (frame.item_id == "03-1")].iloc[0]
    assert (row.evaluator, row.value_cents, row.raw, row.cell, row.sheet, row.kind) == (
        "乙局",
        3750,
        "37.5",
        "E9",
        "评价表",
        "score",
    )
    assert row.remark == "部分制度未落实。" and row.file == "2022年度质量工作考核评价表_乙局.xlsx"
    assert row.fill_date == pd.Timestamp("2023-04-20") and len(row.form_id) == 12


def test_a_missing_form_makes_every_unit_provisional(tmp_path: Path, small_rubric: Rubric) -> None:
    answers = {k: v for k, v in TIE.items() if k != "乙局"}
    collected = _collect(tmp_path, small_rubric, answers)
    results = score(collected.frame, small_rubric)
    assert "SUBMISSION_MISSING" in _codes(collected)
    missing = next(p for p in collected.problems if p.code == "SUBMISSION_MISSING")
    assert "乙局" in missing.message and "0395-2222222" in missing.message
    assert all(not u.complete and u.grade_label.endswith("（暂定）") for u in results.units)
    dong = next(u for u in results.units if u.unit == "东区")
    assert dong.total == Decimal("54")  # 36 + 18 (the joint item's one received score)
    assert {p.code for p in results.problems} == {"UNIT_INCOMPLETE"}


@pytest.mark.parametrize(
    ("value", "code", "words"),
    [
        ("2分", "VALUE_NOT_NUMBER", "“2分”，不是数字"),
        ("满分", "VALUE_FULL_MARKS_WORD", "“满分”，不是数字（满分为 40）"),
        (-1, "VALUE_BELOW_ZERO", "为 -1"),
        (41, "VALUE_ABOVE_MAX", "超过满分 40"),
        (39.125, "VALUE_TOO_PRECISE", "小数超过两位"),
        ("=40", "VALUE_FORMULA", "是公式"),
    ],
)
def test_bad_scores_are_left_out_and_pointed_at(
    tmp_path: Path, small_rubric: Rubric, value: object, code: str, words: str
) -> None:
    answers = with_changes(TIE, "甲局", {("西区", "01-1"): (value, "说明")})
    collected = _collect(tmp_path, small_rubric, answers)
    hit = next(p for p in collected.problems if p.code == code)
    assert (hit.file, hit.sheet, hit.cell) == ("2022年度质量工作考核评价表_甲局.xlsx", "评价表", "E8")
    assert words in hit.message and "西区第1项（01-1）" in hit.message
    assert {"unit": "西区", "number": 1, "item": "01-1"}.items() <= hit.params.items()
    row = collected.frame[(collected.frame.unit == "西区") & (collected.frame.item_id == "01-1")].iloc[0]
    assert not row.valid and row.value_cents is pd.NA
    results = score(collected.frame, small_rubric)
    xi = next(u for u in results.units if u.unit == "西区")
    assert not xi.complete and xi.total == Decimal("52.5")  # 90.5 without the 38


def test_a_number_typed_as_text_is_accepted(tmp_path: Path, small_rubric: Rubric) -> None:
    answers = with_changes(TIE, "甲局", {("西区", "01-1"): ("３８", "全角数字")})
    collected = _collect(tmp_path, small_rubric, answers)
    assert collected.problems == []
    assert score(collected.frame, small_rubric).units[1].total == Decimal("90.5")


@pytest.mark.parametrize(
    ("evaluator", "cell_key", "value", "code"),
    [
        ("甲局", ("东区", "02-1"), 1.5, "VALUE_EVENTS_NOT_WHOLE"),
        ("质强办", ("东区", "02-2"), "可能", "VALUE_VETO_INVALID"),
    ],
)
def test_deduction_and_veto_values(
    tmp_path: Path, small_rubric: Rubric, evaluator: str, cell_key: tuple[str, str], value: object, code: str
) -> None:
    collected = _collect(tmp_path, small_rubric, with_changes(TIE, evaluator, {cell_key: (value, "说明")}))
    (hit,) = [p for p in collected.problems if p.code == code]
    assert (hit.file, hit.cell) == (
        f"2022年度质量工作考核评价表_{evaluator}.xlsx",
        "E7" if evaluator == "甲局" else "E5",
    )
    row = collected.frame[(collected.frame.unit == "东区") & (collected.frame.item_id == cell_key[1])].iloc[0]
    assert row.value_cents is pd.NA  # left out: 东区 is provisional until it is corrected
    assert not next(u for u in score(collected.frame, small_rubric).units if u.unit == "东区").complete


def test_a_lost_point_without_a_remark_is_a_warning(tmp_path: Path, small_rubric: Rubric) -> None:
    answers = with_changes(TIE, "乙局", {("东区", "03-1"): (35, "")})
    collected = _collect(tmp_path, small_rubric, answers)
    (hit,) = collected.problems
    assert (hit.code, hit.severity, hit.cell) == ("VALUE_REMARK_MISSING", "warning", "F6")
    assert score(collected.frame, small_rubric).units[0].complete


def test_empty_cells_are_errors_unless_partial_is_allowed(tmp_path: Path, small_rubric: Rubric) -> None:
    answers = with_changes(TIE, "乙局", {("东区", "03-1"): (None, "")})
    strict = _collect(tmp_path / "a", small_rubric, answers)
    lenient = _collect(tmp_path / "b", small_rubric, answers, allow_partial=True)
    assert [(p.code, p.severity) for p in strict.problems] == [("VALUE_EMPTY", "error")]
    assert [(p.code, p.severity) for p in lenient.problems] == [("VALUE_EMPTY", "warning")]


def test_fill_date_missing_and_late_are_warnings(tmp_path: Path, small_rubric: Rubric) -> None:
    generated = generate(small_rubric, tmp_path / "forms")
    fill_all(generated, tmp_path / "returned", {"甲局": TIE["甲局"]}, fill_date=None)
    fill_all(generated, tmp_path / "returned", {"乙局": TIE["乙局"]}, fill_date="2023-05-08")
    fill_all(generated, tmp_path / "returned", {"质强办": TIE["质强办"]}, fill_date="2023年4月1日")
    collected = collect(tmp_path / "returned", small_rubric, KEY)
    assert sorted((p.code, p.cell) for p in collected.problems) == [
        ("VALUE_DATE_LATE", "E2"), ("VALUE_DATE_MISSING", "E2")]  # fmt: skip
    assert {s.evaluator: str(s.fill_date) for s in collected.submissions}["质强办"] == "2023-04-01"


def test_two_different_files_from_one_evaluator_are_a_conflict_with_prefer_none(
    tmp_path: Path, small_rubric: Rubric
) -> None:
    generated = generate(small_rubric, tmp_path / "forms")
    fill_all(generated, tmp_path / "returned", TIE)
    first = generated.forms[0].path
    from qe_workbook.forms.fill import fill_form

    changed = with_changes(TIE, "甲局", {("东区", "01-1"): (30, "更正")})["甲局"]
    fill_form(first, tmp_path / "returned" / "更正版" / "甲局.xlsx", changed, "2023-04-25")
    conflict = collect(tmp_path / "returned", small_rubric, KEY, prefer=Prefer.NONE)
    assert [s.status for s in conflict.submissions if s.evaluator == "甲局"] == [Status.CONFLICT] * 2
    assert sum(p.code == "SUBMISSION_DUPLICATE" for p in conflict.problems) == 2
    assert not (conflict.frame.evaluator == "甲局").any()
    newest = collect(tmp_path / "returned", small_rubric, KEY, prefer=Prefer.NEWEST)
    assert {s.file: s.status for s in newest.submissions if s.evaluator == "甲局"} == {
        "2022年度质量工作考核评价表_甲局.xlsx": Status.SUPERSEDED, "更正版/甲局.xlsx": Status.ACCEPTED}  # fmt: skip
    assert "SUBMISSION_SUPERSEDED" in _codes(newest)
    dong = next(u for u in score(newest.frame, small_rubric).units if u.unit == "东区")
    assert dong.total == Decimal("84.5")


def test_an_identical_copy_is_used_once(tmp_path: Path, small_rubric: Rubric) -> None:
    generated = generate(small_rubric, tmp_path / "forms")
    paths = fill_all(generated, tmp_path / "returned", TIE)
    (tmp_path / "returned" / "副本").mkdir()
    (tmp_path / "returned" / "副本" / "copy.xlsx").write_bytes(paths["乙局"].read_bytes())
    collected = collect(tmp_path / "returned", small_rubric, KEY)
    assert [p.code for p in collected.problems] == ["SUBMISSION_DUPLICATE_IDENTICAL"]
    assert score(collected.frame, small_rubric).units[0].total == Decimal("90.5")


def test_removed_protection_is_a_warning_and_an_edited_text_a_rejection(tmp_path: Path, small_rubric: Rubric) -> None:
    generated = generate(small_rubric, tmp_path / "forms")
    paths = fill_all(generated, tmp_path / "returned", TIE)
    wb = openpyxl.load_workbook(paths["乙局"])
    wb["评价表"].protection.sheet = False
    wb.save(paths["乙局"])
    wb = openpyxl.load_workbook(paths["甲局"])
    wb["评价表"]["C6"] = "2. 根据农产品质量安全合格率测算得分。（10分）"
    wb.save(paths["甲局"])
    collected = collect(tmp_path / "returned", small_rubric, KEY)
    got = {(p.code, p.file, p.cell) for p in collected.problems}
    assert ("FORM_UNPROTECTED", "2022年度质量工作考核评价表_乙局.xlsx", None) in got
    assert ("FORM_LOCKED_CHANGED", "2022年度质量工作考核评价表_甲局.xlsx", "C6") in got
    assert ("SUBMISSION_REJECTED", None, None) in got
    assert {s.evaluator or s.claimed: s.status for s in collected.submissions}["甲局"] == Status.REJECTED


def test_a_form_signed_with_another_key_is_rejected(tmp_path: Path, small_rubric: Rubric) -> None:
    fill_all(generate(small_rubric, tmp_path / "forms", key=bytes(32)), tmp_path / "returned", TIE)
    collected = collect(tmp_path / "returned", small_rubric, KEY)
    assert sum(p.code == "FORM_SIGNATURE_INVALID" for p in collected.problems) == 3
    assert collected.frame.empty


def test_cli_collect_writes_a_new_run_folder_each_time(tmp_path: Path, small_rubric_path: Path) -> None:
    from qe_workbook.rubric import load_rubric

    rubric = load_rubric(small_rubric_path).rubric
    assert rubric is not None
    answers = with_changes(TIE, "乙局", {("东区", "03-1"): (35, '=HYPERLINK("http://x")')})
    fill_all(generate(rubric, tmp_path / "forms"), tmp_path / "returned", answers)
    (tmp_path / "qe.key").write_text(KEY.hex())
    args = ["collect", str(tmp_path / "returned"), "--rubric", str(small_rubric_path),
            "--key", str(tmp_path / "qe.key"), "--out", str(tmp_path / "results")]  # fmt: skip
    first = CliRunner().invoke(main, args)
    second = CliRunner().invoke(main, [*args, "--json"])
    assert first.exit_code == 0, first.output
    assert second.exit_code == 0
    runs = sorted(p for p in (tmp_path / "results").iterdir())
    assert len(runs) == 2
    report = json.loads(second.output[second.output.index("{") :])
    assert report["clean"] is True and [u["total"] for u in report["results"]["units"]] == [90.5, 90.5, 98.0]
    assert (runs[0] / "results.json").read_bytes() == (runs[1] / "results.json").read_bytes()
    raw = (runs[0] / "results.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[1][:2] == ["1", "南区"] and rows[1][-4] == "98.00"
    master = openpyxl.load_workbook(runs[0] / "master.xlsx")
    assert master.sheetnames[:6] == ["汇总", "明细", "分项矩阵", "报送情况", "问题清单", "反馈要点"]
    feedback = [r for r in master["反馈要点"].iter_rows(values_only=True) if r[0] == "东区" and r[1] == "03-1"]
    assert feedback[0][-1] == '=HYPERLINK("http://x")'  # stays text, never a formula
    assert master["反馈要点"].cell(2, 10).data_type == "s"


def test_cli_collect_exit_codes(tmp_path: Path, small_rubric_path: Path, small_rubric: Rubric) -> None:
    fill_all(generate(small_rubric, tmp_path / "forms"), tmp_path / "returned", {"甲局": TIE["甲局"]})
    (tmp_path / "qe.key").write_text(KEY.hex())
    base = ["--rubric", str(small_rubric_path), "--key", str(tmp_path / "qe.key"), "--out", str(tmp_path / "r")]
    partial = CliRunner().invoke(main, ["collect", str(tmp_path / "returned"), *base])
    assert partial.exit_code == 1 and "SUBMISSION_MISSING" in partial.output and "（暂定）" in partial.output
    usage = CliRunner().invoke(main, ["collect", str(tmp_path / "nowhere"), *base])
    assert usage.exit_code == 2


def test_run_collect_traces_every_point_to_a_cell(tmp_path: Path, small_rubric: Rubric) -> None:
    fill_all(generate(small_rubric, tmp_path / "forms"), tmp_path / "returned", TIE)
    report = run_collect(tmp_path / "returned", small_rubric, KEY, CollectOptions(tmp_path / "results"))
    data = json.loads((report.folder / "results.json").read_text(encoding="utf-8"))
    west = next(u for u in data["units"] if u["unit"] == "西区")
    joint = next(i for i in west["items"] if i["id"] == "01-2")
    assert joint["points"] == 16.5
    assert joint["sources"] == [
        {
            "evaluator": "甲局",
            "file": "2022年度质量工作考核评价表_甲局.xlsx",
            "sheet": "评价表",
            "cell": "E9",
            "raw": "17",
        },
        {
            "evaluator": "乙局",
            "file": "2022年度质量工作考核评价表_乙局.xlsx",
            "sheet": "评价表",
            "cell": "E8",
            "raw": "16",
        },
    ]
    audit = json.loads((report.folder / "audit.json").read_text(encoding="utf-8"))
    assert {f["decision"] for f in audit["files"]} == {"accepted"} and all(
        len(f["sha256"]) == 64 for f in audit["files"]
    )


def test_usage_errors_are_told_in_chinese(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "qe_workbook", "collect", str(tmp_path / "没有这个文件夹"), "--foo"],
        capture_output=True, text=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"}, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.startswith("用法错误：") and "没有选项 --foo" in done.stderr and "Traceback" not in done.stderr
    missing = subprocess.run(
        [sys.executable, "-m", "qe_workbook", "collect", str(tmp_path / "没有这个文件夹")],
        capture_output=True, text=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"}, cwd=tmp_path,
    )  # fmt: skip
    assert missing.returncode == 2 and "不存在" in missing.stderr
