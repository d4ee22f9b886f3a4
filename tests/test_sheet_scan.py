"""The worksheet scan walks the sheet's XML with expat: what it says about every sheet (extent, formulas,
protection, or the error), whatever form the XML takes (comments, CDATA, prefixes, entities, odd positions)."""

from __future__ import annotations

import zipfile
from io import BytesIO

import pytest

from qe_workbook.intake import sheetxml
from qe_workbook.intake.container import Package
from qe_workbook.intake.sheetxml import SheetScan

HEAD = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:x="urn:x">'
PLAIN = '<dimension ref="A1:F9"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1"/></row>'
# Each sheet body and what the scan says of it: (rows, columns, protected, formula cells), or the error.
CASES: dict[str, tuple[str, object]] = {
    "plain": (
        PLAIN + '<row r="2"><c r="F2"><f t="array" ref="F2">1</f><v></v></c></row></sheetData>'
        '<sheetProtection sheet="1"/>',
        (2, 6, True, {(1, 5)}),
    ),
    "formula deep in an inline string": (
        PLAIN + '<row r="3"><c r="C3"><is><t>x</t><f/></is></c></row></sheetData>',
        (3, 3, False, {(2, 2)}),
    ),
    "empty cell and text in a cell": (
        PLAIN + '<row r="4"><c r="E4"></c><c r="F4">x</c></row></sheetData>',
        (1, 1, False, set()),
    ),
    "a cell inside a cell": (
        PLAIN + '<row r="5"><c r="A5"><c r="Z99"><v>1</v></c><f/></c></row></sheetData>',
        (5, 1, False, set()),
    ),
    "dimension inside a cell": (
        PLAIN + '<row r="6"><c r="A6"><dimension ref="A1:XFD9"/></c></row></sheetData>',
        (6, 1, False, set()),
    ),
    "a cell in a comment": (PLAIN + '<!-- <c r="ZZ1"><v>1</v></c> --></sheetData>', (1, 1, False, set())),
    "a cell in CDATA": (
        PLAIN + '<row r="7"><c r="A7"><![CDATA[<c r="ZZ2"><v/></c>]]></c></row></sheetData>',
        (1, 1, False, set()),
    ),
    "prefixed cell and formula": (
        PLAIN + '<x:c r="L12"><v>1</v></x:c><c r="M13"><x:f>1</x:f></c></sheetData>',
        (13, 13, False, {(12, 12)}),
    ),
    "position as Excel never writes it": (
        PLAIN + '<row r="8"><c r="$P$8"><v>1</v></c><c r="q8"><v>1</v></c></row></sheetData>',
        (8, 17, False, set()),
    ),
    "position unreadable": (
        PLAIN + '<row r="9"><c r="A0"><v>1</v></c></row></sheetData>',
        ("BrokenXml", "单元格位置“A0”无效"),
    ),
    "cell without position": (
        PLAIN + '<row r="9"><c><v>1</v></c><c/><c><v>2</v></c></row></sheetData>',
        (9, 3, False, set()),
    ),
    "row past the grid": (
        PLAIN + '<row r="99999999"><c r="A99999999"><v>1</v></c></row></sheetData>',
        (99999999, 1, False, set()),
    ),
    "protection by entity": (PLAIN + '</sheetData><sheetProtection sheet="&#49;"/>', (1, 1, True, set())),
    "protection in single quotes": (
        PLAIN + "</sheetData><sheetProtection objects='1' sheet='true'/>",
        (1, 1, True, set()),
    ),
    "attribute holding '>'": (
        PLAIN + '<row r="10"><c r="B10" t=">"><v>1</v></c></row></sheetData>',
        (10, 2, False, set()),
    ),
    "a cell twice": (
        PLAIN + '<row r="12"><c r="B12"><v>1</v></c><c r="B12"><v>2</v></c></row></sheetData>',
        ("PlaceTwice", "B12"),
    ),
    "a cell twice, the second without position": (
        PLAIN + '<row r="12"><c r="A12"><v>1</v></c><c r="B12"/><c r="A12"/></row></sheetData>',
        ("PlaceTwice", "A12"),
    ),
    "a row twice": (
        PLAIN + '<row r="12"><c r="A12"><v>1</v></c></row><row r="12"><c r="B12"><v>2</v></c></row></sheetData>',
        ("PlaceTwice", "12"),
    ),
    "a cell outside the row it stands in": (
        PLAIN + '<row r="12"><c r="A12"><v>1</v></c></row><row r="13"><c r="A12"><v>2</v></c></row></sheetData>',
        ("BrokenXml", "单元格 A12 不在其所在的第 13 行"),
    ),
    "not well formed": (
        PLAIN + '<row r="11"><c r="A11"><v>1</v></row></sheetData>',
        ("BrokenXml", "XML 格式错误，第 1 行"),
    ),
}


def _package(xml: bytes) -> Package:
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/worksheets/sheet1.xml", xml)
    zf = zipfile.ZipFile(BytesIO(buf.getvalue()))
    return Package(zf, set(zf.namelist()))


def _outcome(pkg: Package) -> object:
    try:
        return sheetxml.scan_sheet(pkg, "xl/worksheets/sheet1.xml")
    except (sheetxml.BrokenXml, sheetxml.UnsafeXml, sheetxml.PlaceTwice) as exc:
        return type(exc).__name__, str(exc)


@pytest.mark.parametrize(("body", "said"), CASES.values(), ids=CASES.keys())
def test_the_scan_says_what_the_sheet_holds(body: str, said: object) -> None:
    for declaration in ("", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'):
        pkg = _package(f"{declaration}{HEAD}{body}</worksheet>".encode())
        outcome = _outcome(pkg)
        if isinstance(outcome, SheetScan):
            assert outcome.dimension == (9, 6)
            outcome = (outcome.max_row, outcome.max_col, outcome.protected, outcome.formulas)
        assert outcome == said
