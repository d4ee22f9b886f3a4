"""The sentences of two workbooks as kinds of templated documents: the 得分核对单's title, score sentence, date line
and notes, and the 整改台账's title, unit line, filling hint and the sentence for a unit told of no problems. Each
template's paragraphs, rendered by the same engine as the letters, are placed into the workbook's cells in order
(an empty paragraph is skipped)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from docx import Document

from .templating import DocumentKind, Field, render

PRECHECK_NOTES = DocumentKind(
    "得分核对单说明",
    "得分核对单上的文字：各段依次为标题、总分说明、反馈截止日期一行，其后各段为表格下的说明",
    (
        Field("城市", "城市名称", "漯河市"),
        Field("年度", "考核年度", 2022),
        Field("单位", "被考核单位（简称）", "临颍县"),
        Field("总分", "评分得出的总分（各项目得分之和）", "87.50"),
        Field("总分说明", "总分的构成（满分、加分扣分）", "满分 100 分，另有加分最多 5 分"),
        Field(
            "各部分",
            "总分折算的各部分（考核细则没有分部分时为空）",
            [{"名称": "平时考核", "权重": "60", "折算分": "52.30"}],
            (
                Field("名称", "部分名称", "平时考核"),
                Field("权重", "部分的权重（分）", "60"),
                Field("折算分", "该部分折算后的分数", "52.30"),
            ),
        ),
        Field("调整后总分", "会议调整后的总分（没有调整总分时为空）", ""),
        Field("反馈截止日期", "反馈异议的截止日期", "2023年5月20日"),
        Field("印发单位", "市质强办全称", "漯河市质量强市工作领导小组办公室"),
        Field("印发日期", "印发日期", "2023年5月8日"),
        Field("报送单位", "异议报给谁（市质强办的简称）", "市质强办"),
    ),
)

LEDGER_NOTES = DocumentKind(
    "整改台账说明",
    "整改台账上的文字：各段依次为标题、填报单位一行、填写说明、没有需要整改的问题时表中的一句",
    (
        Field("城市", "城市名称", "漯河市"),
        Field("年度", "考核年度", 2022),
        Field("单位全称", "被考核单位全称", "临颍县人民政府"),
        Field("报送单位", "台账报给谁（市质强办的简称）", "市质强办"),
        Field("完成时限示例", "完成时限的填写示例（次年的日期）", "2023-06-30"),
        Field("进展选项", "进展一栏可选的内容", ["未开始", "推进中", "已完成"]),
    ),
)


def note_lines(kind: DocumentKind, context: Mapping[str, Any], templates: Path | None = None) -> list[str]:
    """The text of each non-empty paragraph of the kind's template filled with `context`, in order; a paragraph
    the template lacks is an empty text (up to the kind's count). Raises `TemplateBroken`."""
    document = Document(io.BytesIO(render(kind, context, templates)))
    return [p.text for p in document.paragraphs if p.text.strip()]


def line(lines: list[str], n: int) -> str:
    """The n-th line of a template's text, empty when the template has fewer."""
    return lines[n] if n < len(lines) else ""
