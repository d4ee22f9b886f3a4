"""The master frame as a run writes it and reads it back: detail.json (`frame_records`, `read_frame`, an
equal frame again) and, for people, Chinese headings and values (`display_frame`: the 明细 sheet, detail.csv)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pandas as pd

from ..amounts import canonical, fmt2
from ..forms.asks import Ask, is_plain
from ..intake.frame import COLUMNS, NAMES, categories, empty_frame, plain, typed
from ..rubric import Item, Kind, Rubric
from ..scoring.results import Results


def frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame as JSON records: hundredths as integers, dates as ISO text, missing as null."""
    columns: dict[str, list[Any]] = {}
    for c in COLUMNS:
        col = frame[c.name]
        if c.dtype.startswith("datetime"):
            columns[c.name] = plain(col.dt.strftime("%Y-%m-%d"))
        elif c.dtype == "category":
            columns[c.name] = col.astype(object).tolist()
        else:
            columns[c.name] = plain(col)
    return [dict(zip(NAMES, row, strict=True)) for row in zip(*columns.values(), strict=True)]


def read_frame(records: list[dict[str, Any]], rubric: Rubric) -> pd.DataFrame:
    """The frame back from `frame_records` (detail.json); unknown units, items or evaluators fail."""
    if not records:
        return empty_frame(rubric)
    frame = pd.DataFrame.from_records(records, columns=NAMES)
    frame["fill_date"] = pd.to_datetime(frame["fill_date"])
    cats = categories(rubric)
    for name, allowed in cats.items():
        unknown = set(frame[name].dropna()) - set(allowed)
        if unknown or frame[name].isna().any():
            raise ValueError(f"{name}: {sorted(map(str, unknown))}")
    return typed(frame, rubric)


APPLIED_LABEL = "换算"  # the figure or choice typed and the points the rule gives it


def display_frame(
    frame: pd.DataFrame, *, numbers_as_text: bool = False, applied: list[str] | None = None
) -> pd.DataFrame:
    """The frame for people: Chinese headings, kinds and booleans in Chinese, points in units.

    Points are numbers (for a worksheet cell) or, with `numbers_as_text`, exact 2-decimal text. The entry
    column is shown only when some item has more than one input (a checklist's aspects); with `applied`
    (`applied_rules`), each row's value and the points the rule gives it, after the value.
    """
    shown = pd.DataFrame(index=frame.index)
    for c in COLUMNS:
        if c.name == "entry" and not frame["entry"].any():
            continue
        if c.name == "valid" and applied is not None:
            shown[APPLIED_LABEL] = applied
        col = frame[c.name]
        out: pd.Series
        if c.name == "kind":
            out = col.map({str(k): k.label for k in Kind})
        elif c.name.endswith("_cents"):
            cents = col.astype("Int64")
            out = (
                (cents // 100).astype("string") + "." + (cents % 100).astype("string").str.zfill(2)
                if numbers_as_text
                else cents / 100
            )
        elif c.dtype == "bool":
            out = col.map({True: "是", False: "否"})
        elif c.dtype.startswith("datetime"):
            out = col.dt.date
        else:
            out = col
        shown[c.label] = out.astype(object).where(out.notna(), None)
    return shown


def applied_rules(frame: pd.DataFrame, rubric: Rubric, results: Results) -> list[str] | None:
    """For each frame row, what was typed and the points the item's rule gives it: "合格率 97.50% → 35.00 分（按合格率
    测算：…）", a tier "较好 → 15.00 分", 是/否 of an aspect with the department's points over the checklist.
    None when every item is scored as typed (a plan without rules: 明细 as it always was); "" for a row typed as
    points, and for a value refused."""
    ruled = {i.id: i for i in rubric.items if not is_plain(i)}
    if not ruled:
        return None
    points = results.table.row_points()["points_cents"]
    shown = [""] * len(frame)
    rows = zip(frame["item_id"], frame["entry"], frame["raw"], frame["value_cents"], points, strict=True)
    for n, (item_id, entry, raw, value, cents) in enumerate(rows):
        item = ruled.get(item_id)
        if item is not None and not pd.isna(cents) and not pd.isna(value):
            shown[n] = _applied(item, int(entry), str(raw), Decimal(int(value)).scaleb(-2), Fraction(int(cents), 100))
    return shown


def _applied(item: Item, entry: int, raw: str, value: Decimal, points: Fraction) -> str:
    ask = Ask.of(item, entry)
    gives = f"{fmt2(points)} 分"
    if ask.figure:
        places = min(ask.asked.decimals, 2)  # as the figure is asked: 97.50%, 59.9%, 410件
        typed = f"{ask.asked.label} {value:.{places}f}{ask.asked.unit}"
    elif ask.counts:
        typed = f"{canonical(value)}{ask.asked.unit}"
    elif ask.asked.kind == "number":
        typed = f"{fmt2(value)} 分"
    elif entry:
        typed = f"{ask.asked.label}：{raw}，本部门各方面合计"
    else:
        typed = raw
    return f"{typed} → {gives}（{item.words()}）"
