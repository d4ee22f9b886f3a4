"""The official-document (公文) look for .docx outputs, after GB/T 9704-2012.

A4 paper; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title in 方正小标宋简体 二号;
body in 仿宋_GB2312 三号 on a fixed 28.95 pt line pitch (22 lines a page); first-level headings in
黑体, second-level in 楷体_GB2312; the page number as "— n —" in the footer. Chinese fonts are named
through w:eastAsia, and word/fontTable.xml names a commonly installed substitute for each of them
(w:altName: 黑体 for the title font, 仿宋 and 楷体 for the GB2312 fonts), for machines that lack them.

Text is only ever added as plain runs, so whatever came from a returned file stays literal text;
the footer's PAGE field is the one field in a document.

The parts every document shares (page, styles, header, footer, font table) are made once per process by
python-docx and kept compressed; a document's body is built here directly as WordprocessingML, element by
element, in the very form python-docx gives it, and added to a copy of the shared parts with `zipfile`.
"""

from __future__ import annotations

import copy
import functools
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Emu, Length, Mm, Pt
from docx.text.run import Run
from lxml import etree

from ..dates import chinese_date
from ..visible import visible_in_document
from .fonts import BODY_FONT, FALLBACKS, HEADING_FONT, LATIN_FONT, PAGE_NUMBER_FONT, SUBHEADING_FONT, TITLE_FONT
from .typeset import chinese_number as chinese_number

GB2312_CHARSET = "86"

TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
SMALL_SIZE = Pt(14)  # 四号: tables, page numbers
TABLE_SIZE = Pt(10.5)  # 五号
LINE_PITCH = Pt(28.95)
INDENT = Pt(32)  # two characters of 三号

DOCUMENT_PART = "word/document.xml"
CORE_PART = "docProps/core.xml"
CORE_LIMIT = 255  # characters Word takes in a core property (python-docx refuses more)

THICK_RULE, THIN_RULE = "8", "6"  # eighths of a point: 0.35 mm and 0.25 mm
DRAFT_STAGE = "初稿"  # the stage a run's documents carry until the office approves it


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_BREAKS = re.compile(r"([\t\r\n])")
_JC = {WD_ALIGN_PARAGRAPH.LEFT: "left", WD_ALIGN_PARAGRAPH.CENTER: "center", WD_ALIGN_PARAGRAPH.RIGHT: "right"}


def _sub(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    """A w: element appended to `parent` (the one element factory of the body)."""
    return etree.SubElement(parent, W + tag, {W + k: v for k, v in attributes.items()})


def _twips(length: int) -> str:
    return str(Emu(length).twips)


def _half_points(size: Length) -> str:
    return str(int(Emu(size).pt * 2))


def _t(run: etree._Element, text: str) -> None:
    """A w:t holding `text` (a control character shown as its picture), its spaces kept when it starts or ends
    with one."""
    t = etree.SubElement(run, W + "t")
    t.text = visible_in_document(text)
    if len(text.strip()) < len(text):
        t.set(XML_SPACE, "preserve")


def _text(run: etree._Element, text: str) -> None:
    """`text` as run content: a tab is a w:tab, a line break (CR or LF) a w:br, the rest plain text."""
    if "\t" not in text and "\n" not in text and "\r" not in text:
        if text:
            _t(run, text)
        return
    for piece in _BREAKS.split(text):
        if piece == "\t":
            _sub(run, "tab")
        elif piece in ("\r", "\n"):
            _sub(run, "br")
        elif piece:
            _t(run, piece)


def _fonts(run: etree._Element, east_asian: str, size: Length, color: str | None = None) -> None:
    """The run's properties: its Chinese and Latin fonts, its colour and size."""
    properties = _sub(run, "rPr")
    _sub(properties, "rFonts", eastAsia=east_asian, ascii=LATIN_FONT, hAnsi=LATIN_FONT)
    if color is not None:
        _sub(properties, "color", val=color)
    _sub(properties, "sz", val=_half_points(size))


def _keep(properties: etree._Element, keep: bool | None) -> None:
    if keep is not None:
        _sub(properties, "keepNext", **({} if keep else {"val": "0"}))


def _rules(properties: etree._Element, **sizes: str) -> None:
    """Rules along a paragraph's sides (`top`, `bottom`), w:sz in eighths of a point."""
    borders = _sub(properties, "pBdr")
    for side, size in sizes.items():
        _sub(borders, side, val="single", sz=size, space="1", color="000000")


def set_fonts(run: Run, east_asian: str, size: Length) -> None:
    """Name a python-docx run's Chinese font (w:eastAsia) and Latin font, and its size."""
    run.font.size = size
    fonts = run.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)


@dataclass(frozen=True)
class _Template:
    """What every document shares: a package of every part but the body and the core properties (compressed
    once; each document adds its own two), those two parts, and the width of the text between the margins."""

    shared: bytes
    document: etree._Element
    core: etree._Element
    text_width: int  # EMU

    def core_properties(self, **texts: str) -> etree._Element:
        """A copy of the core properties with the text of each named element (local name → text) replaced."""
        core = copy.deepcopy(self.core)
        for element in core:
            name = etree.QName(element).localname
            if name in texts:
                if len(texts[name]) > CORE_LIMIT:
                    raise ValueError(f"exceeded {CORE_LIMIT} char limit for property, got:\n\n'{texts[name]}'")
                element.text = visible_in_document(texts[name])
        return core

    def write(self, path: Path, document: etree._Element, core: etree._Element) -> Path:
        buffer = io.BytesIO(self.shared)
        with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as package:
            package.writestr(CORE_PART, _xml_bytes(core))
            package.writestr(DOCUMENT_PART, _xml_bytes(document))
        path.write_bytes(buffer.getbuffer())
        return path


def _xml_bytes(root: etree._Element) -> bytes:
    """A part's XML as python-docx stores it."""
    return etree.tostring(root, encoding="UTF-8", standalone=True)


@functools.cache
def _template(stage: str) -> _Template:
    """The shared parts, made once per process and stage with python-docx: page, body style, page number,
    stage, font table; the core properties are filled per document."""
    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _body_style(doc)
    _page_number(doc)
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    set_fonts(header.add_run(stage), HEADING_FONT, SMALL_SIZE)
    _font_fallbacks(doc)
    props = doc.core_properties
    props.title = props.author = props.last_modified_by = ""
    saved, shared = io.BytesIO(), io.BytesIO()
    doc.save(saved)
    with zipfile.ZipFile(saved) as package, zipfile.ZipFile(shared, "w", zipfile.ZIP_DEFLATED) as kept:
        for name in package.namelist():
            if name not in (DOCUMENT_PART, CORE_PART):
                kept.writestr(name, package.read(name))
        document, core = etree.fromstring(package.read(DOCUMENT_PART)), etree.fromstring(package.read(CORE_PART))
    width = section.page_width - section.left_margin - section.right_margin
    return _Template(shared.getvalue(), document, core, width)


def _body_style(doc: docx.document.Document) -> None:
    style = doc.styles["Normal"]
    style.font.size = BODY_SIZE
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    layout = style.paragraph_format
    layout.line_spacing_rule, layout.line_spacing = WD_LINE_SPACING.EXACTLY, LINE_PITCH
    layout.space_before = layout.space_after = Pt(0)


def _page_number(doc: docx.document.Document) -> None:
    """ "— n —" centred in the footer; n is a PAGE field."""
    footer = doc.sections[0].footer.paragraphs[0]
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
        run.element.append(element)


def _font_fallbacks(doc: docx.document.Document) -> None:
    """Replace the template's font table by one that also lists FALLBACKS (w:altName, GB2312)."""
    main = doc.part
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


@dataclass(frozen=True)
class _TableParts:
    """A table's start (properties, grid, header row) and an empty body row, made once per process for each
    kind of table and copied into every document (never changed themselves)."""

    start: etree._Element
    row: etree._Element

    @staticmethod
    @functools.lru_cache(maxsize=64)
    def of(header: tuple[str, ...], widths: tuple[str, ...], fixed: bool, split: bool, left: frozenset[int],
           size: Length) -> _TableParts:  # fmt: skip
        table = etree.Element(W + "tbl", nsmap={"w": W[1:-1]})
        properties = _sub(table, "tblPr")
        _sub(properties, "tblStyle", val="TableGrid")
        _sub(properties, "tblW", type="auto", w="0")
        _sub(properties, "jc", val="center")
        if fixed:
            _sub(properties, "tblLayout", type="fixed")
        _sub(properties, "tblLook", firstColumn="1", firstRow="1", lastColumn="0", lastRow="0", noHBand="0",
             noVBand="1", val="04A0")  # fmt: skip
        grid = _sub(table, "tblGrid")
        for width in widths:
            _sub(grid, "gridCol", w=width)
        head = _row(table, widths, header=True, split=split, left=frozenset(), size=size)
        for run, value in zip(head.iter(W + "r"), header, strict=True):
            _text(run, value)
        body = _row(table, widths, header=False, split=split, left=left, size=size)
        table.remove(body)
        return _TableParts(table, body)


def _row(table: etree._Element, widths: tuple[str, ...], *, header: bool, split: bool, left: frozenset[int],
         size: Length) -> etree._Element:  # fmt: skip
    """A row of empty runs in the cells' fonts, alignments and widths."""
    row = _sub(table, "tr")
    properties = _sub(row, "trPr")
    if not split:
        _sub(properties, "cantSplit")
    if header:
        _sub(properties, "tblHeader")
    for col, width in enumerate(widths):
        cell = _sub(row, "tc")
        _sub(_sub(cell, "tcPr"), "tcW", type="dxa", w=width)
        paragraph = _sub(_sub(cell, "p"), "pPr")
        _keep(paragraph, True if header else None)
        _sub(paragraph, "spacing", line="240", lineRule="auto")
        _sub(paragraph, "jc", val="left" if col in left else "center")
        _fonts(_sub(paragraph.getparent(), "r"), HEADING_FONT if header else BODY_FONT, size)
    return row


class OfficialDocument:
    """A document in the 公文 layout, written paragraph by paragraph."""

    def __init__(self, title: str, author: str, stage: str = DRAFT_STAGE) -> None:
        self._template = _template(stage)
        self._core = self._template.core_properties(
            title=title.replace("\n", ""), creator=author, lastModifiedBy=author
        )
        self._document = copy.deepcopy(self._template.document)
        self._body = self._document[0]
        self._section = self._body[-1]  # w:sectPr, moved after the content when the document is saved
        self._last: etree._Element | None = None  # the last paragraph of the body itself
        self._title(title)
        self._paragraph()

    def _title(self, title: str) -> None:
        """The title, centred; a newline in it is where its lines break (at a sense boundary)."""
        heading = self._paragraph(WD_ALIGN_PARAGRAPH.CENTER, keep=True)
        for n, line in enumerate(title.split("\n")):
            run = _sub(heading, "r")
            _fonts(run, TITLE_FONT, TITLE_SIZE)
            if n:
                _sub(run, "br")
            _t(run, line)

    def _paragraph(
        self,
        alignment: WD_ALIGN_PARAGRAPH | None = None,
        indent: Length | None = None,
        *,
        keep: bool | None = None,
        page_break: bool = False,
        right: int | None = None,
    ) -> etree._Element:
        """A body paragraph with its properties: kept with the next, a page break before, its first-line or
        right indent, its alignment."""
        paragraph = self._last = _sub(self._body, "p")
        properties = _sub(paragraph, "pPr")
        _keep(properties, keep)
        if page_break:
            _sub(properties, "pageBreakBefore")
        if indent is not None:
            _sub(properties, "ind", firstLine=_twips(indent))
        elif right is not None:
            _sub(properties, "ind", right=_twips(right))
        if alignment is not None:
            _sub(properties, "jc", val=_JC[alignment])
        return paragraph

    def _run(self, paragraph: etree._Element, text: str, font: str | None = None, size: Length = BODY_SIZE,
             color: str | None = None) -> None:  # fmt: skip
        run = _sub(paragraph, "r")
        if font is not None:
            _fonts(run, font, size, color)
        _text(run, text)

    def line(self, text: str) -> None:
        """A paragraph without indent: the addressee (主送), 抄送."""
        self._run(self._paragraph(), text)

    def paragraph(self, text: str) -> None:
        """A body paragraph, indented two characters."""
        self._run(self._paragraph(indent=INDENT), text)

    def heading(self, text: str) -> None:
        """A first-level heading (一、…) in 黑体, kept on the page of what follows it."""
        self._run(self._paragraph(indent=INDENT, keep=True), text, HEADING_FONT)

    def subheading(self, text: str) -> None:
        """A second-level heading (（一）…) in 楷体, kept on the page of what follows it."""
        self._run(self._paragraph(indent=INDENT, keep=True), text, SUBHEADING_FONT)

    def hint(self, text: str, color: str) -> None:
        """A body paragraph in 楷体 of the given colour (RRGGBB): a template's hint for the writer to replace."""
        self._run(self._paragraph(indent=INDENT), text, SUBHEADING_FONT, color=color)

    def right_line(self, text: str, keep: bool | None = None) -> None:
        """A line aligned right, four characters from the margin (a signature, a seal, a date)."""
        self._run(self._paragraph(WD_ALIGN_PARAGRAPH.RIGHT, keep=keep, right=2 * INDENT), text)

    def page_break(self) -> None:
        """A paragraph holding a page break."""
        self._last = _sub(self._body, "p")
        _sub(_sub(self._last, "r"), "br", type="page")

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
        cols = len(header)
        widths = (
            [_twips(Mm(w)) for w in widths_mm]
            if widths_mm
            else [str(Emu(self._template.text_width // cols).twips)] * cols
        )
        parts = _TableParts.of(tuple(header), tuple(widths), bool(widths_mm), split_rows, frozenset(left or ()), size)
        table = copy.deepcopy(parts.start)
        for values in rows:  # each row a copy of one made once: the same XML, built far faster
            row = copy.deepcopy(parts.row)
            for run, value in zip(row.iter(W + "r"), values, strict=True):
                _text(run, value)
            table.append(row)
        self._body.append(table)
        self._paragraph()

    def caption(self, text: str) -> None:
        """A table's title, centred in 黑体 四号, kept with its table."""
        self._run(self._paragraph(WD_ALIGN_PARAGRAPH.CENTER, keep=True), text, HEADING_FONT, SMALL_SIZE)

    def attachment_note(self, titles: list[str]) -> None:
        """附件说明 under the body: 附件：1. …, aligned under the first title; kept with the signature."""
        self._hold_last()
        self._paragraph(keep=True)
        for n, title in enumerate(titles, start=1):
            label = "附件：" if n == 1 else "　　　"
            number = f"{n}. " if len(titles) > 1 else ""
            self._run(self._paragraph(indent=INDENT, keep=True), f"{label}{number}{title}")

    def _hold_last(self) -> None:
        """Keep the last paragraph written on the page of what comes next (the signature never stands alone)."""
        if self._last is None:
            return
        properties = self._last.find(W + "pPr")
        if properties is None:
            properties = etree.Element(W + "pPr")
            self._last.insert(0, properties)
        kept = properties.find(W + "keepNext")
        if kept is None:
            properties.insert(0, etree.Element(W + "keepNext"))
        else:
            kept.attrib.pop(W + "val", None)

    def attachment(self, title: str, number: int | None = None) -> None:
        """A new page: 附件 (n) at the top left in 黑体, then the attachment's title."""
        paragraph = self._paragraph(keep=True, page_break=True)
        self._run(paragraph, "附件" + (str(number) if number else ""), HEADING_FONT)
        self._title(title)
        self._paragraph(keep=True)

    def signature(self, office: str, issued: date) -> None:
        """The issuing office and the date, right-aligned four characters from the margin, on the page of
        the body's last lines (GB/T 9704: a signature never stands alone on a page)."""
        self._hold_last()
        self._paragraph(keep=True)
        for n, text in enumerate((office, chinese_date(issued))):
            self.right_line(text, keep=n == 0)

    def record(self, *, copy_to: list[str], issuer: str, printed: date) -> None:
        """版记 (GB/T 9704 7.4): 抄送, then 印发机关 and 印发日期 on one line, in 四号 between rules (the first
        and the last 0.35 mm, the one between 0.25 mm), kept together at the end of the document."""
        self._paragraph(keep=True)
        lines: list[tuple[str, str]] = []
        if copy_to:
            lines.append((f"抄送：{'、'.join(copy_to)}。", ""))
        lines.append((issuer, f"{chinese_date(printed)}印发"))
        side = _twips(Pt(14))  # 左右各空一字
        for n, (left, right) in enumerate(lines):
            paragraph = self._last = _sub(self._body, "p")
            properties = _sub(paragraph, "pPr")
            _keep(properties, n < len(lines) - 1)
            if right:  # inside the right indent in Word and LibreOffice
                stop = self._template.text_width - Pt(14) * 2 - Pt(4)
                _sub(_sub(properties, "tabs"), "tab", pos=_twips(stop), val="right")
            _sub(properties, "spacing", lineRule="exact", line=_twips(Pt(24)))
            _sub(properties, "ind", left=side, right=side)
            last = n == len(lines) - 1
            _rules(properties, **({"top": THICK_RULE} if n == 0 else {}), bottom=THICK_RULE if last else THIN_RULE)
            self._run(paragraph, f"{left}\t{right}" if right else left, BODY_FONT, SMALL_SIZE)

    def save(self, path: Path) -> Path:
        self._body.append(self._section)
        return self._template.write(path, self._document, self._core)
