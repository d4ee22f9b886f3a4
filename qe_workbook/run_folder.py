"""A new, complete run folder every time: written aside, then renamed into place.

An interrupted run leaves no half-written run folder: the work happens in a hidden
`.tmp-<stamp>-<pid>` folder that is removed on error or termination, and any such folder left
by a killed process is swept by the next run. Earlier runs are never touched.
"""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from types import FrameType

TMP_PREFIX = ".tmp-"
RUN_MARKER = "qe_workbook-结果文件夹.txt"  # in every collect run folder: `qe collect` never reads a folder holding it
MARKER_TEXT = "本文件夹由 qe_workbook 生成（汇总结果、报告或演示）。qe collect 遇到含有本文件的文件夹时整个跳过，不把其中的文件当作回收的评价表。\n"


def _pid_alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill(pid, 0) would terminate the process there
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _windows_pid_alive(pid: int) -> bool:
    import ctypes

    synchronize = 0x00100000
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(synchronize, False, pid)
    if not handle:
        return bool(kernel32.GetLastError() == 5)  # access denied: the process exists
    kernel32.CloseHandle(handle)
    return True


def write_marker(folder: Path) -> Path:
    """Mark a folder as this tool's output, so that collecting a folder around it skips it."""
    marker = folder / RUN_MARKER
    marker.write_text(MARKER_TEXT, encoding="utf-8")
    return marker


def sweep_stale(parent: Path) -> list[Path]:
    """Remove temporary folders whose writing process is gone."""
    removed = []
    for path in parent.glob(f"{TMP_PREFIX}*"):
        pid = path.name.rsplit("-", 1)[-1]
        if path.is_dir() and pid.isdigit() and not _pid_alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def time_stamp(now: datetime | None = None) -> str:
    """A folder name from the time: 20230501-093000."""
    return (now or datetime.now()).strftime("%Y%m%d-%H%M%S")


def new_stamped_folder(parent: Path, now: datetime | None = None) -> Path:
    """A new, empty folder parent/<time stamp> (made at once, not written aside)."""
    folder = free_name(parent, time_stamp(now))
    folder.mkdir(parents=True)
    return folder


def free_name(parent: Path, stamp: str) -> Path:
    """parent/stamp, or parent/stamp-2, -3, … when taken."""
    candidate = parent / stamp
    n = 2
    while candidate.exists():
        candidate = parent / f"{stamp}-{n}"
        n += 1
    return candidate


@contextmanager
def _terminate_as_exit() -> Iterator[None]:
    """Turn SIGTERM into SystemExit for the duration, so cleanup code runs."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    try:
        previous: Callable[[int, FrameType | None], object] | int | None = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not in the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def new_run_folder(parent: Path, now: datetime | None = None) -> Iterator[tuple[Path, Callable[[], Path]]]:
    """Yield (temporary folder, finish); `finish()` renames it to its final timestamped name."""
    parent.mkdir(parents=True, exist_ok=True)
    sweep_stale(parent)
    stamp = time_stamp(now)
    tmp = parent / f"{TMP_PREFIX}{stamp}-{os.getpid()}"
    final: list[Path] = []

    def finish() -> Path:
        target = free_name(parent, stamp)
        os.rename(tmp, target)
        final.append(target)
        return target

    with _terminate_as_exit():  # before the folder exists: a stop at any moment after it cleans up
        try:
            tmp.mkdir()
            yield tmp, finish
        finally:
            if not final:
                shutil.rmtree(tmp, ignore_errors=True)


def free_file(path: Path) -> Path:
    """`path`, or name-2, name-3 … beside it when taken (nothing is overwritten)."""
    candidate, n = path, 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate
