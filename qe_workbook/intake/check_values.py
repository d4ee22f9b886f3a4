"""The values an evaluator entered: scores, event counts, veto answers, remarks and the fill date.

Each input cell becomes an `Entry`; a value that breaks a rule is reported and left out (the
entry stays, with `value=None`, so the master frame shows exactly what was written).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from ..amounts import canonical, decimal_places, from_cell, parse_text_number
from ..forms.layout import (
    COL_REMARK,
    COL_SCORE,
    DATE_CELL,
    DATE_COL,
    DATE_ROW,
    DEPT_ROW,
    FIRST_DATA_ROW,
    FORM_SHEET,
    HEADER_ROW,
    HINT_ROW,
    LAST_COL,
    NOTES,
    REMARK_MAX_CHARS,
    TITLE_ROW,
    FormRow,
    cell_ref,
    form_rows,
    notes_row,
)
from ..problems import Problem, Severity, make_problem
from ..rubric import Kind, Rubric
from .read_form import RawForm, cell_text, is_blank

VETO_YES, VETO_NO = "是", "否"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
_EXCEL_EPOCH = date(1899, 12, 30)


@dataclass(frozen=True)
class Entry:
    """One (unit, item) value from one evaluator's form."""

    unit: str
    item_id: str
    raw: str
    value: Decimal | None
    remark: str
    cell: str
    remark_cell: str

    @property
    def valid(self) -> bool:
        return self.value is not None


@dataclass
class Values:
    entries: list[Entry]
    fill_date: date | None
    problems: list[Problem]


def read_values(raw: RawForm, rubric: Rubric, evaluator: str, file: str, *, allow_partial: bool = False) -> Values:
    rows = form_rows(rubric, evaluator)
    problems: list[Problem] = []

    def P(code: str, cell: str, detail: str, severity: Severity | None = None) -> None:
        problems.append(make_problem(code, detail, file=file, sheet=FORM_SHEET, cell=cell, severity=severity))

    entries = [_entry(raw, r, P, allow_partial) for r in rows]
    fill_date = _fill_date(raw, rubric, P)
    _extra_content(raw, rows, P)
    return Values(entries, fill_date, problems)


Reporter = Callable[..., None]


def _entry(raw: RawForm, r: FormRow, P: Reporter, allow_partial: bool) -> Entry:
    item = r.item
    cell, remark_cell = r.score_cell, r.remark_cell
    where = f"{r.unit.name}第{r.number}项（{item.id}）"
    value_raw = raw.cell(r.row, COL_SCORE)
    remark = _remark(raw, r, P, where)
    value: Decimal | None = None
    if (r.row, COL_SCORE) in raw.scan.formulas:
        P("VALUE_FORMULA", cell, f"{where}的“实际得分”是公式（计算结果为 {cell_text(value_raw) or '空'}）")
    elif is_blank(value_raw):
        P("VALUE_EMPTY", cell, f"{where}的“实际得分”未填写", Severity.WARNING if allow_partial else None)
    elif item.kind is Kind.VETO:
        value = _veto(value_raw, cell, where, P)
    else:
        value = _number(value_raw, r, cell, where, P)
    if value is not None and not remark and _falls_short(r, value):
        what = {
            Kind.SCORE: f"得分 {canonical(value)} 低于满分 {canonical(item.max)}",
            Kind.DEDUCTION: f"填报发生 {canonical(value)} 次事件",
            Kind.VETO: "填报发生否决事件",
        }[item.kind]
        P("VALUE_REMARK_MISSING", remark_cell, f"{where}{what}，但“评价说明”未填写")
    return Entry(r.unit.name, item.id, cell_text(value_raw), value, remark, cell, remark_cell)


def _falls_short(r: FormRow, value: Decimal) -> bool:
    if r.item.kind is Kind.SCORE:
        return value < r.item.max
    return r.item.kind in (Kind.DEDUCTION, Kind.VETO) and value > 0


def _veto(value: Any, cell: str, where: str, P: Reporter) -> Decimal | None:
    text = unicodedata.normalize("NFKC", str(value)).strip() if isinstance(value, str) else None
    if text == VETO_YES:
        return Decimal(1)
    if text == VETO_NO:
        return Decimal(0)
    P("VALUE_VETO_INVALID", cell, f"{where}填的是“{cell_text(value)}”")
    return None


def _number(value: Any, r: FormRow, cell: str, where: str, P: Reporter) -> Decimal | None:
    item = r.item
    if isinstance(value, str):
        number = parse_text_number(unicodedata.normalize("NFKC", value))
    elif isinstance(value, (date, datetime, timedelta)):
        P("VALUE_NOT_NUMBER", cell, f"{where}的“实际得分”被识别成了日期或时间（{cell_text(value)}）")
        return None
    else:
        number = from_cell(value)
    if number is None:
        hint = "（满分请直接填写数字）" if "满分" in str(value) else ""
        P("VALUE_NOT_NUMBER", cell, f"{where}的“实际得分”填的是“{cell_text(value)[:30]}”，不是数字{hint}")
        return None
    if number < 0:
        P("VALUE_BELOW_ZERO", cell, f"{where}的“实际得分”为 {canonical(number)}")
        return None
    if item.kind is Kind.DEDUCTION:
        if number != number.to_integral_value():
            P("VALUE_EVENTS_NOT_WHOLE", cell, f"{where}是扣分项，填的 {canonical(number)} 不是整数次数")
            return None
        return number
    if number > item.max:
        P("VALUE_ABOVE_MAX", cell, f"{where}的“实际得分”为 {canonical(number)}，超过满分 {canonical(item.max)}")
        return None
    if decimal_places(number) > 2:
        P("VALUE_TOO_PRECISE", cell, f"{where}的“实际得分”为 {canonical(number)}，小数超过两位")
        return None
    return number


def _remark(raw: RawForm, r: FormRow, P: Reporter, where: str) -> str:
    value = raw.cell(r.row, COL_REMARK)
    if (r.row, COL_REMARK) in raw.scan.formulas:
        P("VALUE_FORMULA", r.remark_cell, f"{where}的“评价说明”是公式，未采用")
        return ""
    if is_blank(value):
        return ""
    text = cell_text(value).strip()
    cleaned = _CONTROL.sub("", text)
    if cleaned != text:
        P("VALUE_REMARK_CONTROL_CHARS", r.remark_cell, f"{where}的“评价说明”含 {len(text) - len(cleaned)} 个控制字符")
    if len(cleaned) > REMARK_MAX_CHARS:
        P(
            "VALUE_REMARK_TOO_LONG",
            r.remark_cell,
            f"{where}的“评价说明”有 {len(cleaned)} 字，只保留前 {REMARK_MAX_CHARS} 字",
        )
        cleaned = cleaned[:REMARK_MAX_CHARS]
    return cleaned


def parse_fill_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    number = from_cell(value)
    if number is not None:  # an Excel serial number left without a date format
        return _EXCEL_EPOCH + timedelta(days=int(number)) if 1 <= number <= 100_000 else None
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        for fmt in _DATE_FORMATS:
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
    return None


def _fill_date(raw: RawForm, rubric: Rubric, P: Reporter) -> date | None:
    value = raw.cell(DATE_ROW, DATE_COL)
    if is_blank(value):
        P("VALUE_DATE_MISSING", DATE_CELL, "“填报日期”未填写")
        return None
    if (DATE_ROW, DATE_COL) in raw.scan.formulas:
        P("VALUE_DATE_INVALID", DATE_CELL, "“填报日期”是公式，请直接填写日期")
        return None
    parsed = parse_fill_date(value)
    if parsed is None:
        P("VALUE_DATE_INVALID", DATE_CELL, f"“填报日期”填的是“{cell_text(value)[:30]}”，无法识别为日期")
        return None
    if parsed > rubric.return_deadline:
        P(
            "VALUE_DATE_LATE",
            DATE_CELL,
            f"填报日期 {parsed:%Y-%m-%d} 晚于回收截止日期 {rubric.return_deadline:%Y-%m-%d}",
        )
    return parsed


def _extra_content(raw: RawForm, rows: list[FormRow], P: Reporter) -> None:
    """Cells holding something where the form has nothing: never summed, but worth a word."""
    allowed = {(TITLE_ROW, 0), (DEPT_ROW, 0), (HINT_ROW, 0)}
    allowed |= {(DATE_ROW, DATE_COL - 1), (DATE_ROW, DATE_COL), (DATE_ROW, LAST_COL)}
    allowed |= {(HEADER_ROW, c) for c in range(LAST_COL + 1)}
    allowed |= {(r.row, c) for r in rows for c in range(LAST_COL + 1)}
    first_note = notes_row(rows)
    allowed |= {(first_note + n, 0) for n in range(len(NOTES))}
    extra = [
        cell_ref(row, col)
        for row, values in enumerate(raw.grid)
        for col, value in enumerate(values)
        if not is_blank(value) and (row, col) not in allowed
    ]
    if extra and raw.grid and len(raw.grid) > FIRST_DATA_ROW:
        shown = "、".join(extra[:5]) + (f" 等 {len(extra)} 个单元格" if len(extra) > 5 else "")
        P("FORM_EXTRA_CONTENT", extra[0], f"单元格 {shown} 中有内容，不在填写区域内")
