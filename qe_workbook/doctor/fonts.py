"""Which fonts this computer has: from fontconfig's `fc-list` where it exists (Linux, UOS, 麒麟), else by
reading the font files in the usual font folders (Windows: %WINDIR%\\Fonts and the user's own font folder).

Reading a font file means reading its sfnt `name` table (the family names in every language, 仿宋 next
to FangSong) and its OS/2 code-page bits (bit 18: the font covers GB 2312, simplified Chinese).
Only the table directory and those two tables are read, so scanning a Windows font folder stays quick.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

FONT_SUFFIXES = {".ttf", ".ttc", ".otf", ".otc"}
NAME_IDS = {1, 4, 16}  # family, full name, typographic family
GB2312_CODE_PAGE_BIT = 18
_LEGACY_WINDOWS = {2: "shift_jis", 3: "gbk", 4: "big5", 5: "cp949", 6: "johab"}
_MAC = {0: "mac_roman", 25: "gbk"}


@dataclass(frozen=True)
class InstalledFont:
    path: str
    names: tuple[str, ...]
    chinese: bool  # covers simplified Chinese


@dataclass(frozen=True)
class FontScan:
    fonts: tuple[InstalledFont, ...]
    source: str  # "fc-list" or "folders"

    def find(self, names: Iterable[str]) -> InstalledFont | None:
        """The first installed font carrying any of `names` (case, spaces and hyphens ignored)."""
        wanted = {_key(n) for n in names}
        return next((f for f in self.fonts if wanted & {_key(n) for n in f.names}), None)

    def chinese(self) -> InstalledFont | None:
        """A font for simplified Chinese (one named for it, such as Noto Sans CJK SC, when there is one)."""
        fonts = [f for f in self.fonts if f.chinese]
        return min(fonts, key=lambda f: not any(re.search(r"\bSC\b|GB|简", n) for n in f.names), default=None)


def _key(name: str) -> str:
    return re.sub(r"[\s\-]", "", name).casefold()


# -- font files --------------------------------------------------------------------------------------------


def _faces(fh: BinaryIO) -> list[int]:
    """The offsets of the fonts in a file: one, or each font of a collection (.ttc/.otc)."""
    head = _read(fh, 0, 12)
    if head[:4] == b"ttcf":
        (count,) = struct.unpack_from(">I", head, 8)
        return list(struct.unpack(f">{count}I", _read(fh, 12, 4 * count)))
    return [0]


def _read(fh: BinaryIO, offset: int, length: int) -> bytes:
    fh.seek(offset)
    data = fh.read(length)
    if len(data) != length:
        raise struct.error("font file ends early")
    return data


def _tables(fh: BinaryIO, offset: int) -> dict[bytes, tuple[int, int]]:
    (count,) = struct.unpack(">H", _read(fh, offset + 4, 2))
    directory = _read(fh, offset + 12, 16 * count)
    tables = {}
    for n in range(count):
        tag, _, start, length = struct.unpack_from(">4sIII", directory, 16 * n)
        tables[tag] = (start, length)
    return tables


def _decode(platform: int, encoding: int, raw: bytes) -> str | None:
    if platform == 0 or (platform == 3 and encoding in (0, 1, 10)):
        codec, text = "utf-16-be", raw
    elif platform == 3 and encoding in _LEGACY_WINDOWS:  # old Chinese fonts: code-page bytes in 16-bit units
        codec, text = _LEGACY_WINDOWS[encoding], raw.replace(b"\x00", b"")
    elif platform == 1 and encoding in _MAC:
        codec, text = _MAC[encoding], raw
    else:
        return None
    try:
        return text.decode(codec).strip("\x00 ") or None
    except UnicodeDecodeError:
        return None


def _names(table: bytes) -> list[str]:
    _, count, strings = struct.unpack_from(">HHH", table, 0)
    found: list[str] = []
    for n in range(count):
        platform, encoding, _, name_id, length, offset = struct.unpack_from(">6H", table, 6 + 12 * n)
        if name_id in NAME_IDS:
            text = _decode(platform, encoding, table[strings + offset : strings + offset + length])
            if text and text not in found:
                found.append(text)
    return found


def _covers_gb2312(table: bytes) -> bool:
    (version,) = struct.unpack_from(">H", table, 0)
    if version < 1 or len(table) < 82:
        return False
    (pages,) = struct.unpack_from(">I", table, 78)
    return bool(pages >> GB2312_CODE_PAGE_BIT & 1)


def read_font_file(path: Path) -> list[InstalledFont]:
    """Every font in a font file with its names; a file that is not a readable font gives none."""
    fonts = []
    try:
        with path.open("rb") as fh:
            for offset in _faces(fh):
                tables = _tables(fh, offset)
                if b"name" not in tables:
                    continue
                names = _names(_read(fh, *tables[b"name"]))
                chinese = b"OS/2" in tables and _covers_gb2312(_read(fh, *tables[b"OS/2"]))
                if names:
                    fonts.append(InstalledFont(str(path), tuple(names), chinese))
    except (OSError, struct.error):
        return []
    return fonts


# -- where the fonts are -----------------------------------------------------------------------------------


def font_folders(env: Mapping[str, str] = os.environ, platform: str = sys.platform) -> list[Path]:
    """The folders fonts are installed in: for all users, and the user's own (no administrator needed)."""
    if platform == "win32":
        windows = env.get("WINDIR") or env.get("SystemRoot") or r"C:\Windows"
        local = env.get("LOCALAPPDATA") or str(Path(env.get("USERPROFILE", "~"), "AppData", "Local"))
        return [Path(windows) / "Fonts", Path(local) / "Microsoft" / "Windows" / "Fonts"]
    home = Path(env.get("HOME", "~")).expanduser()
    if platform == "darwin":
        return [Path("/System/Library/Fonts"), Path("/Library/Fonts"), home / "Library" / "Fonts"]
    data = env.get("XDG_DATA_HOME") or str(home / ".local" / "share")
    return [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path(data) / "fonts", home / ".fonts"]


def scan_folders(folders: Iterable[Path]) -> FontScan:
    fonts: list[InstalledFont] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for root, _, files in os.walk(folder):
            for name in sorted(files):
                if Path(name).suffix.lower() in FONT_SUFFIXES:
                    fonts += read_font_file(Path(root, name))
    return FontScan(tuple(fonts), "folders")


_UNESCAPED_COMMA = re.compile(r"(?<!\\),")


def parse_fc_list(text: str) -> list[InstalledFont]:
    """`fc-list --format '%{file}\\t%{family}\\t%{fullname}\\t%{lang}\\n'` output → fonts."""
    fonts = []
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) != 4:
            continue
        path, family, full, langs = parts
        names = [n.replace("\\,", ",").strip() for n in _UNESCAPED_COMMA.split(f"{family},{full}")]
        chinese = "zh-cn" in langs.split("|")
        fonts.append(InstalledFont(path, tuple(dict.fromkeys(n for n in names if n)), chinese))
    return fonts


def scan_fc_list(fc_list: str) -> FontScan | None:
    try:
        done = subprocess.run(
            [fc_list, "--format", "%{file}\t%{family}\t%{fullname}\t%{lang}\n"],
            capture_output=True, timeout=60, check=True,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    return FontScan(tuple(parse_fc_list(done.stdout.decode("utf-8", errors="replace"))), "fc-list")


def installed_fonts(fc_list: str | None = None, folders: Iterable[Path] | None = None) -> FontScan:
    """The installed fonts: through `fc-list` (found on PATH when not given; "" for none, as on Windows)
    where it works, else by reading the files in `folders` (default: this system's font folders)."""
    program = fc_list if fc_list is not None else shutil.which("fc-list")
    scan = scan_fc_list(program) if program else None
    return scan if scan is not None else scan_folders(font_folders() if folders is None else folders)
