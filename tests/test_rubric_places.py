"""A rubric problem's place is told in the rubric workbook's words, never as a JSON path."""

from __future__ import annotations

import pytest

from qe_workbook.problems import problem
from qe_workbook.rubric.places import json_place, placed_message


@pytest.mark.parametrize(
    ("path", "place"),
    [
        ("$.evaluators[28]", "第29个评价部门"),
        ("$.evaluators[28].phone", "第29个评价部门的联系电话"),
        ("$.items[3].max", "第4个评价项目的分值或最高扣分"),
        ("$.items[0].evaluators[1]", "第1个评价项目的评价部门中第2个"),
        ("$.items[0].unknown_field", "第1个评价项目"),
        ("$.areas", "考核领域"),
        ("$.period.start", "考核周期开始日期"),
        ("$.period", "考核周期"),
        ("$.grading.thresholds[1].min", "等级分数线第2条的分数线"),
        ("$.grading.limits[0].grade", "等级数量上限第1条的等级"),
        ("$.grading.veto.grade", "否决等级"),
        ("$.disclosure.rank_in_letters", "反馈意见写排名"),
        ("$.items[0].rule.tiers[1].points", "第1个评价项目的档次、分段或名次分值中第2个"),
        ("$.items[0].rule.rows[0].points", "第1个评价项目的档次、分段或名次分值中第1个"),
        ("$.items[2].rule.min", "第3个评价项目的扣分范围"),
        ("$.items[2].rule.per_event", "第3个评价项目的每次扣分"),
        ("$.items[1].rule", "第2个评价项目的计分规则"),
        ("$.items[1].rule.figure.name", "第2个评价项目的指标名称"),
        ("$.items[1].combine.weighted", "第2个评价项目的合成方式"),
        ("$.key_points[2].parent", "第3个考核要点的上级要点"),
        ("$.parts[1].areas[0]", "第2个考核部分的考核领域中第1个"),
        ("$.units[0].class", "第1个被考核单位的类别"),
        ("$.grading.limits[0].top_percent", "等级数量上限第1条的前百分之几"),
        ("$.texts.report_limits.chars", "自评报告字数上限"),
        ("$.something_new.deeper", "考核细则"),
        ("$", "考核细则"),
    ],
)
def test_a_json_path_is_told_as_the_clerk_reads_the_rubric(path: str, place: str) -> None:
    assert json_place(path) == place


def test_the_message_names_the_place_in_chinese_and_a_cell_of_a_form_is_kept() -> None:
    found = problem("RUBRIC_CONTACT_MISSING", file="rubric.json", cell="$.evaluators[28]", evaluator="财务装备科",
                    missing="联系电话", attachment="附件4")  # fmt: skip
    assert placed_message(found) == (
        "第29个评价部门：“财务装备科”缺少联系电话（附件4未列出）。请在“评价部门”中补充该部门的联系电话和电子邮箱，以便催收评价表。"
    )
    unused = problem("RUBRIC_EVALUATOR_UNUSED", file="rubric.json", cell="$.evaluators[11]", evaluator="市无线电管理局")
    assert placed_message(unused).endswith("该部门今后如有评价项目，在“评价项目”的“评价部门”中写上其名称即可。")
    form = problem("VALUE_ABOVE_MAX", file="甲.xlsx", sheet="评价表", cell="E6", value=41, max=40, unit="东区", item="01-1",
                   number=1)  # fmt: skip
    assert placed_message(form) == form.message
