"""Write a rubric as a workbook a clerk can edit (qe rubric export).

Written from the checked rubric.json data (not the model) so that importing the workbook again
gives back exactly the same JSON: a field absent from the JSON is a blank cell, and a blank
optional cell is an absent field.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ...amounts import as_number, canonical
from ...workbooks import mark_output
from ..rules import RULE_LABELS
from .layout import (
    AREA_GAP_HEADER,
    AREA_SUM_HEADER,
    AREAS,
    CHOICE_TEXT,
    COMBINE_TEXT,
    DATE,
    DECISIONS,
    EVALUATORS,
    FIXED,
    FIXED_VALUES,
    GRADE,
    GRADING,
    GRADING_ROWS,
    GUIDE,
    ITEMS,
    KEY_POINT_SHOWN_HEADER,
    KEY_POINTS,
    KIND,
    KIND_TEXT,
    KV_HEADER,
    KV_HINT_HEADER,
    MAX_NEW_ROWS,
    NAME_SEPARATOR,
    NAMES,
    PARTS,
    POINTS,
    RULE,
    RULES_GUIDE,
    SETTING_ROWS,
    SETTINGS,
    STEPS_TEXT,
    TABLES,
    THRESHOLD_MIN_HEADER,
    TIES_TEXT,
    UNIT_CLASSES,
    UNITS,
    YES_NO,
    YES_NO_TEXT,
    Setting,
    col_letter,
)
from .rule_cells import cells
from .rules_guide import write_rules_guide

FONT = "宋体"
GUIDE_WIDTH = 110
PAGE_WIDTH = 240  # the characters of column width one landscape page shows readably (附件1's columns: 226)
HEADER_FILL = "#D9E1F2"
AUTO_FILL = "#E2EFDA"

GUIDE_LINES = (
    ("如何修改考核细则", "title"),
    ("本工作簿就是考核细则（rubric.json）的全部内容。按新一年度的考核方案修改各工作表，保存后运行："
     "qe rubric import 本文件.xlsx --out rubric.json，程序会逐条指出问题（工作表、行、列）；没有错误时写出 rubric.json。", ""),
    ("1. 基本设置：年度、方案名称、考核周期和截止日期；通报依据文件和抄送单位每行一个，要增加就复制一行；"
     "“县区自评打分”填“是”时各县区同时填报自评打分表。", ""),
    ("2. 被考核单位：每行一个，顺序就是评价表中县区的顺序。", ""),
    ("3. 考核领域：编号、名称和分值（合计等于满分；不写满分时就是满分）。“评分项目合计”一列自动计算该领域评分项目的满分之和，"
     "“差额”应为 0（不为 0 时显示红色）。被考核单位分类别的，在“单位类别”工作表列出类别，在“被考核单位”的“类别”列选择；"
     "总分由几个部分加权组成的（平时考核60%、年终考核40%），在“考核部分”工作表列出各部分的权重和所含领域。", ""),
    ("4. 考核要点：（一）至（十六）等，各属于一个考核领域；有二级、三级指标的，下级要点在“上级要点”中填上级的编号或标题，"
     "“分值”可填该级的分值（导入时检查等于下级之和）。", ""),
    ("5. 评价项目：每行一个项目，与附件1的列一致。考核领域、考核要点、类别、评价部门可从下拉列表选择；"
     "由几个部门共同评价的，评价部门写在同一格中，用“、”分隔（例如 市农业农村局、市畜牧局）。", ""),
    ("   分值只填数字（例如 2 或 0.5，不要写“分”）；扣分项填最高扣分，并在“每次扣分”中填每次（每项）扣多少分；"
     "加分项填加分；否决项填 0。", ""),
    ("   编号是项目的固定编号（例如 05-3），上一年度的项目不要改编号，便于年度间比较；新增项目的编号可以空着，"
     "导入时自动编为“年度-考核要点-序号”（例如 2023-16-1）。删除项目请删除整行。", ""),
    ("   编号右边的列是计分规则（都可以空着，空着就是直接评分或按次扣分）：档次、按指标计分、逐项核查、基础分、名次赋分、"
     "按范围扣分、否决后果，以及几个部门共同评价时的合成方式、适用的单位类别、县区自评。每种规则填哪几列、怎么写，"
     "见“计分规则说明”工作表；表头单元格的批注也有说明。方案的规则写不进这些列时不要变通，请联系技术人员。", ""),
    ("6. 评价部门：附件4的名称、电话和邮箱；市场监管局内设科室在“所属单位”中写市市场监管局；别名用“、”分隔。", ""),
    ("7. 等级评定：各等级的最低分（从高到低）、否决等级、联合评价规则。小数位数和舍入方式固定不变。", ""),
    ("8. 未明确事项：方案未明确事项的处理说明，会写入考核细则供查阅。", ""),
    ("注意：不要合并单元格；不要在表格中间留空行；不要修改第 1 行的表头。绿色的列是自动计算的，不用填写，导入时也不读取。", ""),
)  # fmt: skip


def export_workbook(data: dict[str, Any], path: Path) -> Path:
    """Write checked rubric data as the editable workbook at `path`."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    mark_output(wb, f"{data['year']}年度考核细则", data["office"])
    fmt = _formats(wb)
    _guide(wb.add_worksheet(GUIDE), fmt)
    _key_values(wb.add_worksheet(SETTINGS), fmt, SETTING_ROWS, data, grading=False)
    areas_by_id = {a["id"]: a for a in data["areas"]}
    kp_shown = {k["id"]: k["label"] + k["title"] for k in data["key_points"]}
    class_names = {c["id"]: c["name"] for c in data.get("unit_classes", ())}
    area_name = {a["id"]: a["name"] for a in data["areas"]}
    units = [{**u, "class": class_names.get(u["class"], u["class"])} if "class" in u else u for u in data["units"]]
    ws_units = _table(wb.add_worksheet(UNITS), fmt, UNITS, units)
    ws_units.data_validation(1, 2, len(units) + MAX_NEW_ROWS, 2, _list_rule(_ref(UNIT_CLASSES, 1, 2, 51)))
    _table(wb.add_worksheet(UNIT_CLASSES), fmt, UNIT_CLASSES, data.get("unit_classes", []))
    ws_areas = _table(wb.add_worksheet(AREAS), fmt, AREAS, data["areas"], extra_cols=5)
    _area_sums(ws_areas, fmt, data)
    parts = [{**p, "areas": [area_name.get(a, a) for a in p["areas"]]} for p in data.get("parts", [])]
    _table(wb.add_worksheet(PARTS), fmt, PARTS, parts)
    kps = [
        {**k, "area": areas_by_id.get(k["area"], {}).get("name", k["area"]) if "area" in k else None,
         "parent": kp_shown.get(k["parent"], k["parent"]) if "parent" in k else None}
        for k in data["key_points"]
    ]  # fmt: skip
    ws_kp = _table(wb.add_worksheet(KEY_POINTS), fmt, KEY_POINTS, kps, extra_cols=1)
    _key_point_shown(ws_kp, fmt, data["key_points"])
    items = [
        {
            **i,
            **cells(i),
            "area": areas_by_id.get(i["area"], {}).get("name", i["area"]),
            "key_point": kp_shown.get(i["key_point"], i["key_point"]),
            **({"classes": [class_names.get(c, c) for c in i["classes"]]} if "classes" in i else {}),
        }
        for i in data["items"]
    ]
    ws_items = _table(wb.add_worksheet(ITEMS), fmt, ITEMS, items)
    _item_validation(ws_items, len(items))
    _item_area_block(ws_items, fmt, data)
    _table(wb.add_worksheet(EVALUATORS), fmt, EVALUATORS, data["evaluators"])
    _key_values(wb.add_worksheet(GRADING), fmt, GRADING_ROWS, data["grading"], grading=True)
    _table(wb.add_worksheet(DECISIONS), fmt, DECISIONS, data.get("decisions", []))
    write_rules_guide(wb.add_worksheet(RULES_GUIDE), fmt)
    wb.close()
    return path


def _formats(wb: Workbook) -> dict[str, Any]:
    base = {"font_name": FONT, "font_size": 11, "valign": "top", "text_wrap": True}
    specs: dict[str, dict[str, Any]] = {
        "title": {**base, "font_name": "黑体", "font_size": 16, "bold": True},
        "text": base,
        "header": {**base, "bold": True, "bg_color": HEADER_FILL, "border": 1, "valign": "vcenter"},
        "auto_header": {**base, "bold": True, "bg_color": AUTO_FILL, "border": 1, "valign": "vcenter"},
        "auto": {**base, "bg_color": AUTO_FILL},
        "date": {**base, "num_format": "yyyy-mm-dd", "align": "left"},
        "number": {**base, "align": "center"},
        "hint": {**base, "font_size": 10, "font_color": "#595959"},
        "bad": {"bg_color": "#F8CBAD", "font_color": "#9C0006"},
    }
    return {name: wb.add_format(spec) for name, spec in specs.items()}


def _lines(text: str, width: float) -> int:
    """How many lines a wrapped text takes in a column `width` characters wide (CJK counts double)."""
    shown = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return max(1, math.ceil(shown / (width * 0.85)))


def _print_setup(ws: Worksheet) -> None:
    """A4 landscape, one page wide, header row repeated: what the office prints to review."""
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.set_footer("&C&A 第 &P 页，共 &N 页")


def _guide(ws: Worksheet, fmt: dict[str, Any]) -> None:
    ws.set_column(0, 0, GUIDE_WIDTH)
    for row, (line, style) in enumerate(GUIDE_LINES):
        ws.write_string(row, 0, line, fmt[style or "text"])
        ws.set_row(row, 24 if style else 15 * _lines(line, GUIDE_WIDTH) + 3)
    _print_setup(ws)
    ws.activate()


def _cell_value(value: Any, type_: str) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return as_number(value)
    if type_ == POINTS:
        return as_number(Decimal(str(value)))
    if type_ == NAMES:
        return NAME_SEPARATOR.join(value)
    if type_ == KIND:
        return KIND_TEXT[value]
    if type_ == RULE:
        return RULE_LABELS[value]
    return value


def _write(ws: Worksheet, row: int, col: int, value: Any, fmt: dict[str, Any], type_: str = "") -> None:
    if value is None:
        ws.write_blank(row, col, None, fmt["text"])
    elif type_ == DATE:
        ws.write_datetime(row, col, date.fromisoformat(value), fmt["date"])
    elif isinstance(value, bool):
        ws.write_string(row, col, YES_NO_TEXT[value], fmt["text"])
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, fmt["number" if type_ == POINTS else "text"])
    else:
        ws.write_string(row, col, str(value), fmt["text"])


def _table(
    ws: Worksheet, fmt: dict[str, Any], sheet: str, records: Sequence[dict[str, Any]], extra_cols: int = 0
) -> Worksheet:
    """A table sheet; the print area covers the records and `extra_cols` automatic columns beside them."""
    columns = TABLES[sheet]
    for col, column in enumerate(columns):
        ws.write_string(0, col, column.header, fmt["header"])
        ws.set_column(col, col, column.width)
        if column.note:
            ws.write_comment(0, col, column.note, {"x_scale": 2, "y_scale": 1.5, "font_name": FONT})
    ws.set_row(0, 15 * max(_lines(c.header, c.width) for c in columns) + 3)
    last_used = max((n for n, c in enumerate(columns) if not c.added), default=0)
    for row, record in enumerate(records, start=1):
        values = [_cell_value(record.get(column.key), column.type) for column in columns]
        last_used = max([last_used, *(n for n, v in enumerate(values) if v is not None)])
        for col, (column, value) in enumerate(zip(columns, values, strict=True)):
            _write(ws, row, col, value, fmt, column.type)
        lines = max(_lines(str(v), c.width) for c, v in zip(columns, values, strict=True) if v is not None)
        ws.set_row(row, 15 * lines + 3)
    ws.freeze_panes(1, 0)
    _print_setup(ws)
    # printed: the columns in use (a rubric without the scoring language prints as the plan's 附件1 reads)
    last = len(columns) - 1 + extra_cols if extra_cols or last_used == len(columns) - 1 else last_used
    ws.print_area(0, 0, max(1, len(records)), last)
    printed = sum(c.width for c in columns[: last + 1])
    ws.fit_to_pages(max(1, math.ceil(printed / PAGE_WIDTH)), 0)  # the scoring columns on pages of their own
    return ws


def _setting_value(data: dict[str, Any], path: str) -> Any:
    value: Any = data
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _key_values(
    ws: Worksheet, fmt: dict[str, Any], rows: Sequence[Setting], data: dict[str, Any], *, grading: bool
) -> None:
    header = (*KV_HEADER, THRESHOLD_MIN_HEADER, KV_HINT_HEADER) if grading else (*KV_HEADER, KV_HINT_HEADER)
    ws.write_row(0, 0, header, fmt["header"])
    for col, width in enumerate((22, 60, 10, 60) if grading else (22, 80, 50)):
        ws.set_column(col, col, width)
    hint_col = len(header) - 1
    row = 1
    for setting in rows:
        value = _setting_value(data, setting.path)
        values: list[Any] = list(value or [None]) if setting.many else [value]
        for one in values:
            ws.write_string(row, 0, setting.label, fmt["text"])
            if setting.path == "thresholds":
                _write(ws, row, 1, one and one["grade"], fmt)
                _write(ws, row, 2, one and as_number(Decimal(str(one["min"]))), fmt)
            elif setting.path == "limits":
                _write(ws, row, 1, one and one["grade"], fmt)
                _write(ws, row, 2, one and _limit_text(one), fmt)
            elif setting.type == FIXED:
                _write(ws, row, 1, FIXED_VALUES[setting.path][1], fmt)
            elif setting.type in CHOICE_TEXT:
                shown = CHOICE_TEXT[setting.type]
                _write(ws, row, 1, shown.get(one, one), fmt)
                ws.data_validation(row, 1, row, 1, {"validate": "list", "source": list(shown.values())})
            elif setting.type == POINTS:
                _write(ws, row, 1, None if one is None else as_number(Decimal(str(one))), fmt, POINTS)
            elif setting.type == YES_NO:
                _write(ws, row, 1, one, fmt)
                ws.data_validation(row, 1, row, 1, {"validate": "list", "source": list(YES_NO_TEXT.values())})
            else:
                _write(ws, row, 1, one, fmt, setting.type if setting.type != GRADE else "")
            ws.write_string(row, hint_col, setting.hint, fmt["hint"])
            ws.set_row(row, 15 * _lines(str(one or ""), 60 if grading else 80) + 3)
            row += 1
    ws.freeze_panes(1, 0)
    _print_setup(ws)


def _limit_text(limit: dict[str, Any]) -> str:
    """A grade limit's C cell: the number of units (2), or the percentage as text (30%)."""
    if "max_units" in limit:
        return str(limit["max_units"])
    if "top_units" in limit:
        return f"前{limit['top_units']}名"
    if "top_percent" in limit:
        return f"前{canonical(Decimal(str(limit['top_percent'])))}%"
    return f"{canonical(Decimal(str(limit['max_percent'])))}%"


def _ref(sheet: str, col: int, first: int, last: int) -> str:
    """An absolute range on another sheet, rows 1-based: '评价项目'!$G$2:$G$300."""
    c = col_letter(col)
    return f"'{sheet}'!${c}${first}:${c}${last}"


def _items_col(key: str) -> int:
    return next(n for n, c in enumerate(TABLES[ITEMS]) if c.key == key)


def _area_sums(ws: Worksheet, fmt: dict[str, Any], data: dict[str, Any]) -> None:
    """Live sums: each area's scored items as the clerk types (28/25/25/9/13), and the gap to its points."""
    last = len(data["items"]) + MAX_NEW_ROWS + 1
    points = _ref(ITEMS, _items_col("max"), 2, last)
    areas = _ref(ITEMS, _items_col("area"), 2, last)
    kinds = _ref(ITEMS, _items_col("kind"), 2, last)
    ws.write_string(0, 3, AREA_SUM_HEADER, fmt["auto_header"])
    ws.write_string(0, 4, AREA_GAP_HEADER, fmt["auto_header"])
    ws.set_column(3, 4, 14)
    sums = _area_totals(data)
    n_areas = len(data["areas"])
    for row, area in enumerate(data["areas"], start=1):
        total = sums[area["id"]]
        ws.write_formula(
            row, 3, f'=SUMIFS({points},{areas},B{row + 1},{kinds},"评分项")', fmt["auto"], as_number(total)
        )
        gap = Decimal(str(area["max"])) - total
        ws.write_formula(row, 4, f"=C{row + 1}-D{row + 1}", fmt["auto"], as_number(gap))
    ws.conditional_format(1, 4, n_areas + MAX_NEW_ROWS, 4, {"type": "cell", "criteria": "!=", "value": 0, "format": fmt["bad"]})  # fmt: skip
    ws.write_string(0, 6, "各领域分值合计", fmt["auto_header"])
    ws.write_string(0, 7, "评分项目满分合计", fmt["auto_header"])
    ws.set_column(6, 7, 16)
    area_total = sum((Decimal(str(a["max"])) for a in data["areas"]), Decimal(0))
    ws.write_formula(1, 6, f"=SUM(C2:C{n_areas + MAX_NEW_ROWS + 1})", fmt["auto"], as_number(area_total))
    ws.write_formula(1, 7, f'=SUMIFS({points},{kinds},"评分项")', fmt["auto"], as_number(sum(sums.values(), Decimal(0))))  # fmt: skip
    ws.data_validation(1, 2, n_areas + MAX_NEW_ROWS, 2, _number_rule())


def _area_totals(data: dict[str, Any]) -> dict[str, Decimal]:
    """The points of each area's scored items (the cached values of the sum formulas)."""
    sums = {a["id"]: Decimal(0) for a in data["areas"]}
    for item in data["items"]:
        if item["kind"] == "score" and item["area"] in sums:
            sums[item["area"]] += Decimal(str(item["max"]))
    return sums


def _key_point_shown(ws: Worksheet, fmt: dict[str, Any], key_points: list[dict[str, Any]]) -> None:
    """A column with what the items' 考核要点 drop-down offers: （一）质量发展."""
    col = len(TABLES[KEY_POINTS])
    ws.write_string(0, col, KEY_POINT_SHOWN_HEADER, fmt["auto_header"])
    ws.set_column(col, col, 28)
    for row in range(1, len(key_points) + MAX_NEW_ROWS + 1):
        filled = row <= len(key_points)
        shown = key_points[row - 1]["label"] + key_points[row - 1]["title"] if filled else ""
        ws.write_formula(
            row, col, f'=IF(C{row + 1}="","",B{row + 1}&C{row + 1})', fmt["auto"] if filled else None, shown
        )
    area_col = next(n for n, c in enumerate(TABLES[KEY_POINTS]) if c.key == "area")
    ws.data_validation(1, area_col, len(key_points) + MAX_NEW_ROWS, area_col, _list_rule(_ref(AREAS, 1, 2, 101)))


def _list_rule(
    source: str | list[str], *, strict: bool = True, message: str = "请从下拉列表中选择。"
) -> dict[str, Any]:
    return {
        "validate": "list",
        "source": source if isinstance(source, list) else f"={source}",
        "error_type": "stop" if strict else "warning",
        "error_title": "请核对",
        "error_message": message,
    }


def _number_rule() -> dict[str, Any]:
    return {
        "validate": "decimal",
        "criteria": ">=",
        "value": 0,
        "error_title": "只能填数字",
        "error_message": "请只填写数字，例如 2 或 0.5，不要写“分”。",
    }


def _item_validation(ws: Worksheet, n_items: int) -> None:
    last = n_items + MAX_NEW_ROWS
    kp_col = len(TABLES[KEY_POINTS])
    rules = {
        "area": _list_rule(_ref(AREAS, 1, 2, 101)),
        "key_point": _list_rule(_ref(KEY_POINTS, kp_col, 2, 301)),
        "kind": _list_rule(list(KIND_TEXT.values())),
        "evaluators": _list_rule(
            _ref(EVALUATORS, 0, 2, 301),
            strict=False,
            message="评价部门应与“评价部门”工作表中的名称一致；几个部门共同评价时用“、”分隔，可以继续。",
        ),
        "max": _number_rule(),
        "per_event": _number_rule(),
        "rule.type": _list_rule(list(RULE_LABELS.values())),
        "rule.steps": _list_rule(list(STEPS_TEXT.values())),
        "rule.ties": _list_rule(list(TIES_TEXT.values())),
        "rule.figure.lower_is_better": _list_rule(list(YES_NO_TEXT.values())),
        "self_score": _list_rule(list(YES_NO_TEXT.values())),
        "combine": _list_rule(list(COMBINE_TEXT.values()), strict=False,
                              message="加权或以牵头部门为准时写成 加权：部门=权重；部门=权重 或 牵头：部门，可以继续。"),
        "classes": _list_rule(_ref(UNIT_CLASSES, 1, 2, 51), strict=False,
                              message="单位类别应与“单位类别”工作表中的名称一致；几个类别用“、”分隔，可以继续。"),
    }  # fmt: skip
    for key, rule in rules.items():
        col = _items_col(key)
        ws.data_validation(1, col, last, col, rule)


def _item_area_block(ws: Worksheet, fmt: dict[str, Any], data: dict[str, Any]) -> None:
    """Beside the items: each area's points and the live sum of its scored items (from 考核领域)."""
    first = len(TABLES[ITEMS]) + 1
    for n, head in enumerate(("领域（自动）", "领域分值", "评分项目合计", "差额")):
        ws.write_string(0, first + n, head, fmt["auto_header"])
        ws.set_column(first + n, first + n, 12)
    sums = _area_totals(data)
    for row, area in enumerate(data["areas"], start=1):
        points = Decimal(str(area["max"]))
        cached = (area["name"], as_number(points), as_number(sums[area["id"]]), as_number(points - sums[area["id"]]))
        for n, (col, value) in enumerate(zip("BCDE", cached, strict=True)):
            ws.write_formula(row, first + n, f"='{AREAS}'!{col}{row + 1}", fmt["auto"], value)
