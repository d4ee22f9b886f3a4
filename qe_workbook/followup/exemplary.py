"""先进典型: the short list from which the office recommends units (方案五(三)): the highest total,
the highest score in each area, and the score items where one unit alone had full marks.

A vetoed unit is never listed; a unit whose results are incomplete is listed with （暂定）. Ties are
all listed. Points are exact Fractions.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from xlsxwriter.worksheet import Worksheet

from ..outputs.master import ExtraSheet
from ..outputs.sheets import Sheets, column_widths, sheet_paper
from ..rubric import Kind, Rubric
from ..scoring.results import INCOMPLETE_MARK, Results, UnitResult

TOTAL, AREA, ONLY_FULL = "总分最高", "领域得分最高", "唯一满分项目"


@dataclass(frozen=True)
class Exemplar:
    kind: str  # TOTAL, AREA or ONLY_FULL
    subject: str  # 总分, the area's name, or the item (编号 and text)
    unit: str  # the unit's name, （暂定） when its results are incomplete
    points: Fraction
    max: Fraction
    note: str = ""

    def row(self) -> list[object]:
        return [self.kind, self.subject, self.unit, self.points, self.max, self.note]


HEADER = ["类别", "考核领域或项目", "被考核单位", "得分", "满分", "说明"]


def _name(unit: UnitResult) -> str:
    return unit.unit if unit.complete else f"{unit.unit}{INCOMPLETE_MARK}"


def _best(units: list[UnitResult], points: dict[str, Fraction]) -> list[UnitResult]:
    top = max((points[u.unit] for u in units), default=None)
    return [u for u in units if top is not None and points[u.unit] == top]


def exemplars(rubric: Rubric, results: Results) -> list[Exemplar]:
    """The highest total, the highest in each area, then each item where one unit alone had full marks."""
    eligible = [u for u in results.units if not u.veto]
    tied = "（并列）"
    found: list[Exemplar] = []
    best = _best(eligible, {u.unit: u.total for u in eligible})
    found += [Exemplar(TOTAL, "总分", _name(u), u.total, u.full, tied if len(best) > 1 else "") for u in best]
    for area in rubric.areas:
        best = _best(eligible, {u.unit: u.areas[area.id] for u in eligible})
        found += [
            Exemplar(AREA, area.name, _name(u), u.areas[area.id], Fraction(area.max), tied if len(best) > 1 else "")
            for u in best
        ]
    for n, item in enumerate(rubric.items):
        if item.kind is not Kind.SCORE:
            continue
        full = [u for u in results.units if u.items[n].points == Fraction(item.max)]
        if len(full) == 1 and not full[0].veto and all(u.items[n].points is not None for u in results.units):
            remark = "；".join(s.remark.strip() for s in full[0].items[n].sources if s.remark and s.remark.strip())
            found.append(Exemplar(ONLY_FULL, f"{item.id} {item.text}", _name(full[0]), Fraction(item.max),
                                  Fraction(item.max), remark))  # fmt: skip
    return found


def exemplars_sheet(rubric: Rubric, results: Results) -> ExtraSheet:
    """master.xlsx's 先进典型 sheet."""
    return ExtraSheet(("先进典型",), lambda ws, s: _exemplars(ws[0], s, rubric, results))


def _exemplars(ws: Worksheet, s: Sheets, rubric: Rubric, results: Results) -> None:
    """先进典型: the highest total, the highest in each area, items where one unit alone had full marks."""
    rows = [e.row() for e in exemplars(rubric, results)]
    widths = [14, 44, 14, 8, 8, 50]
    ws.write_string(0, 0, "先进典型（供推荐参考；触发否决项的单位不列入）", s.title)
    last = s.table(ws, 2, HEADER, rows, widths)
    column_widths(ws, widths)
    sheet_paper(ws, 2, last, len(HEADER) - 1, owner=s.owner)
