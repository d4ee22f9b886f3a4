"""`qe mail fetch`: the office mailbox's attachments saved into the returned folder, with receipts.

Read-only on the mailbox: the folder is opened with EXAMINE and bodies are fetched with
BODY.PEEK, so nothing is deleted, moved or flagged (not even marked read). Idempotent: each
message handled is remembered in 收件记录.json by UIDVALIDITY:UID and the record is rewritten
(whole, through a temporary file) after every message, so a run that loses its connection is
resumed by the next one without saving anything twice.
"""

from __future__ import annotations

import contextlib
import imaplib
import re
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar

from ..intake.receipts import RECORD_JSON, Receipt, ReceiptBook, read_record, write_record
from ..problems import Problem, Severity, os_error_text, problem
from ..rubric import Rubric
from .message import SET_ASIDE, Envelope, MailLimits, Saved, save_message, too_large_entry
from .server import MailServer, MailServerError, connect, utf7_folder

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_ENVELOPE = re.compile(rb"UID (\d+)|RFC822\.SIZE (\d+)|INTERNALDATE \"([^\"]+)\"")


@dataclass
class FetchReport:
    out: Path
    new_messages: list[dict[str, Any]] = field(default_factory=list)
    receipts: list[Receipt] = field(default_factory=list)  # new this run
    already: int = 0  # messages fetched by earlier runs
    problems: list[Problem] = field(default_factory=list)
    complete: bool = True

    @property
    def clean(self) -> bool:
        return self.complete and all(p.severity is Severity.INFO for p in self.problems)

    def summary(self) -> str:
        """What was saved and what needs a look, in a few Chinese lines."""
        if not self.complete and not self.new_messages and not self.already:
            return "本次未能收取邮件（原因见上），没有保存任何文件。"
        saved = sum(1 for r in self.receipts if r.note.find("未重复保存") < 0)
        no_file = sum(1 for m in self.new_messages if m.get("status") == "无附件")
        aside = sum(1 for m in self.new_messages if m.get("status") == SET_ASIDE)
        lines = [
            f"本次收取新邮件 {len(self.new_messages)} 封，保存附件 {saved} 个"
            f"（重复发送未再保存 {len(self.receipts) - saved} 个），无附件邮件 {no_file} 封"
            + (f"，无法处理已跳过 {aside} 封（见收件记录“未保存的邮件”）" if aside else "")
            + f"；此前已收取 {self.already} 封。",
            f"附件保存在：{self.out}；收件记录：{self.out / RECORD_JSON}",
        ]
        look = [p for p in self.problems if p.code != "MAIL_INSECURE" and p.severity is not Severity.INFO]
        if look:
            lines.append(f"需要查看 {len(look)} 项（见上面的说明）。")
        if not self.complete:
            lines.append("本次收取没有完成；已保存的不会丢失，再次运行同一命令即可从中断处继续。")
        return "\n".join(lines)


def imap_date(day: date) -> str:
    return f"{day.day:02d}-{MONTHS[day.month - 1]}-{day.year}"


def parse_internaldate(text: str) -> datetime:
    """'28-Apr-2023 15:30:00 +0800' → an aware datetime (month names read without the locale)."""
    day, month, rest = text.strip().split("-", 2)
    year, clock, zone = rest.split(" ")
    hh, mm, ss = (int(x) for x in clock.split(":"))
    sign = -1 if zone.startswith("-") else 1
    offset = timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5])) * sign
    return datetime(int(year), MONTHS.index(month.title()) + 1, int(day), hh, mm, ss, tzinfo=timezone(offset))


def fetch_mail(
    server: MailServer,
    password: str,
    out: Path,
    rubric: Rubric,
    *,
    since: date | None = None,
    limits: MailLimits | None = None,
    on_total: Callable[[int], None] | None = None,
    on_message: Callable[[Saved], None] | None = None,
) -> FetchReport:
    """Save every new message's attachments under `out` and record them in 收件记录.json/.xlsx; `on_message` is
    told what became of each message as soon as it is recorded."""
    limits = limits or MailLimits()
    report = FetchReport(out)
    book = ReceiptBook()
    if (out / RECORD_JSON).exists():
        book, problems = read_record(out / RECORD_JSON)
        if problems:  # without the record, every message would be saved again
            report.problems += problems
            report.complete = False
            return report
    if not server.is_local and server.security == "none":
        report.problems.append(problem("MAIL_INSECURE", host=server.host))
    try:
        conn = connect(server, password)
    except MailServerError as exc:
        report.problems.append(exc.problem)
        report.complete = False
        return report
    try:
        _saving(lambda: out.mkdir(parents=True, exist_ok=True))
        _fetch_all(conn, server, out, rubric, book, report, since, limits, on_total, on_message)
    except SaveFailed as exc:
        report.complete = False
        report.problems.append(problem("MAIL_SAVE_FAILED", folder=str(out), reason=os_error_text(exc.error)))
    except (TimeoutError, imaplib.IMAP4.abort, OSError, ssl.SSLError, EOFError) as exc:
        report.complete = False
        report.problems.append(problem("MAIL_CONNECTION_LOST", host=server.host, done=len(report.new_messages),
                                       reason=type(exc).__name__))  # fmt: skip
    except imaplib.IMAP4.error as exc:
        report.complete = False
        report.problems.append(problem("MAIL_SERVER_REFUSED", host=server.host, reason=_server_text(exc)))
    finally:
        _logout(conn)
        if report.new_messages:
            with contextlib.suppress(OSError):  # the JSON record is already complete; this is for people
                write_record(out, book)
    return report


def _fetch_all(
    conn: imaplib.IMAP4,
    server: MailServer,
    out: Path,
    rubric: Rubric,
    book: ReceiptBook,
    report: FetchReport,
    since: date | None,
    limits: MailLimits,
    on_total: Callable[[int], None] | None,
    on_message: Callable[[Saved], None] | None,
) -> None:
    typ, _ = conn.select(utf7_folder(server.folder), readonly=True)  # EXAMINE: flags stay as they are
    if typ != "OK":
        report.problems.append(problem("MAIL_FOLDER_MISSING", folder=server.folder))
        report.complete = False
        return
    validity = int((conn.response("UIDVALIDITY")[1] or [b"0"])[0] or b"0")
    criteria = ["SINCE", imap_date(since)] if since else ["ALL"]
    typ, data = conn.uid("SEARCH", *criteria)
    uids = [int(x) for x in (data[0] or b"").split()] if typ == "OK" and data else []
    done = {m.get("mail_uid") for m in book.messages}
    new = [u for u in uids if f"{validity}:{u}" not in done]
    report.already = len(uids) - len(new)
    if on_total:
        on_total(len(new))
    envelopes = _envelopes(conn, validity, new)
    for uid in new:
        env = envelopes.get(uid)
        if env is None:  # expunged by another client meanwhile
            continue
        if env.size > limits.max_message_bytes:
            saved = too_large_entry(env, limits)
        else:
            raw = _body(conn, uid)
            saved = _saving(lambda: save_message(raw, env, out, book, rubric, limits))  # noqa: B023
        book.messages.append(saved.entry)
        book.add(saved.receipts)
        report.new_messages.append(saved.entry)
        report.receipts += saved.receipts
        report.problems += saved.problems
        _saving(lambda: write_record(out, book, people=False))  # the message is done: remember it
        if on_message:
            on_message(saved)


class SaveFailed(Exception):
    """Writing into the output folder failed (disk full, no permission): not the server's fault."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


T = TypeVar("T")


def _saving(write: Callable[[], T]) -> T:
    try:
        return write()
    except OSError as exc:
        raise SaveFailed(exc) from exc


def _envelopes(conn: imaplib.IMAP4, validity: int, uids: list[int]) -> dict[int, Envelope]:
    found: dict[int, Envelope] = {}
    for start in range(0, len(uids), 200):
        chunk = ",".join(str(u) for u in uids[start : start + 200])
        typ, data = conn.uid("FETCH", chunk, "(UID RFC822.SIZE INTERNALDATE)")
        if typ != "OK":
            continue
        for line in data:
            text = line[0] if isinstance(line, tuple) else line
            if not isinstance(text, bytes):
                continue
            uid = size = when = None
            for m in _ENVELOPE.finditer(text):
                uid = int(m.group(1)) if m.group(1) else uid
                size = int(m.group(2)) if m.group(2) else size
                when = m.group(3).decode() if m.group(3) else when
            if uid is not None and size is not None and when is not None:
                found[uid] = Envelope(validity, uid, parse_internaldate(when), size)
    return found


def _body(conn: imaplib.IMAP4, uid: int) -> bytes:
    typ, data = conn.uid("FETCH", str(uid), "(BODY.PEEK[])")
    for item in data or []:
        if typ == "OK" and isinstance(item, tuple) and isinstance(item[1], bytes):
            return item[1]
    raise imaplib.IMAP4.abort(f"no body for UID {uid}")


def _server_text(exc: Exception) -> str:
    text = str(exc.args[0] if exc.args else exc)
    if text.startswith("b'") or text.startswith('b"'):
        text = text[2:-1]
    return text[:200]


def _logout(conn: imaplib.IMAP4) -> None:
    with contextlib.suppress(imaplib.IMAP4.error, OSError, EOFError):
        conn.logout()


def fetch_json(report: FetchReport) -> dict[str, Any]:
    """The fetch report as JSON for programs."""
    return {
        "clean": report.clean,
        "complete": report.complete,
        "out": str(report.out),
        "already": report.already,
        "messages": report.new_messages,
        "receipts": [r.to_dict() for r in report.receipts],
        "problems": [p.to_dict() for p in report.problems],
    }
