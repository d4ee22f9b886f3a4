"""The rubric workbook's sheets and columns: one description shared by export and import.

Tables have a header in row 1 and one record per row below it; columns are found by their
header text, so a clerk who moves a column loses nothing. Settings and grading are two-column
"项目 | 内容" sheets where a label may repeat for list values (several basis documents).
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.utils import get_column_letter

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
SHEETS = (GUIDE, SETTINGS, UNITS, AREAS, KEY_POINTS, ITEMS, EVALUATORS, GRADING, DECISIONS)

# How a cell's text is read: text, points (a number), names (several separated by 、), kind,
# date, year, yes/no, joint rule, grade, fixed (shown for information, always the same value).
TEXT, POINTS, NAMES, KIND, DATE, YEAR, YES_NO, JOINT, GRADE, FIXED, PUBLIC, REMARKS = (
    "text", "points", "names", "kind", "date", "year", "yes_no", "joint", "grade", "fixed", "public", "remarks",
)  # fmt: skip


@dataclass(frozen=True)
class Column:
    key: str  # the JSON field
    header: str
    width: float
    type: str = TEXT
    required: bool = True


TABLES: dict[str, tuple[Column, ...]] = {
    UNITS: (Column("name", "简称", 20), Column("full_name", "全称", 40)),
    AREAS: (Column("id", "编号", 8), Column("name", "名称", 20), Column("max", "分值", 10, POINTS)),
    KEY_POINTS: (
        Column("id", "编号", 8),
        Column("label", "序号", 10),
        Column("title", "标题", 30),
        Column("area", "考核领域", 18),
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
        hint="可不填。B 列填等级，C 列填最多几个单位（如 2）或占被考核单位的百分比（如 30%，向下取整）；"
        "超出的按排名降一级，同分不拆分",
    ),
)
KV_HEADER = ("项目", "内容")
THRESHOLD_MIN_HEADER = "分数线"
KV_HINT_HEADER = "填写说明"

FIXED_VALUES = {"decimals": (2, "2"), "rounding": ("half_up", "四舍五入")}
KIND_TEXT = {"score": "评分项", "deduction": "扣分项", "bonus": "加分项", "veto": "否决项"}
JOINT_TEXT = {"mean": "平均值", "min": "从严"}
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
    return get_column_letter(col + 1)


def where(sheet: str, row: int | None = None, col: int | None = None) -> str:
    """How a place in the workbook reads for a clerk: [评价项目] 第 12 行 G 列 (row 1-based, col 0-based)."""
    text = f"[{sheet}]"
    if row is not None:
        text += f" 第 {row} 行"
    if col is not None:
        text += f" {col_letter(col)} 列"
    return text
