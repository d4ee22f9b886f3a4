"""The later steps' pages, through the page's own routes (Flask's test client, the same app `qe ui` serves): each
page shows in Chinese with every control labelled; a run that must not be used shows its refusal and offers nothing
official; the adjustment typed on the page lands in adjustments.xlsx; the key backup sheet is handed over while the
key file is not; a chase password is used, never shown."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from flask.testing import FlaskClient

from qe_workbook.keys import key_fingerprint
from qe_workbook.ui.app import create_app
from qe_workbook.workspace.chase import draft_folders
from qe_workbook.workspace.layout import Workspace
from qe_workbook.workspace.registers import ADJUSTMENTS, adjustment_rows, kept
from qe_workbook.workspace.units import check_units_in, generate_units_in

from .forms import KEY, TIE
from .test_mail_chase import SMTP_PASSWORD, SMTP_USER, Inbox, smtp  # noqa: F401  (the SMTP server fixture)
from .test_ui_browser import english_words
from .test_workspace_steps import collected_year

TOKEN = "t" * 32
STEPS = ("chase", "review", "wording", "reports", "approval", "archive", "rectify", "next-year", "key-backup")


class Controls(HTMLParser):
    """The page's form controls, and which of them no label names (by `for`, by enclosing it, or aria-label)."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.label_for: set[str] = set()
        self.in_label = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "label":
            self.in_label += 1
            if a.get("for"):
                self.label_for.add(str(a["for"]))
        elif tag in ("input", "select", "textarea") and a.get("type") != "hidden":
            self.controls.append({**a, "_in_label": "1" if self.in_label else None})

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.in_label -= 1

    def unlabelled(self) -> list[str]:
        return [str(c.get("id") or c.get("name")) for c in self.controls
                if not (c["_in_label"] or c.get("aria-label") or c.get("id") in self.label_for)]  # fmt: skip


def csrf(client: FlaskClient) -> str:
    with client.session_transaction(f"/{TOKEN}/overview") as session:
        return str(session["csrf"])


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S))


@pytest.fixture
def year(tmp_path: Path) -> Iterator[tuple[Workspace, FlaskClient]]:
    ws, _rubric, _run = collected_year(tmp_path)
    client = create_app(ws.root, TOKEN).test_client()
    client.get(f"/{TOKEN}/overview")
    yield ws, client


def test_every_later_page_is_chinese_with_every_control_labelled(year: tuple[Workspace, FlaskClient]) -> None:
    ws, client = year
    for step in STEPS:
        response = client.get(f"/{TOKEN}/{step}")
        html = response.get_data(as_text=True)
        assert response.status_code == 200, step
        assert english_words(text_of(html).replace(str(ws.root), "")) == set(), step
        controls = Controls()
        controls.feed(html)
        assert controls.unlabelled() == [], step
        assert f'id="nav-{step.replace("-", "_")}"' in html and 'aria-current="page"' in html


def test_an_adjustment_typed_on_the_page_lands_in_the_register(year: tuple[Workspace, FlaskClient]) -> None:
    ws, client = year
    fields = {"csrf": csrf(client), "unit": "西区", "kind": "扣分", "amount": "1", "basis": "", "remark": ""}
    refused = client.post(f"/{TOKEN}/review/adjustment", data=fields, follow_redirects=True).get_data(as_text=True)
    assert "西区的调整没有写明依据" in refused and kept(ws, ADJUSTMENTS) is None
    fields["basis"] = "会议纪要〔2023〕3号"
    page = client.post(f"/{TOKEN}/review/adjustment", data=fields, follow_redirects=True).get_data(as_text=True)
    assert "已记入会议调整表：西区扣分 1。重新汇总后生效。" in page and 'id="adjustment-list"' in page
    rubric, _ = ws.load_rubric()
    assert rubric is not None
    assert adjustment_rows(ws, rubric)[0] == [["西区", "扣分 1 分", "会议纪要〔2023〕3号", ""]]
    collect = text_of(client.get(f"/{TOKEN}/collect").get_data(as_text=True))
    assert "会议调整表将一并计入" in collect and "adjustments.xlsx" not in collect  # said by name, not by its path


def test_the_key_backup_sheet_is_handed_over_and_the_key_file_is_not(year: tuple[Workspace, FlaskClient]) -> None:
    ws, client = year
    sheet = client.post(f"/{TOKEN}/key-backup/sheet", data={"csrf": csrf(client)})
    assert sheet.status_code == 200 and "attachment" in sheet.headers["Content-Disposition"]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(sheet.data)).paragraphs)
    assert key_fingerprint(KEY) in text
    assert client.post(f"/{TOKEN}/key-backup/sheet").status_code == 403  # no CSRF token, no sheet
    key = client.get(f"/{TOKEN}/file", query_string={"path": ws.relative(ws.key_path)})
    assert key.status_code == 403 and KEY.hex().encode() not in key.data


def test_a_run_collected_with_another_key_shows_its_refusal_and_offers_nothing(tmp_path: Path) -> None:
    ws, _rubric, _run = collected_year(tmp_path, key=bytes(32))
    client = create_app(ws.root, TOKEN).test_client()
    for step, offered in (("chase", "write-drafts"), ("review", "write-prechecks"), ("wording", "export-wording"),
                          ("reports", "write-reports"), ("approval", "approve"), ("archive", "make-archive"),
                          ("rectify", "generate-ledgers")):  # fmt: skip
        html = client.get(f"/{TOKEN}/{step}").get_data(as_text=True)
        assert "这次汇总的结果不能使用" in html and "很可能" in html and f'id="{offered}"' not in html, step
    made = client.post(f"/{TOKEN}/chase/drafts", data={"csrf": csrf(client)}, follow_redirects=True)
    assert "不能用于催报" in made.get_data(as_text=True) and not (ws.root / "out" / "chase").exists()


def test_only_the_workspaces_own_drafts_are_sent_and_the_password_is_never_shown(
    year: tuple[Workspace, FlaskClient],
) -> None:
    _ws, client = year
    assert client.get(f"/{TOKEN}/chase/confirm", query_string={"folder": "../../out"}).status_code == 403
    sent = client.post(f"/{TOKEN}/chase/send", data={"csrf": csrf(client), "folder": "..", "password": "秘密123"})
    assert sent.status_code == 403 and "秘密123" not in sent.get_data(as_text=True)


def test_drafts_are_sent_through_the_server_set_on_the_page_after_the_confirmation(
    tmp_path: Path,
    smtp: tuple[Inbox, int],  # noqa: F811
) -> None:
    inbox, port = smtp
    ws, _rubric, _run = collected_year(tmp_path, {k: v for k, v in TIE.items() if k != "乙局"})
    client = create_app(ws.root, TOKEN).test_client()
    client.get(f"/{TOKEN}/chase")
    page = client.post(f"/{TOKEN}/chase/drafts", data={"csrf": csrf(client)}, follow_redirects=True)
    assert "已写好 1 封催报邮件草稿。" in page.get_data(as_text=True)
    assert "还没有设置发信服务器" in page.get_data(as_text=True) and 'id="confirm-send"' not in page.get_data(
        as_text=True
    )
    settings = {"csrf": csrf(client), "smtp_server": "127.0.0.1", "smtp_port": str(port), "smtp_security": "none",
                "smtp_user": SMTP_USER}  # fmt: skip
    page = client.post(f"/{TOKEN}/chase/settings", data=settings, follow_redirects=True)
    assert "已保存发信服务器的设置（不含密码）。" in page.get_data(as_text=True)
    (folder,) = draft_folders(ws)
    confirm = client.get(f"/{TOKEN}/chase/confirm", query_string={"folder": folder.name}).get_data(as_text=True)
    assert "将通过发信服务器 127.0.0.1 以 office@example.cn 的名义发送 1 封催报邮件" in confirm
    assert 'type="password"' in confirm and inbox.received == []  # nothing sent before the confirmation
    sent = client.post(f"/{TOKEN}/chase/send", data={"csrf": csrf(client), "folder": folder.name,
                                                     "password": SMTP_PASSWORD}, follow_redirects=True)  # fmt: skip
    text = sent.get_data(as_text=True)
    assert "已发送 1 封催报邮件：乙局。" in text and SMTP_PASSWORD not in text
    assert [rcpt for _f, rcpt, _raw in inbox.received] == [["yi@example.cn"]]
    kept = "".join(
        p.read_text(encoding="utf-8", errors="replace") for p in ws.root.rglob("*") if p.suffix in (".toml", ".csv")
    )
    assert SMTP_PASSWORD not in kept and "smtp_user" in kept


def test_the_later_steps_through_their_routes(year: tuple[Workspace, FlaskClient]) -> None:
    """得分核对单 with a typed deadline, the wording exported and the edited one uploaded, reports dated and worded,
    审定稿 with its basis and who, the ledgers generated, returned and collected — each saying what it did."""
    ws, client = year

    def post(path: str, **fields: object) -> str:
        data = {"csrf": csrf(client), **fields}
        return client.post(f"/{TOKEN}/{path}", data=data, follow_redirects=True).get_data(as_text=True)

    assert "反馈异议的截止日期应为日期，例如 2023-05-20。" in post("review/precheck", deadline="5月20日")
    page = post("review/precheck", deadline="2023-05-20")
    assert "已为 3 个被考核单位生成得分核对单（截止日期 2023-05-20）。" in page and "得分核对单.xlsx" in page
    assert "已导出反馈修改稿" in post("wording/export")
    (run,) = ws.runs()
    edited = (run / "反馈修改稿.xlsx").read_bytes()
    assert "已保存改好的反馈修改稿" in post("wording/upload", file=(io.BytesIO(edited), "反馈修改稿（改好）.xlsx"))
    assert "成文日期应为日期" in post("reports/write", date="明天")
    page = post("reports/write", date="2023-05-08", wording="1")
    assert "已重新生成" in page and "<summary>反馈意见（3 份）</summary>" in page
    assert "已记为审定稿（张三，依据：会议纪要〔2023〕3号）" in post(
        "approval/approve", stage="审定稿", basis="会议纪要〔2023〕3号", by="张三", wording="1"
    )
    page = client.get(f"/{TOKEN}/approval").get_data(as_text=True)
    assert (
        'id="current-stage">审定稿<' in page and "会议纪要〔2023〕3号" in page and 'id="approve-form"' in page
    )  # 印发稿 next
    assert "已生成 3 份整改台账" in post("rectify/generate", wording="1")
    (ledger,) = [p for p in (run / "整改台账").rglob("西区_*.xlsx")]
    assert "已保存 1 份交回的整改台账。" in post("rectify/upload", files=(io.BytesIO(ledger.read_bytes()), ledger.name))
    page = post("rectify/collect", today="2023-07-15")
    assert re.search(r"共 \d+ 个问题，逾期 0 个。", page) and 'id="ledger-units"' in page


def test_units_whose_materials_are_missing_are_chased_from_the_latest_check(
    year: tuple[Workspace, FlaskClient],
) -> None:
    ws, client = year
    rubric, _ = ws.load_rubric()
    assert rubric is not None
    assert 'id="write-unit-drafts"' not in client.get(f"/{TOKEN}/chase").get_data(as_text=True)
    generate_units_in(ws, rubric)
    assert check_units_in(ws, rubric).folder is not None  # nothing received from any unit
    assert 'id="write-unit-drafts"' in client.get(f"/{TOKEN}/chase").get_data(as_text=True)
    page = client.post(f"/{TOKEN}/chase/units", data={"csrf": csrf(client)}, follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "已写好 3 封县区材料催报邮件草稿。" in text
    (folder,) = draft_folders(ws)
    assert sorted(p.name for p in folder.glob("*.eml")) == ["催报_东区.eml", "催报_南区.eml", "催报_西区.eml"]
