"""Structure of an xlsx read straight from its XML, refusing DTDs and entities (defusedxml's rules).

Only what the value reader cannot tell: which sheets exist and where, the real extent of a sheet
(checked before a reader allocates a grid for it), sheet protection, which cells hold formulas,
and the custom document properties.
"""

from __future__ import annotations

import posixpath
import re
import xml.parsers.expat
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from ..forms.layout import cell_ref
from .container import Package

NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REF = re.compile(r"^\$?([A-Za-z]{1,8})\$?(\d{1,12})$")
_DECLARED = re.compile(rb"""^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([^"']{0,60})["']""")
TRACKED_ROWS, TRACKED_COLS = 1_048_576, 16_384  # Excel's grid
MARKUP = ("<", ">", "&", '"', "'", "=")  # the same in every encoding a spreadsheet is saved in
EXPAT_OWN = frozenset({"UTF-8", "UTF-16", "ISO-8859-1", "US-ASCII"})  # what expat decodes by itself


class UnsafeXml(Exception):
    """The XML uses DTDs/entities (defusedxml refused it)."""


class BrokenXml(Exception):
    """The XML is not well formed or a part is missing."""


class UnknownEncoding(Exception):
    """A part declares an encoding no decoder here knows."""

    def __init__(self, part: str, encoding: str) -> None:
        super().__init__(part, encoding)
        self.part, self.encoding = part, encoding


class PlaceTwice(Exception):
    """A worksheet states one row or one cell twice: readers differ on which they take."""

    def __init__(self, ref: str, row: bool) -> None:
        super().__init__(ref)
        self.ref, self.row = ref, row


@dataclass(frozen=True)
class SheetRef:
    name: str
    part: str


@dataclass
class SheetScan:
    """What the XML of one worksheet says about itself."""

    max_row: int = 0
    max_col: int = 0
    dimension: tuple[int, int] = (0, 0)
    protected: bool = False
    formulas: set[tuple[int, int]] = field(default_factory=set)


def parse_ref(ref: str) -> tuple[int, int] | None:
    """'E12' -> (11, 4), 0-based; None when it is not a cell reference.

    Wider than Excel's grid on purpose: a reference past XFD1048576 must still be measured,
    because the value reader would allocate a grid reaching it.
    """
    m = _REF.match(ref.strip())
    if not m:
        return None
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def _position(ref: str, label: str) -> tuple[int, int]:
    """A row or cell position the sheet states; one that cannot be read is not skipped, since
    another reader might read it (as a far-away cell) where this one did not."""
    pos = parse_ref(ref)
    if pos is None or min(pos) < 0:
        raise BrokenXml(f"{label}无效")
    return pos


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _part_xml(pkg: Package, part: str) -> bytes:
    """A part's XML whole (expat fed in chunks parses a token spanning them again with each chunk:
    quadratic in a long comment or attribute), in an encoding expat reads: one it does not decode itself
    (GBK, Big5...) is decoded here and the text handed over as UTF-8."""
    name = _part_name(pkg, part)
    data = pkg.zip.read(name)
    declared = _DECLARED.match(data)
    if declared is None or declared.group(1).decode("ascii", "replace").upper() in EXPAT_OWN:
        return data
    encoding = declared.group(1).decode("ascii", "replace")
    try:
        text = data.decode(encoding)
    except (LookupError, ValueError) as exc:  # ValueError: the bytes are not in that encoding
        if isinstance(exc, LookupError):
            raise UnknownEncoding(name, encoding[:30]) from exc
        raise BrokenXml(f"{name} 的内容不是其声明的 {encoding[:30]} 编码") from exc
    if any(text.count(mark) != data.count(mark.encode()) for mark in MARKUP):  # UTF-7, unicode_escape...
        raise UnknownEncoding(name, encoding[:30])  # markup written in other characters: readers would differ
    start, end = declared.span(1)
    utf8 = (data[:start].decode("ascii") + "UTF-8" + text[len(data[:end].decode(encoding)) :]).encode()
    pkg.transcoded[name] = utf8
    return utf8


def _part_name(pkg: Package, part: str) -> str:
    """A part by name; case-insensitively as readers do (the container rejects names that collide)."""
    match = part if part in pkg.names else next((n for n in pkg.names if n.lower() == part.lower()), None)
    if match is None:
        raise BrokenXml(f"缺少 {part}")
    return match


def _root(pkg: Package, part: str) -> Element:
    """A small part's element tree, parsed in one go by defusedxml (no DTDs, no entities)."""
    try:
        return fromstring(_part_xml(pkg, part), forbid_dtd=True)
    except DefusedXmlException as exc:
        raise UnsafeXml(type(exc).__name__) from exc
    except SyntaxError as exc:  # xml.etree.ElementTree.ParseError
        line = getattr(exc, "position", (0, 0))[0]
        raise BrokenXml(f"XML 格式错误，第 {line} 行") from exc


def workbook_sheets(pkg: Package) -> list[SheetRef]:
    """The sheets in workbook order with their XML part and visibility."""
    rels: dict[str, str] = {}
    for el in _root(pkg, "xl/_rels/workbook.xml.rels").iter():
        if _local(el.tag) == "Relationship":
            target = el.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            rid = el.get("Id", "")
            if rid in rels:  # which of the two a reader takes is up to the reader
                raise BrokenXml(f"关系编号 {rid[:20]} 重复")
            rels[rid] = target
    return [
        SheetRef(el.get("name", ""), rels.get(el.get(f"{{{NS_REL}}}id", ""), ""))
        for el in _root(pkg, "xl/workbook.xml").iter()
        if _local(el.tag) == "sheet"
    ]


def _expat() -> xml.parsers.expat.XMLParserType:
    """A bare expat parser that refuses DTDs and entities, as defusedxml does (but without
    building elements: the worksheet scan only needs start and end events)."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator="}")

    def forbid(*_args: object) -> None:
        raise UnsafeXml("DTD/entity")

    parser.StartDoctypeDeclHandler = forbid
    parser.EntityDeclHandler = forbid
    parser.UnparsedEntityDeclHandler = forbid
    parser.ExternalEntityRefHandler = forbid  # type: ignore[assignment]
    return parser


def scan_sheet(pkg: Package, part: str) -> SheetScan:
    """What a worksheet's XML says about itself, from one walk with expat callbacks (flat memory, no
    element objects), whatever form the XML takes (comments, CDATA, prefixes, entities)."""
    scan = SheetScan()
    local: dict[str, str] = {}  # a sheet has a handful of distinct tags: each split once
    row_idx, col_idx = -1, -1
    in_cell = has_value = False
    # Rows and cells stated twice; only within Excel's grid (a sheet reaching past it is refused as too big).
    rows_seen = bytearray(TRACKED_ROWS // 8)
    cells_seen: set[tuple[int, int]] = set()  # in the current row
    in_row: int | None = None  # the row element the walk is in

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal row_idx, col_idx, in_cell, has_value, in_row
        tag = local.get(name) or local.setdefault(name, _local(name))
        if in_cell:
            has_value = True  # <v>, <f> or <is>: the cell holds something (a value is never bare text in <c>)
            if tag == "f":
                scan.formulas.add((row_idx, col_idx))
        elif tag == "c":
            r = attrs.get("r")
            row_idx, col_idx = _position(r, f"单元格位置“{r[:20]}”") if r is not None else (row_idx, col_idx + 1)
            in_cell, has_value = True, False
            if in_row is not None and row_idx != in_row:  # else one cell could be stated again in another row
                raise BrokenXml(f"单元格 {r[:20] if r else ''} 不在其所在的第 {in_row + 1} 行")
            if col_idx < TRACKED_COLS:
                if (row_idx, col_idx) in cells_seen:
                    raise PlaceTwice(cell_ref(row_idx, col_idx), row=False)
                cells_seen.add((row_idx, col_idx))
        elif tag == "row":
            r = attrs.get("r")
            row_idx = _position(f"A{r}", f"行号“{r[:20]}”")[0] if r is not None else row_idx + 1
            col_idx, in_row = -1, row_idx
            cells_seen.clear()
            if row_idx < TRACKED_ROWS:
                byte, bit = divmod(row_idx, 8)
                if rows_seen[byte] >> bit & 1:
                    raise PlaceTwice(str(row_idx + 1), row=True)
                rows_seen[byte] |= 1 << bit
        elif tag == "dimension":
            pos = parse_ref(attrs.get("ref", "A1").split(":")[-1])
            scan.dimension = (pos[0] + 1, pos[1] + 1) if pos else (0, 0)
        elif tag == "sheetProtection":
            scan.protected = attrs.get("sheet", "0").lower() in ("1", "true")

    def end(name: str) -> None:
        nonlocal in_cell, in_row
        tag = local.get(name) or local.setdefault(name, _local(name))
        if in_cell and tag == "c":
            in_cell = False
            if has_value:
                scan.max_row = max(scan.max_row, row_idx + 1)
                scan.max_col = max(scan.max_col, col_idx + 1)
        elif tag == "row" and not in_cell:
            in_row = None

    parser = _expat()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(_part_xml(pkg, part), True)
    except xml.parsers.expat.ExpatError as exc:
        raise BrokenXml(f"XML 格式错误，第 {exc.lineno} 行") from exc
    return scan


EXTERNAL_KINDS = {"attachedtemplate": "外部模板", "oleobject": "链接的对象"}


def outside_references(pkg: Package) -> tuple[str, dict[str, str]] | None:
    """The problem (code and params) of a part that reaches outside the file or runs code, found by what the
    package says of its parts wherever they stand: a macro project or an external link by content type or
    relationship type, and any relationship to an external target except a hyperlink (followed on a click,
    never fetched on opening)."""
    has_types = any(n.lower() == "[content_types].xml" for n in pkg.names)
    for el in _root(pkg, "[Content_Types].xml").iter() if has_types else ():
        kind = el.get("ContentType", "").lower()
        if "vbaproject" in kind:
            return "FILE_MACRO", {}
        if "externallink" in kind:
            return "FILE_EXTERNAL_LINK", {}
    for name in sorted(n for n in pkg.names if n.lower().endswith(".rels")):
        for el in _root(pkg, name).iter():
            if _local(el.tag) != "Relationship":
                continue
            kind = el.get("Type", "").rsplit("/", 1)[-1].lower()
            if kind == "vbaproject":
                return "FILE_MACRO", {}
            if kind == "externallink":
                return "FILE_EXTERNAL_LINK", {}
            if el.get("TargetMode", "").lower() == "external" and kind != "hyperlink":
                return "FILE_EXTERNAL_REFERENCE", {"kind": EXTERNAL_KINDS.get(kind, "引用")}
    return None


def custom_properties(pkg: Package) -> dict[str, str]:
    """Custom document properties (docProps/custom.xml), name -> text; empty when absent."""
    if not any(n.lower() == "docprops/custom.xml" for n in pkg.names):
        return {}
    return {
        el.get("name", ""): next((child.text or "" for child in el), "")
        for el in _root(pkg, "docProps/custom.xml").iter()
        if _local(el.tag) == "property"
    }
