"""Work on several cores: in this process below a measured size, above it on one pool of spawned processes.

The workers are spawned, never forked: each is a fresh Python that imports what its job needs (as on Windows,
where there is no fork), so a pool may be started from any thread — the page runs its jobs in threads, and a
fork copies only the calling thread, with whatever locks the others held. All a job takes and gives pickles.
The workers ignore Ctrl-C: it is this process's to handle; leaving the pool (interrupted, failed or done)
cancels the jobs not yet started and waits for those running.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
M = TypeVar("M")

MAX_WORKERS = 4


def spawn_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of `workers` spawned processes."""
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=_ignore_ctrl_c)


def workers_for(size: int, least: int) -> int:
    """How many worker processes a job of `size` gets: none below `least` (starting them costs more than they
    save), else one per core but the one this process keeps busy meanwhile, at least one, up to MAX_WORKERS."""
    return 0 if size < least else max(1, min((os.cpu_count() or 1) - 1, MAX_WORKERS))


def alongside(jobs: Sequence[Callable[[], list[T]]], meanwhile: Callable[[], M], *, workers: int) -> tuple[M, list[T]]:
    """`meanwhile()` in this process while `jobs` run on `workers` spawned processes (with fewer than one, all of
    them here in turn); what meanwhile returned, and the jobs' lists joined in the jobs' order."""
    if workers < 1 or not jobs:
        here = meanwhile()
        return here, [x for job in jobs for x in job()]
    with spawn_pool(min(workers, len(jobs))) as pool:
        pending = [pool.submit(job) for job in jobs]
        try:
            here = meanwhile()
            return here, [x for future in pending for x in future.result()]
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise


def _ignore_ctrl_c() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
