"""The one-page key backup sheet: as text (screen, .txt) and as a printable .docx.

The sheet holds the key in numbered groups of four hex digits, each followed by its check letter,
four groups to a line, the date, the key's fingerprint and the warning to lock it in the safe.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt
from docx.text.run import Run

from ..dates import chinese_date
from ..documents.fonts import LATIN_FONT
from ..keys import key_fingerprint, key_groups

TITLE = "考核评价表签名密钥备份单"
GROUPS_PER_LINE = 4
WARNING = (
    "本页就是密钥。请将本页装入信封密封，存放在市质强办保密柜（保险柜）中；不得拍照、复印、扫描，"
    "不得通过微信、电子邮件等网络传送。持有本页的人可以伪造评价表的签名；密钥遗失后，"
    "已下发的评价表将无法核验。"
)
RESTORE_HINT = (
    "恢复方法：在新电脑上运行 qe key restore，按提示逐组输入（连同每组末尾的校验字母）；"
    "输错的组会被指出，核对后重新输入即可。恢复后显示的密钥指纹应与本页一致。"
)
MONO_FONT = "Courier New"


def sheet_lines(key: bytes, office: str, day: date) -> list[str]:
    """The sheet as lines of text (what `qe key backup` prints)."""
    groups = key_groups(key)
    lines = [TITLE, f"单位：{office}", f"备份日期：{chinese_date(day)}", f"密钥指纹：{key_fingerprint(key)}", ""]
    for start in range(0, len(groups), GROUPS_PER_LINE):
        lines.append("    ".join(f"{g.number:>2}. {g.text}" for g in groups[start : start + GROUPS_PER_LINE]))
    return [*lines, "", WARNING, "", RESTORE_HINT]


def write_sheet_docx(path: Path, key: bytes, office: str, day: date) -> Path:
    """The same sheet as an A4 .docx (one page), the groups large in a fixed-width font."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sheet_document(key, office, day).save(str(path))
    return path


def sheet_document(key: bytes, office: str, day: date) -> Any:
    """The sheet as a Word document in memory (what `write_sheet_docx` saves)."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(25)
    section.left_margin = section.right_margin = Mm(25)
    document.core_properties.title = TITLE
    document.core_properties.author = office
    lines = sheet_lines(key, office, day)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_fonts(title.add_run(TITLE), "黑体", Pt(22))
    for line in lines[1:4]:
        set_fonts(document.add_paragraph().add_run(line), "宋体", Pt(14))
    groups = key_groups(key)
    table = document.add_table(rows=len(groups) // GROUPS_PER_LINE, cols=GROUPS_PER_LINE)
    table.style = "Table Grid"
    for group in groups:
        row, col = divmod(group.number - 1, GROUPS_PER_LINE)
        paragraph = table.cell(row, col).paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(f"{group.number}. {group.text}")
        set_fonts(run, "宋体", Pt(15))
        run.font.name = MONO_FONT
        run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:hAnsi"), MONO_FONT)
        paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(8)
    for text, east_asian, bold in ((WARNING, "黑体", True), (RESTORE_HINT, "宋体", False)):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(18)
        run = paragraph.add_run(text)
        run.bold = bold
        set_fonts(run, east_asian, Pt(14))
    signature = document.add_paragraph()
    signature.paragraph_format.space_before = Pt(36)
    set_fonts(signature.add_run("保管人（签字）：____________    封存日期：____________"), "宋体", Pt(14))
    return document


def set_fonts(run: Run, east_asian: str, size: Length) -> None:
    """Name a python-docx run's Chinese font (w:eastAsia) and Latin font, and its size."""
    run.font.size = size
    fonts = run.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
