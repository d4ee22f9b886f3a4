"""The official-document (公文) look for .docx outputs, after GB/T 9704-2012.

A4 paper; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title in 方正小标宋简体 二号;
body in 仿宋_GB2312 三号 on a fixed 28.95 pt line pitch (22 lines a page); first-level headings in
黑体, second-level in 楷体_GB2312; the page number as "— n —" in the footer. Chinese fonts are named
through w:eastAsia, and word/fontTable.xml names a commonly installed substitute for each of them
(w:altName: 黑体 for the title font, 仿宋 and 楷体 for the GB2312 fonts), for machines that lack them.

Text is only ever added as plain runs, so whatever came from a returned file stays literal text;
the footer's PAGE field is the one field in a document.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
FALLBACKS = {TITLE_FONT: HEADING_FONT, BODY_FONT: "仿宋", SUBHEADING_FONT: "楷体"}
GB2312_CHARSET = "86"

TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
SMALL_SIZE = Pt(14)  # 四号: tables, page numbers
LINE_PITCH = Pt(28.95)
INDENT = Pt(32)  # two characters of 三号

DIGITS = "零一二三四五六七八九"
DRAFT_STAGE = "初稿"  # the stage a run's documents carry until the office approves it


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 25 -> 二十五 (for 一、 and （一） numbering, 1..99)."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return DIGITS[ones]
    head = "" if tens == 1 else DIGITS[tens]
    return f"{head}十{DIGITS[ones] if ones else ''}"


def chinese_date(day: date) -> str:
    """The 成文日期 form: 2023年5月8日."""
    return f"{day.year}年{day.month}月{day.day}日"


def set_fonts(run: Run, east_asian: str, size: Length) -> None:
    """Name the run's Chinese font (w:eastAsia) and Latin font, and its size."""
    run.font.size = size
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)


class OfficialDocument:
    """A document in the 公文 layout, written paragraph by paragraph."""

    def __init__(self, title: str, author: str, stage: str = DRAFT_STAGE) -> None:
        self.doc = docx.Document()
        self._page()
        self._body_style()
        self._page_number()
        self._stage(stage)
        self._font_fallbacks()
        props = self.doc.core_properties
        props.title, props.author, props.last_modified_by = title, author, author
        heading = self._paragraph(WD_ALIGN_PARAGRAPH.CENTER)
        set_fonts(heading.add_run(title), TITLE_FONT, TITLE_SIZE)
        self._paragraph()

    def _page(self) -> None:
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)

    def _body_style(self) -> None:
        style = self.doc.styles["Normal"]
        style.font.size = BODY_SIZE
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), BODY_FONT)
        fonts.set(qn("w:ascii"), LATIN_FONT)
        fonts.set(qn("w:hAnsi"), LATIN_FONT)
        layout = style.paragraph_format
        layout.line_spacing_rule, layout.line_spacing = WD_LINE_SPACING.EXACTLY, LINE_PITCH
        layout.space_before = layout.space_after = Pt(0)

    def _page_number(self) -> None:
        """ "— n —" centred in the footer; n is a PAGE field."""
        footer = self.doc.sections[0].footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        parts = [
            ("w:t", {"xml:space": "preserve"}, "— "),
            ("w:fldChar", {"w:fldCharType": "begin"}, None),
            ("w:instrText", {"xml:space": "preserve"}, " PAGE "),
            ("w:fldChar", {"w:fldCharType": "separate"}, None),
            ("w:t", {}, "1"),
            ("w:fldChar", {"w:fldCharType": "end"}, None),
            ("w:t", {"xml:space": "preserve"}, " —"),
        ]
        for tag, attributes, text in parts:
            run = footer.add_run()
            set_fonts(run, PAGE_NUMBER_FONT, SMALL_SIZE)
            element = OxmlElement(tag, {qn(k): v for k, v in attributes.items()})
            element.text = text
            run._element.append(element)

    def _stage(self, stage: str) -> None:
        """The document's stage (初稿, 征求意见稿, 审定稿, 印发稿) at the top right of every page."""
        header = self.doc.sections[0].header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        set_fonts(header.add_run(stage), HEADING_FONT, SMALL_SIZE)

    def _font_fallbacks(self) -> None:
        """Replace the template's font table by one that also lists FALLBACKS (w:altName, GB2312)."""
        main = self.doc.part
        rid, rel = next((rid, rel) for rid, rel in main.rels.items() if rel.reltype == RT.FONT_TABLE)
        old = rel.target_part
        table = parse_xml(old.blob)
        for name, alternative in FALLBACKS.items():
            font = OxmlElement("w:font", {qn("w:name"): name})
            font.append(OxmlElement("w:altName", {qn("w:val"): alternative}))
            font.append(OxmlElement("w:charset", {qn("w:val"): GB2312_CHARSET}))
            table.append(font)
        blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)
        main.drop_rel(rid)
        main.relate_to(Part(old.partname, old.content_type, blob, old.package), RT.FONT_TABLE)

    def _paragraph(self, alignment: WD_ALIGN_PARAGRAPH | None = None, indent: Length | None = None) -> Paragraph:
        paragraph = self.doc.add_paragraph()
        if alignment is not None:
            paragraph.alignment = alignment
        paragraph.paragraph_format.first_line_indent = indent
        return paragraph

    def line(self, text: str) -> None:
        """A paragraph without indent: the addressee (主送), 抄送."""
        self._paragraph().add_run(text)

    def paragraph(self, text: str) -> None:
        """A body paragraph, indented two characters."""
        self._paragraph(indent=INDENT).add_run(text)

    def heading(self, text: str) -> None:
        """A first-level heading (一、…) in 黑体."""
        set_fonts(self._paragraph(indent=INDENT).add_run(text), HEADING_FONT, BODY_SIZE)

    def subheading(self, text: str) -> None:
        """A second-level heading (（一）…) in 楷体."""
        set_fonts(self._paragraph(indent=INDENT).add_run(text), SUBHEADING_FONT, BODY_SIZE)

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        """A bordered table in 四号, the header row in 黑体; every cell is plain text."""
        table = self.doc.add_table(rows=0, cols=len(header))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for n, values in enumerate([header, *rows]):
            for cell, value in zip(table.add_row().cells, values, strict=True):
                paragraph = cell.paragraphs[0]
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
                run = paragraph.add_run(value)
                set_fonts(run, HEADING_FONT if n == 0 else BODY_FONT, SMALL_SIZE)
        self._paragraph()

    def signature(self, office: str, issued: date) -> None:
        """The issuing office and the date, right-aligned four characters from the margin."""
        self._paragraph()
        for text in (office, chinese_date(issued)):
            paragraph = self._paragraph(WD_ALIGN_PARAGRAPH.RIGHT)
            paragraph.paragraph_format.right_indent = 2 * INDENT
            paragraph.add_run(text)

    def save(self, path: Path) -> Path:
        self.doc.save(str(path))
        return path
