"""Writing that fails for want of room or right: a full disk, a file-size limit (`ulimit -f`), a read-only or
forbidden place. Such a failure is recognised under whatever a library wraps it in (xlsxwriter's
FileCreateError, lxml's SerialisationError "IO_EFBIG"), and what the command had begun to write at its output
place is removed, so that nothing half-written is left."""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

WRITE_FAULTS = frozenset({errno.ENOSPC, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM, errno.EDQUOT})
_LXML_NAMES = {f"IO_{errno.errorcode[code]}": code for code in WRITE_FAULTS}  # libxml2's names of the same faults


class OutputUnwritable(Exception):
    """Writing at `place` (the command's output place, if it has one) failed with `fault`."""

    def __init__(self, place: Path | None, fault: OSError) -> None:
        super().__init__(place, fault)
        self.place = place
        self.fault = fault


def write_fault(exc: BaseException, place: Path | None = None) -> OSError | None:
    """The full-disk, size-limit or permission error behind `exc` (itself, what it wraps, or what it was raised
    from or during), or any system error naming a path at `place` (a folder on the way missing); None when
    `exc` is something else."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and (
            current.errno in WRITE_FAULTS or (place is not None and _within(current.filename, place))
        ):
            return current
        code = _LXML_NAMES.get(str(current).partition(":")[0].strip())
        if code is not None:
            return OSError(code, os.strerror(code))
        wrapped = current.args[0] if current.args and isinstance(current.args[0], BaseException) else None
        current = wrapped or current.__cause__ or current.__context__
    return None


@contextmanager
def output_guard(place: Path | None) -> Iterator[None]:
    """Run a command writing at `place` (a folder or a file); on a write fault, remove what was not there
    before (the place itself if it is new, else the new entries of the folder) and raise `OutputUnwritable`."""
    existed = place is not None and os.path.lexists(place)
    before = set(os.listdir(place)) if place is not None and existed and place.is_dir() else set()
    try:
        yield
    except OutputUnwritable:
        raise
    except Exception as exc:
        fault = write_fault(exc, place)
        if fault is None or (place is not None and fault.filename and not _within(fault.filename, place)):
            raise  # not a write fault, or one at another place (an input that cannot be read): told as it is
        if place is not None:
            _remove_new(place, existed, before)
        raise OutputUnwritable(place, fault) from exc


def _within(name: object, place: Path) -> bool:
    """Whether the path `name` (as an OSError holds it) is `place` or inside it, relative or absolute alike."""
    if not isinstance(name, str | bytes):
        return False
    path, where = Path(os.path.abspath(os.fsdecode(name))), Path(os.path.abspath(place))
    return path == where or where in path.parents


def _remove_new(place: Path, existed: bool, before: set[str]) -> None:
    if not existed:
        _remove(place)
    elif place.is_dir() and not place.is_symlink():
        for name in set(os.listdir(place)) - before:
            _remove(place / name)


def _remove(path: Path) -> None:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif os.path.lexists(path):
            path.unlink()
    except OSError:
        pass  # what cannot be removed stays; the fault is still told
