"""A corpus of hostile and broken returns, each made from a genuine filled form.

`CORPUS` lists every class: the file name it gets, the problem code the collector must report
for it (in a run with --prefer none), and a writer. `write_corpus` puts them all in a folder.

The sources are two genuine, filled forms of the small rubric (tests/conftest.py): 甲局's
(score items 01-1 and 01-2, deduction 02-1; first row 东区 01-1 with 满分 40) and 质强办's
(the veto item 02-2), plus the office key they were signed with.
"""

from __future__ import annotations

import os
import posixpath
import re
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

import docx
import openpyxl
from openpyxl.packaging.custom import CustomPropertyList
from openpyxl.workbook.workbook import Workbook

from qe_workbook.forms.layout import (
    COL_REMARK,
    COL_SCORE,
    COL_TEXT,
    DATE_CELL,
    FIRST_DATA_ROW,
    FORM_SHEET,
    GUIDE_SHEET,
    HEADER_ROW,
    MANIFEST_SHEET,
    cell_ref,
)
from qe_workbook.forms.manifest import LockedContent, Manifest, sign
from qe_workbook.intake.check_form import FORM_LOCKED
from qe_workbook.intake.container import OLE_MAGIC, Limits, open_package
from qe_workbook.intake.returns import Returns
from qe_workbook.intake.sheetxml import workbook_sheets

SCORE = cell_ref(FIRST_DATA_ROW, COL_SCORE)  # 东区 01-1, 满分 40
JOINT = cell_ref(FIRST_DATA_ROW + 1, COL_SCORE)  # 东区 01-2, 满分 20
EVENTS = cell_ref(FIRST_DATA_ROW + 2, COL_SCORE)  # 东区 02-1, a deduction: number of events
REMARK = cell_ref(FIRST_DATA_ROW, COL_REMARK)
ITEM_TEXT = cell_ref(FIRST_DATA_ROW, COL_TEXT)
VETO = SCORE  # on 质强办's form: 东区 02-2
OTHER_KEY = bytes(range(100, 132))
MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class Sources:
    form: bytes  # 甲局's genuine filled form
    veto_form: bytes  # 质强办's genuine filled form
    key: bytes  # the office key both were signed with


@dataclass(frozen=True)
class BadFile:
    name: str
    code: str
    write: Callable[[Sources, Path], None]


CORPUS: list[BadFile] = []


def bad(name: str, code: str) -> Callable[[Callable[[Sources], bytes]], Callable[[Sources], bytes]]:
    """Register a builder that returns the bad file's bytes."""

    def register(build: Callable[[Sources], bytes]) -> Callable[[Sources], bytes]:
        CORPUS.append(BadFile(name, code, lambda src, path: path.write_bytes(build(src))))
        return build

    return register


def special(name: str, code: str) -> Callable[[Callable[[Sources, Path], None]], Callable[[Sources, Path], None]]:
    """Register a builder that makes the file itself (a link, a pipe, a sparse file)."""

    def register(make: Callable[[Sources, Path], None]) -> Callable[[Sources, Path], None]:
        CORPUS.append(BadFile(name, code, make))
        return make

    return register


def write_corpus(folder: Path, src: Sources) -> list[BadFile]:
    folder.mkdir(parents=True, exist_ok=True)
    for item in CORPUS:
        item.write(src, folder / item.name)
    return list(CORPUS)


# -- helpers -----------------------------------------------------------------------------------
def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def rezip(entries: Mapping[str, bytes]) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in entries.items():
            zf.writestr(name, body)
    return out.getvalue()


def form_part(data: bytes) -> str:
    """The zip entry of the form sheet."""
    pkg, problems = open_package(data, "source", Limits())
    assert pkg is not None, problems
    return next(s.part for s in workbook_sheets(pkg) if s.name == FORM_SHEET)


def edit_sheet_xml(data: bytes, change: Callable[[bytes], bytes]) -> bytes:
    part = form_part(data)
    entries = parts(data)
    entries[part] = change(entries[part])
    return rezip(entries)


def before_sheet_data_end(xml: bytes, rows: bytes) -> bytes:
    return xml.replace(b"</sheetData>", rows + b"</sheetData>")


def edit(data: bytes, change: Callable[[Workbook], None]) -> bytes:
    wb = openpyxl.load_workbook(BytesIO(data))
    change(wb)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def set_cells(data: bytes, cells: Mapping[str, object]) -> bytes:
    def change(wb: Workbook) -> None:
        for ref, value in cells.items():
            wb[FORM_SHEET][ref] = value

    return edit(data, change)


def read_back(data: bytes) -> tuple[Manifest, LockedContent]:
    """The manifest and locked content as the collector reads them."""
    with Returns() as returns:
        raw, problems = returns.open(data, "source")
    assert raw is not None, problems
    manifest = Manifest.from_mapping(raw.manifest)
    assert manifest is not None
    return manifest, FORM_LOCKED.read(raw)


def resign(data: bytes, key: bytes, cells: Mapping[str, object] | None = None, **fields: Any) -> bytes:
    """Change locked cells and manifest fields, then sign again with `key`: the form the generator
    would have made for another year, rubric or evaluator, or with another key."""
    changed = set_cells(data, cells or {})
    manifest, content = read_back(changed)
    signed = sign(key, replace(manifest, **fields), content)

    def write_manifest(wb: Workbook) -> None:
        values = dict(signed.rows())
        for row in wb[MANIFEST_SHEET].iter_rows(min_row=2):
            row[1].value = values[str(row[0].value)]
        for prop in wb.custom_doc_props.props:
            prop.value = values[prop.name.removeprefix("qe_")]

    return edit(changed, write_manifest)


def set_manifest(data: bytes, field: str, value: str) -> bytes:
    """One manifest field changed in both copies (the sheet and the document properties)."""

    def change(wb: Workbook) -> None:
        next(r for r in wb[MANIFEST_SHEET].iter_rows(min_row=2) if r[0].value == field)[1].value = value
        next(p for p in wb.custom_doc_props.props if p.name == f"qe_{field}").value = value

    return edit(data, change)


def manifest_row(data: bytes, field: str, value: str) -> bytes:
    def change(wb: Workbook) -> None:
        row = next(r for r in wb[MANIFEST_SHEET].iter_rows(min_row=2) if r[0].value == field)
        row[1].value = value

    return edit(data, change)


# -- not a workbook, or not one we may open -----------------------------------------------------
OLE_JUNK = OLE_MAGIC + bytes(504) + b"Root Entry".ljust(64, b"\0") + bytes(range(256)) * 8


@bad("zip_entries_encrypted.xlsx", "FILE_ZIP_ENCRYPTED")
def zip_entries_encrypted(src: Sources) -> bytes:  # zip-level passwords (flag bit 0), not Office encryption
    data = bytearray(src.form)
    with zipfile.ZipFile(BytesIO(src.form)) as zf:
        local_headers = [info.header_offset for info in zf.infolist()]
    central = [m.start() for m in re.finditer(re.escape(b"PK\x01\x02"), bytes(data))]
    for flag_at in [offset + 6 for offset in local_headers] + [offset + 8 for offset in central]:
        data[flag_at] |= 0x1  # zipfile cannot write this flag itself
    return bytes(data)


@bad("empty.xlsx", "FILE_EMPTY")
def empty(src: Sources) -> bytes:
    return b""


@bad("word_renamed.xlsx", "FILE_NOT_XLSX")
def word_renamed(src: Sources) -> bytes:
    document = docx.Document()
    document.add_paragraph("评价意见：东区质量工作扎实。")
    out = BytesIO()
    document.save(out)
    return out.getvalue()


@bad("pdf_renamed.xlsx", "FILE_NOT_XLSX")
def pdf_renamed(src: Sources) -> bytes:
    return b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@bad("zip_renamed.xlsx", "FILE_NOT_XLSX")
def zip_renamed(src: Sources) -> bytes:
    return rezip({"评价表/说明.txt": "见附件。".encode()})


@bad("web_page_renamed.xlsx", "FILE_NOT_XLSX")
def web_page_renamed(src: Sources) -> bytes:
    return '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><table><tr><td>实际得分</td></tr></table></body></html>'.encode()


@bad("old_excel_renamed.xlsx", "FILE_XLS")
def old_excel_renamed(src: Sources) -> bytes:
    return OLE_JUNK


@bad("old_excel.xls", "FILE_READER_FAILED")
def old_excel(src: Sources) -> bytes:  # an .xls is read; one that no reader can parse says so
    return OLE_JUNK


@bad("wps_sheet.et", "FILE_XLS_NAME")
def wps_sheet(src: Sources) -> bytes:
    return OLE_JUNK


@bad("encrypted.xlsx", "FILE_ENCRYPTED")
def encrypted(src: Sources) -> bytes:  # what Excel writes for a password to open: an OLE file
    return OLE_JUNK + "EncryptionInfo".encode("utf-16-le") + bytes(48) + "EncryptedPackage".encode("utf-16-le")


@bad("macro_binary.xlsb", "FILE_MACRO_NAME")
def macro_binary(src: Sources) -> bytes:
    return src.form


@bad("macro_enabled.xlsm", "FILE_MACRO")
def macro_enabled(src: Sources) -> bytes:  # an .xlsm is read; one with macros is refused
    return rezip({**parts(src.form), "xl/vbaProject.bin": OLE_JUNK})


@bad("vba_inside.xlsx", "FILE_MACRO")
def vba_inside(src: Sources) -> bytes:
    return rezip({**parts(src.form), "xl/vbaProject.bin": OLE_JUNK})


@bad("external_link.xlsx", "FILE_EXTERNAL_LINK")
def external_link(src: Sources) -> bytes:
    link = (
        b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<externalBook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId1"/>'
        b"</externalLink>"
    )
    return rezip({**parts(src.form), "xl/externalLinks/externalLink1.xml": link})


@bad("truncated.xlsx", "FILE_CORRUPT")
def truncated(src: Sources) -> bytes:  # a file still being written or cut off in transfer
    return src.form[: len(src.form) * 2 // 3]


@bad("zip_bomb.xlsx", "FILE_ZIP_BOMB")
def zip_bomb(src: Sources) -> bytes:
    return _bomb(src.form)


@cache
def _bomb(form: bytes) -> bytes:
    """The form plus an entry of zeros that unpacks past the 200 MB limit (about 200 KB packed)."""
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, body in parts(form).items():
            zf.writestr(name, body)
        with zf.open("xl/media/image1.bin", "w", force_zip64=True) as fh:
            zeros = bytes(MEGABYTE)
            for _ in range(Limits().max_unzipped_bytes // MEGABYTE + 1):
                fh.write(zeros)
    return out.getvalue()


def far_away_twin(data: bytes, twin: Callable[[str], str]) -> bytes:
    """The form plus a second copy of its sheet, reaching XFD1048576, under a name `twin` makes."""
    entries = parts(data)
    part = form_part(data)
    far = before_sheet_data_end(entries[part], b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    return rezip({**entries, twin(part): far})


@bad("dot_dot_part_name.xlsx", "FILE_PART_NAME_ODD")
def dot_dot_part_name(src: Sources) -> bytes:  # one zip reader resolves '..', another takes the name as it is
    def dot_dot(part: str) -> str:  # xl/worksheets/sheet1.xml -> xl/worksheets/../worksheets/sheet1.xml
        folder, name = posixpath.split(part)
        return f"{folder}/../{posixpath.basename(folder)}/{name}"

    return far_away_twin(src.form, dot_dot)


@bad("part_names_differ_in_case.xlsx", "FILE_PART_NAME_ODD")
def part_names_differ_in_case(src: Sources) -> bytes:  # readers that ignore case may take either
    return far_away_twin(src.form, str.upper)


@bad("two_sheets_one_name.xlsx", "FILE_SHEET_NAME_TWICE")
def two_sheets_one_name(src: Sources) -> bytes:
    entries = parts(src.form)
    entries["xl/workbook.xml"] = entries["xl/workbook.xml"].replace(
        f'name="{GUIDE_SHEET}"'.encode(), f'name="{FORM_SHEET}"'.encode()
    )
    return rezip(entries)


@bad("no_sheets.xlsx", "FORM_SHEET_MISSING")
def no_sheets(src: Sources) -> bytes:
    entries = parts(src.form)
    entries["xl/workbook.xml"] = re.sub(rb"<sheet [^>]*/>", b"", entries["xl/workbook.xml"])
    return rezip(entries)


@bad("relationship_id_twice.xlsx", "FILE_STRUCTURE_BROKEN")
def relationship_id_twice(src: Sources) -> bytes:  # a second target for the form sheet's relationship
    entries = parts(src.form)
    rels = entries["xl/_rels/workbook.xml.rels"]
    first = re.search(rb"<Relationship [^>]*/>", rels)
    assert first is not None
    entries["xl/_rels/workbook.xml.rels"] = rels.replace(b"</Relationships>", first.group(0) + b"</Relationships>")
    return rezip(entries)


@bad("billion_laughs.xlsx", "FILE_XML_UNSAFE")
def billion_laughs(src: Sources) -> bytes:
    entities = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY l0 "哈">{entities}]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&l9;</t></is></c></row></sheetData></worksheet>'
    )
    return edit_sheet_xml(src.form, lambda _: xml.encode())


@bad("huge_dimension.xlsx", "FILE_SHEET_TOO_BIG")
def huge_dimension(src: Sources) -> bytes:
    return edit_sheet_xml(
        src.form, lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml)
    )


@bad("far_away_cell.xlsx", "FILE_SHEET_TOO_BIG")
def far_away_cell(src: Sources) -> bytes:  # python-calamine would abort the process on this one
    row = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return edit_sheet_xml(src.form, lambda xml: before_sheet_data_end(xml, row))


@bad("row_past_the_grid.xlsx", "FILE_SHEET_TOO_BIG")
def row_past_the_grid(src: Sources) -> bytes:  # a row number no spreadsheet has, still read by calamine
    row = b'<row r="99999999"><c r="A99999999" t="inlineStr"><is><t>x</t></is></c></row>'
    return edit_sheet_xml(src.form, lambda xml: before_sheet_data_end(xml, row))


@special("too_large.xlsx", "FILE_TOO_LARGE")
def too_large(src: Sources, path: Path) -> None:
    with path.open("wb") as fh:  # sparse: takes no disk space
        fh.truncate(Limits().max_file_bytes + MEGABYTE)


@special("link_to_form.xlsx", "FILE_SYMLINK")
def link_to_form(src: Sources, path: Path) -> None:
    target = path.parent.parent / f"{path.parent.name}-link-target.xlsx"
    target.write_bytes(src.form)
    path.symlink_to(target)


@special("named_pipe.xlsx", "FILE_NOT_REGULAR")
def named_pipe(src: Sources, path: Path) -> None:  # reading it would block for ever
    os.mkfifo(path)


@bad("~$甲局.xlsx", "FILE_LOCK")
def office_lock(src: Sources) -> bytes:
    return b"\x06lock-owner"


@bad("说明.txt", "FILE_IGNORED")
def note(src: Sources) -> bytes:
    return "评价表见附件。".encode()


# -- odd names (read normally) ------------------------------------------------------------------
for _name in ("甲局 评价表 最终版.xlsx", "甲局评价表（ＦＩＮＡＬ）.xlsx", "甲局_" + "final_version_" * 8 + ".xlsx"):
    bad(_name, "FILE_NAME_ODD")(lambda src: src.form)


@special("甲局评价表_GBK文件名.xlsx", "FILE_NAME_NOT_UTF8")
def gbk_file_name(src: Sources, path: Path) -> None:  # a Windows zip unpacked on Linux: the name is GBK bytes
    raw = os.path.join(os.fsencode(path.parent), path.name.encode("gbk"))
    with open(raw, "wb") as fh:
        fh.write(src.form)


# -- not the form that was sent ----------------------------------------------------------------
@bad("manifest_sheet_deleted.xlsx", "FORM_SHEETS_CHANGED")
def manifest_sheet_deleted(src: Sources) -> bytes:  # the manifest still travels in the properties
    return edit(src.form, lambda wb: wb.remove(wb[MANIFEST_SHEET]))


@bad("manifest_deleted.xlsx", "FORM_NO_MANIFEST")
def manifest_deleted(src: Sources) -> bytes:
    def change(wb: Workbook) -> None:
        wb.remove(wb[MANIFEST_SHEET])
        wb.custom_doc_props = CustomPropertyList()

    return edit(src.form, change)


@bad("manifest_format_unknown.xlsx", "FORM_MANIFEST_FORMAT")
def manifest_format_unknown(src: Sources) -> bytes:
    return manifest_row(src.form, "format", "qe_workbook-form/9")


@bad("hmac_full_width.xlsx", "FORM_MANIFEST_INVALID")
def hmac_full_width(src: Sources) -> bytes:  # both copies of the manifest, so neither can stand in
    return set_manifest(src.form, "hmac", "０" * 64)


@bad("year_overflowing.xlsx", "FORM_MANIFEST_INVALID")
def year_overflowing(src: Sources) -> bytes:
    return set_manifest(src.form, "year", "1e400")


@bad("forged_hmac.xlsx", "FORM_SIGNATURE_INVALID")
def forged_hmac(src: Sources) -> bytes:
    return manifest_row(src.form, "hmac", "0" * 64)


@bad("other_key.xlsx", "FORM_SIGNATURE_INVALID")
def other_key(src: Sources) -> bytes:
    return resign(src.form, OTHER_KEY)


@bad("last_year.xlsx", "FORM_OTHER_YEAR")
def last_year(src: Sources) -> bytes:
    title = str(openpyxl.load_workbook(BytesIO(src.form))[FORM_SHEET]["A1"].value)
    return resign(src.form, src.key, {"A1": title.replace("2022", "2021")}, year=2021)


@bad("old_rubric_version.xlsx", "FORM_OLD_RUBRIC")
def old_rubric_version(src: Sources) -> bytes:  # same year, generated before an item's text changed
    return resign(src.form, src.key, {ITEM_TEXT: "1. 根据产品质量合格率测算得分。（旧版，40分）"}, rubric_hash="0" * 64)


@bad("unknown_evaluator.xlsx", "FORM_UNKNOWN_EVALUATOR")
def unknown_evaluator(src: Sources) -> bytes:
    return resign(src.form, src.key, {"A2": "考核评价部门（盖章）：丙局"}, evaluator="丙局")


@bad("item_text_edited.xlsx", "FORM_LOCKED_CHANGED")
def item_text_edited(src: Sources) -> bytes:
    return set_cells(src.form, {ITEM_TEXT: "1. 根据产品质量合格率测算得分。（20分）"})


@bad("row_deleted.xlsx", "FORM_ROWS_CHANGED")
def row_deleted(src: Sources) -> bytes:
    return edit(src.form, lambda wb: wb[FORM_SHEET].delete_rows(FIRST_DATA_ROW + 2))


@bad("rows_swapped.xlsx", "FORM_ROWS_CHANGED")
def rows_swapped(src: Sources) -> bytes:
    def change(wb: Workbook) -> None:
        ws = wb[FORM_SHEET]
        first, second = ws[FIRST_DATA_ROW + 1], ws[FIRST_DATA_ROW + 2]
        for a, b in zip(first, second, strict=True):
            if a.coordinate[0] != "B":  # the unit column is merged down the block
                a.value, b.value = b.value, a.value

    return edit(src.form, change)


@bad("sheet_renamed.xlsx", "FORM_SHEETS_CHANGED")
def sheet_renamed(src: Sources) -> bytes:
    return edit(src.form, lambda wb: setattr(wb[FORM_SHEET], "title", "Sheet1"))


@bad("sheets_reordered.xlsx", "FORM_SHEETS_CHANGED")
def sheets_reordered(src: Sources) -> bytes:
    return edit(src.form, lambda wb: wb.move_sheet(GUIDE_SHEET, offset=-1))


@bad("header_edited.xlsx", "FORM_HEADER_CHANGED")
def header_edited(src: Sources) -> bytes:
    return set_cells(src.form, {cell_ref(HEADER_ROW, COL_SCORE): "得分"})


@bad("protection_removed.xlsx", "FORM_UNPROTECTED")
def protection_removed(src: Sources) -> bytes:
    return edit(src.form, lambda wb: setattr(wb[FORM_SHEET].protection, "sheet", False))


@bad("ten_thousand_rows.xlsx", "FORM_EXTRA_CONTENT")
def ten_thousand_rows(src: Sources) -> bytes:
    def append(xml: bytes) -> bytes:
        last = max(int(r) for r in re.findall(rb'<row r="(\d+)"', xml))
        rows = b"".join(
            b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c><c r="F%d"><v>%d</v></c></row>' % (r, r, r, r)
            for r in range(last + 1, last + 10_001)
        )
        return before_sheet_data_end(xml, rows)

    return edit_sheet_xml(src.form, append)


# -- values the rules do not allow ------------------------------------------------------------
CELL_CASES: list[tuple[str, str, dict[str, object]]] = [
    ("text_full_marks.xlsx", "VALUE_FULL_MARKS_WORD", {SCORE: "满分"}),
    ("text_with_unit.xlsx", "VALUE_NOT_NUMBER", {JOINT: "2分"}),
    ("above_max.xlsx", "VALUE_ABOVE_MAX", {SCORE: 41}),
    ("three_decimals.xlsx", "VALUE_TOO_PRECISE", {SCORE: 38.125}),
    ("negative.xlsx", "VALUE_BELOW_ZERO", {SCORE: -1}),
    ("formula.xlsx", "VALUE_FORMULA", {SCORE: "=20+20"}),
    ("events_one_and_a_half.xlsx", "VALUE_EVENTS_NOT_WHOLE", {EVENTS: 1.5}),
    ("score_empty.xlsx", "VALUE_EMPTY", {SCORE: None}),
    ("date_unreadable.xlsx", "VALUE_DATE_INVALID", {DATE_CELL: "今年四月"}),
    ("remark_one_megabyte.xlsx", "VALUE_REMARK_TOO_LONG", {REMARK: "很" * MEGABYTE}),
    ("duplicate_differing.xlsx", "SUBMISSION_DUPLICATE", {SCORE: 30, REMARK: "更正后的得分"}),
]
for _name, _code, _cells in CELL_CASES:
    bad(_name, _code)(lambda src, cells=_cells: set_cells(src.form, cells))


@bad("veto_maybe.xlsx", "VALUE_VETO_INVALID")
def veto_maybe(src: Sources) -> bytes:
    return set_cells(src.veto_form, {VETO: "可能"})


CONTROL_REMARK = "前\x01中\x1f\x0b后😀𠀀"  # as calamine returns it; emoji and CJK Ext-B must survive
CONTROL_REMARK_CLEANED = "前中后😀𠀀"


@bad("remark_control_chars.xlsx", "VALUE_REMARK_CONTROL_CHARS")
def remark_control_chars(src: Sources) -> bytes:
    """XML cannot hold these characters; Excel writes them as _xHHHH_ escapes, as done here."""
    marked = set_cells(src.form, {REMARK: "前MARK后😀𠀀"})
    escaped = b"_x0001_\xe4\xb8\xad_x001F__x000B_"
    return edit_sheet_xml(marked, lambda xml: xml.replace(b"MARK", escaped))


# -- numbers no cell should hold (read as values at their cell, never a defect) ---------------
def score_xml(data: bytes, value: bytes, cell: str = SCORE) -> bytes:
    """The form with the stored text of a number cell replaced as it stands in the XML."""
    pattern = re.compile(rb'(<c r="%s"[^>]*>)<v>[^<]*</v>' % cell.encode())
    return edit_sheet_xml(data, lambda xml: pattern.sub(lambda m: m.group(1) + b"<v>" + value + b"</v>", xml, 1))


NUMBER_CASES = [
    ("score_1e26.xlsx", "VALUE_ABOVE_MAX", b"1E+26"),
    ("score_30_digits.xlsx", "VALUE_ABOVE_MAX", b"123456789012345678901234567890"),
    ("score_1e400.xlsx", "VALUE_NOT_NUMBER", b"1e400"),  # past a double: read as infinity
    ("score_inf.xlsx", "VALUE_NOT_NUMBER", b"inf"),
    ("score_minus_inf.xlsx", "VALUE_NOT_NUMBER", b"-inf"),
    ("score_nan.xlsx", "VALUE_NOT_NUMBER", b"NaN"),
]
for _name, _code, _value in NUMBER_CASES:
    bad(_name, _code)(lambda src, value=_value: score_xml(src.form, value))


# -- XML in another encoding ---------------------------------------------------------------------
ENCODED_PARTS = (
    "SHEET",
    "xl/worksheets/sheet3.xml",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "docProps/custom.xml",
)


def declared(data: bytes, part: str, encoding: str) -> bytes:
    """The form with one XML part written in `encoding` and declared so ("SHEET": the form sheet); characters
    the encoding lacks as character references, as an XML writer does."""
    part = form_part(data) if part == "SHEET" else part
    entries = parts(data)
    text = re.sub(r"^<\?xml[^>]*\?>", "", entries[part].decode())
    entries[part] = f'<?xml version="1.0" encoding="{encoding}"?>'.encode() + text.encode(encoding, "xmlcharrefreplace")
    return rezip(entries)


@bad("sheet_encoding_unknown.xlsx", "FILE_XML_ENCODING")
def sheet_encoding_unknown(src: Sources) -> bytes:
    entries = parts(src.form)
    part = form_part(src.form)
    entries[part] = b'<?xml version="1.0" encoding="x-qe-unknown"?>' + entries[part]
    return rezip(entries)


# -- references outside the file -----------------------------------------------------------------
def with_relationship(data: bytes, rels: str, relationship: bytes) -> bytes:
    entries = parts(data)
    entries[rels] = entries[rels].replace(b"</Relationships>", relationship + b"</Relationships>")
    return rezip(entries)


@bad("external_link_elsewhere.xlsx", "FILE_EXTERNAL_LINK")
def external_link_elsewhere(src: Sources) -> bytes:  # found by its content type, not by its folder
    link = (
        b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<externalBook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId1"/>'
        b"</externalLink>"
    )
    entries = {**parts(src.form), "xl/links/link1.xml": link}
    entries["[Content_Types].xml"] = entries["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/links/link1.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/></Types>',
    )
    return rezip(entries)


@bad("attached_template.xlsx", "FILE_EXTERNAL_REFERENCE")
def attached_template(src: Sources) -> bytes:
    return with_relationship(
        src.form,
        "xl/_rels/workbook.xml.rels",
        b'<Relationship Id="rId99" TargetMode="External" Target="http://evil.example/t.xltx" '
        b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"/>',
    )


@bad("ole_object_external.xlsx", "FILE_EXTERNAL_REFERENCE")
def ole_object_external(src: Sources) -> bytes:
    entries = parts(src.form)
    entries["xl/worksheets/_rels/sheet1.xml.rels"] = (
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" TargetMode="External" Target="file:///C:/x.xlsx" '
        b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/oleObject"/></Relationships>'
    )
    return rezip(entries)


@bad("vba_second_part.xlsx", "FILE_MACRO")
def vba_second_part(src: Sources) -> bytes:
    return rezip({**parts(src.form), "xl/vbaProject2.bin": OLE_JUNK})


# -- one place stated twice (readers differ on which they take) ----------------------------------
@bad("cell_twice.xlsx", "FILE_CELL_TWICE")
def cell_twice(src: Sources) -> bytes:
    pattern = re.compile(rb'<c r="%s"[^>]*>.*?</c>' % SCORE.encode())
    return edit_sheet_xml(
        src.form, lambda xml: pattern.sub(lambda m: m.group(0) + b'<c r="%s"><v>1</v></c>' % SCORE.encode(), xml, 1)
    )


@bad("row_twice.xlsx", "FILE_ROW_TWICE")
def row_twice(src: Sources) -> bytes:
    row = b'<row r="%d"><c r="%s"><v>1</v></c></row>' % (FIRST_DATA_ROW + 1, SCORE.encode())
    return edit_sheet_xml(src.form, lambda xml: before_sheet_data_end(xml, row))
