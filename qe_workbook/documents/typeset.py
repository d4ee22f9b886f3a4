"""Text that never parts in a document: a number held to its unit, a code held whole."""

from __future__ import annotations

from fractions import Fraction

from ..amounts import fmt2

NBSP, WORD_JOINER = "\u00a0", "\u2060"


def glue(text: str) -> str:
    """Text that no renderer may break across lines (LibreOffice breaks inside '5.80' in Chinese text
    and ignores no-break spaces there; a word joiner between characters holds in Word and LibreOffice)."""
    return WORD_JOINER.join(text)


def num(value: Fraction | int | str, unit: str = "分") -> str:
    """' 75.50 分': a space, then the number and its unit held together (one spacing style)."""
    shown = value if isinstance(value, (str, int)) else fmt2(value)
    return " " + glue(f"{shown}{NBSP}{unit}")
