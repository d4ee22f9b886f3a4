"""The office's secret signing key: a file holding 32 random bytes as 64 hex digits.

Lines starting with '#' are comments (the practice key in samples/ says so in its first line).
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from dataclasses import dataclass, replace
from pathlib import Path

from .problems import Problem, os_error_text, problem
from .small_files import read_small

KEY_BYTES = 32
KEY_FILE_MAX_BYTES = 64 * 1024  # 64 hex digits and a few comment lines
DEFAULT_KEY_PATH = Path("out") / "qe.key"


def create_key(path: Path) -> bytes:
    """Write a new key; never overwrites (losing a key would invalidate every form sent out)."""
    key = secrets.token_bytes(KEY_BYTES)
    write_key(path, key)
    return key


def read_key(path: Path) -> tuple[bytes | None, list[Problem]]:
    src = str(path)
    try:
        raw = read_small(path, KEY_FILE_MAX_BYTES)
    except FileNotFoundError:
        return None, [problem("KEY_MISSING", file=src)]
    except OSError as exc:
        return None, [problem("KEY_UNREADABLE", file=src, reason=os_error_text(exc))]
    if len(raw) > KEY_FILE_MAX_BYTES:
        return None, [problem("KEY_INVALID", file=src)]
    return parse_key(raw.decode("utf-8", errors="replace"), src)


def parse_key(file_text: str, src: str) -> tuple[bytes | None, list[Problem]]:
    """A key file's text (64 hex digits, '#' comment lines allowed) as the key, or KEY_INVALID."""
    text = "".join(line.strip() for line in file_text.splitlines() if not line.lstrip().startswith("#"))
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        return None, [problem("KEY_INVALID", file=src)]
    return key, []


# -- the paper backup: the key in groups a person can type back, each with a check character --------

GROUP_DIGITS = 4
CHECK_ALPHABET = "GHJKMNPQRSTUVWXYZ"  # 17 letters that are not hex digits and are hard to misread
_GROUP = re.compile(r"([0-9A-Fa-f]{4})[\s\-]*([A-Za-z])")


@dataclass(frozen=True)
class KeyGroup:
    number: int  # 1-based, as printed
    digits: str  # four upper-case hex digits

    @property
    def check(self) -> str:
        return check_char(self.number, self.digits)

    @property
    def text(self) -> str:
        return f"{self.digits}-{self.check}"


def check_char(number: int, digits: str) -> str:
    """A weighted sum modulo 17 (a prime): any single wrong digit and any swap of two neighbours changes it;
    the group number takes part, so a group typed in the wrong line fails too."""
    total = 3 * number + sum(weight * int(d, 16) for weight, d in enumerate(digits.upper(), start=1))
    return CHECK_ALPHABET[total % len(CHECK_ALPHABET)]


def key_groups(key: bytes) -> list[KeyGroup]:
    text = key.hex().upper()
    return [KeyGroup(n, text[i : i + GROUP_DIGITS]) for n, i in enumerate(range(0, len(text), GROUP_DIGITS), start=1)]


def key_fingerprint(key: bytes) -> str:
    """A short fingerprint of the whole key (printed on the sheet, shown after a restore)."""
    digest = hashlib.sha256(b"qe-key-fingerprint\x00" + key).hexdigest().upper()
    return f"{digest[:4]}-{digest[4:8]}"


def group_count() -> int:
    return KEY_BYTES * 2 // GROUP_DIGITS


def check_group(number: int, typed: str) -> tuple[KeyGroup | None, Problem | None]:
    """One typed group ("3FA9-K", "3fa9 k", "3FA9K") → the group, or a problem naming it."""
    match = _GROUP.fullmatch(typed.strip())
    if match is None:
        return None, problem("KEY_GROUP_MALFORMED", group=number, text=typed.strip())
    group = KeyGroup(number, match.group(1).upper())
    if group.check != match.group(2).upper():
        return None, problem("KEY_GROUP_MISTYPED", group=number, text=typed.strip())
    return group, None


def key_from_groups(typed: dict[int, str], source: str | None = None) -> tuple[bytes | None, list[Problem]]:
    """The key from its typed groups (group number → text); every mistyped or missing group is named."""
    problems: list[Problem] = []
    digits = []
    for number in range(1, group_count() + 1):
        if number not in typed:
            problems.append(problem("KEY_GROUP_MISSING", file=source, group=number))
            continue
        group, found = check_group(number, typed[number])
        if found is not None:
            problems.append(replace(found, file=source))
        elif group is not None:
            digits.append(group.digits)
    extra = sorted(n for n in typed if not 1 <= n <= group_count())
    if extra:
        problems.append(problem("KEY_GROUP_EXTRA", file=source, groups=extra, expected=group_count()))
    if problems:
        return None, problems
    return bytes.fromhex("".join(digits)), []


_NUMBERED = re.compile(
    r"(?<![0-9A-Za-z])(\d{1,2})\s*[.、．]\s*([0-9A-Za-z]{4}(?:\s*-?\s*[A-Za-z](?![0-9A-Za-z]))?|\S+)"
)
_FINGERPRINT = re.compile(r"密钥指纹[:：]?\s*([0-9A-Fa-f]{4}-[0-9A-Fa-f]{4})")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def groups_in_text(text: str) -> dict[int, str]:
    """The groups written in a backup text: numbered ("1. 3FA9-K  2. 01BC-Q …", as on the sheet), or
    else the bare groups in order on lines without Chinese text."""
    numbered: dict[int, str] = {}
    for line in text.splitlines():
        if _FINGERPRINT.search(line):
            continue
        for match in _NUMBERED.finditer(line):
            numbered.setdefault(int(match.group(1)), match.group(2))
    if numbered:
        return numbered
    tokens = [t for line in text.splitlines() if not _CJK.search(line) for t in line.split()]
    return dict(enumerate(tokens, start=1))


def restore_key_text(text: str, source: str | None = None) -> tuple[bytes | None, list[Problem]]:
    """A key typed back from its sheet; the fingerprint, when given, must match too."""
    key, problems = key_from_groups(groups_in_text(text), source)
    printed = _FINGERPRINT.search(text)
    if key is not None and printed and printed.group(1).upper() != key_fingerprint(key):
        return None, [problem("KEY_FINGERPRINT_MISMATCH", file=source, printed=printed.group(1).upper(),
                              computed=key_fingerprint(key))]  # fmt: skip
    return key, problems


def write_key(path: Path, key: bytes) -> None:
    """Write a key file (restore): never overwrites."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key.hex() + "\n")


def restore_key_file(text: str, path: Path, source: str | None = None) -> tuple[bytes | None, list[Problem]]:
    """Type a key back in from its sheet and write it to `path` (an existing different key is kept)."""
    key, problems = restore_key_text(text, source)
    if key is None:
        return None, problems
    if path.exists():
        existing, _ = read_key(path)
        if existing == key:
            return key, []
        return None, [problem("KEY_EXISTS", file=str(path))]
    write_key(path, key)
    return key, []
