"""The values an evaluator entered: scores, event counts, veto answers, remarks and the fill date.

Each input cell becomes an `Entry`; a value that breaks a rule is reported and left out (the
entry stays, with `value=None`, so the master frame shows exactly what was written).
"""

from __future__ import annotations

import re
import unicodedata
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
    HEADER_ROW,
    HINT_ROW,
    LABEL_COL,
    LAST_COL,
    REMARK_MAX_CHARS,
    TITLE_ROW,
    VETO_NO,
    VETO_YES,
    FormRow,
    FormSpec,
    cell_ref,
    notes_row,
    signature_row,
)
from ..problems import Problem, Severity, problem
from ..rubric import Kind
from .check_rules import asked_value, remark_missing
from .read_form import RawForm, cell_text, is_blank

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
_EXCEL_EPOCH = date(1899, 12, 30)


@dataclass(frozen=True)
class Entry:
    """One (unit, item, entry) value from one evaluator's form (`entry` 0: the item's one input; 1..n: a
    checklist's aspect)."""

    unit: str
    item_id: str
    raw: str
    value: Decimal | None
    remark: str
    cell: str
    remark_cell: str
    entry: int = 0

    @property
    def valid(self) -> bool:
        return self.value is not None


@dataclass
class Values:
    entries: list[Entry]
    fill_date: date | None
    problems: list[Problem]


def read_values(raw: RawForm, spec: FormSpec, file: str, *, allow_partial: bool = False) -> Values:
    """The values entered on an authentic form issued as `spec` (an evaluation form, a correction form:
    of its units' rows, a unit's self-score table)."""
    problems: list[Problem] = []
    entries = [_entry(raw, r, spec.sheet, file, problems, allow_partial) for r in spec.rows]
    fill_date = _fill_date(raw, spec, file, problems)
    problems += _extra_content(raw, spec, file)
    return Values(entries, fill_date, problems)


_REMARK_MISSING = {
    Kind.SCORE: "VALUE_REMARK_MISSING",
    Kind.DEDUCTION: "VALUE_REMARK_MISSING_EVENTS",
    Kind.VETO: "VALUE_REMARK_MISSING_VETO",
}


def _where(r: FormRow) -> dict[str, Any]:
    """The facts that name a row in every value problem: unit, row number on the form, item id."""
    return {"unit": r.unit.name, "number": r.number, "item": r.item.id}


def _entry(raw: RawForm, r: FormRow, sheet: str, file: str, problems: list[Problem], allow_partial: bool) -> Entry:
    item = r.item
    line = raw.grid[r.row] if 0 <= r.row < len(raw.grid) else ()
    value_raw = line[COL_SCORE] if len(line) > COL_SCORE else None
    formulas = raw.scan.formulas
    remark = _remark(line[COL_REMARK] if len(line) > COL_REMARK else None, r, sheet, file, problems, formulas)
    where = _Where(r, sheet, file)
    value: Decimal | None = None
    if formulas and (r.row, COL_SCORE) in formulas:
        problems.append(problem("VALUE_FORMULA", **where.at(), result=cell_text(value_raw) or "空"))
    elif is_blank(value_raw):
        problems.append(problem("VALUE_EMPTY", **where.at(), severity=Severity.WARNING if allow_partial else None))
    elif not r.ask.plain:
        value = asked_value(value_raw, r.ask, where.at(), problems)
    elif item.kind is Kind.VETO:
        value = _veto(value_raw, where, problems)
    else:
        value = _number(value_raw, r, where, problems)
    if value is not None and not remark and r.points and item.kind is Kind.BONUS and value > 0:
        problems.append(
            problem("VALUE_CLAIM_NO_EVIDENCE", **{**where.at(), "cell": r.remark_cell}, value=canonical(value))
        )
    elif value is not None and not remark and not r.ask.plain:
        problems += remark_missing(r.ask, value, {**where.at(), "cell": r.remark_cell})
    elif value is not None and not remark and _falls_short(r, value):
        shortfall: dict[str, Any] = {"value": canonical(value)} if item.kind is not Kind.VETO else {}
        if item.kind is Kind.SCORE:
            shortfall["max"] = canonical(item.max)
        problems.append(problem(_REMARK_MISSING[item.kind], **{**where.at(), "cell": r.remark_cell}, **shortfall))
    return Entry(r.unit.name, item.id, cell_text(value_raw), value, remark, r.score_cell, r.remark_cell, r.entry)


class _Where:
    """Where a value problem is: built only when there is one (most rows have none)."""

    __slots__ = ("file", "row", "sheet")

    def __init__(self, row: FormRow, sheet: str, file: str) -> None:
        self.row, self.sheet, self.file = row, sheet, file

    def at(self, remark: bool = False) -> dict[str, Any]:
        r = self.row
        return {"file": self.file, "sheet": self.sheet, "cell": r.remark_cell if remark else r.score_cell, **_where(r)}


def _falls_short(r: FormRow, value: Decimal) -> bool:
    if r.item.kind is Kind.SCORE:
        return value < r.item.max
    return r.item.kind in (Kind.DEDUCTION, Kind.VETO) and value > 0


def _veto(value: Any, where: _Where, problems: list[Problem]) -> Decimal | None:
    text = unicodedata.normalize("NFKC", str(value)).strip() if isinstance(value, str) else None
    if text == VETO_YES:
        return Decimal(1)
    if text == VETO_NO:
        return Decimal(0)
    problems.append(problem("VALUE_VETO_INVALID", **where.at(), value=cell_text(value)))
    return None


def _number(value: Any, r: FormRow, where: _Where, problems: list[Problem]) -> Decimal | None:
    item = r.item
    if isinstance(value, str):
        number = parse_text_number(unicodedata.normalize("NFKC", value))
    elif isinstance(value, (date, datetime, timedelta)):
        problems.append(problem("VALUE_IS_DATE", **where.at(), value=cell_text(value)))
        return None
    else:
        number = from_cell(value)
    if number is None:
        if item.kind is Kind.DEDUCTION:
            problems.append(problem("VALUE_EVENTS_NOT_NUMBER", **where.at(), value=cell_text(value)[:30]))
        elif "满分" in str(value):
            problems.append(
                problem("VALUE_FULL_MARKS_WORD", **where.at(), value=cell_text(value)[:30], max=canonical(item.max))
            )
        else:
            problems.append(problem("VALUE_NOT_NUMBER", **where.at(), value=cell_text(value)[:30]))
        return None
    if number < 0:
        below = "VALUE_EVENTS_BELOW_ZERO" if item.kind is Kind.DEDUCTION else "VALUE_BELOW_ZERO"
        problems.append(problem(below, **where.at(), value=canonical(number)))
        return None
    if item.kind is Kind.DEDUCTION:
        if number != number.to_integral_value():
            problems.append(problem("VALUE_EVENTS_NOT_WHOLE", **where.at(), value=canonical(number)))
            return None
        return number
    if number > item.max:
        problems.append(problem("VALUE_ABOVE_MAX", **where.at(), value=canonical(number), max=canonical(item.max)))
        return None
    if _places_above_two(number):
        problems.append(problem("VALUE_TOO_PRECISE", **where.at(), value=canonical(number)))
        return None
    return number


def _places_above_two(number: Decimal) -> bool:
    exponent = number.as_tuple().exponent  # normalizing only ever drops places: check it only when needed
    return isinstance(exponent, int) and exponent < -2 and decimal_places(number) > 2


def _remark(
    value: Any, r: FormRow, sheet: str, file: str, problems: list[Problem], formulas: set[tuple[int, int]]
) -> str:
    if formulas and (r.row, COL_REMARK) in formulas:
        problems.append(problem("VALUE_REMARK_FORMULA", **_Where(r, sheet, file).at(remark=True)))
        return ""
    if is_blank(value):
        return ""
    text = cell_text(value).strip()
    cleaned = _CONTROL.sub("", text)
    if cleaned != text:
        at = _Where(r, sheet, file).at(remark=True)
        problems.append(problem("VALUE_REMARK_CONTROL_CHARS", **at, count=len(text) - len(cleaned)))
    if len(cleaned) > REMARK_MAX_CHARS:
        at = _Where(r, sheet, file).at(remark=True)
        problems.append(problem("VALUE_REMARK_TOO_LONG", **at, length=len(cleaned), limit=REMARK_MAX_CHARS))
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


def _fill_date(raw: RawForm, spec: FormSpec, file: str, problems: list[Problem]) -> date | None:
    value = raw.cell(DATE_ROW, DATE_COL)
    at: dict[str, Any] = {"file": file, "sheet": spec.sheet, "cell": DATE_CELL}
    if is_blank(value):
        problems.append(problem("VALUE_DATE_MISSING", **at))
        return None
    if (DATE_ROW, DATE_COL) in raw.scan.formulas:
        problems.append(problem("VALUE_DATE_FORMULA", **at))
        return None
    parsed = parse_fill_date(value)
    if parsed is None:
        problems.append(problem("VALUE_DATE_INVALID", **at, value=cell_text(value)[:30]))
        return None
    issued = _issued(raw)
    if issued is not None and parsed < issued:
        problems.append(problem("VALUE_DATE_BEFORE_ISSUE", **at, date=parsed, issued=issued))
    if spec.late and parsed > spec.deadline:
        problems.append(problem("VALUE_DATE_LATE", **at, date=parsed, deadline=spec.deadline))
    return parsed


def _issued(raw: RawForm) -> date | None:
    """The day the form was generated, from its manifest (sheet or document properties)."""
    text = raw.manifest.get("generated_at") or raw.properties.get("qe_generated_at") or ""
    try:
        return datetime.fromisoformat(text.strip()).date()
    except ValueError:
        return None


def _extra_content(raw: RawForm, spec: FormSpec, file: str) -> list[Problem]:
    """Cells holding something where the form has nothing: never summed, but worth a word."""
    rows, last = list(spec.rows), spec.last_col
    allowed = {(TITLE_ROW, LABEL_COL), (DEPT_ROW, LABEL_COL), (HINT_ROW, LABEL_COL)}
    allowed |= {(DATE_ROW, DATE_COL - 1), (DATE_ROW, DATE_COL), (DATE_ROW, LAST_COL)}
    allowed |= {(HEADER_ROW, c) for c in range(last + 1)}
    table = {r.row for r in rows}  # every column of the table's rows is allowed, up to the last
    first_note = notes_row(rows)
    allowed |= {(first_note + n, LABEL_COL) for n in range(len(spec.notes))}
    sign = signature_row(rows)  # the signature block's two lines (the date shown from the date cell)
    allowed |= {(sign + n, col) for n in (0, 1) for col in range(last + 1)}
    extra = [
        cell_ref(row, col)
        for row, values in enumerate(raw.grid)
        for col in range(last + 1 if row in table else 0, len(values))
        if not is_blank(values[col]) and (row, col) not in allowed
    ]
    if extra and raw.grid and len(raw.grid) > FIRST_DATA_ROW:
        cells = extra[:5] + (["…"] if len(extra) > 5 else [])
        return [
            problem("FORM_EXTRA_CONTENT", file=file, sheet=spec.sheet, cell=extra[0], count=len(extra), cells=cells)
        ]
    return []
