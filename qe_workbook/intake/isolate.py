"""Running the value reader in a child process with a memory cap and a time limit.

python-calamine allocates a grid as large as a sheet's cells reach, and when that allocation
fails it aborts the whole process. The checks before it bound what a sheet may claim; this is
the second line of defence: the reader runs in a forked child whose address space is capped, so
a file that slips past the checks costs that child, never the run. Where there is no fork
(Windows) the reader runs in-process behind the checks alone.
"""

from __future__ import annotations

import faulthandler
import os
import pickle
import select
import signal
import time
from collections.abc import Callable
from typing import NoReturn, TypeVar

T = TypeVar("T")


READER_ERROR = "读取程序无法解析该文件的工作表"


class ReaderFailed(Exception):
    """The reader raised, died (e.g. out of memory) or ran out of time; the text says which."""


def run_isolated(fn: Callable[[], T], *, memory_bytes: int, seconds: float) -> T:
    """fn() computed in a child process; its exceptions come back as ReaderFailed."""
    if not hasattr(os, "fork"):
        try:
            return fn()
        except Exception as exc:
            raise ReaderFailed(READER_ERROR) from exc
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns, never runs the parent's cleanup
        os.close(read_fd)
        _child(fn, write_fd, memory_bytes)
    os.close(write_fd)
    payload: bytes | None = None
    try:
        payload = _read_all(read_fd, time.monotonic() + seconds)
    finally:
        os.close(read_fd)
        if payload is None:  # out of time, or this process is being stopped: the child goes too
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    if payload is None:
        raise ReaderFailed(f"读取超过 {seconds:g} 秒仍未完成，已中止")
    if not payload:
        raise ReaderFailed(f"读取程序异常终止（{_how_it_ended(status)}），工作表可能过大或文件被篡改")
    ok, value = pickle.loads(payload)
    if not ok:
        raise ReaderFailed(value)
    return value


def _child(fn: Callable[[], object], write_fd: int, memory_bytes: int) -> NoReturn:
    code = 0
    try:
        faulthandler.disable()  # a crash is reported as a problem, not as a backtrace on the console
        os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
        _cap_memory(memory_bytes)
        try:
            result: tuple[bool, object] = (True, fn())
        except Exception:
            result = (False, READER_ERROR)
        with os.fdopen(write_fd, "wb") as out:
            out.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _cap_memory(extra: int) -> None:
    """Limit the child's address space to what it uses now plus `extra` bytes (Linux)."""
    import resource

    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            used = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return  # cannot measure here: the child still keeps a crash away from the run
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = used + extra if hard == resource.RLIM_INFINITY else min(hard, used + extra)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _read_all(fd: int, deadline: float) -> bytes | None:
    """Everything the child writes, or None when the deadline passes first."""
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return None
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _how_it_ended(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"信号 {signal.Signals(os.WTERMSIG(status)).name}"
    return f"退出码 {os.WEXITSTATUS(status)}"
