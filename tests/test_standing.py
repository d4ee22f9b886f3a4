"""What a department's return stands at, in the same words on screen, in 报送情况, in the chase mails
and on the page: 甲局 gave 45 of 40 points in one cell, 乙局 sent nothing, 质强办 sent a PDF named as
its form."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from qe_workbook.cli import main
from qe_workbook.intake.standing import Standing, standing
from qe_workbook.intake.submission import Status
from qe_workbook.mail.chase import run_chase
from qe_workbook.pipeline import CollectOptions, run_collect
from qe_workbook.rubric import Rubric
from qe_workbook.workspace.returns import department_returns

from .conftest import small_rubric_data, write_json
from .forms import KEY, TIE, fill_all, generate, with_changes
from .test_workspace import small_year

FORM = "2022年度质量工作考核评价表_{}.xlsx".format


def test_a_standing_follows_from_what_became_of_each_file() -> None:
    assert standing([Status.SUPERSEDED, Status.ACCEPTED]) is Standing.ADOPTED
    assert standing([Status.ACCEPTED], corrections=2).shown(["E5", "E9"]) == "已采用，需更正（E5、E9）"
    assert Standing.ADOPTED_TO_CORRECT.shown(["E5", "E6", "E7", "F7"]) == "已采用，需更正（E5、E6、E7 等 4 处）"
    assert Standing.ADOPTED.shown(["E5"]) == "已采用"
    assert standing([Status.REJECTED, Status.UNUSABLE]) is Standing.RETURNED
    assert standing([Status.CONFLICT, Status.CONFLICT]) is Standing.RETURNED
    assert standing([Status.UNUSABLE]) is Standing.UNUSABLE
    assert standing([]) is Standing.MISSING and Standing.MISSING.action == "请催报评价表"
    assert standing([], issued=False) is Standing.NOT_ISSUED and not Standing.NOT_ISSUED.chased


@pytest.fixture
def run(tmp_path: Path, small_rubric: Rubric) -> Path:
    generated = generate(small_rubric, tmp_path / "forms")
    answers = with_changes(TIE, "甲局", {("东区", "01-1"): (45, "超出满分。")})
    del answers["乙局"], answers["质强办"]
    fill_all(generated, tmp_path / "returned", answers)
    (tmp_path / "returned" / FORM("质强办")).write_bytes(b"%PDF-1.4 scanned")
    return run_collect(
        tmp_path / "returned", small_rubric, KEY, CollectOptions(tmp_path / "results", reports=False)
    ).folder


def test_the_returns_sheet_says_what_to_do_about_an_adopted_form_with_a_bad_cell(run: Path) -> None:
    sheet = openpyxl.load_workbook(run / "master.xlsx", read_only=True)["报送情况"]
    rows = {r[0]: (r[1], r[2], r[8]) for r in sheet.iter_rows(min_row=2, values_only=True)}
    status, file, note = rows["甲局"]
    assert (status, file) == ("已采用，需更正（E5）", FORM("甲局"))
    assert note.startswith("得分已采用；请该部门更正所列单元格后重新报送：评价表 E5 ")
    assert rows["乙局"] == ("未收到", "", "请催报评价表")
    status, file, note = rows["质强办"]
    assert (status, file) == ("退回", FORM("质强办")) and note.endswith("；请该部门按说明修改后重新报送")


def test_the_chase_mails_and_the_page_use_the_same_words(tmp_path: Path, small_rubric: Rubric, run: Path) -> None:
    report = run_chase(run, small_rubric, tmp_path / "chase", forms_dir=tmp_path / "forms")
    assert [(c.recipient.name, c.reason) for c in report.chases] == [
        ("甲局", "已采用，需更正"), ("乙局", "未收到"), ("质强办", "退回")
    ]  # fmt: skip


def test_a_new_workspace_chases_nobody_before_the_forms_are_issued(tmp_path: Path) -> None:
    ws, rubric = small_year(tmp_path)
    shown = [(d.evaluator, d.state, d.ask) for d in department_returns(ws, rubric).departments]
    assert shown == [
        ("甲局", "评价表尚未下发", "先生成并下发评价表；下发前无需催报"),
        ("乙局", "评价表尚未下发", "先生成并下发评价表；下发前无需催报"),
        ("质强办", "评价表尚未下发", "先生成并下发评价表；下发前无需催报"),
    ]


def test_a_form_saved_as_text_is_received_but_unusable(tmp_path: Path, small_rubric: Rubric) -> None:
    """报送情况, the problem list and the chase mail all say 收到但无法采用, with what to do."""
    filled = fill_all(generate(small_rubric, tmp_path / "forms"), tmp_path / "filled", TIE)
    (tmp_path / "returned").mkdir()
    (tmp_path / "returned" / "质强办评价表.csv").write_bytes(filled["质强办"].read_bytes())
    report = run_collect(tmp_path / "returned", small_rubric, KEY, CollectOptions(tmp_path / "out", reports=False))
    sheet = openpyxl.load_workbook(report.folder / "master.xlsx", read_only=True)["报送情况"]
    (row,) = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "质强办"]
    assert (row[1], row[2]) == ("收到但无法采用", "质强办评价表.csv")
    assert row[8].endswith("；请该部门在下发的评价表中填写，保存为 Excel 文件后重新报送")
    (rejected,) = [p for p in report.problems if p.code == "SUBMISSION_REJECTED"]
    assert rejected.message.startswith("质强办的评价表（质强办评价表.csv）收到但无法采用（电话 ")
    (missing, _) = [p for p in report.problems if p.code == "SUBMISSION_MISSING"]
    assert (
        missing.message
        == "未收到甲局的评价表（电话 0395-1111111，邮箱 jia@example.cn）。请催报评价表（电话和邮箱见“报送情况”表）。"
    )
    report_mail = run_chase(report.folder, small_rubric, tmp_path / "chase", forms_dir=tmp_path / "forms")
    zhi = next(c for c in report_mail.chases if c.recipient.name == "质强办")
    assert zhi.reason == "收到但无法采用" and [a.name for a in zhi.attachments] == [
        "2022年度质量工作考核评价表_质强办.xlsx"
    ]
    assert (
        "贵单位报送的文件已收到，但不是可以读取的评价表，无法采用：" in zhi.message.get_body(("plain",)).get_content()
    )


def test_the_screen_names_each_department_asked_for_something(tmp_path: Path, small_rubric: Rubric, run: Path) -> None:
    (tmp_path / "qe.key").write_text(KEY.hex())
    rubric = tmp_path / "rubric.json"
    write_json(rubric, small_rubric_data())
    args = ["collect", str(tmp_path / "returned"), "--rubric", str(rubric), "--key", str(tmp_path / "qe.key"),
            "--out", str(tmp_path / "again"), "--no-report"]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert (
        "报送情况：已采用，需更正 1 个：甲局（得分已采用；请该部门更正所列单元格后重新报送）；"
        "退回 1 个：质强办（请该部门按说明修改后重新报送）；未收到 1 个：乙局（请催报评价表）。"
    ) in result.output


def test_a_stray_broken_copy_beside_an_adopted_form_asks_nothing(tmp_path: Path, small_rubric: Rubric) -> None:
    fill_all(generate(small_rubric, tmp_path / "forms"), tmp_path / "returned", TIE)
    (tmp_path / "returned" / "乙局评价表（损坏的副本）.xlsx").write_bytes(b"PK\x03\x04 broken")
    run = run_collect(tmp_path / "returned", small_rubric, KEY, CollectOptions(tmp_path / "out", reports=False))
    assert [p.code for p in run.problems if p.file == "乙局评价表（损坏的副本）.xlsx"] == ["FILE_CORRUPT"]
    report = run_chase(run.folder, small_rubric, tmp_path / "chase", forms_dir=tmp_path / "forms")
    assert report.chases == []
