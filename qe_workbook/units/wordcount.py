"""Counting a report's length the way Word and WPS show 字数.

The rule (documented in the README): each CJK character (汉字) and each full-width character
(full-width punctuation such as ，。、（）, the quotes “” ‘’, … and —, full-width letters and
digits) counts 1; each run of
other non-space characters that holds at least one Latin letter or digit counts 1 as a whole
("2022", "GB/T", "95.5%" are one each); spaces and stray half-width punctuation count 0.
Word's 字数 counts East Asian characters one by one and other text as words between spaces, so
the two agree on ordinary Chinese prose; they can differ by a few for text such as "A/B-C".
"""

from __future__ import annotations

import unicodedata


def _is_wide(char: str) -> bool:
    """A character Word counts one by one: CJK ideographs, kana, hangul, full-width forms, and the
    punctuation Chinese text shares with Western text (“” ‘’ … — ·, of ambiguous width)."""
    width = unicodedata.east_asian_width(char)
    return width in ("W", "F") or (width == "A" and unicodedata.category(char).startswith("P"))


def count_chars(text: str) -> int:
    count = 0
    in_run = False  # inside a run of non-space, non-wide characters
    run_counted = False
    for char in text:
        if _is_wide(char):
            count += 1
            in_run = False
        elif char.isspace():
            in_run = False
        else:
            if not in_run:
                in_run, run_counted = True, False
            if not run_counted and char.isalnum():
                count += 1
                run_counted = True
    return count
