"""Fetching the returns from the office mailbox on the page, against a real Dovecot: the receiving server is set on
the page (no password kept), the password typed for the one fetch is never kept or shown, every message is listed
with what became of its attachments, and the files fetched then collected give what `qe mail fetch` + `qe collect`
give on the command line."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from qe_workbook.cli import main
from qe_workbook.intake.receipts import RECORD_JSON, read_record

from .mailserver import PASSWORD, USER, Dovecot
from .test_mail_fetch import FORM, files_under, plant
from .test_ui_browser import browser, english_words, shoot, wait_text  # noqa: F401  (the browser fixture)
from .test_ui_fixes import body_text
from .test_ui_returns import Page, results_of, year_with_forms
from .test_ui_year import keyboard_walk
from .test_workspace import small_year
from .ui_server import UiServer


@pytest.fixture
def imap() -> Iterator[Dovecot]:
    with Dovecot.running() as server:
        yield server


def arrived_rows(html: str) -> list[str]:
    body = html[html.index('<table id="arrived-list">') :]
    return [body_text(f"<body>{row}").strip() for row in body[: body.index("</table>")].split("<tr>")[2:]]


def test_the_page_fetches_the_mailbox_as_the_command_line_does(tmp_path: Path, imap: Dovecot) -> None:
    ws, filled, _corrected = year_with_forms(tmp_path)
    plant(imap, filled)
    page = Page(ws)
    assert "还没有设置收信服务器" in page.get("mailbox")
    page.post("mailbox/settings", server="127.0.0.1", port=str(imap.port), security="none", user=USER, folder="")
    settings = tomllib.loads((ws.root / "邮箱设置.toml").read_text(encoding="utf-8"))
    assert settings == {"server": "127.0.0.1", "security": "none", "user": USER, "port": imap.port}
    shown = page.get("mailbox")
    assert (
        f"收信服务器 127.0.0.1（端口 {imap.port}，不加密，仅限本机上的服务器），邮箱账号 {USER}，收取文件夹 收件箱"
        in shown
    )

    wrong = page.job("mailbox/fetch", password="错的密码")
    assert any(f"以 {USER} 登录 127.0.0.1 失败" in line and "授权码" in line for line in wrong)
    assert "本次未能收取邮件（原因见上），没有保存任何文件。" in wrong and not ws.returned.exists()
    assert 'id="arrived"' not in page.get("mailbox")  # nothing listed as fetched

    lines = page.job("mailbox/fetch", password=PASSWORD)
    assert "本次收取新邮件 5 封，保存附件 5 个（重复发送未再保存 2 个），无附件邮件 1 封；此前已收取 0 封。" in lines
    html = page.get("mailbox")
    rows = arrived_rows(html)
    jia = f"20230503-091207_甲局_5/{FORM.format('甲局')}"
    assert rows[0].startswith("乙局 yi@example.cn 2023-04-28 10:00 评价表（乙局、质强办）")
    assert f"{FORM.format('乙局')}：已保存为 20230428-100000_乙局_1/评价表/{FORM.format('乙局')}" in rows[0]
    assert f"{FORM.format('质强办')}：未重复保存：与 2023-04-28 10:00 收到的文件内容相同" in rows[1]
    assert "没有附件（正文：已报送，请查收。）" in rows[2] and "无附件" in rows[2]
    assert "东区印证材料.rar" in rows[3] and "是未能自动解压的压缩格式" in rows[3]
    assert (
        rows[4]
        == f"甲局 jia@example.cn 2023-05-03 09:12 2022年度质量工作考核评价表（甲局） {FORM.format('甲局')}：已保存为 {jia}"
    )
    assert len(rows) == 5

    # The password is never kept or shown: not in the page, the job's report or any file of the workspace.
    assert PASSWORD not in html and all(PASSWORD not in line for line in lines + wrong)
    secret = PASSWORD.encode()
    assert [p for p in ws.root.rglob("*") if p.is_file() and secret in p.read_bytes()] == []

    # A new server (the page opened again tomorrow) lists what the receipt record holds, newest first.
    listed = arrived_rows(Page(ws).get("mailbox"))
    assert "收件记录中的邮件（共 5 封，最近的在前）" in Page(ws).get("mailbox")
    assert listed[0] == rows[4] and listed[1].startswith("东区 dongqu@example.cn 2023-04-09 16:20")
    assert listed[2].startswith("乙局 yi@example.cn 2023-04-28 11:00") and "无附件" in listed[2]

    # The command line fetches the same mailbox (read-only: nothing was marked or moved) into its own folder.
    cli = tmp_path / "命令行回收"
    fetched = CliRunner().invoke(main, ["mail", "fetch", "--server", "127.0.0.1", "--port", str(imap.port),
                                        "--security", "none", "--user", USER, "--out", str(cli),
                                        "--rubric", str(ws.rubric_path)], env={"QE_MAIL_PASSWORD": PASSWORD})  # fmt: skip
    assert fetched.exit_code == 1, fetched.output  # the same warnings
    assert files_under(cli) == files_under(ws.returned)
    (page_book, _), (cli_book, _) = read_record(ws.returned / RECORD_JSON), read_record(cli / RECORD_JSON)
    receipts = [[(r.file, r.saved_as, r.received_at, r.sender, r.channel, r.note) for r in b.receipts]
                for b in (page_book, cli_book)]  # fmt: skip
    assert receipts[0] == receipts[1] and len(receipts[0]) == 7

    # Collected on the page and on the command line: the same results, 甲局 late by its arrival.
    page.job("run")
    (run,) = ws.runs()
    result = CliRunner().invoke(main, ["collect", str(cli), "--rubric", str(ws.rubric_path), "--key",
                                       str(ws.key_path), "--out", str(tmp_path / "命令行结果"), "--json"])  # fmt: skip
    report = json.loads(result.output[result.output.index("{") :])
    (cli_run,) = [p for p in (tmp_path / "命令行结果").iterdir() if p.is_dir()]
    assert results_of(run) == results_of(cli_run)
    assert "RECEIPT_FORM_LATE" in [p["code"] for p in report["problems"]]
    assert "甲局的评价表于 2023-05-03 09:12（邮件）收到，晚于截止日期" in page.get("collect")

    again = page.job("mailbox/fetch", password=PASSWORD)
    assert "本次收取新邮件 0 封，保存附件 0 个（重复发送未再保存 0 个），无附件邮件 0 封；此前已收取 5 封。" in again
    assert "没有新邮件。" in page.get("mailbox")


def test_the_mailbox_page_by_clicks_and_keys(tmp_path: Path, imap: Dovecot, browser: object) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    ws, filled, _corrected = year_with_forms(tmp_path)
    plant(imap, filled)
    d = browser
    with UiServer(ws.root) as server:
        d.get(server.url)  # type: ignore[attr-defined]
        d.find_element(By.ID, "nav-mailbox").click()  # type: ignore[attr-defined]
        wait_text(d, "还没有设置收信服务器")
        shoot(d, "收取邮件-未设置")
        assert keyboard_walk(d) == ([], [])
        for field, value in (("imap-server", "127.0.0.1"), ("imap-port", str(imap.port)), ("imap-user", USER)):
            d.find_element(By.ID, field).send_keys(value)  # type: ignore[attr-defined]
        Select(d.find_element(By.ID, "imap-security")).select_by_visible_text("不加密，仅限本机上的服务器")  # type: ignore[attr-defined]
        d.find_element(By.ID, "save-imap-settings").click()  # type: ignore[attr-defined]
        wait_text(d, "已保存收信服务器的设置（不含密码）。")
        d.find_element(By.ID, "mail-password").send_keys(PASSWORD)  # type: ignore[attr-defined]
        shoot(d, "收取邮件-输入密码")
        d.find_element(By.ID, "fetch-mail").click()  # type: ignore[attr-defined]
        wait_text(d, "本次收取新邮件 5 封")
        shoot(d, "收取邮件-收到的邮件")
        d.execute_script("document.getElementById('arrived').scrollIntoView();")  # type: ignore[attr-defined]
        shoot(d, "收取邮件-收到的邮件清单")
        d.execute_script("document.querySelector('details').open = true;")  # type: ignore[attr-defined]  # the settings
        assert keyboard_walk(d) == ([], [])
        text = d.find_element(By.TAG_NAME, "body").text  # type: ignore[attr-defined]
        assert "最近一次收取的邮件（5 封）" in text and PASSWORD not in d.page_source  # type: ignore[attr-defined]
        assert english_words(text.replace(str(ws.root), "").replace("东区印证材料.rar", "")) == set()  # names as sent
        d.find_element(By.ID, "nav-returns").click()  # type: ignore[attr-defined]
        wait_text(d, "2023-05-03 09:12")
        shoot(d, "收取邮件-回收的评价表")


def test_the_receiving_and_the_sending_server_share_the_one_settings_file(tmp_path: Path) -> None:
    ws, _rubric = small_year(tmp_path)
    page = Page(ws)
    page.post("chase/settings", smtp_server="smtp.126.com", smtp_port="", smtp_security="ssl", smtp_user="lhzl@126.com")
    page.post("mailbox/settings", server="imap.126.com", port="993", security="ssl", user="lhzl@126.com",
              folder="评价表")  # fmt: skip
    both = {"smtp_server": "smtp.126.com", "smtp_security": "ssl", "smtp_user": "lhzl@126.com",
            "server": "imap.126.com", "security": "ssl", "user": "lhzl@126.com", "port": 993, "folder": "评价表"}  # fmt: skip
    assert tomllib.loads((ws.root / "邮箱设置.toml").read_text(encoding="utf-8")) == both
    page.post("chase/settings", smtp_server="smtp.163.com", smtp_port="", smtp_security="ssl", smtp_user="lhzl@126.com")
    assert tomllib.loads((ws.root / "邮箱设置.toml").read_text(encoding="utf-8")) == {
        **both,
        "smtp_server": "smtp.163.com",
    }
    page.post("mailbox/settings", server="imap.example.cn", port="", security="none", user="lhzl@126.com", folder="")
    assert "imap.example.cn 不在本机，不能不加密收取邮件" in page.get("mailbox")  # kept as typed, refused when used
    page.post("mailbox/settings", server="", port="x", security="ssl", user="", folder="")
    assert "收信服务器的设置不完整" in page.get("mailbox")
