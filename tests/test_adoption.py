"""One adopted result: the meeting's adjustments applied to the units frame, graded and ranked by the very
functions scoring uses, and every published number taken from it.

The small rubric (tests/conftest.py) filled as TIE: 南区 98 (A, 1st), 东区 and 西区 90.5 (A, 2nd).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pandas as pd

from qe_workbook.extras import Adjustments, extras_from
from qe_workbook.feedback.common import source_loss
from qe_workbook.intake.collect import collect
from qe_workbook.outputs.export import summary_rows
from qe_workbook.outputs.run_record import read_run
from qe_workbook.pipeline import CollectOptions, RunReport, run_collect
from qe_workbook.record.approval import approve_run
from qe_workbook.record.diff import diff_runs
from qe_workbook.record.stages import Stage
from qe_workbook.rubric import Rubric
from qe_workbook.scoring.adopt import AdjustKind, Adjustment, adopted_results
from qe_workbook.scoring.score import score

from .forms import KEY, TIE, fill_all, generate
from .test_adjustments import MINUTES, adjustments_file, letter
from .test_scoring_frame import hand_frame

PLUS_TEN = Adjustment("东区", AdjustKind.ADD, Decimal(10), None, MINUTES, "", "A3")


def test_ten_points_more_move_the_units_frame_and_its_rows_together(tmp_path: Path, small_rubric: Rubric) -> None:
    fill_all(generate(small_rubric, tmp_path / "forms"), tmp_path / "returned", TIE)
    scored = score(collect(tmp_path / "returned", small_rubric, KEY).frame, small_rubric)
    adopted = adopted_results(scored, [PLUS_TEN], small_rubric)
    # 东区 90.5 + 10 = 100.5: first; 南区 98 second; 西区 90.5 third
    assert [(u.unit, u.total, u.bonus, u.grade, u.rank) for u in adopted.units] == [
        ("东区", Decimal("100.5"), 11, "A", 1), ("西区", Decimal("90.5"), 0, "A", 3), ("南区", 98, 0, "A", 2)]  # fmt: skip
    frame = adopted.units_frame
    assert frame.loc["东区", ["total_cents", "bonus_cents", "rank"]].tolist() == [10050, 1100, 1]
    assert [row[:2] + row[-4:-2] for row in summary_rows(adopted, small_rubric)] == [
        [1, "东区", Decimal("100.50"), "A"], [2, "南区", Decimal("98.00"), "A"], [3, "西区", Decimal("90.50"), "A"]]  # fmt: skip
    for view in (scored, adopted):  # every view's objects are its own frame's rows
        shown = pd.DataFrame([(u.unit, int(u.total * 100), u.grade, u.rank) for u in view.units])
        assert shown.values.tolist() == view.units_frame.reset_index()[["unit", "total_cents", "grade", "rank"]].values.tolist()  # fmt: skip
    assert scored.units_frame.loc["东区", "total_cents"] == 9050 and scored.units[0].rank == 2  # the scored view kept


def test_the_same_returns_and_adjustment_in_two_years_show_no_change(tmp_path: Path, small_rubric: Rubric) -> None:
    path = adjustments_file(tmp_path / "adjustments.xlsx", small_rubric, [("西区", "加分", "5", MINUTES, None)])
    fill_all(generate(small_rubric, tmp_path / "forms"), tmp_path / "returned", TIE)
    last = run_collect(
        tmp_path / "returned", small_rubric, KEY, CollectOptions(tmp_path / "last", reports=False), [Adjustments(path)]
    )
    this = run_collect(tmp_path / "returned", small_rubric, KEY, CollectOptions(tmp_path / "this"),
                       extras_from(adjustments=path, previous=last.folder))  # fmt: skip
    rows = list(
        openpyxl.load_workbook(this.folder / "master.xlsx")["与上年比较"].iter_rows(
            min_row=2, max_row=4, values_only=True
        )
    )
    assert rows == [
        ("南区", 98, 98, 0, "A", "A", 1, 1, "不变"),
        ("西区", 95.5, 95.5, 0, "A", "A", 2, 2, "不变"),
        ("东区", 90.5, 90.5, 0, "A", "A", 3, 3, "不变"),
    ]
    letter = docx.Document(str(this.folder / "反馈意见" / "西区_2022年度质量工作考核反馈意见.docx"))
    said = [p.text for p in letter.paragraphs]
    assert "与2022年度相比：你单位总分由 95.50 分变为 95.50 分（持平），等级由A级变为A级，排名由第 2 位变为第 2 位（不变）。" in said  # fmt: skip
    summary = {row[1]: row for row in openpyxl.load_workbook(this.folder / "master.xlsx")["汇总"].iter_rows(min_row=4, values_only=True)}  # fmt: skip
    assert summary["西区"][0] == 2 and "95.5" in str(summary["西区"])  # 汇总 shows the adopted result


def test_the_follow_up_loss_is_the_scored_deduction(small_rubric: Rubric) -> None:
    # 02-1: 1.5 points per event, at most 2: three events take 2, one takes 1.5
    results = score(hand_frame(small_rubric, {("甲局", "东区", "02-1"): 3, ("甲局", "西区", "02-1"): 1}), small_rubric)
    item = small_rubric.item("02-1")
    (three,), (one,) = (next(s for s in u.items if s.item.id == "02-1").sources for u in results.units[:2])
    assert (three.value, source_loss(item, three), one.value, source_loss(item, one)) == (3, 2, 1, Decimal("1.5"))


def west_plus_five(tmp_path: Path, small_rubric: Rubric) -> tuple[Path, RunReport]:
    """The tie returns collected without documents, the meeting giving 西区 +5: its adjustments file and the run."""
    path = adjustments_file(tmp_path / "adjustments.xlsx", small_rubric, [("西区", "加分", "5", MINUTES, None)])
    fill_all(generate(small_rubric, tmp_path / "forms"), tmp_path / "returned", TIE)
    options = CollectOptions(tmp_path / "results", reports=False)
    return path, run_collect(tmp_path / "returned", small_rubric, KEY, options, [Adjustments(path)])


def test_a_run_folder_is_read_back_once_as_scored_and_adopted(tmp_path: Path, small_rubric: Rubric) -> None:
    path, run = west_plus_five(tmp_path, small_rubric)
    written = json.loads((run.folder / "results.json").read_text(encoding="utf-8"))
    assert [(u["unit"], u["total"], u["rank"]) for u in written["units"]] == [
        ("东区", 90.5, 3), ("西区", 95.5, 2), ("南区", 98, 1)]  # fmt: skip
    assert [(u["unit"], u["total"], u["rank"]) for u in written["scored"]] == [
        ("东区", 90.5, 2), ("西区", 90.5, 2), ("南区", 98, 1)]  # fmt: skip
    assert written["adjustments"] == [{"unit": "西区", "kind": "加分", "points": "5", "grade": None, "basis": MINUTES,
                                       "note": "", "cell": "A3"}]  # fmt: skip

    (path).unlink()  # the run keeps its own copy; results.json alone records what was adopted
    (run.folder / "adjustments.xlsx").unlink()
    record, problems = read_run(run.folder, small_rubric)
    assert problems == [] and record is not None
    assert [(u.unit, u.total, u.rank) for u in record.results.units] == [
        ("东区", Decimal("90.5"), 3), ("西区", Decimal("95.5"), 2), ("南区", 98, 1)]  # fmt: skip
    assert [u.rank for u in record.scored.units] == [2, 2, 1]
    assert record.complete and not record.withheld and record.year == 2022
    other, trouble = read_run(tmp_path, small_rubric)
    assert other is None and [p.code for p in trouble] == ["REPORT_RUN_INVALID"]


def test_a_run_that_withheld_its_documents_says_so(tmp_path: Path, small_rubric: Rubric) -> None:
    nothing_for_south = {ev: {k: v for k, v in cells.items() if k[0] != "南区"} for ev, cells in TIE.items()}
    fill_all(generate(small_rubric, tmp_path / "forms"), tmp_path / "returned", nothing_for_south)
    run = run_collect(
        tmp_path / "returned", small_rubric, KEY, CollectOptions(tmp_path / "results", allow_partial=True)
    )
    record, _ = read_run(run.folder)
    assert record is not None and record.withheld and not record.complete and record.adoption is None


def test_approved_letters_and_the_diff_carry_the_adopted_result(tmp_path: Path, small_rubric: Rubric) -> None:
    path, run = west_plus_five(tmp_path, small_rubric)
    approval, problems = approve_run(run.folder, small_rubric, Stage.APPROVED, MINUTES)
    assert problems == [] and approval is not None
    west = letter(approval.documents, "西区")
    assert "你单位总分 95.50 分，等级为 A，在 3 个被考核单位中排名第 2 位" in west
    assert f"根据{MINUTES}，加分 5 分。" in west and "调整前你单位总分 90.50 分，等级为A，排名第 2 位" in west
    again = run_collect(tmp_path / "returned", small_rubric, KEY, CollectOptions(tmp_path / "results", reports=False), [Adjustments(path)])  # fmt: skip
    changes, trouble = diff_runs(run.folder, again.folder, small_rubric)
    assert trouble == [] and changes is not None and changes.items == []
    assert [(u.unit, u.new_total, u.new_rank, u.changed) for u in changes.units if u.unit == "西区"] == [
        ("西区", "95.50", 2, False)]  # fmt: skip
