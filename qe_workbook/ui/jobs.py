"""Long jobs (generating forms, collecting) in a background thread, one at a time, with their progress.

Threads, not processes. Nothing forks from these threads: the value reader's child and any document
workers of a job are spawned there (fresh processes, as on Windows, where there is no fork)."""

from __future__ import annotations

import secrets
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol


class Progress(Protocol):
    """What a job's work calls: one more step done (named), or, with `total`, how many steps there are once it
    is known (a mailbox tells how many new messages it holds only after logging in)."""

    def __call__(self, name: str, total: int | None = None) -> None: ...


@dataclass
class Job:
    id: str
    label: str  # what runs, in Chinese
    total: int
    then: str  # the page to show when done
    done: int = 0
    current: str = ""
    finished: bool = False
    failed: bool = False
    messages: list[tuple[str, str]] = field(default_factory=list)  # (severity, text) to show when done

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "total": self.total, "done": self.done, "current": self.current,
                "finished": self.finished, "failed": self.failed, "messages": self.messages, "then": self.then}  # fmt: skip


class Jobs:
    """The jobs of one server; `start` refuses while another job is running."""

    def __init__(self, error_log: Path | None = None) -> None:
        self._lock = threading.Lock()
        self._jobs: dict[str, Job] = {}
        self._error_log = error_log

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def running(self) -> Job | None:
        with self._lock:
            return next((j for j in self._jobs.values() if not j.finished), None)

    def start(self, label: str, total: int, then: str, work: Callable[[Progress], list[tuple[str, str]]]) -> Job | None:
        """Run `work(progress)` in a thread; it returns the (severity, text) lines to show when done. None: busy."""
        with self._lock:
            if any(not j.finished for j in self._jobs.values()):
                return None
            job = Job(secrets.token_urlsafe(8), label, total, then)
            self._jobs[job.id] = job

        def progress(name: str, total: int | None = None) -> None:
            with self._lock:
                if total is not None:
                    job.total, job.current = total, name
                else:
                    job.done, job.current = job.done + 1, name

        def run() -> None:
            try:
                lines = work(progress)
                failed = False
            except Exception:  # a defect of this program: said so, with the trace kept for support
                lines, failed = (
                    [("error", "程序内部错误，操作未完成。请把工作区中的 界面错误.log 发给技术支持。")],
                    True,
                )
                if self._error_log is not None:
                    with self._error_log.open("a", encoding="utf-8") as fh:
                        fh.write(traceback.format_exc() + "\n")
            with self._lock:
                job.messages, job.failed, job.finished = lines, failed, True

        threading.Thread(target=run, name=f"qe-ui-{label}", daemon=True).start()
        return job
