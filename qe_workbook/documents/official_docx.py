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

import copy
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from .fonts import BODY_FONT, FALLBACKS, HEADING_FONT, LATIN_FONT, PAGE_NUMBER_FONT, SUBHEADING_FONT, TITLE_FONT

GB2312_CHARSET = "86"

TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
SMALL_SIZE = Pt(14)  # 四号: tables, page numbers
LINE_PITCH = Pt(28.95)
INDENT = Pt(32)  # two characters of 三号

THICK_RULE, THIN_RULE = "8", "6"  # eighths of a point: 0.35 mm and 0.25 mm
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


def _rules(paragraph: Paragraph, **sizes: str) -> None:
    """Rules along a paragraph's sides (`top`, `bottom`), w:sz in eighths of a point."""
    borders = OxmlElement("w:pBdr")
    for side, size in sizes.items():
        borders.append(OxmlElement(f"w:{side}", {qn("w:val"): "single", qn("w:sz"): size, qn("w:space"): "1",
                                                  qn("w:color"): "000000"}))  # fmt: skip
    paragraph._p.get_or_add_pPr().append(borders)


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
        props.title, props.author, props.last_modified_by = title.replace("\n", ""), author, author
        self._title(title)
        self._paragraph()

    def _title(self, title: str) -> None:
        """The title, centred; a newline in it is where its lines break (at a sense boundary)."""
        heading = self._paragraph(WD_ALIGN_PARAGRAPH.CENTER)
        heading.paragraph_format.keep_with_next = True
        for n, line in enumerate(title.split("\n")):
            run = heading.add_run()
            if n:
                run.add_break()
            run.add_text(line)
            set_fonts(run, TITLE_FONT, TITLE_SIZE)

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
        """A first-level heading (一、…) in 黑体, kept on the page of what follows it."""
        paragraph = self._paragraph(indent=INDENT)
        paragraph.paragraph_format.keep_with_next = True
        set_fonts(paragraph.add_run(text), HEADING_FONT, BODY_SIZE)

    def subheading(self, text: str) -> None:
        """A second-level heading (（一）…) in 楷体, kept on the page of what follows it."""
        paragraph = self._paragraph(indent=INDENT)
        paragraph.paragraph_format.keep_with_next = True
        set_fonts(paragraph.add_run(text), SUBHEADING_FONT, BODY_SIZE)

    def table(
        self,
        header: list[str],
        rows: list[list[str]],
        *,
        widths_mm: Sequence[float] | None = None,
        size: Length = SMALL_SIZE,
        left: set[int] | None = None,
        split_rows: bool = False,
    ) -> None:
        """A bordered table, the header row in 黑体 and repeated on every page; rows split across pages
        only with `split_rows`; every cell is plain text. `left`: columns aligned left (long text), the others centred."""
        table = self.doc.add_table(rows=0, cols=len(header))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        if widths_mm:
            table.autofit = False
            for column, width in zip(table.columns, widths_mm, strict=True):
                column.width = Mm(width)
        for n, values in enumerate([header, *rows]):
            if n > 1:  # a copy of the first body row with its texts replaced: the same XML, built far faster
                tr = copy.deepcopy(table.rows[1]._tr)
                for run, value in zip(tr.iter(qn("w:r")), values, strict=True):
                    run.text = value
                table._tbl.append(tr)
                continue
            row = table.add_row()
            properties = row._tr.get_or_add_trPr()
            if not split_rows:
                properties.append(OxmlElement("w:cantSplit"))
            if n == 0:
                properties.append(OxmlElement("w:tblHeader"))
            for col, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
                if widths_mm:
                    cell.width = Mm(widths_mm[col])
                paragraph = cell.paragraphs[0]
                aligned_left = n > 0 and left is not None and col in left
                paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if aligned_left else WD_ALIGN_PARAGRAPH.CENTER
                paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
                if n == 0:
                    paragraph.paragraph_format.keep_with_next = True
                run = paragraph.add_run(value)
                set_fonts(run, HEADING_FONT if n == 0 else BODY_FONT, size)
        self._paragraph()

    def caption(self, text: str) -> None:
        """A table's title, centred in 黑体 四号, kept with its table."""
        paragraph = self._paragraph(WD_ALIGN_PARAGRAPH.CENTER)
        paragraph.paragraph_format.keep_with_next = True
        set_fonts(paragraph.add_run(text), HEADING_FONT, SMALL_SIZE)

    def attachment_note(self, titles: list[str]) -> None:
        """附件说明 under the body: 附件：1. …, aligned under the first title; kept with the signature."""
        self._hold_last()
        self._paragraph().paragraph_format.keep_with_next = True
        for n, title in enumerate(titles, start=1):
            label = "附件：" if n == 1 else "　　　"
            number = f"{n}. " if len(titles) > 1 else ""
            paragraph = self._paragraph(indent=INDENT)
            paragraph.paragraph_format.keep_with_next = True
            paragraph.add_run(f"{label}{number}{title}")

    def _hold_last(self) -> None:
        """Keep the last paragraph written on the page of what comes next (the signature never stands alone)."""
        self.doc.paragraphs[-1].paragraph_format.keep_with_next = True

    def attachment(self, title: str, number: int | None = None) -> None:
        """A new page: 附件 (n) at the top left in 黑体, then the attachment's title."""
        paragraph = self._paragraph()
        paragraph.paragraph_format.page_break_before = True
        paragraph.paragraph_format.keep_with_next = True
        set_fonts(paragraph.add_run("附件" + (str(number) if number else "")), HEADING_FONT, BODY_SIZE)
        self._title(title)
        self._paragraph().paragraph_format.keep_with_next = True

    def signature(self, office: str, issued: date) -> None:
        """The issuing office and the date, right-aligned four characters from the margin, on the page of
        the body's last lines (GB/T 9704: a signature never stands alone on a page)."""
        self._hold_last()
        self._paragraph().paragraph_format.keep_with_next = True
        for n, text in enumerate((office, chinese_date(issued))):
            paragraph = self._paragraph(WD_ALIGN_PARAGRAPH.RIGHT)
            paragraph.paragraph_format.right_indent = 2 * INDENT
            paragraph.paragraph_format.keep_with_next = n == 0
            paragraph.add_run(text)

    def record(self, *, copy_to: list[str], issuer: str, printed: date) -> None:
        """版记 (GB/T 9704 7.4): 抄送, then 印发机关 and 印发日期 on one line, in 四号 between rules (the first
        and the last 0.35 mm, the one between 0.25 mm), kept together at the end of the document."""
        self._paragraph().paragraph_format.keep_with_next = True
        lines: list[tuple[str, str]] = []
        if copy_to:
            lines.append((f"抄送：{'、'.join(copy_to)}。", ""))
        lines.append((issuer, f"{chinese_date(printed)}印发"))
        for n, (left, right) in enumerate(lines):
            paragraph = self._paragraph()
            layout = paragraph.paragraph_format
            layout.keep_with_next = n < len(lines) - 1
            layout.left_indent = layout.right_indent = Pt(14)  # 左右各空一字
            layout.line_spacing_rule, layout.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(24)
            last = n == len(lines) - 1
            _rules(paragraph, **({"top": THICK_RULE} if n == 0 else {}), bottom=THICK_RULE if last else THIN_RULE)
            if right:
                paragraph.paragraph_format.tab_stops.add_tab_stop(
                    self._text_width() - Pt(14) * 2 - Pt(4),
                    WD_TAB_ALIGNMENT.RIGHT,  # inside the right indent in Word and LibreOffice
                )
            run = paragraph.add_run(f"{left}\t{right}" if right else left)
            set_fonts(run, BODY_FONT, SMALL_SIZE)

    def _text_width(self) -> Length:
        section = self.doc.sections[0]
        return Length(section.page_width - section.left_margin - section.right_margin)  # type: ignore[operator]

    def save(self, path: Path) -> Path:
        self.doc.save(str(path))
        return path
