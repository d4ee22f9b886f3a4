"""Text from outside (file names, sheet names, cell text, mail headers) made safe to show.

A control character is shown as its Unicode control picture (ESC as ␛, BEL as ␇, a newline as ␊, DEL as ␡,
a C1 control as �): the text can then be printed on a terminal, put on the page or written into a Word or
Excel file without clearing the screen, retitling the window, writing to the clipboard or forging a line.
"""

from __future__ import annotations

import re

CONTROL = re.compile(r"[\x00-\x1f\x7f\x80-\x9f]")
CONTROL_BUT_BREAKS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]")  # a tab and line breaks kept


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    return chr(0x2400 + code) if code < 0x20 else "\u2421" if code == 0x7F else "\ufffd"


def visible(text: str) -> str:
    """The text with every control character shown as its picture; other text unchanged."""
    return CONTROL.sub(_picture, text)


def visible_in_document(text: str) -> str:
    """As `visible`, but a tab and line breaks are kept: in a cell or a Word paragraph they are layout (a
    document moves no cursor)."""
    return CONTROL_BUT_BREAKS.sub(_picture, text)
