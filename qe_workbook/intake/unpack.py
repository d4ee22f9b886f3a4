"""Unpacking a .zip attachment safely, with the same limits as the workbook checks.

Names written by Chinese Windows (GBK, without the zip's UTF-8 flag) are recovered; entries that
would land outside the target (absolute paths, '..', drive letters), encrypted entries, nested
archives and anything over the size, count or ratio limits are refused, each with a reason.
Nothing is written here: the caller gets the members' bytes and decides where they go.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from io import BytesIO

from ..file_names import decode_bytes, safe_file_name
from ..visible import visible
from .container import Limits

ARCHIVES_NOT_UNPACKED = (".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".arj", ".cab")


@dataclass
class Member:
    name: str  # the entry's path inside the archive, decoded, '/'-separated
    path: tuple[str, ...]  # safe folder/file names to save it under
    data: bytes


@dataclass
class Unpacked:
    members: list[Member] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (entry name, reason)
    error: str | None = None  # the whole archive refused


def entry_name(info: zipfile.ZipInfo) -> str:
    """The entry's name as its author saw it: UTF-8 when flagged, else GBK (read by Python as cp437)."""
    if info.flag_bits & 0x800:
        return visible(info.filename)
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return visible(info.filename)
    return visible(decode_bytes(raw))


def _safe_parts(name: str) -> tuple[str, ...] | None:
    """Folder and file names under the target, or None when the name leaves it."""
    norm = name.replace("\\", "/")
    if norm.startswith("/") or (len(norm) > 1 and norm[1] == ":"):
        return None
    segments = [s for s in norm.split("/") if s.strip() not in ("", ".")]
    if not segments or any(not s.strip(" .") for s in segments):  # '..', ' ..', '...': Windows trims them to '..'
        return None
    return tuple(safe_file_name(s) for s in segments)


def unpack_zip(data: bytes, limits: Limits) -> Unpacked:
    out = Unpacked()
    try:
        zf = zipfile.ZipFile(BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        out.error = "压缩包已损坏或不是 zip 格式"
        return out
    files = [i for i in infos if not i.is_dir()]
    if len(files) > limits.max_entries:
        out.error = f"压缩包内有 {len(files)} 个文件，超过上限 {limits.max_entries}"
        return out
    total = sum(i.file_size for i in files)
    if total > limits.max_unzipped_bytes:
        out.error = f"解压后共 {total / 1048576:.0f} MB，超过上限 {limits.max_unzipped_bytes // 1048576} MB"
        return out
    seen: set[tuple[str, ...]] = set()
    for info in files:
        name = entry_name(info)
        parts = _safe_parts(name)
        if parts is None:
            out.refused.append((name, "路径指向压缩包以外的位置，或名称只由点组成（可能是恶意文件）"))
        elif info.flag_bits & 0x1:
            out.refused.append((name, "设置了解压密码"))
        elif info.file_size > limits.max_file_bytes:
            out.refused.append((name, f"大小 {info.file_size / 1048576:.1f} MB，超过上限"))
        elif info.file_size > 1024 * 1024 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            out.refused.append((name, "压缩比异常（疑似压缩炸弹）"))
        elif tuple(p.casefold() for p in parts) in seen:
            out.refused.append((name, "与压缩包中另一个文件同名"))
        elif parts[-1].lower().endswith((".zip", *ARCHIVES_NOT_UNPACKED)):
            out.refused.append((name, "压缩包中又套了压缩包，请解压后直接发送文件"))
        elif parts[0] == "__MACOSX" or parts[-1].startswith("._") or parts[-1].lower() == "thumbs.db":
            continue  # macOS / Windows bookkeeping, not a file anyone sent
        else:
            try:
                content = _read_bounded(zf, info, limits.max_file_bytes)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
                out.refused.append((name, "已损坏，无法解压"))
                continue
            if content is None:
                out.refused.append((name, "解压后的大小与记录不符（疑似压缩炸弹）"))
                continue
            seen.add(tuple(p.casefold() for p in parts))
            out.members.append(Member(name, parts, content))
    return out


def _read_bounded(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes | None:
    """The entry's bytes, reading no more than its declared size (a lying header cannot bomb)."""
    with zf.open(info) as fh:
        data = fh.read(min(info.file_size, limit) + 1)
    return None if len(data) > info.file_size else data
