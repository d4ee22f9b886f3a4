"""Big table sheets streamed: each row of a table is turned into its sheet XML when it is written.

xlsxwriter keeps every cell as an object until the workbook closes (half a million cells in master.xlsx
at 300 units, ten times that at 3,000). A `TableWorksheet` writes a table row's cells as XML straight
away into a temporary file and keeps four numbers a row (row, last column, length, height); at close,
the rows go into the sheet between the cells written the usual way (titles, headers, merged notes),
with the row tags, spans and cell XML xlsxwriter itself writes: the same bytes, a fraction of the time
and memory. Text still goes into the workbook's shared strings, in the order it is written.
"""

from __future__ import annotations

import functools
import tempfile
from array import array
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import IO, Any

from xlsxwriter.format import Format
from xlsxwriter.utility import _utf16_len, _utf16_truncate, xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from ..amounts import round2
from ..forms.paper import LINE_PT, PADDING_PT, lines

INFINITY = float("inf")


def two_places(value: Decimal | Fraction) -> float:
    """An exact number as written into a 0.00 cell: `round2` as a float (whole hundredths, as every score
    is, divided straight away: both are the double nearest the same exact value)."""
    if value.__class__ is Fraction and 100 % value.denominator == 0:
        return value.numerator * (100 // value.denominator) / 100
    return _rounded(value)


@functools.lru_cache(maxsize=1 << 12)
def _rounded(value: Decimal | Fraction) -> float:  # equal numbers give the same float
    return float(round2(value))


def shown(value: Any) -> str:
    """A cell's text as it shows (for sizing its row)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, (Decimal, Fraction, float)):
        return f"{float(value):.2f}"
    if isinstance(value, date):
        return "2000-01-01"
    return str(value)


def pixels(points: float) -> int:
    """A row height in points as xlsxwriter's set_row stores it."""
    return int(points * 4.0 / 3.0 + 0.5)


class LineCounts(dict[str, int]):
    """How many lines each text takes in a column of `width` (`lines`, looked up once per text)."""

    def __init__(self, width: float) -> None:
        super().__init__()
        self.width = width

    def __missing__(self, text: str) -> int:
        self[text] = n = lines(text, self.width)
        return n


class Styles:
    """The formats a table's cells take: text (also blanks and 是/否), numbers with 2 decimals, whole
    numbers, dates."""

    def __init__(self, text: Format, num: Format, whole: Format, day: Format) -> None:
        self.text, self.num, self.whole, self.day = text, num, whole, day


class TableWorksheet(Worksheet):
    """A worksheet whose tables are streamed (see the module); everything else is written as usual.

    Streamed rows come in ascending order and nothing else is written into them afterwards (a later
    set_row does change their height, as in xlsxwriter)."""

    def __init__(self) -> None:
        super().__init__()
        self.stream: IO[str] | None = None
        self.rows, self.last_cols, self.lengths, self.heights = array("q"), array("q"), array("q"), array("q")
        self.refs: list[str] = []  # '<c r="A' for each column
        self.days: dict[Any, float] = {}

    def streams(self) -> bool:
        return not self.constant_memory

    def stream_rows(self, first_row: int, rows: Any, styles: Styles, widths: Sequence[float] | None = None) -> int:
        """Write `rows` from `first_row` on, each row as tall as its wrapped text with `widths`; returns
        the last row written (first_row - 1 with no rows)."""
        if self.stream is None:
            self.stream = tempfile.TemporaryFile("w+", encoding="ascii", newline="", dir=self.tmpdir or None)  # noqa: SIM115  # closed by _write_rows
        counts = [LineCounts(width) for width in widths or ()]
        row = first_row - 1
        for row, values in enumerate(rows, start=first_row):
            if self.rows and row <= self.rows[-1]:
                raise ValueError(f"table rows must come in order: row {row} after row {self.rows[-1]}")
            n = len(values)
            if not n:  # nothing to stream: a row of its height only, as set_row makes it
                if widths:
                    self.set_row(row, LINE_PT + PADDING_PT)
                continue
            if self._check_dimensions(row, 0) | self._check_dimensions(row, n - 1):
                continue  # beyond the sheet: xlsxwriter writes none of its cells either
            self.stream.write(chunk := self._cells(row, values, styles))
            self.rows.append(row)
            self.last_cols.append(n - 1)
            self.lengths.append(len(chunk))
            self.heights.append(pixels(LINE_PT * self._most_lines(values, counts) + PADDING_PT) if widths else -1)
        return row

    @staticmethod
    def _most_lines(values: Sequence[Any], counts: list[LineCounts]) -> int:
        """The most lines any of the row's cells wraps into (at least 1), as `text_height` counts them."""
        most = 1
        for value, count in zip(values, counts, strict=False):
            kind = value.__class__
            if kind is str:
                n = count[value]
            elif value is None:
                continue
            elif kind is float:
                n = count[f"{value:.2f}"] if value == value else 1
            elif kind is Fraction:  # as `shown`: float() of a Fraction divides its two integers
                n = count[f"{value.numerator / value.denominator:.2f}"]
            else:
                n = count[shown(value)]
            if n > most:
                most = n
        return most

    def _cells(self, row: int, values: Sequence[Any], styles: Styles) -> str:
        """The row's cells as xlsxwriter writes them: `Sheets.cell`'s choices, one XML element each."""
        refs = self.refs
        while len(refs) < len(values):
            refs.append(f'<c r="{xl_col_to_name(len(refs))}')
        r = str(row + 1)
        text, num, whole = styles.text._get_xf_index(), styles.num._get_xf_index(), styles.whole._get_xf_index()
        as_text, as_num, as_whole, blank = (
            f'" s="{text}" t="s"><v>',
            f'" s="{num}"><v>',
            f'" s="{whole}"><v>',
            f'" s="{text}"/>',
        )
        index, longest = self.str_table._get_shared_string_index, self.xls_strmax // 2
        days = self.days
        out = []
        for ref, value in zip(refs, values, strict=False):  # refs: every column seen so far
            kind = value.__class__
            if kind is str:
                out.append(f"{ref}{r}{as_text}{index(value if len(value) <= longest else self._fit(value))}</v></c>")
            elif kind is float and -INFINITY < value < INFINITY:
                out.append(f"{ref}{r}{as_num}{value:.16G}</v></c>")
            elif kind is int:
                out.append(f"{ref}{r}{as_whole}{value:.16G}</v></c>")
            elif value is None or (kind is float and value != value):
                out.append(f"{ref}{r}{blank}")
            elif kind is Fraction or kind is Decimal:
                out.append(f"{ref}{r}{as_num}{two_places(value):.16G}</v></c>")
            elif kind is date and value in days:
                out.append(f'{ref}{r}" s="{styles.day._get_xf_index()}"><v>{days[value]:.16G}</v></c>')
            else:
                out.append(self._other(f"{ref[6:]}{r}", value, styles))
        return "".join(out)

    def _other(self, ref: str, value: Any, styles: Styles) -> str:
        """Any other value, as `Sheets.cell` writes it."""
        if isinstance(value, bool):
            index = self.str_table._get_shared_string_index("是" if value else "否")
            return f'<c r="{ref}" s="{styles.text._get_xf_index()}" t="s"><v>{index}</v></c>'
        if isinstance(value, float) and value != value:
            return f'<c r="{ref}" s="{styles.text._get_xf_index()}"/>'
        if isinstance(value, (int, float, Decimal, Fraction)):
            number, fmt = (
                (two_places(value), styles.num)
                if isinstance(value, (Decimal, Fraction))
                else (value, styles.whole if isinstance(value, int) else styles.num)
            )
            if not -INFINITY < number < INFINITY:
                raise TypeError(f"not a finite number: {value!r}")  # as xlsxwriter's write_number
            return f'<c r="{ref}" s="{fmt._get_xf_index()}"><v>{number:.16G}</v></c>'
        if isinstance(value, date):
            if value not in self.days:
                self.days[value] = self._convert_date_time(value)
            return f'<c r="{ref}" s="{styles.day._get_xf_index()}"><v>{self.days[value]:.16G}</v></c>'
        index = self.str_table._get_shared_string_index(self._fit(str(value)))
        return f'<c r="{ref}" s="{styles.text._get_xf_index()}" t="s"><v>{index}</v></c>'

    def _fit(self, string: str) -> str:
        """Text cut to Excel's limit of 32,767 UTF-16 units, as write_string cuts it."""
        if len(string) > self.xls_strmax // 2 and _utf16_len(string) > self.xls_strmax:
            return _utf16_truncate(string, self.xls_strmax)
        return string

    def _write_rows(self) -> None:
        """The sheet's rows in order: streamed rows from the temporary file, the others as xlsxwriter
        writes them, with xlsxwriter's spans (the columns used in each block of 16 rows)."""
        if self.stream is None:
            super()._write_rows()
            return
        spans = self._spans()
        table = self.table
        others = sorted(
            r
            for r in {*(r for r, cells in table.items() if cells), *self.row_info, *self.comments}
            if self.dim_rowmin <= r <= self.dim_rowmax
        )
        self.stream.seek(0)
        read, write = self.stream.read, self.fh.write
        other = 0
        for row, length, height in zip(self.rows, self.lengths, self.heights, strict=True):
            while other < len(others) and others[other] < row:
                self._write_other(others[other], spans.get(others[other] // 16))
                other += 1
            if other < len(others) and others[other] == row:
                if table.get(row) or row in self.comments:
                    raise ValueError(f"row {row + 1} has both streamed cells and others")
                self._write_row(row, spans.get(row // 16), self.row_info[row])  # a later set_row
                other += 1
            else:
                write(self._row_tag(row, spans.get(row // 16), height))
            write(read(length))
            write("</row>")
        for row in others[other:]:
            self._write_other(row, spans.get(row // 16))
        self.stream.close()
        self.stream = None

    def _row_tag(self, row: int, span: str | None, height: int) -> str:
        """<row> as `_write_row` writes it for a row of this height (-1: the default) and nothing else set."""
        if height < 0:
            height = self.default_row_height
        tag = f'<row r="{row + 1}"' + (f' spans="{span}"' if span else "")
        if height != self.original_row_height or height != self.default_row_height:
            tag += f' ht="{height * 0.75:.16g}" customHeight="1"'
        if self.excel_version == 2010:
            tag += ' x14ac:dyDescent="0.25"'
        return tag + ">"

    def _write_other(self, row: int, span: str | None) -> None:
        """A row written the usual way (`Worksheet._write_rows` for one row)."""
        cells = self.table.get(row)
        info = self.row_info.get(row)
        if cells:
            self._write_row(row, span, info)
            for col in sorted(cells):
                self._write_cell(row, col, cells[col])
            self._xml_end_tag("row")
        else:
            self._write_empty_row(row, span, info)

    def _spans(self) -> dict[int, str]:
        """Per block of 16 rows, the first and last column holding a cell or comment ('1:19')."""
        low: dict[int, int] = {}
        high: dict[int, int] = {}

        def add(row: int, first: int, last: int) -> None:
            block = row // 16
            if block not in low or first < low[block]:
                low[block] = first
            if block not in high or last > high[block]:
                high[block] = last

        for row, last in zip(self.rows, self.last_cols, strict=True):
            add(row, 0, last)
        for source in (self.table, self.comments):
            for row, cells in source.items():
                if cells and self.dim_rowmin <= row <= self.dim_rowmax:
                    add(row, min(cells), max(cells))
        return {block: f"{low[block] + 1}:{high[block] + 1}" for block in low}
