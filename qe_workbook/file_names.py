"""File names fit for every system: legacy bytes decoded (GBK names from Chinese Windows), and a name
that is one plain file name on Windows and Linux (no folders, reserved names or unsafe characters, not too long)."""

from __future__ import annotations

import re
import unicodedata

SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "euc-cn": "gb18030",
             "hz-gb-2312": "hz", "big5": "big5hkscs"}  # fmt: skip


def decode_bytes(data: bytes, charset: str | None = None) -> str:
    """Bytes to text: the declared charset (its superset), else UTF-8, else GB18030; never raises."""
    tried: list[str] = []
    if charset:
        tried.append(SUPERSETS.get(charset.strip().lower(), charset.strip().lower()))
    tried += ["utf-8", "gb18030"]
    for name in tried:
        try:
            return data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("gb18030", "replace")


# Names Windows reserves for devices, with or without an extension (also with superscript digits).
WINDOWS_RESERVED = {"con", "prn", "aux", "nul", "conin$", "conout$",
                    *(f"{d}{n}" for d in ("com", "lpt") for n in (*"123456789", "¹", "²", "³"))}  # fmt: skip
# Characters no file name may hold on Windows, control characters, the replacement mark of an
# undecodable byte, and the direction overrides that disguise an extension (评价表\u202excod.exe).
UNSAFE_CHARS = re.compile('[<>:"|?*\x00-\x1f\x7f-\x9f\ufffd\u200e\u200f\u202a-\u202e\u2066-\u2069]')
MAX_NAME_CHARS = 80  # with the folders above it, well inside Windows' 260-character paths
MAX_NAME_BYTES = 240  # under the 255 bytes (UTF-8) of one name on Linux file systems
SHORTENED = "…"


def safe_file_name(name: str, fallback: str = "附件", max_chars: int = MAX_NAME_CHARS) -> str:
    """A name that is one plain file name on Windows and Linux: no folders, no reserved names or
    characters, not hidden, at most `max_chars` characters and 240 bytes of UTF-8 (the extension kept)."""
    return shorten_name(plain_file_name(name, fallback), max_chars)


def plain_file_name(name: str, fallback: str = "附件") -> str:
    """The name's last path segment without reserved names, unsafe characters or the leading and
    trailing dots and blanks Windows drops (a hidden name would also be skipped by collect)."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = UNSAFE_CHARS.sub("_", name).strip().strip(".").strip()
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if not stem or stem.split(".")[0].strip().lower() in WINDOWS_RESERVED:
        stem = f"{fallback}_{stem}" if stem else fallback
    return f"{stem}.{ext[:10]}" if ext else stem


def shorten_name(name: str, max_chars: int = MAX_NAME_CHARS) -> str:
    """A plain name cut to `max_chars` characters and 240 bytes, ending its stem with "…"."""
    if len(name) <= max_chars and len(name.encode()) <= MAX_NAME_BYTES:
        return name
    stem, dot, ext = name.rpartition(".")
    tail = f".{ext}" if dot and len(ext) <= 10 else ""
    stem = stem if tail else name
    stem = stem[: max(max_chars - len(SHORTENED + tail), 0)]
    while stem and len((stem + SHORTENED + tail).encode()) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return stem.rstrip(" .") + SHORTENED + tail
