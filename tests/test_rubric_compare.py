"""The one rubric comparison: known changes between small inline rubrics, as data and in Chinese."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from qe_workbook.rubric import Rubric
from qe_workbook.rubric.compare import ChangeKind, compare

from .conftest import load_ok, small_rubric_data, write_json


def _rubric(tmp_path: Path, data: dict[str, Any], name: str) -> Rubric:
    return load_ok(write_json(tmp_path / name, data))


def _next_year(data: dict[str, Any]) -> dict[str, Any]:
    """The small rubric as the office might change it for the next year."""
    data["year"] = 2023
    data["units"].append({"name": "北区", "full_name": "北区人民政府"})
    data["evaluators"].append({"name": "丙局", "phone": "0395-4444444", "email": "bing@example.cn"})
    items = {i["id"]: i for i in data["items"]}
    items["01-1"]["max"] = 35  # 40 -> 35, the 5 points go to the new item 01-3
    items["01-1"]["text"] = "根据产品质量合格率测算得分。（35分）"
    items["01-2"]["evaluators"] = ["乙局", "丙局"]
    del items["03-2"]
    data["items"] = [*items.values(), {
        "id": "01-3", "area": "1", "key_point": "01", "kind": "score", "max": 5,
        "text": "开展质量品牌建设。（5分）", "evaluators": ["丙局"],
    }]  # fmt: skip
    data["grading"]["thresholds"][0]["min"] = 92
    data["grading"]["joint"] = "min"
    return data


def test_same_rubric_has_no_changes(small_rubric: Rubric) -> None:
    diff = compare(small_rubric, small_rubric)
    assert not diff
    assert diff.summary() == "两份考核细则内容相同。"
    assert diff.to_dict()["same"] is True


def test_known_changes_between_two_years(tmp_path: Path, small_rubric: Rubric) -> None:
    new = _rubric(tmp_path, _next_year(small_rubric_data()), "2023.json")
    diff = compare(small_rubric, new)
    assert diff.keys(ChangeKind.ITEM_ADDED) == ["01-3"]
    assert diff.keys(ChangeKind.ITEM_REMOVED) == ["03-2"]
    assert diff.keys(ChangeKind.ITEM_CHANGED) == ["01-1", "01-2"]
    assert diff.keys(ChangeKind.UNIT_ADDED) == ["北区"]
    assert diff.keys(ChangeKind.EVALUATOR_ADDED) == ["丙局"]
    assert not diff.of_kind(ChangeKind.UNIT_REMOVED, ChangeKind.EVALUATOR_REMOVED, ChangeKind.AREA_CHANGED)

    changed = diff.for_item("01-1")
    assert changed is not None
    assert [(f.field, f.old, f.new) for f in changed.fields] == [
        ("text", "根据产品质量合格率测算得分。（40分）", "根据产品质量合格率测算得分。（35分）"),
        ("max", Decimal(40), Decimal(35)),
    ]
    assert changed.sentence == (
        "项目“01-1”具体内容由 “根据产品质量合格率测算得分。（40分）” 改为 “根据产品质量合格率测算得分。（35分）”；"
        "分值由 40 分 改为 35 分"
    )
    joint = diff.for_item("01-2")
    assert joint is not None and joint.sentence == (  # the item follows the joint rule: mean -> min
        "项目“01-2”评价部门由 甲局、乙局 改为 乙局、丙局；"
        "合成方式由 “取各部门评分的平均值，四舍五入到0.01分” 改为 “取各部门评分中从严的值”"
    )
    added = diff.for_item("01-3")
    assert added is not None and added.sentence == "新增项目“01-3”（评分项，5 分，丙局：开展质量品牌建设。（5分））"
    assert diff.for_item("03-2").sentence.startswith("删除项目“03-2”（加分项，1 分，乙局")  # type: ignore[union-attr]

    (grading,) = diff.of_kind(ChangeKind.GRADING_CHANGED)
    assert grading.sentence == (
        "等级评定：等级分数线由 A≥90、B≥80、C≥60 改为 A≥92、B≥80、C≥60；"
        "联合评价规则由 取各部门评分的平均值 改为 取各部门评分中从严的值"
    )
    (setting,) = diff.of_kind(ChangeKind.SETTING_CHANGED)
    assert setting.sentence == "考核设置：考核年度由 2022 改为 2023"
    assert diff.summary() == (
        "考核设置修改 1 项；被考核单位新增 1 项；项目新增 1 项、删除 1 项、修改 2 项；评价部门新增 1 项；等级评定修改 1 项。"
    )


def test_changes_as_data_have_stable_kinds_and_plain_values(tmp_path: Path, small_rubric: Rubric) -> None:
    new = _rubric(tmp_path, _next_year(small_rubric_data()), "2023.json")
    data = compare(small_rubric, new).to_dict()
    item = next(c for c in data["changes"] if c["key"] == "01-1")
    assert item["kind"] == "item_changed" and item["subject"] == "item"
    assert item["fields"][1] == {"field": "max", "label": "分值", "old": "40", "new": "35"}
    added = next(c for c in data["changes"] if c["kind"] == "item_added")
    assert added["params"]["max"] == "5" and added["params"]["evaluators"] == ["丙局"]


def test_form_rows_against_the_rubric_compare_only_what_the_form_shows(small_rubric: Rubric) -> None:
    # What intake reads from a form generated from an older rubric: id, text and max, as text.
    rows = [
        {"id": "01-1", "text": "根据产品质量合格率测算得分。（40分）", "max": "45"},
        {"id": "02-1", "text": "发生重大质量事件。（每项扣1.5分，最高扣2分）", "max": "2"},
        {"id": "09-9", "text": "已取消的项目。", "max": "1"},
    ]
    diff = compare(rows, small_rubric.items_for("甲局"))
    assert diff.keys(ChangeKind.ITEM_REMOVED) == ["09-9"]
    assert diff.keys(ChangeKind.ITEM_ADDED) == ["01-2"]
    changed = diff.for_item("01-1")
    assert changed is not None and changed.sentence == "项目“01-1”分值由 45 分 改为 40 分"
    assert diff.for_item("02-1") is None


def test_records_with_aliases_and_chinese_kinds_are_resolved_against_the_rubric(small_rubric: Rubric) -> None:
    rows = [{"id": "03-1", "kind": "评分项", "evaluators": "乙管理局", "max": 40.0}]
    assert compare(rows, small_rubric).for_item("03-1") is None
    rows[0]["kind"] = "加分项"
    changed = compare(rows, small_rubric).for_item("03-1")
    assert changed is not None and changed.sentence == "项目“03-1”类别由 加分项 改为 评分项"


def test_the_scoring_language_is_compared_too(tmp_path: Path, small_rubric: Rubric) -> None:
    data = small_rubric_data()
    items = {i["id"]: i for i in data["items"]}
    items["01-1"]["rule"] = {"type": "tiers", "tiers": [{"label": "好", "points": 40}, {"label": "一般", "points": 20}]}
    items["01-2"]["combine"] = "sum_deductions"
    items["03-2"]["self_score"] = True
    data["key_points"][0]["max"] = 60
    data["texts"] = {"report_limits": {"chars": 5000}}
    data["grading"]["bonus_cap"] = 1
    diff = compare(small_rubric, _rubric(tmp_path, data, "new.json"))
    assert diff.sentences() == [
        "考核设置：自评报告的限制由 不超过 3000 字，典型案例不超过 3 个 改为 不超过 5000 字，典型案例不超过 3 个",
        "考核要点“01”分值由 （空） 改为 60 分",
        "项目“01-1”计分规则由 “由评价部门评分，0～40分” 改为 “按档次评分：好40分；一般20分”",
        "项目“01-2”合成方式由 “取各部门评分的平均值，四舍五入到0.01分” 改为 “各部门分别扣分，合计扣分（不超过本项分值）”",
        "项目“03-2”县区自评由 否 改为 是",
        "等级评定：加分上限由 （空） 改为 1",
    ]
    form_rows = [{"id": "01-1", "text": items["01-1"]["text"], "max": 40}]  # what a returned form knows
    assert compare(form_rows, small_rubric).for_item("01-1") is None  # a form knows no rule: not compared
