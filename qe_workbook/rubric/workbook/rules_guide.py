"""The 计分规则说明 sheet: each scoring rule, the items it is for, the columns it uses and an example, as the
clerk fills them in the 评价项目 sheet (the same words `qe rubric show` says the rule in)."""

from __future__ import annotations

from typing import Any

from xlsxwriter.worksheet import Worksheet

from ..rules import RULE_LABELS

HEADER = ("计分规则", "用于", "填写的列", "例子", "含义")
WIDTHS = (16, 12, 36, 40, 56)
ROWS = (
    ("points", "评分项、加分项", "（不用另填）", "分值 5", "由评价部门评分，0～5分（空着计分规则时就是这样）"),
    ("tiers", "评分项", "档次、分段或名次分值", "好=2；较好=1.5；一般=0.5  或  1；0.5；0",
     "只能评列出的档次；评价表上是下拉列表，其他分值导入时拒收"),
    ("linear", "评分项", "指标名称、指标单位、指标最小值、指标最大值、满分线、每低多少、每档扣分、最低得分、不足一档",
     "合格率，%，0，100，满分线 98，每低 1，每档扣分 0.5", "按合格率测算：≥98% 得满分，每低1个百分点扣0.5分，扣完为止；"
     "评价部门在评价表上填合格率"),
    ("table", "评分项", "指标名称、指标单位、指标最小值、指标最大值、档次、分段或名次分值", "≥98=2；≥95=1.5；≥0=0",
     "按指标所在的分段得分：合格率 96 得 1.5 分"),
    ("checklist", "评分项", "核查方面（每行一项）、每档扣分、最低得分", "有实施方案\n有年度总结\n有专项经费；每档扣分 0.1",
     "评价表上逐项选 是/否，每缺一项扣 0.1 分"),
    ("base", "评分项", "基础分", "基础分 3，分值 5", "每个单位至少得 3 分，评价部门在 3～5 分之间评分"),
    ("rank", "评分项", "指标名称、指标单位、档次、分段或名次分值、其余名次得分、并列名次", "5；4.5；4；3.5，其余 3",
     "评价部门填指标，按各单位（分类别时按同类别单位）的名次赋分"),
    ("per_event", "扣分项、加分项", "每次扣分（加分项为每项加分）、扣分上限", "每次扣分 5，扣分上限 不设上限",
     "每发生一次扣 5 分，不设上限（扣分项空着计分规则时按每次扣分、最高扣到分值）"),
    ("ranged", "扣分项", "扣分范围", "5～10", "每次扣 5～10 分，由评价部门确定并写明理由，最高扣到分值"),
    ("veto", "否决项", "否决后果", "最高B级", "发生即否决：等级最高为B（原等级更低的不变）；也可写 定为D级、领域3得0分、总分为0"),
)  # fmt: skip
OTHER_ROWS = (
    ("合成方式", "几个部门共同评价的项目", "合成方式", "合计扣分  或  加权：市农业农村局=60；市畜牧局=40  或  牵头：市农业农村局",
     "平均值、从严（取最低分）、合计扣分（各部门分别扣分，合计不超过分值）、加权（权重合计 100）、以牵头部门为准"),
    ("适用单位类别", "只考核某些单位的项目", "适用单位类别", "县（市）", "只有该类别的单位考核本项，其他单位的满分不含本项"),
    ("县区自评", "任何项目", "县区自评", "是", "县区对本项自评打分；加分项为县区申报加分并附佐证，评价部门核定"),
)  # fmt: skip


def write_rules_guide(ws: Worksheet, fmt: dict[str, Any]) -> None:
    ws.write_row(0, 0, HEADER, fmt["header"])
    for col, width in enumerate(WIDTHS):
        ws.set_column(col, col, width)
    rows = [(RULE_LABELS[key], *rest) for key, *rest in ROWS] + [tuple(r) for r in OTHER_ROWS]
    for row, values in enumerate(rows, start=1):
        ws.write_row(row, 0, values, fmt["text"])
        ws.set_row(row, 15 * max(3, str(values[3]).count("\n") + 2))
    ws.freeze_panes(1, 0)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
