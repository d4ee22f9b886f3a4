"""The feedback letter's paragraph on self-scoring: the unit's self-score against the evaluated score
and the items where they differ most (when the rubric asks for self-scoring and the unit's table was used)."""

from __future__ import annotations

from ..amounts import fmt2
from ..rubric.view import short_text
from ..scoring.self_scores import Comparison
from .official_docx import TABLE_SIZE, OfficialDocument
from .typeset import num

GAP_WIDTHS = [68, 20, 24, 24, 20]  # mm, 156 mm of text width


def self_score_section(doc: OfficialDocument, comparison: Comparison, unit: str) -> None:
    """自评与评价对比: the totals over the items scored both ways, then the largest gaps either way."""
    if not comparison.has(unit):
        return
    own, evaluated, count = comparison.totals(unit)
    difference = own - evaluated
    how = (
        f"自评高出{num(difference)}"
        if difference > 0
        else f"自评低于评价{num(-difference)}"
        if difference < 0
        else "两者相同"
    )
    largest = comparison.largest(unit)
    ending = "差距较大的项目如下表，请对照印证材料和评价说明查找差距。" if largest else "各项目自评得分与评价得分一致。"
    doc.paragraph(
        f"你单位对{num(count, '个')}评分项目进行了自评打分，自评合计{num(own)}，评价得分合计{num(evaluated)}，{how}。{ending}"
    )
    if not largest:
        return
    rows = [
        [f"{g.item.id} {short_text(g.item)}", fmt2(g.item.max), fmt2(g.self_score), fmt2(g.evaluated),
         ("+" if (g.gap or 0) > 0 else "") + fmt2(g.gap)]
        for g in largest
    ]  # fmt: skip
    doc.caption("自评与评价差距较大的项目（差值＝自评−评价）")
    doc.table(["项目", "满分", "自评得分", "评价得分", "差值"], rows, widths_mm=GAP_WIDTHS,
              size=TABLE_SIZE, left={0})  # fmt: skip
