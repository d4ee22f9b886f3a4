"""A defect of the program is not bad input: it is reported as INTERNAL_ERROR naming the file,
its traceback goes to error.log in the run folder, and the run goes on."""

from __future__ import annotations

from pathlib import Path

import pytest

from qe_workbook.documents import reports
from qe_workbook.documents.reports import FEEDBACK_DIR
from qe_workbook.errorlog import ERROR_LOG
from qe_workbook.intake import collect, read_form
from qe_workbook.intake.standing import Standing, department_standings
from qe_workbook.intake.submission import Status
from qe_workbook.pipeline import CollectOptions, run_collect
from qe_workbook.record.reports_again import report_run
from qe_workbook.rubric import Rubric

from .forms import KEY, TIE, fill_all, generate


def _boom(*_args: object, **_kwargs: object) -> None:
    raise TypeError("an injected defect")


def _returned(tmp_path: Path, rubric: Rubric) -> dict[str, Path]:
    return fill_all(generate(rubric, tmp_path / "forms"), tmp_path / "returned", TIE)


@pytest.mark.parametrize(
    ("module", "name"),
    [
        (collect, "read_values"),  # after the file was found authentic
        (read_form, "scan_sheet"),  # the parent-side XML scan, before the isolated reader
    ],
)
def test_a_defect_in_the_read_path_is_an_internal_error_with_a_trace(
    tmp_path: Path, small_rubric: Rubric, monkeypatch: pytest.MonkeyPatch, module: object, name: str
) -> None:
    files = _returned(tmp_path, small_rubric)
    monkeypatch.setattr(module, name, _boom)
    run = run_collect(tmp_path / "returned", small_rubric, KEY, CollectOptions(tmp_path / "runs"))
    internal = [p for p in run.problems if p.code == "INTERNAL_ERROR"]
    assert sorted(p.file for p in internal) == sorted(f.name for f in files.values())
    assert not any(p.code.startswith("FILE_") for p in run.problems)  # nobody is asked to resend a good file
    first = internal[0]
    assert first.params == {"target": first.file, "error": "TypeError"}
    assert first.message.startswith(f"处理 {first.file} 时发生程序内部错误（TypeError）")
    assert all(s.status == Status.FAULTED and not s.entries for s in run.collected.submissions)
    standings = department_standings([ev.name for ev in small_rubric.form_evaluators()], run.collected.submissions)
    assert set(standings.values()) == {Standing.FAULTED}  # a defect of the program: no department is chased
    assert not Standing.FAULTED.chased
    log = (run.folder / ERROR_LOG).read_text(encoding="utf-8")
    assert log.count("TypeError: an injected defect") == len(files)
    assert all(f"== {f.name}" in log for f in files.values())
    assert "in _boom" in log  # the trace leads to the defect
    assert (run.folder / "results.json").exists()  # the run went on and wrote its results


def test_a_clean_run_writes_no_error_log(tmp_path: Path, small_rubric: Rubric) -> None:
    _returned(tmp_path, small_rubric)
    run = run_collect(tmp_path / "returned", small_rubric, KEY, CollectOptions(tmp_path / "runs"))
    assert not (run.folder / ERROR_LOG).exists()


def test_a_defect_while_writing_reports_keeps_only_the_trace(
    tmp_path: Path, small_rubric: Rubric, monkeypatch: pytest.MonkeyPatch
) -> None:
    _returned(tmp_path, small_rubric)
    run = run_collect(tmp_path / "returned", small_rubric, KEY, CollectOptions(tmp_path / "runs"))
    monkeypatch.setattr(reports, "write_notice", _boom)
    written, problems = report_run(run.folder, small_rubric, tmp_path / "again")
    assert [(p.code, p.params["error"]) for p in problems] == [("INTERNAL_ERROR", "TypeError")]
    (folder,) = (tmp_path / "again").iterdir()
    assert written == [folder / ERROR_LOG]
    assert not (folder / FEEDBACK_DIR).exists()  # no half-written set of reports
    assert "TypeError: an injected defect" in (folder / ERROR_LOG).read_text(encoding="utf-8")
