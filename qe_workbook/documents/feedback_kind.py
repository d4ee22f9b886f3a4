"""The feedback letter as a kind of templated document: its template (templates/反馈意见.docx) and the fields
the program gives it (documents/letter_context.py), each with its meaning and an example value, for
`qe templates export` and `qe templates check`."""

from __future__ import annotations

from .templating import DocumentKind, Field

_ROW = (Field("item", "项目编号和名称", "01-2 农产品质量安全合格率水平"), Field("max", "满分", "2.00"))
FEEDBACK = DocumentKind(
    "反馈意见",
    "各被考核单位的考核结果反馈意见",
    (
        Field("city", "城市", "漯河市"),
        Field("year", "考核年度", 2022),
        Field("plan_title", "考核方案的名称", "漯河市2022年度政府质量工作考核方案"),
        Field("office", "市质强办的简称", "市质强办"),
        Field("office_full_name", "市质强办的全称（落款）", "漯河市质量强市战略工作领导小组办公室"),
        Field("issued", "成文日期", "2023年5月8日"),
        Field("issued_year", "成文日期的年份（文号用）", 2023),
        Field("stage", "阶段（页眉用，结果暂定时带“（暂定）”）", "征求意见稿"),
        Field("stage_name", "阶段名称", "征求意见稿"),
        Field("final", "是否为审定稿或印发稿（是则标题不标阶段）", False),
        Field("provisional", "本单位结果是否暂定（尚缺有效评分）", False),
        Field("unit", "被考核单位简称", "临颍县"),
        Field("unit_full_name", "被考核单位全称（主送）", "临颍县人民政府"),
        Field("total", "总分", "83.78"),
        Field("grade", "等级（暂定时带说明）", "B"),
        Field("grade_letter", "等级", "B"),
        Field("total_max", "各领域满分之和", "100.00"),
        Field(
            "areas",
            "各领域得分（表格逐行）",
            [{"name": "质量整体水平", "max": "28.00", "score": "22.75", "lost": "5.25"}],
            (
                Field("name", "领域名称", "质量整体水平"),
                Field("max", "满分", "28.00"),
                Field("score", "得分", "22.75"),
                Field("lost", "失分", "5.25"),
            ),
        ),
        Field("bonus_max", "加分上限", "3.00"),
        Field("bonus", "加分", "0.00"),
        Field("deduction", "扣分", "0.00"),
        Field("veto", "是否触发否决项", False),
        Field("veto_grade", "触发否决项时的等级", "D"),
        Field("complete", "各项目是否都有有效评分", True),
        Field("incomplete_items", "尚缺有效评分的项目", ["水利建设质量工作"]),
        Field(
            "rank",
            "排名（考核细则规定反馈意见不写排名时没有此字段）",
            {"place": 5, "units": 8, "tied": False},
            (Field("place", "名次", 5), Field("units", "被考核单位数", 8), Field("tied", "是否并列", False)),
        ),
        Field(
            "standing",
            "与上一等级的差距（考核细则规定不写时、触发否决项时没有此字段）",
            {"capped": False, "reached": "A", "top": False, "next_grade": "A", "next_min": "90", "gap": "6.22"},
            (
                Field("capped", "是否因等级数量上限降等", False),
                Field("reached", "总分达到的等级", "A"),
                Field("top", "是否已是最高等级", False),
                Field("next_grade", "上一等级", "A"),
                Field("next_min", "上一等级的分数线", "90"),
                Field("gap", "还差的分数", "6.22"),
            ),
        ),
        Field(
            "notes",
            "考核结果之后的说明，每条一段，kind 为说明的种类：调整（会议调整：adjust 加分/扣分/降级/定级、points、grade、basis 依据、"
            "note 说明）、调整前（total、grade、rank）、等级数量上限（total、rank、reached、grade、limit、allowed、tied）、"
            "上年（year、old_total、new_total、change、amount、old_grade、new_grade、old_rank、new_rank、rank_change）、"
            "新增单位（year）；rank 等排名字段只在考核细则规定反馈意见写排名时才有",
            [
                {
                    "kind": "调整",
                    "adjust": "加分",
                    "points": "1",
                    "grade": "",
                    "basis": "市质量强市工作领导小组会议纪要",
                    "note": "创建省级质量强县成效明显",
                },
                {"kind": "调整前", "total": "75.50", "grade": "C", "rank": 8},
                {
                    "kind": "等级数量上限",
                    "total": "91.00",
                    "rank": 3,
                    "reached": "A",
                    "grade": "B",
                    "limit": "A级不超过被考核单位总数的 30%",
                    "allowed": 2,
                    "tied": False,
                },
                {
                    "kind": "上年",
                    "year": 2021,
                    "old_total": "75.50",
                    "new_total": "76.50",
                    "change": "增加",
                    "amount": "1.00",
                    "old_grade": "C",
                    "new_grade": "C",
                    "old_rank": 8,
                    "new_rank": 8,
                    "rank_change": 0,
                },
                {"kind": "新增单位", "year": 2022},
            ],
        ),
        Field("lost_count", "失分的评分项目数", 51),
        Field("lost_total", "评分项目合计失分", "16.22"),
        Field("lost_more", "失分项目是否多于正文表格所列（全部见附件）", True),
        Field(
            "top_losses",
            "失分较多的项目（正文表格逐行）",
            [
                {
                    "item": "01-4 水利建设质量工作",
                    "max": "5.00",
                    "score": "3.20",
                    "lost": "1.80",
                    "evaluators": "市水利局",
                    "remark": "台账资料较完整。建议加强统筹调度。",
                }
            ],
            (
                *_ROW,
                Field("score", "得分", "3.20"),
                Field("lost", "失分", "1.80"),
                Field("evaluators", "评价部门", "市水利局"),
                Field("remark", "评价说明（按反馈修改稿）", "台账资料较完整。建议加强统筹调度。"),
            ),
        ),
        Field("joint_lost", "失分项目中是否有几个部门共同评价的", True),
        Field("joint_rule", "共同评价项目的计分办法", "取各部门评分的平均值"),
        Field(
            "self_scores",
            "自评与评价对比（未要求自评打分或本单位无自评时没有此字段）",
            {
                "count": 40,
                "own": "95.00",
                "evaluated": "88.00",
                "higher": True,
                "lower": False,
                "difference": "7.00",
                "gaps": [
                    {"item": "01-4 水利建设质量工作", "max": "5.00", "own": "5.00", "evaluated": "3.20", "gap": "+1.80"}
                ],
            },
            (
                Field("count", "自评的项目数", 40),
                Field("own", "自评合计", "95.00"),
                Field("evaluated", "评价得分合计", "88.00"),
                Field("higher", "自评是否高于评价", True),
                Field("lower", "自评是否低于评价", False),
                Field("difference", "相差的分数", "7.00"),
                Field("gaps", "差距较大的项目（表格逐行：item、max、own、evaluated、gap）", []),
            ),
        ),
        Field("deducted", "是否被扣分", False),
        Field(
            "deductions",
            "扣分项目（按反馈修改稿反馈的）",
            [{"item": "发生较大质量安全事故", "points": "1.50", "evaluators": "市市场监管局"}],
            (
                Field("item", "项目", "发生较大质量安全事故"),
                Field("points", "扣分", "1.50"),
                Field("evaluators", "评价部门", "市市场监管局"),
            ),
        ),
        Field("bonus_obtained", "是否获得加分", False),
        Field(
            "bonuses",
            "加分项目",
            [{"item": "获得省长质量奖", "points": "1.00", "wording": ""}],
            (
                Field("item", "项目", "获得省长质量奖"),
                Field("points", "加分", "1.00"),
                Field("wording", "市质强办的表述", ""),
            ),
        ),
        Field("veto_items", "触发的否决项", []),
        Field(
            "followed",
            "上年反馈问题整改情况（没有上年整改台账时没有此字段）",
            {
                "sentence": "你单位上年反馈的 3 个问题中，已整改完成 2 个。",
                "rows": [["01-4", "台账不全", "补齐台账", "2023年6月30日", "已完成"]],
            },
            (
                Field("sentence", "整改情况的说明", "你单位上年反馈的 3 个问题中，已整改完成 2 个。"),
                Field("rows", "各问题（项目、上年反馈的问题、整改措施、完成时限、进展）", []),
            ),
        ),
        Field(
            "improvement",
            "改进建议",
            {"weak_areas": ["质量整体水平"], "suggestions": ["加强统筹调度和督导检查"]},
            (
                Field("weak_areas", "失分率较高的领域", ["质量整体水平"]),
                Field("suggestions", "评价部门的建议", ["加强统筹调度和督导检查"]),
            ),
        ),
        Field(
            "attachment",
            "附件：失分项目及评价说明，每个领域一张表",
            [
                {
                    "name": "质量整体水平",
                    "rows": [
                        {
                            "item": "01-2 农产品质量安全合格率水平",
                            "max": "2.00",
                            "joint": True,
                            "entries": [
                                {"evaluator": "市农业农村局", "entered": "1.30"},
                                {"evaluator": "市畜牧局", "entered": "1.70"},
                            ],
                            "entered": "1.30",
                            "adopted": "1.50",
                            "lost": "0.50",
                            "evaluators": "市农业农村局、市畜牧局",
                            "remark": "市农业农村局：抽检批次偏少。市畜牧局：监测覆盖面不足。",
                        }
                    ],
                }
            ],
            (
                Field("name", "领域", "质量整体水平"),
                Field(
                    "rows",
                    "该领域失分的项目：item、max、joint（是否共同评价）、entries（各部门 evaluator 和所评 entered）、"
                    "entered（所评）、adopted（采用的分数）、lost（失分）、evaluators（评价部门）、remark（评价说明）",
                    [],
                ),
            ),
        ),
    ),
)
