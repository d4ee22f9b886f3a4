"""联系人员名单.xlsx (附件3): the locked, signed template for a unit, and reading a returned one.

The template is signed with the office's key as the evaluation forms are (forms/manifest.py):
the manifest names the unit, the HMAC covers the sheet names, title, unit line and header.
A list the unit typed up itself (no signature) is still read, by its header row, with a warning.
Required: 姓名、单位、职务、手机 for each person; 固定电话 and 邮箱 are checked when filled in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ..dates import chinese_date
from ..forms.generate import write_manifest_sheet
from ..forms.layout import MANIFEST_SHEET, cell_ref
from ..forms.manifest import LockedContent, Manifest, derive, sign
from ..forms.paper import page_setup
from ..intake.read_form import RawForm, cell_text
from ..intake.returns import FormKind, Locked, check_signed
from ..problems import Problem, problem
from ..rubric import Rubric, Unit
from ..workbooks import new_workbook
from .materials import contacts_title

CONTACTS_FORMAT = "qe_workbook-contacts/1"
SHEET = "联系人员名单"
SHEETS = (SHEET, MANIFEST_SHEET)
HEADER = ("姓名", "单位", "职务", "固定电话", "手机", "邮箱")
REQUIRED = ("姓名", "单位", "职务", "手机")
TITLE_ROW, UNIT_ROW, HEADER_ROW, FIRST_ROW = 0, 1, 3, 4
INPUT_ROWS = 12
FONT = "宋体"

MOBILE = re.compile(r"1[3-9][0-9]{9}")
LANDLINE = re.compile(r"0[0-9]{2,3}-[0-9]{7,8}")
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
RULES = {
    "手机": (MOBILE, "手机号码应为以 1 开头的 11 位数字，例如 13812345678"),
    "固定电话": (LANDLINE, "固定电话应写成“区号-号码”，例如 0395-1234567"),
    "邮箱": (EMAIL, "电子邮箱应形如 name@example.com"),
}


def unit_line(unit: Unit) -> str:
    return f"填报单位（盖章）：{unit.full_name}"


def expected_content(unit: Unit) -> LockedContent:
    return LockedContent(sheets=SHEETS, title=contacts_title(unit), department=unit_line(unit), header=HEADER, rows=())


def write_contacts(rubric: Rubric, unit: Unit, path: Path, key: bytes, when: datetime) -> Manifest:
    manifest = Manifest(
        format=CONTACTS_FORMAT,
        year=rubric.year,
        rubric_hash=rubric.content_hash,
        evaluator=unit.name,
        form_id=derive(key, "contacts-id", rubric.content_hash, unit.name),
        generated_at=when.isoformat(),
    )
    manifest = sign(key, manifest, expected_content(unit))
    password = derive(key, "sheet-password", manifest.form_id)
    wb = new_workbook(path)
    wb.set_properties({"title": contacts_title(unit), "author": rubric.office, "created": when})
    for name, value in manifest.rows():
        wb.set_custom_property(f"qe_{name}", value)
    base = {"font_name": FONT, "font_size": 11, "valign": "vcenter", "text_wrap": True}
    title = wb.add_format({**base, "font_name": "黑体", "font_size": 16, "align": "center"})
    plain = wb.add_format({**base, "font_size": 12})
    hint = wb.add_format({**base, "font_size": 10, "font_color": "#404040"})
    header = wb.add_format({**base, "bold": True, "border": 1, "align": "center", "bg_color": "#D9E1F2"})
    entry = wb.add_format({**base, "border": 1, "locked": False, "bg_color": "#FFF2CC", "num_format": "@"})
    ws = wb.add_worksheet(SHEET)
    for col, width in enumerate((12, 26, 18, 17, 16, 28)):
        ws.set_column(col, col, width)
    ws.set_row(TITLE_ROW, 30)
    ws.merge_range(TITLE_ROW, 0, TITLE_ROW, len(HEADER) - 1, contacts_title(unit), title)
    ws.merge_range(UNIT_ROW, 0, UNIT_ROW, len(HEADER) - 1, unit_line(unit), plain)
    ws.set_row(UNIT_ROW + 1, 48)
    deadline = rubric.materials_deadline
    ws.merge_range(
        UNIT_ROW + 1, 0, UNIT_ROW + 1, len(HEADER) - 1,
        f"填写说明：只在浅黄色单元格中填写，每行一人，至少一人。手机为 11 位数字；固定电话写成“区号-号码”（如 0395-1234567）；"
        f"请于 {chinese_date(deadline)}前将本表 .xlsx 电子版连同自评报告报送{rubric.office}，"
        "纸质版一式两份加盖公章。请勿增删行列或改动其他内容。",
        hint,
    )  # fmt: skip
    ws.set_row(HEADER_ROW, 22)
    ws.write_row(HEADER_ROW, 0, HEADER, header)
    last = FIRST_ROW + INPUT_ROWS - 1
    for row in range(FIRST_ROW, last + 1):
        ws.set_row(row, 22)
        for col in range(len(HEADER)):
            ws.write_blank(row, col, None, entry)
    for col, name in enumerate(HEADER):
        ws.data_validation(FIRST_ROW, col, last, col, _validation(name, cell_ref(FIRST_ROW, col)))
    ws.protect(password, {"select_locked_cells": True, "select_unlocked_cells": True, "format_columns": True})
    page_setup(ws, owner=unit.full_name, title=contacts_title(unit), last_row=last, last_col=len(HEADER) - 1)
    write_manifest_sheet(wb.add_worksheet(MANIFEST_SHEET), manifest, password)
    wb.close()
    return manifest


def _validation(name: str, top: str) -> dict[str, Any]:
    """Data validation for one column, as Excel formulas relative to its first input cell."""
    c = top
    formulas = {
        "手机": f'AND(LEN({c})=11,LEFT({c},1)="1",ISNUMBER(-{c}),ISERROR(FIND(".",{c})))',
        "固定电话": (
            f'AND(LEFT({c},1)="0",ISNUMBER(-SUBSTITUTE({c},"-","")),LEN({c})-LEN(SUBSTITUTE({c},"-",""))=1,'
            f'OR(FIND("-",{c})=4,FIND("-",{c})=5),LEN({c})-FIND("-",{c})>=7,LEN({c})-FIND("-",{c})<=8)'
        ),
        "邮箱": f'AND(ISNUMBER(FIND("@",{c})),ISNUMBER(FIND(".",{c},FIND("@",{c})+2)),ISERROR(FIND(" ",{c})))',
    }
    if name in RULES:
        message = RULES[name][1]
        return {
            "validate": "custom", "value": "=" + formulas[name], "ignore_blank": True,
            "input_title": name, "input_message": message + "。",
            "error_title": f"{name}格式不正确", "error_message": message + "。", "error_type": "stop",
        }  # fmt: skip
    return {"validate": "length", "criteria": "<=", "value": 60, "input_title": name,
            "input_message": f"请填写{name}。", "error_title": "内容过长", "error_message": "请不超过60字。"}  # fmt: skip


@dataclass(frozen=True)
class Person:
    unit: str  # the assessed unit the list belongs to
    values: dict[str, str]  # header -> text
    file: str
    row: int


@dataclass
class ContactList:
    unit: Unit | None
    signed: bool
    people: list[Person]
    problems: list[Problem]


# Locked: the title, the unit line and the header; the people's rows are open.
CONTACTS = FormKind(CONTACTS_FORMAT, Locked(title=(TITLE_ROW, 0), owner=(UNIT_ROW, 0), header_row=HEADER_ROW,
                                            header_columns=len(HEADER)))  # fmt: skip


def signed_unit(raw: RawForm, rubric: Rubric, key: bytes) -> Unit | None:
    """The unit of an authentic, unaltered template of this year, else None."""
    signed = check_signed(raw, CONTACTS, key)
    if signed is None or not signed.verified or signed.manifest.year != rubric.year:
        return None
    return next((u for u in rubric.units if u.name == CONTACTS.owner(signed.manifest)), None)


def _header_row(raw: RawForm) -> tuple[int, dict[str, int]] | None:
    for row in range(min(len(raw.grid), 15)):
        names = {cell_text(raw.cell(row, c)).replace(" ", ""): c for c in range(len(raw.grid[row]))}
        if "姓名" in names and ("手机" in names or "手机号码" in names):
            columns = {h: names[h] for h in HEADER if h in names}
            if "手机" not in columns:
                columns["手机"] = names["手机号码"]
            return row, columns
    return None


def _text(value: Any) -> str:
    """A cell as typed: a phone number stored as a number reads back without '.0'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return cell_text(value).strip()


def read_contacts(raw: RawForm, unit: Unit, signed: bool, file: str) -> ContactList:
    found = _header_row(raw)
    if found is None:
        return ContactList(unit, signed, [], [problem("UNIT_CONTACTS_NO_TABLE", file=file, unit=unit.name)])
    header_row, columns = found
    problems: list[Problem] = []
    missing = [h for h in REQUIRED if h not in columns]
    if missing:
        problems.append(problem("UNIT_CONTACTS_COLUMNS", file=file, unit=unit.name, columns=missing))
    people = []
    for row in range(header_row + 1, len(raw.grid)):
        values = {h: _text(raw.cell(row, c)) for h, c in columns.items()}
        if not any(values.values()):
            continue
        people.append(Person(unit.name, values, file, row + 1))
        problems += list(_person_problems(values, columns, unit, file, row))
    if not people:
        problems.append(problem("UNIT_CONTACTS_EMPTY", file=file, unit=unit.name))
    return ContactList(unit, signed, people, problems)


def _person_problems(
    values: dict[str, str], columns: dict[str, int], unit: Unit, file: str, row: int
) -> Iterator[Problem]:
    for name, col in columns.items():
        value = values[name]
        cell = cell_ref(row, col)
        if not value:
            if name in REQUIRED:
                yield problem("UNIT_CONTACTS_BLANK", file=file, sheet=SHEET, cell=cell, unit=unit.name, column=name)
            continue
        rule = RULES.get(name)
        if rule and not rule[0].fullmatch(value):
            yield problem("UNIT_CONTACTS_FORMAT", file=file, sheet=SHEET, cell=cell, unit=unit.name, column=name,
                          value=value, rule=rule[1])  # fmt: skip
