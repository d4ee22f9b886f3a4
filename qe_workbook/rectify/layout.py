"""Where things are in a 整改台账 and what its choices are (no heavy imports: the CLI reads these)."""

from __future__ import annotations

from enum import StrEnum

LEDGER_FORMAT = "qe_workbook-rectify/1"
SHEET = "整改台账"
HEADER = ("序号", "项目编号", "考核项目", "反馈的问题", "评价部门", "整改措施", "责任单位", "完成时限", "进展")
WIDTHS = (5, 8, 22, 32, 10, 32, 14, 13, 8)
COL_MEASURE, COL_OWNER, COL_DUE, COL_STATUS = 5, 6, 7, 8
TITLE_ROW, UNIT_ROW, HINT_ROW, HEADER_ROW, FIRST_ROW = 0, 1, 2, 3, 4
MEASURE_MAX, OWNER_MAX = 500, 100
ISSUED_DIR = "整改台账"  # in the run folder: one subfolder per generation
COLLECTED_DIR = "整改情况"  # in the run folder: one subfolder per collection
LEDGER_XLSX = "整改台账汇总.xlsx"
LEDGER_JSON = "整改台账.json"


class Progress(StrEnum):
    """A problem's rectification progress (进展)."""

    NOT_STARTED = "未开始"
    UNDERWAY = "推进中"
    DONE = "已完成"
