"""Running the value reader in a child process with a memory cap and a time limit.

python-calamine allocates a grid as large as a sheet's cells reach, and when that allocation
fails it aborts the whole process. The checks before it bound what a sheet may claim; this is
the second line of defence: the reader runs in a child process whose address space is capped
(where the system allows it), so a file that slips past the checks costs that child, never the run.
The child is forked where fork exists and this process runs no other thread; otherwise (Windows, or a
job of the page, which runs in a thread) it is a freshly started Python (`python -m qe_workbook.intake.isolate`)
that receives the work on stdin and answers on stdout: a fork copies only the calling thread, with whatever
locks the others held.
"""

from __future__ import annotations

import contextlib
import faulthandler
import os
import pickle
import queue
import signal
import struct
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import IO, Any, TypeVar

T = TypeVar("T")


READER_ERROR = "读取程序无法解析该文件的工作表"


class ReaderFailed(Exception):
    """The reader raised, died (e.g. out of memory) or ran out of time; the text says which."""


def safe_start() -> str:
    """How a child starts now: "fork" where fork exists and this process runs no other thread, else "spawn"."""
    return "fork" if hasattr(os, "fork") and threading.active_count() == 1 else "spawn"


class Reader:
    """One isolated child that runs many reads in turn (starting a child per file costs more than
    reading a form). A read that fails comes back as ReaderFailed; when the child dies or overruns
    its time, only that read is lost: the next one gets a new child."""

    def __init__(self, *, memory_bytes: int, seconds: float, start: str | None = None) -> None:
        self.memory_bytes, self.seconds, self.start = memory_bytes, seconds, start
        self._child: _Child | None = None

    def run(self, fn: Callable[[], T]) -> T:
        child = self._child or self._launch()
        try:
            child.send(fn)
            payload = child.answers.get(timeout=self.seconds)
        except OSError:  # the child is gone: its end says how
            payload = None
        except queue.Empty:
            self.close()
            raise ReaderFailed(_timed_out(self.seconds)) from None
        except BaseException:  # this process is being stopped: the child goes too
            self.close()
            raise
        if payload is None:
            how = child.end()
            self._child = None
            return _answer(b"", how)
        return _answer(payload, "")

    def close(self) -> None:
        if self._child is not None:
            self._child.end()
            self._child = None

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _launch(self) -> _Child:
        spawned = (self.start or safe_start()) == "spawn"  # decided at each start: the page's jobs run in threads
        self._child = _Child.spawn(self.memory_bytes) if spawned else _Child.fork(self.memory_bytes)
        return self._child


class _Child:
    """A reading child: requests go down one pipe, answers come back up another (read by a thread, so
    that waiting for an answer has a time limit on every system)."""

    def __init__(self, requests: IO[bytes], answers: IO[bytes], wait: Callable[[bool], str]) -> None:
        self.requests, self._wait = requests, wait
        self.answers: queue.Queue[bytes | None] = queue.Queue()
        self._thread = threading.Thread(target=self._collect, args=(answers,), daemon=True)
        self._thread.start()

    @classmethod
    def fork(cls, memory_bytes: int) -> _Child:
        down_read, down_write = os.pipe()
        up_read, up_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns, never runs the parent's cleanup
            os.close(down_write)
            os.close(up_read)
            code = 0
            try:
                faulthandler.disable()  # a crash is reported as a problem, not as a backtrace on the console
                os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
                with os.fdopen(down_read, "rb") as inp, os.fdopen(up_write, "wb") as out:
                    _serve_many(inp, out, memory_bytes)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        os.close(down_read)
        os.close(up_write)

        def wait(kill: bool) -> str:
            if kill:
                os.kill(pid, signal.SIGKILL)
            return _how_it_ended(os.waitpid(pid, 0)[1])

        return cls(os.fdopen(down_write, "wb"), os.fdopen(up_read, "rb"), wait)

    @classmethod
    def spawn(cls, memory_bytes: int) -> _Child:
        child = subprocess.Popen(
            [sys.executable, "-m", __name__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert child.stdin is not None and child.stdout is not None

        def wait(kill: bool) -> str:
            if kill:
                child.kill()
            return _return_code(child.wait())

        made = cls(child.stdin, child.stdout, wait)
        made.send(memory_bytes)
        return made

    def send(self, request: object) -> None:
        _write_frame(self.requests, pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL))

    def end(self) -> str:
        """Stop the child (it ends once its requests close; killed when still busy) and say how it ended."""
        with contextlib.suppress(OSError):  # a dead child's pipe may fail to flush
            self.requests.close()
        self._thread.join(timeout=1)
        how = self._wait(self._thread.is_alive())
        self._thread.join()
        return how

    def _collect(self, answers: IO[bytes]) -> None:
        with answers:
            while (frame := _read_frame(answers)) is not None:
                self.answers.put(frame)
        self.answers.put(None)


_FRAME = struct.Struct("<Q")


def _write_frame(out: IO[bytes], data: bytes) -> None:
    out.write(_FRAME.pack(len(data)))
    out.write(data)
    out.flush()


def _read_frame(inp: IO[bytes]) -> bytes | None:
    head = inp.read(_FRAME.size)
    if len(head) < _FRAME.size:
        return None
    body = inp.read(_FRAME.unpack(head)[0])
    return body if len(body) == _FRAME.unpack(head)[0] else None


def _serve_many(inp: IO[bytes], out: IO[bytes], memory_bytes: int) -> None:
    """The reading child's loop: a function per request, (ok, value) per answer, until the requests end."""
    _cap_memory(memory_bytes)
    while (request := _read_frame(inp)) is not None:
        fn = pickle.loads(request)
        try:
            result: tuple[bool, object] = (True, fn())
        except Exception:
            result = (False, READER_ERROR)
        _write_frame(out, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))


def _timed_out(seconds: float) -> str:
    return f"读取超过 {seconds:g} 秒仍未完成，已中止"


def _answer(payload: bytes, how_it_ended: str) -> Any:
    if not payload:
        raise ReaderFailed(f"读取程序异常终止（{how_it_ended}），工作表可能过大或文件被篡改")
    ok, value = pickle.loads(payload)
    if not ok:
        raise ReaderFailed(value)
    return value


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


if __name__ == "__main__":  # a Reader's spawned child: the memory cap comes first, then the requests
    faulthandler.disable()
    first = _read_frame(sys.stdin.buffer)
    if first is not None:
        _serve_many(sys.stdin.buffer, sys.stdout.buffer, pickle.loads(first))
