"""Structure of an xlsx read straight from its XML, refusing DTDs and entities (defusedxml's rules).

Only what the value reader cannot tell: which sheets exist and where, the real extent of a sheet
(checked before a reader allocates a grid for it), sheet protection, which cells hold formulas,
and the custom document properties.
"""

from __future__ import annotations

import posixpath
import re
import xml.parsers.expat
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from .container import Package

NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REF = re.compile(r"^\$?([A-Za-z]{1,8})\$?(\d{1,12})$")


class UnsafeXml(Exception):
    """The XML uses DTDs/entities (defusedxml refused it)."""


class BrokenXml(Exception):
    """The XML is not well formed or a part is missing."""


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


def _events(stream: IO[bytes], events: tuple[str, ...] = ("end",)) -> Iterator[tuple[str, Any]]:
    try:
        yield from iterparse(stream, events=events, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise UnsafeXml(type(exc).__name__) from exc
    except SyntaxError as exc:  # xml.etree.ElementTree.ParseError
        line = getattr(exc, "position", (0, 0))[0]
        raise BrokenXml(f"XML 格式错误，第 {line} 行") from exc


def _open(pkg: Package, part: str) -> IO[bytes]:
    """A part by name; case-insensitively as readers do (the container rejects names that collide)."""
    return pkg.zip.open(_part_name(pkg, part))


def _part_name(pkg: Package, part: str) -> str:
    match = part if part in pkg.names else next((n for n in pkg.names if n.lower() == part.lower()), None)
    if match is None:
        raise BrokenXml(f"缺少 {part}")
    return match


def workbook_sheets(pkg: Package) -> list[SheetRef]:
    """The sheets in workbook order with their XML part and visibility."""
    rels: dict[str, str] = {}
    with _open(pkg, "xl/_rels/workbook.xml.rels") as fh:
        for _, el in _events(fh):
            if _local(el.tag) == "Relationship":
                target = el.get("Target", "")
                target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
                rid = el.get("Id", "")
                if rid in rels:  # which of the two a reader takes is up to the reader
                    raise BrokenXml(f"关系编号 {rid[:20]} 重复")
                rels[rid] = target
    sheets = []
    with _open(pkg, "xl/workbook.xml") as fh:
        for _, el in _events(fh):
            if _local(el.tag) == "sheet":
                rid = el.get(f"{{{NS_REL}}}id", "")
                sheets.append(SheetRef(el.get("name", ""), rels.get(rid, "")))
    return sheets


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

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal row_idx, col_idx, in_cell, has_value
        tag = local.get(name) or local.setdefault(name, _local(name))
        if in_cell:
            has_value = True  # <v>, <f> or <is>: the cell holds something (a value is never bare text in <c>)
            if tag == "f":
                scan.formulas.add((row_idx, col_idx))
        elif tag == "c":
            r = attrs.get("r")
            row_idx, col_idx = _position(r, f"单元格位置“{r[:20]}”") if r is not None else (row_idx, col_idx + 1)
            in_cell, has_value = True, False
        elif tag == "row":
            r = attrs.get("r")
            row_idx = _position(f"A{r}", f"行号“{r[:20]}”")[0] if r is not None else row_idx + 1
            col_idx = -1
        elif tag == "dimension":
            pos = parse_ref(attrs.get("ref", "A1").split(":")[-1])
            scan.dimension = (pos[0] + 1, pos[1] + 1) if pos else (0, 0)
        elif tag == "sheetProtection":
            scan.protected = attrs.get("sheet", "0").lower() in ("1", "true")

    def end(name: str) -> None:
        nonlocal in_cell
        if in_cell and (local.get(name) or local.setdefault(name, _local(name))) == "c":
            in_cell = False
            if has_value:
                scan.max_row = max(scan.max_row, row_idx + 1)
                scan.max_col = max(scan.max_col, col_idx + 1)

    parser = _expat()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    with _open(pkg, part) as fh:
        try:
            parser.ParseFile(fh)
        except xml.parsers.expat.ExpatError as exc:
            raise BrokenXml(f"XML 格式错误，第 {exc.lineno} 行") from exc
    return scan


def custom_properties(pkg: Package) -> dict[str, str]:
    """Custom document properties (docProps/custom.xml), name -> text; empty when absent."""
    if not any(n.lower() == "docprops/custom.xml" for n in pkg.names):
        return {}
    props: dict[str, str] = {}
    with _open(pkg, "docProps/custom.xml") as fh:
        for _, el in _events(fh):
            if _local(el.tag) == "property":
                value = next((child.text or "" for child in el), "")
                props[el.get("name", "")] = value
    return props
