"""A .docx package written around a document body: the template's parts made once, only the body and the
core properties made per document.

Every document of the 公文 layout shares its styles, settings, theme, header, footer and font table; they
are made once per process (and stage) by python-docx and kept compressed, so a document costs what its
own body costs. The zip is written here (a plain, stored-size zip as `zipfile` writes it: deflate level 6,
the same entries in the same order) because `zipfile` cannot take an entry that is already compressed.
"""

from __future__ import annotations

import copy
import struct
import sys
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

DOCUMENT_PART = "word/document.xml"
CORE_PART = "docProps/core.xml"
DEFLATE_LEVEL = 6  # zipfile's default for ZIP_DEFLATED
CORE_LIMIT = 255  # characters Word takes in a core property (python-docx refuses more)
_CREATE_SYSTEM = 0 if sys.platform == "win32" else 3
_EXTERNAL_ATTR = 0o600 << 16


@dataclass(frozen=True)
class Entry:
    """One zip entry, compressed."""

    name: bytes
    data: bytes
    crc: int
    size: int

    @classmethod
    def of(cls, name: str, raw: bytes) -> Entry:
        packer = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -15)
        return cls(name.encode("ascii"), packer.compress(raw) + packer.flush(), zlib.crc32(raw), len(raw))


def xml_bytes(root: etree._Element) -> bytes:
    """A part's XML as python-docx stores it."""
    return etree.tostring(root, encoding="UTF-8", standalone=True)


class Package:
    """The parts of a template package, in order; the body part and the core properties are given per document."""

    def __init__(self, parts: list[tuple[str, bytes]]) -> None:
        self.names = [name for name, _ in parts]
        self.fixed = {name: Entry.of(name, raw) for name, raw in parts if name not in (DOCUMENT_PART, CORE_PART)}
        raw = dict(parts)
        self.document = etree.fromstring(raw[DOCUMENT_PART])
        self.core = etree.fromstring(raw[CORE_PART])

    def core_properties(self, **texts: str) -> etree._Element:
        """A copy of the core properties with the text of each named element (local name → text) replaced."""
        core = copy.deepcopy(self.core)
        for element in core:
            name = etree.QName(element).localname
            if name in texts:
                if len(texts[name]) > CORE_LIMIT:
                    raise ValueError(f"exceeded {CORE_LIMIT} char limit for property, got:\n\n'{texts[name]}'")
                element.text = texts[name]
        return core

    def write(self, path: Path, document: etree._Element, core: etree._Element) -> Path:
        made = {
            DOCUMENT_PART: Entry.of(DOCUMENT_PART, xml_bytes(document)),
            CORE_PART: Entry.of(CORE_PART, xml_bytes(core)),
        }
        write_zip(path, [made.get(name) or self.fixed[name] for name in self.names])
        return path


def write_zip(path: Path, entries: list[Entry]) -> None:
    """The entries as a zip file, laid out as `zipfile` lays out `writestr` entries (no data descriptors)."""
    year, month, day, hour, minute, second = time.localtime(time.time())[:6]
    dos_date = (year - 1980) << 9 | month << 5 | day
    dos_time = hour << 11 | minute << 5 | second // 2
    central, offset, chunks = [], 0, []
    for e in entries:
        common = struct.pack("<4H3L2H", 0, 8, dos_time, dos_date, e.crc, len(e.data), e.size, len(e.name), 0)
        local = b"PK\x03\x04" + struct.pack("<H", 20) + common + e.name
        chunks += [local, e.data]
        central.append(
            b"PK\x01\x02"
            + struct.pack("<2B", 20, _CREATE_SYSTEM)
            + struct.pack("<H", 20)
            + common
            + struct.pack("<3H2L", 0, 0, 0, _EXTERNAL_ATTR, offset)
            + e.name
        )
        offset += len(local) + len(e.data)
    directory = b"".join(central)
    end = b"PK\x05\x06" + struct.pack("<4H2LH", 0, 0, len(entries), len(entries), len(directory), offset, 0)
    path.write_bytes(b"".join(chunks) + directory + end)
