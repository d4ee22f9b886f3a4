"""The worksheet scan reads plain XML by regular expressions and walks anything else with expat:
both must say the same about every sheet (extent, formulas, protection, or the same error)."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from io import BytesIO

import pytest

from qe_workbook.intake import sheetxml
from qe_workbook.intake.container import Package
from qe_workbook.intake.sheetxml import SheetScan

HEAD = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:x="urn:x">'
PLAIN = '<dimension ref="A1:F9"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1"/></row>'
CASES = {
    "plain": (
        PLAIN + '<row r="2"><c r="F2"><f t="array" ref="F2">1</f><v></v></c></row></sheetData>'
        '<sheetProtection sheet="1"/>'
    ),
    "formula deep in an inline string": PLAIN + '<row r="3"><c r="C3"><is><t>x</t><f/></is></c></row></sheetData>',
    "empty cell and text in a cell": PLAIN + '<row r="4"><c r="E4"></c><c r="F4">x</c></row></sheetData>',
    "a cell inside a cell": PLAIN + '<row r="5"><c r="A5"><c r="Z99"><v>1</v></c><f/></c></row></sheetData>',
    "dimension inside a cell": PLAIN + '<row r="6"><c r="A6"><dimension ref="A1:XFD9"/></c></row></sheetData>',
    "a cell in a comment": PLAIN + '<!-- <c r="ZZ1"><v>1</v></c> --></sheetData>',
    "a cell in CDATA": PLAIN + '<row r="7"><c r="A7"><![CDATA[<c r="ZZ2"><v/></c>]]></c></row></sheetData>',
    "prefixed cell and formula": PLAIN + '<x:c r="L12"><v>1</v></x:c><c r="M13"><x:f>1</x:f></c></sheetData>',
    "position as Excel never writes it": PLAIN
    + '<row r="8"><c r="$P$8"><v>1</v></c><c r="q8"><v>1</v></c></row></sheetData>',
    "position unreadable": PLAIN + '<row r="9"><c r="A0"><v>1</v></c></row></sheetData>',
    "cell without position": PLAIN + '<row r="9"><c><v>1</v></c><c/><c><v>2</v></c></row></sheetData>',
    "row past the grid": PLAIN + '<row r="99999999"><c r="A99999999"><v>1</v></c></row></sheetData>',
    "protection by entity": PLAIN + '</sheetData><sheetProtection sheet="&#49;"/>',
    "protection in single quotes": PLAIN + "</sheetData><sheetProtection objects='1' sheet='true'/>",
    "attribute holding '>'": PLAIN + '<row r="10"><c r="B10" t=">"><v>1</v></c></row></sheetData>',
    "not well formed": PLAIN + '<row r="11"><c r="A11"><v>1</v></row></sheetData>',
}


def _package(xml: bytes) -> Package:
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/worksheets/sheet1.xml", xml)
    zf = zipfile.ZipFile(BytesIO(buf.getvalue()))
    return Package(zf, set(zf.namelist()))


def _outcome(scan: Callable[[Package, str], SheetScan], pkg: Package) -> object:
    try:
        return scan(pkg, "xl/worksheets/sheet1.xml")
    except (sheetxml.BrokenXml, sheetxml.UnsafeXml) as exc:
        return type(exc).__name__, str(exc)


@pytest.mark.parametrize("body", CASES.values(), ids=CASES.keys())
def test_the_plain_scan_and_the_walk_agree(body: str) -> None:
    for declaration in ("", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'):
        pkg = _package(f"{declaration}{HEAD}{body}</worksheet>".encode())
        assert _outcome(sheetxml.scan_sheet, pkg) == _outcome(sheetxml._walk_sheet, pkg)


def test_a_plain_sheet_is_read_without_the_walk() -> None:
    xml = f"{HEAD}{CASES['plain']}</worksheet>".encode()
    assert sheetxml._plain_scan(xml) == SheetScan(
        max_row=2, max_col=6, dimension=(9, 6), protected=True, formulas={(1, 5)}
    )
    assert sheetxml._plain_scan(f"{HEAD}{CASES['a cell in a comment']}</worksheet>".encode()) is None
