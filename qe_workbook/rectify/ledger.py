"""One signed 整改台账 per unit, pre-filled with the problems fed back to it (feedback/fed_back.py).

Signed like the evaluation forms and the contact lists (forms/manifest.py): the manifest names the
unit, the HMAC covers the sheet names, title, unit line, header and every problem row (item id,
item, problem text, evaluating departments), so a unit cannot reword what it was told. Only
整改措施, 责任单位, 完成时限 (a date) and 进展 (未开始/推进中/已完成) are open. Every generation is
recorded in the office's generation register (kind "rectify", with the run it came from).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import xlsxwriter

from ..feedback.fed_back import FedBack, fed_back_list
from ..forms.generate import write_manifest_sheet
from ..forms.layout import MANIFEST_SHEET
from ..forms.manifest import LockedContent, Manifest, derive, sign
from ..forms.paper import DATE_FORMAT, GrowingWorksheet, page_setup, text_height, write_signature
from ..forms.register import RECTIFY, FormRecord, Register
from ..outputs.run_record import read_run
from ..problems import Problem
from ..rubric import Rubric, Unit
from ..rubric.view import short_text
from ..run_folder import new_run_folder
from .layout import (
    COL_DUE,
    COL_MEASURE,
    COL_OWNER,
    COL_STATUS,
    FIRST_ROW,
    HEADER,
    HEADER_ROW,
    HINT_ROW,
    ISSUED_DIR,
    LEDGER_FORMAT,
    MEASURE_MAX,
    OWNER_MAX,
    SHEET,
    TITLE_ROW,
    UNIT_ROW,
    WIDTHS,
    Progress,
)

LedgerRow = tuple[str, str, str, str]  # item id, item, the problem as fed back, evaluating departments
NO_PROBLEMS = "本年度反馈意见未指出需要整改的问题，本表无需填写。"


def ledger_title(rubric: Rubric) -> str:
    return f"{rubric.city}{rubric.year}年度政府质量工作考核反馈问题整改台账"


def unit_line(unit: Unit) -> str:
    return f"填报单位（盖章）：{unit.full_name}"


def ledger_name(rubric: Rubric, unit: str) -> str:
    return f"{unit}_{rubric.year}年度考核反馈问题整改台账.xlsx"


def ledger_row(entry: FedBack) -> LedgerRow:
    problem_text = entry.text.strip() or f"该项目{entry.amount()}（反馈意见未写明具体问题）"
    return (entry.item.id, f"{short_text(entry.item)}（{entry.amount()}）", problem_text, "、".join(entry.evaluators))


def expected_content(rubric: Rubric, unit: Unit, rows: list[LedgerRow]) -> LockedContent:
    return LockedContent((SHEET, MANIFEST_SHEET), ledger_title(rubric), unit_line(unit), HEADER, tuple(rows))


def write_ledger(path: Path, rubric: Rubric, unit: Unit, rows: list[LedgerRow], key: bytes, when: datetime,
                 seed: str) -> Manifest:  # fmt: skip
    manifest = Manifest(format=LEDGER_FORMAT, year=rubric.year, rubric_hash=rubric.content_hash, evaluator=unit.name,
                        form_id=derive(key, "rectify-id", rubric.content_hash, unit.name, seed),
                        generated_at=when.isoformat())  # fmt: skip
    manifest = sign(key, manifest, expected_content(rubric, unit, rows))
    password = derive(key, "sheet-password", manifest.form_id)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})  # fmt: skip
    wb.set_properties({"title": ledger_title(rubric), "subject": f"整改台账：{unit.name}", "author": rubric.office,
                       "created": when})  # fmt: skip
    for name, value in manifest.rows():
        wb.set_custom_property(f"qe_{name}", value)
    base = {"font_name": "宋体", "font_size": 11, "valign": "vcenter", "text_wrap": True}
    boxed = {**base, "border": 1}
    entry = {**boxed, "locked": False, "bg_color": "#FFF2CC"}
    f = {
        "title": wb.add_format({**base, "font_name": "黑体", "font_size": 16, "align": "center"}),
        "unit": wb.add_format({**base, "font_size": 12, "bold": True}),
        "hint": wb.add_format({**base, "font_size": 10, "font_color": "#404040"}),
        "header": wb.add_format({**boxed, "bold": True, "align": "center", "bg_color": "#D9E1F2"}),
        "cell": wb.add_format(boxed),
        "center": wb.add_format({**boxed, "align": "center"}),
        "entry": wb.add_format(entry),
        "date": wb.add_format(
            {**entry, "align": "center", "num_format": DATE_FORMAT, "text_wrap": False, "shrink": True}
        ),
        "sign": wb.add_format({**base, "font_size": 12, "valign": "top"}),
        "status": wb.add_format({**entry, "align": "center"}),
    }
    ws = wb.add_worksheet(SHEET, worksheet_class=GrowingWorksheet)
    last_col = len(HEADER) - 1
    for col, width in enumerate(WIDTHS):
        ws.set_column(col, col, width)
    ws.set_row(TITLE_ROW, 30)
    ws.merge_range(TITLE_ROW, 0, TITLE_ROW, last_col, ledger_title(rubric), f["title"])
    ws.set_row(UNIT_ROW, 24)
    ws.merge_range(UNIT_ROW, 0, UNIT_ROW, last_col, unit_line(unit), f["unit"])
    ws.set_row(HINT_ROW, 46)
    ws.merge_range(HINT_ROW, 0, HINT_ROW, last_col, _hint(rubric), f["hint"])
    ws.set_row(HEADER_ROW, 22)
    ws.write_row(HEADER_ROW, 0, HEADER, f["header"])
    for n, row in enumerate(rows):
        r = FIRST_ROW + n
        ws.set_row(r, text_height(list(zip((str(n + 1), *row), WIDTHS, strict=False)), min_lines=2))
        ws.growing_rows.add(r)
        ws.write_string(r, 0, str(n + 1), f["center"])
        ws.write_string(r, 1, row[0], f["center"])
        for col, value in ((2, row[1]), (3, row[2]), (4, row[3])):
            ws.write_string(r, col, value, f["cell"])
        ws.write_blank(r, COL_MEASURE, None, f["entry"])
        ws.write_blank(r, COL_OWNER, None, f["entry"])
        ws.write_blank(r, COL_DUE, None, f["date"])
        ws.write_blank(r, COL_STATUS, None, f["status"])
    last = FIRST_ROW + len(rows) - 1
    if rows:
        _validation(ws, rubric, last)
    else:
        ws.merge_range(FIRST_ROW, 0, FIRST_ROW, last_col, NO_PROBLEMS, f["cell"])
        last = FIRST_ROW
    ws.protect(password, {"select_locked_cells": True, "select_unlocked_cells": True, "format_rows": True,
                          "format_columns": True})  # fmt: skip
    ws.freeze_panes(FIRST_ROW, 0)
    # after a blank row (the locked rows end there): the unit signs and stamps the ledger it returns
    last = write_signature(ws, last + 2, ((0, 3), (4, 5), (6, last_col)), "填报单位", f["sign"])
    page_setup(ws, owner=unit.full_name, title=ledger_title(rubric), last_row=last, last_col=last_col,
               repeat_row=HEADER_ROW)  # fmt: skip
    write_manifest_sheet(wb.add_worksheet(MANIFEST_SHEET), manifest, password)
    wb.close()
    return manifest


def _hint(rubric: Rubric) -> str:
    statuses = "、".join(str(p) for p in Progress)
    return (
        "填写说明：下表是考核结果反馈意见指出的问题，已锁定。请针对每个问题在浅黄色单元格中填写整改措施、责任单位、"
        f"完成时限（日期，如 {rubric.year + 1}-06-30）和进展（{statuses}），保存为 .xlsx 后报{rubric.office}；"
        "整改推进后请更新进展再次报送。请勿增删行列或改动其他内容，否则台账会被退回。"
    )


def _validation(ws: GrowingWorksheet, rubric: Rubric, last: int) -> None:
    year = rubric.year
    ws.data_validation(FIRST_ROW, COL_MEASURE, last, COL_MEASURE, {
        "validate": "length", "criteria": "<=", "value": MEASURE_MAX, "input_title": "整改措施",
        "input_message": "针对该问题的具体整改措施。", "error_title": "内容过长",
        "error_message": f"整改措施不能超过 {MEASURE_MAX} 字。", "error_type": "stop"})  # fmt: skip
    ws.data_validation(FIRST_ROW, COL_OWNER, last, COL_OWNER, {
        "validate": "length", "criteria": "<=", "value": OWNER_MAX, "input_title": "责任单位",
        "input_message": "牵头负责整改的单位（多个单位用“、”分隔）。", "error_title": "内容过长",
        "error_message": f"责任单位不能超过 {OWNER_MAX} 字。", "error_type": "stop"})  # fmt: skip
    ws.data_validation(FIRST_ROW, COL_DUE, last, COL_DUE, {
        "validate": "date", "criteria": "between", "minimum": date(year, 1, 1), "maximum": date(year + 5, 12, 31),
        "input_title": "完成时限", "input_message": f"填写日期，例如 {year + 1}-06-30。", "error_title": "日期不正确",
        "error_message": f"请填写 {year} 年至 {year + 5} 年之间的日期，例如 {year + 1}-06-30。",
        "error_type": "stop"})  # fmt: skip
    ws.data_validation(FIRST_ROW, COL_STATUS, last, COL_STATUS, {
        "validate": "list", "source": [str(p) for p in Progress], "input_title": "进展",
        "input_message": "选择未开始、推进中或已完成。", "error_title": "进展",
        "error_message": "进展只能选择未开始、推进中或已完成。", "error_type": "stop"})  # fmt: skip


@dataclass(frozen=True)
class LedgerFile:
    unit: str
    path: Path
    form_id: str
    problems: int


@dataclass(frozen=True)
class Generated:
    folder: Path | None
    ledgers: list[LedgerFile]
    problems: list[Problem]


def generate_ledgers(
    run_dir: Path, rubric: Rubric, key: bytes, *, out_parent: Path | None = None, wording: Path | None = None,
    register: Register | None = None, when: datetime | None = None,
) -> Generated:  # fmt: skip
    """One ledger per unit, holding the problems fed back to it (in the office's `wording` when given), into a
    new folder `<out_parent>/<time>` (default parent: `<run>/整改台账`); recorded in the `register`."""
    run, problems = read_run(run_dir, rubric, official="documents")
    if run is None:
        return Generated(None, [], problems)
    results = run.results  # as adopted
    told = fed_back_list(results, rubric, wording)
    problems += told.problems
    when = (when or datetime.now()).replace(microsecond=0)
    seed = f"{run_dir.resolve().name}/{when.isoformat()}"
    files: list[LedgerFile] = []
    with new_run_folder(out_parent or run_dir / ISSUED_DIR) as (tmp, finish):
        for unit in rubric.units:
            rows = [ledger_row(e) for e in told.problems_of(unit.name)]
            name = ledger_name(rubric, unit.name)
            manifest = write_ledger(tmp / name, rubric, unit, rows, key, when, seed)
            files.append(LedgerFile(unit.name, tmp / name, manifest.form_id, len(rows)))
        folder = finish()
    files = [LedgerFile(f.unit, folder / f.path.name, f.form_id, f.problems) for f in files]
    if register is not None:
        register.add(kind=RECTIFY, generated_at=when.isoformat(), seed=seed, year=rubric.year,
                     rubric_hash=rubric.content_hash, folder=str(folder),
                     forms=[FormRecord(f.unit, f.form_id, f.path.name) for f in files],
                     source=str(run_dir.resolve()))  # fmt: skip
        register.save()
    return Generated(folder, files, problems)
