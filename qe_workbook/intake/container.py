"""Opening a returned file safely: what kind of file it is and whether it is safe to parse.

Everything here runs before any spreadsheet parser sees the file: size and zip limits (zip
bombs), file-type sniffing (a .docx or .pdf renamed to .xlsx, an old .xls, an encrypted file),
macros, external links, and part names that two zip readers could resolve to different parts.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from ..problems import Problem, problem

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTION_MARKERS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
# What reading a damaged zip member raises (bad data, truncated stream, unknown compression, encryption).
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError)


@dataclass(frozen=True)
class Limits:
    """Bounds checked before parsing; generous for a real form, small for an attack."""

    max_file_bytes: int = 20 * 1024 * 1024
    max_unzipped_bytes: int = 200 * 1024 * 1024
    max_entries: int = 10_000
    max_ratio: int = 200
    max_cells: int = 2_000_000  # rows × columns of a sheet's extent (a reader allocates that grid)
    max_cols: int = 1_000
    max_reader_bytes: int = 2 * 1024**3  # memory the value reader may take on top of this process
    max_read_seconds: float = 120.0
    reader_start: str | None = None  # how the reader's child starts: "fork", "spawn", or None: as safe_start says


@dataclass
class Package:
    """An xlsx zip that passed the container checks."""

    zip: zipfile.ZipFile
    names: set[str]
    transcoded: dict[str, bytes] = field(default_factory=dict)  # parts read here in an encoding, as UTF-8

    def for_reader(self, data: bytes) -> bytes:
        """The file for the value reader: as it came, or with the parts read in another encoding as UTF-8
        (the reader knows fewer encodings than the parser here)."""
        if not self.transcoded:
            return data
        out = BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for info in self.zip.infolist():
                zf.writestr(info.filename, self.transcoded.get(info.filename) or self.zip.read(info))
        return out.getvalue()


def too_large(size: int, file: str, limits: Limits) -> Problem:
    return problem(
        "FILE_TOO_LARGE",
        file=file,
        size=size,
        limit=limits.max_file_bytes,
        size_mb=f"{size / 1048576:.1f}",
        limit_mb=limits.max_file_bytes // 1048576,
    )


def open_package(data: bytes, file: str, limits: Limits) -> tuple[Package | None, list[Problem]]:
    """Sniff and check a returned file's bytes; the package is None when it must not be parsed."""

    def fail(code: str, **params: Any) -> tuple[None, list[Problem]]:
        return None, [problem(code, file=file, **params)]

    if not data:
        return fail("FILE_EMPTY")
    if len(data) > limits.max_file_bytes:
        return None, [too_large(len(data), file, limits)]
    if data.startswith(OLE_MAGIC):
        if any(marker in data for marker in ENCRYPTION_MARKERS):
            return fail("FILE_ENCRYPTED")
        return fail("FILE_XLS")
    if data.startswith(b"%PDF"):
        return fail("FILE_NOT_XLSX", detected="pdf", kind=" PDF 文档")
    if not data.startswith(b"PK"):
        if data[:512].lstrip().lower().startswith((b"<!doctype html", b"<html")):
            return fail("FILE_NOT_XLSX", detected="html", kind="网页（HTML）")
        return fail("FILE_NOT_XLSX", detected="text", kind="文本或其他格式")
    try:
        zf = zipfile.ZipFile(BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return fail("FILE_CORRUPT")
    if len(infos) > limits.max_entries:
        return fail("FILE_ZIP_ENTRIES", entries=len(infos), limit=limits.max_entries)
    total = sum(i.file_size for i in infos)
    if total > limits.max_unzipped_bytes:
        return fail(
            "FILE_ZIP_BOMB",
            unzipped=total,
            unzipped_mb=f"{total / 1048576:.0f}",
            limit_mb=limits.max_unzipped_bytes // 1048576,
        )
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            return fail("FILE_ZIP_RATIO", part=info.filename, ratio=info.file_size // max(info.compress_size, 1))
    names = {i.filename for i in infos}
    lowered = {n.lower() for n in names}
    if "xl/workbook.xml" not in lowered:
        if "word/document.xml" in lowered:
            return fail("FILE_NOT_XLSX", detected="docx", kind=" Word 文档（.docx）")
        if "ppt/presentation.xml" in lowered:
            return fail("FILE_NOT_XLSX", detected="pptx", kind=" PowerPoint 演示文稿")
        if "content.xml" in lowered and "mimetype" in lowered:
            return fail("FILE_NOT_XLSX", detected="odf", kind=" ODF（.ods/.odt）文件")
        return fail("FILE_NOT_XLSX", detected="zip", kind="不含 Excel 工作簿的压缩包")
    if any("vbaproject" in posixpath.basename(n) for n in lowered):  # vbaProject.bin, vbaProject2.bin...
        return fail("FILE_MACRO")
    if any("externallink" in n for n in lowered):  # by content type and relationship too: sheetxml.py
        return fail("FILE_EXTERNAL_LINK")
    odd = _ambiguous_name([i.filename for i in infos])
    if odd:
        return fail("FILE_PART_NAME_ODD", part=odd[:60])
    if any(info.flag_bits & 0x1 for info in infos):
        return fail("FILE_ZIP_ENCRYPTED")
    bad = _first_bad_crc(zf)
    if bad:
        return fail("FILE_ZIP_CRC", part=bad)
    return Package(zf, names), []


def _ambiguous_name(names: list[str]) -> str | None:
    """A part name that zip readers may resolve differently: then the checks here and the
    value reader could see different parts (a repeated name, '\\', '.', '..' or an empty segment)."""
    seen: set[str] = set()
    for name in names:
        folded = name.replace("\\", "/").casefold()
        segments = folded.rstrip("/").split("/")
        if "\\" in name or folded in seen or any(s in ("", ".", "..") for s in segments):
            return name
        seen.add(folded)
    return None


def _first_bad_crc(zf: zipfile.ZipFile) -> str | None:
    try:
        return zf.testzip()
    except (*ZIP_ERRORS, ValueError):
        return "压缩数据"
