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

from ..documents.sheet_notes import LEDGER_NOTES, line, note_lines
from ..documents.templating import TemplateBroken
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


@dataclass(frozen=True)
class LedgerText:
    """A ledger's sentences, from the 整改台账说明 template: title, unit line, filling hint, and what the table
    says when no problem was fed back."""

    title: str
    unit_line: str
    hint: str
    no_problems: str


def ledger_text(rubric: Rubric, unit: Unit, templates: Path | None = None) -> LedgerText:
    """`unit`'s ledger sentences from the office's template in `templates`, else the bundled one. Raises
    `TemplateBroken`."""
    context = {"城市": rubric.city, "年度": rubric.year, "单位全称": unit.full_name, "报送单位": rubric.office,
               "完成时限示例": f"{rubric.year + 1}-06-30", "进展选项": [str(p) for p in Progress]}  # fmt: skip
    lines = note_lines(LEDGER_NOTES, context, templates)
    return LedgerText(*(line(lines, n) for n in range(4)))


def ledger_name(rubric: Rubric, unit: str) -> str:
    return f"{unit}_{rubric.year}年度考核反馈问题整改台账.xlsx"


def ledger_row(entry: FedBack) -> LedgerRow:
    problem_text = entry.text.strip() or f"该项目{entry.amount()}（反馈意见未写明具体问题）"
    return (entry.item.id, f"{short_text(entry.item)}（{entry.amount()}）", problem_text, "、".join(entry.evaluators))


def expected_content(text: LedgerText, rows: list[LedgerRow]) -> LockedContent:
    return LockedContent((SHEET, MANIFEST_SHEET), text.title, text.unit_line, HEADER, tuple(rows))


def write_ledger(path: Path, rubric: Rubric, unit: Unit, rows: list[LedgerRow], key: bytes, when: datetime,
                 seed: str, text: LedgerText) -> Manifest:  # fmt: skip
    """One unit's signed ledger with the sentences `text` (`ledger_text`); its title and unit line are signed."""
    manifest = Manifest(format=LEDGER_FORMAT, year=rubric.year, rubric_hash=rubric.content_hash, evaluator=unit.name,
                        form_id=derive(key, "rectify-id", rubric.content_hash, unit.name, seed),
                        generated_at=when.isoformat())  # fmt: skip
    manifest = sign(key, manifest, expected_content(text, rows))
    password = derive(key, "sheet-password", manifest.form_id)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})  # fmt: skip
    wb.set_properties({"title": text.title, "subject": f"整改台账：{unit.name}", "author": rubric.office,
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
    ws.merge_range(TITLE_ROW, 0, TITLE_ROW, last_col, text.title, f["title"])
    ws.set_row(UNIT_ROW, 24)
    ws.merge_range(UNIT_ROW, 0, UNIT_ROW, last_col, text.unit_line, f["unit"])
    ws.set_row(HINT_ROW, 46)
    ws.merge_range(HINT_ROW, 0, HINT_ROW, last_col, text.hint, f["hint"])
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
        ws.merge_range(FIRST_ROW, 0, FIRST_ROW, last_col, text.no_problems, f["cell"])
        last = FIRST_ROW
    ws.protect(password, {"select_locked_cells": True, "select_unlocked_cells": True, "format_rows": True,
                          "format_columns": True})  # fmt: skip
    ws.freeze_panes(FIRST_ROW, 0)
    # after a blank row (the locked rows end there): the unit signs and stamps the ledger it returns
    last = write_signature(ws, last + 2, ((0, 3), (4, 5), (6, last_col)), "填报单位", f["sign"])
    page_setup(ws, owner=unit.full_name, title=text.title, last_row=last, last_col=last_col,
               repeat_row=HEADER_ROW)  # fmt: skip
    write_manifest_sheet(wb.add_worksheet(MANIFEST_SHEET), manifest, password)
    wb.close()
    return manifest


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
    register: Register | None = None, when: datetime | None = None, templates: Path | None = None,
) -> Generated:  # fmt: skip
    """One ledger per unit, holding the problems fed back to it (in the office's `wording` when given), its
    sentences from the office's template in `templates` when it has one, into a new folder `<out_parent>/<time>`
    (default parent: `<run>/整改台账`); recorded in the `register`. A broken template gives its problems and no
    file."""
    run, problems = read_run(run_dir, rubric, official="documents")
    if run is None:
        return Generated(None, [], problems)
    try:  # every unit's sentences before the first file
        texts = {unit.name: ledger_text(rubric, unit, templates) for unit in rubric.units}
    except TemplateBroken as exc:
        return Generated(None, [], problems + exc.problems)
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
            manifest = write_ledger(tmp / name, rubric, unit, rows, key, when, seed, texts[unit.name])
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
