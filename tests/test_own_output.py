"""The tool never reads its own output back: run folders carry a marker and are skipped."""

from __future__ import annotations

from pathlib import Path

from qe_workbook.pipeline import CollectOptions, run_collect
from qe_workbook.rubric import Rubric
from qe_workbook.run_folder import RUN_MARKER

from .forms import KEY, TIE, fill_all, generate


def test_collecting_a_folder_twice_with_the_results_inside_it(tmp_path: Path, small_rubric: Rubric) -> None:
    returned = tmp_path / "回收"
    fill_all(generate(small_rubric, tmp_path / "forms"), returned, TIE)
    first = run_collect(returned, small_rubric, KEY, CollectOptions(returned / "结果"))
    second = run_collect(returned, small_rubric, KEY, CollectOptions(returned / "结果"))
    assert (first.folder / RUN_MARKER).is_file()
    for report in (first, second):
        assert not [p for p in report.problems if p.code.startswith(("FILE_", "FORM_"))], report.problems
        assert [p.code for p in report.problems if p.severity != "info"] == ["OUTPUT_INSIDE_RETURNED"]
        assert [u.total for u in report.results.by_rank()] == [98, 90.5, 90.5]
    skipped = [p.file for p in second.problems if p.code == "RUN_FOLDER_SKIPPED"]
    assert skipped == [str(Path("结果") / first.folder.name)]
    elsewhere = run_collect(returned, small_rubric, KEY, CollectOptions(tmp_path / "结果"))
    assert not [p for p in elsewhere.problems if p.code == "OUTPUT_INSIDE_RETURNED"]
