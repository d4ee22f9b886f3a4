"""Runs that cannot corrupt results: interrupted runs leave nothing half-written, reruns agree,
and the returned files are never modified. `qe collect` runs in its own process here."""

from __future__ import annotations

import hashlib
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from qe_workbook.amounts import as_number
from qe_workbook.forms.fill import Answer
from qe_workbook.rubric import Item, Kind, Rubric

from .conftest import ROOT, load_ok
from .forms import KEY, fill_all, generate

RUN_FOLDER = re.compile(r"^\d{8}-\d{6}(-\d+)?$")


@dataclass(frozen=True)
class Inputs:
    returned: Path
    rubric: Path
    key: Path

    def command(self, out: Path) -> list[str]:
        return [sys.executable, "-m", "qe_workbook", "collect", str(self.returned), "--rubric", str(self.rubric),
                "--key", str(self.key), "--out", str(out)]  # fmt: skip

    def digest(self) -> dict[str, str]:
        files = [p for p in sorted(self.returned.rglob("*")) if p.is_file()] + [self.rubric, self.key]
        return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def _full_marks(item: Item) -> Answer:
    return {Kind.SCORE: as_number(item.max), Kind.BONUS: 0, Kind.DEDUCTION: 0, Kind.VETO: "否"}[item.kind], ""


def _answers(rubric: Rubric) -> dict[str, dict[tuple[str, str], Answer]]:
    return {
        ev.name: {
            (unit.name, item.id): _full_marks(item) for unit in rubric.units for item in rubric.items_for(ev.name)
        }
        for ev in rubric.form_evaluators()
    }


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Inputs:
    """The 2022 rubric's 28 forms, filled: a run long enough to be stopped while it writes."""
    folder = tmp_path_factory.mktemp("run-safety")
    rubric = load_ok(ROOT / "rubric.json")
    fill_all(generate(rubric, folder / "forms"), folder / "returned", _answers(rubric))
    (folder / "qe.key").write_text(KEY.hex())
    return Inputs(folder / "returned", ROOT / "rubric.json", folder / "qe.key")


def _stop_while_writing(inputs: Inputs, out: Path, sig: signal.Signals) -> int:
    """Start a run, send `sig` once its temporary run folder exists; the run's exit code."""
    for _ in range(5):  # the writing window is short: try again if the run finished first
        process = subprocess.Popen(inputs.command(out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while process.poll() is None and not _temporary(out):
            time.sleep(0.002)
        if process.poll() is None:
            process.send_signal(sig)
            return process.wait(timeout=60)
        _remove_runs(out)
    pytest.fail("the run always finished before it could be stopped")


def _temporary(out: Path) -> list[Path]:
    return [p for p in out.iterdir() if p.name.startswith(".tmp-")] if out.exists() else []


def _remove_runs(out: Path) -> None:
    for run in out.iterdir():
        for f in run.iterdir():
            f.unlink()
        run.rmdir()


def _complete_runs(out: Path) -> list[Path]:
    """The run folders, after checking that nothing else is there (no temporary folder, no lock)."""
    entries = sorted(out.iterdir())
    assert all(RUN_FOLDER.match(p.name) and p.is_dir() for p in entries), [p.name for p in entries]
    for run in entries:
        assert {"results.json", "problems.json", "audit.json", "master.xlsx"} <= {p.name for p in run.iterdir()}
    return entries


def _run(inputs: Inputs, out: Path) -> Path:
    before = set(out.iterdir()) if out.exists() else set()
    done = subprocess.run(inputs.command(out), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    (new,) = set(out.iterdir()) - before
    return new


def test_terminated_while_writing_leaves_no_trace(tmp_path: Path, inputs: Inputs) -> None:
    out = tmp_path / "results"
    before = inputs.digest()
    assert _stop_while_writing(inputs, out, signal.SIGTERM) == 128 + signal.SIGTERM
    assert _temporary(out) == []  # cleaned up by the stopped run itself
    assert _complete_runs(out) == []
    assert inputs.digest() == before


def test_killed_while_writing_is_swept_by_the_next_run(tmp_path: Path, inputs: Inputs) -> None:
    out = tmp_path / "results"
    before = inputs.digest()
    assert _stop_while_writing(inputs, out, signal.SIGKILL) == -signal.SIGKILL
    assert len(_temporary(out)) == 1  # a killed process cannot clean up after itself
    run = _run(inputs, out)
    assert _temporary(out) == []
    assert _complete_runs(out) == [run]
    assert inputs.digest() == before


def test_two_runs_give_identical_results_in_two_folders(tmp_path: Path, inputs: Inputs) -> None:
    out = tmp_path / "results"
    before = inputs.digest()
    first, second = _run(inputs, out), _run(inputs, out)
    assert first != second and _complete_runs(out) == sorted([first, second])
    assert (first / "results.json").read_bytes() == (second / "results.json").read_bytes()
    assert inputs.digest() == before
