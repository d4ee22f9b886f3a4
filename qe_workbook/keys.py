"""The office's secret signing key: a file holding 32 random bytes as 64 hex digits.

Lines starting with '#' are comments (the practice key in samples/ says so in its first line).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from .problems import Problem, make_problem, os_error_text

KEY_BYTES = 32
DEFAULT_KEY_PATH = Path("out") / "qe.key"


def create_key(path: Path) -> bytes:
    """Write a new key; never overwrites (losing a key would invalidate every form sent out)."""
    key = secrets.token_bytes(KEY_BYTES)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key.hex() + "\n")
    return key


def read_key(path: Path) -> tuple[bytes | None, list[Problem]]:
    src = str(path)
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        text = "".join(line.strip() for line in lines if not line.lstrip().startswith("#"))
    except FileNotFoundError:
        return None, [make_problem("KEY_MISSING", f"密钥文件 {path} 不存在", file=src)]
    except OSError as exc:
        return None, [make_problem("KEY_MISSING", f"无法读取密钥文件 {path}：{os_error_text(exc)}", file=src)]
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        return None, [make_problem("KEY_INVALID", f"密钥文件 {path} 的内容不是 64 位十六进制字符串", file=src)]
    return key, []
