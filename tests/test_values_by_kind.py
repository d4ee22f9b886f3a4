"""Deduction and veto rows are told in their own words: events are whole numbers ≥ 0, the veto is 是/否."""

from __future__ import annotations

from pathlib import Path

import pytest

from qe_workbook.intake.collect import collect
from qe_workbook.rubric import Rubric

from .forms import KEY, TIE, fill_all, generate, with_changes

SCORE_WORDS = ("0 到满分", "例如 4.5", "不要写“分”")


@pytest.mark.parametrize(
    ("evaluator", "cell_key", "value", "code", "words"),
    [
        (
            "甲局",
            ("东区", "02-1"),
            -1,
            "VALUE_EVENTS_BELOW_ZERO",
            "是扣分项，填的是 -1。请填写发生的事件次数（0 或正整数，例如 0、1、2）",
        ),
        ("甲局", ("东区", "02-1"), "1次", "VALUE_EVENTS_NOT_NUMBER", "是扣分项，填的是“1次”，不是事件次数。"),
        ("甲局", ("东区", "02-1"), "无", "VALUE_EVENTS_NOT_NUMBER", "没有发生就填 0"),
        ("质强办", ("东区", "02-2"), "无", "VALUE_VETO_INVALID", "否决项请只填“是”（发生否决情形）或“否”"),
        ("质强办", ("东区", "02-2"), 0, "VALUE_VETO_INVALID", "不要填分数、次数或“无”"),
    ],
)
def test_deduction_and_veto_rows_get_their_own_wording(
    tmp_path: Path, small_rubric: Rubric, evaluator: str, cell_key: tuple[str, str], value: object, code: str,
    words: str,
) -> None:  # fmt: skip
    answers = with_changes(TIE, evaluator, {cell_key: (value, "说明")})
    fill_all(generate(small_rubric, tmp_path / "forms"), tmp_path / "returned", answers)
    collected = collect(tmp_path / "returned", small_rubric, KEY)
    (hit,) = [p for p in collected.problems if p.severity == "error"]
    assert hit.code == code and words in hit.message, hit.message
    assert not any(w in hit.message for w in SCORE_WORDS), hit.message
