"""The 校验码 on a form: a short number computed by a formula over the form's input cells.

The same formula is evaluated by Excel, WPS and LibreOffice on the form and printed beside the
stamp line; `form_check_code` computes it in Python from the adopted file's cells, so the office
can tick the stamped paper off against `报送情况`. Only basic functions are used (ISNUMBER, ROUND,
LEN, ROW, INT, MOD, TEXT, SUM, IF), as one array formula:

    total = Σ over the table rows r of  row(r) × (2 × S(r) + LEN(remark r))  +  D
    S(r)  = ROUND(score × 100) for a number; for text, its length, plus 3 for “是”
    D     = INT(date) for a date (its serial number), else the length of what is there
    校验码 = total mod 99991, as five digits

99991 is a prime larger than any weight or hundredths change, so changing any single score
always changes the code.

LEN differs between the programs for characters outside the Basic Multilingual Plane (emoji,
rare characters of CJK Extension B): Excel counts two UTF-16 units, LibreOffice one character.
`expected_codes` gives both when they differ.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from .layout import CODE_CELL, COL_REMARK, COL_SCORE, DATE_COL, DATE_ROW, LAST_COL, FormRow, cell_ref

MODULUS = 99991
DIGITS = 5
LABEL = "校验码："
_EPOCH = date(1899, 12, 30)


def check_code_formula(rows: list[FormRow]) -> str:
    """The spreadsheet formula (an array formula) giving the five digits of the code (nothing on a blank form)."""
    first, last = rows[0].row, rows[-1].row
    score = f"{cell_ref(first, COL_SCORE)}:{cell_ref(last, COL_SCORE)}"
    remark = f"{cell_ref(first, COL_REMARK)}:{cell_ref(last, COL_REMARK)}"
    day = cell_ref(DATE_ROW, DATE_COL)
    term = f'IF(ISNUMBER({score}),ROUND({score}*100,0),LEN({score})+3*({score}="是"))'
    total = f"SUM(ROW({score})*(2*{term}+LEN({remark})))+IF(ISNUMBER({day}),INT({day}),LEN({day}))"
    filled = f"COUNTA({score})+COUNTA({remark})+COUNTA({day})"  # nothing filled in: no code to print
    return f'IF({filled}=0,"",TEXT(MOD({total},{MODULUS}),"{"0" * DIGITS}"))'


def write_code_cell(ws: Worksheet, rows: list[FormRow], before: str, fmt: Format, *, last_col: int = LAST_COL) -> None:
    """The cell beside the stamp line: `before` (the form number, its line break kept), then 校验码 and its
    five digits; shown across the columns up to `last_col` (a correction form's reference column too), read
    from its first cell."""
    if last_col > LAST_COL:
        ws.merge_range(DATE_ROW, LAST_COL, DATE_ROW, last_col, "", fmt)
    text = before.replace('"', '""').replace("\n", '"&CHAR(10)&"')
    ws.write_array_formula(CODE_CELL, f'="{text}{LABEL}"&{check_code_formula(rows)}', fmt, f"{before}{LABEL}")


def code_in_text(text: str) -> str | None:
    """The five digits after 校验码： in a cell's text (as a spreadsheet program left it)."""
    _, found, rest = text.partition(LABEL)
    return rest[:DIGITS] if found and rest[:DIGITS].isdigit() else None


def form_check_code(cell: Callable[[int, int], Any], rows: list[FormRow], *, utf16: bool = True) -> str:
    """The code from the cells as stored in a file (`cell(row, col)`, 0-based, as read); `utf16`:
    LEN counts UTF-16 units as Excel does, else characters as LibreOffice does."""
    excel, libreoffice = _codes(cell, rows)
    return excel if utf16 else libreoffice


def _codes(cell: Callable[[int, int], Any], rows: list[FormRow]) -> tuple[str, str]:
    """The code as Excel and as LibreOffice compute it, in one pass over the rows."""
    excel = libreoffice = 0
    for r in rows:
        weight = r.row + 1
        score, remark = cell(r.row, COL_SCORE), cell(r.row, COL_REMARK)
        term = _number_term(score)
        if term is None:
            chars, units = _lengths(score)
            bonus = 3 if score == "是" else 0
            score_excel, score_libreoffice = units + bonus, chars + bonus
        else:
            score_excel = score_libreoffice = term
        chars, units = _lengths(remark)
        excel += weight * (2 * score_excel + units)
        libreoffice += weight * (2 * score_libreoffice + chars)
    day = cell(DATE_ROW, DATE_COL)
    excel += _date_term(day, lambda value: _length(value, True))
    libreoffice += _date_term(day, lambda value: _length(value, False))
    return f"{excel % MODULUS:0{DIGITS}d}", f"{libreoffice % MODULUS:0{DIGITS}d}"


@dataclass(frozen=True)
class ExpectedCode:
    excel: str  # as Excel computes it
    libreoffice: str  # as LibreOffice computes it (differs only with characters beyond the BMP)

    def shown(self) -> str:
        if self.excel == self.libreoffice:
            return self.excel
        return f"{self.excel}（用 LibreOffice 填写打印的为 {self.libreoffice}）"


def expected_codes(cell: Callable[[int, int], Any], rows: list[FormRow]) -> ExpectedCode:
    return ExpectedCode(*_codes(cell, rows))


def _number(value: Any) -> Decimal | None:
    """A finite number's exact value; None for anything else (text, infinity and NaN are not numbers to Excel)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    number = Decimal(str(value))
    return number if number.is_finite() else None


def _number_term(value: Any) -> int | None:
    """ROUND(score × 100) of a number, None for anything else (then LEN counts)."""
    number = _number(value)
    return None if number is None else _hundredths(number)


def _hundredths(number: Decimal) -> int:
    """ROUND(number × 100, 0), exactly at any size (a 30-digit number too)."""
    whole = abs(Fraction(number) * 100)
    rounded = int(whole + Fraction(1, 2))  # half away from zero, as ROUND does
    return -rounded if number < 0 else rounded


def _date_term(value: Any, length: Callable[[Any], int]) -> int:
    if isinstance(value, datetime):
        return (value.date() - _EPOCH).days
    if isinstance(value, date):
        return (value - _EPOCH).days
    number = _number(value)
    if number is not None:
        return int(number.to_integral_value(rounding="ROUND_FLOOR"))
    return length(value)


def _lengths(value: Any) -> tuple[int, int]:
    """LEN of a cell's text in characters (LibreOffice) and in UTF-16 code units (Excel)."""
    if value is None:
        return 0, 0
    text = value if isinstance(value, str) else str(value)
    return len(text), len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2


def _length(value: Any, utf16: bool) -> int:
    """LEN of a cell's text: in UTF-16 code units (Excel) or in characters (LibreOffice)."""
    chars, units = _lengths(value)
    return units if utf16 else chars
