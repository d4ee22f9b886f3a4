"""Hostile mail on a real Dovecot: every message ends recorded (saved, saved under a safe name, or
set aside with its reason), the fetch never stops at one, a re-run fetches nothing again, and
collect scores what was saved — never a temporary folder, never a copy it skips."""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from qe_workbook.cli import main
from qe_workbook.intake.collect import collect
from qe_workbook.intake.receipts import RECORD_JSON, RECORD_XLSX, read_record
from qe_workbook.mail.fetch import FetchReport, fetch_mail
from qe_workbook.mail.server import MailServer
from qe_workbook.rubric import Rubric
from qe_workbook.run_folder import MARKER_TEXT, RUN_MARKER

from .conftest import load_ok, small_rubric_data, write_json
from .forms import KEY, TIE, fill_all, generate
from .hostile_mail import CORPUS, FORM, HostileMail, message, named
from .mails import foxmail
from .mailserver import PASSWORD, USER, Dovecot

CST = timezone(timedelta(hours=8))
NINE, TEN = datetime(2023, 4, 25, 9, 0, tzinfo=CST), datetime(2023, 4, 25, 10, 0, tzinfo=CST)
YI_FORM = "2022年度质量工作考核评价表_乙局.xlsx"
CJK = re.compile(r"[\u4e00-\u9fff]")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Setting:
    rubric: Rubric
    jia: bytes  # 甲局's filled form
    yi: bytes  # 乙局's filled form


@pytest.fixture(scope="module")
def setting(tmp_path_factory: pytest.TempPathFactory) -> Setting:
    folder = tmp_path_factory.mktemp("hostile-mail")
    rubric = load_ok(write_json(folder / "rubric.json", small_rubric_data()))
    forms = fill_all(generate(rubric, folder / "forms"), folder / "filled", TIE)
    return Setting(rubric, forms["甲局"].read_bytes(), forms["乙局"].read_bytes())


@pytest.fixture(scope="module")
def imap() -> Iterator[Dovecot]:
    with Dovecot.running() as server:
        yield server


def mailbox(imap: Dovecot, name: str, *raws: tuple[bytes, datetime]) -> MailServer:
    """A fresh mailbox folder of its own holding the given messages (UIDs from 1)."""
    imap.create(name)
    for raw, arrived in raws:
        imap.append(raw, arrived, name)
    return MailServer("127.0.0.1", USER, imap.port, "none", folder=name)


def yi_mail(setting: Setting) -> bytes:
    return foxmail("乙局", "yi@example.cn", "评价表", [(YI_FORM, setting.yi)], date="Tue, 25 Apr 2023 10:00:00 +0800")


def files_in(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def fetch(server: MailServer, out: Path, setting: Setting) -> FetchReport:
    return fetch_mail(server, PASSWORD, out, setting.rubric)


@pytest.mark.parametrize("case", CORPUS, ids=[c.name for c in CORPUS])
def test_each_hostile_message_ends_recorded_and_the_next_one_is_fetched(
    tmp_path: Path, setting: Setting, imap: Dovecot, case: HostileMail
) -> None:
    server = mailbox(imap, case.name, (case.build(setting.jia), NINE), (yi_mail(setting), TEN))
    out = tmp_path / "returned"
    report = fetch(server, out, setting)
    assert report.complete
    assert [p.code for p in report.problems] == list(case.codes)
    for p in report.problems:
        detail, _, fix = p.message.partition("。")
        assert CJK.search(detail) and CJK.search(fix) and "Error" not in p.message, p.message
        assert not CONTROL.search(p.message), p.message  # nothing that moves a terminal's cursor or clipboard
    assert [m["uid"] for m in report.new_messages] == [1, 2]
    if case.folder:
        assert files_in(out / case.folder) == sorted(case.files)
    else:
        assert report.new_messages[0]["status"] == "已隔离" and report.new_messages[0]["reason"]
    assert files_in(out / "20230425-100000_乙局_2") == [YI_FORM]  # the message after it
    assert not list(out.rglob(".tmp-*"))
    for path in out.rglob("*"):
        assert len(path.name.encode()) <= 255 and len(path.relative_to(out).as_posix()) <= 180, path

    book, problems = read_record(out / RECORD_JSON)
    assert problems == [] and [m["uid"] for m in book.messages] == [1, 2]
    assert all((out / r.saved_as).is_file() for r in book.receipts if r.saved_as)
    again = fetch(server, out, setting)
    assert (again.already, again.new_messages, again.problems) == (2, [], [])


def test_a_name_changed_on_saving_is_noted_in_the_receipt(tmp_path: Path, setting: Setting, imap: Dovecot) -> None:
    case = next(c for c in CORPUS if c.name == "long_attachment_name")
    out = tmp_path / "returned"
    report = fetch(mailbox(imap, "noted", (case.build(setting.jia), NINE)), out, setting)
    (receipt,) = report.receipts
    assert receipt.file == "评价表" * 30 + ".xlsx" and receipt.saved_as == f"{case.folder}/{case.files[0]}"
    assert receipt.note == "原文件名过长，保存时已缩短"
    assert report.problems[0].severity == "info" and report.clean


def test_a_form_beside_the_run_folder_marker_and_sent_again_is_scored(
    tmp_path: Path, setting: Setting, imap: Dovecot
) -> None:
    with_marker = message([named(FORM, setting.jia), named(RUN_MARKER, MARKER_TEXT.encode())])
    again = foxmail(
        "甲局", "jia@example.cn", "评价表（重发）", [(FORM, setting.jia)], date="Tue, 25 Apr 2023 10:00:00 +0800"
    )
    out = tmp_path / "returned"
    fetch(mailbox(imap, "marker", (with_marker, NINE), (again, TEN)), out, setting)
    assert not list(out.rglob(RUN_MARKER))
    collected = collect(out, setting.rubric, KEY)
    assert [s.evaluator for s in collected.accepted()] == ["甲局"]
    assert "RUN_FOLDER_SKIPPED" not in {p.code for p in collected.problems}


def test_an_earlier_copy_collect_would_skip_is_never_the_one_a_resend_points_to(
    tmp_path: Path, setting: Setting, imap: Dovecot
) -> None:
    """Records written before the marker was renamed point into folders collect skips; a copy the
    clerk moved away is gone: in both cases the re-sent form is saved again."""
    first = foxmail("甲局", "jia@example.cn", "评价表", [(FORM, setting.jia)], date="Tue, 25 Apr 2023 09:00:00 +0800")
    server = mailbox(imap, "skipped", (first, NINE))
    out = tmp_path / "returned"
    fetch(server, out, setting)
    (out / "20230425-090000_甲局_1" / RUN_MARKER).write_text(MARKER_TEXT, encoding="utf-8")  # as an old version left it
    imap.append(foxmail("甲局", "jia@example.cn", "重发", [(FORM, setting.jia)], date="Tue, 25 Apr 2023 10:00:00 +0800"),
                TEN, "skipped")  # fmt: skip
    resent = fetch(server, out, setting)
    assert [r.saved_as for r in resent.receipts] == [f"20230425-100000_甲局_2/{FORM}"]
    assert [s.evaluator for s in collect(out, setting.rubric, KEY).accepted()] == ["甲局"]

    (out / f"20230425-100000_甲局_2/{FORM}").unlink()  # moved away by the clerk
    imap.append(foxmail("甲局", "jia@example.cn", "再发", [(FORM, setting.jia)], date="Tue, 25 Apr 2023 11:00:00 +0800"),
                datetime(2023, 4, 25, 11, 0, tzinfo=CST), "skipped")  # fmt: skip
    third = fetch(server, out, setting)
    assert [r.saved_as for r in third.receipts] == [f"20230425-110000_甲局_3/{FORM}"]


def test_an_extensionless_form_then_the_same_bytes_named_is_scored(
    tmp_path: Path, setting: Setting, imap: Dovecot
) -> None:
    bare = message([named("评价表", setting.jia)])
    later = foxmail("甲局", "jia@example.cn", "评价表", [(FORM, setting.jia)], date="Tue, 25 Apr 2023 10:00:00 +0800")
    out = tmp_path / "returned"
    fetch(mailbox(imap, "bare", (bare, NINE), (later, TEN)), out, setting)
    collected = collect(out, setting.rubric, KEY)
    assert [s.evaluator for s in collected.accepted()] == ["甲局"]
    assert "FILE_IGNORED" not in {p.code for p in collected.problems}


def test_a_temporary_folder_is_never_read_and_a_stale_one_is_not_adopted(
    tmp_path: Path, setting: Setting, imap: Dovecot
) -> None:
    out = tmp_path / "returned"
    left = out / ".tmp-20230425-090000_甲局_1"
    (left / "dots").mkdir(parents=True)
    (left / "dots" / "a.xlsx").write_bytes(setting.yi)  # left behind by a fetch that failed
    assert collect(out, setting.rubric, KEY).submissions == []
    bare = message([named("甲局.xlsx", setting.jia)])
    fetch(mailbox(imap, "stale", (bare, NINE)), out, setting)
    assert files_in(out / "20230425-090000_甲局_1") == ["甲局.xlsx"]
    assert not list(out.rglob(".tmp-*"))


def test_the_command_names_the_message_set_aside_and_the_record_lists_it(
    tmp_path: Path, setting: Setting, imap: Dovecot, small_rubric_path: Path
) -> None:
    deep = next(c for c in CORPUS if c.name == "three_thousand_nested_multiparts")
    mailbox(imap, "command", (deep.build(setting.jia), NINE), (yi_mail(setting), TEN))
    out = tmp_path / "returned"
    args = ["mail", "fetch", "--server", "127.0.0.1", "--port", str(imap.port), "--security", "none", "--user", USER,
            "--folder", "command", "--out", str(out), "--rubric", str(small_rubric_path)]  # fmt: skip
    done = CliRunner().invoke(main, args, env={"QE_MAIL_PASSWORD": PASSWORD})
    assert done.exit_code == 1 and isinstance(done.exception, SystemExit), done.output  # problems, not a crash
    assert "Traceback" not in done.output and "Error" not in done.output
    assert "2023-04-25 09:00 收到的邮件“nested”（邮件编号 1）无法处理：邮件的结构嵌套过深，无法解析" in done.output
    assert (
        "本次收取新邮件 2 封，保存附件 1 个（重复发送未再保存 0 个），无附件邮件 0 封，无法处理已跳过 1 封"
        in done.output
    )
    rows = openpyxl.load_workbook(out / RECORD_XLSX, read_only=True)["未保存的邮件"].iter_rows(values_only=True)
    assert list(rows)[1] == (
        "1",
        "2023-04-25 09:00",
        "",
        "",
        "nested",
        "已隔离",
        "邮件的结构嵌套过深，无法解析（邮件编号 1）",
    )


def test_a_name_the_disk_refuses_sets_the_message_aside_but_a_full_disk_stops_the_fetch(
    tmp_path: Path, setting: Setting, imap: Dovecot, monkeypatch: pytest.MonkeyPatch
) -> None:
    jia = foxmail("甲局", "jia@example.cn", "评价表", [(FORM, setting.jia)], date="Tue, 25 Apr 2023 09:00:00 +0800")
    server = mailbox(imap, "refused", (jia, NINE), (yi_mail(setting), TEN))
    write_bytes = Path.write_bytes

    def refuse(error: int) -> None:
        def write(path: Path, data: bytes) -> int:
            if path.name == FORM:
                raise OSError(error, os.strerror(error))
            return write_bytes(path, data)

        monkeypatch.setattr(Path, "write_bytes", write)

    full, named_out = tmp_path / "full", tmp_path / "named"
    refuse(errno.ENOSPC)
    stopped = fetch(server, full, setting)
    assert [p.code for p in stopped.problems] == ["MAIL_SAVE_FAILED"] and not stopped.complete
    assert "磁盘" in stopped.problems[0].message and not list(full.rglob(".tmp-*"))
    assert stopped.new_messages == []  # not recorded: the next run fetches it again

    refuse(errno.ENAMETOOLONG)
    aside = fetch(server, named_out, setting)
    assert [p.code for p in aside.problems] == ["MAIL_MESSAGE_SET_ASIDE"]
    assert "无法写入" in aside.problems[0].message and aside.complete
    assert [m["status"] for m in aside.new_messages] == ["已隔离", "已保存"]
    assert files_in(named_out) == sorted([RECORD_JSON, RECORD_XLSX, f"20230425-100000_乙局_2/{YI_FORM}"])

    monkeypatch.undo()
    resumed = fetch(server, full, setting)
    assert resumed.complete and [r.saved_as for r in resumed.receipts] == [f"20230425-090000_甲局_1/{FORM}",
                                                                         f"20230425-100000_乙局_2/{YI_FORM}"]  # fmt: skip
