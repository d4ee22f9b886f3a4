"""Scoring as a pure function of the master frame: small frames written by hand, no workbook.

The rubric is the tests' small one (tests/conftest.py) with a fourth unit and a joint deduction:
    01-1 score 40 (甲局)   01-2 score 20 (甲局 + 乙局, joint)   02-1 deduction 1.5/event, cap 2 (甲局)
    02-2 veto (质强办)     02-3 deduction 0.5/event, cap 1 (甲局 + 乙局, joint)
    03-1 score 40 (乙局)   03-2 bonus 1 (乙局)
Unless a test says otherwise every evaluator gives full marks, no events, no veto and no bonus,
so every unit starts at 40 + 20 + 40 = 100.00.
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from qe_workbook.intake.frame import NAMES, to_cents, typed
from qe_workbook.outputs.detail import frame_records, read_frame
from qe_workbook.rubric import Kind, Rubric
from qe_workbook.scoring.score import Results, score

from .conftest import load_ok, small_rubric_data, write_json

MISSING = object()  # the evaluator's row is there but the value is not valid (blank or wrong)


def rubric_data(joint: str = "mean") -> dict[str, Any]:
    data = small_rubric_data()
    data["units"].append({"name": "北区", "full_name": "北区人民政府"})
    data["items"].insert(4, {
        "id": "02-3", "area": "1", "key_point": "02", "kind": "deduction", "max": 1, "per_event": 0.5,
        "text": "发生质量安全事故。（每项扣0.5分，最高扣1分）", "evaluators": ["甲局", "乙局"],
    })  # fmt: skip
    data["grading"]["joint"] = joint
    return data


@pytest.fixture
def rubric(tmp_path: Path) -> Rubric:
    return load_ok(write_json(tmp_path / "rubric.json", rubric_data()))


@pytest.fixture
def strict(tmp_path: Path) -> Rubric:
    """The same rubric with joint items taking the strictest value."""
    return load_ok(write_json(tmp_path / "strict.json", rubric_data("min")))


def hand_frame(rubric: Rubric, values: dict[tuple[str, str, str], Any] | None = None) -> pd.DataFrame:
    """Every (evaluator, unit, item) row; `values[(evaluator, unit, item)]` overrides the default."""
    values = values or {}
    rows = []
    for item in rubric.items:
        default = Decimal(item.max) if item.kind is Kind.SCORE else Decimal(0)
        for ev in item.evaluators:
            for n, unit in enumerate(rubric.units):
                value = values.get((ev, unit.name, item.id), default)
                cents = None if value is MISSING else to_cents(value)
                rows.append({
                    "year": rubric.year, "evaluator": ev, "unit": unit.name, "area": item.area,
                    "key_point": item.key_point, "item_id": item.id, "kind": str(item.kind),
                    "max_cents": to_cents(item.max), "raw": "" if value is MISSING else str(value),
                    "value_cents": cents, "valid": cents is not None, "remark": "", "file": f"{ev}.xlsx",
                    "sheet": "评价表", "cell": f"E{5 + n}", "remark_cell": f"F{5 + n}",
                    "fill_date": pd.Timestamp("2023-04-20"), "form_id": f"{ev}-form", "sha256": "0" * 64,
                })  # fmt: skip
    return typed(pd.DataFrame(rows, columns=NAMES), rubric)


def unit(results: Results, name: str) -> Any:
    return next(u for u in results.units if u.unit == name)


def item(results: Results, unit_name: str, item_id: str) -> Any:
    return next(s for s in unit(results, unit_name).items if s.item.id == item_id)


@pytest.mark.parametrize(
    ("jia", "yi", "mean"),
    [
        ("1.25", "1.20", "1.23"),  # 1.225 → 1.23
        ("0.27", "0.28", "0.28"),  # 0.275 → 0.28
        ("2.49", "0", "1.25"),  # 1.245 → 1.25 half up (half-even would give 1.24)
        ("0.01", "0", "0.01"),  # 0.005 → 0.01
        ("19", "20", "19.50"),
    ],
)
def test_a_joint_score_is_the_mean_rounded_half_up(rubric: Rubric, jia: str, yi: str, mean: str) -> None:
    results = score(
        hand_frame(rubric, {("甲局", "东区", "01-2"): Decimal(jia), ("乙局", "东区", "01-2"): Decimal(yi)}), rubric
    )
    assert item(results, "东区", "01-2").points == Decimal(mean)
    assert unit(results, "东区").total == Decimal(80) + Decimal(mean)


def test_the_sources_point_back_into_the_frame_in_the_rubrics_order(rubric: Rubric) -> None:
    frame = hand_frame(rubric, {("甲局", "西区", "01-2"): Decimal("17"), ("乙局", "西区", "01-2"): Decimal("16")})
    joint = item(score(frame, rubric), "西区", "01-2")
    assert [s.evaluator for s in joint.sources] == ["甲局", "乙局"]
    assert frame.loc[joint.rows, "value_cents"].tolist() == [1700, 1600]
    assert frame.loc[joint.rows, "cell"].tolist() == ["E6", "E6"] and joint.points == Fraction(33, 2)


def test_one_evaluator_missing_scores_with_the_other_and_is_provisional(rubric: Rubric) -> None:
    results = score(
        hand_frame(rubric, {("甲局", "南区", "01-2"): Decimal("15"), ("乙局", "南区", "01-2"): MISSING}), rubric
    )
    joint = item(results, "南区", "01-2")
    assert (joint.points, joint.missing, joint.complete) == (15, ["乙局"], False)
    south = unit(results, "南区")
    assert (south.total, south.grade, south.complete, south.grade_label) == (95, "A", False, "A（暂定）")
    assert [p.code for p in results.problems] == ["UNIT_INCOMPLETE"] and "南区" in results.problems[0].message
    assert all(u.complete for u in results.units if u.unit != "南区")


def test_an_item_nobody_scored_counts_nothing(rubric: Rubric) -> None:
    results = score(hand_frame(rubric, {("乙局", "北区", "03-1"): MISSING}), rubric)
    assert item(results, "北区", "03-1").points is None
    assert unit(results, "北区").total == 60 and unit(results, "北区").areas == {"1": 60, "2": 0}


def test_deductions_are_events_times_per_event_up_to_the_cap(rubric: Rubric) -> None:
    results = score(hand_frame(rubric, {("甲局", "东区", "02-1"): 1, ("甲局", "西区", "02-1"): 3}), rubric)
    assert item(results, "东区", "02-1").points == Decimal("1.5")
    assert item(results, "西区", "02-1").points == 2  # 3 × 1.5 = 4.5, capped at 2
    assert (unit(results, "西区").deduction, unit(results, "西区").total) == (2, 98)


def test_a_joint_deduction_takes_the_mean_or_the_most(rubric: Rubric, strict: Rubric) -> None:
    frame = hand_frame(rubric, {("甲局", "东区", "02-3"): 1, ("乙局", "东区", "02-3"): 4})  # 0.5 and min(2, 1)
    assert unit(score(frame, rubric), "东区").deduction == Decimal("0.75")
    assert unit(score(frame, strict), "东区").deduction == 1


def test_the_strict_rule_takes_the_lowest_joint_score(rubric: Rubric, strict: Rubric) -> None:
    frame = hand_frame(rubric, {("甲局", "东区", "01-2"): Decimal("1.25"), ("乙局", "东区", "01-2"): Decimal("1.2")})
    assert item(score(frame, strict), "东区", "01-2").points == Decimal("1.2")


def test_ties_share_a_rank(rubric: Rubric) -> None:
    # 东区 100, 西区 and 南区 95.5, 北区 90 + bonus 1
    frame = hand_frame(rubric, {("甲局", "西区", "01-1"): Decimal("35.5"), ("乙局", "南区", "03-1"): Decimal("35.5"),
                                ("甲局", "北区", "01-1"): 30, ("乙局", "北区", "03-2"): 1})  # fmt: skip
    results = score(frame, rubric)
    assert [(u.unit, u.total, u.rank) for u in results.units] == [
        ("东区", 100, 1), ("西区", Decimal("95.5"), 2), ("南区", Decimal("95.5"), 2), ("北区", 91, 4)]  # fmt: skip
    assert [u.unit for u in results.by_rank()] == ["东区", "西区", "南区", "北区"]


def test_a_veto_on_the_top_scorer_makes_it_d_and_last(rubric: Rubric) -> None:
    frame = hand_frame(rubric, {("质强办", "东区", "02-2"): 1, ("甲局", "西区", "01-1"): 39, ("甲局", "南区", "01-1"): 38,
                                ("甲局", "北区", "01-1"): 37})  # fmt: skip
    results = score(frame, rubric)
    east = unit(results, "东区")
    assert (east.total, east.veto, east.grade, east.rank) == (100, True, "D", 4)
    assert [(u.unit, u.grade, u.rank) for u in results.by_rank()] == [
        ("西区", "A", 1), ("南区", "A", 2), ("北区", "A", 3), ("东区", "D", 4)]  # fmt: skip
    assert unit(results, "东区").shortfalls()[0].item.id == "02-2"


def test_a_total_of_exactly_a_threshold_earns_that_grade(rubric: Rubric) -> None:
    frame = hand_frame(rubric, {("甲局", "东区", "01-1"): 0, ("甲局", "西区", "01-1"): Decimal("0"),
                                ("甲局", "西区", "02-1"): 0, ("乙局", "西区", "03-1"): Decimal("39.99"),
                                ("甲局", "南区", "01-1"): 30, ("甲局", "北区", "01-1"): 20})  # fmt: skip
    results = score(frame, rubric)
    assert [(u.unit, u.total, u.grade) for u in results.units] == [
        ("东区", 60, "C"), ("西区", Decimal("59.99"), "D"), ("南区", 90, "A"), ("北区", 80, "B")]  # fmt: skip


def test_the_units_frame_holds_the_area_pivot_in_hundredths(rubric: Rubric) -> None:
    frame = hand_frame(rubric, {("甲局", "东区", "01-1"): Decimal("38.5"), ("乙局", "东区", "03-2"): 1,
                                ("甲局", "东区", "02-1"): 1})  # fmt: skip
    before = frame.copy()
    results = score(frame, rubric)
    pd.testing.assert_frame_equal(frame, before)  # scoring never changes its input
    east = results.units_frame.loc["东区"]
    assert (east["area_1_cents"], east["area_2_cents"], east["bonus_cents"], east["deduction_cents"]) == (
        5850,
        4000,
        100,
        150,
    )
    assert east["total_cents"] == 5850 + 4000 + 100 - 150
    assert results.units_frame["total_cents"].dtype == "int64"
    assert results.items_frame["points_cents"].dtype == "Int64"


def test_detail_json_reads_back_into_an_equal_frame(rubric: Rubric, tmp_path: Path) -> None:
    frame = hand_frame(rubric, {("乙局", "南区", "01-2"): MISSING, ("甲局", "东区", "01-2"): Decimal("19.5")})
    frame.loc[3, "fill_date"] = pd.NaT
    frame.loc[4, "form_id"] = pd.NA
    frame.loc[5, "remark"] = "=SUM(A1)"
    path = tmp_path / "detail.json"
    path.write_text(json.dumps(frame_records(frame), ensure_ascii=False), encoding="utf-8")
    back = read_frame(json.loads(path.read_text(encoding="utf-8")), rubric)
    pd.testing.assert_frame_equal(back, frame)
    assert [u.total for u in score(back, rubric).units] == [u.total for u in score(frame, rubric).units]


def test_detail_json_from_another_rubric_is_refused(rubric: Rubric) -> None:
    records = frame_records(hand_frame(rubric))
    records[0]["unit"] = "外区"
    with pytest.raises(ValueError, match="unit"):
        read_frame(records, rubric)


def test_detail_json_written_before_the_entry_column_reads_as_one_input_per_item(rubric: Rubric) -> None:
    frame = hand_frame(rubric)
    records = [{k: v for k, v in r.items() if k != "entry"} for r in frame_records(frame)]
    back = read_frame(records, rubric)
    assert back["entry"].dtype == "int64" and set(back["entry"]) == {0}
    pd.testing.assert_frame_equal(back, frame)
