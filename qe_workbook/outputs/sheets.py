"""Tables on worksheets: one set of formats, rows tall enough for their wrapped text, a table sheet on paper.

Everything that came from a returned file is written with write_string, so a remark that starts
with '=' stays text and never becomes a formula.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..amounts import round2
from ..forms.paper import DATE_FORMAT, page_setup, text_height


class Sheets:
    """Writes rows of mixed values with one consistent set of formats."""

    def __init__(self, wb: Workbook, owner: str = "") -> None:
        self.wb = wb
        self.owner = owner  # named at the top of every printed page
        font = {"font_name": "宋体", "valign": "vcenter"}
        self.head = wb.add_format({**font, "bold": True, "border": 1, "bg_color": "#D9E1F2", "text_wrap": True})
        self.text = wb.add_format({**font, "border": 1, "text_wrap": True})
        self.num = wb.add_format({**font, "border": 1, "num_format": "0.00"})
        self.int = wb.add_format({**font, "border": 1, "num_format": "0"})
        self.date = wb.add_format({**font, "border": 1, "num_format": DATE_FORMAT})
        self.title = wb.add_format({"font_name": "黑体", "bold": True, "font_size": 14})
        self.note = wb.add_format({**font, "text_wrap": True})
        self.bold = wb.add_format({**font, "bold": True})
        self.sign = wb.add_format({**font, "font_size": 12, "valign": "top"})  # a signature block's lines

    def sheet(self, name: str) -> Worksheet:
        return self.wb.add_worksheet(name)

    def table(
        self,
        ws: Worksheet,
        first_row: int,
        header: Sequence[str],
        rows: Iterable[Sequence[Any]],
        widths: Sequence[float] | None = None,
    ) -> int:
        """Write a header and rows in order; with `widths`, each row is made tall enough for its wrapped text."""
        ws.write_row(first_row, 0, header, self.head)
        if widths:
            ws.set_row(first_row, text_height(list(zip(header, widths, strict=False))))
        row = first_row
        for row, values in enumerate(rows, start=first_row + 1):
            if widths:
                ws.set_row(row, text_height([(shown(v), w) for v, w in zip(values, widths, strict=False)]))
            for col, value in enumerate(values):
                self.cell(ws, row, col, value)
        return row

    def cell(self, ws: Worksheet, row: int, col: int, value: Any) -> None:
        if value is None or (isinstance(value, float) and value != value):
            ws.write_blank(row, col, None, self.text)
        elif isinstance(value, bool):
            ws.write_string(row, col, "是" if value else "否", self.text)
        elif isinstance(value, int):
            ws.write_number(row, col, value, self.int)
        elif isinstance(value, (Decimal, Fraction)):
            ws.write_number(row, col, float(round2(value)), self.num)
        elif isinstance(value, float):  # already 2 decimals (master-frame hundredths / 100)
            ws.write_number(row, col, value, self.num)
        elif isinstance(value, date):
            ws.write_datetime(row, col, value, self.date)
        else:
            ws.write_string(row, col, str(value), self.text)


def shown(value: Any) -> str:
    """A cell's text as it shows (for sizing its row)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, (Decimal, Fraction, float)):
        return f"{float(value):.2f}"
    if isinstance(value, date):
        return "2000年12月31日"
    return str(value)


def column_widths(ws: Worksheet, widths: Sequence[float]) -> None:
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)


def sheet_paper(
    ws: Worksheet, header_row: int, last_row: int, last_col: int, *, freeze_col: int = 0, owner: str = "",
    printed: bool = True,
) -> None:  # fmt: skip
    """A table sheet on paper and screen: A4 landscape one page wide, the owner and the sheet's name at the
    top and the page at the foot of every page, the header repeated on every page and frozen on screen,
    filtered. A long table for the screen only (`printed` false) has an empty print area: printing the
    workbook leaves it out (clear the print area to print it)."""
    page_setup(ws, owner=owner, title=ws.name, last_row=max(last_row, header_row + 1), last_col=last_col,
               repeat_row=header_row)  # fmt: skip
    if not printed:
        ws.print_area(0, last_col + 2, 0, last_col + 2)  # one blank cell beside the table
    ws.freeze_panes(header_row + 1, freeze_col)
    ws.autofilter(header_row, 0, max(last_row, header_row + 1), last_col)
