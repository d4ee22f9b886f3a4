"""反馈修改稿.xlsx: the office's own wording of what each unit is told, kept across corrections.

`export_wording` writes one row per unit × item the unit is told about (fed_back.noted_items):
the departments' remarks (原文, locked), 反馈表述 (pre-filled with the 原文, for the office to
rewrite), 是否反馈 (是/否) and 内部说明 (never sent). Exported again after a correction with the
earlier file (`previous`), every row keeps the office's 反馈表述, 是否反馈 and 内部说明; a row
whose 原文 changed since is marked 原文已变 (with the earlier 原文), a row new to this result
新增; a 反馈表述 the office never touched follows the new 原文. Rows of the earlier file whose
item is no longer noted are listed on a second sheet, wording included, so nothing typed is lost.
A file is never overwritten: a taken name gets -2, -3 … (run_folder.free_file).

`fed_back.fed_back_list` is the one function that says what each unit receives, in which words.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter

from ..forms.paper import GrowingWorksheet, page_setup, text_height
from ..outputs.run_record import read_run
from ..problems import Problem, problem
from ..rubric import KIND_LABELS, Rubric
from ..rubric.view import short_text
from ..run_folder import free_file
from ..scoring.results import Results
from ..workbooks import mark_output
from .fed_back import (
    CHANGED,
    CHECK,
    COLUMNS,
    FILE_NAME,
    FIRST_ROW,
    GONE_SHEET,
    INPUTS,
    NEW,
    NO,
    SEND,
    WIDTHS,
    WORDING_SHEET,
    YES,
    FedBack,
    Wording,
    WordingRow,
    noted_items,
    original_text,
    read_wording,
)


@dataclass(frozen=True)
class Line:
    """One row of the file to write."""

    entry: FedBack
    text: str
    send: bool
    note: str
    check: str


def wording_lines(results: Results, previous: Wording | None) -> tuple[list[Line], list[WordingRow]]:
    """The rows of a new 反馈修改稿, the earlier file's wording carried over; and the earlier rows whose
    item is no longer noted."""
    lines: list[Line] = []
    seen: set[tuple[str, str]] = set()
    for unit in results.units:
        for score in noted_items(unit):
            original = original_text(score)
            entry = FedBack(unit.unit, score, original, original)
            old = previous.get((unit.unit, score.item.id)) if previous is not None else None
            if old is None:
                lines.append(Line(entry, original, True, "", NEW if previous is not None else ""))
                continue
            seen.add((unit.unit, score.item.id))
            if old.original == original:
                lines.append(Line(entry, old.text, old.send, old.note, ""))
                continue
            kept = original if old.text == old.original else old.text  # untouched wording follows the 原文
            was = f"{CHANGED}，上次的原文为：{old.original or '（空）'}"
            lines.append(Line(entry, kept, old.send, old.note, was))
    gone = [row for key, row in (previous or {}).items() if key not in seen]
    return lines, gone


def write_wording(path: Path, rubric: Rubric, lines: list[Line], gone: list[WordingRow]) -> Path:
    """Write the 反馈修改稿 (the office edits 反馈表述, 是否反馈 and 内部说明; the rest is locked)."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})  # fmt: skip
    mark_output(wb, f"{rubric.year}年度质量工作考核反馈意见修改稿", rubric.office)
    base = {"font_name": "宋体", "font_size": 10, "valign": "top", "text_wrap": True}
    f = {
        "title": wb.add_format({**base, "font_name": "黑体", "font_size": 14, "align": "center", "valign": "vcenter"}),
        "hint": wb.add_format({**base, "font_color": "#404040"}),
        "header": wb.add_format({**base, "bold": True, "border": 1, "align": "center", "bg_color": "#D9E1F2"}),
        "cell": wb.add_format({**base, "border": 1}),
        "input": wb.add_format({**base, "border": 1, "locked": False, "bg_color": "#FFF2CC"}),
        "flag": wb.add_format({**base, "border": 1, "bold": True, "font_color": "#C00000"}),
    }
    ws = wb.add_worksheet(WORDING_SHEET, worksheet_class=GrowingWorksheet)
    last = FIRST_ROW + len(lines) - 1
    _frame(ws, f, f"{rubric.city}{rubric.year}年度政府质量工作考核反馈意见修改稿", max(last, FIRST_ROW), rubric.office)
    ws.set_row(1, 58)
    ws.merge_range(1, 0, 1, len(COLUMNS) - 1,
                   "说明：每行是一个县区的一个失分、扣分、加分或否决项目。“原文”是评价部门的评价说明，只供参考，不发给县区；"
                   "请在浅黄色的“反馈表述”中改写发给县区的文字（已预填原文），“是否反馈”选“否”的项目不写入反馈意见，"
                   "“内部说明”只留市质强办内部，不会发出。改好后在“反馈意见的文字”页上传本文件，重新生成反馈意见。"
                   "“核对”一栏标“原文已变”的，是更正后评价部门的说明有变化，请核对反馈表述；标“新增”的是本次新出现的项目。",
                   f["hint"])  # fmt: skip
    for n, line in enumerate(lines, start=FIRST_ROW):
        e = line.entry
        values = [e.unit, e.item.id, KIND_LABELS[e.item.kind], _item_text(e), e.amount(), "、".join(e.evaluators),
                  e.original, line.text, YES if line.send else NO, line.note, line.check]  # fmt: skip
        ws.set_row(n, text_height(list(zip(values, WIDTHS, strict=True))))
        ws.growing_rows.add(n)
        for col, value in enumerate(values):
            style = "input" if col in INPUTS else "flag" if col == CHECK and value else "cell"
            ws.write_string(n, col, value, f[style])
    if lines:
        ws.data_validation(FIRST_ROW, SEND, last, SEND, {
            "validate": "list", "source": [YES, NO], "error_type": "stop", "error_title": "是否反馈",
            "error_message": "请选择“是”或“否”。", "input_title": "是否反馈",
            "input_message": "选“否”的项目不写入该县区的反馈意见。"})  # fmt: skip
    if gone:
        _gone_sheet(wb, f, gone, rubric.office)
    wb.close()
    return path


def _item_text(e: FedBack) -> str:
    return short_text(e.item)


def _frame(ws: GrowingWorksheet, f: dict[str, Any], title: str, last: int, owner: str) -> None:
    """Widths, title, header, protection (only the yellow cells open), filter and A4 landscape printing."""
    for col, width in enumerate(WIDTHS):
        ws.set_column(col, col, width)
    ws.set_row(0, 26)
    ws.merge_range(0, 0, 0, len(COLUMNS) - 1, title, f["title"])
    ws.set_row(FIRST_ROW - 1, 28)
    ws.write_row(FIRST_ROW - 1, 0, COLUMNS, f["header"])
    ws.freeze_panes(FIRST_ROW, 2)
    ws.autofilter(FIRST_ROW - 1, 0, last, len(COLUMNS) - 1)
    ws.protect("", {"autofilter": True, "sort": False, "format_rows": True, "format_columns": True,
                    "select_locked_cells": True, "select_unlocked_cells": True})  # fmt: skip
    page_setup(ws, owner=owner, title=title, last_row=last, last_col=len(COLUMNS) - 1, repeat_row=FIRST_ROW - 1)


def _gone_sheet(wb: Any, f: dict[str, Any], gone: list[WordingRow], owner: str) -> None:
    ws = wb.add_worksheet(GONE_SHEET)
    header = ("被考核单位", "项目编号", "上次的原文", "上次的反馈表述", "是否反馈", "内部说明")
    widths = (10, 9, 40, 40, 8, 24)
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.merge_range(0, 0, 0, len(header) - 1, "更正后已不再失分（或不再扣分、加分、否决）的项目：上次的修改稿中的文字留存于此",
                   f["hint"])  # fmt: skip
    ws.write_row(1, 0, header, f["header"])
    for n, row in enumerate(gone, start=2):
        values = (row.unit, row.item_id, row.original, row.text, YES if row.send else NO, row.note)
        ws.set_row(n, text_height(list(zip(values, widths, strict=True))))
        ws.write_row(n, 0, values, f["cell"])
    page_setup(ws, owner=owner, title=GONE_SHEET, last_row=len(gone) + 1, last_col=len(header) - 1, repeat_row=1)


@dataclass(frozen=True)
class WordingExport:
    path: Path | None
    rows: int
    changed: int  # rows marked 原文已变
    added: int  # rows marked 新增 (only with an earlier file)
    gone: int  # earlier rows no longer noted
    problems: list[Problem]

    def to_dict(self) -> dict[str, Any]:
        return {"file": str(self.path) if self.path else None, "rows": self.rows, "changed": self.changed,
                "added": self.added, "gone": self.gone, "problems": [p.to_dict() for p in self.problems]}  # fmt: skip


def export_wording(
    run_dir: Path, rubric: Rubric, out: Path | None = None, previous: Path | None = None
) -> WordingExport:
    """Write 反馈修改稿.xlsx for a finished run (default: into the run folder), carrying over the office's
    wording from an earlier 反馈修改稿 (`previous`). An existing file is never overwritten."""
    run, problems = read_run(run_dir, rubric, official="documents")
    if run is None:
        return WordingExport(None, 0, 0, 0, 0, problems)
    results = run.results  # as adopted
    earlier: Wording | None = None
    if previous is not None:
        earlier, trouble = read_wording(previous, rubric)
        problems += trouble
        if any(p.code == "FEEDBACK_WORDING_UNREADABLE" for p in trouble):
            return WordingExport(None, 0, 0, 0, 0, problems)
    lines, gone = wording_lines(results, earlier)
    path = free_file(out or run_dir / FILE_NAME)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_wording(path, rubric, lines, gone)
    changed = sum(1 for line in lines if line.check.startswith(CHANGED))
    added = sum(1 for line in lines if line.check == NEW)
    if changed:
        problems.append(problem("FEEDBACK_WORDING_CHANGED", file=str(path), sheet=WORDING_SHEET, count=changed))
    return WordingExport(path, len(lines), changed, added, len(gone), problems)
