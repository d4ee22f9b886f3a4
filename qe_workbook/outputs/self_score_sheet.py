"""master.xlsx's 自评对比 sheets: each unit's self-score against the evaluated score.

自评对比 has a line per unit (self-score total, evaluated total over the same items, the difference
and the items with the largest gaps); 自评对比明细 every scored item with both scores, the gap and
where the self-score came from (file, sheet, cell of the unit's 自评打分表).
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..amounts import fmt2
from ..scoring.self_scores import Comparison, Gap

if TYPE_CHECKING:
    from xlsxwriter.worksheet import Worksheet

    from .sheets import Sheets

SHEET, DETAIL_SHEET = "自评对比", "自评对比明细"
SUMMARY_HEADER = ["被考核单位", "对比项目数", "自评合计", "评价得分合计", "差值（自评−评价）", "差距最大的项目"]
DETAIL_HEADER = ["被考核单位", "项目编号", "考核领域", "所评价项目", "满分", "自评得分", "评价得分",
                 "差值（自评−评价）", "自评说明", "自评得分来源"]  # fmt: skip
SUMMARY_WIDTHS = [16, 10, 10, 12, 14, 60]
DETAIL_WIDTHS = [12, 8, 14, 44, 7, 9, 9, 10, 36, 38]


def signed(value: Fraction) -> str:
    """'+4.00', '-0.50', '0.00': a gap with its sign."""
    return ("+" if value > 0 else "") + fmt2(value)


def gap_list(gaps: list[Gap]) -> str:
    """'01-1（+4.00）、03-1（-2.00）'."""
    return "、".join(f"{g.item.id}（{signed(g.gap)}）" for g in gaps if g.gap is not None)


def summary_rows(comparison: Comparison) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for unit, _gaps in comparison.gaps.items():
        if not comparison.has(unit):
            rows.append([unit, 0, None, None, None, "没有可用的自评打分表"])
            continue
        own, evaluated, count = comparison.totals(unit)
        rows.append([unit, count, own, evaluated, own - evaluated, gap_list(comparison.largest(unit)) or "无差距"])
    return rows


def detail_rows(comparison: Comparison) -> list[list[Any]]:
    areas = {a.id: a.name for a in comparison.rubric.areas}
    rows: list[list[Any]] = []
    for unit, gaps in comparison.gaps.items():
        for g in gaps:
            src = g.source
            where = f"{src.file} {src.sheet}!{src.cell}" if src else ""
            shown = (
                g.self_score if g.self_score is not None else (f"（{src.raw}，未采用）" if src and src.raw else None)
            )
            rows.append([unit, g.item.id, areas.get(g.item.area, g.item.area), g.item.text, g.item.max, shown,
                         g.evaluated, g.gap, src.remark if src else "", where])  # fmt: skip
    return rows


def write_self_score_sheets(
    summary: Worksheet, detail: Worksheet, s: Sheets, comparison: Comparison
) -> tuple[int, int]:
    """Both sheets' tables (header in row 1); returns the last row of each."""
    last = []
    for ws, header, rows, widths in (
        (summary, SUMMARY_HEADER, summary_rows(comparison), SUMMARY_WIDTHS),
        (detail, DETAIL_HEADER, detail_rows(comparison), DETAIL_WIDTHS),
    ):
        last.append(s.table(ws, 0, header, rows, widths))
        for col, width in enumerate(widths):
            ws.set_column(col, col, width)
    return last[0], last[1]
