"""A form saved in a format that is not read is received from its department, not 未收到."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from qe_workbook.pipeline import CollectOptions, run_collect
from qe_workbook.rubric import Rubric

from .forms import KEY, TIE, fill_all, generate


def test_wrong_formats_are_received_with_the_fix(tmp_path: Path, small_rubric: Rubric) -> None:
    filled = fill_all(generate(small_rubric, tmp_path / "forms"), tmp_path / "filled", TIE)
    returned = tmp_path / "returned"
    returned.mkdir()
    names = {"甲局": "甲局评价表.et", "乙局": "乙局评价表.xlsb", "质强办": "质强办评价表.csv"}
    for ev, name in names.items():
        (returned / name).write_bytes(filled[ev].read_bytes())
    report = run_collect(returned, small_rubric, KEY, CollectOptions(tmp_path / "out"))
    codes = [(p.code, p.file) for p in report.problems]
    assert ("FILE_XLS_NAME", "甲局评价表.et") in codes and ("FILE_MACRO_NAME", "乙局评价表.xlsb") in codes
    assert ("FILE_CSV_NAME", "质强办评价表.csv") in codes
    assert not [p for p in report.problems if p.code == "SUBMISSION_MISSING"]
    rejected = {p.params["evaluator"]: p.params["files"] for p in report.problems if p.code == "SUBMISSION_REJECTED"}
    assert rejected == {ev: [name] for ev, name in names.items()}
    sheet = openpyxl.load_workbook(report.folder / "master.xlsx")["报送情况"]
    shown = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "未收到" not in shown and "请催收" not in shown
    assert any("另存为” .xlsx" in text for text in shown) and any("CSV 文本格式" in text for text in shown)
