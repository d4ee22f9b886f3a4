"""The smaller things a clerk meets: an inserted row, ~$ names, full-width brackets, an impossible fill date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from qe_workbook.forms.layout import FIRST_DATA_ROW, FORM_SHEET
from qe_workbook.intake.collect import collect
from qe_workbook.intake.submission import Status
from qe_workbook.rubric import Rubric

from .badfiles import edit
from .forms import KEY, TIE, fill_all, generate

JIA = "2022年度质量工作考核评价表_甲局.xlsx"


def returned(tmp_path: Path, rubric: Rubric, fill_date: date | None = None) -> Path:
    if fill_date is None:
        fill_all(generate(rubric, tmp_path / "forms"), tmp_path / "returned", TIE)
    else:
        fill_all(generate(rubric, tmp_path / "forms"), tmp_path / "returned", TIE, fill_date=fill_date)
    return tmp_path / "returned"


def test_an_inserted_row_is_counted_with_the_blank_row(tmp_path: Path, small_rubric: Rubric) -> None:
    folder = returned(tmp_path, small_rubric)
    form = folder / JIA
    form.write_bytes(edit(form.read_bytes(), lambda wb: wb[FORM_SHEET].insert_rows(FIRST_DATA_ROW + 1 + 4)))
    (hit,) = [p for p in collect(folder, small_rubric, KEY).problems if p.code == "FORM_ROWS_CHANGED"]
    assert "第 9 行应为“01-2”，实际为“空行”（表格共 10 行，应为 9 行" in hit.message, hit.message


def test_tilde_dollar_is_decided_by_content(tmp_path: Path, small_rubric: Rubric) -> None:
    folder = returned(tmp_path, small_rubric)
    (folder / JIA).rename(folder / f"~${JIA}")
    (folder / "~$乙局评价表.xlsx").write_bytes(b"\x06" + "张三".encode("utf-16-le") + b"\x00" * 150)
    collected = collect(folder, small_rubric, KEY)
    assert {s.file: s.status for s in collected.submissions}[f"~${JIA}"] == Status.ACCEPTED
    codes = {(p.file, p.code) for p in collected.problems}
    assert (f"~${JIA}", "FILE_NAME_ODD") in codes and ("~$乙局评价表.xlsx", "FILE_LOCK") in codes


def test_full_width_brackets_are_ordinary(tmp_path: Path, small_rubric: Rubric) -> None:
    folder = returned(tmp_path, small_rubric)
    (folder / JIA).rename(folder / "市甲局（更正）【终稿】.xlsx")
    (folder / "2022年度质量工作考核评价表_乙局.xlsx").rename(folder / "乙局（ＦＩＮＡＬ）.xlsx")
    odd = {p.file: p.message for p in collect(folder, small_rubric, KEY).problems if p.code == "FILE_NAME_ODD"}
    assert list(odd) == ["乙局（ＦＩＮＡＬ）.xlsx"] and "含全角字母或数字" in odd["乙局（ＦＩＮＡＬ）.xlsx"]


def test_a_fill_date_before_the_form_was_made_is_pointed_at(tmp_path: Path, small_rubric: Rubric) -> None:
    folder = returned(tmp_path, small_rubric, fill_date=date(2021, 1, 5))
    hits = [p for p in collect(folder, small_rubric, KEY).problems if p.code == "VALUE_DATE_BEFORE_ISSUE"]
    assert len(hits) == 3 and hits[0].cell is not None
    assert "填报日期 2021年1月5日 早于该评价表的生成日期 2023年3月6日" in hits[0].message
