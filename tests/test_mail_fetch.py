"""`qe mail fetch` against a real Dovecot: Chinese mail as clients write it, saved once, read-only
on the mailbox, resumable after a dropped connection; then `qe collect` on the fetched folder
gives the results of collecting the files directly, with lateness from the arrival times."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import trustme
from click.testing import CliRunner

from qe_workbook.cli import main
from qe_workbook.intake.collect import collect
from qe_workbook.intake.receipts import RECORD_JSON, RECORD_XLSX, read_record
from qe_workbook.mail.fetch import fetch_mail
from qe_workbook.mail.message import MailLimits
from qe_workbook.mail.server import MailServer
from qe_workbook.rubric import Rubric
from qe_workbook.scoring.score import score

from .forms import KEY, TIE, fill_all, generate
from .mails import XLSX, cut_short, foxmail, gbk_zip, phone_reply, thunderbird, webmail
from .mailserver import PASSWORD, USER, Dovecot, DropProxy

CST = timezone(timedelta(hours=8))
FORM = "2022年度质量工作考核评价表_{}.xlsx"


@pytest.fixture
def imap() -> Iterator[Dovecot]:
    with Dovecot.running() as server:
        yield server


@pytest.fixture
def forms(tmp_path: Path, small_rubric: Rubric) -> dict[str, Path]:
    """The three departments' filled forms, as they would be collected directly."""
    return fill_all(generate(small_rubric, tmp_path / "forms"), tmp_path / "direct", TIE)


def plant(imap: Dovecot, forms: dict[str, Path]) -> None:
    """What the office mailbox holds at the end of April."""
    jia, yi, office = (forms[n].read_bytes() for n in ("甲局", "乙局", "质强办"))
    both = gbk_zip([(FORM.format("乙局"), yi), (FORM.format("质强办"), office)])
    zipped = webmail("乙管理局", "yi@example.cn", "评价表（乙局、质强办）", [("评价表.zip", both, "application/zip")],
                     date="Fri, 28 Apr 2023 09:59:58 +0800")  # fmt: skip
    imap.append(zipped, datetime(2023, 4, 28, 10, 0, tzinfo=CST))
    imap.append(zipped, datetime(2023, 4, 28, 10, 3, tzinfo=CST))  # sent twice
    imap.append(phone_reply("乙局 王科长", "yi@example.cn", "回复：请报送评价表", "已报送，请查收。",
                            date="Fri, 28 Apr 2023 11:00:00 +0800"), datetime(2023, 4, 28, 11, 0, tzinfo=CST))  # fmt: skip
    report = "东区人民政府2022年度质量工作自评报告（定稿，含典型案例三个）.docx"
    imap.append(thunderbird("东区质量办", "dongqu@example.cn", "东区自评报告",
                            [(report, b"PK\x03\x04 docx"), ("东区印证材料.rar", b"Rar!\x1a\x07\x00 rar")],
                            date="Sun, 09 Apr 2023 16:20:00 +0800"), datetime(2023, 4, 9, 16, 20, tzinfo=CST))  # fmt: skip
    imap.append(foxmail("甲局", "jia@example.cn", "2022年度质量工作考核评价表（甲局）", [(FORM.format("甲局"), jia)],
                        date="Wed, 3 May 2023 09:12:05 +0800"), datetime(2023, 5, 3, 9, 12, 7, tzinfo=CST))  # fmt: skip


def fetch_args(port: int, out: Path, rubric: Path, *extra: str) -> list[str]:
    return ["mail", "fetch", "--server", "127.0.0.1", "--port", str(port), "--security", "none", "--user", USER,
            "--out", str(out), "--rubric", str(rubric), *extra]  # fmt: skip


def files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def comparable(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=["file"]).sort_values(["evaluator", "unit", "item_id"]).reset_index(drop=True)


def test_fetch_then_collect_equals_collecting_the_files(
    tmp_path: Path, small_rubric: Rubric, small_rubric_path: Path, forms: dict[str, Path], imap: Dovecot
) -> None:
    plant(imap, forms)
    out = tmp_path / "returned"
    env = {"QE_MAIL_PASSWORD": PASSWORD}
    first = CliRunner().invoke(main, fetch_args(imap.port, out, small_rubric_path), env=env)
    assert first.exit_code == 1, first.output  # warnings: a reply without the file, a .rar
    assert (
        "本次收取新邮件 5 封，保存附件 5 个（重复发送未再保存 2 个），无附件邮件 1 封；此前已收取 0 封。"
        in first.output
    )
    assert "MAIL_NO_ATTACHMENT" in first.output and "已报送，请查收。" in first.output
    assert "乙局于 2023-04-28 11:00 发来的“回复：请报送评价表”没有附件" in first.output
    assert "MAIL_ARCHIVE_UNSUPPORTED" in first.output and "东区印证材料.rar" in first.output
    saved = files_under(out)
    assert saved == sorted([
        RECORD_JSON, RECORD_XLSX,
        "20230409-162000_东区_4/东区人民政府2022年度质量工作自评报告（定稿，含典型案例三个）.docx",
        "20230409-162000_东区_4/东区印证材料.rar",
        f"20230428-100000_乙局_1/评价表/{FORM.format('乙局')}",
        f"20230428-100000_乙局_1/评价表/{FORM.format('质强办')}",
        f"20230503-091207_甲局_5/{FORM.format('甲局')}",
    ])  # fmt: skip
    assert (out / f"20230503-091207_甲局_5/{FORM.format('甲局')}").read_bytes() == forms["甲局"].read_bytes()

    # The mailbox is untouched: nothing deleted, nothing marked read.
    assert imap.count() == 5
    assert all(b"\\Seen" not in line for line in imap.flags())

    # The record: every file with its arrival, sender and the message it came in.
    book, problems = read_record(out / RECORD_JSON)
    assert problems == []
    jia = book.find(name=FORM.format("甲局"))
    assert jia is not None and (jia.sender, jia.channel, jia.address) == ("甲局", "邮件", "jia@example.cn")
    assert (jia.shown_time(), jia.subject) == ("2023-05-03 09:12", "2022年度质量工作考核评价表（甲局）")
    assert jia.sent_at == datetime(2023, 5, 3, 9, 12, 5, tzinfo=CST)
    again = [r for r in book.receipts if "未重复保存" in r.note]
    assert [(r.file, r.shown_time()) for r in again] == [(FORM.format("乙局"), "2023-04-28 10:03"),
                                                        (FORM.format("质强办"), "2023-04-28 10:03")]  # fmt: skip
    ws = openpyxl.load_workbook(out / RECORD_XLSX, read_only=True)["收件记录"]
    assert [r[1] for r in ws.iter_rows(min_row=2, values_only=True)] == ["东区", "东区", "乙局", "乙局", "乙局", "乙局",
                                                                         "甲局"]  # fmt: skip

    # A second run fetches nothing; a new message is fetched alone.
    second = CliRunner().invoke(main, fetch_args(imap.port, out, small_rubric_path, "--json"), env=env)
    assert second.exit_code == 0, second.output
    assert json.loads(second.stdout)["already"] == 5 and json.loads(second.stdout)["messages"] == []
    assert files_under(out) == saved

    # Collecting the fetched folder = collecting the files directly; lateness from the arrival.
    direct = collect(tmp_path / "direct", small_rubric, KEY)
    fetched = collect(out, small_rubric, KEY)
    pd.testing.assert_frame_equal(comparable(fetched.frame), comparable(direct.frame))
    totals = {u.unit: u.total for u in score(fetched.frame, small_rubric).units}
    assert totals == {u.unit: u.total for u in score(direct.frame, small_rubric).units}
    assert direct.problems == []
    late = [p for p in fetched.problems if p.code == "RECEIPT_FORM_LATE"]
    assert [p.message.split("。")[0] for p in late] == [
        "甲局的评价表于 2023-05-03 09:12（邮件）收到，晚于截止日期 2023-04-30"
    ]
    assert {p.code for p in fetched.problems} == {"RECEIPT_FORM_LATE", "FILE_IGNORED"}  # and the .docx/.rar


def test_a_chinese_folder_and_since(
    tmp_path: Path, small_rubric: Rubric, forms: dict[str, Path], imap: Dovecot
) -> None:
    imap.create("&Vt5ZDYvETveIaA-")  # 回复评价表, in IMAP's modified UTF-7
    old = foxmail("甲局", "jia@example.cn", "去年的表", [("旧表.xlsx", b"old")], date="Mon, 3 Apr 2023 09:00:00 +0800")
    new = foxmail("甲局", "jia@example.cn", "评价表", [(FORM.format("甲局"), forms["甲局"].read_bytes())],
                  date="Tue, 25 Apr 2023 09:00:00 +0800")  # fmt: skip
    imap.append(old, datetime(2023, 4, 3, 9, 0, tzinfo=CST), "&Vt5ZDYvETveIaA-")
    imap.append(new, datetime(2023, 4, 25, 9, 0, tzinfo=CST), "&Vt5ZDYvETveIaA-")
    server = MailServer("127.0.0.1", USER, imap.port, "none", folder="回复评价表")
    report = fetch_mail(server, PASSWORD, tmp_path / "out", small_rubric, since=datetime(2023, 4, 20).date())
    assert report.problems == [] and report.complete
    assert [r.file for r in report.receipts] == [FORM.format("甲局")]
    missing = fetch_mail(MailServer("127.0.0.1", USER, imap.port, "none", folder="不存在"), PASSWORD,
                         tmp_path / "other", small_rubric)  # fmt: skip
    assert [p.code for p in missing.problems] == ["MAIL_FOLDER_MISSING"]
    (tmp_path / "a file").write_text("x")
    unwritable = fetch_mail(server, PASSWORD, tmp_path / "a file" / "out", small_rubric)
    assert [p.code for p in unwritable.problems] == ["MAIL_SAVE_FAILED"] and not unwritable.complete


def test_wrong_password_is_a_clear_message_and_writes_nothing(
    tmp_path: Path, small_rubric_path: Path, imap: Dovecot
) -> None:
    out = tmp_path / "returned"
    result = CliRunner().invoke(main, fetch_args(imap.port, out, small_rubric_path), env={"QE_MAIL_PASSWORD": "错的"})
    assert result.exit_code == 1
    assert f"以 {USER} 登录 127.0.0.1 失败" in result.output and "授权码" in result.output
    assert not out.exists()
    assert "错的" not in result.output


def test_the_password_is_asked_for_and_none_is_refused_for_a_remote_server(
    tmp_path: Path, small_rubric_path: Path, imap: Dovecot
) -> None:
    out = tmp_path / "returned"
    asked = CliRunner().invoke(main, fetch_args(imap.port, out, small_rubric_path), input=f"{PASSWORD}\n", env={})
    assert asked.exit_code == 0, asked.output
    assert "密码（授权码）" in asked.output and PASSWORD not in asked.output
    remote = ["mail", "fetch", "--server", "imap.example.cn", "--security", "none", "--user", USER, "--out", str(out)]
    refused = CliRunner().invoke(main, remote, env={"QE_MAIL_PASSWORD": PASSWORD})
    assert refused.exit_code == 2


def test_a_dropped_connection_resumes_without_saving_twice(
    tmp_path: Path, small_rubric: Rubric, forms: dict[str, Path], imap: Dovecot
) -> None:
    for n, (name, path) in enumerate(forms.items()):
        raw = foxmail(name, "x@example.cn", f"评价表{name}", [(path.name, path.read_bytes())],
                      date=f"Tue, 25 Apr 2023 0{n}:00:00 +0800")  # fmt: skip
        imap.append(raw, datetime(2023, 4, 25, n, 0, tzinfo=CST))
    out = tmp_path / "returned"
    size = len(forms["甲局"].read_bytes())
    with DropProxy(imap.port, drop_after=int(size * 2)).running() as proxy:  # in the second message's body
        server = MailServer("127.0.0.1", USER, proxy.port, "none")
        broken = fetch_mail(server, PASSWORD, out, small_rubric)
        assert not broken.complete
        assert [p.code for p in broken.problems] == ["MAIL_CONNECTION_LOST"]
        assert "下次" in broken.problems[0].message or "再次运行" in broken.problems[0].message
        assert 1 <= len(broken.new_messages) < 3
        resumed = fetch_mail(server, PASSWORD, out, small_rubric)
    assert resumed.complete and resumed.problems == []
    assert len(broken.new_messages) + len(resumed.new_messages) == 3
    assert resumed.already == len(broken.new_messages)
    saved = [p for p in files_under(out) if p.endswith(".xlsx") and not p.startswith("收件")]
    assert sorted(Path(p).name for p in saved) == sorted(p.name for p in forms.values())
    assert not [p for p in out.rglob(".tmp-*")]


def test_malformed_and_oversized_messages_are_named_and_the_rest_is_saved(
    tmp_path: Path, small_rubric: Rubric, forms: dict[str, Path], imap: Dovecot
) -> None:
    jia = forms["甲局"].read_bytes()
    imap.append(cut_short("jia@example.cn", "jia.xlsx", jia, date="Thu, 4 May 2023 08:00:00 +0800"),
                datetime(2023, 5, 4, 8, 0, tzinfo=CST))  # fmt: skip
    imap.append(webmail("乙局", "yi@example.cn", "扫描件", [("扫描件.pdf", b"%PDF" + b"0" * 300_000, "application/pdf")],
                        date="Thu, 4 May 2023 09:00:00 +0800"), datetime(2023, 5, 4, 9, 0, tzinfo=CST))  # fmt: skip
    imap.append(webmail("乙局", "yi@example.cn", "超大邮件", [("视频.mp4", b"0" * 2_000_000, "video/mp4")],
                        date="Thu, 4 May 2023 10:00:00 +0800"), datetime(2023, 5, 4, 10, 0, tzinfo=CST))  # fmt: skip
    imap.append(webmail("乙局", "yi@example.cn", "评价表", [(FORM.format("乙局"), forms["乙局"].read_bytes(), XLSX)],
                        date="Thu, 4 May 2023 11:00:00 +0800"), datetime(2023, 5, 4, 11, 0, tzinfo=CST))  # fmt: skip
    imap.append(phone_reply("乙局", "yi@example.cn", "印证材料", "从163邮箱发来的超大附件：印证材料.zip 下载链接 30天内有效",
                            date="Thu, 4 May 2023 12:00:00 +0800"), datetime(2023, 5, 4, 12, 0, tzinfo=CST))  # fmt: skip
    limits = MailLimits(max_message_bytes=1_000_000, max_attachment_bytes=200_000)
    server = MailServer("127.0.0.1", USER, imap.port, "none")
    report = fetch_mail(server, PASSWORD, tmp_path / "out", small_rubric, limits=limits)
    assert [p.code for p in report.problems] == ["MAIL_MALFORMED", "MAIL_MALFORMED", "MAIL_ATTACHMENT_TOO_LARGE",
                                                 "MAIL_MESSAGE_TOO_LARGE", "MAIL_NO_ATTACHMENT",
                                                 "MAIL_CLOUD_ATTACHMENT"]  # fmt: skip
    assert "“评价表（重发）”" in report.problems[0].message and "截断" in report.problems[0].message
    assert "扫描件.pdf" in report.problems[2].message and "邮件编号 3" in report.problems[3].message
    assert report.complete and len(report.new_messages) == 5
    assert [r.file for r in report.receipts] == ["jia.xlsx", FORM.format("乙局")]
    assert "编码有误" in report.receipts[0].note


def test_ssl_and_starttls_with_the_servers_certificate(
    tmp_path: Path, small_rubric: Rubric, forms: dict[str, Path]
) -> None:
    ca = trustme.CA()
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    with Dovecot.running(ca) as imap:
        imap.append(foxmail("甲局", "jia@example.cn", "评价表", [(FORM.format("甲局"), forms["甲局"].read_bytes())],
                            date="Tue, 25 Apr 2023 09:00:00 +0800"), datetime(2023, 4, 25, 9, 0, tzinfo=CST))  # fmt: skip
        for security, port in (("ssl", imap.ssl_port), ("starttls", imap.port)):
            server = MailServer("localhost", USER, port, security, cafile=str(ca_file))
            report = fetch_mail(server, PASSWORD, tmp_path / security, small_rubric)
            assert report.problems == [] and [r.file for r in report.receipts] == [FORM.format("甲局")], security
        untrusted = fetch_mail(
            MailServer("localhost", USER, imap.ssl_port, "ssl"), PASSWORD, tmp_path / "x", small_rubric
        )
        assert [p.code for p in untrusted.problems] == ["MAIL_CONNECT_FAILED"]
        assert "服务器证书无法验证" in untrusted.problems[0].message
        plain_port = fetch_mail(MailServer("localhost", USER, imap.port, "ssl", cafile=str(ca_file)), PASSWORD,
                                tmp_path / "y", small_rubric)  # fmt: skip
        assert "加密连接失败" in plain_port.problems[0].message
    assert not (tmp_path / "x").exists()


def test_settings_file_holds_everything_but_the_password(
    tmp_path: Path, small_rubric_path: Path, imap: Dovecot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = tmp_path / "邮箱设置.toml"
    settings.write_text(f'server = "127.0.0.1"\nport = {imap.port}\nsecurity = "none"\nuser = "{USER}"\n', "utf-8")
    args = ["mail", "fetch", "--out", "回收", "--rubric", str(small_rubric_path), "--json"]
    done = CliRunner().invoke(main, args, env={"QE_MAIL_PASSWORD": PASSWORD})
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["complete"] is True
    settings.write_text('server = "127.0.0.1"\npassword = "secret"\n', "utf-8")
    refused = CliRunner().invoke(main, args, env={"QE_MAIL_PASSWORD": PASSWORD})
    assert refused.exit_code == 2 and "不能写密码" in refused.output
    wrong_port = CliRunner().invoke(main, [*args[:-1], "--settings", str(tmp_path / "无.toml"), "--server", "127.0.0.1",
                                           "--port", "1", "--security", "none", "--user", USER],
                                    env={"QE_MAIL_PASSWORD": PASSWORD})  # fmt: skip
    assert wrong_port.exit_code == 2 and "无法读取" in wrong_port.output
