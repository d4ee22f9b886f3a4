"""The rubric's scoring language: rules, combinations, the key point tree, totals and parts, classes, veto
effects, quotas and the plan's texts load into the model, and what cannot be expressed is refused."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from qe_workbook.rubric import (
    BUNDLED_RUBRIC,
    BaseRule,
    ChecklistRule,
    Combine,
    CombineKind,
    Entry,
    Figure,
    GradeLimit,
    LinearRule,
    PerEventRule,
    PointsRule,
    RangedRule,
    RankRule,
    TableRow,
    TableRule,
    Tier,
    TiersRule,
    UnitClass,
    VetoEffect,
    VetoKind,
    VetoRule,
    load_rubric,
)
from qe_workbook.rubric.load import build_rubric, read_rubric_json
from qe_workbook.rubric.model import Part

from .conftest import load_ok, small_rubric_data, write_json

RATE = {"name": "合格率", "unit": "%", "min": 0, "max": 100}


def _load(tmp_path: Path, data: dict[str, Any]) -> Any:
    return load_rubric(write_json(tmp_path / "rubric.json", data))


def _item(data: dict[str, Any], item_id: str) -> dict[str, Any]:
    return next(i for i in data["items"] if i["id"] == item_id)


def test_a_rubric_without_the_new_keys_means_what_it_meant(tmp_path: Path) -> None:
    rubric = load_ok(write_json(tmp_path / "rubric.json", small_rubric_data()))
    assert rubric.item("01-1").rule == PointsRule()
    assert rubric.item("02-1").rule == PerEventRule(Decimal("1.5"), Decimal(2))
    assert rubric.item("02-2").rule == VetoRule(VetoEffect(VetoKind.SET_GRADE, grade="D"))
    assert rubric.item("03-2").rule == PointsRule()
    assert {i.combine for i in rubric.items} == {Combine(CombineKind.MEAN)}
    assert (rubric.total, rubric.parts, rubric.start_from, rubric.floor, rubric.unit_classes) == (100, (), None, 0, ())
    assert (rubric.texts.procedure, rubric.texts.attachments.form, rubric.texts.report_limits.chars) == (
        "经自我评价、部门打分和综合考评",
        "附件6",
        3000,
    )
    assert not any(i.self_score or i.classes for i in rubric.items)


def test_the_2022_rubric_keeps_its_content_hash() -> None:
    # the hash is of the file's data as written: defaults filled in by the model leave it alone, so forms
    # generated and signed before the scoring language still belong to this rubric
    data, _ = read_rubric_json(BUNDLED_RUBRIC)
    rubric = build_rubric(data)
    assert rubric.content_hash == "a099eacadff52856f750e9e93c9bf5e9820c8c9d42e4acf98ca1cd9e9baf0ffd"
    assert rubric.item("11-1").words() == "由评价部门确定加分，0～1分"
    assert rubric.item("02-1").words() == "每次扣1分，最高扣2分"


def test_self_scoring_for_the_whole_rubric_means_its_score_items(tmp_path: Path) -> None:
    data = small_rubric_data()
    data["self_scoring"] = True
    _item(data, "03-2")["self_score"] = True  # a bonus claim
    rubric = load_ok(write_json(tmp_path / "rubric.json", data))
    assert [i.id for i in rubric.self_scored_items()] == ["01-1", "01-2", "03-1", "03-2"]


def test_every_rule_loads_with_its_words_and_entries(tmp_path: Path) -> None:
    data = small_rubric_data()
    data["schema_version"] = 2
    data["total"], data["areas"][0]["max"] = 80, 40  # 4 + 2 + 2 + 1 + 1 + 5 + 5 + 20, and 40 in area 2
    data["grading"]["by_percent"] = True  # A at 90% of 80
    data["items"] = [
        {**_item(data, "01-1"), "max": 4, "text": "合格率。", "rule": {"type": "linear", "figure": RATE, "full_at": 98,
                                                                  "minus": 0.5}},
        {**_item(data, "01-1"), "id": "01-3", "max": 2, "text": "分段。",
         "rule": {"type": "table", "figure": RATE, "rows": [{"from": 98, "points": 2}, {"from": 95, "points": 1.5},
                                                             {"from": 0, "points": 0}]}},
        {**_item(data, "01-1"), "id": "01-4", "max": 2, "text": "档次。",
         "rule": {"type": "tiers", "tiers": [{"label": "好", "points": 2}, {"label": "较好", "points": 1.5},
                                             {"label": "一般", "points": 0.5}]}},
        {**_item(data, "01-1"), "id": "01-5", "max": 1, "text": "档次。",
         "rule": {"type": "tiers", "tiers": [{"points": 1}, {"points": 0.5}, {"points": 0}]}},
        {**_item(data, "01-1"), "id": "01-6", "max": 1, "text": "核查。",
         "rule": {"type": "checklist", "aspects": ["有方案", "有总结"], "minus": 0.1}},
        {**_item(data, "01-1"), "id": "01-7", "max": 5, "text": "基础分。", "rule": {"type": "base", "base": 3}},
        {**_item(data, "01-1"), "id": "01-8", "max": 5, "text": "名次。",
         "rule": {"type": "rank", "figure": RATE, "points": [5, 4.5, 4], "rest": 3, "ties": "average"}},
        {**_item(data, "01-2")},
        {**_item(data, "02-1"), "text": "事件。", "rule": {"type": "ranged", "min": 0.5, "max": 1}},
        {**_item(data, "02-1"), "id": "02-3", "text": "事件。", "rule": {"type": "per_event", "per_event": 0.5,
                                                                        "cap": None}},
        {**_item(data, "02-2"), "rule": {"type": "veto", "effect": {"cap_grade": "B"}}},
        {**_item(data, "03-1")},
        {**_item(data, "03-2"), "max": 1, "text": "加分。", "rule": {"type": "per_event", "per_event": 0.5}},
    ]  # fmt: skip
    for item in data["items"]:
        item.pop("per_event", None)
    rubric = load_ok(write_json(tmp_path / "rubric.json", data))
    rate = Figure("合格率", "%", Decimal(0), Decimal(100))
    rules = {i.id: i.rule for i in rubric.items}
    assert rules["01-1"] == LinearRule(rate, Decimal(98), Decimal(1), Decimal("0.5"))
    assert rules["01-3"] == TableRule(rate, (TableRow(Decimal(98), Decimal(2)), TableRow(Decimal(95), Decimal("1.5")),
                                             TableRow(Decimal(0), Decimal(0))))  # fmt: skip
    assert rules["01-4"] == TiersRule(
        (Tier(Decimal(2), "好"), Tier(Decimal("1.5"), "较好"), Tier(Decimal("0.5"), "一般"))
    )
    assert rules["01-6"] == ChecklistRule(("有方案", "有总结"), Decimal("0.1"))
    assert rules["01-7"] == BaseRule(Decimal(3))
    assert rules["01-8"] == RankRule(rate, (Decimal(5), Decimal("4.5"), Decimal(4)), Decimal(3), "average")
    assert rules["02-1"] == RangedRule(Decimal("0.5"), Decimal(1))
    assert rules["02-3"] == PerEventRule(Decimal("0.5"), None)
    assert rules["02-2"] == VetoRule(VetoEffect(VetoKind.CAP_GRADE, grade="B"))
    assert rules["03-2"] == PerEventRule(Decimal("0.5"), Decimal(1))
    words = {i.id: i.words() for i in rubric.items}
    assert words["01-1"] == "按合格率测算：≥98% 得满分，每低1个百分点扣0.5分，不足1个百分点的按1个百分点计，扣完为止"
    assert words["01-3"] == "按合格率测算：≥98% 得2分；≥95% 得1.5分；≥0% 得0分"
    assert words["01-4"] == "按档次评分：好2分；较好1.5分；一般0.5分"
    assert words["01-5"] == "只能评1、0.5、0分"
    assert words["01-6"] == "逐项核查2个方面：每缺1项扣0.1分，扣完为止"
    assert words["01-7"] == "基础分3分，评价部门在3～5分之间评分"
    assert words["01-8"] == ("按合格率由高到低排名赋分：第1名5分、第2名4.5分、第3名4分，其余3分；"
                             "并列的得所占各名次分值的平均值（四舍五入到0.01分）")  # fmt: skip
    assert words["02-1"] == "每次扣0.5～1分（由评价部门在范围内确定并说明理由），最高扣2分"
    assert words["02-3"] == "每次扣0.5分，不设上限"
    assert words["02-2"] == "发生即否决：等级最高为B（不得评为更高等级，原等级更低的不变）"
    assert words["03-2"] == "每项加0.5分，最高加1分"
    item = rubric.item
    assert item("01-1").entries() == (Entry("合格率", "number", min=Decimal(0), max=Decimal(100), unit="%"),)
    assert item("01-4").entries() == (Entry("档次", "choice", choices=("好", "较好", "一般")),)
    assert item("01-5").entries() == (Entry("得分", "choice", choices=("1", "0.5", "0")),)
    assert [e.label for e in item("01-6").entries()] == ["有方案", "有总结"]
    assert item("01-7").entries() == (Entry("得分", "number", min=Decimal(3), max=Decimal(5), unit="分"),)
    assert item("02-1").entries()[0].remark_required


def test_combinations_name_their_departments(tmp_path: Path) -> None:
    data = small_rubric_data()
    _item(data, "01-2")["combine"] = {"weighted": {"甲局": 60, "乙管理局": 40}}  # an alias is the department
    _item(data, "01-1")["combine"] = "sum_deductions"
    rubric = load_ok(write_json(tmp_path / "rubric.json", data))
    assert rubric.item("01-2").combine == Combine(
        CombineKind.WEIGHTED, ((("甲局", Decimal(60)), ("乙局", Decimal(40))))
    )
    assert rubric.item("01-2").combine.words() == "按各部门权重加权（甲局60%、乙局40%），四舍五入到0.01分"
    assert rubric.item("01-1").combine.kind is CombineKind.SUM_DEDUCTIONS
    _item(data, "01-2")["combine"] = {"lead": "乙局"}
    rubric = load_ok(write_json(tmp_path / "rubric.json", data))
    assert rubric.item("01-2").combine == Combine(CombineKind.LEAD, lead="乙局")
    assert rubric.item("01-2").combine.words() == "以乙局（牵头部门）的评分为准，其他部门的评分仅供参考"


def test_a_three_level_tree_with_subtotals(tmp_path: Path) -> None:
    # 一级 质量整体水平 60 → 二级 质量发展 60 → 三级 合格率 40 + 联合 20
    data = small_rubric_data()
    data["key_points"][0]["max"] = 60
    data["key_points"].append({"id": "01a", "label": "1.", "title": "合格率", "parent": "01", "max": 40})
    data["key_points"].append({"id": "01b", "label": "2.", "title": "联合评价", "parent": "01", "max": 20})
    _item(data, "01-1")["key_point"] = "01a"
    _item(data, "01-2")["key_point"] = "01b"
    rubric = load_ok(write_json(tmp_path / "rubric.json", data))
    assert [k.id for k in rubric.key_point_chain("01-1")] == ["01", "01a"]
    assert [n.id for n in rubric.path("01-2")] == ["1", "01", "01b"]
    assert rubric.key_point("01b").area == "1"  # inherited
    assert [k.id for k in rubric.children("01")] == ["01a", "01b"]
    data["key_points"][0]["max"] = 59
    load = _load(tmp_path, data)
    assert [(p.code, p.cell) for p in load.problems] == [("RUBRIC_KEY_POINT_SUM", "$.key_points[0].max")]
    assert "考核要点“质量发展”分值为 59 分，但其下级合计为 60 分" in load.problems[0].message


def test_a_120_point_plan_loads_and_a_wrong_total_is_named(tmp_path: Path) -> None:
    data = small_rubric_data()
    data["total"] = 120
    data["areas"][1]["max"] = 60
    _item(data, "03-1").update(max=60, text="完善质量工作制度。（60分）")
    rubric = load_ok(write_json(tmp_path / "rubric.json", data))
    assert rubric.total == 120
    data["total"] = 100
    load = _load(tmp_path, data)
    assert [(p.code, p.cell) for p in load.problems] == [("RUBRIC_TOTAL", "$.areas")]
    assert "各领域分值合计为 120 分，满分为 100 分" in load.problems[0].message


def test_parts_weigh_the_areas(tmp_path: Path) -> None:
    data = small_rubric_data()
    data["parts"] = [{"id": "p1", "name": "平时考核", "weight": 60, "areas": ["1"]},
                     {"id": "p2", "name": "年终考核", "weight": 40, "areas": ["2"]}]  # fmt: skip
    rubric = load_ok(write_json(tmp_path / "rubric.json", data))
    assert rubric.parts == (Part("p1", "平时考核", Decimal(60), ("1",)), Part("p2", "年终考核", Decimal(40), ("2",)))
    data["parts"][1]["weight"] = 50
    data["parts"][0]["areas"] = ["1", "2"]
    found = [(p.code, p.cell, p.message.split("。")[0]) for p in _load(tmp_path, data).problems]
    assert found == [
        ("RUBRIC_TOTAL", "$.parts", "$.parts：各考核部分的权重合计为 110 分，满分为 100 分"),
        ("RUBRIC_PARTS", "$.parts[1].areas[0]", "$.parts[1].areas[0]：领域“2”同时属于“平时考核”和“年终考核”两个部分"),
    ]


def test_a_start_from_plan_of_deductions_with_a_floor(tmp_path: Path) -> None:
    data = small_rubric_data()
    data["start_from"] = 100
    data["items"] = [i for i in data["items"] if i["kind"] != "score"]
    _item(data, "02-1").update(rule={"type": "per_event", "per_event": 5, "cap": None}, max=5, text="事件。")
    del _item(data, "02-1")["per_event"]
    rubric = load_ok(write_json(tmp_path / "rubric.json", data))
    assert (rubric.start_from, rubric.floor, rubric.item("02-1").rule) == (100, 0, PerEventRule(Decimal(5), None))
    data["items"].append({**small_rubric_data()["items"][0]})
    found = [(p.code, p.cell) for p in _load(tmp_path, data).problems]
    assert found == [("RUBRIC_START_FROM", "$.items[3].kind")]


def test_unit_classes_and_grades_by_name(tmp_path: Path) -> None:
    data = small_rubric_data()
    data["unit_classes"] = [{"id": "county", "name": "县（市）"}, {"id": "district", "name": "区"}]
    for unit, cls in zip(data["units"], ["county", "district", "district"], strict=True):
        unit["class"] = cls
    # area 1: 01-1 (40) for all, 01-2 (20) for counties, 01-4 (20) for districts → each class 60
    _item(data, "01-2")["classes"] = ["county"]
    data["items"].append({**_item(data, "01-2"), "id": "01-4", "classes": ["district"]})
    data["grading"] = {**data["grading"], "thresholds": [{"grade": "优秀", "min": 90}, {"grade": "良好", "min": 80},
                                                          {"grade": "合格", "min": 60}],
                       "lowest_grade": "不合格", "veto": {"grade": "不合格", "ranks_last": True},
                       "limits": [{"grade": "优秀", "top_percent": 30}], "bonus_cap": 2}  # fmt: skip
    rubric = load_ok(write_json(tmp_path / "rubric.json", data))
    assert rubric.unit_classes == (UnitClass("county", "县（市）"), UnitClass("district", "区"))
    east, west = rubric.units[0], rubric.units[1]
    assert [i.id for i in rubric.unit_items(east) if i.area == "1"] == ["01-1", "01-2", "02-1", "02-2"]
    assert [i.id for i in rubric.unit_items(west) if i.area == "1"] == ["01-1", "02-1", "02-2", "01-4"]
    assert rubric.full_marks(east) == rubric.full_marks(west) == 100
    assert rubric.grading.order == ["优秀", "良好", "合格", "不合格"]
    assert rubric.grading.limits == (GradeLimit("优秀", top_percent=Decimal(30)),)
    assert rubric.grading.limits[0].allowed(8) == 2  # 30% of 8 = 2.4, rounded down
    assert rubric.grading.bonus_cap == 2


Mutation = Callable[[dict[str, Any]], None]


def _rule(item_id: str, rule: dict[str, Any], **more: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        item = _item(data, item_id)
        item["rule"] = rule
        item.update(more)

    return mutate


def _set(path: str, value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        *head, last = path.split(".")
        node: Any = data
        for key in head:
            node = node[int(key)] if key.isdigit() else node[key]
        node[int(last) if last.isdigit() else last] = value

    return mutate


REFUSED = [
    ("a rule of another kind", _rule("01-1", {"type": "per_event", "per_event": 1}), "RUBRIC_RULE_KIND",
     "$.items[0].rule.type", "项目 01-1 是评分项，不能用“按次计分”规则"),
    ("a rule without its numbers", _rule("01-1", {"type": "linear", "figure": RATE, "minus": 1}), "RUBRIC_RULE_FIELD",
     "$.items[0].rule.full_at", "“按指标线性计分”规则缺少满分线"),
    ("a number of another rule", _rule("01-1", {"type": "base", "base": 3, "minus": 1}), "RUBRIC_RULE_FIELD",
     "$.items[0].rule.minus", "“基础分加评分”规则没有扣分，请删除"),
    ("a tier above the max", _rule("01-1", {"type": "tiers", "tiers": [{"points": 41}, {"points": 0}]}), "RUBRIC_RULE",
     "$.items[0].rule.tiers[0].points", "档次分值 41 分超过项目分值 40 分"),
    ("tiers half labelled", _rule("01-1", {"type": "tiers", "tiers": [{"label": "好", "points": 40}, {"points": 0}]}),
     "RUBRIC_RULE", "$.items[0].rule.tiers", "有的写了名称、有的没写"),
    ("rank points rising", _rule("01-1", {"type": "rank", "figure": RATE, "points": [30, 40]}), "RUBRIC_RULE",
     "$.items[0].rule.points[1]", "第2名分值高于第1名"),
    ("a table with a gap at the bottom", _rule("01-1", {"type": "table", "figure": RATE, "rows": [{"from": 90,
     "points": 40}]}), "RUBRIC_RULE", "$.items[0].rule.rows", "没有覆盖低于 90 的数值"),
    ("a table of a lower-is-better figure", _rule("01-1", {"type": "table", "figure": {**RATE, "lower_is_better": True},
     "rows": [{"from": 0, "points": 40}]}), "RUBRIC_RULE", "$.items[0].rule.figure.lower_is_better", "越低越好"),
    ("full marks outside the figure", _rule("01-1", {"type": "linear", "figure": RATE, "full_at": 101, "minus": 1}),
     "RUBRIC_RULE", "$.items[0].rule.full_at", "满分线 101 不在指标“合格率”的取值范围内"),
    ("a base above the max", _rule("01-1", {"type": "base", "base": 41}), "RUBRIC_RULE", "$.items[0].rule.base",
     "基础分 41 分超过项目分值 40 分"),
    ("a range upside down", _rule("02-1", {"type": "ranged", "min": 2, "max": 1}), "RUBRIC_RULE",
     "$.items[2].rule.min", "最少扣分大于最多扣分"),
    ("a cap other than the max", _rule("02-1", {"type": "per_event", "per_event": 1.5, "cap": 3}), "RUBRIC_RULE",
     "$.items[2].rule.cap", "上限 3 分与项目分值 2 分不一致"),
    ("an uncapped bonus", _rule("03-2", {"type": "per_event", "per_event": 0.5, "cap": None}), "RUBRIC_RULE",
     "$.items[5].rule.cap", "用于加分项时以项目分值为上限"),
    ("weights not adding to 100", _set("items.1.combine", {"weighted": {"甲局": 60, "乙局": 30}}), "RUBRIC_COMBINE",
     "$.items[1].combine.weighted", "权重合计为 90，应为 100"),
    ("a lead outside the item", _set("items.1.combine", {"lead": "质强办"}), "RUBRIC_COMBINE",
     "$.items[1].combine.lead", "牵头部门“质强办”不是本项的评价部门（甲局、乙局）"),
    ("an unknown combination", _set("items.1.combine", "max"), "RUBRIC_SCHEMA", "$.items[1].combine", "取值只能是"),
    ("a veto capping at an unknown grade", _rule("02-2", {"type": "veto", "effect": {"cap_grade": "E"}}),
     "RUBRIC_VETO_GRADE_UNKNOWN", "$.items[3].rule.effect.cap_grade", "“E”"),
    ("a veto zeroing an unknown area", _rule("02-2", {"type": "veto", "effect": {"zero_area": "9"}}),
     "RUBRIC_UNKNOWN_REF", "$.items[3].rule.effect.zero_area", "“9”"),
    ("an unknown class", _set("items.0.classes", ["county"]), "RUBRIC_UNKNOWN_REF", "$.items[0].classes[0]",
     "单位类别“county”"),
    ("a unit without its class", _set("unit_classes", [{"id": "county", "name": "县"}]), "RUBRIC_UNIT_CLASS_MISSING",
     "$.units[0]", "“东区”没有写单位类别"),
    ("a key point looping", _set("key_points.0.parent", "01"), "RUBRIC_KEY_POINT_TREE", "$.key_points[0].parent",
     "循环"),
    ("a quota of two kinds", _set("grading.limits", [{"grade": "A", "top_units": 1, "max_units": 1}]), "RUBRIC_SCHEMA",
     "$.grading.limits[0]", "应填且只填一个"),
    ("a grade twice", _set("grading.lowest_grade", "A"), "RUBRIC_DUPLICATE_ID", "$.grading", "“A”"),
    ("a line above full marks", _set("grading.thresholds.0.min", 101), "RUBRIC_THRESHOLD_ABOVE_FULL",
     "$.grading.thresholds[0].min", "A级的分数线 101 高于满分 100 分"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "mutate", "code", "path", "words"), REFUSED, ids=[r[0] for r in REFUSED])
def test_what_the_model_cannot_express_is_refused(
    tmp_path: Path, name: str, mutate: Mutation, code: str, path: str, words: str
) -> None:
    data = small_rubric_data()
    mutate(data)
    load = _load(tmp_path, data)
    assert load.rubric is None
    hits = [p for p in load.problems if p.code == code and p.cell == path]
    assert hits, [(p.code, p.cell, p.message) for p in load.problems]
    assert words in hits[0].message


def test_the_schema_of_version_2_is_accepted(tmp_path: Path) -> None:
    data = small_rubric_data()
    data["schema_version"] = 2
    data["texts"] = {"procedure": "经单位自评、部门评价和综合评定", "attachments": {"form": "附件5"},
                     "report_limits": {"chars": 5000}}  # fmt: skip
    rubric = load_ok(write_json(tmp_path / "rubric.json", data))
    assert rubric.texts.procedure == "经单位自评、部门评价和综合评定"
    assert (rubric.texts.attachments.form, rubric.texts.attachments.focus) == ("附件5", "附件5")
    assert (rubric.texts.report_limits.chars, rubric.texts.report_limits.cases) == (5000, 3)
    assert json.loads((tmp_path / "rubric.json").read_text(encoding="utf-8"))["schema_version"] == 2


def test_rubric_show_says_the_rules_in_words(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from qe_workbook.cli import main

    data = small_rubric_data()
    data["total"] = 120
    data["areas"][1]["max"] = 60
    data["parts"] = [{"id": "p1", "name": "平时考核", "weight": 72, "areas": ["1"]},
                     {"id": "p2", "name": "年终考核", "weight": 48, "areas": ["2"]}]  # fmt: skip
    data["key_points"][0]["max"] = 60
    data["key_points"].append({"id": "01a", "label": "1.", "title": "合格率", "parent": "01", "max": 40})
    data["key_points"].append({"id": "01b", "label": "2.", "title": "联合评价", "parent": "01", "max": 20})
    _item(data, "01-1").update(key_point="01a", rule={"type": "linear", "figure": RATE, "full_at": 98, "minus": 0.5})
    _item(data, "01-2").update(key_point="01b", combine="sum_deductions")
    _item(data, "03-1").update(max=60, text="完善质量工作制度。", self_score=True)
    _item(data, "02-2")["rule"] = {"type": "veto", "effect": {"cap_grade": "B"}}
    data["grading"]["bonus_cap"] = 1
    data["grading"]["limits"] = [{"grade": "A", "top_percent": 30}]
    data["texts"] = {"procedure": "经单位自评和部门评价", "report_limits": {"chars": 5000, "cases": 5}}
    data["decisions"] = [{"topic": "联合评价", "text": '取平均值（可改为取最低值：joint = "min"）。'}]
    path = write_json(tmp_path / "rubric.json", data)
    shown = CliRunner().invoke(main, ["rubric", "show", "--rubric", str(path)])
    assert shown.exit_code == 0, shown.output
    for said in [
        "按合格率测算：≥98% 得满分，每低1个百分点扣0.5分，不足1个百分点的按1个百分点计，扣完为止",
        "考核体系和分值：\n1. 质量整体水平：60 分\n　（一）质量发展：60 分\n　　1.合格率：40 分（评分项 1 项）\n"
        "　　2.联合评价：20 分（评分项 1 项）\n　（二）质量安全：扣分项 1 项，否决项 1 项\n2. 质量政策制度：60 分\n"
        "　（三）质量工作制度：60 分（评分项 1 项，加分项 1 项）",
        "总分：\n满分 120 分，由以下部分加权组成（各部分得分 = 所含领域得分合计 × 权重 ÷ 所含领域满分合计，"
        "四舍五入到0.01分）：\n　平时考核：72 分（质量整体水平）\n　年终考核：48 分（质量政策制度）\n总分最低为 0 分\n"
        "加分合计最多 1 分",
        "01-2（甲局、乙局）：各部门分别扣分，合计扣分（不超过本项分值）",
        "县区自评的项目：\n1 项：03-1",
        "考核程序：经单位自评和部门评价",
        "自评报告：不超过 5000 字，典型案例不超过 5 个",
        "否决：触发否决项的为D级，排在其他单位之后；其中02-2 等级最高为B（不得评为更高等级，原等级更低的不变）",
        "等级数量上限：得分前 30% 的单位（向下取整）为A级（须达到分数线）",
        "1. 联合评价：取平均值（可改为取最低值：把联合评价规则改为“取各部门评分中从严的值”）。",
    ]:
        assert said in shown.output, said
    assert "joint" not in shown.output
    as_json = json.loads(CliRunner().invoke(main, ["rubric", "show", "--rubric", str(path), "--json"]).output)
    assert [s["title"] for s in as_json["sections"]] == [
        "考核体系和分值", "总分", "多个部门评价的项目", "县区自评的项目", "方案中的文字和数字"
    ]  # fmt: skip
    assert as_json["items"][0]["rule"].startswith("按合格率测算")


def test_subtotals_with_unit_classes_count_each_class_apart(tmp_path: Path) -> None:
    # 质量发展 60: 合格率 40 for all + 联合评价 20, which counties and districts each score on an item of their own
    data = small_rubric_data()
    data["unit_classes"] = [{"id": "county", "name": "县（市）"}, {"id": "district", "name": "区"}]
    for unit, cls in zip(data["units"], ["county", "district", "district"], strict=True):
        unit["class"] = cls
    data["key_points"][0]["max"] = 60
    data["key_points"].append({"id": "01b", "label": "2.", "title": "联合评价", "parent": "01", "max": 20})
    _item(data, "01-2").update(key_point="01b", classes=["county"])
    data["items"].append({**_item(data, "01-2"), "id": "01-4", "classes": ["district"]})
    rubric = load_ok(write_json(tmp_path / "rubric.json", data))
    assert (rubric.subtotal("01"), rubric.subtotal("01b")) == (60, 20)
    data["key_points"][-1]["max"] = 40
    found = [(p.code, p.cell) for p in _load(tmp_path, data).problems]
    assert found == [("RUBRIC_KEY_POINT_SUM", "$.key_points[3].max")]


def test_the_plan_s_own_labels_and_limits_reach_the_forms_and_checks(tmp_path: Path) -> None:
    from qe_workbook.forms.layout import evaluation_spec
    from qe_workbook.rubric.check import check_rubric_data
    from qe_workbook.units.check import report_problems
    from qe_workbook.units.self_report import ReportFacts

    data = small_rubric_data()
    data["evaluators"][0]["phone"] = ""
    data["texts"] = {
        "attachments": {"form": "附件5", "evaluators": "附件3"},
        "report_limits": {"chars": 5000, "cases": 5},
    }
    rubric = load_ok(write_json(tmp_path / "rubric.json", data))
    assert evaluation_spec(rubric, rubric.evaluators[0]).attachment == "附件5"
    (missing,) = [p for p in check_rubric_data(data, "r.json") if p.code == "RUBRIC_CONTACT_MISSING"]
    assert "“甲局”缺少联系电话（附件3未列出）" in missing.message
    facts = ReportFacts("东区自评报告", chars=4000, missing_sections=[], cases=4, hints=0)
    assert report_problems(facts, rubric.units[0], "东区.docx", rubric.texts.report_limits) == []
    too_long = report_problems(
        facts,
        rubric.units[0],
        "东区.docx",
        load_ok(write_json(tmp_path / "plain.json", small_rubric_data())).texts.report_limits,
    )  # 3000 字, 3 个案例
    assert [p.code for p in too_long] == ["UNIT_REPORT_TOO_LONG", "UNIT_REPORT_TOO_MANY_CASES"]


def test_points_labels_follow_the_rule(tmp_path: Path) -> None:
    from qe_workbook.rubric.view import max_label

    data = small_rubric_data()
    _item(data, "02-1").update(rule={"type": "ranged", "min": 0.5, "max": 1})
    del _item(data, "02-1")["per_event"]
    _item(data, "02-2")["rule"] = {"type": "veto", "effect": {"cap_grade": "B"}}
    _item(data, "03-2")["rule"] = {"type": "per_event", "per_event": 0.5}
    rubric = load_ok(write_json(tmp_path / "rubric.json", data))
    labels = [max_label(rubric, i) for i in ("01-1", "02-1", "02-2", "03-2")]
    assert labels == ["40分", "每次扣0.5～1分，最高扣2分", "否决（最高B级）", "每项加0.5分，最高加1分"]
    _item(data, "02-1").update(rule={"type": "per_event", "per_event": 5, "cap": None})
    _item(data, "02-2")["rule"] = {"type": "veto", "effect": {"zero_area": "2"}}
    rubric = load_ok(write_json(tmp_path / "rubric.json", data))
    assert [max_label(rubric, i) for i in ("02-1", "02-2")] == ["每次扣5分，不设上限", "否决（第2领域得0分）"]
    plain = load_ok(write_json(tmp_path / "plain.json", small_rubric_data()))
    assert [max_label(plain, i) for i in ("02-1", "02-2", "03-2")] == ["每次扣1.5分，最高扣2分", "否决（D级）", "加1分"]


def test_a_unit_s_full_marks_count_the_items_of_its_class(tmp_path: Path) -> None:
    # area 1 (60): 01-1 (40) for all, 01-2 (20) for counties only; area 2 (40) for all
    data = small_rubric_data()
    data["unit_classes"] = [{"id": "county", "name": "县（市）"}, {"id": "district", "name": "区"}]
    for unit, cls in zip(data["units"], ["county", "district", "district"], strict=True):
        unit["class"] = cls
    _item(data, "01-2")["classes"] = ["county"]
    rubric = load_ok(write_json(tmp_path / "rubric.json", data))
    assert [rubric.full_marks(u) for u in rubric.units] == [100, 80, 80]
    # 平时 70 of area 1, 年终 30 of area 2: a district has 40 of area 1's 60 → 70 × 40 / 60 = 46.67, + 30
    data["parts"] = [{"id": "p1", "name": "平时考核", "weight": 70, "areas": ["1"]},
                     {"id": "p2", "name": "年终考核", "weight": 30, "areas": ["2"]}]  # fmt: skip
    rubric = load_ok(write_json(tmp_path / "rubric.json", data))
    assert [rubric.full_marks(u) for u in rubric.units] == [100, Decimal("76.67"), Decimal("76.67")]
