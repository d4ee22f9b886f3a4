"""The master frame as a run writes it and reads it back: detail.json (`frame_records`, `read_frame`, an
equal frame again) and, for people, Chinese headings and values (`display_frame`: the 明细 sheet, detail.csv)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..amounts import canonical, fmt2
from ..forms.asks import Ask, is_plain
from ..intake.frame import COLUMNS, NAMES, categories, empty_frame, plain, typed
from ..rubric import Item, Kind, Rubric
from ..scoring.results import Results, Source


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
    if all(is_plain(i) for i in rubric.items):
        return None
    shown = [""] * len(frame)
    for unit in results.units:
        for score in unit.items:
            if not is_plain(score.item):
                for source in score.sources:
                    if 0 <= source.row < len(shown) and source.points is not None:
                        shown[source.row] = _applied(score.item, source)
    return shown


def _applied(item: Item, source: Source) -> str:
    ask = Ask.of(item, source.entry)
    gives = f"{fmt2(source.points)} 分"
    if ask.figure:
        places = min(ask.asked.decimals, 2)  # as the figure is asked: 97.50%, 59.9%, 410件
        typed = f"{ask.asked.label} {source.value:.{places}f}{ask.asked.unit}"
    elif ask.counts:
        typed = f"{canonical(source.value)}{ask.asked.unit}"
    elif ask.asked.kind == "number":
        typed = f"{fmt2(source.value)} 分"
    elif source.entry:
        typed = f"{ask.asked.label}：{source.raw}，本部门各方面合计"
    else:
        typed = source.raw
    return f"{typed} → {gives}（{item.words()}）"
