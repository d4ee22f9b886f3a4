"""The master frame: one row per (evaluator, unit, item, entry) value, declared once.

Every column is listed in `COLUMNS` with its dtype and the Chinese label outputs use. The frame is
built from the checked entries (`build_frame`), written to detail.json and read back into an equal
frame (outputs/detail.py), and scored (`scoring.score`). Points are
exact integer hundredths (`*_cents`, nullable `Int64` where a value may be missing): every
entered score has at most 2 decimals and every event count is whole, so no float ever holds a score.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..rubric import Kind, Rubric

if TYPE_CHECKING:
    from .submission import Submission


@dataclass(frozen=True)
class Column:
    name: str
    label: str  # the Chinese heading in 明细, detail.csv
    dtype: str  # "category" columns take their categories, in rubric order, from `categories`


COLUMNS = (
    Column("year", "年度", "int64"),
    Column("evaluator", "评价部门", "category"),
    Column("unit", "被考核单位", "category"),
    Column("area", "领域", "category"),
    Column("key_point", "考核要点", "category"),
    Column("item_id", "项目编号", "category"),
    Column("entry", "填写项", "int64"),  # 0: the item's one input; 1..n: a checklist's aspect
    Column("kind", "类别", "category"),
    Column("max_cents", "满分", "int64"),  # a deduction's cap; 0 for a veto
    Column("raw", "填写内容", "string"),  # the cell's text as written
    Column(
        "value_cents", "采用值", "Int64"
    ),  # the entered number in hundredths (events × 100, 是 = 100); NA if invalid
    Column("valid", "有效", "bool"),
    Column("remark", "评价说明", "string"),
    Column("file", "文件", "string"),
    Column("sheet", "工作表", "string"),
    Column("cell", "单元格", "string"),
    Column("remark_cell", "说明单元格", "string"),
    Column("fill_date", "填报日期", "datetime64[s]"),
    Column("form_id", "表单编号", "string"),
    Column("sha256", "文件指纹", "string"),
)
NAMES = [c.name for c in COLUMNS]
LABELS = {c.name: c.label for c in COLUMNS}


def plain(col: pd.Series, missing: Any = None) -> list[Any]:
    """A column as a list of Python values, `missing` where pandas has NA/NaT."""
    return col.astype(object).where(col.notna(), missing).tolist()


def to_cents(value: Decimal | int) -> int:
    """Exact hundredths of a value with at most 2 decimals (the rubric and value checks ensure it)."""
    scaled = Decimal(value) * 100
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{value} has more than 2 decimals")
    return int(scaled)


def categories(rubric: Rubric) -> dict[str, list[str]]:
    """The categories of each categorical column, in the rubric's order."""
    return {
        "evaluator": [ev.name for ev in rubric.form_evaluators()],
        "unit": [u.name for u in rubric.units],
        "area": [a.id for a in rubric.areas],
        "key_point": [k.id for k in rubric.key_points],
        "item_id": [i.id for i in rubric.items],
        "kind": [str(k) for k in Kind],
    }


def dtypes(rubric: Rubric) -> dict[str, Any]:
    cats = categories(rubric)
    return {
        c.name: pd.CategoricalDtype(cats[c.name], ordered=True) if c.dtype == "category" else c.dtype for c in COLUMNS
    }


def typed(frame: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """The frame with exactly the schema's columns, in order, with the schema's dtypes (a frame without the
    entry column, or with gaps in it, has one input per item: entry 0)."""
    full = frame.reindex(columns=NAMES)
    full["entry"] = full["entry"].fillna(0)
    return full.astype(dtypes(rubric)).reset_index(drop=True)


def empty_frame(rubric: Rubric) -> pd.DataFrame:
    return typed(pd.DataFrame({name: [] for name in NAMES}), rubric)


def _rows(rubric: Rubric, submissions: Iterable[Submission], sheet: str) -> Iterator[tuple[Any, ...]]:
    facts = {i.id: (i.area, i.key_point, str(i.kind), to_cents(i.max)) for i in rubric.items}
    for sub in submissions:
        fill_date = pd.Timestamp(sub.fill_date) if sub.fill_date else None
        for e in sub.adopted_entries():
            area, key_point, kind, max_cents = facts[e.item_id]
            # The value checks let no score with more than 2 decimals and no fractional event count through.
            value = None if e.value is None else int(e.value.scaleb(2))
            yield (rubric.year, sub.evaluator, e.unit, area, key_point, e.item_id, e.entry, kind, max_cents, e.raw, value,
                   value is not None, e.remark, sub.file, sheet, e.cell, e.remark_cell, fill_date, sub.form_id,
                   sub.sha256)  # fmt: skip


def build_frame(rubric: Rubric, accepted: Iterable[Submission], sheet: str) -> pd.DataFrame:
    """The master frame from the accepted submissions' entries (all read from worksheet `sheet`)."""
    records = list(_rows(rubric, accepted, sheet))
    if not records:
        return empty_frame(rubric)
    return typed(pd.DataFrame.from_records(records, columns=NAMES), rubric)
