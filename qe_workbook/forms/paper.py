"""How a form prints: column widths from its texts, row heights that grow, page breaks between unit blocks.

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


def lines(text: str, width: float) -> int:
    """How many lines a wrapped text takes at most in a column of `width`."""
    per_line = max(1.0, width * NARROWEST - 1)
    return sum(max(1, math.ceil(display_width(part) / per_line)) for part in text.split("\n"))


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
    `flow` it starts where the page above ends when at least a quarter of that page is free.
    """
    page = page_height(scale)
    breaks, used, pages = [], top, 1
    for first, height in blocks:
        flows_on = flow and height > page - repeated and page - used >= page / 4
        if used + height > page and used > repeated and not flows_on:
            breaks.append(first)
            used = repeated
            pages += 1
        used += height
        while used > page:  # an oversized block runs onto further pages
            used -= page - repeated
            pages += 1
    return pages, breaks


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
