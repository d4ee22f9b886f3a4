"""Simulated units (for `qe demo`, practice and the tests): a filled contact list and a report
written with python-docx, as a unit's clerk would, with planted mistakes on request."""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl

from ..forms.fill import fill_form
from ..forms.layout import VETO_NO
from ..intake.receipts import REGISTER_SHEET, REGISTER_TITLE_ROWS, REGISTER_XLSX
from ..rubric import Kind, Rubric, Unit
from .contacts import FIRST_ROW, SHEET
from .materials import CONTACTS_FILE, SELF_SCORE_FILE, report_title, unit_materials
from .report_template import sections
from .self_score import SHEET as SELF_SCORE_SHEET
from .self_score import self_score_rows

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


PEOPLE = ("王磊", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵敏", "黄强")


def simulate_units(rubric: Rubric, packages: Path, received: Path) -> Path:
    """Every unit sends a valid report and contact list, registered on time in the office's register."""
    for n, unit in enumerate(rubric.units):
        write_report(received / unit.name / f"{unit.name}自评报告.docx", rubric, unit)
        person = (PEOPLE[n % len(PEOPLE)], f"{unit.name}市场监督管理局", "质量发展股股长", f"0395-{6100000 + n * 1111}",
                  f"1383950{1000 + n:04d}", f"zl{n + 1}@example.com")  # fmt: skip
        fill_contacts(packages / unit.name / CONTACTS_FILE, received / unit.name / CONTACTS_FILE, [person])
        if rubric.self_scoring:
            day = rubric.materials_deadline - timedelta(days=2)
            fill_self_score(packages / unit.name / SELF_SCORE_FILE, received / unit.name / SELF_SCORE_FILE, rubric,
                            unit, self_score_answers(rubric, unit, n), day)  # fmt: skip
    register = received / REGISTER_XLSX
    shutil.copy(packages / REGISTER_XLSX, register)
    wb = openpyxl.load_workbook(register)
    ws = wb[REGISTER_SHEET]
    deadline = rubric.materials_deadline
    row = REGISTER_TITLE_ROWS + 2
    for n, unit in enumerate(rubric.units):
        for material in unit_materials(rubric):
            day = deadline - timedelta(days=1 + n % 3)
            for col, value in enumerate(
                (unit.name, str(material), "现场", f"{day:%Y-%m-%d} 10:30", "市质强办"), start=1
            ):
                ws.cell(row, col).value = value
            row += 1
    wb.save(register)
    return received


def self_score_answers(rubric: Rubric, unit: Unit, seed: int = 0) -> dict[str, tuple[object, str]]:
    """A unit's self-scores as a clerk might give them: full marks (a bonus claimed with its evidence), a little
    less on every fifth item; no deduction event and no veto declared."""
    answers: dict[str, tuple[object, str]] = {}
    for n, r in enumerate(self_score_rows(rubric, unit)):
        if r.item.kind in (Kind.DEDUCTION, Kind.VETO):
            answers[r.item.id] = (0 if r.item.kind is Kind.DEDUCTION else VETO_NO, "")
        elif (n + seed) % 5 == 0 and r.item.max >= 1:
            answers[r.item.id] = (r.item.max - Decimal("0.5"), "部分工作尚未完成，自评扣0.5分。")
        else:
            answers[r.item.id] = (r.item.max, "印证材料齐全。")
    return answers


def fill_self_score(
    src: Path,
    dst: Path,
    rubric: Rubric,
    unit: Unit,
    answers: Mapping[str, tuple[object, str]],
    fill_date: date | str | None,
) -> int:
    """Type self-scores (by item id: value and 说明) into the unit's table, as `fill_form` fills an evaluation form."""
    blocks = {r.item.id: r.block for r in self_score_rows(rubric, unit)}
    return fill_form(src, dst, {(blocks[i], i): a for i, a in answers.items()}, fill_date, sheet=SELF_SCORE_SHEET)
