"""How a form, a register or any other workbook prints: page setup with the owner and the page on every page,
column widths from the texts, row heights that grow, page breaks between blocks, signature blocks, text broken
into lines that never start with closing punctuation.

Widths are Excel character units; a CJK character is two display units. Excel and WPS (宋体 11 pt) fit
about 0.95 display units in a width unit, LibreOffice (its CJK fallback) about 1.25, and LibreOffice's
CJK line is about 16 pt where Excel's is 14.25 pt: heights are estimated with the fewest characters a
line and the tallest line, so a row is never shorter than its text in any of them.

Rows a department writes into are stored with a starting height but without Excel's customHeight flag
(`GrowingWorksheet`): Excel, WPS and LibreOffice then treat them as automatic-height rows and grow them
when a remark is typed in.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import Any

from xlsxwriter.worksheet import Worksheet

from .layout import display_width

RENDER_FACTORS = (0.95, 1.25)  # display units a width unit holds: Excel/WPS, LibreOffice
NARROWEST = min(RENDER_FACTORS)
LINE_PT = 16.0
PADDING_PT = 2.0
PAPER_PT = (841.9, 595.3)  # A4 landscape
MARGINS_IN = {"left": 0.4, "right": 0.4, "top": 0.6, "bottom": 0.7}
PIXELS_PER_WIDTH, CELL_PADDING_PX = 7, 5  # Excel's column width in pixels: 7 * width + 5
WIDER = 1.06  # LibreOffice draws the same columns up to 5 % wider
SAFETY = 0.94
SHORT_TAIL, STUB = 12, 6  # display units: a closing part kept whole, a last line never shorter
CUSTOM_HEIGHT = ' customHeight="1"'  # the attribute that stops a row from growing
PUNCTUATION = "。，、；：）」』"  # keep a little room at the foot of a page for rendering differences
CLOSING = "。，、；：？！）》」』”’】〕…%）,.;:!?)]"  # never the first character of a line
OPENING = "（《「『“‘【〔(["  # never the last character of a line
A4 = 9
DATE_FORMAT = 'yyyy"年"m"月"d"日"'  # a date cell as a reader writes it: 2023年4月30日
HEADER_FONT = '&10&"宋体"'  # the size first: digits right after a size code would be read as part of it


def lines(text: str, width: float) -> int:
    """How many lines a wrapped text takes at most in a column of `width`."""
    per_line = max(1.0, width * NARROWEST - 1)
    return sum(max(1, math.ceil(display_width(part) / per_line)) for part in text.split("\n"))


def broken_lines(text: str, width: float) -> str:
    """The text with line breaks where every renderer can show it in a column of `width` without wrapping it
    again; no line starts with closing punctuation or ends with opening punctuation (the character before a
    closing mark goes down with it, an opening mark goes down with what it opens)."""
    per_line = max(2.0, width * NARROWEST - 1)
    out: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for char in paragraph:
            if display_width(line + char) > per_line and line:
                cut = len(line)
                while cut > 1 and (line[cut - 1] in OPENING or (line[cut:] + char)[0] in CLOSING):
                    cut -= 1
                out.append(line[:cut])
                line = line[cut:]
            line += char
        out.append(line)
    return "\n".join(out)


def text_height(texts: Sequence[tuple[str, float]], min_lines: int = 1) -> float:
    """The height (pt) of a row holding each (text, column width)."""
    most = max([min_lines, *(lines(text, width) for text, width in texts)])
    return LINE_PT * most + PADDING_PT


def breaks_in_tail(text: str, width: float) -> bool:
    """Whether a renderer might wrap the text inside its closing points ('（1.5分）') or leave a stub
    of a few characters ('分）') alone on the last line."""
    total = display_width(text)
    start = text.rfind("（")
    tail_from = display_width(text[:start]) if start > 0 else total
    while start > 0 and text[start - 1] in PUNCTUATION:  # LibreOffice may start a line with 。 or ，
        start -= 1
        tail_from = display_width(text[:start])
    tail_from = max(tail_from, total - STUB) if total - tail_from > SHORT_TAIL else tail_from
    tail_from = min(tail_from, total - STUB)
    for factor in RENDER_FACTORS:
        per_line = width * factor
        k = 1
        while k * per_line < total + 1:
            if tail_from - 1 < k * per_line < total + 1:
                return True
            k += 1
    return False


def text_width(texts: Sequence[str], lowest: int, highest: int, preferred: int) -> int:
    """A column width in [lowest, highest] at which no text wraps inside its closing part, nearest `preferred`."""
    candidates = sorted(range(lowest, highest + 1), key=lambda w: (abs(w - preferred), w))
    return min(candidates, key=lambda w: sum(breaks_in_tail(t, w) for t in texts))


def name_width(names: Sequence[str], bold: bool = True) -> int:
    """A column wide enough for the longest name on one line in every renderer."""
    widest = max((display_width(n) for n in names), default=4)
    return math.ceil(widest * (1.1 if bold else 1.0) / NARROWEST) + 2


def code_width(texts: Sequence[str]) -> int:
    """A column wide enough for the longest phone number or e-mail address on one line: Latin letters and
    digits print up to 1.3 units wide in the renderers' fallback fonts."""
    return math.ceil(max((display_width(t) for t in texts), default=4) * 1.3) + 2


def print_scale(widths: Sequence[float]) -> int:
    """The largest print scale (≤ 100) at which the columns fit the width of an A4 landscape page."""
    pixels = sum(PIXELS_PER_WIDTH * w + CELL_PADDING_PX for w in widths)
    available = PAPER_PT[0] - (MARGINS_IN["left"] + MARGINS_IN["right"]) * 72
    return min(100, math.floor(available / (pixels * 0.75 * WIDER) * 100))


def page_height(scale: int) -> float:
    """The sheet points one printed page holds at `scale`."""
    return (PAPER_PT[1] - (MARGINS_IN["top"] + MARGINS_IN["bottom"]) * 72) * 100 / scale * SAFETY


def block_breaks(
    blocks: Sequence[tuple[int, float]], top: float, repeated: float, scale: int, flow: bool = False
) -> tuple[int, list[int]]:
    """The pages printed and the rows that start a new page, so that each block (first row, height) stays on
    one page where it fits.

    `top` is what precedes the first block on page 1, `repeated` the header rows printed on every page.
    A block taller than a page starts a page and flows over the next ones (each counted as a page); with
    `flow` it starts where the page above ends when at least a quarter of that page is free. The first block
    starts on page 1 even when it does not fit there (a page of headings alone helps nobody).
    """
    page = page_height(scale)
    breaks, used, pages = [], top, 1
    for n, (first, height) in enumerate(blocks):
        flows_on = flow and height > page - repeated and page - used >= page / 4
        if used + height > page and used > repeated and not flows_on and n:
            breaks.append(first)
            used = repeated
            pages += 1
        used += height
        while used > page:  # an oversized block runs onto further pages
            used -= page - repeated
            pages += 1
    return pages, breaks


def pages_printed(
    blocks: Sequence[tuple[int, float]], breaks: Sequence[int], top: float, repeated: float, scale: int
) -> int:
    """The pages the blocks (first row, height) print on with page breaks before the rows `breaks`."""
    page = page_height(scale)
    used, pages = top, 1
    for first, height in blocks:
        if first in breaks:
            pages, used = pages + 1, repeated
        used += height
        while used > page:
            used -= page - repeated
            pages += 1
    return pages


def closing_breaks(
    first_row: int, heights: Sequence[float], top: float, repeated: float, closing: float, scale: int
) -> list[int]:
    """The rows that start a new page for table rows from `first_row` (their `heights`) followed by a closing
    part (notes, the signature block) `closing` points tall that goes on the page of the last row, so that the
    closing part never stands alone on the last page."""
    blocks = [(first_row + n, h) for n, h in enumerate(heights)]
    if blocks:
        blocks[-1] = (blocks[-1][0], blocks[-1][1] + closing)
    return block_breaks(blocks, top, repeated, scale)[1]


def fewest_pages(
    blocks: Sequence[tuple[int, float]],
    top: float,
    repeated: float,
    scale: int,
    lowest: int = 85,
    flow: bool = False,
) -> tuple[int, list[int]]:
    """The largest scale (not below `lowest`) that prints the blocks on the fewest pages, and its breaks."""
    best_pages, best_breaks = block_breaks(blocks, top, repeated, scale, flow)
    best_scale = scale
    for smaller in range(scale - 1, lowest - 1, -1):
        pages, breaks = block_breaks(blocks, top, repeated, smaller, flow)
        if pages < best_pages:
            best_pages, best_breaks, best_scale = pages, breaks, smaller
    return best_scale, best_breaks


def header_text(text: str) -> str:
    """Text as a header or footer shows it: an ampersand doubled (it starts a code there)."""
    return text.replace("&", "&&")


def page_setup(
    ws: Worksheet,
    *,
    owner: str,
    last_row: int,
    last_col: int,
    title: str = "",
    label: str = "",
    repeat_row: int | None = None,
    scale: int | None = None,
    landscape: bool = True,
    total: int | None = None,
    margins: dict[str, float] | None = None,
) -> None:
    """A4, the owner (department, unit or office; `label`, an attachment number, before it) at the top left
    and `title` at the top right of every page, "第N页，共M页" at the foot (the sheet numbered on its own;
    `total` when known, else counted by the program), `repeat_row` (the header row) on every page, printed
    at `scale` (so that computed page breaks hold) or one page wide."""
    ws.set_paper(A4)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_margins(**(margins or MARGINS_IN))
    ws.center_horizontally()
    left = "　".join(part for part in (label, owner) if part)
    ws.set_header(f"&L{HEADER_FONT}{header_text(left)}&R{HEADER_FONT}{header_text(title)}")
    ws.set_footer(f"&C{HEADER_FONT}第 &P 页，共 {'&N' if total is None else total} 页")
    ws.set_start_page(1)
    if repeat_row is not None:
        ws.repeat_rows(repeat_row)
    if scale is None:
        ws.fit_to_pages(1, 0)
    else:
        ws.set_print_scale(scale)
    ws.print_area(0, 0, last_row, last_col)


STAMP_HEIGHT, SIGN_HEIGHT = 66.0, 30.0  # the stamp line leaves room for a 42 mm seal beside it


def signature_lines(signer: str) -> tuple[tuple[str, str], tuple[str, str, str]]:
    """The signature block's two lines: (signer（盖章）, 填报日期), (负责人, 经办人, 联系电话)."""
    return (f"{signer}（盖章）：", "填报日期："), ("负责人：", "经办人：", "联系电话：")


SIGNATURE_HEIGHT = STAMP_HEIGHT + SIGN_HEIGHT


def write_signature(
    ws: Worksheet, row: int, spans: tuple[tuple[int, int], tuple[int, int], tuple[int, int]], signer: str,
    fmt: Any, *, date_formula: str = "", date_format: Any = None,
) -> int:  # fmt: skip
    """The signature block from `row` on: the stamp line with room for the seal and the date, then 负责人,
    经办人, 联系电话 to be written by hand; `spans` are three column ranges (first, last). `date_formula`
    shows a date cell filled elsewhere. Returns the last row written."""
    stamp, day = signature_lines(signer)[0]
    people = signature_lines(signer)[1]
    ws.set_row(row, STAMP_HEIGHT)
    _span(ws, row, spans[0][0], spans[1][1], stamp, fmt)
    if date_formula:
        ws.write_string(row, spans[2][0], day, fmt)
        ws.merge_range(row, spans[2][0] + 1, row, spans[2][1], "", date_format)
        ws.write_formula(row, spans[2][0] + 1, date_formula, date_format, "")
    else:
        _span(ws, row, spans[2][0], spans[2][1], f"{day}　　　　年　　月　　日", fmt)
    ws.set_row(row + 1, SIGN_HEIGHT)
    for (first, last), text in zip(spans, people, strict=True):
        _span(ws, row + 1, first, last, text, fmt)
    return row + 1


def _span(ws: Worksheet, row: int, first: int, last: int, text: str, fmt: Any) -> None:
    if first == last:
        ws.write_string(row, first, text, fmt)
    else:
        ws.merge_range(row, first, row, last, text, fmt)


class GrowingWorksheet(Worksheet):
    """A worksheet whose rows in `growing_rows` keep their starting height without customHeight.

    xlsxwriter has no public way to write a row height without marking it custom, so this overrides one
    private method, `Worksheet._write_row(row, ...)`, which writes a row's opening tag to `self.fh`: for a
    growing row, that tag is written without ` customHeight="1"`. pyproject.toml pins the xlsxwriter versions
    this was tested with, and tests/test_paper.py fails if the method or the tag it writes changes.
    """

    def __init__(self) -> None:
        super().__init__()
        self.growing_rows: set[int] = set()

    def _write_row(self, row: int, *args: Any, **kwargs: Any) -> None:
        if row not in self.growing_rows:
            super()._write_row(row, *args, **kwargs)
            return
        buffer = io.StringIO()
        fh, self.fh = self.fh, buffer  # type: ignore[has-type]  # xlsxwriter leaves it untyped
        try:
            super()._write_row(row, *args, **kwargs)
            tag = buffer.getvalue()
        finally:
            self.fh = fh
        fh.write(tag.replace(CUSTOM_HEIGHT, "", 1))
