"""The names a message's files are saved under: safe on every file system, never a name the
intake treats specially, typed by their content when they came without an extension, and the
reason whenever the saved name differs from the one sent (kept in the receipt)."""

from __future__ import annotations

import unicodedata
import zipfile
from io import BytesIO

from ..file_names import plain_file_name, safe_file_name, shorten_name
from ..intake.container import OLE_MAGIC
from ..run_folder import RUN_MARKER

MAX_FOLDER_CHARS = 40  # a zip's folder and the folders inside it
MAX_PARTS_CHARS = 120  # the path under a message folder; deeper zip folders are left out beyond it
# A zip's parts that tell what its document is (Office Open XML), else it is a zip.
PACKAGE_PARTS = (("xl/workbook.xml", ".xlsx"), ("word/document.xml", ".docx"), ("ppt/presentation.xml", ".pptx"))
UNDECODABLE = "\ufffd"


def extension_from_content(data: bytes) -> str:
    """'.xlsx', '.pdf'… judged from the bytes, '' when they say nothing clear."""
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(BytesIO(data)).namelist())
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
            return ""
        return next((ext for part, ext in PACKAGE_PARTS if part in names), ".zip")
    if data.startswith(OLE_MAGIC):  # the directory names its main stream in UTF-16
        for stream, ext in (("Workbook", ".xls"), ("WordDocument", ".doc")):
            if stream.encode("utf-16-le") in data[: 1 << 20]:
                return ext
        return ""
    for magic, ext in ((b"%PDF", ".pdf"), (b"\xff\xd8\xff", ".jpg"), (b"\x89PNG", ".png")):
        if data.startswith(magic):
            return ext
    return ""


def file_name_for(original: str, data: bytes) -> tuple[str, list[str]]:
    """The name a received file is saved under, and why it is not the name it was sent with."""
    plain = plain_file_name(original.replace(UNDECODABLE, "_"))
    reasons: list[str] = []
    if UNDECODABLE in original:
        reasons.append("原文件名含有无法识别的字符（编码无法识别），已用“_”代替")
    elif plain != unicodedata.normalize("NFC", original).strip():
        reasons.append("原文件名含有不能用于文件名的字符、Windows 保留名称或首尾的点，已调整")
    if "." not in plain:
        ext = extension_from_content(data)
        if ext:
            plain += ext
            reasons.append(f"原文件名没有扩展名，按文件内容补上“{ext}”")
    if plain.casefold() == RUN_MARKER.casefold():  # collect would skip the whole folder
        stem, _, ext = plain.rpartition(".")
        plain = f"{stem}（邮件附件）.{ext}"
        reasons.append("与本工具结果文件夹的标记文件同名，已改名")
    name = shorten_name(plain)
    if name != plain:
        reasons.append("原文件名过长，保存时已缩短")
    return name, reasons


def fit_parts(parts: tuple[str, ...]) -> tuple[str, ...]:
    """Folders of at most 40 characters; when the path is still long, only the first folder (the
    zip's) and the file are kept, so paths stay short on Windows."""
    *folders, name = parts
    folders = [safe_file_name(f, "文件夹", MAX_FOLDER_CHARS) for f in folders]
    if len("/".join([*folders, name])) > MAX_PARTS_CHARS:
        folders = folders[:1]
    return (*folders, name)
