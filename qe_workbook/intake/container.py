"""Opening a returned file safely: what kind of file it is and whether it is safe to parse.

Everything here runs before any spreadsheet parser sees the file: size and zip limits (zip
bombs), file-type sniffing (a .docx or .pdf renamed to .xlsx, an old .xls, an encrypted file),
macros, external links, and part names that two zip readers could resolve to different parts.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from io import BytesIO

from ..problems import Problem, make_problem
from .isolate import DEFAULT_START

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTION_MARKERS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))


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
    reader_start: str = DEFAULT_START  # how the reader's child starts: "fork" (Linux, macOS) or "spawn" (Windows)


@dataclass
class Package:
    """An xlsx zip that passed the container checks."""

    zip: zipfile.ZipFile
    names: set[str]


def too_large(size: int, file: str, limits: Limits) -> Problem:
    return make_problem(
        "FILE_TOO_LARGE",
        f"文件大小为 {size / 1048576:.1f} MB，超过上限 {limits.max_file_bytes // 1048576} MB",
        file=file,
    )


def open_package(data: bytes, file: str, limits: Limits) -> tuple[Package | None, list[Problem]]:
    """Sniff and check a returned file's bytes; the package is None when it must not be parsed."""

    def fail(code: str, detail: str) -> tuple[None, list[Problem]]:
        return None, [make_problem(code, detail, file=file)]

    if not data:
        return fail("FILE_EMPTY", "文件大小为 0 字节")
    if len(data) > limits.max_file_bytes:
        return None, [too_large(len(data), file, limits)]
    if data.startswith(OLE_MAGIC):
        if any(marker in data for marker in ENCRYPTION_MARKERS):
            return fail("FILE_ENCRYPTED", "文件设置了打开密码（加密的 Office 文件）")
        return fail("FILE_XLS", "文件实际是旧版 Excel 97-2003（.xls）或其他 Office 97 格式，只是扩展名为 .xlsx")
    if data.startswith(b"%PDF"):
        return fail("FILE_NOT_XLSX", "文件实际是 PDF 文档")
    if not data.startswith(b"PK"):
        head = data[:512].lstrip().lower()
        kind = "网页（HTML）" if head.startswith((b"<!doctype html", b"<html")) else "文本或其他格式"
        return fail("FILE_NOT_XLSX", f"文件实际是{kind}，不是 Excel 工作簿")
    try:
        zf = zipfile.ZipFile(BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return fail("FILE_CORRUPT", "文件不完整或已损坏（压缩包结构错误，可能是未保存完毕或传输中断）")
    if len(infos) > limits.max_entries:
        return fail("FILE_ZIP_BOMB", f"压缩包内有 {len(infos)} 个条目，超过上限 {limits.max_entries}")
    total = sum(i.file_size for i in infos)
    if total > limits.max_unzipped_bytes:
        return fail(
            "FILE_ZIP_BOMB", f"解压后共 {total / 1048576:.0f} MB，超过上限 {limits.max_unzipped_bytes // 1048576} MB"
        )
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            return fail(
                "FILE_ZIP_BOMB",
                f"条目 {info.filename} 的压缩比异常（{info.file_size // max(info.compress_size, 1)} 倍）",
            )
    names = {i.filename for i in infos}
    lowered = {n.lower() for n in names}
    if "xl/workbook.xml" not in lowered:
        if "word/document.xml" in lowered:
            return fail("FILE_NOT_XLSX", "文件实际是 Word 文档（.docx），只是扩展名为 .xlsx")
        if "ppt/presentation.xml" in lowered:
            return fail("FILE_NOT_XLSX", "文件实际是 PowerPoint 演示文稿，只是扩展名为 .xlsx")
        if "content.xml" in lowered and "mimetype" in lowered:
            return fail("FILE_NOT_XLSX", "文件实际是 ODF（.ods/.odt）格式，只是扩展名为 .xlsx")
        return fail("FILE_NOT_XLSX", "文件是压缩包，但其中没有 Excel 工作簿")
    if any(n.endswith("vbaproject.bin") for n in lowered):
        return fail("FILE_MACRO", "文件中含有宏代码（vbaProject.bin）")
    if any(n.startswith("xl/externallinks/") for n in lowered):
        return fail("FILE_EXTERNAL_LINK", "文件中含有指向其他工作簿的外部链接")
    odd = _ambiguous_name([i.filename for i in infos])
    if odd:
        return fail("FILE_CORRUPT", f"压缩包中的条目名“{odd[:60]}”重复或不规范（正常的工作簿不会出现，文件可能被篡改）")
    if any(info.flag_bits & 0x1 for info in infos):
        return fail("FILE_ENCRYPTED", "压缩包中的条目设置了密码")
    bad = _first_bad_crc(zf)
    if bad:
        return fail("FILE_CORRUPT", f"压缩包中的 {bad} 已损坏（校验失败）")
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
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        return "压缩数据"
