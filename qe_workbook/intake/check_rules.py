"""The checks of a value whose item has a scoring rule other than a plain score (forms/asks.py): a tier, a figure,
an aspect's 是/否, a score not below the base, a ranged deduction, a number of events or bonus items.

Each refusal is a Problem that names the cell and says the rule in the rubric's words; the value kept is what
the frame stores: a tier's points, the figure, 1/0 for 是/否, the points or the number typed.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from ..amounts import canonical, decimal_places, from_cell, parse_text_number
from ..forms.asks import Ask
from ..problems import Problem, problem
from ..rubric import BaseRule, ChecklistRule, Kind, RangedRule, TiersRule
from ..rubric.rules import NO, YES
from .read_form import cell_text

FRAME_DECIMALS = 2  # the master frame holds hundredths


def asked_value(value: Any, ask: Ask, at: dict[str, Any], problems: list[Problem]) -> Decimal | None:
    """The value of a non-blank cell that the rule accepts, else None with the problem said."""
    if ask.asked.kind != "number":
        return _choice(value, ask, at, problems)
    number = _number(value, at, problems)
    if number is None:
        return None
    rule, item = ask.item.rule, ask.item
    if ask.counts:
        if number < 0 or number != number.to_integral_value():
            if item.kind is Kind.DEDUCTION:
                code = "VALUE_EVENTS_BELOW_ZERO" if number < 0 else "VALUE_EVENTS_NOT_WHOLE"
                problems.append(problem(code, **at, value=canonical(number)))
            else:
                problems.append(problem("VALUE_COUNT_INVALID", **at, what=ask.asked.label, value=canonical(number)))
            return None
        return number
    if ask.figure:
        return _figure(number, ask, at, problems)
    if decimal_places(number) > FRAME_DECIMALS:
        problems.append(problem("VALUE_TOO_PRECISE", **at, value=canonical(number)))
        return None
    if isinstance(rule, BaseRule) and number < rule.base:
        problems.append(problem("VALUE_BELOW_BASE", **at, value=canonical(number), base=canonical(rule.base),
                                words=item.words()))  # fmt: skip
        return None
    if isinstance(rule, RangedRule) and number != 0 and not rule.min <= number <= item.max:
        problems.append(problem("VALUE_RANGED_OUT_OF_RANGE", **at, value=canonical(number), words=item.words()))
        return None
    if number < 0:
        problems.append(problem("VALUE_BELOW_ZERO", **at, value=canonical(number)))
        return None
    if number > item.max:
        problems.append(problem("VALUE_ABOVE_MAX", **at, value=canonical(number), max=canonical(item.max)))
        return None
    return number


def remark_missing(ask: Ask, value: Decimal, at: dict[str, Any]) -> list[Problem]:
    """The remark a value needs and lacks: a lower tier, an aspect answered 否, a score below full marks over a
    base, a ranged deduction (its reason is required), events deducted."""
    rule, item = ask.item.rule, ask.item
    if isinstance(rule, ChecklistRule):
        return [problem("VALUE_REMARK_MISSING_ASPECT", **at, aspect=ask.asked.label)] if value == 0 else []
    if isinstance(rule, TiersRule | BaseRule):
        if value < item.max:
            return [problem("VALUE_REMARK_MISSING", **at, value=canonical(value), max=canonical(item.max))]
        return []
    if isinstance(rule, RangedRule):
        return [problem("VALUE_REMARK_MISSING_RANGED", **at, value=canonical(value))] if value > 0 else []
    if ask.counts and item.kind is Kind.DEDUCTION and value > 0:
        return [problem("VALUE_REMARK_MISSING_EVENTS", **at, value=canonical(value))]
    return []


def _text(value: Any) -> str:
    return unicodedata.normalize("NFKC", cell_text(value)).strip()


def _choice(value: Any, ask: Ask, at: dict[str, Any], problems: list[Problem]) -> Decimal | None:
    text = _text(value)
    if ask.asked.kind == "yesno":
        if text in (YES, NO):
            return Decimal(1 if text == YES else 0)
        problems.append(problem("VALUE_ASPECT_INVALID", **at, aspect=ask.asked.label, value=text[:30]))
        return None
    points = ask.tier_points(text)
    if points is None:  # a tier's points typed instead of its label, or 0.50 for the tier 0.5
        number = parse_text_number(text)
        points = ask.tier_of_points(number) if number is not None else None
    if points is None:
        tiers = _tiers(ask)
        problems.append(problem("VALUE_OFF_TIER", **at, value=text[:30], tiers=tiers))
    return points


def _tiers(ask: Ask) -> str:
    rule = ask.item.rule
    if not isinstance(rule, TiersRule):
        return "、".join(ask.asked.choices)
    return "、".join(f"{t.label}（{canonical(t.points)}分）" if t.label else canonical(t.points) for t in rule.tiers)


def _number(value: Any, at: dict[str, Any], problems: list[Problem]) -> Decimal | None:
    if isinstance(value, (date, datetime, timedelta)):
        problems.append(problem("VALUE_IS_DATE", **at, value=cell_text(value)))
        return None
    number = parse_text_number(_text(value)) if isinstance(value, str) else from_cell(value)
    if number is None:
        problems.append(problem("VALUE_NOT_NUMBER", **at, value=cell_text(value)[:30]))
    return number


def _figure(number: Decimal, ask: Ask, at: dict[str, Any], problems: list[Problem]) -> Decimal | None:
    a = ask.asked
    low = a.min if a.min is not None else Decimal(0)
    facts: dict[str, Any] = {"figure": a.label, "value": canonical(number), "measure": a.unit}
    if number < low or (a.max is not None and number > a.max):
        top = canonical(a.max) if a.max is not None else "不限"
        problems.append(problem("VALUE_FIGURE_OUT_OF_RANGE", **at, **facts, min=canonical(low), max=top))
        return None
    places = min(a.decimals, FRAME_DECIMALS)
    if decimal_places(number) > places:
        problems.append(problem("VALUE_FIGURE_TOO_PRECISE", **at, **facts, decimals=places))
        return None
    return number
