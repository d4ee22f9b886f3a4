"""Programming errors kept apart from bad input.

An exception that no check turned into a problem is a defect of this program, not of the file
being read: it is reported as INTERNAL_ERROR naming what was being processed, and its traceback
is kept for `error.log` in the run folder, so the office can pass it on instead of asking a
department to resend a good file. The run goes on with the next file. A full disk, a file-size limit or a
forbidden place while writing is no defect: it goes on up, to be told as one line (`write_faults`).
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from pathlib import Path

from .problems import Problem, problem
from .write_faults import write_fault

ERROR_LOG = "error.log"


@dataclass
class ErrorLog:
    entries: list[str] = field(default_factory=list)

    def internal(self, target: str, exc: BaseException, *, file: str | None = None) -> Problem:
        """Keep the traceback of `exc`, raised while processing `target`, and return the problem that says so;
        a write fault is raised again."""
        if write_fault(exc) is not None:
            raise exc
        self.entries.append(f"== {target}\n{''.join(traceback.format_exception(exc))}")
        return problem("INTERNAL_ERROR", file=file, target=target, error=type(exc).__name__)

    def write(self, folder: Path) -> Path | None:
        """Write error.log into `folder` when anything was recorded."""
        if not self.entries:
            return None
        path = folder / ERROR_LOG
        path.write_text("\n".join(self.entries), encoding="utf-8")
        return path
