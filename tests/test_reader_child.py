"""One isolated child reads every file of a run; a read that crashes, hangs or fails costs only that read:
the reads before it were answered by the same child, the ones after it by a new one."""

from __future__ import annotations

import os
import time
from functools import partial
from pathlib import Path

import pytest

from qe_workbook.intake.collect import collect
from qe_workbook.intake.container import Limits
from qe_workbook.intake.isolate import Reader, ReaderFailed
from qe_workbook.rubric import Rubric

from .badfiles import Sources, far_away_cell
from .forms import KEY, TIE, fill_all, generate


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_a_crash_or_a_hang_costs_only_that_read(start: str) -> None:
    with Reader(memory_bytes=2**30, seconds=5, start=start) as reader:
        first = reader.run(os.getpid)
        assert reader.run(os.getpid) == first != os.getpid()  # the same child, not this process
        with pytest.raises(ReaderFailed, match="SIGABRT"):
            reader.run(os.abort)
        second = reader.run(os.getpid)
        assert second != first
        with pytest.raises(ReaderFailed, match="无法解析"):
            reader.run(partial(divmod, 1, 0))
        assert reader.run(os.getpid) == second  # an error inside the reader does not end its child
        reader.seconds = 0.3
        with pytest.raises(ReaderFailed, match="秒"):
            reader.run(partial(time.sleep, 10))
        reader.seconds = 5
        assert reader.run(os.getpid) not in (first, second)
        assert reader.run(partial(divmod, 7, 2)) == (3, 1)


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_a_file_that_kills_the_reader_costs_only_that_file(tmp_path: Path, small_rubric: Rubric, start: str) -> None:
    """With the extent check opened wide, calamine aborts on a sheet reaching XFD1048576: that file is
    reported, every other file of the run is still read (by a new child)."""
    returned = tmp_path / "returned"
    valid = fill_all(generate(small_rubric, tmp_path / "forms"), returned, TIE)
    sources = Sources(valid["甲局"].read_bytes(), valid["质强办"].read_bytes(), KEY)
    (returned / "0 far away.xlsx").write_bytes(far_away_cell(sources))
    (returned / "zz far away.xlsx").write_bytes(far_away_cell(sources))
    limits = Limits(max_cells=2**62, max_cols=2**30, reader_start=start)
    collected = collect(returned, small_rubric, KEY, limits=limits)
    failed = [p for p in collected.problems if p.code == "FILE_READER_FAILED"]
    assert sorted(p.file for p in failed) == ["0 far away.xlsx", "zz far away.xlsx"]
    assert all("SIGABRT" in p.message for p in failed)
    assert {s.file for s in collected.accepted()} == {p.name for p in valid.values()}
