"""Scoring by the rubric's rules: each construct on a small inline plan, the totals worked out by hand.

Every plan here is built by `plan(...)`: the units 东区/西区/南区 (unless a test names others), one area per
`areas` entry, one key point per area (unless a test gives a tree), the items given, and the grades A ≥ 90,
B ≥ 80, C ≥ 60, else D (unless a test gives its own); a plan of fewer than 100 points gets a last item "9"
with the rest (full marks unless a test says otherwise). The master frame is written by hand (`frame(...)`):
each (evaluator, unit, item) value the test names; a typed score item a test does not name gets full marks,
a deduction, bonus or veto 0.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from qe_workbook.feedback.common import common_problems
from qe_workbook.intake.frame import NAMES, to_cents, typed
from qe_workbook.outputs.export import results_dict, summary_header, summary_rows
from qe_workbook.rubric import Kind, PointsRule, Rubric
from qe_workbook.scoring.adopt import AdjustKind, Adjustment, adopt
from qe_workbook.scoring.score import Results, score
from qe_workbook.scoring.self_scores import SelfScoreBook, SelfScoreValue, compare
from qe_workbook.scoring.totals import total_words

from .conftest import load_ok, small_rubric_data, write_json

UNITS = ["东区", "西区", "南区"]
D = Decimal


def item(id_: str, max_: float | str, *, kind: str = "score", area: str = "1", key_point: str | None = None,
         evaluators: tuple[str, ...] = ("甲局",), **more: Any) -> dict[str, Any]:  # fmt: skip
    return {"id": id_, "area": area, "key_point": key_point or area, "kind": kind, "max": float(max_),
            "text": f"考核内容{id_}", "evaluators": list(evaluators), **more}  # fmt: skip


def plan(tmp_path: Path, items: list[dict[str, Any]], *, areas: dict[str, float] | None = None,
         units: list[str] | None = None, grading: dict[str, Any] | None = None, classes: dict[str, str] | None = None,
         **top: Any) -> Rubric:  # fmt: skip
    """A plan with `items`; `classes` puts units in classes (unit → class id). A plan of fewer than 100 points
    without a `total` gets the item "9" (甲局) with the rest of the 100 points in area 1."""
    data = small_rubric_data()
    short = 100 - sum(D(str(i["max"])) for i in items if i["kind"] == "score")
    if short > 0 and areas is None and "total" not in top and "start_from" not in top:
        items = [*items, item("9", float(short))]
    areas = areas or {"1": float(max(100 - max(short, 0), 100))}
    data["areas"] = [{"id": a, "name": f"领域{a}", "max": m} for a, m in areas.items()]
    data["key_points"] = top.pop("key_points", None) or [
        {"id": a, "label": f"（{a}）", "title": f"要点{a}", "area": a} for a in areas
    ]
    data["units"] = [{"name": u, "full_name": f"{u}人民政府"} for u in units or UNITS]
    if classes:
        names = {"county": "县", "district": "区"}
        top["unit_classes"] = [{"id": c, "name": names.get(c, c)} for c in dict.fromkeys(classes.values())]
        for u in data["units"]:
            u["class"] = classes[u["name"]]
    data["items"] = items
    data["grading"].update(grading or {})
    data.update(top)
    if any(k in top for k in ("total", "parts", "start_from", "unit_classes")) or any("rule" in i for i in items):
        data["schema_version"] = 2
    return load_ok(write_json(tmp_path / "rubric.json", data))


def frame(rubric: Rubric, values: dict[tuple[str, str, str], Any] | None = None) -> pd.DataFrame:
    """One row per (evaluator, unit, item, entry); a list value is a checklist's aspects (是 = True)."""
    values = values or {}
    rows = []
    for it in rubric.items:
        for ev in it.evaluators:
            for n, u in enumerate(rubric.units):
                if not it.applies_to(u):
                    continue
                default = it.max if it.kind is Kind.SCORE and isinstance(it.rule, PointsRule) else D(0)
                value = values.get((ev, u.name, it.id), default)
                answers = list(enumerate(value, 1)) if isinstance(value, list) else [(0, value)]
                for entry, v in answers:
                    cents = None if v is None else to_cents(D(1) if v is True else D(0) if v is False else D(v))
                    rows.append({
                        "year": rubric.year, "evaluator": ev, "unit": u.name, "area": it.area,
                        "key_point": it.key_point, "item_id": it.id, "entry": entry, "kind": str(it.kind),
                        "max_cents": to_cents(it.max), "raw": str(v), "value_cents": cents, "valid": cents is not None,
                        "remark": "", "file": f"{ev}.xlsx", "sheet": "评价表", "cell": f"E{5 + n}",
                        "remark_cell": f"F{5 + n}", "fill_date": pd.Timestamp("2023-04-20"), "form_id": f"{ev}-form",
                        "sha256": "0" * 64,
                    })  # fmt: skip
    return typed(pd.DataFrame(rows, columns=NAMES), rubric)


def totals(results: Results) -> dict[str, Fraction]:
    return {u.unit: u.total for u in results.units}


def grades(results: Results) -> dict[str, str]:
    return {u.unit: u.grade for u in results.units}


def points(results: Results, unit: str, item_id: str) -> Fraction | None:
    return next(u for u in results.units if u.unit == unit).item(item_id).points


# --- combination of several departments' points ------------------------------------------------------------


@pytest.mark.parametrize(
    ("combine", "joint", "total", "grade"),
    [
        ("sum_deductions", "9.5", "89.95", "B"),  # 10 − (0.30 + 0.20)
        ("mean", "9.75", "90.20", "A"),  # (9.70 + 9.80) / 2
        ("min", "9.7", "90.15", "A"),  # the strictest
    ],
)
def test_each_department_deducting_for_its_own_aspect_sums_the_deductions(
    tmp_path: Path, combine: str, joint: str, total: str, grade: str
) -> None:
    # The case: 80.45 on the other item; the joint item (10 points) scored 9.70 by 甲局, 9.80 by 乙局.
    rubric = plan(tmp_path, [item("1", 90), item("2", 10, evaluators=("甲局", "乙局"), combine=combine)])
    results = score(frame(rubric, {("甲局", "东区", "1"): "80.45", ("甲局", "东区", "2"): "9.70",
                                   ("乙局", "东区", "2"): "9.80"}), rubric)  # fmt: skip
    assert points(results, "东区", "2") == D(joint)
    assert (totals(results)["东区"], grades(results)["东区"]) == (D(total), grade)


def test_summed_deductions_never_take_more_than_the_item(tmp_path: Path) -> None:
    rubric = plan(tmp_path, [item("1", 4, evaluators=("甲局", "乙局", "质强办"), combine="sum_deductions"),
                             item("2", 96),
                             item("3", 3, kind="deduction", evaluators=("甲局", "乙局"), combine="sum_deductions",
                                  per_event=1),
                             item("4", 1, kind="bonus", evaluators=("甲局", "乙局"), combine="sum_deductions")])  # fmt: skip
    values = {("甲局", "东区", "1"): 2, ("乙局", "东区", "1"): 1, ("质强办", "东区", "1"): "1.5",  # lost 2+3+2.5 > 4
              ("甲局", "东区", "3"): 1, ("乙局", "东区", "3"): 4,  # deducted 1 + min(4, 3) = 4 > 3
              ("甲局", "西区", "3"): 1, ("乙局", "西区", "3"): 1,
              ("甲局", "东区", "4"): "0.5", ("乙局", "东区", "4"): "0.75",  # added 1.25 > 1
              ("甲局", "西区", "4"): "0.25", ("乙局", "西区", "4"): "0.5"}  # fmt: skip
    results = score(frame(rubric, values), rubric)
    assert [points(results, "东区", i) for i in ("1", "3", "4")] == [0, 3, 1]
    assert [points(results, "西区", i) for i in ("1", "3", "4")] == [4, 2, D("0.75")]
    assert (totals(results)["东区"], totals(results)["西区"]) == (96 - 3 + 1, 100 - 2 + D("0.75"))


def test_weighted_departments_half_up(tmp_path: Path) -> None:
    rubric = plan(
        tmp_path, [item("1", 10, evaluators=("甲局", "乙局"), combine={"weighted": {"甲局": 60, "乙局": 40}})]
    )
    results = score(frame(rubric, {("甲局", "东区", "1"): 8, ("乙局", "东区", "1"): "9.5",
                                   ("甲局", "西区", "1"): "8.33", ("乙局", "西区", "1"): "9.5"}), rubric)  # fmt: skip
    assert points(results, "东区", "1") == D("8.6")  # 8 × 0.6 + 9.5 × 0.4 = 4.8 + 3.8
    assert points(results, "西区", "1") == D("8.8")  # 4.998 + 3.8 = 8.798 → 8.80


def test_the_lead_department_counts_and_the_other_is_advisory(tmp_path: Path) -> None:
    rubric = plan(tmp_path, [item("1", 10, evaluators=("甲局", "乙局"), combine={"lead": "甲局"})])
    values = {("甲局", "东区", "1"): 8, ("乙局", "东区", "1"): 2, ("甲局", "西区", "1"): None, ("乙局", "西区", "1"): 9}
    results = score(frame(rubric, values), rubric)
    east, west = (next(s for s in u.items) for u in results.units[:2])
    assert east.points == 8 and [(s.evaluator, s.value, s.counted) for s in east.sources] == [
        ("甲局", 8, True), ("乙局", 2, False)]  # fmt: skip
    assert (west.points, west.missing, results.units[1].complete) == (None, ["甲局"], False)  # 乙局 alone: no score
    counted = results.frame.assign(counted=results.table.row_points()["counted"]).query("item_id == '1'")
    assert counted.groupby("evaluator", observed=True)["counted"].sum().to_dict() == {"甲局": 2, "乙局": 0}
    assert results.units[0].complete and results.units[2].complete


# --- how one evaluator's entry becomes points ----------------------------------------------------------------


def test_a_rate_gives_points_by_the_linear_rule(tmp_path: Path) -> None:
    figure = {"name": "合格率", "unit": "%", "min": 0, "max": 100}
    rubric = plan(tmp_path, [
        item("1", 2, rule={"type": "linear", "figure": figure, "full_at": 98, "per": 1, "minus": 0.5}),
        item("2", 2, evaluators=("乙局",),
             rule={"type": "linear", "figure": figure, "full_at": 98, "per": 1, "minus": 0.5, "steps": "exact"}),
    ])  # fmt: skip
    values = {("甲局", "东区", "1"): "97.5", ("甲局", "西区", "1"): "95.2", ("甲局", "南区", "1"): 93,
              ("乙局", "东区", "2"): "97.5", ("乙局", "西区", "2"): "97.35", ("乙局", "南区", "2"): 99}  # fmt: skip
    results = score(frame(rubric, values), rubric)
    # whole steps: 0.5 short is one step (−0.5); 2.8 short is three (−1.5); 5 short is −2.5, not below 0
    assert [points(results, u, "1") for u in UNITS] == [D("1.5"), D("0.5"), 0]
    # in proportion: 0.5 short → −0.25; 0.65 short → −0.325 → −0.33 (half up); above the line → full marks
    assert [points(results, u, "2") for u in UNITS] == [D("1.75"), D("1.67"), 2]
    source = next(s for s in results.units[0].items if s.item.id == "1")
    assert (source.sources[0].value, source.sources[0].points) == (D("97.5"), D("1.5"))
    assert source.rule.startswith("按合格率测算：≥98% 得满分，每低1个百分点扣0.5分")
    rows = results.table.row_points()  # the same, per master-frame row, for 明细
    typed_in = results.frame.assign(points=rows["points_cents"]).set_index(["unit", "item_id"])
    assert typed_in.loc[("东区", "1"), ["value_cents", "points"]].tolist() == [9750, 150]


def test_a_lower_is_better_figure_loses_per_step_above_the_line(tmp_path: Path) -> None:
    figure = {"name": "投诉率", "unit": "%", "lower_is_better": True}
    rubric = plan(tmp_path, [item("1", 3, rule={"type": "linear", "figure": figure, "full_at": 2, "per": 0.5,
                                                "minus": 1, "floor": 1})])  # fmt: skip
    results = score(frame(rubric, {("甲局", "东区", "1"): 2, ("甲局", "西区", "1"): "2.6",
                                   ("甲局", "南区", "1"): 9}), rubric)  # fmt: skip
    assert [points(results, u, "1") for u in UNITS] == [3, 1, 1]  # 0.6 above: 2 steps → 1; far above: the floor 1


def test_a_table_gives_the_points_of_the_highest_row_reached(tmp_path: Path) -> None:
    rubric = plan(tmp_path, [item("1", 2, rule={"type": "table", "figure": {"name": "覆盖率", "unit": "%"},
                                                "rows": [{"from": 98, "points": 2}, {"from": 95, "points": 1.5},
                                                         {"from": 0, "points": 0}]})])  # fmt: skip
    results = score(frame(rubric, {("甲局", "东区", "1"): 97, ("甲局", "西区", "1"): 98,
                                   ("甲局", "南区", "1"): 50}), rubric)  # fmt: skip
    assert [points(results, u, "1") for u in UNITS] == [D("1.5"), 2, 0]


def test_a_checklist_loses_per_missing_aspect_down_to_its_floor(tmp_path: Path) -> None:
    rubric = plan(tmp_path, [item("1", "0.3", rule={"type": "checklist", "aspects": ["制度", "台账", "培训", "考核"],
                                                    "minus": 0.1}), item("2", "99.7")])  # fmt: skip
    values = {("甲局", "东区", "1"): [True, True, True, True], ("甲局", "西区", "1"): [True, False, True, False],
              ("甲局", "南区", "1"): [False, False, False, True]}  # fmt: skip
    results = score(frame(rubric, values), rubric)
    assert [points(results, u, "1") for u in UNITS] == [D("0.3"), D("0.1"), 0]  # 0.3 − 0.3 = 0
    assert totals(results) == {"东区": 100, "西区": D("99.8"), "南区": D("99.7")}
    west = next(s for s in results.units[1].items if s.item.id == "1")
    assert [(s.entry, s.value, s.points) for s in west.sources] == [
        (1, 1, D("0.1")), (2, 0, D("0.1")), (3, 1, D("0.1")), (4, 0, D("0.1"))]  # fmt: skip


def test_a_checklist_with_an_aspect_left_blank_is_not_complete(tmp_path: Path) -> None:
    rubric = plan(tmp_path, [item("1", 1, rule={"type": "checklist", "aspects": ["制度", "台账"], "minus": 0.5})])
    results = score(frame(rubric, {("甲局", "东区", "1"): [True, None]}), rubric)
    east = results.units[0]
    assert (east.complete, east.items[0].points, east.items[0].missing) == (False, None, ["甲局"])


def test_tiers_base_and_typed_points_count_as_typed(tmp_path: Path) -> None:
    rubric = plan(tmp_path, [
        item("1", 2, rule={"type": "tiers", "tiers": [{"label": "好", "points": 2}, {"label": "较好", "points": 1.5},
                                                      {"label": "一般", "points": 0.5}]}),
        item("2", 80, rule={"type": "base", "base": 77}), item("3", 18),
    ])  # fmt: skip
    results = score(frame(rubric, {("甲局", "东区", "1"): "1.5", ("甲局", "东区", "2"): 77,
                                   ("甲局", "东区", "3"): "12.25"}), rubric)  # fmt: skip
    assert totals(results)["东区"] == D("1.5") + 77 + D("12.25")


@pytest.mark.parametrize(
    ("ties", "expected"), [("share", ["5", "5", "4", "0"]), ("average", ["4.75", "4.75", "4", "0"])]
)
def test_points_by_rank_among_the_units(tmp_path: Path, ties: str, expected: list[str]) -> None:
    rubric = plan(tmp_path, [item("1", 5, rule={"type": "rank", "figure": {"name": "增长率", "unit": "%"},
                                                "points": [5, 4.5, 4], "rest": 0, "ties": ties})],
                  units=["东区", "西区", "南区", "北区"])  # fmt: skip
    values = {
        ("甲局", "东区", "1"): 90,
        ("甲局", "西区", "1"): 90,
        ("甲局", "南区", "1"): 80,
        ("甲局", "北区", "1"): 70,
    }
    results = score(frame(rubric, values), rubric)
    # 东区 and 西区 share first place; 南区 is third (4); 北区 fourth, beyond the list (0). Averaged: (5 + 4.5) / 2.
    assert [points(results, u, "1") for u in ["东区", "西区", "南区", "北区"]] == [D(x) for x in expected]


def test_points_by_rank_are_among_the_units_of_one_class(tmp_path: Path) -> None:
    rubric = plan(tmp_path, [item("1", 5, rule={"type": "rank", "figure": {"name": "增长率", "unit": "%"},
                                                "points": [5, 3], "rest": 1})], units=["东区", "西区", "南区", "北区"],
                  classes={"东区": "county", "西区": "county", "南区": "district", "北区": "district"})  # fmt: skip
    values = {("甲局", "东区", "1"): 9, ("甲局", "西区", "1"): 8, ("甲局", "南区", "1"): 1, ("甲局", "北区", "1"): 2}
    results = score(frame(rubric, values), rubric)
    assert [points(results, u, "1") for u in ["东区", "西区", "南区", "北区"]] == [5, 3, 3, 5]


# --- deductions, bonus, start-from, floor ------------------------------------------------------------------


def test_start_from_100_with_uncapped_deductions_stops_at_0(tmp_path: Path) -> None:
    rubric = plan(tmp_path, [item("1", 100, kind="deduction", rule={"type": "per_event", "per_event": 5, "cap": None}),
                             item("2", 3, kind="deduction", per_event=1)],
                  start_from=100, total=100)  # fmt: skip
    values = {("甲局", "东区", "1"): 3, ("甲局", "西区", "1"): 24, ("甲局", "西区", "2"): 3, ("甲局", "南区", "1"): 21}
    results = score(frame(rubric, values), rubric)
    # 100 − 3 × 5 = 85; 100 − 24 × 5 − 3 = −23 → 0 (the floor); 100 − 21 × 5 = −5 → 0
    assert totals(results) == {"东区": 85, "西区": 0, "南区": 0}
    assert [u.deduction for u in results.units] == [15, 123, 105]  # no cap: all the events count
    assert grades(results) == {"东区": "B", "西区": "D", "南区": "D"}
    assert total_words(rubric) == "起评分 100 分 − 扣分 + 加分，最低 0 分"


def test_a_stated_floor_other_than_0(tmp_path: Path) -> None:
    rubric = plan(tmp_path, [item("1", 100, kind="deduction", rule={"type": "per_event", "per_event": 5, "cap": None})],
                  start_from=100, total=100, floor=40)  # fmt: skip
    results = score(frame(rubric, {("甲局", "东区", "1"): 13}), rubric)
    assert totals(results) == {"东区": 40, "西区": 100, "南区": 100}  # 100 − 65 = 35 → 40


def test_a_ranged_deduction_takes_the_points_typed(tmp_path: Path) -> None:
    rubric = plan(
        tmp_path, [item("1", 100), item("2", 10, kind="deduction", rule={"type": "ranged", "min": 5, "max": 10})]
    )
    results = score(frame(rubric, {("甲局", "东区", "2"): 7, ("甲局", "西区", "2"): "10"}), rubric)
    assert totals(results) == {"东区": 93, "西区": 90, "南区": 100}


def test_bonus_per_item_is_capped_and_the_bonus_in_total_too(tmp_path: Path) -> None:
    rubric = plan(tmp_path, [item("1", 100),
                             item("2", 1, kind="bonus", rule={"type": "per_event", "per_event": 0.5, "cap": 1}),
                             item("3", 1, kind="bonus")],
                  grading={"bonus_cap": 1.5})  # fmt: skip
    values = {("甲局", "东区", "1"): 90, ("甲局", "东区", "2"): 3, ("甲局", "东区", "3"): 1,  # min(1.5, 1) + 1 = 2 → 1.5
              ("甲局", "西区", "1"): 90, ("甲局", "西区", "2"): 1}  # 0.5  # fmt: skip
    results = score(frame(rubric, values), rubric)
    assert points(results, "东区", "2") == 1
    assert [(u.bonus, u.total) for u in results.units] == [(D("1.5"), D("91.5")), (D("0.5"), D("90.5")), (0, 100)]
    assert total_words(rubric) == "各领域得分 + 加分 − 扣分（加分合计最多 1.5 分）"


# --- totals other than 100, parts, key-point tree ------------------------------------------------------------


def test_a_120_point_plan(tmp_path: Path) -> None:
    rubric = plan(tmp_path, [item("1", 80), item("2", 40, area="2", evaluators=("乙局",))], areas={"1": 80, "2": 40},
                  total=120, grading={"thresholds": [{"grade": "A", "min": 108}, {"grade": "B", "min": 96},
                                                     {"grade": "C", "min": 72}]})  # fmt: skip
    values = {("甲局", "东区", "1"): 75, ("乙局", "东区", "2"): "35.5", ("甲局", "西区", "1"): 60,
              ("乙局", "西区", "2"): 36}  # fmt: skip
    results = score(frame(rubric, values), rubric)
    assert totals(results) == {"东区": D("110.5"), "西区": 96, "南区": 120}
    assert grades(results) == {"东区": "A", "西区": "B", "南区": "A"}


def test_weighted_parts_are_scaled_half_up(tmp_path: Path) -> None:
    # 平时考核 (area 1, 40 points) counts 60 %, 年终考核 (area 2, 60 points) 40 %.
    rubric = plan(tmp_path, [item("1", 40), item("2", 60, area="2", evaluators=("乙局",))], areas={"1": 40, "2": 60},
                  parts=[{"id": "p1", "name": "平时考核", "weight": 60, "areas": ["1"]},
                         {"id": "p2", "name": "年终考核", "weight": 40, "areas": ["2"]}])  # fmt: skip
    values = {("甲局", "东区", "1"): "33.33", ("乙局", "东区", "2"): "51.5", ("甲局", "西区", "1"): 40,
              ("乙局", "西区", "2"): "45.01"}  # fmt: skip
    results = score(frame(rubric, values), rubric)
    east, west, south = results.units
    # 33.33 × 60 / 40 = 49.995 → 50.00; 51.5 × 40 / 60 = 34.333… → 34.33
    assert (east.parts, east.areas, east.total) == ({"p1": 50, "p2": D("34.33")}, {"1": D("33.33"), "2": D("51.5")},
                                                    D("84.33"))  # fmt: skip
    # 40 × 1.5 = 60; 45.01 × 40 / 60 = 30.006… → 30.01
    assert (west.parts, west.total, west.grade) == ({"p1": 60, "p2": D("30.01")}, D("90.01"), "A")
    assert south.total == 100
    saved = results_dict(results, rubric)["units"][0]  # results.json keeps the parts (a flat plan: no key points)
    assert (saved["parts"], "key_points" in saved) == ({"p1": 50, "p2": 34.33}, False)
    header, east_row = summary_header(rubric), summary_rows(results, rubric)[2]  # 汇总 and results.csv, by rank
    assert header[2:6] == ["领域1", "领域2", "平时考核（折算）", "年终考核（折算）"] and east_row[1:6] == [
        "东区", D("33.33"), D("51.50"), D("50.00"), D("34.33")]  # fmt: skip
    assert total_words(rubric).startswith("各部分折算得分（所含领域得分合计 × 权重 ÷ 所含领域满分合计")


def test_subtotals_at_every_level_of_the_key_point_tree(tmp_path: Path) -> None:
    tree = [{"id": "1", "label": "一、", "title": "质量发展", "area": "1", "max": 20},
            {"id": "1.1", "label": "（一）", "title": "质量提升", "parent": "1", "max": 12},
            {"id": "1.1.1", "label": "1.", "title": "产品质量", "parent": "1.1", "max": 4},
            {"id": "1.1.2", "label": "2.", "title": "服务质量", "parent": "1.1", "max": 8},
            {"id": "1.2", "label": "（二）", "title": "质量基础", "parent": "1", "max": 8},
            {"id": "2", "label": "二、", "title": "质量安全", "area": "2", "max": 80}]  # fmt: skip
    rubric = plan(tmp_path, [item("a", 1, key_point="1.1.1"), item("b", 3, key_point="1.1.1"),
                             item("c", 8, key_point="1.1.2"), item("d", 8, key_point="1.2"),
                             item("e", 80, area="2", key_point="2")],
                  areas={"1": 20, "2": 80}, key_points=tree)  # fmt: skip
    values = {
        ("甲局", "东区", "a"): "0.5",
        ("甲局", "东区", "b"): 2,
        ("甲局", "东区", "c"): "7.25",
        ("甲局", "东区", "d"): 6,
    }
    results = score(frame(rubric, values), rubric)
    east = results.units[0]
    assert east.key_points == {"1": D("15.75"), "1.1": D("9.75"), "1.1.1": D("2.5"), "1.1.2": D("7.25"), "1.2": 6,
                               "2": 80}  # fmt: skip
    assert (east.areas, east.total) == ({"1": D("15.75"), "2": 80}, D("95.75"))
    saved = results_dict(results, rubric)["units"][0]  # results.json keeps every level
    assert saved["key_points"] == {"1": 15.75, "1.1": 9.75, "1.1.1": 2.5, "1.1.2": 7.25, "1.2": 6, "2": 80}


# --- grades ----------------------------------------------------------------------------------------------------

EXCELLENT = {"thresholds": [{"grade": "优秀", "min": 90}, {"grade": "良好", "min": 80}, {"grade": "合格", "min": 60}],
             "lowest_grade": "不合格", "veto": {"grade": "不合格", "ranks_last": True}}  # fmt: skip


def test_grades_with_their_own_names_and_the_meeting_lowering_one(tmp_path: Path) -> None:
    rubric = plan(tmp_path, [item("1", 100), item("v", 0, kind="veto", evaluators=("质强办",))],
                  units=["东区", "西区", "南区", "北区"], grading=EXCELLENT)  # fmt: skip
    values = {("甲局", "东区", "1"): 95, ("甲局", "西区", "1"): 80, ("甲局", "南区", "1"): "59.99",
              ("甲局", "北区", "1"): 99, ("质强办", "北区", "v"): 1}  # fmt: skip
    scored = score(frame(rubric, values), rubric)
    assert grades(scored) == {"东区": "优秀", "西区": "良好", "南区": "不合格", "北区": "不合格"}
    lowered = Adjustment("东区", AdjustKind.DOWNGRADE, None, None, "会议决定", "", "A2")
    assert grades(adopt(scored, [lowered], rubric).results)["东区"] == "良好"  # one grade down in the plan's order


def test_a_veto_that_caps_the_grade_leaves_a_lower_grade(tmp_path: Path) -> None:
    rubric = plan(tmp_path, [item("1", 100),
                             item("v", 0, kind="veto", evaluators=("质强办",),
                                  rule={"type": "veto", "effect": {"cap_grade": "B"}})])  # fmt: skip
    values = {("甲局", "东区", "1"): 95, ("质强办", "东区", "v"): 1, ("甲局", "西区", "1"): 70,
              ("质强办", "西区", "v"): 1, ("甲局", "南区", "1"): 90}  # fmt: skip
    results = score(frame(rubric, values), rubric)
    assert grades(results) == {"东区": "B", "西区": "C", "南区": "A"}  # A capped at B; C stays C (not raised)
    assert totals(results) == {"东区": 95, "西区": 70, "南区": 90}
    added = [Adjustment(u, AdjustKind.ADD, D(p), None, "会议决定", "", "A2") for u, p in (("东区", 1), ("西区", 15))]
    adopted = adopt(results, added, rubric).results  # graded again from the new totals: the cap still holds
    assert (totals(adopted), grades(adopted)) == (
        {"东区": 96, "西区": 85, "南区": 90},
        {"东区": "B", "西区": "B", "南区": "A"},
    )


def test_a_veto_that_zeroes_an_area_or_the_total(tmp_path: Path) -> None:
    rubric = plan(tmp_path, [item("1", 60), item("2", 40, area="2"),
                             item("za", 0, kind="veto", evaluators=("质强办",),
                                  rule={"type": "veto", "effect": {"zero_area": "2"}}),
                             item("zt", 0, kind="veto", evaluators=("质强办",),
                                  rule={"type": "veto", "effect": {"zero_total": True}})],
                  areas={"1": 60, "2": 40})  # fmt: skip
    results = score(frame(rubric, {("质强办", "东区", "za"): 1, ("质强办", "西区", "zt"): 1}), rubric)
    east, west, south = results.units
    assert (east.areas, east.total, east.grade) == ({"1": 60, "2": 0}, 60, "C")
    assert (west.areas, west.total, west.grade) == ({"1": 60, "2": 40}, 0, "D")
    assert (south.total, south.grade) == (100, "A")


@pytest.mark.parametrize("quota", [{"top_percent": 30}, {"top_units": 2}])
def test_the_best_30_percent_are_a(tmp_path: Path, quota: dict[str, int]) -> None:
    units = ["一区", "二区", "三区", "四区", "五区", "六区", "七区"]
    rubric = plan(tmp_path, [item("1", 100)], units=units,
                  grading={"thresholds": [{"grade": "A", "min": 80}, {"grade": "B", "min": 70}, {"grade": "C", "min": 60}],
                           "limits": [{"grade": "A", **quota}]})  # fmt: skip
    totals_ = [95, 92, 92, 90, 85, 75, 65]
    results = score(frame(rubric, {("甲局", u, "1"): t for u, t in zip(units, totals_, strict=True)}), rubric)
    # 30 % of 7 units = 2.1 → 2 (or the best 2): 一区 and the two tied at 92 would be 3, so only 一区 is A (ties
    # are not split).
    assert list(grades(results).values()) == ["A", "B", "B", "B", "B", "B", "C"]
    assert [d.unit for d in results.demotions] == ["二区", "三区", "四区", "五区"]


# --- unit classes ----------------------------------------------------------------------------------------------


def test_items_of_another_class_are_neither_expected_nor_counted(tmp_path: Path) -> None:
    rubric = plan(tmp_path, [item("1", 90), item("county", 10, classes=["county"]),
                             item("district", 10, classes=["district"], evaluators=("乙局",))],
                  classes={"东区": "county", "西区": "district", "南区": "district"})  # fmt: skip
    values = {("甲局", "东区", "county"): 8, ("乙局", "西区", "district"): None, ("乙局", "南区", "district"): "9.5"}
    results = score(frame(rubric, values), rubric)
    east, west, south = results.units
    assert [(s.item.id, s.applies) for s in east.items] == [("1", True), ("county", True), ("district", False)]
    assert [s.item.id for s in west.items if s.applies] == ["1", "district"] and west.items[1].sources == []
    assert [i["id"] for i in results_dict(results, rubric)["units"][1]["items"]] == ["1", "district"]
    assert (east.total, east.complete) == (98, True)
    assert (west.total, west.complete, west.items[2].missing) == (90, False, ["乙局"])
    assert (south.total, south.complete) == (D("99.5"), True)


def test_thresholds_in_percent_of_each_class_full_marks(tmp_path: Path) -> None:
    # 县 are scored on 100 points (1 + c), 区 on 90 (1 + d); A ≥ 90 %, B ≥ 80 %, C ≥ 60 % of the unit's full marks.
    rubric = plan(tmp_path, [item("1", 80), item("c", 20, classes=["county"]), item("d", 10, classes=["district"])],
                  classes={"东区": "county", "西区": "district", "南区": "district"}, areas={"1": 100},
                  grading={"by_percent": True})  # fmt: skip
    values = {("甲局", "东区", "1"): 70, ("甲局", "东区", "c"): 11, ("甲局", "西区", "1"): 72, ("甲局", "西区", "d"): 9,
              ("甲局", "南区", "1"): 45, ("甲局", "南区", "d"): 9}  # fmt: skip
    results = score(frame(rubric, values), rubric)
    assert totals(results) == {"东区": 81, "西区": 81, "南区": 54}
    # 81 / 100 = 81 % → B; 81 / 90 = 90 % → A; 54 / 90 = 60 % → C
    assert grades(results) == {"东区": "B", "西区": "A", "南区": "C"}
    assert [u.full for u in results.units] == [100, 90, 90]
    assert [u.rank for u in results.units] == [2, 1, 3]  # ranked on the share of full marks: 81 %, 90 %, 60 %


def test_a_weighted_item_with_one_department_missing_uses_the_weights_received(tmp_path: Path) -> None:
    rubric = plan(
        tmp_path, [item("1", 10, evaluators=("甲局", "乙局"), combine={"weighted": {"甲局": 70, "乙局": 30}})]
    )
    results = score(frame(rubric, {("甲局", "东区", "1"): "7.5", ("乙局", "东区", "1"): None}), rubric)
    east = results.units[0]
    assert (east.items[0].points, east.items[0].missing, east.complete) == (D("7.5"), ["乙局"], False)


def test_several_vetoes_the_lowest_set_grade_and_then_the_lowest_cap(tmp_path: Path) -> None:
    def veto(id_: str, effect: dict[str, str]) -> dict[str, Any]:
        return item(id_, 0, kind="veto", evaluators=("质强办",), rule={"type": "veto", "effect": effect})

    rubric = plan(tmp_path, [item("1", 100), veto("capB", {"cap_grade": "B"}), veto("capC", {"cap_grade": "C"}),
                             veto("setC", {"set_grade": "C"})])  # fmt: skip
    values = {("质强办", "东区", "capB"): 1, ("质强办", "东区", "capC"): 1,  # capped at B, then at C
              ("质强办", "西区", "setC"): 1, ("质强办", "西区", "capB"): 1,  # set to C; a cap at B leaves C
              ("甲局", "南区", "1"): 85, ("质强办", "南区", "capB"): 1}  # B already  # fmt: skip
    results = score(frame(rubric, values), rubric)
    assert grades(results) == {"东区": "C", "西区": "C", "南区": "B"}


def test_self_scores_are_compared_on_the_items_of_the_units_class(tmp_path: Path) -> None:
    rubric = plan(tmp_path, [item("1", 90, self_score=True), item("county", 10, classes=["county"], self_score=True),
                             item("district", 10, classes=["district"], self_score=True)],
                  classes={"东区": "county", "西区": "district", "南区": "district"})  # fmt: skip
    results = score(frame(rubric, {("甲局", "东区", "county"): 8}), rubric)
    own = SelfScoreValue("东区", "county", 950, "9.5", "", "东区自评.xlsx", "自评打分表", "E6")
    gaps = compare(SelfScoreBook({("东区", "county"): own}, ["东区"]), results, rubric).gaps
    assert [(g.item.id, g.self_score, g.evaluated, g.gap) for g in gaps["东区"]] == [
        ("1", None, 90, None), ("county", D("9.5"), 8, D("1.5"))]  # fmt: skip
    assert [g.item.id for g in gaps["西区"]] == ["1", "district"]


def test_a_part_is_scaled_on_the_points_the_units_class_can_reach(tmp_path: Path) -> None:
    # 平时 (area 1, 40 points) 60 %, 年终 (area 2, 60 points) 40 %; 区 are not assessed on "c" (10 of area 1's 40).
    rubric = plan(tmp_path, [item("1", 30), item("c", 10, classes=["county"]), item("2", 60, area="2")],
                  areas={"1": 40, "2": 60}, classes={"东区": "county", "西区": "district", "南区": "district"},
                  parts=[{"id": "p1", "name": "平时考核", "weight": 60, "areas": ["1"]},
                         {"id": "p2", "name": "年终考核", "weight": 40, "areas": ["2"]}])  # fmt: skip
    values = {("甲局", "东区", "c"): 5, ("甲局", "东区", "2"): 60, ("甲局", "西区", "2"): 45}
    east, west, south = score(frame(rubric, values), rubric).units
    assert (east.parts, east.total) == ({"p1": 52.5, "p2": 40}, D("92.5"))  # 35 × 60 / 40
    assert (west.parts, west.total) == ({"p1": 60, "p2": 30}, 90)  # 30 of the 30 the 区 can reach → the full 60
    assert (south.total, south.full) == (100, 100)


def test_a_common_problem_of_a_class_item_is_counted_among_that_class(tmp_path: Path) -> None:
    units = ["东县", "西县", "南区", "北区", "中区"]
    rubric = plan(tmp_path, [item("1", 90), item("c", 10, classes=["county"])], units=units,
                  classes={"东县": "county", "西县": "county", "南区": "district", "北区": "district",
                           "中区": "district"})  # fmt: skip
    values = {("甲局", "东县", "c"): 8, ("甲局", "西县", "c"): 9}
    results = score(frame(rubric, values).assign(remark="台账不全"), rubric)
    found = common_problems(rubric, results)["甲局"]  # both 县 lost points: 2 of 2, not 2 of 5
    assert [(p.item.id, [loss.unit for loss in p.losses], p.total_lost) for p in found] == [("c", ["东县", "西县"], 3)]
