"""A screen a clerk can read: the problems of one code grouped with their count and places (the run's files keep
every row), and the run's diagnosis said last as well as first."""

from __future__ import annotations

import contextlib
import json
import signal
import sys
from pathlib import Path

import pytest

from qe_workbook import cli
from qe_workbook.console import format_problem, problem_entries
from qe_workbook.keys import write_key
from qe_workbook.problems import problem
from qe_workbook.rubric import Rubric

from .conftest import run_qe
from .forms import KEY, TIE, fill_all, generate

FORM = "2022年度质量工作考核评价表_{}.xlsx"


def test_many_warnings_of_one_code_are_one_entry_with_the_count_and_the_places() -> None:
    departments = ["市水利局", "市住建局", "市公安局", "市卫健委", "市农业农村局", "市交通运输局"]
    late = [problem("VALUE_DATE_BEFORE_ISSUE", file=f"回收/{FORM.format(d)}", sheet="评价表", cell="E2",
                    date="2023-04-20", issued="2023-05-06") for d in departments]  # fmt: skip
    bare = [problem("VALUE_REMARK_MISSING", file="a.xlsx", sheet="评价表", cell=cell, evaluator=who, unit="东区",
                    number=1, item="01-1", value=36, max=40) for who, cell in [("市水利局", "E6"), ("市水利局", "E7"),
                    ("市水利局", "E8"), ("市住建局", "E6"), ("市住建局", "E9")]]  # fmt: skip
    assert problem_entries([*late[:2], *bare, *late[2:]]) == [
        "[提醒] VALUE_DATE_BEFORE_ISSUE 共 6 处\n"
        "    填报日期早于评价表的生成日期，不可能是真实的填报日期。请该部门核对并更正“填报日期”（多为年份写错）。\n"
        "    涉及2022年度质量工作考核评价表_…（均在 E2）：市水利局.xlsx、市住建局.xlsx、市公安局.xlsx、\n"
        "      市卫健委.xlsx、市农业农村局.xlsx、市交通运输局.xlsx",  # at most 100 columns a line
        "[提醒] VALUE_REMARK_MISSING 共 5 处\n"
        "    有失分但“评价说明”未填写。评价表的填表说明要求“评价说明”客观说明优势不足和改进建议，请补充失分原因。\n"
        "    涉及：市水利局（3 处，E6、E7、E8）、市住建局（2 处，E6、E9）",
    ]
    assert problem_entries(late[:4]) == [format_problem(p) for p in late[:4]]  # four: each on its own
    empty = [problem("VALUE_EMPTY", file="a.xlsx", sheet="评价表", cell=f"E{row}", unit="东区", item=f"0{row}-1",
                     number=row) for row in range(6, 11)]  # fmt: skip
    assert problem_entries(empty) == [format_problem(p) for p in empty]  # errors one by one: each says its fix
    forged = [problem("FORM_SIGNATURE_INVALID", file=FORM.format(d), evaluator=d, year=2022) for d in departments]
    (alike,) = problem_entries(forged)  # the very same error but for the department: one entry
    assert alike.startswith("[错误] FORM_SIGNATURE_INVALID 共 6 处\n") and alike.endswith("市农业农村局、市交通运输局")


def test_a_group_of_unit_problems_names_the_units() -> None:
    units = ["舞阳县", "临颍县", "源汇区", "郾城区", "召陵区"]
    gaps = [problem("UNIT_INCOMPLETE", unit=u, count=1, gaps="01-1") for u in units]
    (entry,) = problem_entries(gaps)
    assert entry.endswith("\n    涉及：舞阳县、临颍县、源汇区、郾城区、召陵区")


def test_collect_groups_on_screen_keeps_every_row_in_the_run_and_says_the_diagnosis_last(
    tmp_path: Path, small_rubric: Rubric, small_rubric_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    bare = {ev: {cell: (value, "") for cell, (value, _) in cells.items()} for ev, cells in TIE.items()}
    fill_all(generate(small_rubric, tmp_path / "forms"), tmp_path / "returned", bare)  # no 评价说明 anywhere
    key = tmp_path / "qe.key"
    write_key(key, KEY)
    args = ["collect", str(tmp_path / "returned"), "--rubric", str(small_rubric_path), "--out", str(tmp_path / "out")]
    code, out = run_qe([*args, "--key", str(key)], monkeypatch, capsys)
    assert "[提醒] VALUE_REMARK_MISSING 共 8 处" in out and "低于满分" not in out, out  # not one of the eight alone
    assert "乙局.xlsx（4 处，F5、F6、F8、F9）" in out and "甲局.xlsx（4 处，F5、F6、F8、F9）" in out
    (run,) = (tmp_path / "out").iterdir()
    rows = json.loads((run / "problems.json").read_text(encoding="utf-8"))
    assert sum(1 for p in rows if p["code"] == "VALUE_REMARK_MISSING") == 8
    other = tmp_path / "other.key"
    write_key(other, bytes(range(1, 33)))
    code, out = run_qe([*args, "--key", str(other)], monkeypatch, capsys)
    assert code == 1
    first = out.index("[错误] KEY_PROBABLY_WRONG")
    assert out.index("[提醒] REPORTS_WITHHELD") > first
    tail = out[out.index("结果已写入") :]
    last = tail.index("[错误] KEY_PROBABLY_WRONG")  # after the table, where the screen ends
    assert tail.index("请按上面的问题清单处理后重新汇总") < last < tail.index("[提醒] REPORTS_WITHHELD"), tail


def test_collect_counts_every_file_it_read_not_only_xlsx(
    tmp_path: Path, small_rubric: Rubric, small_rubric_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    fill_all(generate(small_rubric, tmp_path / "forms"), tmp_path / "returned", TIE)
    (tmp_path / "returned" / "打分表 - 副本.ods").write_bytes(b"PK\x03\x04 not really a spreadsheet")
    key = tmp_path / "qe.key"
    write_key(key, KEY)
    args = ["collect", str(tmp_path / "returned"), "--rubric", str(small_rubric_path), "--key", str(key)]
    _, out = run_qe([*args, "--out", str(tmp_path / "out")], monkeypatch, capsys)
    assert "共读取 4 个文件，采用 3 份；应收评价表 3 份。" in out, out


def test_a_rubric_workbook_given_as_rubric_points_to_rubric_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook = tmp_path / "考核细则.xlsx"
    workbook.write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(128, 256)))
    code, out = run_qe(["generate", "--rubric", str(workbook), "--out", str(tmp_path / "forms")], monkeypatch, capsys)
    assert code == 1 and "UTF-8" not in out, out
    assert f"{workbook} 是工作簿或文档，不是考核细则文件 rubric.json。" in out
    assert "考核细则工作簿请先用 qe rubric import 导入（检查后写出 rubric.json），再用 --rubric 指定" in out


def first_said(args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    """The first line `qe ARGS` writes on the screen's message stream (where the progress bar goes too)."""
    monkeypatch.setattr(sys, "argv", ["qe", *args])
    with contextlib.suppress(SystemExit):
        cli.run()
    return capsys.readouterr().err.splitlines()[0]


def test_generate_and_collect_say_on_their_first_line_which_rubric_they_use(
    tmp_path: Path, small_rubric_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    work = tmp_path / "工作区"
    (work / "returned").mkdir(parents=True)
    monkeypatch.chdir(work)  # no rubric.json here yet
    assert first_said(["generate", "--out", "forms"], monkeypatch, capsys) == (
        "使用内置的考核细则：漯河市2022年度政府质量工作考核方案（当前文件夹没有 rubric.json；"
        "其他城市或年度请先用 qe rubric import 导入本地的考核细则）"
    )
    said = first_said(["collect", "returned", "--rubric", str(small_rubric_path)], monkeypatch, capsys)
    assert said == f"使用考核细则：{small_rubric_path}（测试市2022年度政府质量工作考核方案）"
    (work / "rubric.json").write_bytes(small_rubric_path.read_bytes())
    said = first_said(["collect", "returned", "--json"], monkeypatch, capsys)
    assert said == "使用考核细则：rubric.json（测试市2022年度政府质量工作考核方案）"


def test_ctrl_c_after_a_command_has_ended_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pressed as the results appear, it would otherwise land in Python's shutdown (a `threading` traceback)."""
    monkeypatch.setattr(sys, "argv", ["qe", "rubric", "check", "--help"])
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    with contextlib.suppress(SystemExit):
        cli.run()
    assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN  # put back after the test (conftest.ctrl_c_kept)


def test_collect_shows_a_control_character_in_the_output_folder_as_its_picture(
    tmp_path: Path, small_rubric: Rubric, small_rubric_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    fill_all(generate(small_rubric, tmp_path / "forms"), tmp_path / "returned", TIE)
    write_key(tmp_path / "qe.key", KEY)
    out = tmp_path / "结果\x1b]0;标题\x07"
    code, shown = run_qe(["collect", str(tmp_path / "returned"), "--rubric", str(small_rubric_path),
                          "--key", str(tmp_path / "qe.key"), "--out", str(out)], monkeypatch, capsys)  # fmt: skip
    assert code == 0
    assert "\x1b" not in shown and "\x07" not in shown
    assert "结果已写入：" + str(tmp_path / "结果␛]0;标题␇") in shown
