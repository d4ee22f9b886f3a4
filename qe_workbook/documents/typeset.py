"""A number and its unit in a document's sentence, as plain text a reader can copy."""

from __future__ import annotations

from fractions import Fraction

from ..amounts import fmt2

NBSP = "\u00a0"


def num(value: Fraction | int | str, unit: str = "分") -> str:
    """' 75.50 分': a space, then the number, a no-break space and its unit (one spacing style); the digits
    are plain, so a score copied out of a document is the score."""
    shown = value if isinstance(value, (str, int)) else fmt2(value)
    return f" {shown}{NBSP}{unit}"
