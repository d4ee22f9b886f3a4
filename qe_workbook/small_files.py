"""Reading a small file the user named (a rubric, a key, settings) without hanging or running out of memory."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


def read_small(path: Path, limit: int) -> bytes:
    """At most `limit` + 1 bytes of the regular file at `path` (more than `limit` means too large).

    A FIFO is opened without waiting for a writer and, like a device (/dev/zero reads without end) or a
    socket, refused as an OSError with errno ESPIPE; other failures are the system's own OSError."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OSError(errno.ESPIPE, os.strerror(errno.ESPIPE), str(path))
        return handle.read(limit + 1)
