"""The feedback letters of a run, written on several cores when there are many.

Each letter is independent of the others: with enough of them, worker processes (forked where fork
exists, spawned elsewhere: all they receive pickles) each write a share, and the files are the same as
written one after another here; this process meanwhile writes the run's other documents. The workers
ignore Ctrl-C: it is this process's to handle, and leaving the pool (interrupted, failed or done) ends
them at once (`Pool.terminate`).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..intake.isolate import DEFAULT_START
from ..rubric import Rubric
from ..scoring.score import Results
from .feedback_docx import Followed, write_feedback

if TYPE_CHECKING:
    from ..feedback.fed_back import FedBack
    from ..scoring.self_scores import Comparison

# With fewer letters a process each, starting the processes costs more than it saves: a letter takes some 20 ms,
# a forked worker starts at once, a spawned one first imports the libraries (about a second of processor time).
LETTERS_PER_WORKER = {"fork": 12, "spawn": 64}
MAX_WORKERS = 4


@dataclass(frozen=True)
class Letter:
    """One unit's letter: where it goes and the notes that follow its result."""

    path: Path
    unit: str
    notes: tuple[str, ...] = ()
    told: Mapping[str, FedBack] | None = None  # what the unit is told about each item (default: the 原文)
    followed: Followed | None = None  # last year's problems and their rectification


def write_letters(
    letters: Sequence[Letter],
    rubric: Rubric,
    results: Results,
    issued: date,
    stage: str,
    self_scores: Comparison | None = None,
    *,
    workers: int | None = None,
    start: str = DEFAULT_START,
    meanwhile: Callable[[], list[Path]] = list,
) -> list[Path]:
    """Write the letters (by default on up to MAX_WORKERS cores when there are enough); their paths in order,
    then those of `meanwhile`: the run's other documents, written here while the workers write the letters."""
    if workers is None:
        workers = min(
            os.cpu_count() or 1, MAX_WORKERS, len(letters) // LETTERS_PER_WORKER.get(start, LETTERS_PER_WORKER["spawn"])
        )
    if workers < 2:
        return write_share(letters, rubric, results, issued, stage, self_scores) + meanwhile()
    shares = [list(letters[n::workers]) for n in range(workers)]
    with multiprocessing.get_context(start).Pool(workers, initializer=_leave_ctrl_c_to_parent) as pool:
        pending = pool.starmap_async(
            write_share, [(share, rubric, results, issued, stage, self_scores) for share in shares], chunksize=1
        )
        others = meanwhile()
        pending.get()
    return [letter.path for letter in letters] + others


def write_share(
    letters: Sequence[Letter],
    rubric: Rubric,
    results: Results,
    issued: date,
    stage: str,
    self_scores: Comparison | None = None,
) -> list[Path]:
    """Letters written one after another in this process."""
    units = {u.unit: u for u in results.units}
    return [
        write_feedback(x.path, rubric, results, units[x.unit], issued, stage, x.notes, x.told, x.followed, self_scores)
        for x in letters
    ]


def _leave_ctrl_c_to_parent() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
