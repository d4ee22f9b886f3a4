"""A number and its unit in a document's sentence, as plain text a reader can copy; numbers in Chinese."""

from __future__ import annotations

from fractions import Fraction

from ..amounts import fmt2

NBSP = "\u00a0"
DIGITS = "零一二三四五六七八九"


def num(value: Fraction | int | str, unit: str = "分") -> str:
    """' 75.50 分': a space, then the number, a no-break space and its unit (one spacing style); the digits
    are plain, so a score copied out of a document is the score."""
    shown = value if isinstance(value, (str, int)) else fmt2(value)
    return f" {shown}{NBSP}{unit}"


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 25 -> 二十五 (for 一、 and （一） numbering, 1..99)."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return DIGITS[ones]
    head = "" if tens == 1 else DIGITS[tens]
    return f"{head}十{DIGITS[ones] if ones else ''}"
