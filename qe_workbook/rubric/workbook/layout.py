"""The rubric workbook's sheets and columns: one description shared by export and import.

Tables have a header in row 1 and one record per row below it; columns are found by their
header text, so a clerk who moves a column loses nothing. Settings and grading are two-column
"项目 | 内容" sheets where a label may repeat for list values (several basis documents).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import DISCLOSE_LABELS, PUBLIC_SHOWS_LABELS, SETTING_LABELS

GUIDE = "说明"
SETTINGS = "基本设置"
UNITS = "被考核单位"
AREAS = "考核领域"
KEY_POINTS = "考核要点"
ITEMS = "评价项目"
EVALUATORS = "评价部门"
GRADING = "等级评定"
DECISIONS = "未明确事项"
UNIT_CLASSES = "单位类别"
PARTS = "考核部分"
RULES_GUIDE = "计分规则说明"
SHEETS = (GUIDE, SETTINGS, UNITS, UNIT_CLASSES, AREAS, PARTS, KEY_POINTS, ITEMS, EVALUATORS, GRADING, DECISIONS,
          RULES_GUIDE)  # fmt: skip
OPTIONAL_SHEETS = (UNIT_CLASSES, PARTS)  # sheets added with the scoring language: a workbook without them has none

# How a cell's text is read: text, points (a number), names (several separated by 、), kind,
# date, year, yes/no, joint rule, grade, fixed (shown for information, always the same value).
TEXT, POINTS, NAMES, KIND, DATE, YEAR, YES_NO, JOINT, GRADE, FIXED, PUBLIC, REMARKS = (
    "text", "points", "names", "kind", "date", "year", "yes_no", "joint", "grade", "fixed", "public", "remarks",
)  # fmt: skip
# The scoring language's cells (rule_cells.py reads and writes them): a rule type, a list of tiers/rows/places,
# aspects one per line, a cap (or 不设上限), a range (5～10), a veto's effect, a combination, a choice.
RULE, TIERS, LINES, CAP, RANGE, EFFECT, COMBINE, STEPS, TIES = (
    "rule", "tiers", "lines", "cap", "range", "effect", "combine", "steps", "ties",
)  # fmt: skip


@dataclass(frozen=True)
class Column:
    key: str  # the JSON field
    header: str
    width: float
    type: str = TEXT
    required: bool = True
    added: bool = False  # added with the scoring language: a workbook without the column reads it as blank
    note: str = ""  # what the header's comment tells the clerk


def _new(key: str, header: str, width: float, type_: str = TEXT, note: str = "") -> Column:
    return Column(key, header, width, type_, required=False, added=True, note=note)


# The items' scoring-language columns, after 编号: blank means what the rubric meant before (by the item's kind).
RULE_COLUMNS = (
    _new(
        "rule.type",
        "计分规则",
        14,
        RULE,
        "空着：评分项、加分项直接评分，扣分项按次扣分，否决项按等级评定中的否决等级。"
        "其他规则从下拉列表选择，并填写右边该规则用到的列（见“计分规则说明”工作表）",
    ),
    _new("rule.figure.name", "指标名称", 12, note="按指标计分、按名次赋分时评价部门填报的指标，例如 合格率"),
    _new("rule.figure.unit", "指标单位", 8, note="例如 %、起、家"),
    _new("rule.figure.min", "指标最小值", 9, POINTS),
    _new("rule.figure.max", "指标最大值", 9, POINTS),
    _new("rule.figure.decimals", "指标小数位数", 9, POINTS, "0、1 或 2；空着为 2"),
    _new("rule.figure.lower_is_better", "指标越低越好", 9, YES_NO, "是：指标越低越好（例如 事故起数）；空着为 否"),
    _new("rule.full_at", "满分线", 9, POINTS, "按指标线性计分：指标达到此值得满分"),
    _new("rule.per", "每低多少", 9, POINTS, "按指标线性计分：每低（越低越好时每高）多少个单位扣一次分；空着为 1"),
    _new("rule.minus", "每档扣分", 9, POINTS, "按指标线性计分：每低一档扣的分；逐项核查：每缺一项扣的分"),
    _new("rule.floor", "最低得分", 9, POINTS, "按指标线性计分、逐项核查：最少得几分；空着为 0（扣完为止）"),
    _new("rule.steps", "不足一档", 10, STEPS, "按一档计（空着时）或 按比例"),
    _new(
        "rule.tiers",
        "档次、分段或名次分值",
        28,
        TIERS,
        "按档次评分：好=2；较好=1.5；一般=0.5（或只写分值 1；0.5；0）。按指标分段计分：≥98=2；≥95=1.5；≥0=0。"
        "按名次赋分：5；4.5；4（第1名、第2名……）",
    ),
    _new("rule.aspects", "核查方面（每行一项）", 28, LINES, "逐项核查：每行写一个方面，评价表上逐项选 是/否"),
    _new("rule.base", "基础分", 9, POINTS, "基础分加评分：每个单位至少得的分"),
    _new("rule.rest", "其余名次得分", 9, POINTS, "按名次赋分：列出的名次以外的单位得分；空着为 0"),
    _new("rule.ties", "并列名次", 12, TIES, "按名次赋分：并列取最好名次（空着时）或 并列取平均"),
    _new("rule.cap", "扣分上限", 10, CAP, "按次计分：空着为本项分值；不设上限的写 不设上限"),
    _new("rule.range", "扣分范围", 10, RANGE, "按范围扣分：每次扣分的范围，例如 5～10"),
    _new(
        "rule.effect",
        "否决后果",
        14,
        EFFECT,
        "否决：定为D级、最高B级、领域3得0分 或 总分为0；空着为等级评定中的否决等级",
    ),
    _new(
        "combine",
        "合成方式",
        22,
        COMBINE,
        "几个部门共同评价时：平均值、从严、合计扣分、加权：市农业农村局=60；市畜牧局=40、牵头：市农业农村局；"
        "空着为等级评定中的联合评价规则",
    ),
    _new("classes", "适用单位类别", 14, NAMES, "只考核某些类别的单位时填类别名称，几个用“、”分隔；空着为全部单位"),
    _new(
        "self_score", "县区自评", 9, YES_NO, "是：县区对本项自评（加分项为县区申报）；空着按基本设置中的“县区自评打分”"
    ),
)


TABLES: dict[str, tuple[Column, ...]] = {
    UNITS: (
        Column("name", "简称", 20),
        Column("full_name", "全称", 40),
        _new("class", "类别", 14, note="单位类别的名称（见“单位类别”工作表）；不分类别时空着"),
    ),
    UNIT_CLASSES: (Column("id", "编号", 10), Column("name", "名称", 20)),
    AREAS: (Column("id", "编号", 8), Column("name", "名称", 20), Column("max", "分值", 10, POINTS)),
    PARTS: (
        Column("id", "编号", 8),
        Column("name", "名称", 20),
        Column("weight", "权重（分）", 10, POINTS),
        Column("areas", "考核领域", 40, NAMES),
    ),
    KEY_POINTS: (
        Column("id", "编号", 8),
        Column("label", "序号", 10),
        Column("title", "标题", 30),
        Column("area", "考核领域", 18, required=False),
        _new("parent", "上级要点", 20, note="下级要点填上级要点的编号或标题；一级要点空着（填考核领域）"),
        _new("max", "分值", 9, POINTS, "可不填；填了则检查等于下级要点和评分项目分值之和"),
    ),
    ITEMS: (
        Column("area", "考核领域", 14),
        Column("key_point", "考核要点", 24),
        Column("group", "小标题", 12, required=False),
        Column("text", "具体内容", 56),
        Column("evaluators", "评价部门", 22, NAMES),
        Column("kind", "类别", 9, KIND),
        Column("max", "分值或最高扣分", 9, POINTS),
        Column("per_event", "每次扣分", 9, POINTS, required=False),
        Column("notes", "备注", 14, required=False),
        Column("focus", "重点考核", 48, required=False),
        Column("id", "编号", 9, required=False),  # blank for a new item: numbered from its key point
        *RULE_COLUMNS,
    ),
    EVALUATORS: (
        Column("name", "名称", 18),
        Column("full_name", "全称", 24, required=False),
        Column("bureau", "所属单位", 16, required=False),
        Column("phone", "联系电话", 16, required=False),
        Column("email", "电子邮箱", 28, required=False),
        Column("aliases", "别名", 24, NAMES, required=False),
    ),
    DECISIONS: (Column("topic", "事项", 24), Column("text", "处理", 90)),
}
TABLE_KEYS = {UNITS: "units", UNIT_CLASSES: "unit_classes", AREAS: "areas", PARTS: "parts", KEY_POINTS: "key_points",
              ITEMS: "items", EVALUATORS: "evaluators", DECISIONS: "decisions"}  # fmt: skip

# Columns the export adds for the clerk (sums, drop-down text); import ignores them.
AREA_SUM_HEADER, AREA_GAP_HEADER = "评分项目合计（自动）", "差额（应为0）"
KEY_POINT_SHOWN_HEADER = "下拉显示（自动）"


@dataclass(frozen=True)
class Setting:
    path: str  # dotted JSON path: "period.start"
    label: str
    type: str = TEXT
    required: bool = True
    many: bool = False  # a list: the label repeats, one row per value
    hint: str = ""


SETTING_ROWS: tuple[Setting, ...] = (
    Setting("year", "考核年度", YEAR, hint="四位数字，例如 2023"),
    Setting("title", "方案名称", hint="例如 漯河市2023年度政府质量工作考核方案"),
    Setting("rubric_title", "考核要点标题", required=False, hint="附件1的标题；空着则与方案名称相同"),
    Setting("city", "城市", required=False),
    Setting("office", "牵头单位简称", hint="例如 市质强办"),
    Setting("office_full_name", "牵头单位全称", required=False),
    Setting("period.start", "考核周期开始日期", DATE, hint="日期，例如 2023-01-01"),
    Setting("period.end", "考核周期结束日期", DATE),
    Setting("deadlines.materials", "县区材料截止日期", DATE),
    Setting("deadlines.form_return", "评价表回收截止日期", DATE),
    Setting("basis", "通报依据文件", required=False, many=True, hint="每行一个文件；要增加就复制一行"),
    Setting("copy_to", "通报抄送单位", required=False, many=True, hint="每行一个单位"),
    Setting(
        "self_scoring",
        "县区自评打分",
        YES_NO,
        required=False,
        hint="是：各县区同时填报自评打分表（每个评分项目的自评得分和说明），与评价得分对比；否或空着：不自评打分",
    ),
    Setting("total", "满分", POINTS, required=False, hint="空着为各领域分值之和"),
    Setting(
        "start_from",
        "起评分",
        POINTS,
        required=False,
        hint="只有扣分项和加分项的方案填起评分（例如 100）：总分 = 起评分 − 扣分 + 加分；其他方案空着",
    ),
    Setting("floor", "总分最低分", POINTS, required=False, hint="空着为 0（总分不为负数）"),
    Setting(
        "texts.procedure", "考核程序", required=False, hint="写入通报和反馈意见；空着为 经自我评价、部门打分和综合考评"
    ),
    Setting("texts.attachments.rubric", "附件编号：考核细则", required=False, hint="空着为 附件1"),
    Setting("texts.attachments.report", "附件编号：自评报告", required=False, hint="空着为 附件2"),
    Setting("texts.attachments.contacts", "附件编号：联络员", required=False, hint="空着为 附件3"),
    Setting("texts.attachments.evaluators", "附件编号：评价部门", required=False, hint="空着为 附件4"),
    Setting("texts.attachments.focus", "附件编号：评价重点", required=False, hint="空着为 附件5"),
    Setting("texts.attachments.form", "附件编号：评价表", required=False, hint="空着为 附件6"),
    Setting("texts.report_limits.chars", "自评报告字数上限", POINTS, required=False, hint="空着为 3000"),
    Setting("texts.report_limits.cases", "自评报告典型案例数上限", POINTS, required=False, hint="空着为 3"),
    Setting(
        "disclosure.rank_in_letters",
        SETTING_LABELS["disclosure.rank_in_letters"],
        YES_NO,
        required=False,
        hint="是 或 否；空着为 是",
    ),
    Setting(
        "disclosure.distance_in_letters",
        SETTING_LABELS["disclosure.distance_in_letters"],
        YES_NO,
        required=False,
        hint="是 或 否；空着为 是",
    ),
    Setting(
        "disclosure.public_shows",
        SETTING_LABELS["disclosure.public_shows"],
        PUBLIC,
        required=False,
        hint="只列等级 或 总分和等级；空着为 只列等级",
    ),
    Setting(
        "disclosure.remarks",
        SETTING_LABELS["disclosure.remarks"],
        REMARKS,
        required=False,
        hint="失分项目 / 全部 / 不列；空着为 失分项目",
    ),
    Setting(
        "follow_up.common_min_percent",
        SETTING_LABELS["follow_up.common_min_percent"],
        POINTS,
        required=False,
        hint="失分单位占被考核单位的百分比达到此值（且至少 2 个单位）的项目列为共性问题；空着为 50",
    ),
)

GRADING_ROWS: tuple[Setting, ...] = (
    Setting("thresholds", "等级分数线", GRADE, many=True, hint="B 列填等级，C 列填该等级的最低分；从高到低"),
    Setting("lowest_grade", "最低等级", GRADE, hint="低于所有分数线时的等级"),
    Setting("veto.grade", "否决等级", GRADE, hint="触发否决项时的等级"),
    Setting("veto.ranks_last", "否决单位排在最后", YES_NO, hint="是 或 否"),
    Setting("joint", "联合评价规则", JOINT, hint="平均值：取各部门评分的平均值；从严：取最低分（扣分取最多）"),
    Setting("decimals", "小数位数", FIXED, hint="固定为 2，不能修改"),
    Setting("rounding", "舍入方式", FIXED, hint="固定为 四舍五入，不能修改"),
    Setting(
        "limits",
        "等级数量上限",
        GRADE,
        required=False,
        many=True,
        hint="可不填。B 列填等级，C 列填最多几个单位（如 2）或占被考核单位的百分比（如 30%，向下取整），"
        "超出的按排名降一级，同分不拆分；或填 前2名、前30%：得分最高的这些单位为该等级（须达到分数线）",
    ),
    Setting(
        "bonus_cap", "加分上限", POINTS, required=False, hint="加分合计最多几分；空着为不另设上限（各加分项按其分值）"
    ),
    Setting(
        "by_percent",
        "分数线按满分的百分比",
        YES_NO,
        required=False,
        hint="是：分数线是各单位满分的百分比（各类别单位满分不同时）；空着为 否",
    ),
)
KV_HEADER = ("项目", "内容")
THRESHOLD_MIN_HEADER = "分数线"
KV_HINT_HEADER = "填写说明"

FIXED_VALUES = {"decimals": (2, "2"), "rounding": ("half_up", "四舍五入")}
KIND_TEXT = {"score": "评分项", "deduction": "扣分项", "bonus": "加分项", "veto": "否决项"}
JOINT_TEXT = {"mean": "平均值", "min": "从严"}
COMBINE_TEXT = {**JOINT_TEXT, "sum_deductions": "合计扣分"}
WEIGHTED_PREFIX, LEAD_PREFIX = "加权", "牵头"
STEPS_TEXT = {"whole": "按一档计", "exact": "按比例"}
TIES_TEXT = {"share": "并列取最好名次", "average": "并列取平均"}
NO_CAP = "不设上限"
CHOICE_TEXT: dict[str, dict[str, str]] = {  # code -> what the clerk reads
    JOINT: JOINT_TEXT,
    PUBLIC: {str(k): v for k, v in PUBLIC_SHOWS_LABELS.items()},
    REMARKS: {str(k): v for k, v in DISCLOSE_LABELS.items()},
}
YES_NO_TEXT = {True: "是", False: "否"}
NAME_SEPARATOR = "、"
MAX_NEW_ROWS = 200  # rows below the data that still carry drop-downs and sums


def col_letter(col: int) -> str:
    """0-based column number -> A, B, …, AA."""
    from openpyxl.utils import get_column_letter  # here: `qe rubric check` and `show` start without openpyxl

    return get_column_letter(col + 1)


def where(sheet: str, row: int | None = None, col: int | None = None) -> str:
    """How a place in the workbook reads for a clerk: [评价项目] 第 12 行 G 列 (row 1-based, col 0-based)."""
    text = f"[{sheet}]"
    if row is not None:
        text += f" 第 {row} 行"
    if col is not None:
        text += f" {col_letter(col)} 列"
    return text
