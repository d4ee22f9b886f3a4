"""The later half of the year in a workspace, each step through the library call of its command: the meeting's
adjustments typed one at a time into adjustments.xlsx (checked as `qe collect --adjustments` checks them) and taken
in by the next collection, 得分核对单, the feedback wording, reports again, approval, archive and verification,
rectification ledgers, chase mails drafted and sent, and the key backup sheet."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import docx
import pytest

from qe_workbook.choices import Stage
from qe_workbook.keys import key_fingerprint
from qe_workbook.problems import has_errors
from qe_workbook.rubric import Rubric
from qe_workbook.workspace.actions import collect_in, generate_in
from qe_workbook.workspace.chase import draft_folders, outgoing, read_drafts, send_drafts, write_chases
from qe_workbook.workspace.decisions import (
    approve_in,
    archive_in,
    archives,
    chosen_run,
    precheck_in,
    refusal,
    report_in,
    stages,
    verify_in,
)
from qe_workbook.workspace.key_backup import backup_sheet
from qe_workbook.workspace.layout import Workspace
from qe_workbook.workspace.ledgers import collect_in as collect_ledgers
from qe_workbook.workspace.ledgers import generate_in as generate_ledgers
from qe_workbook.workspace.ledgers import keep_returned
from qe_workbook.workspace.registers import (
    ADJUSTMENTS,
    APPEALS,
    NewAdjustment,
    add_adjustment,
    adjustment_rows,
    appeal_rows,
    blank,
    kept,
    replace_register,
)
from qe_workbook.workspace.wording import export_in, upload_wording

from .forms import KEY, TIE, fill_all
from .test_mail_chase import SMTP_PASSWORD, SMTP_USER, Inbox, smtp  # noqa: F401  (the SMTP server fixture)
from .test_workspace import small_year

BASIS = "市质量强市工作领导小组会议纪要〔2023〕3号"


def totals(run: Path) -> dict[str, tuple[Decimal, str]]:
    data = json.loads((run / "results.json").read_text(encoding="utf-8"), parse_float=Decimal)
    return {u["unit"]: (u["total"], u["grade"]) for u in data["units"]}


def test_one_adjustment_at_a_time_is_checked_kept_and_taken_in_by_the_next_collection(tmp_path: Path) -> None:
    ws, rubric, first = collected_year(tmp_path)
    assert totals(first) == {"南区": (Decimal(98), "A"), "东区": (Decimal("90.5"), "A"), "西区": (Decimal("90.5"), "A")}
    refused = add_adjustment(ws, rubric, NewAdjustment("西区", "扣分", "1", "  "))
    assert [(p.code, p.file, p.cell) for p in refused] == [("ADJUST_NO_BASIS", "会议调整表", "A3")]
    assert kept(ws, ADJUSTMENTS) is None  # nothing kept of a refused row
    assert add_adjustment(ws, rubric, NewAdjustment("西区", "扣分", "1", BASIS)) == []
    assert [p.code for p in add_adjustment(ws, rubric, NewAdjustment("北区", "加分", "1", BASIS))] == [
        "ADJUST_UNKNOWN_UNIT"
    ]
    assert [p.code for p in add_adjustment(ws, rubric, NewAdjustment("东区", "定级", "E", BASIS))] == [
        "ADJUST_BAD_VALUE"
    ]
    assert add_adjustment(ws, rubric, NewAdjustment("南区", "降级", "", BASIS, "通报批评")) == []
    assert adjustment_rows(ws, rubric) == (
        [["西区", "扣分 1 分", BASIS, ""], ["南区", "降一个等级", BASIS, "通报批评"]], []
    )  # fmt: skip
    assert len(list((ws.root / "out" / "review" / "以前的版本").iterdir())) == 1  # the one-row file, kept
    second = collect_in(ws, rubric).report
    assert second is not None
    assert totals(second.folder) == {"南区": (Decimal(98), "B"), "东区": (Decimal("90.5"), "A"),
                                     "西区": (Decimal("89.5"), "B")}  # fmt: skip
    assert (second.folder / "adjustments.xlsx").read_bytes() == kept(ws, ADJUSTMENTS).read_bytes()  # type: ignore[union-attr]


def test_an_uploaded_register_replaces_the_kept_one_only_when_it_can_be_read(tmp_path: Path) -> None:
    ws, rubric = small_year(tmp_path)
    template = blank(ws, APPEALS, rubric)
    assert template.name == "空白异议登记表.xlsx" and ws.output(ws.relative(template)) is not None
    path, problems = replace_register(ws, APPEALS, b"not a workbook", rubric)
    assert path is None and [(p.code, p.file) for p in problems] == [("APPEAL_UNREADABLE", "异议登记表")]
    import openpyxl

    book = openpyxl.load_workbook(template)
    book.worksheets[0].append(["东区", "01-1", "抽检批次统计有误", "抽检记录", "甲局", "", "", None])
    filled = io.BytesIO()
    book.save(filled)
    path, problems = replace_register(ws, APPEALS, filled.getvalue(), rubric)
    assert path == ws.root / "out" / "review" / "异议登记.xlsx" and [p.code for p in problems] == ["APPEAL_PENDING"]
    rows, _ = appeal_rows(ws, rubric)
    assert rows == [["东区", "01-1", "抽检批次统计有误", "抽检记录", "甲局", "待复核", "", ""]]


def test_precheck_wording_reports_approval_archive_and_verification(tmp_path: Path) -> None:
    ws, rubric, run = collected_year(tmp_path)
    assert chosen_run(ws, None) == run and chosen_run(ws, "其他") == run and refusal(run) == []
    folder, problems = precheck_in(ws, run, rubric, date(2023, 5, 20))
    assert problems == [] and folder is not None and len(list(folder.glob("*.xlsx"))) == 3
    exported = export_in(ws, run, rubric)
    assert exported.path == run / "反馈修改稿.xlsx" and exported.rows > 0
    kept_wording, problems = upload_wording(ws, exported.path.read_bytes(), run, rubric)
    assert kept_wording == ws.root / "out" / "review" / "反馈修改稿.xlsx" and not has_errors(problems)
    written, problems = report_in(ws, run, rubric, issued=date(2023, 5, 8), adjustments=True, wording=True)
    assert not has_errors(problems) and sum(p.parent.name == "反馈意见" for p in written) == 3
    approval, problems = approve_in(ws, run, rubric, Stage.APPROVED, BASIS, "张三", wording=True)
    assert approval is not None and problems == []
    (shown,) = stages(run)
    assert (shown.record.stage, shown.record.by, shown.record.basis) == ("审定稿", "张三", BASIS)
    assert any(p.name == "反馈修改稿.xlsx" for p in shown.documents)
    again, problems = approve_in(ws, run, rubric, Stage.CONSULTATION, BASIS, "张三", wording=False)
    assert again is None and [p.code for p in problems] == ["APPROVE_STAGE_NOT_LATER"]
    archived = archive_in(ws, run, rubric)
    assert not has_errors(archived.problems) and archived.folder == ws.root / "out" / "档案" / run.name
    assert archives(ws) == [archived.folder] and verify_in(ws, run.name) == (archived.folder, [])
    assert verify_in(ws, "../out") == (None, [])  # only the workspace's own archives
    (archived.folder / "卷内目录.xlsx").write_bytes(b"changed")
    assert [p.code for p in verify_in(ws, run.name)[1]] == ["ARCHIVE_FILE_CHANGED"]
    assert archive_in(ws, run, rubric).folder == ws.root / "out" / "档案" / f"{run.name}-2"


def test_rectification_ledgers_generated_returned_and_collected(tmp_path: Path) -> None:
    ws, rubric, run = collected_year(tmp_path)
    generated = generate_ledgers(ws, run, rubric, wording=False)
    assert generated.folder is not None and len(generated.ledgers) == 3
    sent = generated.ledgers[0].path
    kept_files, problems = keep_returned(ws, [(f"C:\\县区\\{sent.name}", sent.read_bytes())])
    assert problems == [] and [p.name for p in kept_files] == [sent.name]
    collected, problems = collect_ledgers(ws, rubric, date(2023, 7, 15))
    assert collected is not None and collected.written
    assert collected.written[0].is_relative_to(run / "整改情况")
    assert sorted(p.code for p in problems if p.code == "RECTIFY_MISSING") == ["RECTIFY_MISSING"] * 2


def test_chase_drafts_are_written_and_those_very_drafts_sent(tmp_path: Path, smtp: tuple[Inbox, int]) -> None:  # noqa: F811
    inbox, port = smtp
    ws, rubric, run = collected_year(tmp_path, {k: v for k, v in TIE.items() if k != "乙局"})
    assert [p.code for p in outgoing(ws).problems] == ["MAIL_SETTINGS_MISSING"]
    report = write_chases(ws, run, rubric)
    assert report.folder is not None and draft_folders(ws) == [report.folder]
    drafts = [d for d, _message in read_drafts(report.folder)]
    assert [(d.name, d.to, d.attachments) for d in drafts] == [("乙局", "yi@example.cn", 1)]
    assert send_drafts(ws, report.folder, SMTP_PASSWORD)[0] == [] and inbox.received == []
    (ws.root / "邮箱设置.toml").write_text(
        f'smtp_server = "127.0.0.1"\nsmtp_port = {port}\nsmtp_security = "none"\nsmtp_user = "{SMTP_USER}"\n',
        encoding="utf-8",
    )
    assert outgoing(ws).server is not None
    sent, problems = send_drafts(ws, report.folder, "wrong")
    assert sent == [] and [p.code for p in problems] == ["MAIL_LOGIN_FAILED"]
    sent, problems = send_drafts(ws, report.folder, SMTP_PASSWORD)
    assert (sent, problems) == (["乙局"], []) and [rcpt for _f, rcpt, _raw in inbox.received] == [["yi@example.cn"]]
    log = (report.folder / "发送记录.csv").read_text(encoding="utf-8-sig")
    assert SMTP_PASSWORD not in log and "已发送" in log


def collected_year(tmp_path: Path, answers: dict = TIE, key: bytes = KEY) -> tuple[Workspace, Rubric, Path]:  # type: ignore[type-arg]
    """The small year generated, filled with `answers` and collected with `key` (the forms are signed with KEY)."""
    ws, rubric = small_year(tmp_path)
    generated = generate_in(ws, rubric).generated
    assert generated is not None
    ws.returned.mkdir()
    fill_all(generated, ws.returned, answers)
    ws.key_path.write_text(key.hex(), encoding="ascii")
    report = collect_in(ws, rubric).report
    assert report is not None
    return ws, rubric, report.folder


def test_a_run_with_a_wrong_key_says_why_nothing_official_comes_from_it(tmp_path: Path) -> None:
    ws, rubric, run = collected_year(tmp_path, key=bytes(32))
    assert refusal(run) and refusal(run, "mails")
    assert write_chases(ws, run, rubric).chases == []
    folder, problems = precheck_in(ws, run, rubric, date(2023, 5, 20))
    assert folder is None and problems[-1].code == "RUN_NOT_OFFICIAL"


def test_the_key_backup_sheet_is_made_in_memory_and_names_the_keys_fingerprint(tmp_path: Path) -> None:
    ws, rubric = small_year(tmp_path)
    data, problems = backup_sheet(ws, rubric, date(2023, 3, 1))
    assert problems == [] and data is not None
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert f"密钥指纹：{key_fingerprint(KEY)}" in text and "备份日期：2023年3月1日" in text
    assert not any(p.suffix == ".docx" for p in ws.root.rglob("*"))  # nothing left in the workspace


@pytest.mark.parametrize("name", ["", "不存在"])
def test_no_run_before_the_first_collection(tmp_path: Path, name: str) -> None:
    ws, _rubric = small_year(tmp_path)
    assert chosen_run(ws, name) is None
