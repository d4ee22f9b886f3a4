"""Simulated units (for `qe demo`, practice and the tests): a filled contact list and a report
written with python-docx, as a unit's clerk would, with planted mistakes on request."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import docx
import openpyxl

from ..rubric import Rubric, Unit
from .contacts import FIRST_ROW, SHEET
from .materials import report_title
from .report_template import sections

FILLER = "我县坚持质量第一，完善质量工作机制，强化部门协同，推动企业落实主体责任，质量水平稳步提升"  # 45 字


def fill_contacts(src: Path, dst: Path, people: Sequence[Sequence[str]]) -> Path:
    """Type people (姓名、单位、职务、固定电话、手机、邮箱) into the template's input rows."""
    wb = openpyxl.load_workbook(src)
    ws = wb[SHEET]
    for n, person in enumerate(people):
        for col, value in enumerate(person):
            ws.cell(FIRST_ROW + n + 1, col + 1).value = value
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)
    return dst


def prose(chars: int) -> str:
    """Exactly `chars` 字 of Chinese prose (every character counts 1)."""
    text = (FILLER + "。") * (chars // (len(FILLER) + 1) + 1)
    return text[:chars]


def write_report(
    path: Path,
    rubric: Rubric,
    unit: Unit,
    *,
    paragraph_chars: Sequence[int] = (400, 400, 300, 300, 300),
    cases: int = 2,
    skip_heading: str | None = None,
) -> Path:
    """A report in 附件2's structure: one paragraph of prose under each (sub)heading, then the cases."""
    document = docx.Document()
    document.add_paragraph(report_title(rubric, unit))
    lengths = iter(paragraph_chars)
    for heading, subheadings in sections(rubric):
        if heading != skip_heading:
            document.add_paragraph(heading)
        for sub in subheadings or [""]:
            if sub:
                document.add_paragraph(sub)
            document.add_paragraph(prose(next(lengths, 200)))
    if cases:
        document.add_page_break()
        document.add_paragraph("附件：质量安全和质量发展工作典型案例")
        for n in range(1, cases + 1):
            document.add_paragraph(f"案例{'一二三四五六七八九十'[n - 1]}：质量提升典型做法")
            document.add_paragraph(prose(600))
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path
