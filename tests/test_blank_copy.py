"""A blank copy beside the filled form does not block the department."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

from qe_workbook.intake.collect import collect
from qe_workbook.intake.submission import Status
from qe_workbook.rubric import Rubric
from qe_workbook.scoring.score import score

from .forms import KEY, TIE, fill_all, generate

JIA = "2022年度质量工作考核评价表_甲局.xlsx"


def test_a_blank_copy_in_a_subfolder_is_set_aside(tmp_path: Path, small_rubric: Rubric) -> None:
    generated = generate(small_rubric, tmp_path / "forms")
    fill_all(generated, tmp_path / "returned", TIE)
    (tmp_path / "returned" / "原件").mkdir()
    shutil.copyfile(tmp_path / "forms" / JIA, tmp_path / "returned" / "原件" / JIA)
    collected = collect(tmp_path / "returned", small_rubric, KEY)
    assert {s.file: s.status for s in collected.submissions}[f"原件/{JIA}"] == Status.DUPLICATE
    (note,) = collected.problems
    assert note.code == "SUBMISSION_BLANK_COPY" and note.severity == "info"
    assert note.message.startswith(
        f"原件/{JIA} 是甲局评价表的空白副本（没有填写任何得分、说明或日期），已采用填好的 {JIA}"
    )
    totals = [u.total for u in score(collected.frame, small_rubric).units]
    assert totals == [Decimal("90.5"), Decimal("90.5"), Decimal(98)]


def test_a_blank_form_alone_is_still_reported(tmp_path: Path, small_rubric: Rubric) -> None:
    generate(small_rubric, tmp_path / "returned")
    collected = collect(tmp_path / "returned", small_rubric, KEY)
    assert not [p for p in collected.problems if p.code == "SUBMISSION_BLANK_COPY"]
    assert any(p.code == "VALUE_EMPTY" for p in collected.problems)
