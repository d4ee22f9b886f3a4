"""How wide text shows in a console or a spreadsheet column: East Asian wide characters count twice."""

from __future__ import annotations

import unicodedata


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
