"""`qe mail chase`: drafts for the departments with a missing, rejected or faulty return, read back
with the email package; `--send` through a real SMTP server (aiosmtpd) that keeps what it gets."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from click.testing import CliRunner

from qe_workbook.cli import main
from qe_workbook.intake.receipts import OFFICE_TZ
from qe_workbook.mail.chase import run_chase
from qe_workbook.pipeline import CollectOptions, run_collect
from qe_workbook.rubric import Rubric
from qe_workbook.units.materials import CONTACTS_FILE, REPORT_TEMPLATE_FILE
from qe_workbook.units.package import generate_packages
from qe_workbook.units.report_out import run_units_check
from qe_workbook.units.simulate import fill_contacts, write_report

from .forms import KEY, TIE, fill_all, generate, with_changes
from .mailserver import free_port

SMTP_USER, SMTP_PASSWORD = "office@example.cn", "AbCdEfGh12345678"
NOW = datetime(2023, 5, 2, 9, 30, tzinfo=OFFICE_TZ)


class Inbox:
    """What the SMTP server was given."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"


def _login(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (SMTP_USER.encode(), SMTP_PASSWORD.encode())
    return AuthResult(success=ok, handled=False)  # a refusal answered with 535, as real servers do


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=_login, auth_require_tls=False)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def run(tmp_path: Path, small_rubric: Rubric) -> Path:
    """甲局 gave 45 of 40 points in one cell, 乙局 sent nothing, 质强办 sent a PDF named as its form."""
    generated = generate(small_rubric, tmp_path / "forms")
    answers = with_changes(TIE, "甲局", {("东区", "01-1"): (45, "超出满分。")})
    del answers["乙局"]
    answers.pop("质强办")
    fill_all(generated, tmp_path / "returned", answers)
    (tmp_path / "returned" / "2022年度质量工作考核评价表_质强办.xlsx").write_bytes(b"%PDF-1.4 scanned")
    return run_collect(
        tmp_path / "returned", small_rubric, KEY, CollectOptions(tmp_path / "results", reports=False)
    ).folder


def parse(path: Path) -> EmailMessage:
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def test_drafts_name_each_problem_and_reattach_the_blank_form(tmp_path: Path, small_rubric: Rubric, run: Path) -> None:
    report = run_chase(run, small_rubric, tmp_path / "chase", forms_dir=tmp_path / "forms", now=NOW)
    assert report.problems == []
    assert [(c.recipient.name, c.reason) for c in report.chases] == [("甲局", "已采用，需更正"), ("乙局", "未收到"),
                                                                     ("质强办", "退回")]  # fmt: skip
    assert report.folder is not None
    drafts = {p.name: parse(p) for p in sorted(report.folder.glob("*.eml"))}
    assert list(drafts) == ["催报_乙局.eml", "催报_甲局.eml", "催报_质强办.eml"]

    jia = drafts["催报_甲局.eml"]
    assert jia["To"] == "甲局 <jia@example.cn>"
    assert jia["From"] == "质强办 <office@example.cn>"
    assert jia["Subject"] == "【催报】2022年度质量工作考核评价表（甲局，已采用，需更正）"
    assert jia["X-Unsent"] == "1"
    body = jia.get_body(("plain",)).get_content()
    assert "以下单元格需要更正" in body
    assert "1. 文件 2022年度质量工作考核评价表_甲局.xlsx，工作表“评价表”，单元格 E5：" in body
    assert "超过" in body and "得分应在 0 到满分之间，请更正。" in body
    assert "截止日期（2023年4月30日）已过，请尽快在原评价表中更正上述单元格" in body
    assert list(jia.iter_attachments()) == []

    yi = drafts["催报_乙局.eml"]
    assert (
        "截至 2023年5月2日，质强办尚未收到贵单位的2022年度质量工作考核评价表。" in yi.get_body(("plain",)).get_content()
    )
    (blank,) = yi.iter_attachments()
    assert blank.get_filename() == "2022年度质量工作考核评价表_乙局.xlsx"
    assert blank.get_content() == (tmp_path / "forms" / "2022年度质量工作考核评价表_乙局.xlsx").read_bytes()

    office = drafts["催报_质强办.eml"]
    text = office.get_body(("plain",)).get_content()
    assert "因以下问题未能采用" in text and "PDF" in text
    assert len(list(office.iter_attachments())) == 1


def test_nothing_to_chase_and_a_folder_that_is_not_a_run(tmp_path: Path, small_rubric: Rubric) -> None:
    fill_all(generate(small_rubric, tmp_path / "forms"), tmp_path / "returned", TIE)
    clean = run_collect(
        tmp_path / "returned", small_rubric, KEY, CollectOptions(tmp_path / "results", reports=False)
    ).folder
    report = run_chase(clean, small_rubric, tmp_path / "chase", forms_dir=tmp_path / "forms")
    assert report.chases == [] and report.problems == [] and not (tmp_path / "chase").exists()
    wrong = run_chase(tmp_path / "forms", small_rubric, tmp_path / "chase", forms_dir=None)
    assert [p.code for p in wrong.problems] == ["CHASE_RUN_INVALID"]
    missing_forms = run_chase(clean.parent, small_rubric, tmp_path / "chase", forms_dir=None)
    assert [p.code for p in missing_forms.problems] == ["CHASE_RUN_INVALID"]


def test_send_over_smtp_after_confirmation_with_a_log(
    tmp_path: Path, small_rubric_path: Path, run: Path, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    args = ["mail", "chase", str(run), "--rubric", str(small_rubric_path), "--forms", str(tmp_path / "forms"),
            "--out", str(tmp_path / "chase"), "--send", "--smtp-server", "127.0.0.1", "--smtp-port", str(port),
            "--smtp-security", "none", "--smtp-user", SMTP_USER]  # fmt: skip
    declined = CliRunner().invoke(main, args, input="n\n", env={"QE_MAIL_PASSWORD": SMTP_PASSWORD})
    assert declined.exit_code == 1 and "未发送" in declined.output and inbox.received == []

    wrong = CliRunner().invoke(main, args, input="y\n", env={"QE_MAIL_PASSWORD": "wrong"})
    assert "MAIL_LOGIN_FAILED" in wrong.output and inbox.received == []

    sent = CliRunner().invoke(main, args, input="y\n", env={"QE_MAIL_PASSWORD": SMTP_PASSWORD})
    assert "已发送 3 封" in sent.output, sent.output
    assert sorted(rcpt for _f, (rcpt,), _raw in inbox.received) == ["jia@example.cn", "office@example.cn",
                                                                     "yi@example.cn"]  # fmt: skip
    arrived = {message_from_bytes(raw, policy=policy.default)["Subject"]: raw for _f, _t, raw in inbox.received}
    yi = message_from_bytes(arrived["【催报】2022年度质量工作考核评价表（乙局，未收到）"], policy=policy.default)
    assert yi["From"] == f"质强办 <{SMTP_USER}>" and yi["X-Unsent"] is None
    assert isinstance(yi, EmailMessage) and len(list(yi.iter_attachments())) == 1
    (folder,) = sorted((tmp_path / "chase").iterdir())[-1:]
    with (folder / "发送记录.csv").open(encoding="utf-8-sig") as fh:
        log = list(csv.reader(fh))
    assert log[0] == ["发送时间", "收件单位", "收件地址", "主题", "结果"]
    assert [(r[1], r[2], r[4]) for r in log[1:]] == [("甲局", "jia@example.cn", "已发送"),
                                                    ("乙局", "yi@example.cn", "已发送"),
                                                    ("质强办", "office@example.cn", "已发送")]  # fmt: skip


def test_units_with_missing_or_faulty_materials_are_chased(tmp_path: Path, rubric_2022: Rubric) -> None:
    """源汇区 sent a report with 4 cases; 开发区 sent nothing: it gets both templates again."""
    packages = tmp_path / "units"
    generate_packages(rubric_2022, packages, KEY, generated_at=datetime(2023, 3, 1, 9, 0))
    received = tmp_path / "received"
    person = ("张敏", "县市场监管局", "股长", "0395-7212345", "13839512345", "zhangmin@example.com")
    for u in rubric_2022.units:
        if u.name != "开发区":
            write_report(
                received / u.name / f"{u.name}自评报告.docx", rubric_2022, u, cases=4 if u.name == "源汇区" else 3
            )
            fill_contacts(packages / u.name / CONTACTS_FILE, received / u.name / CONTACTS_FILE, [person])
    _check, folder = run_units_check(received, rubric_2022, KEY, tmp_path / "checks")
    report = run_chase(folder, rubric_2022, tmp_path / "chase", forms_dir=None, packages_dir=packages, now=NOW)
    assert [(c.recipient.name, c.reason) for c in report.chases] == [("源汇区", "需更正"), ("开发区", "未报送")]
    assert [p.code for p in report.problems] == ["CHASE_NO_ADDRESS"] and "开发区" in report.problems[0].message
    assert report.folder is not None
    yuanhui = parse(report.folder / "催报_源汇区.eml")
    assert yuanhui["To"] == "源汇区人民政府 <zhangmin@example.com>"
    assert yuanhui["Subject"] == "【催报】2022年度质量工作考核自评材料（源汇区，需更正）"
    text = yuanhui.get_body(("plain",)).get_content()
    assert "源汇区/源汇区自评报告.docx" in text and "4 个典型案例" in text
    assert "截止日期（2023年4月10日）已过，请尽快按上述说明补报或修改后回复本邮件。" in text
    assert list(yuanhui.iter_attachments()) == []
    kaifa = parse(report.folder / "催报_开发区.eml")
    assert kaifa["To"] is None
    assert [a.get_filename() for a in kaifa.iter_attachments()] == [CONTACTS_FILE, REPORT_TEMPLATE_FILE]
    assert "现将需要补报材料的模板随本邮件再次发送" in kaifa.get_body(("plain",)).get_content()
