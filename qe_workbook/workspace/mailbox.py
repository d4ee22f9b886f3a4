"""The returns fetched from the office mailbox into a workspace, as `qe mail fetch --out 回收的评价表` run in its folder
fetches them: the receiving server of the workspace's 邮箱设置.toml, a password used for that one fetch and never
kept, every message's attachments saved into the returned folder with their arrival in the one receipt record."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from ..choices import SECURITY, SETTINGS_FILE
from ..intake.receipts import OFFICE_TZ, RECORD_JSON, Receipt, read_record
from ..mail.fetch import FetchReport, fetch_mail
from ..mail.message import Saved
from ..mail.server import MailServer
from ..problems import Problem, problem
from ..rubric import Rubric
from .layout import Workspace
from .mail_settings import RECEIVING, mail_settings, server_fields, write_side

INBOX = "INBOX"


@dataclass(frozen=True)
class Incoming:
    """The configured receiving server (never a password), or why there is none."""

    server: MailServer | None
    problems: list[Problem] = field(default_factory=list)
    password_from_environment: bool = False


def incoming(ws: Workspace) -> Incoming:
    """The receiving server from the workspace's 邮箱设置.toml (server, port, security, user, folder), read as
    `qe mail fetch` reads it: the folder defaults to the inbox and the security to SSL."""
    settings, problems = mail_settings(ws)
    from_environment = bool(os.environ.get("QE_MAIL_PASSWORD"))
    host, user = str(settings.get("host") or ""), str(settings.get("user") or "")
    if problems:
        return Incoming(None, problems, from_environment)
    if not host or not user:
        return Incoming(None, [problem("MAIL_FETCH_SETTINGS_MISSING", file=SETTINGS_FILE)], from_environment)
    security = str(settings.get("security") or "ssl")
    port = settings.get("port")
    server = MailServer(host, user, int(str(port)) if port else None, security if security in SECURITY else "ssl",
                        folder=str(settings.get("folder") or INBOX),
                        cafile=str(ws.root / str(settings["cafile"])) if settings.get("cafile") else None)  # fmt: skip
    if server.security == "none" and not server.is_local:
        return Incoming(None, [problem("MAIL_FETCH_PLAIN_NOT_LOCAL", file=SETTINGS_FILE, host=host)], from_environment)
    return Incoming(server, [], from_environment)


def save_incoming(ws: Workspace, host: str, port: str, security: str, user: str, folder: str) -> list[Problem]:
    """Write the receiving server into the workspace's 邮箱设置.toml (the sending settings and any others in it are
    kept; never a password); an empty folder is the inbox."""
    given = server_fields("", host, port, security, user)
    if given is None:
        return [problem("MAIL_FETCH_SETTINGS_INCOMPLETE", file=SETTINGS_FILE)]
    return write_side(ws, RECEIVING, {**given, "folder": folder.strip()})


def fetch_into(ws: Workspace, rubric: Rubric, password: str, *, since: date | None = None,
               on_total: Callable[[int], None] | None = None,
               on_message: Callable[[Saved], None] | None = None) -> FetchReport:  # fmt: skip
    """`qe mail fetch --out 回收的评价表 [--since …]` with the workspace's settings: the password typed (else
    QE_MAIL_PASSWORD) is used for this fetch only."""
    server = incoming(ws)
    if server.server is None:
        return FetchReport(ws.returned, problems=server.problems, complete=False)
    return fetch_mail(server.server, password or os.environ.get("QE_MAIL_PASSWORD", ""), ws.returned, rubric,
                      since=since, on_total=on_total, on_message=on_message)  # fmt: skip


@dataclass(frozen=True)
class Arrived:
    """One message of a fetch as the clerk reads it: who sent it when, what became of each attachment, and what
    needs a look (the fetch's problems about this message)."""

    sender: str
    address: str
    received: str  # office time, 2023-04-28 10:00
    subject: str
    status: str  # 已保存, 无附件, 过大未下载, 已隔离 (the record's words)
    files: list[tuple[str, str]]  # (the attachment's name as sent, what became of it)
    problems: list[Problem]


def arrived(saved: Saved) -> Arrived:
    """One message as `fetch_mail` tells it (`on_message`), or as the receipt record keeps it."""
    entry = saved.entry
    when = datetime.fromisoformat(str(entry["received_at"])).astimezone(OFFICE_TZ)
    address = str(entry.get("address") or "")
    sender = str(entry.get("sender") or entry.get("display") or address or "（未知发件人）")
    files = [(r.file or "", _kept(r)) for r in saved.receipts]
    status = str(entry.get("status") or "") + (f"：{entry['reason']}" if entry.get("reason") else "")
    return Arrived(sender, address, f"{when:%Y-%m-%d %H:%M}", str(entry.get("subject") or "（无主题）"), status, files,
                   saved.problems)  # fmt: skip


def recorded(ws: Workspace, most: int = 100) -> tuple[list[Arrived], int]:
    """The messages the receipt record of the returned folder holds (the latest `most`, newest first) and how many
    it holds: what earlier fetches brought in, from the page or the command line."""
    book, problems = read_record(ws.returned / RECORD_JSON) if (ws.returned / RECORD_JSON).is_file() else (None, [])
    if book is None or problems:
        return [], 0
    files: dict[str, list[Receipt]] = {}
    for receipt in book.receipts:
        files.setdefault(receipt.mail_uid or "", []).append(receipt)
    latest = book.messages[::-1][:most]
    return [arrived(Saved(entry, files.get(str(entry.get("mail_uid")), []))) for entry in latest], len(book.messages)


def _kept(receipt: Receipt) -> str:
    """What became of one attachment: saved (where in the returned folder), or the same as a file kept earlier."""
    same = next((part for part in receipt.note.split("；") if "未重复保存" in part), "")
    return f"未重复保存：{same.removesuffix('，未重复保存')}" if same else f"已保存为 {receipt.saved_as}"
