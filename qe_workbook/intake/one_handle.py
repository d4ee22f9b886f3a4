"""Reading a returned file through one handle, so that what was checked is what is read.

Discovery looks at the folder before anything is read; a file swapped for a link or a pipe in between
must not be followed or waited on. The file is opened once, without following a link (where the system
can refuse that) and without blocking (a pipe with no writer), checked through the open handle to be a
regular file and the very file looked at, and read from that handle: the bytes hashed are the bytes parsed.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


class NotRegular(Exception):
    """The path is, or became, a link or something other than a regular file: its problem code says which."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def read_regular(path: Path, max_bytes: int) -> tuple[bytes | None, int]:
    """The file's bytes and size; None for the bytes when it holds more than `max_bytes` (never loaded)."""
    looked = os.lstat(path)
    if stat.S_ISLNK(looked.st_mode):
        raise NotRegular("FILE_SYMLINK")
    try:
        fd = os.open(path, FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # a link put there since the look above
            raise NotRegular("FILE_SYMLINK") from exc
        raise
    with os.fdopen(fd, "rb") as fh:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):
            raise NotRegular("FILE_NOT_REGULAR")
        if not os.path.samestat(looked, opened):  # swapped in between (where links cannot be refused: Windows)
            raise NotRegular("FILE_SYMLINK")
        if opened.st_size > max_bytes:
            return None, opened.st_size
        data = fh.read(max_bytes + 1)
    return (data, len(data)) if len(data) <= max_bytes else (None, len(data))
