"""Errors as data: every check yields `Problem` records with a stable code.

The catalogue below is the single source of the codes, their default severity, what each
means and how to fix it (in Chinese, for the users). `docs/problems.md` is generated from it.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


SEVERITY_LABELS = {Severity.ERROR: "错误", Severity.WARNING: "提醒", Severity.INFO: "说明"}


@dataclass(frozen=True)
class ProblemType:
    """A catalogue entry. `template` says what is wrong in one case, from the problem's params
    (`str.format` fields, e.g. "{unit}的{item}得分 {value} 超过满分 {max}"); `fix` says what to do."""

    code: str
    severity: Severity
    meaning: str
    fix: str
    template: str = ""


@dataclass(frozen=True)
class Problem:
    """One finding. `cell` is a cell reference, or a JSON path for rubric.json."""

    code: str
    severity: Severity
    file: str | None
    sheet: str | None
    cell: str | None
    message: str
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)  # the facts, for programs: unit, item, value…

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = str(self.severity)
        data["params"] = {k: _plain(v) for k, v in self.params.items()}
        return data


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO

_TYPES = [
    # rubric.json
    ProblemType(
        "RUBRIC_UNREADABLE",
        _E,
        "考核细则文件无法读取。",
        "请检查文件路径和访问权限。",
        "无法读取考核细则文件：{reason}",
    ),
    ProblemType(
        "RUBRIC_NOT_UTF8",
        _E,
        "考核细则文件不是 UTF-8 编码。",
        "请用文本编辑器以 UTF-8 编码另存。",
        "考核细则文件不是 UTF-8 编码",
    ),
    ProblemType(
        "RUBRIC_JSON_SYNTAX",
        _E,
        "考核细则文件不是合法的 JSON。",
        "请用 JSON 校验工具修正语法错误（常见原因：多余或缺少逗号、引号不配对）。",
        "JSON 语法错误（第 {line} 行第 {column} 列附近）",
    ),
    ProblemType(
        "RUBRIC_DUPLICATE_KEY",
        _E,
        "同一对象中的字段写了两次。",
        "请删除重复的字段。",
        "同一对象中字段“{key}”出现了两次，后一个会覆盖前一个",
    ),
    ProblemType(
        "RUBRIC_SCHEMA",
        _E,
        "考核细则的结构不符合规范（缺少字段、类型错误、取值不合法）。",
        "请按 README 中“考核细则格式”一节修改所指位置的字段。",
        "{cell}：{requirement}",
    ),
    ProblemType(
        "RUBRIC_DATE_INVALID",
        _E,
        "日期不存在（例如 2 月 30 日）。",
        "请改为日历上存在的日期，格式为 YYYY-MM-DD。",
        "{cell}：“{value}”不是有效日期",
    ),
    ProblemType(
        "RUBRIC_PERIOD_ORDER",
        _E,
        "考核周期的开始日期晚于结束日期。",
        "请核对 period 的 start 和 end。",
        "{cell}：考核周期的开始日期 {start} 晚于结束日期 {end}",
    ),
    ProblemType(
        "RUBRIC_DUPLICATE_ID",
        _E,
        "同一编号或名称出现了不止一次。",
        "请为每个县区、领域、考核要点、项目、评价部门和等级使用唯一的编号或名称。",
        "{cell}：{what}“{value}”出现了 {count} 次",
    ),
    ProblemType(
        "RUBRIC_EVALUATOR_REPEATED",
        _E,
        "同一项目的评价部门列了两次。",
        "请在该项目的 evaluators 中只写一次该部门。",
        "{cell}：评价部门“{evaluator}”列了两次",
    ),
    ProblemType(
        "RUBRIC_UNKNOWN_REF",
        _E,
        "引用了不存在的领域或考核要点。",
        "请改为已定义的编号，或先在相应列表中补充定义。",
        "{cell}：{what}“{ref}”未在 {section} 中定义",
    ),
    ProblemType(
        "RUBRIC_UNKNOWN_EVALUATOR",
        _E,
        "项目引用了评价部门名录中没有的部门。",
        "请把名称改为与附件4一致，或在该部门的 aliases 中列出此名称。",
        "{cell}：评价部门“{evaluator}”未在 evaluators 中定义",
    ),
    ProblemType(
        "RUBRIC_AREA_MISMATCH",
        _E,
        "项目所写的领域与其考核要点所属的领域不一致。",
        "请核对该项目的 area 和 key_point。",
        "{cell}：项目属于考核要点“{key_point}”，该要点属于领域“{key_point_area}”，而不是“{area}”",
    ),
    ProblemType(
        "RUBRIC_AREA_SUM",
        _E,
        "某领域的评分项目满分之和与该领域分值不一致。",
        "请核对该领域各评分项目的满分，使其合计等于领域分值。",
        "{cell}：领域“{area}”分值为 {max} 分，但其评分项目满分合计为 {sum} 分",
    ),
    ProblemType(
        "RUBRIC_TOTAL",
        _E,
        "全部评分项目满分合计不等于100分。",
        "请核对各领域分值和项目满分，使合计为100分。",
        "{cell}：各领域分值合计为 {total} 分，应为 {expected} 分",
    ),
    ProblemType(
        "RUBRIC_TOO_PRECISE",
        _E,
        "分值或分数线的小数超过两位。",
        "分值最多保留两位小数，请修改所指位置。",
        "{cell}：{value} 的小数超过两位",
    ),
    ProblemType(
        "RUBRIC_VALUE",
        _E,
        "评分项或扣分项的满分（最高扣分）不是正数。",
        "请按所指位置修正分值。",
        "{cell}：满分（扣分项为最高扣分）应大于 0，实际为 {value}",
    ),
    ProblemType(
        "RUBRIC_VETO_POINTS",
        _E,
        "否决项写了分值。",
        "否决项不计分，请把 max 改为 0。",
        "{cell}：否决项不计分，max 应为 0，实际为 {value}",
    ),
    ProblemType(
        "RUBRIC_PER_EVENT_MISSING",
        _E,
        "扣分项缺少每次扣分 per_event。",
        "请写明该扣分项每发生一次事件扣多少分。",
        "{cell}：扣分项须写明每次扣分 per_event",
    ),
    ProblemType(
        "RUBRIC_PER_EVENT_UNEXPECTED",
        _E,
        "不是扣分项的项目写了每次扣分 per_event。",
        "请删除该项目的 per_event，或把 kind 改为 deduction。",
        "{cell}：只有扣分项才有 per_event，本项类别为 {kind}",
    ),
    ProblemType(
        "RUBRIC_GRADING",
        _E,
        "等级分数线未从高到低排列。",
        "请检查 grading 部分的等级分数线设置。",
        "{cell}：分数线应从高到低排列：{min} 不低于上一级的 {previous}",
    ),
    ProblemType(
        "GRADE_LIMIT_APPLIED",
        _I,
        "考核细则限定了某一等级的单位个数，超出的单位按排名降一级（考核方案的等级建议）。",
        "无需处理；如会议另有决定，请用 adjustments.xlsx 调整。",
        "{unit}：{reason}",
    ),
    ProblemType(
        "RUBRIC_LIMIT_GRADE",
        _E,
        "等级数量上限中的等级不是分数线中的等级（最低等级没有更低的等级可降）。",
        "请把 grading.limits 中的 grade 改为 thresholds 中的某个等级。",
        "{cell}：等级数量上限中的等级“{grade}”不是分数线中的等级（{grades}）",
    ),
    ProblemType(
        "RUBRIC_VETO_GRADE_UNKNOWN",
        _E,
        "否决后的等级不是已定义的等级。",
        "请把 grading.veto.grade 改为 thresholds 或 lowest_grade 中的某个等级。",
        "{cell}：否决等级“{grade}”不是已定义的等级（{grades}）",
    ),
    ProblemType(
        "RUBRIC_TEXT_MAX",
        _W,
        "项目文字中写明的分值与 max 不一致。",
        "请核对附件1原文，使项目文字中的分值与 max（及 per_event）一致。",
        "{cell}：项目文字写明 {written} 分，但 {field} 为 {value}",
    ),
    ProblemType(
        "RUBRIC_CONTACT_MISSING",
        _W,
        "评价部门缺少联系电话或电子邮箱。",
        "请在 evaluators 中补充该部门的联系电话和电子邮箱，以便催收评价表。",
        "{cell}：“{evaluator}”缺少{missing}（附件4未列出）",
    ),
    ProblemType(
        "RUBRIC_EVALUATOR_UNUSED",
        _I,
        "评价部门名录中的部门没有需要评价的项目。",
        "无需处理；该部门今后如有评价项目，在 items 的 evaluators 中写上其名称即可。",
        "{cell}：“{evaluator}”没有需要评价的项目，不会为其生成评价表",
    ),
    # the rubric workbook (qe rubric import)
    ProblemType(
        "RUBRIC_XLSX_UNREADABLE",
        _E,
        "考核细则工作簿无法打开。",
        "请确认文件是 qe rubric export 导出并在 Excel/WPS/LibreOffice 中保存的 .xlsx 工作簿。",
        "无法打开考核细则工作簿：{reason}",
    ),
    ProblemType(
        "RUBRIC_XLSX_SHEET_MISSING",
        _E,
        "考核细则工作簿缺少工作表。",
        "请不要删除或重命名工作表；可以从 qe rubric export 新导出的工作簿中把该工作表复制回来。",
        "缺少工作表“{sheet}”",
    ),
    ProblemType(
        "RUBRIC_XLSX_HEADER",
        _E,
        "表头被修改或删除，找不到某一列。",
        "请把第 1 行的表头改回原样（可对照 qe rubric export 新导出的工作簿）。",
        "{where}：找不到“{header}”列（表头中的其他列：{found}）",
    ),
    ProblemType(
        "RUBRIC_XLSX_MERGED",
        _E,
        "表格中有合并单元格。",
        "请取消合并（开始 → 合并后居中 → 取消合并），并在每一行分别填写完整内容，例如合并的评价部门要在每个项目行都写上。",
        "{where}：单元格 {cells} 是合并单元格",
    ),
    ProblemType(
        "RUBRIC_XLSX_NOT_NUMBER",
        _E,
        "应填数字的单元格中不是数字。",
        "请只填写数字，例如 2 或 0.5，不要写“分”等文字。",
        "{where}：{label}“{value}”不是数字",
    ),
    ProblemType(
        "RUBRIC_XLSX_UNKNOWN_NAME",
        _E,
        "引用的考核领域、考核要点或评价部门在相应工作表中找不到（常见原因：错别字）。",
        "请从下拉列表中选择，或先在相应工作表中增加。",
        "{where}：{label}“{value}”不在“{table}”工作表中",
    ),
    ProblemType(
        "RUBRIC_XLSX_BAD_VALUE",
        _E,
        "单元格的取值无效（类别、日期、是否等只能填规定的内容）。",
        "请按“填写说明”或下拉列表修改。",
        "{where}：{label}“{value}”无效，应为{expected}",
    ),
    ProblemType(
        "RUBRIC_XLSX_EMPTY",
        _E,
        "必填的单元格是空的。",
        "请填写该单元格；如果要删除这一行，请右键删除整行。",
        "{where}：{label}不能为空",
    ),
    ProblemType(
        "RUBRIC_XLSX_BLANK_ROW",
        _W,
        "表格中间有空行，已跳过。",
        "如果是要删除该行的内容，请右键删除整行；表格中间不要留空行。",
        "{where}：第 {rows} 行是空行，已跳过",
    ),
    ProblemType(
        "RUBRIC_XLSX_UNKNOWN_LABEL",
        _E,
        "“项目”列中有无法识别的名称。",
        "请不要修改“项目”列；可对照 qe rubric export 新导出的工作簿改回。",
        "{where}：项目“{label}”无法识别",
    ),
    ProblemType(
        "RUBRIC_XLSX_ROW_MISSING",
        _E,
        "设置工作表缺少必填的一行。",
        "请从 qe rubric export 新导出的工作簿中把这一行复制回来并填写。",
        "{where}：缺少“{label}”一行",
    ),
    ProblemType(
        "RUBRIC_XLSX_REPEATED",
        _E,
        "只能有一行的设置出现了不止一次。",
        "请只保留一行，删除多余的行。",
        "{where}：“{label}”出现了不止一次",
    ),
    ProblemType(
        "RUBRIC_XLSX_ID_ASSIGNED",
        _I,
        "新增项目未填编号，导入时按考核要点自动编号。",
        "无需处理；建议在工作簿的编号列中写上该编号，以后各年度保持不变。",
        "{where}：新项目未填编号，已编为 {id}",
    ),
    ProblemType(
        "RUBRIC_OUTPUT_EXISTS",
        _E,
        "要写出的文件已存在，未覆盖。",
        "请用 --out 指定新的文件名；确需替换时加 --replace（原文件会先另存为备份）。",
        "文件 {path} 已存在，未覆盖",
    ),
    ProblemType(
        "COMPARE_RUN_INVALID",
        _E,
        "用于年度比较的文件夹不是完整的汇总结果（缺少或无法读取 results.json）。",
        "请指定 qe collect 生成的结果文件夹，例如 out/results/20230501-093000。",
        "{folder} 不是完整的汇总结果文件夹",
    ),
    # key and generation
    ProblemType(
        "KEY_MISSING",
        _E,
        "找不到市质强办的签名密钥文件。",
        "请用 qe keygen 生成密钥，或用 --key 指定生成评价表时使用的密钥文件。",
        "密钥文件 {file} 不存在",
    ),
    ProblemType(
        "KEY_UNREADABLE",
        _E,
        "密钥文件无法读取。",
        "请检查密钥文件的访问权限，或用 --key 指定生成评价表时使用的密钥文件。",
        "无法读取密钥文件 {file}：{reason}",
    ),
    ProblemType(
        "KEY_INVALID",
        _E,
        "密钥文件内容不正确。",
        "密钥文件应为 qe keygen 生成的 64 位十六进制字符串；请使用原密钥文件，不要手工修改。",
        "密钥文件 {file} 的内容不是 64 位十六进制字符串",
    ),
    ProblemType(
        "KEY_GROUP_MISTYPED",
        _E,
        "密钥备份单上的一组字符与其校验字母不符（输错了）。",
        "请对照备份单重新输入这一组（四位数字或字母A至F，再加一个校验字母）。",
        "第 {group} 组“{text}”与校验字母不符",
    ),
    ProblemType(
        "KEY_GROUP_MALFORMED",
        _E,
        "密钥备份单上的一组字符格式不对。",
        "每组是四位数字或字母A至F，后面是一个校验字母，例如 3FA9-K；请对照备份单重新输入。",
        "第 {group} 组“{text}”格式不对",
    ),
    ProblemType(
        "KEY_GROUP_MISSING",
        _E,
        "密钥备份单上的一组没有输入。",
        "请按备份单上的编号输入全部各组。",
        "缺少第 {group} 组",
    ),
    ProblemType(
        "KEY_GROUP_EXTRA",
        _E,
        "输入的组数多于密钥备份单上的组数。",
        "请只输入备份单上编号的各组。",
        "多出第 {groups} 组（密钥只有 {expected} 组）",
    ),
    ProblemType(
        "KEY_FINGERPRINT_MISMATCH",
        _E,
        "恢复出的密钥指纹与备份单上印的不一致。",
        "各组可能顺序错了或来自另一张备份单；请逐组核对后重新输入。",
        "备份单上的密钥指纹是 {printed}，输入的各组算出的是 {computed}",
    ),
    ProblemType(
        "KEY_EXISTS",
        _E,
        "要写入的密钥文件已存在且内容不同，未覆盖。",
        "请用 --key 指定另一个文件名；覆盖现有密钥会使用它签名的评价表无法核验。",
        "密钥文件已存在，且与备份单上的密钥不同",
    ),
    # files
    ProblemType(
        "FILE_IGNORED",
        _I,
        "文件不是 .xlsx 评价表，已忽略。",
        "如果这是评价表，请另存为 .xlsx 格式后重新放入。",
        "{file} 不是 .xlsx 文件，已忽略",
    ),
    ProblemType(
        "FILE_LOCK",
        _I,
        "Excel/WPS/LibreOffice 打开文件时留下的临时锁文件，已忽略。",
        "无需处理；关闭打开该文件的程序后锁文件会自动消失。",
        "{file} 是办公软件的临时锁文件",
    ),
    ProblemType(
        "FILE_SYMLINK",
        _W,
        "文件是符号链接，为安全起见未读取。",
        "请把真实文件（而不是链接）放入回收文件夹。",
        "{file} 是符号链接，未读取",
    ),
    ProblemType(
        "FILE_NOT_REGULAR",
        _E,
        "不是普通文件（可能是管道或设备文件），未读取。",
        "请把评价表文件本身放入回收文件夹。",
        "{file} 不是普通文件（可能是管道或设备文件），未读取",
    ),
    ProblemType(
        "FILE_UNREADABLE",
        _E,
        "文件无法读取（权限不足或已被删除）。",
        "请检查文件权限后重新运行。",
        "无法读取 {file}（{reason}）",
    ),
    ProblemType(
        "FILE_EMPTY",
        _E,
        "文件是空的（0 字节）。",
        "文件可能未保存完整或传输失败，请评价部门重新发送。",
        "文件大小为 0 字节",
    ),
    ProblemType(
        "FILE_TOO_LARGE",
        _E,
        "文件大小超过上限。",
        "评价表正常只有几十 KB；请评价部门检查是否粘贴了图片或大量内容，删除后重新保存发送。",
        "文件大小为 {size_mb} MB，超过上限 {limit_mb} MB",
    ),
    ProblemType(
        "FILE_XLS_NAME",
        _E,
        "文件是旧版 .xls 或 WPS .et 格式，未读取。",
        "请用 Excel/WPS 打开后“另存为” .xlsx 格式（Excel 工作簿），再放回回收文件夹。",
        "{file} 是旧版 .xls 或 WPS .et 格式，未读取",
    ),
    ProblemType(
        "FILE_XLS",
        _E,
        "文件扩展名是 .xlsx，内容却是旧版 .xls（Excel 97-2003）格式。",
        "请用 Excel/WPS 打开下发的 .xlsx 评价表填写，并以 .xlsx 格式保存后发送。",
        "文件实际是旧版 Excel 97-2003（.xls）或其他 Office 97 格式，只是扩展名为 .xlsx",
    ),
    ProblemType(
        "FILE_ENCRYPTED",
        _E,
        "文件设置了打开密码，无法读取。",
        "请评价部门取消“打开密码”（文件-信息-保护工作簿/文档加密）后重新发送。",
        "文件设置了打开密码（加密的 Office 文件）",
    ),
    ProblemType(
        "FILE_ZIP_ENCRYPTED",
        _E,
        "文件内部的压缩条目设置了密码（正常保存的工作簿不会出现）。",
        "请评价部门在下发的评价表中填写并直接保存后发送，不要用压缩软件加密。",
        "压缩包中的条目设置了密码",
    ),
    ProblemType(
        "FILE_ODS_NAME",
        _E,
        "文件是 OpenDocument 表格（.ods）格式，未读取。",
        "请用 WPS、Excel 或 LibreOffice 打开后“另存为” .xlsx 格式（Excel 工作簿），再放回回收文件夹。",
        "{file} 是 .ods 格式，未读取",
    ),
    ProblemType(
        "FILE_CSV_NAME",
        _E,
        "文件是 CSV 文本格式，不含评价表的标识和签名，无法核验，未读取。",
        "请该部门交回下发的 .xlsx 评价表本身（不要另存为 CSV）。",
        "{file} 是 CSV 文本格式，无法核验，未读取",
    ),
    ProblemType(
        "FILE_MACRO_NAME",
        _E,
        "文件是启用宏或二进制的工作簿格式（.xlsm、.xltm、.xlsb），未读取。",
        "出于安全考虑不读取含宏的文件；请在下发的 .xlsx 评价表中填写，不要另存为启用宏的格式。",
        "{file} 是启用宏或二进制的工作簿格式，未读取",
    ),
    ProblemType(
        "FILE_MACRO",
        _E,
        "文件包含宏（VBA 代码）。",
        "出于安全考虑不读取含宏的文件；请在下发的 .xlsx 评价表中填写，不要另存为启用宏的格式。",
        "文件中含有宏代码（vbaProject.bin）",
    ),
    ProblemType(
        "FILE_EXTERNAL_LINK",
        _E,
        "文件包含指向其他文件的外部链接。",
        "请删除外部链接（数据-编辑链接-断开链接），或直接在下发的评价表中重新填写。",
        "文件中含有指向其他工作簿的外部链接",
    ),
    ProblemType(
        "FILE_NOT_XLSX",
        _E,
        "文件扩展名是 .xlsx，但内容不是 Excel 工作簿（可能是 Word、PDF 或压缩包改名）。",
        "请发送下发的评价表 .xlsx 文件本身，不要改扩展名。",
        "文件实际是{kind}，不是 Excel 工作簿",
    ),
    ProblemType(
        "FILE_CORRUPT",
        _E,
        "文件已损坏或不完整，无法打开。",
        "文件可能在保存或传输中损坏；请评价部门用 Excel/WPS 打开确认后重新发送。",
        "文件不完整或已损坏（压缩包结构错误，可能是未保存完毕或传输中断）",
    ),
    ProblemType(
        "FILE_ZIP_CRC",
        _E,
        "文件内部的压缩数据校验失败。",
        "文件可能在保存或传输中损坏；请评价部门用 Excel/WPS 打开确认后重新发送。",
        "压缩包中的 {part} 已损坏（校验失败）",
    ),
    ProblemType(
        "FILE_PART_NAME_ODD",
        _E,
        "文件内部的条目名重复或不规范（正常的工作簿不会出现，文件可能被篡改）。",
        "为安全起见未读取；请评价部门在下发的评价表中重新填写后发送。",
        "压缩包中的条目名“{part}”重复或不规范",
    ),
    ProblemType(
        "FILE_SHEET_NAME_TWICE",
        _E,
        "工作簿中有两个同名工作表（正常的工作簿不会出现，文件可能被篡改）。",
        "为安全起见未读取；请评价部门在下发的评价表中重新填写后发送。",
        "工作簿中有两个名为“{name}”的工作表",
    ),
    ProblemType(
        "FILE_STRUCTURE_BROKEN",
        _E,
        "文件内部结构损坏（缺少部件、XML 格式错误等）。",
        "文件可能在保存或传输中损坏，或被其他软件改写；请评价部门用 Excel/WPS 打开确认后重新发送。",
        "文件内部结构损坏（{reason}）",
    ),
    ProblemType(
        "FILE_READER_FAILED",
        _E,
        "读取程序无法读出工作表的内容（异常终止、超时或无法解析）。",
        "文件可能已损坏或被篡改；请评价部门用 Excel/WPS 打开确认后重新发送。",
        "无法读取工作表内容（{reason}）",
    ),
    ProblemType(
        "FILE_ZIP_BOMB",
        _E,
        "文件解压后体积异常巨大（疑似压缩炸弹）。",
        "为保护汇总电脑未读取该文件；请评价部门在下发的评价表中重新填写后发送。",
        "解压后共 {unzipped_mb} MB，超过上限 {limit_mb} MB",
    ),
    ProblemType(
        "FILE_ZIP_ENTRIES",
        _E,
        "文件内部的条目数异常多（疑似压缩炸弹）。",
        "为保护汇总电脑未读取该文件；请评价部门在下发的评价表中重新填写后发送。",
        "压缩包内有 {entries} 个条目，超过上限 {limit}",
    ),
    ProblemType(
        "FILE_ZIP_RATIO",
        _E,
        "文件内部某条目的压缩比异常（疑似压缩炸弹）。",
        "为保护汇总电脑未读取该文件；请评价部门在下发的评价表中重新填写后发送。",
        "条目 {part} 的压缩比异常（{ratio} 倍）",
    ),
    ProblemType(
        "FILE_XML_UNSAFE",
        _E,
        "文件内部 XML 含有实体定义等不安全结构。",
        "为安全起见未读取；请评价部门在下发的评价表中重新填写后发送。",
        "文件内部 XML 含有 DTD 或实体定义",
    ),
    ProblemType(
        "FILE_SHEET_TOO_BIG",
        _E,
        "工作表的使用范围远超评价表应有的大小。",
        "请删除表格下方或右侧多余的内容（整行整列删除）后保存，或在下发的评价表中重新填写。",
        "工作表“{sheet}”的使用范围达到 {rows} 行 × {cols} 列，超过上限（{max_cols} 列、共 {max_cells} 个单元格）",
    ),
    ProblemType(
        "KEY_PROBABLY_WRONG",
        _E,
        "大多数评价表的签名不符，而它们的标识表写的是本年度：很可能汇总时用的密钥不是生成评价表时的密钥。",
        "请用生成评价表时的密钥重新汇总（用 --key 指定密钥文件；密钥丢失时可按纸质备份单用 qe key restore 恢复）；在此之前不要使用本次结果。",
        "{total} 份带标识表的评价表中有 {failed} 份签名不符，它们都写明是 {year} 年度：很可能本次使用的密钥（{key}）不是生成这些评价表时的密钥",
    ),
    ProblemType(
        "REPORTS_WITHHELD",
        _W,
        "有被考核单位没有任何有效评分，排名和等级没有意义，因此未生成通报代拟稿、公告名单和各县区反馈意见。",
        "请先补齐评价表（或检查密钥）后重新汇总；汇总表和问题清单照常生成。",
        "{units}没有任何有效评分（共 {count} 个单位），未生成通报代拟稿、公告名单和各县区反馈意见",
    ),
    ProblemType(
        "SUBMISSION_BLANK_COPY",
        _I,
        "回收文件夹中有一份没有填写任何内容的评价表，同一部门填好的评价表也在，空白的一份已放在一边。",
        "无需处理；可把空白副本移出回收文件夹。",
        "{file} 是{evaluator}评价表的空白副本（没有填写任何得分、说明或日期），已采用填好的 {filled}",
    ),
    ProblemType(
        "RUN_FOLDER_SKIPPED",
        _I,
        "回收文件夹中有本工具生成的结果文件夹（含“qe_workbook-结果文件夹.txt”），整个跳过。",
        "无需处理；建议把结果输出到回收文件夹以外（--out）。",
        "{file} 是本工具生成的结果文件夹，已跳过",
    ),
    ProblemType(
        "OUTPUT_INSIDE_RETURNED",
        _W,
        "结果输出位置在回收文件夹之内。",
        "结果文件夹会被自动跳过，不影响汇总；但建议用 --out 把结果放到回收文件夹以外，便于归档和发送。",
        "结果写在回收文件夹之内（{out}）",
    ),
    ProblemType(
        "FILE_NAME_ODD",
        _I,
        "文件名含空格、全角字母或数字、以“~$”开头或过长（全角括号等中文标点不算）。",
        "不影响汇总；建议按“年度_评价表_部门.xlsx”命名，便于归档。",
        "文件名{reasons}（已正常读取）",
    ),
    ProblemType(
        "FILE_NAME_NOT_UTF8",
        _I,
        "文件名不是 UTF-8 编码（多为 Windows 压缩包在其他系统上解压），已按 GBK 解读。",
        "不影响汇总；建议按“年度_评价表_部门.xlsx”命名，便于归档。",
        "文件名不是 UTF-8 编码（多为 Windows 压缩包在其他系统上解压），已按 GBK 解读",
    ),
    ProblemType(
        "INTERNAL_ERROR",
        _E,
        "程序内部错误：不是文件或输入的问题，是本程序的缺陷；出错的对象暂未处理，其余照常进行。",
        "请把结果文件夹中的 error.log 发给技术支持；程序修复后重新运行即可，无需评价部门重新发送。",
        "处理 {target} 时发生程序内部错误（{error}），详细信息已写入 error.log",
    ),
    # manifest and integrity
    ProblemType(
        "FORM_NO_MANIFEST",
        _E,
        "文件中找不到评价表标识（不是本系统下发的评价表）。",
        "请使用市质强办下发的评价表填写，不要新建表格或复制内容到其他文件。",
        "文件中没有评价表标识",
    ),
    ProblemType(
        "FORM_MANIFEST_INVALID",
        _E,
        "评价表标识内容不完整或被修改。",
        "请使用市质强办下发的原始评价表重新填写。",
        "评价表标识缺少必要字段或字段格式不对",
    ),
    ProblemType(
        "FORM_MANIFEST_FORMAT",
        _E,
        "评价表标识的格式无法识别（被修改，或由其他版本的程序生成）。",
        "请使用市质强办下发的原始评价表重新填写。",
        "评价表标识的格式“{format}”无法识别",
    ),
    ProblemType(
        "FORM_SIGNATURE_INVALID",
        _E,
        "评价表的数字签名验证失败（伪造，或用其他密钥生成）。",
        "请确认使用的是市质强办本年度下发的评价表，并核对汇总时使用的密钥是否为生成评价表时的密钥。",
        "评价表（自称“{evaluator}”{year} 年度）的签名与内容不符：可能是伪造的、被改动过，或生成时用的是另一个密钥",
    ),
    ProblemType(
        "FORM_OTHER_YEAR",
        _E,
        "评价表是其他年度的。",
        "请使用市质强办本年度下发的评价表重新填写。",
        "这是 {year} 年度的评价表，当前汇总的是 {rubric_year} 年度",
    ),
    ProblemType(
        "FORM_OLD_RUBRIC",
        _E,
        "评价表是按另一版考核细则生成的（签名有效，但标识表中的细则摘要与现行细则不同），表中的项目与现行细则不一致，未采用。",
        "请让该部门填写按现行考核细则生成的评价表（重新生成后下发），原填写的内容可照抄到新表中。",
        "评价表是按另一版考核细则生成的（生成于 {generated}），与现行细则相比有 {count} 处不同：{changes}",
    ),
    ProblemType(
        "FORM_OLD_TEMPLATE",
        _E,
        "评价表是旧版考核细则生成的。",
        "请使用市质强办本年度最新下发的评价表重新填写。",
        "评价表是用旧版考核细则生成的（与当前细则不同：评价表中为“{found}”，当前细则为“{expected}”）",
    ),
    ProblemType(
        "FORM_UNKNOWN_EVALUATOR",
        _E,
        "评价表所属部门不在当前考核细则的评价部门名录中。",
        "请核对考核细则，或使用市质强办下发给该部门的评价表。",
        "评价表所属部门“{evaluator}”不在当前考核细则中",
    ),
    ProblemType(
        "FORM_SHEET_MISSING",
        _E,
        "工作簿中没有工作表。",
        "请不要删除工作表；请用下发的评价表重新填写。",
        "工作簿中没有任何工作表",
    ),
    ProblemType(
        "FORM_SHEETS_CHANGED",
        _E,
        "工作表被增加、删除、重命名或调换了顺序。",
        "请不要改动工作表；请在下发的评价表中重新填写。",
        "工作表应为“{expected}”，实际为“{found}”",
    ),
    ProblemType(
        "FORM_HEADER_CHANGED",
        _E,
        "表头被修改。",
        "请不要修改表头；请在下发的评价表中重新填写。",
        "表头“{expected}”被改为“{found}”",
    ),
    ProblemType(
        "FORM_LOCKED_CHANGED",
        _E,
        "锁定内容（标题、部门、县区、项目编号、项目文字或满分）被修改。",
        "锁定单元格不能修改；请在下发的评价表中重新填写，只填“实际得分”“评价说明”和“填报日期”。",
        "{label}被改为“{found}”，原为“{expected}”",
    ),
    ProblemType(
        "FORM_ROWS_CHANGED",
        _E,
        "表格的行被增加、删除或调换了顺序。",
        "请不要插入、删除或移动行；请在下发的评价表中重新填写。",
        "第 {row} 行应为“{expected}”，实际为“{found}”（表格共 {rows_found} 行，应为 {rows_expected} 行；"
        "行被插入、删除或调换）",
    ),
    ProblemType(
        "FORM_UNPROTECTED",
        _W,
        "工作表保护被取消。",
        "不影响汇总（内容已通过签名核验）；请今后不要撤销工作表保护。",
        "“{sheet}”工作表的保护已被撤销",
    ),
    ProblemType(
        "FORM_EXTRA_CONTENT",
        _W,
        "在填写区域以外的单元格中写入了内容，这些内容不会被汇总。",
        "如有需要说明的情况，请写在对应项目的“评价说明”栏中。",
        "填写区域以外的 {count} 个单元格中有内容（{cells}），不会被汇总",
    ),
    # values
    ProblemType(
        "VALUE_NOT_NUMBER",
        _E,
        "“实际得分”不是数字。",
        "请只填写数字，例如 4.5；不要写“分”等文字。",
        "{unit}第{number}项（{item}）的“实际得分”填的是“{value}”，不是数字",
    ),
    ProblemType(
        "VALUE_FULL_MARKS_WORD",
        _E,
        "“实际得分”写的是“满分”等文字。",
        "满分请直接填写该项目的满分数字（见“满分”栏）。",
        "{unit}第{number}项（{item}）的“实际得分”填的是“{value}”，不是数字（满分为 {max}）",
    ),
    ProblemType(
        "VALUE_IS_DATE",
        _E,
        "“实际得分”被识别成了日期或时间。",
        "请把该单元格格式设为“常规”后重新输入数字，例如 4.5。",
        "{unit}第{number}项（{item}）的“实际得分”被识别成了日期或时间（{value}）",
    ),
    ProblemType(
        "VALUE_BELOW_ZERO",
        _E,
        "“实际得分”小于 0。",
        "得分应在 0 到满分之间，请更正。",
        "{unit}第{number}项（{item}）的“实际得分”为 {value}",
    ),
    ProblemType(
        "VALUE_ABOVE_MAX",
        _E,
        "“实际得分”超过该项目满分。",
        "得分应在 0 到满分之间，请更正。",
        "{unit}第{number}项（{item}）的“实际得分”为 {value}，超过满分 {max}",
    ),
    ProblemType(
        "VALUE_TOO_PRECISE",
        _E,
        "“实际得分”的小数超过两位。",
        "请保留至多两位小数，例如 4.25。",
        "{unit}第{number}项（{item}）的“实际得分”为 {value}，小数超过两位",
    ),
    ProblemType(
        "VALUE_FORMULA",
        _E,
        "“实际得分”中是公式而不是数值。",
        "请直接输入数字或文字，不要使用公式。",
        "{unit}第{number}项（{item}）的“实际得分”是公式（计算结果为 {result}）",
    ),
    ProblemType(
        "VALUE_REMARK_FORMULA",
        _E,
        "“评价说明”中是公式而不是文字，未采用。",
        "请直接输入文字，不要使用公式。",
        "{unit}第{number}项（{item}）的“评价说明”是公式，未采用",
    ),
    ProblemType(
        "VALUE_EVENTS_NOT_WHOLE",
        _E,
        "扣分项应填写事件次数（0 或正整数）。",
        "请填写发生的事件次数，例如 0 或 1，不要填写扣分值或小数。",
        "{unit}第{number}项（{item}）是扣分项，填的 {value} 不是整数次数",
    ),
    ProblemType(
        "VALUE_EVENTS_NOT_NUMBER",
        _E,
        "扣分项应填写事件次数，填的不是数字。",
        "请填写发生的事件次数（0 或正整数，例如 0、1、2）；没有发生就填 0，不要写“次”“无”等文字。",
        "{unit}第{number}项（{item}）是扣分项，填的是“{value}”，不是事件次数",
    ),
    ProblemType(
        "VALUE_EVENTS_BELOW_ZERO",
        _E,
        "扣分项的事件次数小于 0。",
        "请填写发生的事件次数（0 或正整数，例如 0、1、2），不要填写负的扣分值；扣分由汇总时按细则计算。",
        "{unit}第{number}项（{item}）是扣分项，填的是 {value}",
    ),
    ProblemType(
        "VALUE_VETO_INVALID",
        _E,
        "否决项只能填“是”或“否”。",
        "否决项请只填“是”（发生否决情形）或“否”，不要填分数、次数或“无”；可在下拉列表中选择。",
        "{unit}第{number}项（{item}）填的是“{value}”",
    ),
    ProblemType(
        "VALUE_EMPTY",
        _E,
        "“实际得分”未填写。",
        "请填写该项目的得分（未发生事件的扣分项填 0，否决项选“否”）。",
        "{unit}第{number}项（{item}）的“实际得分”未填写",
    ),
    ProblemType(
        "VALUE_REMARK_MISSING",
        _W,
        "有失分但“评价说明”未填写。",
        "附件6要求“评价说明”客观说明优势不足和改进建议，请补充失分原因。",
        "{unit}第{number}项（{item}）得分 {value} 低于满分 {max}，但“评价说明”未填写",
    ),
    ProblemType(
        "VALUE_REMARK_MISSING_EVENTS",
        _W,
        "扣分项填报了事件但“评价说明”未填写。",
        "请在“评价说明”中写明扣分事件（时间、事由、依据）。",
        "{unit}第{number}项（{item}）填报发生 {value} 次事件，但“评价说明”未填写",
    ),
    ProblemType(
        "VALUE_REMARK_MISSING_VETO",
        _W,
        "否决项填报发生否决事件但“评价说明”未填写。",
        "请在“评价说明”中写明否决事件（时间、事由、依据）。",
        "{unit}第{number}项（{item}）填报发生否决事件，但“评价说明”未填写",
    ),
    ProblemType(
        "VALUE_REMARK_TOO_LONG",
        _W,
        "“评价说明”超过 500 字，汇总时已截断。",
        "请精简到 500 字以内，详细材料可另附。",
        "{unit}第{number}项（{item}）的“评价说明”有 {length} 字，只保留前 {limit} 字",
    ),
    ProblemType(
        "VALUE_REMARK_CONTROL_CHARS",
        _W,
        "“评价说明”含有不可见的控制字符，汇总时已删除。",
        "一般是从其他系统复制粘贴带来的，无需处理；如需保留格式请重新输入。",
        "{unit}第{number}项（{item}）的“评价说明”含 {count} 个控制字符",
    ),
    ProblemType(
        "VALUE_DATE_MISSING",
        _W,
        "未填写填报日期。",
        "请在“填报日期”单元格填写日期，例如 2023-04-20。",
        "“填报日期”未填写",
    ),
    ProblemType(
        "VALUE_DATE_INVALID",
        _W,
        "填报日期无法识别。",
        "请按“2023-04-20”的格式填写日期。",
        "“填报日期”填的是“{value}”，无法识别为日期",
    ),
    ProblemType(
        "VALUE_DATE_FORMULA",
        _W,
        "填报日期是公式。",
        "请直接填写日期，例如 2023-04-20，不要使用公式。",
        "“填报日期”是公式",
    ),
    ProblemType(
        "VALUE_DATE_BEFORE_ISSUE",
        _W,
        "填报日期早于评价表的生成日期，不可能是真实的填报日期。",
        "请该部门核对并更正“填报日期”（多为年份写错）。",
        "填报日期 {date} 早于该评价表的生成日期 {issued}",
    ),
    ProblemType(
        "VALUE_DATE_LATE",
        _W,
        "填报日期晚于评价表回收截止日期。",
        "请市质强办确认是否采用逾期评价表。",
        "填报日期 {date} 晚于回收截止日期 {deadline}",
    ),
    # submissions
    ProblemType(
        "SUBMISSION_DUPLICATE",
        _E,
        "同一评价部门交来了内容不同的多份评价表，均未采用。",
        "请与该部门确认以哪一份为准，把其他文件移出回收文件夹；或使用 --prefer newest 采用填报日期最新的一份。",
        "{evaluator}交来 {count} 份内容不同的评价表：{files}",
    ),
    ProblemType(
        "SUBMISSION_NEWEST_UNDECIDED",
        _E,
        "同一评价部门交来了内容不同的多份评价表，填报日期相同或缺失，无法按 --prefer newest 选出一份，均未采用。",
        "请与该部门确认以哪一份为准，把其他文件移出回收文件夹。",
        "{evaluator}交来 {count} 份内容不同的评价表：{files}（填报日期相同或缺失，无法按 --prefer newest 选出最新的一份）",
    ),
    ProblemType(
        "SUBMISSION_DUPLICATE_IDENTICAL",
        _I,
        "同一评价部门交来了内容完全相同的多份文件，只采用一份。",
        "无需处理；可删除重复文件。",
        "{evaluator}的 {file} 与 {kept} 内容相同，只采用后者",
    ),
    ProblemType(
        "SUBMISSION_SUPERSEDED",
        _W,
        "同一评价部门有多份评价表，按 --prefer newest 采用了填报日期最新的一份。",
        "请确认采用的是该部门的最终版本。",
        "{evaluator}交来 {count} 份评价表（{files}），采用填报日期最新（{date}）的 {kept}",
    ),
    ProblemType(
        "FORM_GENERATION_SUPERSEDED",
        _W,
        "评价表是旧一次生成的版本，同一部门按新版填写的评价表也已交回，采用新版。",
        "无需处理；如该部门的最终意见写在旧版中，请让其改填新版后重新交回。",
        "{file} 是第 {old} 次生成（{old_at}）的旧版评价表；{evaluator}按第 {new} 次生成（{new_at}）的新版填写的 {new_file} 也已交回，采用新版",
    ),
    ProblemType(
        "FORM_GENERATION_OLD",
        _W,
        "评价表是旧一次生成的版本，此后已重新生成并下发新版，新版尚未交回；暂按旧版汇总。",
        "请确认该部门是否应改填新版评价表；收到新版后重新汇总，会自动采用新版。",
        "{file} 是第 {old} 次生成（{old_at}）的旧版评价表；此后已于 {new_at} 重新生成（第 {new} 次，{evaluator}的新版文件为 {new_file}），新版尚未交回，暂按旧版汇总",
    ),
    ProblemType(
        "CORRECTION_APPLIED",
        _I,
        "收到并采用了评价部门的更正表：更正表中各单位的项目采用更正后的值，其他单位仍按原评价表。",
        "无需处理；更正前后的差别可用 qe diff 比较两次汇总结果。",
        "{file} 是{evaluator}的更正表：{units}的 {count} 项采用更正表的值，替换原评价表 {original} 中这些单位的值，其他单位仍按原评价表",
    ),
    ProblemType(
        "CORRECTION_WITHOUT_ORIGINAL",
        _W,
        "收到评价部门的更正表，但没有采用该部门的原评价表。",
        "更正表中的单位已按更正表计分；请催收该部门的原评价表（或查明原评价表未被采用的原因），收到后重新汇总。",
        "{file} 是{evaluator}对{units}的更正表，但没有采用{evaluator}的原评价表：这些单位按更正表计分，其他单位缺少{evaluator}的评分",
    ),
    ProblemType(
        "CORRECTION_SUPERSEDED",
        _W,
        "同一部门、同一单位有两份更正表，采用生成时间较晚的一份。",
        "无需处理；如该部门的最终意见写在较早的更正表中，请让其改填较晚的更正表后重新交回。",
        "{file} 是{evaluator}较早的更正表，{units}已由更晚生成的更正表 {newer} 更正，采用较晚的一份",
    ),
    ProblemType(
        "CORRECTION_UNKNOWN",
        _E,
        "生成更正表时指定的评价部门或被考核单位不在考核细则中。",
        "请按 qe rubric show 列出的名称指定评价部门和被考核单位。",
        "考核细则中没有 {names}，未生成更正表",
    ),
    ProblemType(
        "CORRECTION_NO_ITEMS",
        _E,
        "该评价部门没有评价项目，不需要更正表。",
        "请确认评价部门的名称。",
        "{evaluator}没有评价项目，未生成更正表",
    ),
    ProblemType(
        "CORRECTION_NO_REFERENCE",
        _I,
        "没有可用的汇总结果，更正表中“现采用值”一栏空着。",
        "需要列出现采用值时，先运行 qe collect，或用 --from 指定一次汇总结果。",
        "没有指定汇总结果，更正表中“现采用值”一栏为“（无）”",
    ),
    ProblemType(
        "REGISTER_UNREADABLE",
        _W,
        "评价表生成登记文件无法读取或已损坏。",
        "请从备份恢复该文件；恢复之前汇总无法识别旧版评价表，qe generate 也不会改写它。",
        "评价表生成登记文件 {file} 无法读取或已损坏",
    ),
    ProblemType(
        "FORMS_FOLDER_OCCUPIED",
        _E,
        "输出文件夹中已有评价表，重新生成会覆盖它们，因此未生成。",
        "重新下发新版时请用 --out 指定一个新的文件夹（例如 out/forms-2）；每次生成都记入评价表生成登记，汇总时自动识别旧版。如确要替换，请先把旧文件夹改名或移走。",
        "{file} 中已有评价表或发放清单（{count} 个 .xlsx 文件），未覆盖",
    ),
    ProblemType(
        "SUBMISSION_MISSING",
        _E,
        "尚未收到该评价部门的评价表。",
        "请按“报送情况”表中的电话和邮箱催收。",
        "尚未收到{evaluator}的评价表（电话 {phone}，邮箱 {email}）",
    ),
    ProblemType(
        "SUBMISSION_REJECTED",
        _E,
        "该评价部门的评价表因错误未被采用。",
        "请按问题清单中该文件的错误说明，请评价部门修改后重新发送。",
        "{evaluator}的评价表（{files}）未被采用（电话 {phone}，邮箱 {email}）",
    ),
    # receipts: when, how and from whom each file arrived (收件记录.json, 收件登记.xlsx)
    ProblemType(
        "RECEIPT_RECORD_UNREADABLE",
        _E,
        "收件记录或收件登记表无法读取，其中的收到时间未被使用。",
        "请检查文件是否完整；收件记录.json 由 qe mail fetch 生成，请不要手工修改，损坏时可重新收取邮件。",
        "无法读取：{reason}",
    ),
    ProblemType(
        "RECEIPT_COLUMNS_MISSING",
        _E,
        "收件登记表缺少必需的列，其中的收到时间未被使用。",
        "请用 qe receipts template 生成的收件登记表，保留表头各列。",
        "收件登记表缺少列：{columns}",
    ),
    ProblemType(
        "RECEIPT_NAME_UNKNOWN",
        _W,
        "收件登记表中的“文件名或报送单位”既不是文件名，也不是考核细则中的部门或县区。",
        "请填写收到的文件名（含扩展名，如 市甲局评价表.xlsx），或考核细则中的部门、县区名称。",
        "“文件名或报送单位”填的是“{value}”，不是文件名，也不是已知的部门或县区",
    ),
    ProblemType(
        "RECEIPT_DATE_INVALID",
        _E,
        "收件登记表中的收到时间无法使用，该行未被采用。",
        "请按北京时间填写收到时间，例如 2023-04-28 15:30（只知道日期时填 2023-04-28）。",
        "收到时间“{value}”{reason}",
    ),
    ProblemType(
        "RECEIPT_CHANNEL_UNKNOWN",
        _W,
        "收件登记表中的渠道不是常用渠道，已记为“其他”。",
        "请从下拉列表中选择渠道。",
        "渠道“{value}”不在可选渠道（{channels}）之中",
    ),
    ProblemType(
        "RECEIPT_MATERIAL_UNKNOWN",
        _I,
        "收件登记表中的材料类别不是常用类别（已照录）。",
        "请从下拉列表中选择材料类别。",
        "材料“{value}”不在常用类别（{materials}）之中",
    ),
    ProblemType(
        "RECEIPT_FORM_LATE",
        _W,
        "评价表的收到时间晚于回收截止日期（仍采用，否则各县区该部门的项目都将无分）。",
        "请市质强办确认是否采用，并提醒该部门今后按时报送。",
        "{who}的{material}于 {received}（{channel}）收到，晚于截止日期 {deadline}",
    ),
    ProblemType(
        "RECEIPT_MATERIAL_LATE",
        _E,
        "县区材料的收到时间晚于报送截止日期，按方案“逾期报送的，将不予采用”。",
        "如确有特殊情况，请市质强办研究决定后在收件登记表的备注中写明依据。",
        "{who}的{material}于 {received}（{channel}）收到，晚于截止日期 {deadline}，不予采用",
    ),
    ProblemType(
        "RECEIPT_NOT_FOUND",
        _I,
        "有收件记录，但其中找不到这个文件，无法按收到时间判断是否逾期。",
        "如是通过微信、U盘、OA或现场收到的，请在收件登记表中补登一行。",
        "收件记录中没有 {name} 的收到时间",
    ),
    # the mailbox (qe mail fetch, qe mail chase)
    ProblemType(
        "MAIL_INSECURE",
        _W,
        "与邮件服务器的连接没有加密，密码和邮件可能被他人截获。",
        "请改用 --security ssl 或 starttls；不加密（none）只适用于本机上的服务器。",
        "与 {host} 的连接没有加密",
    ),
    ProblemType(
        "MAIL_CONNECT_FAILED",
        _E,
        "无法连接邮件服务器。",
        "请核对服务器地址、端口和加密方式（见 README“邮箱设置”），并检查网络。",
        "无法连接 {host}（端口 {port}）：{reason}",
    ),
    ProblemType(
        "MAIL_LOGIN_FAILED",
        _E,
        "邮箱登录失败（用户名或密码错误，或未开启 IMAP/SMTP 服务）。",
        "126、163、QQ 等邮箱须先在网页版“设置”中开启 IMAP/SMTP 服务，并使用生成的“授权码”代替登录密码（见 README）。",
        "以 {user} 登录 {host} 失败",
    ),
    ProblemType(
        "MAIL_CONNECTION_LOST",
        _E,
        "收取过程中与邮件服务器的连接中断。",
        "已保存的邮件不会丢失，也不会重复保存；网络恢复后再次运行同一命令即可从中断处继续。",
        "与 {host} 的连接在收取过程中中断（已完成 {done} 封，{reason}）",
    ),
    ProblemType(
        "MAIL_SAVE_FAILED",
        _E,
        "附件或收件记录无法写入输出文件夹，收取已停止。",
        "请检查磁盘空间和文件夹权限后再次运行同一命令；已记录的邮件不会重复保存。",
        "无法写入 {folder}：{reason}",
    ),
    ProblemType(
        "MAIL_SERVER_REFUSED",
        _E,
        "邮件服务器拒绝了请求。",
        "请稍后重试；如反复出现，请联系邮箱服务商或信息中心。",
        "{host} 拒绝了请求：{reason}",
    ),
    ProblemType(
        "MAIL_FOLDER_MISSING",
        _E,
        "邮箱中没有指定的文件夹。",
        "请用 --folder 指定邮箱中实际存在的文件夹名称（收件箱为 INBOX）。",
        "邮箱中没有文件夹“{folder}”",
    ),
    ProblemType(
        "MAIL_MESSAGE_TOO_LARGE",
        _W,
        "邮件过大，未下载。",
        "请在网页版邮箱中查看该邮件，手工下载附件后放入回收文件夹，并在收件登记表中登记。",
        "{received} 收到的一封邮件（UID {uid}）大小 {size} MB，超过上限 {limit} MB，未下载",
    ),
    ProblemType(
        "MAIL_ATTACHMENT_TOO_LARGE",
        _W,
        "附件过大，未保存。",
        "请在网页版邮箱中核实该附件；评价表正常只有几十 KB，如确需采用请手工下载并登记。",
        "{who}于 {received} 发来的“{subject}”中，附件“{file_name}”大小 {size} MB，超过上限 {limit} MB，未保存",
    ),
    ProblemType(
        "MAIL_NO_ATTACHMENT",
        _W,
        "邮件没有附件（例如只回复了“已报送”）。",
        "请核实对方是否漏发附件；如需要，请对方重新发送带附件的邮件。",
        "{who}于 {received} 发来的“{subject}”没有附件（正文：{text}）",
    ),
    ProblemType(
        "MAIL_CLOUD_ATTACHMENT",
        _W,
        "邮件使用了“超大附件”等下载链接，附件不在邮件中。",
        "请在网页版邮箱中打开该邮件下载附件（链接有有效期），放入回收文件夹，并在收件登记表中登记。",
        "{who}于 {received} 发来的“{subject}”含有超大附件下载链接",
    ),
    ProblemType(
        "MAIL_MALFORMED",
        _W,
        "邮件格式有误，内容可能不完整。",
        "请在网页版邮箱中核对该邮件；如附件无法打开，请对方重新发送。",
        "{who}于 {received} 发来的“{subject}”：{detail}",
    ),
    ProblemType(
        "MAIL_ARCHIVE_UNSAFE",
        _E,
        "压缩包或其中的文件不安全或无法解压，未保存。",
        "请对方直接发送文件本身（不压缩），或重新压缩为普通 zip（不设密码、不嵌套）后发送。",
        "{who}于 {received} 发来的“{subject}”中，{file_name}：{reason}",
    ),
    ProblemType(
        "MAIL_ARCHIVE_UNSUPPORTED",
        _W,
        "附件是 rar、7z 等压缩格式，未自动解压。",
        "请手工解压后把其中的文件放入回收文件夹（压缩包本身可以删除或移走），或请对方直接发送文件。",
        "{who}于 {received} 发来的“{subject}”中，附件“{file_name}”是未能自动解压的压缩格式",
    ),
    # stages and approval
    ProblemType(
        "APPROVE_STAGE_NOT_LATER",
        _E,
        "要记录的阶段不晚于该次汇总已有的阶段。",
        "阶段只能依次推进（初稿 → 征求意见稿 → 审定稿 → 印发稿）；结果需要改动时请重新汇总，再审定新的结果。",
        "该次汇总已是{current}，不能再记为{stage}",
    ),
    ProblemType(
        "APPROVE_INCOMPLETE",
        _E,
        "结果还有暂定的等级，不能审定。",
        "请补齐缺少的评价表或更正有错误的单元格，重新汇总后再审定。",
        "{units}的结果为暂定，不能记为{stage}",
    ),
    ProblemType(
        "APPROVE_NO_BASIS",
        _E,
        "审定没有写明依据。",
        "请用 --basis 写明依据，例如会议纪要的名称和文号。",
        "记为{stage}须写明依据",
    ),
    ProblemType(
        "RUN_DIFFERS_FROM_APPROVED",
        _W,
        "本次结果与已审定的结果不同。",
        "本次结果及其文件均为初稿，不能代替已审定的结果；如需采用，请按程序重新审定（qe approve）。",
        "本次结果与 {run}（{stage}，{at} 记录）不同：{changes}",
    ),
    ProblemType(
        "RUN_SAME_AS_APPROVED",
        _I,
        "本次结果与已审定的结果一致。",
        "无需处理；本次生成的文件仍标为初稿，正式文件以审定时生成的为准。",
        "本次各单位的总分、等级和排名与 {run}（{stage}，{at} 记录）一致",
    ),
    # the meeting's adjustments (adjustments.xlsx)
    ProblemType(
        "ADJUST_UNREADABLE",
        _E,
        "会议调整表无法读取。",
        "请用 qe adjustments template 生成的表格填写，保存为 .xlsx 后重新运行。",
        "会议调整表无法读取：{reason}",
    ),
    ProblemType(
        "ADJUST_UNKNOWN_UNIT",
        _E,
        "会议调整表中的被考核单位不在考核细则中，该行未采用。",
        "请在下拉列表中选择被考核单位（简称）。",
        "被考核单位“{unit}”不在考核细则中",
    ),
    ProblemType(
        "ADJUST_BAD_KIND",
        _E,
        "会议调整表中的调整类型不对，该行未采用。",
        "调整类型只能是加分、扣分、降级或定级。",
        "调整类型“{kind}”不对",
    ),
    ProblemType(
        "ADJUST_NO_BASIS",
        _E,
        "会议调整没有写明依据，该行未采用。",
        "请在“依据（文号或纪要）”中写明会议纪要或文件的名称、文号。",
        "{unit}的调整没有写明依据",
    ),
    ProblemType(
        "ADJUST_BAD_VALUE",
        _E,
        "会议调整的分值或等级不对，该行未采用。",
        "加分、扣分填大于 0、最多两位小数的分值；定级（或指定降到的等级）填考核细则中的等级，如 B。",
        "{unit}的{kind}填的是“{value}”",
    ),
    # the appeal register (异议登记.xlsx)
    ProblemType(
        "APPEAL_UNREADABLE",
        _E,
        "异议登记表无法读取。",
        "请用 qe appeals template 生成的表格登记，保存为 .xlsx 后重新运行。",
        "异议登记表无法读取：{reason}",
    ),
    ProblemType(
        "APPEAL_UNKNOWN",
        _E,
        "异议登记中的被考核单位或项目编号不在考核细则中，该行未采用。",
        "请在下拉列表中选择被考核单位，并填写得分核对单上的项目编号。",
        "被考核单位“{unit}”或项目编号“{item}”不在考核细则中",
    ),
    ProblemType(
        "APPEAL_BAD_OUTCOME",
        _E,
        "异议登记中的复核意见不对，该行未采用。",
        "复核意见只能是“维持”或“调整”；尚未复核的留空。",
        "复核意见填的是“{value}”",
    ),
    ProblemType(
        "APPEAL_PENDING",
        _W,
        "有异议尚未复核，结果可能还会变动。",
        "请评价部门复核后在异议登记中填写复核意见和日期；调整得分的，由评价部门报送更正。",
        "{unit}对项目 {item} 的异议尚未复核",
    ),
    # the office's wording of the feedback (反馈修改稿.xlsx)
    ProblemType(
        "FEEDBACK_WORDING_UNREADABLE",
        _E,
        "反馈修改稿无法读取。",
        "请使用 qe feedback export 生成的反馈修改稿，保存为 .xlsx 后重新运行。",
        "反馈修改稿无法读取：{reason}",
    ),
    ProblemType(
        "FEEDBACK_WORDING_UNKNOWN",
        _E,
        "反馈修改稿中的被考核单位或项目编号不在考核细则中，该行未采用。",
        "请不要改动“被考核单位”“项目编号”两列；重新用 qe feedback export 导出并把修改的文字复制过去。",
        "被考核单位“{unit}”或项目编号“{item}”不在考核细则中",
    ),
    ProblemType(
        "FEEDBACK_WORDING_DUPLICATE",
        _E,
        "反馈修改稿中同一县区的同一项目有两行，后一行未采用。",
        "请删除重复的一行，只保留要发出的反馈表述。",
        "{unit}的项目 {item} 在第 {first} 行已经有了，本行未采用",
    ),
    ProblemType(
        "FEEDBACK_WORDING_BAD_SEND",
        _E,
        "“是否反馈”只能选“是”或“否”；填错的项目暂不写入反馈意见。",
        "请在下拉列表中选择“是”或“否”，然后重新生成反馈意见。",
        "{unit}的项目 {item}：“是否反馈”填的是“{value}”，该项目暂不写入反馈意见",
    ),
    ProblemType(
        "FEEDBACK_WORDING_STALE",
        _W,
        "评价部门的评价说明（原文）与反馈修改稿中的原文不同：修改稿是按另一次结果导出的。反馈意见仍用修改稿中的反馈表述。",
        "请用 qe feedback export 结果文件夹 --from 本修改稿 重新导出，核对标为“原文已变”的行。",
        "{unit}的项目 {item}：原文已变，请核对反馈表述",
    ),
    ProblemType(
        "FEEDBACK_WORDING_NO_ROW",
        _W,
        "反馈修改稿中没有这个失分（扣分、加分、否决）项目，反馈意见中用评价部门的原文。",
        "请用 qe feedback export 结果文件夹 --from 本修改稿 重新导出，为新增的项目填写反馈表述。",
        "反馈修改稿中没有{unit}的项目 {item}，反馈意见中用原文",
    ),
    ProblemType(
        "FEEDBACK_WORDING_NOT_NOTED",
        _I,
        "反馈修改稿中的这个项目在本次结果中已不再失分（扣分、加分、否决），不写入反馈意见。",
        "无需处理。",
        "{unit}的项目 {item} 本次已不再失分，该行未使用",
    ),
    ProblemType(
        "FEEDBACK_WORDING_CHANGED",
        _W,
        "重新导出的反馈修改稿中有原文已变的行：保留了市质强办的反馈表述，请逐行核对。",
        "在反馈修改稿中按“核对”一栏筛选“原文已变”的行，核对反馈表述后保存。",
        "共 {count} 行原文已变，已保留原来的反馈表述，请核对",
    ),
    # the units' rectification ledgers (整改台账)
    ProblemType(
        "RECTIFY_NOT_LEDGER",
        _W,
        "文件不是本工具生成的整改台账，未读取。",
        "请确认报送单位交回的是下发的整改台账（.xlsx）；其他文件不必放在台账文件夹中。",
        "不是整改台账",
    ),
    ProblemType(
        "RECTIFY_OTHER_YEAR",
        _E,
        "整改台账不是本年度考核的（或其中的被考核单位不在考核细则中），未采用。",
        "请确认使用的是本年度的考核细则，或请报送单位交回本年度下发的整改台账。",
        "整改台账属于 {year} 年度考核，本次为 {rubric_year} 年度",
    ),
    ProblemType(
        "RECTIFY_SIGNATURE_INVALID",
        _E,
        "整改台账的签名不符：锁定的内容被改动，或不是用本密钥生成的，未采用。",
        "请报送单位在下发的原表中重新填写后交回；如密钥不对，请用生成台账时的密钥。",
        "{unit}的整改台账签名不符，锁定内容被改动或密钥不对",
    ),
    ProblemType(
        "RECTIFY_LOCKED_CHANGED",
        _E,
        "整改台账中锁定的内容（标题、表头、反馈的问题）被改动，台账未采用。",
        "请报送单位在下发的原表中只填写浅黄色单元格，重新交回。",
        "锁定内容被改动：现为“{found}”，下发时为“{expected}”",
    ),
    ProblemType(
        "RECTIFY_BAD_DATE",
        _E,
        "完成时限不是日期。",
        "请填写日期，例如 2023-06-30。",
        "{unit}的项目 {item}：完成时限“{value}”不是日期",
    ),
    ProblemType(
        "RECTIFY_BAD_STATUS",
        _E,
        "进展只能是未开始、推进中或已完成。",
        "请在下拉列表中选择未开始、推进中或已完成。",
        "{unit}的项目 {item}：进展“{value}”不是未开始、推进中或已完成",
    ),
    ProblemType(
        "RECTIFY_ROW_INCOMPLETE",
        _W,
        "整改台账中有未填写的内容。",
        "请报送单位补充填写后再次报送。",
        "{unit}的项目 {item}：{columns}未填写",
    ),
    ProblemType(
        "RECTIFY_OVERDUE",
        _W,
        "问题已过完成时限，但进展不是“已完成”。",
        "请督促该单位按时整改，或核实进展后请其更新台账。",
        "{unit}的项目 {item}：完成时限 {due} 已过（截至 {today}），进展为{status}",
    ),
    ProblemType(
        "RECTIFY_DUPLICATE",
        _E,
        "同一单位交回了内容不同的几份整改台账，都未采用。",
        "请与该单位确认以哪一份为准，把其余的移出台账文件夹后重新汇总。",
        "{unit}交回了 {count} 份内容不同的整改台账：{files}",
    ),
    ProblemType(
        "RECTIFY_MISSING",
        _W,
        "该单位的整改台账尚未交回。",
        "请催报；该单位没有需要整改的问题的，可不处理。",
        "{unit}的整改台账未交回",
    ),
    ProblemType(
        "RECTIFY_PREVIOUS_UNREADABLE",
        _W,
        "找不到或无法读取上年的整改台账汇总，反馈意见中不写上年问题的整改情况。",
        "请先对上年的结果运行 qe rectify collect，或用 --previous-ledger 指定上年的 整改台账.json。",
        "上年的整改台账汇总无法使用：{reason}",
    ),
    ProblemType(
        "RECTIFY_PREVIOUS_NONE",
        _I,
        "上年的结果文件夹中没有整改台账汇总，反馈意见中不写上年问题的整改情况。",
        "如需写入，请先对上年的结果运行 qe rectify collect，或用 --previous-ledger 指定上年的 整改台账.json。",
        "上年的结果文件夹中没有整改台账汇总",
    ),
    # the archive
    ProblemType(
        "ARCHIVE_NOT_APPROVED",
        _E,
        "只有审定（或印发）的汇总结果才能归档。",
        "请先用 qe approve 记录审定稿，再归档。",
        "该次汇总尚未审定",
    ),
    ProblemType(
        "ARCHIVE_RUN_CHANGED",
        _E,
        "结果文件夹中的文件在审定后被改动，与审定时的指纹不符。",
        "请查明改动原因；不要手工修改结果文件夹，需要改动时重新汇总并重新审定。",
        "结果文件夹的内容与 {at} 记录{stage}时的指纹不符",
    ),
    ProblemType(
        "ARCHIVE_OUT_NOT_EMPTY",
        _E,
        "归档位置已有文件，为避免覆盖未归档。",
        "请用 --out 指定一个新的（或空的）文件夹。",
        "归档文件夹已存在且不是空的",
    ),
    ProblemType(
        "ARCHIVE_INPUT_MISSING",
        _E,
        "找不到该次汇总读取过的回收文件。",
        "请用 --returned 指定汇总时的回收文件夹，并确认其中的文件未被移走。",
        "回收文件夹 {folder} 中没有该文件",
    ),
    ProblemType(
        "ARCHIVE_INPUT_CHANGED",
        _E,
        "回收文件在汇总后被改动，与汇总时的校验值不符。",
        "归档须保存收到时的原件；请找回原件（例如从邮件或收件记录中）放回回收文件夹。",
        "该文件的内容与汇总时不同",
    ),
    ProblemType(
        "ARCHIVE_NO_PDF",
        _W,
        "本机未安装 LibreOffice，汇总表和文件没有转换为 PDF。",
        "请在安装了 LibreOffice 的电脑上重新归档，或手工另存为 PDF 后补入档案。",
        "{count} 个文件未转换为 PDF",
    ),
    ProblemType(
        "ARCHIVE_PDF_FAILED",
        _W,
        "LibreOffice 未能把该文件转换为 PDF。",
        "请用 Excel、WPS 或 Word 打开该文件另存为 PDF 后补入档案。",
        "转换为 PDF 未成功",
    ),
    ProblemType(
        "ARCHIVE_NO_SUMS",
        _E,
        "文件夹中没有 SHA256SUMS.txt，不是 qe archive 生成的档案。",
        "请指定 qe archive 生成的档案文件夹。",
        "没有 SHA256SUMS.txt",
    ),
    ProblemType(
        "ARCHIVE_SUMS_LINE",
        _E,
        "SHA256SUMS.txt 中有一行格式不对。",
        "SHA256SUMS.txt 不应手工修改；请从备份中取回原文件。",
        "第 {line} 行格式不对",
    ),
    ProblemType(
        "ARCHIVE_FILE_MISSING",
        _E,
        "档案中缺少 SHA256SUMS.txt 列出的文件。",
        "请从备份中取回该文件。",
        "档案中缺少该文件",
    ),
    ProblemType(
        "ARCHIVE_FILE_CHANGED",
        _E,
        "档案中的文件与归档时的校验值不符（已被改动或损坏）。",
        "请从备份中取回原文件；档案中的文件不得修改。",
        "该文件与归档时不同",
    ),
    ProblemType(
        "ARCHIVE_FILE_EXTRA",
        _W,
        "档案中有 SHA256SUMS.txt 未列出的文件（归档后加入）。",
        "请查明来源；归档后不应再加入文件。",
        "该文件不在归档清单中",
    ),
    ProblemType(
        "MAIL_SEND_FAILED",
        _E,
        "催报邮件发送失败。",
        "请核对收件地址；发送记录见“发送记录.csv”，可用邮件程序打开对应的 .eml 草稿手工发送。",
        "发给{evaluator}（{address}）的邮件发送失败（{reason}）",
    ),
    ProblemType(
        "CHASE_RUN_INVALID",
        _E,
        "指定的文件夹不是 qe collect 的汇总结果（缺少 audit.json 或 problems.json）。",
        "请指定 qe collect 生成的结果文件夹，例如 out/results/20230501-093000。",
        "{run} 不是完整的汇总结果文件夹",
    ),
    ProblemType(
        "CHASE_FORM_MISSING",
        _W,
        "找不到需要随催报邮件附上的空白表或模板，邮件未附该文件。",
        "请用 --forms 指定 qe generate 生成评价表的文件夹（默认 out/forms），或用 --packages 指定 qe units generate 生成材料包的文件夹（默认 out/units）。",
        "找不到{evaluator}的空白表 {path}",
    ),
    ProblemType(
        "CHASE_NO_ADDRESS",
        _W,
        "考核细则中没有该部门的电子邮箱，催报邮件没有收件人，不会自动发送。",
        "请在考核细则中补充该部门的邮箱，或打开草稿手工填写收件人后发送。",
        "{evaluator}没有电子邮箱",
    ),
    ProblemType(
        "REPORT_RUN_INVALID",
        _E,
        "指定的文件夹不是完整的汇总结果（缺少 results.json 或 detail.json）。",
        "请指定 qe collect 生成的结果文件夹，例如 out/results/20230501-093000。",
        "{file} 不是完整的汇总结果文件夹",
    ),
    ProblemType(
        "REPORT_RUBRIC_MISMATCH",
        _E,
        "汇总结果不是用当前考核细则计算的。",
        "请用汇总时的那份 rubric.json（--rubric 指定），或用当前细则重新运行 qe collect。",
        "{file} 是用另一份考核细则汇总的",
    ),
    ProblemType(
        "UNIT_INCOMPLETE",
        _W,
        "该县区有项目尚无有效得分，总分和等级为暂定。",
        "请补齐缺少的评价表或更正有错误的单元格后重新汇总。",
        "{unit}有 {count} 个项目缺少有效得分：{gaps}；总分和等级为暂定",
    ),
    # the units' materials (自评报告、联系人员名单) and evidence (印证材料)
    ProblemType(
        "UNIT_REPORT_MISSING",
        _E,
        "尚未收到该县区的自评报告（.docx）。",
        "请按联系人员名单催报；逾期报送的不予采用。",
        "尚未收到{unit}的自评报告",
    ),
    ProblemType(
        "UNIT_REPORT_FORMAT",
        _E,
        "自评报告不是 Word 文档（.docx），无法统计字数和检查结构。",
        "请县区用 Word 或 WPS 打开后“另存为”Word 文档（.docx）再报送；PDF、图片只能作为盖章件的扫描件，另需报送 .docx 电子版。",
        "{unit}的自评报告是{kind}",
    ),
    ProblemType(
        "UNIT_REPORT_UNREADABLE",
        _E,
        "自评报告无法按 Word 文档读取。",
        "请县区用 Word 或 WPS 打开确认文件完好，另存为 .docx 后重新报送。",
        "{unit}的自评报告无法读取：{reason}",
    ),
    ProblemType(
        "UNIT_REPORT_TOO_LONG",
        _E,
        "自评报告正文超过规定字数（不含典型案例）。",
        "请县区精简正文后重新报送。字数按每个汉字和全角标点计 1、每段连续的字母或数字计 1 统计（不含【】提示和附件典型案例），与 Word/WPS 显示的“字数”基本一致。",
        "{unit}的自评报告正文共 {chars} 字（不含典型案例），超过 {limit} 字的上限",
    ),
    ProblemType(
        "UNIT_REPORT_SECTION_MISSING",
        _E,
        "自评报告缺少附件2规定的部分（按标题查找）。",
        "请县区按自评报告模板补齐该部分，并保留“一、”“二、”等标题原文。",
        "{unit}的自评报告缺少“{sections}”部分",
    ),
    ProblemType(
        "UNIT_REPORT_TOO_MANY_CASES",
        _E,
        "自评报告所附典型案例超过规定个数。",
        "请县区保留最有代表性的案例，删去多余的后重新报送。",
        "{unit}的自评报告附有 {cases} 个典型案例，超过 {limit} 个",
    ),
    ProblemType(
        "UNIT_REPORT_HINT_LEFT",
        _W,
        "自评报告中还留有模板的【】提示文字。",
        "请县区删除【】中的提示文字后重新报送（提示文字不计入字数）。",
        "{unit}的自评报告中还有 {count} 处模板提示文字",
    ),
    ProblemType(
        "UNIT_MATERIAL_DUPLICATE",
        _W,
        "同一县区的同一材料收到了不止一份。",
        "请向县区确认以哪一份为准，把其他的移出收件文件夹后重新检查。",
        "{unit}的{material}收到 {count} 份：{files}",
    ),
    ProblemType(
        "UNIT_CONTACTS_MISSING",
        _E,
        "尚未收到该县区的联系人员名单。",
        "请催报；应使用下发的“联系人员名单.xlsx”填写后报送。",
        "尚未收到{unit}的联系人员名单",
    ),
    ProblemType(
        "UNIT_CONTACTS_FORMAT_FILE",
        _E,
        "联系人员名单不是 .xlsx 工作簿。",
        "请县区在下发的“联系人员名单.xlsx”中填写，保存为 .xlsx 格式后重新报送。",
        "{unit}的联系人员名单是{kind}",
    ),
    ProblemType(
        "UNIT_CONTACTS_UNSIGNED",
        _W,
        "联系人员名单不是下发的模板，或模板的锁定内容被改动（已按表头读取）。",
        "今后请使用下发的“联系人员名单.xlsx”；本次已按“姓名”“手机”等表头读取，请核对合并名单。",
        "{unit}的联系人员名单不是下发的模板或已被改动",
    ),
    ProblemType(
        "UNIT_CONTACTS_NO_TABLE",
        _E,
        "联系人员名单中找不到表头（姓名、手机）。",
        "请县区使用下发的“联系人员名单.xlsx”填写后重新报送。",
        "{unit}的联系人员名单中找不到“姓名”“手机”表头",
    ),
    ProblemType(
        "UNIT_CONTACTS_COLUMNS",
        _E,
        "联系人员名单缺少附件3规定的列。",
        "请县区使用下发的“联系人员名单.xlsx”填写后重新报送。",
        "{unit}的联系人员名单缺少“{columns}”列",
    ),
    ProblemType(
        "UNIT_CONTACTS_EMPTY",
        _E,
        "联系人员名单中没有填写任何人员。",
        "请县区至少填写一名联系人后重新报送。",
        "{unit}的联系人员名单中没有人员",
    ),
    ProblemType(
        "UNIT_CONTACTS_BLANK",
        _E,
        "联系人员名单中有人员缺少必填项（姓名、单位、职务、手机）。",
        "请县区补填后重新报送。",
        "{unit}的联系人员名单中“{column}”未填写",
    ),
    ProblemType(
        "UNIT_CONTACTS_FORMAT",
        _E,
        "联系人员名单中的电话或邮箱格式不正确。",
        "请县区按单元格提示改正后重新报送。",
        "{unit}的联系人员名单中{column}“{value}”不正确：{rule}",
    ),
    ProblemType(
        "UNIT_ARRIVAL_UNKNOWN",
        _W,
        "没有收件记录，无法按收到时间判断县区材料是否逾期。",
        "请在收件登记.xlsx 中登记县区材料的收到时间（邮件由 qe mail fetch 自动记录），放进材料文件夹或用 --register 指定，然后重新检查。",
        "材料文件夹中没有收件记录（收件记录.json 或 收件登记.xlsx），无法判断{count}份县区材料是否逾期",
    ),
    ProblemType(
        "UNIT_FILE_UNKNOWN",
        _I,
        "文件既不是自评报告，也不是联系人员名单，或看不出是哪个县区的，未检查。",
        "如果这是某县区的材料，请把县区名称写进文件名（如“舞阳县自评报告.docx”）后重新检查。",
        "{reason}，未检查",
    ),
    ProblemType(
        "MATERIAL_FILE_EMPTY",
        _E,
        "材料文件是空的（0 字节）。",
        "文件可能未保存完整或传输失败，请报送单位重新发送。",
        "文件是空的（0 字节）",
    ),
    ProblemType(
        "MATERIAL_FILE_TOO_LARGE",
        _E,
        "材料文件超过大小上限。",
        "请报送单位压缩图片、拆分文件后重新发送。",
        "文件大小为 {size} MB，超过上限 {limit} MB",
    ),
    ProblemType(
        "MATERIAL_FILE_ENCRYPTED",
        _E,
        "材料文件设置了打开密码，评价部门无法查看。",
        "请报送单位取消打开密码后重新发送（涉密材料按保密规定另行报送）。",
        "文件设置了打开密码",
    ),
    ProblemType(
        "MATERIAL_FILE_UNSAFE",
        _E,
        "材料文件未通过安全检查（损坏、压缩炸弹、含宏或外部链接等），未打开。",
        "请报送单位检查文件后重新发送；不要发送含宏或链接其他文件的文档。",
        "文件未通过安全检查：{reason}",
    ),
    ProblemType(
        "EVIDENCE_ITEM_MISSING",
        _E,
        "需要印证材料的项目没有收到该县区的材料。",
        "请县区按印证材料报送指引补报；逾期报送的不予采用。",
        "{unit}没有报送{evaluator}项目 {item} 的印证材料",
    ),
    ProblemType(
        "EVIDENCE_UNKNOWN_ITEM",
        _E,
        "文件夹名不是考核细则中的项目编号。",
        "请把材料放进以项目编号（如 05-3）命名的文件夹，编号见印证材料报送指引。",
        "文件夹“{folder}”不是考核细则中的项目编号",
    ),
    ProblemType(
        "EVIDENCE_OTHER_EVALUATOR",
        _W,
        "项目不由本部门评价，材料可能发错了部门。",
        "请县区把该项目的材料报送印证材料报送指引中所列的评价部门。",
        "项目 {item} 由{evaluators}评价，不是{evaluator}",
    ),
    ProblemType(
        "EVIDENCE_ARCHIVE",
        _W,
        "收到的是压缩包，其中的材料没有检查。",
        "请把压缩包解压到同一文件夹（保留其中的文件夹结构），然后重新检查；原压缩包可移出。",
        "{unit}报送的压缩包需要先解压",
    ),
    ProblemType(
        "EVIDENCE_OUTSIDE_ITEM",
        _W,
        "文件不在任何项目文件夹中，无法归类。",
        "请把文件放进以项目编号命名的文件夹。",
        "文件不在以项目编号命名的文件夹中",
    ),
    ProblemType(
        "EVIDENCE_UNIT_UNKNOWN",
        _W,
        "看不出文件是哪个县区报送的。",
        "请把材料放在以县区名称命名的文件夹中（如“舞阳县/05-3/…”）。",
        "看不出是哪个县区的材料",
    ),
    ProblemType(
        "EVIDENCE_NO_INDEX",
        _W,
        "印证材料没有目录（目录.xlsx）。",
        "方案要求材料较多时编制目录：请县区填写随指引下发的“目录.xlsx”。",
        "{unit}报送{evaluator}的印证材料没有目录",
    ),
    ProblemType(
        "EVIDENCE_INDEX_UNREADABLE",
        _E,
        "印证材料目录无法读取或找不到表头。",
        "请县区使用下发的“目录.xlsx”（表头：序号、项目编号、材料名称、文件名、页数或说明）。",
        "无法作为目录读取：{reason}",
    ),
    ProblemType(
        "EVIDENCE_UNLISTED",
        _W,
        "文件没有列入目录。",
        "请县区在目录中补列该文件（序号、项目编号、材料名称、文件名）。",
        "{unit}的文件没有列入目录",
    ),
    ProblemType(
        "EVIDENCE_LISTED_MISSING",
        _E,
        "目录中列出的文件没有收到。",
        "请县区补报该文件，或改正目录中的文件名。",
        "目录第 {row} 行列出的“{name}”（项目 {item}）没有收到",
    ),
    # qe doctor: what this computer has
    ProblemType(
        "DOCTOR_PYTHON_OLD",
        _E,
        "Python 版本低于本工具的要求。",
        "请信息部门从单位的软件源安装要求的 Python 版本（安装时选“为本人安装”，不需要管理员权限），再重新运行安装程序（安装.bat 或 install.sh）。",
        "Python {found} 不符合要求 {required}",
    ),
    ProblemType(
        "DOCTOR_NOT_INSTALLED",
        _E,
        "本工具没有作为程序包安装，无法核对各程序包的版本。",
        "请用离线安装包中的安装程序（安装.bat 或 install.sh）安装；开发时运行 pip install -e .",
        "找不到 qe_workbook 的安装信息",
    ),
    ProblemType(
        "DOCTOR_PACKAGE_MISSING",
        _E,
        "本工具需要的程序包没有安装。",
        "请重新运行安装程序（安装.bat 或 install.sh）：离线安装包中带有全部程序包，不需要联网。",
        "缺少程序包 {package}（要求 {required}）",
    ),
    ProblemType(
        "DOCTOR_PACKAGE_OLD",
        _E,
        "已安装的程序包版本不符合本工具的要求。",
        "请重新运行安装程序（安装.bat 或 install.sh），它会安装安装包中所带的版本。",
        "程序包 {package} 的版本 {found} 不符合要求 {required}",
    ),
    ProblemType(
        "DOCTOR_PACKAGE_BROKEN",
        _E,
        "程序包已安装，但无法载入。",
        "请确认安装包与本机的系统一致（文件名中的 win_amd64 为 64 位 Windows，manylinux_x86_64、manylinux_aarch64 为 x86、ARM 的 Linux），删除 venv 文件夹后重新运行安装程序。",
        "程序包 {package} 无法载入（{reason}）",
    ),
    ProblemType(
        "DOCTOR_FONT_NO_CHINESE",
        _E,
        "本机没有任何中文字体，文档和 PDF 中的中文无法显示。",
        "请安装中文字体：Windows 自带宋体、黑体、仿宋、楷体（被删除的请信息部门恢复）；Linux（UOS、麒麟）请安装系统的中文字体包（如 fonts-noto-cjk）。",
        "没有找到中文字体",
    ),
    ProblemType(
        "DOCTOR_FONT_FALLBACK",
        _W,
        "没有安装公文规定的字体，文档以常用的替代字体显示和打印。",
        "正式印发的公文须使用规定的字体：请信息部门提供正版字体文件，双击后点“安装”（装在本人账户下，不需要管理员权限）；Linux 上复制到 ~/.local/share/fonts 后运行 fc-cache。只看初稿可以暂不安装。",
        "未安装{font}（用于{use}），文档将以{fallback}代替",
    ),
    ProblemType(
        "DOCTOR_FONT_MISSING",
        _W,
        "文档使用的字体及其替代字体都没有安装，版式会与打印稿不同。",
        "请信息部门安装该字体（双击字体文件后点“安装”，不需要管理员权限；Linux 上复制到 ~/.local/share/fonts 后运行 fc-cache）。",
        "未安装{font}（用于{use}），也没有它的替代字体，文档将以{substitute}代替",
    ),
    ProblemType(
        "DOCTOR_SOFFICE_MISSING",
        _W,
        "没有找到 LibreOffice，归档时无法把文件转换为 PDF。",
        "请信息部门从单位的软件源安装 LibreOffice（安装在默认位置即可，本工具会自动找到）；其他功能不受影响。",
        "没有找到 LibreOffice（soffice）",
    ),
    ProblemType(
        "DOCTOR_WORKSPACE_MISSING",
        _E,
        "工作文件夹不存在。",
        "请先建立该文件夹，或用 --workspace 指定已有的文件夹。",
        "工作文件夹“{file}”不存在",
    ),
    ProblemType(
        "DOCTOR_WORKSPACE_READONLY",
        _E,
        "不能在工作文件夹中写入文件。",
        "请换一个本人可以写入的文件夹（如“文档”中的文件夹），或请信息部门开放写入权限。",
        "不能在工作文件夹“{file}”中写入文件（{reason}）",
    ),
    ProblemType(
        "DOCTOR_DISK_LOW",
        _W,
        "工作文件夹所在的磁盘剩余空间不多。",
        "请清理磁盘，或把工作文件夹放到空间较大的磁盘上：一年的评价表、回收文件和汇总结果需要几百 MB。",
        "工作文件夹所在的磁盘只剩 {free}",
    ),
    ProblemType(
        "DOCTOR_KEY_MISSING",
        _W,
        "工作文件夹中还没有签名密钥。",
        "每年开始考核时运行一次 qe keygen 生成密钥，并用 qe key backup 做纸质备份；已有密钥的，把它复制到所示位置，或用 qe key restore 从备份单恢复。",
        "还没有签名密钥（{file}）",
    ),
    ProblemType(
        "DOCTOR_CHECK_FAILED",
        _E,
        "因为缺少程序包，这一项无法检查。",
        "请先按上面的提示处理缺少或无法载入的程序包，再运行 qe doctor。",
        "无法检查{what}（{reason}）",
    ),
    # the office's workspace (qe ui)
    ProblemType(
        "WORKSPACE_EXISTS",
        _E,
        "该文件夹已经是一个年度的工作区（已有考核细则 rubric.json），未重新建立。",
        "直接打开该工作区即可；另一个年度请用新的空文件夹（qe ui --workspace 新文件夹）。",
        "{path} 中已有考核细则 {file}，未覆盖",
    ),
    ProblemType(
        "RETURNED_ALREADY_ADDED",
        _I,
        "回收文件夹中已有内容完全相同的文件，未重复保存。",
        "无需处理；如是部门修改后重新报送的，请确认选择的是修改后的文件。",
        "{file} 与已保存的 {kept} 内容相同，未重复保存",
    ),
]

CATALOGUE: dict[str, ProblemType] = {t.code: t for t in _TYPES}


def problem(
    code: str,
    *,
    file: str | None = None,
    sheet: str | None = None,
    cell: str | None = None,
    severity: Severity | None = None,
    fix: str | None = None,
    **params: Any,
) -> Problem:
    """The one constructor: the message is rendered from the code's template and its params.

    A template may also name the location (`{file}`, `{sheet}`, `{cell}`).

    A code without a template, or a template naming a param that was not given, is a
    programming error (KeyError), never a problem of the input.
    """
    kind = CATALOGUE[code]
    if not kind.template:
        raise KeyError(f"problem code {code} has no template")
    fields = {"file": file, "sheet": sheet, "cell": cell, **{k: _shown(v) for k, v in params.items()}}
    detail = kind.template.format_map(fields).rstrip("。")
    message = f"{detail}。{fix if fix is not None else kind.fix}"
    return Problem(code, severity or kind.severity, file, sheet, cell, message, dict(params))


def _shown(value: Any) -> Any:
    """How a param reads inside a Chinese sentence: lists joined with 、."""
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return value


def _plain(value: Any) -> Any:
    """A param as JSON can carry it (Decimals and dates as text, sequences as lists)."""
    if isinstance(value, str | int | bool | float) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value)


_ERRNO_TEXT = {
    errno.ENOENT: "文件不存在",
    errno.EACCES: "没有访问权限",
    errno.EPERM: "没有访问权限",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "磁盘只读",
    errno.ENOTDIR: "路径中有一段是文件，不是文件夹",
    errno.EADDRINUSE: "端口已被占用",
}


def os_error_text(exc: OSError) -> str:
    """A system error in Chinese (the English text of the OS is not shown to users)."""
    return _ERRNO_TEXT.get(exc.errno or 0, f"系统错误，代码 {exc.errno}" if exc.errno else "系统错误")


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.severity is Severity.ERROR for p in problems)


def catalogue_markdown() -> str:
    """The error catalogue as Markdown (docs/problems.md)."""
    lines = [
        "# 问题代码一览",
        "",
        "本文件由 `python scripts/make_problems_doc.py` 根据 `qe_workbook/problems.py` 生成，请勿手工修改。",
        "",
        "“说明模板”是问题说明的写法：`{…}` 中是参数名，problems.json 和 `--json` 输出中每个问题的 `params` 给出各参数的值；"
        "`{file}`、`{sheet}`、`{cell}` 是问题所在的文件、工作表和单元格（同名字段）。",
        "",
        "| 代码 | 级别 | 含义 | 说明模板 | 处理办法 |",
        "| --- | --- | --- | --- | --- |",
    ]
    for t in _TYPES:
        lines.append(f"| `{t.code}` | {SEVERITY_LABELS[t.severity]} | {t.meaning} | {t.template} | {t.fix} |")
    return "\n".join(lines) + "\n"
