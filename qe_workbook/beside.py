"""Work done in another process while this one goes on (two independent sides of a job on two cores).

The process is forked where fork exists, spawned elsewhere (Windows): then the function, its arguments and
its result pickle. It ignores Ctrl-C (this process handles it) and SIGTERM ends it without running this
process's cleanup (`stop` after a failure here). An exception there is raised again here, with the other
process's traceback as a note.
"""

from __future__ import annotations

import multiprocessing
import pickle
import signal
import traceback
from collections.abc import Callable, Mapping
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

from .intake.isolate import DEFAULT_START

T = TypeVar("T")
START = DEFAULT_START  # how the process starts unless a caller says (the spawn fallback is tested through this)


class Beside(Generic[T]):
    """fn(*args, **kwargs) computed in another process; `result()` waits for it, `stop()` ends it if running."""

    def __init__(
        self,
        fn: Callable[..., T],
        args: tuple[Any, ...],
        kwargs: Mapping[str, Any] | None = None,
        *,
        start: str | None = None,
    ) -> None:
        context = multiprocessing.get_context(start or START)
        self._answers, sender = context.Pipe(duplex=False)
        self._process = context.Process(target=_answer, args=(sender, fn, args, dict(kwargs or {})))  # type: ignore[attr-defined]
        self._process.start()
        sender.close()
        self._value: tuple[T] | None = None

    def result(self) -> T:
        """What fn returned (waiting for it); what it raised is raised here."""
        if self._value is None:
            try:
                ok, value = self._answers.recv()
            except EOFError:
                ok, value = (
                    False,
                    RuntimeError(f"the process ended without an answer (exit code {self._process.exitcode})"),
                )
            self._process.join()
            if not ok:
                raise value
            self._value = (value,)
        return self._value[0]

    def stop(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._answers.close()


def _answer(sender: Connection, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        answer: tuple[bool, Any] = (True, fn(*args, **kwargs))
    except Exception as exc:
        exc.add_note(traceback.format_exc())
        answer = (False, exc)
        try:
            pickle.dumps(exc)
        except Exception:  # an exception that does not pickle comes back as its text
            answer = (False, RuntimeError(traceback.format_exc()))
    sender.send(answer)
    sender.close()
