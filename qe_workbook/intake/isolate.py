"""Running the value reader in a child process with a memory cap and a time limit.

python-calamine allocates a grid as large as a sheet's cells reach, and when that allocation
fails it aborts the whole process. The checks before it bound what a sheet may claim; this is
the second line of defence: the reader runs in a child process whose address space is capped
(where the system allows it), so a file that slips past the checks costs that child, never the run.
The child is forked where fork exists; elsewhere (Windows) it is a freshly started Python
(`python -m qe_workbook.intake.isolate`) that receives the work on stdin and answers on stdout.
"""

from __future__ import annotations

import faulthandler
import os
import pickle
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

T = TypeVar("T")


READER_ERROR = "读取程序无法解析该文件的工作表"


class ReaderFailed(Exception):
    """The reader raised, died (e.g. out of memory) or ran out of time; the text says which."""


DEFAULT_START = "fork" if hasattr(os, "fork") else "spawn"


def run_isolated(fn: Callable[[], T], *, memory_bytes: int, seconds: float, start: str = DEFAULT_START) -> T:
    """fn() computed in a child process (forked, or spawned: then fn must pickle); its failures come
    back as ReaderFailed."""
    if start == "spawn":
        return _run_spawned(fn, memory_bytes, seconds)
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
        raise ReaderFailed(_timed_out(seconds))
    return _answer(payload, _how_it_ended(status))


def _run_spawned(fn: Callable[[], T], memory_bytes: int, seconds: float) -> T:
    child = subprocess.Popen(
        [sys.executable, "-m", __name__],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        payload, _ = child.communicate(pickle.dumps((fn, memory_bytes)), timeout=seconds)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise ReaderFailed(_timed_out(seconds)) from None
    except BaseException:  # this process is being stopped: the child goes too
        child.kill()
        child.wait()
        raise
    return _answer(payload, _return_code(child.returncode))


def _timed_out(seconds: float) -> str:
    return f"读取超过 {seconds:g} 秒仍未完成，已中止"


def _answer(payload: bytes, how_it_ended: str) -> Any:
    if not payload:
        raise ReaderFailed(f"读取程序异常终止（{how_it_ended}），工作表可能过大或文件被篡改")
    ok, value = pickle.loads(payload)
    if not ok:
        raise ReaderFailed(value)
    return value


def _serve() -> None:
    """The spawned child: read (fn, memory cap) from stdin, answer (ok, value) on stdout."""
    fn, memory_bytes = pickle.loads(sys.stdin.buffer.read())
    faulthandler.disable()
    _cap_memory(memory_bytes)
    try:
        result: tuple[bool, object] = (True, fn())
    except Exception:
        result = (False, READER_ERROR)
    sys.stdout.buffer.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()


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
    try:
        import resource
    except ImportError:  # Windows: no address-space limit; a crash still costs only the child
        return
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
    return _return_code(-os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status))


def _return_code(code: int) -> str:
    """A child's end as subprocess reports it (negative: killed by that signal)."""
    if code < 0:
        try:
            return f"信号 {signal.Signals(-code).name}"
        except ValueError:
            return f"信号 {-code}"
    return f"退出码 {code}"


if __name__ == "__main__":
    _serve()
