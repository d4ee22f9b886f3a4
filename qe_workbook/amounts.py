"""Exact score arithmetic: points are Decimals on input and Fractions in sums, never floats."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction

Number = Decimal | Fraction | int

CENT = Decimal("0.01")


def decimal_places(value: Decimal) -> int:
    """Number of digits after the decimal point that carry information (2.50 -> 1)."""
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def canonical(value: Decimal | int) -> str:
    """A stable text form of a number: 5 -> '5', 0.50 -> '0.5', 10 -> '10'."""
    dec = Decimal(value).normalize()
    return format(dec, "f")


def from_cell(value: object) -> Decimal | None:
    """The exact decimal a spreadsheet number stands for, or None when it is not a number.

    Spreadsheet files store numbers as text of a double; the shortest text that reads back to
    the same double (Python's repr) is what the user typed, e.g. 2.35 and not 2.35000000000000008.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    return None


def parse_text_number(text: str) -> Decimal | None:
    """A number typed as text ('4.5', ' 4.5 '), or None ('4.5分', '满分')."""
    cleaned = text.strip()
    if not cleaned or any(c not in "0123456789.+-" for c in cleaned):
        return None
    try:
        dec = Decimal(cleaned)
    except InvalidOperation:
        return None
    return dec if dec.is_finite() else None


def as_number(value: Decimal) -> int | float:
    """The value to write into a spreadsheet cell: an int when whole, else a float."""
    return int(value) if value == value.to_integral_value() else float(value)


def to_fraction(value: Number) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(value)


def round2(value: Number) -> Decimal:
    """Round half up to 2 decimals, exactly (for display and outputs)."""
    frac = to_fraction(value)
    if 100 % frac.denominator == 0:  # already whole hundredths (every score is): nothing to round
        return Decimal(frac.numerator * (100 // frac.denominator)).scaleb(-2)
    # Work on whole hundredths of the magnitude so no step is inexact; halves go away from zero.
    scaled = abs(frac) * 100
    whole, rest = divmod(scaled.numerator, scaled.denominator)
    if 2 * rest >= scaled.denominator:
        whole += 1
    cents = Decimal(whole if frac >= 0 else -whole)
    return (cents / 100).quantize(CENT)


def fmt2(value: Number | None) -> str:
    """Display text with exactly two decimals ('' for missing)."""
    return "" if value is None else f"{round2(value):.2f}"
