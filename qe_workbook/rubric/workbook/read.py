"""Read the rubric workbook back into rubric.json data (qe rubric import).

Every problem is reported at once, in Chinese, with sheet, row and column. The cell-level
reading (numbers, names, dates, merged cells, blank rows) comes first; then the same checks as
`qe rubric check` run on the built data, and each JSON path they name is mapped back to the
cell it came from. A cell already reported is not reported again by those checks: an invalid
cell is replaced by a stand-in that passes the schema, so one mistake gives one message.
"""

from __future__ import annotations

import difflib
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from ...amounts import as_number, from_cell, parse_text_number
from ...problems import Problem, os_error_text, problem
from ..check import check_rubric_data
from ..load import RubricFile
from ..model import grade_label
from ..rules import RULE_LABELS
from .layout import (
    AREAS,
    CHOICE_TEXT,
    DATE,
    DECISIONS,
    EVALUATORS,
    FIXED,
    FIXED_VALUES,
    GRADE,
    GRADING,
    GRADING_ROWS,
    ITEMS,
    KEY_POINTS,
    KIND,
    KIND_TEXT,
    NAMES,
    OPTIONAL_SHEETS,
    PARTS,
    POINTS,
    RULE,
    SETTING_ROWS,
    SETTINGS,
    STEPS,
    STEPS_TEXT,
    TABLES,
    TIES,
    TIES_TEXT,
    UNIT_CLASSES,
    UNITS,
    YEAR,
    YES_NO,
    YES_NO_TEXT,
    Column,
    Setting,
    col_letter,
    where,
)
from .read_rules import Place, assemble_item

_TOP = re.compile(r"\s*前\s*(\d+(?:\.\d+)?)\s*(名|个|%|％)\s*(?:的单位)?\s*")
_SEPARATORS = re.compile(r"[、，,；;/\n]+")
_NUMBER_IN_TEXT = re.compile(r"^(?:加|扣|最高扣|每次扣|每项扣)?\s*(\d+(?:\.\d+)?)\s*分?$")
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")

# How the checks' fixes read for someone editing the workbook rather than the JSON.
_WORKBOOK_FIX = {
    "RUBRIC_AREA_SUM": "请核对该领域各评分项目的分值（“考核领域”工作表的“差额”列应为 0）。",
    "RUBRIC_TOTAL": "请核对“考核领域”工作表的分值和满分，使两者一致。",
    "RUBRIC_CONTACT_MISSING": "请在“评价部门”工作表中补充该部门的联系电话和电子邮箱，以便催收评价表。",
    "RUBRIC_EVALUATOR_UNUSED": "无需处理；该部门今后如有评价项目，在“评价项目”工作表的评价部门中写上其名称即可。",
    "RUBRIC_TEXT_MAX": "请核对附件1原文，使“具体内容”中写明的分值与“分值或最高扣分”“每次扣分”一致。",
    "RUBRIC_GRADING": "请检查“等级评定”工作表的等级分数线。",
    "RUBRIC_SCHEMA": "请按所指单元格修改。",
}


@dataclass
class _Cell:
    value: Any
    col: int


@dataclass
class _Reader:
    src: str
    problems: list[Problem] = field(default_factory=list)
    origin: dict[str, Place] = field(default_factory=dict)
    reported: set[Place] = field(default_factory=set)
    merged: set[tuple[str, int, int]] = field(default_factory=set)

    # ------------------------------------------------------------ reporting

    def report(self, code: str, place: Place, fix: str | None = None, **params: Any) -> None:
        sheet, row, col = place
        cell = f"{col_letter(col)}{row}" if row is not None and col is not None else None
        self.problems.append(
            problem(code, file=self.src, sheet=sheet, cell=cell, fix=fix, where=where(*place), **params)
        )
        self.reported.add(place)
        if row is not None:
            self.reported.add((sheet, row, None))

    def note(self, path: str, place: Place) -> None:
        self.origin.setdefault(path, place)

    # ------------------------------------------------------------ cells

    def points(self, value: Any, place: Place, label: str) -> Decimal | None:
        """A number of points; text like '2分' is reported with the number it should be."""
        number = from_cell(value)
        if number is None and isinstance(value, str):
            number = parse_text_number(value)
            if number is None:
                m = _NUMBER_IN_TEXT.match(value.strip())
                fix = f"请改为 {m.group(1)}（只填数字，不要写“分”等文字）。" if m else None
                self.report("RUBRIC_XLSX_NOT_NUMBER", place, fix=fix, label=label, value=value)
                return Decimal(m.group(1)) if m else Decimal(0)
        if number is None:
            self.report("RUBRIC_XLSX_NOT_NUMBER", place, label=label, value=str(value))
            return Decimal(0)
        return number

    def limit(self, value: Any, extra: Any, sheet: str, row: int, path: str) -> dict[str, Any]:
        """A grade limit: 2 (units), '30%' or a cell formatted as a percentage (0.3) (of the units)."""
        self.note(f"{path}.grade", (sheet, row, 1))
        grade = self.text(value) if value is not None else ""
        place: Place = (sheet, row, 2)
        label = f"{grade_label(grade)}的数量上限"
        text = self.text(extra) if extra is not None else ""
        if top := _TOP.fullmatch(text):  # 前2名 / 前30%: the best units get the grade
            number = self.points(top.group(1), place, label) or Decimal(0)
            key = "top_units" if top.group(2) == "名" else "top_percent"
            self.note(f"{path}.{key}", place)
            return {"grade": grade or "A", key: int(number) if key == "top_units" else number}
        if text.endswith(("%", "％")):
            self.note(f"{path}.max_percent", place)
            return {"grade": grade or "A", "max_percent": self.points(text[:-1].strip(), place, label) or Decimal(0)}
        if not text:
            self.report("RUBRIC_XLSX_EMPTY", place, label=label)
            return {"grade": grade or "A", "max_units": 0}
        number = self.points(extra, place, label) or Decimal(0)
        if 0 < number < 1:  # 30% typed into a percentage cell reads back as 0.3
            self.note(f"{path}.max_percent", place)
            return {"grade": grade or "A", "max_percent": number * 100}
        self.note(f"{path}.max_units", place)
        return {"grade": grade or "A", "max_units": int(number) if number == number.to_integral_value() else number}

    def choice(self, value: Any, place: Place, label: str, options: dict[Any, str], stand_in: Any) -> Any:
        """A value from a fixed list: its label (评分项) or its key (score)."""
        text = str(value).strip()
        for key, shown in options.items():
            if text in (shown, str(key)):
                return key
        expected = "、".join(f"“{v}”" for v in options.values())
        self.report("RUBRIC_XLSX_BAD_VALUE", place, label=label, value=text, expected=expected)
        return stand_in

    def a_date(self, value: Any, place: Place, label: str) -> str:
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        text = str(value).strip()
        for pattern in _DATE_FORMATS:
            try:
                return datetime.strptime(text, pattern).date().isoformat()
            except ValueError:
                continue
        self.report("RUBRIC_XLSX_BAD_VALUE", place, label=label, value=text, expected="日期，例如 2023-04-10")
        return "2000-01-01"

    def year(self, value: Any, place: Place, label: str) -> int:
        number = from_cell(value) if not isinstance(value, str) else parse_text_number(value)
        if number is None or number != number.to_integral_value():
            digits = re.fullmatch(r"\s*(\d{4})\s*年?(度)?\s*", str(value))
            fix = f"请改为 {digits.group(1)}。" if digits else None
            self.report(
                "RUBRIC_XLSX_BAD_VALUE", place, fix=fix, label=label, value=str(value), expected="四位数字的年份"
            )
            return int(digits.group(1)) if digits else 2000
        return int(number)

    def text(self, value: Any) -> str:
        if isinstance(value, float) and value.is_integer():
            return str(int(value))  # a phone number typed as a number
        if isinstance(value, datetime):
            return value.date().isoformat()
        return str(value).strip()

    def is_merged(self, place: Place) -> bool:
        sheet, row, col = place
        return row is not None and col is not None and (sheet, row, col) in self.merged

    # ------------------------------------------------------------ sheets

    def sheet(self, wb: Any, name: str) -> Worksheet | None:
        if name not in wb.sheetnames:
            if name not in OPTIONAL_SHEETS:  # a workbook exported before those sheets simply has none of them
                self.report("RUBRIC_XLSX_SHEET_MISSING", (name, None, None), sheet=name)
            return None
        ws: Worksheet = wb[name]
        for rng in ws.merged_cells.ranges:
            self.report("RUBRIC_XLSX_MERGED", (name, rng.min_row, rng.min_col - 1), cells=rng.coord)
            for row in range(rng.min_row, rng.max_row + 1):
                for col in range(rng.min_col, rng.max_col + 1):
                    if (row, col) != (rng.min_row, rng.min_col):
                        self.merged.add((name, row, col - 1))
        return ws

    def rows(self, ws: Worksheet, width: int) -> Iterator[tuple[int, list[Any]]]:
        """Non-blank rows below the header (1-based row numbers); blank runs in the middle reported once."""
        blank_from: int | None = None
        for n, cells in enumerate(ws.iter_rows(min_row=2, max_col=width, values_only=True), start=2):
            values = [None if isinstance(v, str) and not v.strip() else v for v in cells]
            if all(v is None for v in values):
                blank_from = n if blank_from is None else blank_from
                continue
            if blank_from is not None:
                rows = f"{blank_from}" if blank_from == n - 1 else f"{blank_from}–{n - 1}"
                self.report("RUBRIC_XLSX_BLANK_ROW", (ws.title, blank_from, None), rows=rows)
                blank_from = None
            yield n, values

    def table(self, wb: Any, sheet: str, path: str) -> list[tuple[int, dict[str, _Cell]]]:
        """The records of one table sheet: per row, each column's value found by its header."""
        ws = self.sheet(wb, sheet)
        self.note(path, (sheet, None, None))
        if ws is None:
            return []
        header = [self.text(c.value) if c.value is not None else "" for c in ws[1]]
        cols: dict[str, int] = {}
        for column in TABLES[sheet]:
            if column.header in header:
                cols[column.key] = header.index(column.header)
            elif column.added:
                continue  # a workbook exported before the column: all blank
            else:
                others = [h for h in header if h and h not in {c.header for c in TABLES[sheet]}]
                self.report(
                    "RUBRIC_XLSX_HEADER", (sheet, 1, None), header=column.header, found="、".join(others) or "无"
                )
        if len(cols) < sum(1 for c in TABLES[sheet] if not c.added):
            return []
        width = max(cols.values()) + 1
        records = []
        for row, values in self.rows(ws, width):
            records.append((row, {key: _Cell(values[col], col) for key, col in cols.items()}))
        return records

    def field(self, sheet: str, row: int, path: str, column: Column, cell: _Cell) -> Any:
        """One cell of a table as a JSON value (None when blank and optional)."""
        place: Place = (sheet, row, cell.col)
        self.note(path, place)
        value = cell.value
        if value is None:
            if self.is_merged(place):
                self.reported.add(place)  # the merged cell is the one mistake here
            elif column.required:
                self.report("RUBRIC_XLSX_EMPTY", place, label=column.header)
            return _STAND_IN.get(column.key, "（空）") if column.required else None
        if column.type == POINTS:
            return self.points(value, place, column.header)
        if column.type == KIND:
            return self.choice(value, place, column.header, KIND_TEXT, "score")
        if column.type == NAMES:
            return [n.strip() for n in _SEPARATORS.split(self.text(value)) if n.strip()]
        if column.type in _TABLE_CHOICES:
            options, stand_in = _TABLE_CHOICES[column.type]
            return self.choice(value, place, column.header, options, stand_in)
        if column.type == POINTS:
            return self.points(value, place, column.header)
        return self.text(value)

    def records(self, wb: Any, sheet: str, key: str) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for row, cells in self.table(wb, sheet, f"$.{key}"):
            n = len(out)
            self.note(f"$.{key}[{n}]", (sheet, row, None))
            record = {}
            for column in TABLES[sheet]:
                if column.key not in cells:
                    continue
                value = self.field(sheet, row, f"$.{key}[{n}].{column.key}", column, cells[column.key])
                if value is not None:
                    record[column.key] = value
            out.append(record)
        return out

    # ------------------------------------------------------------ key-value sheets

    def key_values(self, wb: Any, sheet: str, settings: tuple[Setting, ...], root: str) -> dict[str, Any]:
        """A '项目 | 内容' sheet: each setting's value(s) with the place they came from."""
        ws = self.sheet(wb, sheet)
        self.note(root, (sheet, None, None))
        if ws is None:
            return {}
        by_label = {s.label: s for s in settings}
        found: dict[str, list[tuple[int, Any, Any]]] = {}
        for row, values in self.rows(ws, 3):
            label = self.text(values[0]) if values[0] is not None else ""
            setting = by_label.get(label)
            if setting is None:
                self.report("RUBRIC_XLSX_UNKNOWN_LABEL", (sheet, row, 0), label=label or "（空）")
                continue
            found.setdefault(setting.path, []).append((row, values[1], values[2] if sheet == GRADING else None))
        out: dict[str, Any] = {}
        for setting in settings:
            rows = found.get(setting.path, [])
            path = f"{root}.{setting.path}"
            if not rows:
                if setting.required:
                    self.report("RUBRIC_XLSX_ROW_MISSING", (sheet, None, None), label=setting.label)
                    out[setting.path] = _SETTING_STAND_IN.get(setting.type, "（空）")
                continue
            if not setting.many and len(rows) > 1:
                self.report("RUBRIC_XLSX_REPEATED", (sheet, rows[1][0], 0), label=setting.label)
            if setting.many:
                values = []
                for row, value, extra in rows:
                    if value is None and extra is None:
                        continue
                    self.note(f"{path}[{len(values)}]", (sheet, row, 1))
                    values.append(self.setting(setting, sheet, row, value, extra, f"{path}[{len(values)}]"))
                self.note(path, (sheet, rows[0][0], None))
                if values or setting.required:
                    out[setting.path] = values
                continue
            row, value, extra = rows[0]
            self.note(path, (sheet, row, 1))
            if value is None:
                if setting.required:
                    self.report("RUBRIC_XLSX_EMPTY", (sheet, row, 1), label=setting.label)
                    out[setting.path] = _SETTING_STAND_IN.get(setting.type, "（空）")
                continue
            out[setting.path] = self.setting(setting, sheet, row, value, extra, path)
        return out

    def setting(self, setting: Setting, sheet: str, row: int, value: Any, extra: Any, path: str) -> Any:
        place: Place = (sheet, row, 1)
        label = setting.label
        if setting.path == "thresholds":
            self.note(f"{path}.grade", place)
            self.note(f"{path}.min", (sheet, row, 2))
            grade = self.text(value) if value is not None else ""
            if extra is None:
                self.report("RUBRIC_XLSX_EMPTY", (sheet, row, 2), label=f"{grade_label(grade)}的最低分")
                minimum = Decimal(0)
            else:
                minimum = self.points(extra, (sheet, row, 2), f"{grade_label(grade)}的最低分") or Decimal(0)
            return {"grade": grade or "A", "min": minimum}
        if setting.path == "limits":
            return self.limit(value, extra, sheet, row, path)
        if setting.type == DATE:
            return self.a_date(value, place, label)
        if setting.type == YEAR:
            return self.year(value, place, label)
        if setting.type == YES_NO:
            return self.choice(value, place, label, YES_NO_TEXT, True)
        if setting.type in CHOICE_TEXT:
            options = CHOICE_TEXT[setting.type]
            return self.choice(value, place, label, options, next(iter(options)))
        if setting.type == POINTS:
            return self.points(value, place, label) or Decimal(0)
        if setting.type == FIXED:
            key, shown = FIXED_VALUES[setting.path]
            return self.choice(value, place, label, {key: shown}, key)
        return self.text(value)


_TABLE_CHOICES: dict[str, tuple[dict[Any, str], Any]] = {
    YES_NO: (YES_NO_TEXT, True),
    RULE: (RULE_LABELS, "points"),
    STEPS: (STEPS_TEXT, "whole"),
    TIES: (TIES_TEXT, "share"),
}
_STAND_IN = {"id": "x", "max": Decimal(0), "evaluators": ["（空）"], "kind": "score"}
_SETTING_STAND_IN: dict[str, Any] = {DATE: "2000-01-01", YEAR: 2000, GRADE: "A"}


def _nested(flat: dict[str, Any]) -> dict[str, Any]:
    """{'period.start': x} -> {'period': {'start': x}}."""
    out: dict[str, Any] = {}
    for path, value in flat.items():
        parts = path.split(".")
        node = out
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return out


def plain_numbers(value: Any, convert: Any = as_number) -> Any:
    """Decimals converted (to JSON numbers by default: int when whole, else float), recursively."""
    if isinstance(value, Decimal):
        return convert(value)
    if isinstance(value, dict):
        return {k: plain_numbers(v, convert) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_numbers(v, convert) for v in value]
    return value


def _as_loaded(value: Decimal) -> int | Decimal:
    """A number as rubric.json's reader gives it: whole numbers as int, others as Decimal."""
    return int(value) if value == value.to_integral_value() else value


def read_workbook(path: Path) -> RubricFile:
    """Read a rubric workbook: the rubric.json data and every problem, with sheet, row and column."""
    src = str(path)
    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except OSError as exc:
        return RubricFile(None, [problem("RUBRIC_XLSX_UNREADABLE", file=src, reason=os_error_text(exc))])
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError):
        return RubricFile(None, [problem("RUBRIC_XLSX_UNREADABLE", file=src, reason="不是 .xlsx 工作簿或文件已损坏")])
    reader = _Reader(src)
    settings = _nested(reader.key_values(wb, SETTINGS, SETTING_ROWS, "$"))
    units = reader.records(wb, UNITS, "units")
    classes = reader.records(wb, UNIT_CLASSES, "unit_classes")
    areas = reader.records(wb, AREAS, "areas")
    parts = reader.records(wb, PARTS, "parts")
    key_points = reader.records(wb, KEY_POINTS, "key_points")
    items = reader.records(wb, ITEMS, "items")
    evaluators = reader.records(wb, EVALUATORS, "evaluators")
    grading = _nested(reader.key_values(wb, GRADING, GRADING_ROWS, "$.grading"))
    decisions = reader.records(wb, DECISIONS, "decisions")
    _resolve_references(reader, areas, key_points, items, evaluators, settings.get("year", ""))
    _resolve_scoring(reader, units, classes, areas, parts, items)
    for ev in evaluators:
        ev.setdefault("phone", "")
        ev.setdefault("email", "")
    data: dict[str, Any] = {"schema_version": 1, **settings, "units": units, "areas": areas,
                            "key_points": [_ordered(k, _KEY_POINT_KEYS) for k in key_points],
                            "items": [_ordered(i, _ITEM_KEYS) for i in items],
                            "evaluators": [_ordered(e, _EVALUATOR_KEYS) for e in evaluators], "grading": grading}  # fmt: skip
    for key, records in (("unit_classes", classes), ("parts", parts), ("decisions", decisions)):
        if records:
            data[key] = records
    if uses_scoring_language(data):
        data["schema_version"] = 2
    data = plain_numbers(data, _as_loaded)
    problems = reader.problems + _mapped(reader, check_rubric_data(data, src), data)
    return RubricFile(data, problems)


_ITEM_KEYS = ("id", "area", "key_point", "group", "kind", "max", "per_event", "text", "evaluators", "notes", "focus",
              "rule", "combine", "classes", "self_score")  # fmt: skip
_KEY_POINT_KEYS = ("id", "label", "title", "area", "parent", "max")
_EVALUATOR_KEYS = ("name", "full_name", "bureau", "phone", "email", "aliases")
_NEW_TOP = ("total", "parts", "start_from", "floor", "texts", "unit_classes")
_NEW_ITEM = ("rule", "combine", "classes", "self_score")


def uses_scoring_language(data: dict[str, Any]) -> bool:
    """Whether the rubric uses a construct beyond the 2022 rubric's (then its schema_version is 2)."""
    grading = data.get("grading", {})
    return (
        any(k in data for k in _NEW_TOP)
        or any(k in i for i in data.get("items", ()) for k in _NEW_ITEM)
        or any(k in kp for kp in data.get("key_points", ()) for k in ("parent", "max"))
        or any("class" in u for u in data.get("units", ()))
        or any(k in grading for k in ("bonus_cap", "by_percent"))
        or any(k in x for x in grading.get("limits", ()) for k in ("top_units", "top_percent"))
    )


def _ordered(record: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: record[k] for k in keys if k in record}


def _lookup(
    reader: _Reader, value: str, place: Place, label: str, sheet: str, names: dict[str, str]
) -> str:  # fmt: skip
    """The id a clerk's text stands for (an id, a name, a label…); unknown names get the nearest suggestion."""
    if value in names:
        return names[value]
    if not reader.is_merged(place) and place not in reader.reported:
        near = difflib.get_close_matches(value, list(names), n=1, cutoff=0.5)
        fix = f"是否应为“{near[0]}”？请改为与“{sheet}”工作表完全一致的名称，或从下拉列表中选择。" if near else None
        reader.report("RUBRIC_XLSX_UNKNOWN_NAME", place, fix=fix, label=label, value=value, table=sheet)
    return value


def _resolve_references(
    reader: _Reader, areas: list[dict[str, Any]], key_points: list[dict[str, Any]],
    items: list[dict[str, Any]], evaluators: list[dict[str, Any]], year: Any,
) -> None:  # fmt: skip
    """Names the clerk chose from drop-downs -> the ids rubric.json uses; new items get ids."""
    area_names = {a.get("name", ""): a["id"] for a in areas} | {a["id"]: a["id"] for a in areas}
    kp_names: dict[str, str] = {}
    for kp in key_points:
        for shown in (kp["id"], kp.get("label", ""), kp.get("title", ""), kp.get("label", "") + kp.get("title", "")):
            kp_names.setdefault(shown, kp["id"])
    ev_names = {n: n for e in evaluators for n in (e["name"], *e.get("aliases", ()))}
    for n, key_point in enumerate(key_points):
        if "area" in key_point:
            key_point["area"] = _lookup(
                reader, key_point["area"], reader.origin[f"$.key_points[{n}].area"], "考核领域", AREAS, area_names
            )
        if "parent" in key_point:
            key_point["parent"] = _lookup(
                reader,
                key_point["parent"],
                reader.origin[f"$.key_points[{n}].parent"],
                "上级要点",
                KEY_POINTS,
                kp_names,
            )
    for n, item in enumerate(items):
        path = f"$.items[{n}]"
        item["area"] = _lookup(reader, item["area"], reader.origin[f"{path}.area"], "考核领域", AREAS, area_names)
        item["key_point"] = _lookup(
            reader, item["key_point"], reader.origin[f"{path}.key_point"], "考核要点", KEY_POINTS, kp_names
        )
        for k, name in enumerate(item["evaluators"]):
            reader.note(f"{path}.evaluators[{k}]", reader.origin[f"{path}.evaluators"])
            _lookup(reader, name, reader.origin[f"{path}.evaluators"], "评价部门", EVALUATORS, ev_names)
    _number_new_items(reader, items, year)


def _resolve_scoring(
    reader: _Reader, units: list[dict[str, Any]], classes: list[dict[str, Any]], areas: list[dict[str, Any]],
    parts: list[dict[str, Any]], items: list[dict[str, Any]],
) -> None:  # fmt: skip
    """Class and area names -> ids (units' classes, parts' areas, items' classes); the items' rules assembled."""
    class_names = {c.get("name", ""): c["id"] for c in classes} | {c["id"]: c["id"] for c in classes}
    area_names = {a.get("name", ""): a["id"] for a in areas} | {a["id"]: a["id"] for a in areas}

    def class_id(name: str, place: Place) -> str:
        return _lookup(reader, name, place, "单位类别", UNIT_CLASSES, class_names)

    def area_id(name: str, place: Place) -> str:
        return _lookup(reader, name, place, "考核领域", AREAS, area_names)

    for n, unit in enumerate(units):
        if "class" in unit:
            unit["class"] = class_id(unit["class"], reader.origin[f"$.units[{n}].class"])
    for n, part in enumerate(parts):
        place = reader.origin[f"$.parts[{n}].areas"]
        for k in range(len(part["areas"])):
            reader.note(f"$.parts[{n}].areas[{k}]", place)
        part["areas"] = [area_id(a, place) for a in part["areas"]]
    for n, item in enumerate(items):
        assemble_item(reader, item, f"$.items[{n}]", area_id, class_id)


def _number_new_items(reader: _Reader, items: list[dict[str, Any]], year: Any) -> None:
    """Ids for new items: year-key point-n (2023-16-1), so an id dropped last year is never reused."""
    taken = {i["id"] for i in items if "id" in i}
    for n, item in enumerate(items):
        if "id" in item:
            continue
        number = 1
        while f"{year}-{item['key_point']}-{number}" in taken:
            number += 1
        item["id"] = f"{year}-{item['key_point']}-{number}"
        taken.add(item["id"])
        sheet, row, col = reader.origin[f"$.items[{n}].id"]
        reader.problems.append(
            problem("RUBRIC_XLSX_ID_ASSIGNED", file=reader.src, sheet=sheet, cell=f"{col_letter(col or 0)}{row}",
                    where=where(sheet, row, col), id=item["id"])
        )  # fmt: skip


def _place_of(reader: _Reader, path: str) -> Place | None:
    """The cell (or row, or sheet) a JSON path came from: the longest known prefix."""
    while path:
        if path in reader.origin:
            return reader.origin[path]
        cut = max(path.rfind("."), path.rfind("["))
        if cut <= 0:
            return None
        path = path[:cut]
    return None


_FIELD_LABELS = {"max": "分值", "per_event": "每次扣分"}
_LIST_KEYS = {"$.units": "name", "$.areas": "id", "$.key_points": "id", "$.items": "id"}


def _repeated_path(path: str, value: Any, data: dict[str, Any]) -> str:
    """Where a repeated id or name is repeated: its last occurrence (the row the clerk added)."""
    base = path.rsplit("[", 1)[0]
    key = _LIST_KEYS.get(base)
    if key is None:
        return path
    found = [n for n, record in enumerate(data[base[2:]]) if record.get(key) == value]
    return f"{base}[{found[-1]}].{key}" if found else path


def _mapped(reader: _Reader, checked: list[Problem], data: dict[str, Any]) -> list[Problem]:
    """The checks' problems told at the sheet, row and column the JSON path came from; repeats dropped.

    Each is rendered again from its code's template, with the place for {cell} and the workbook's
    words for JSON field names and fixes.
    """
    out = []
    for p in checked:
        path = p.cell or ""
        if p.code == "RUBRIC_DUPLICATE_ID":
            path = _repeated_path(path, p.params.get("value"), data)
        place = _place_of(reader, path)
        if place is not None and (place in reader.reported or (place[0], place[1], None) in reader.reported):
            continue
        sheet, row, col = place or (None, None, None)
        shown = where(*place) if place else "[考核细则]"
        params = {k: _FIELD_LABELS.get(v, v) if k == "field" else v for k, v in p.params.items()}
        fix = _WORKBOOK_FIX.get(p.code)
        told = problem(p.code, file=p.file, sheet=sheet, cell=shown, severity=p.severity, fix=fix, **params)
        if shown not in told.message:
            told = replace(told, message=f"{shown}：{told.message}")
        cell = f"{col_letter(col)}{row}" if row is not None and col is not None else None
        out.append(replace(told, cell=cell))
    return out
