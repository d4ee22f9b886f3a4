"""Chase mails from a workspace, as `qe mail chase` run in its folder writes and sends them: the drafts of a run
into out/chase/<time>, and those very drafts sent through the mail server of the workspace's 邮箱设置.toml
with a password that is used for the one sending and never kept."""

from __future__ import annotations

import os
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from ..choices import SECURITY, SEND_LOG, SETTINGS_FILE
from ..mail.chase import Chase, ChaseReport, Recipient, run_chase, send_chases
from ..mail.server import MailServer
from ..problems import Problem, problem
from ..rubric import Rubric
from .layout import Workspace
from .mail_settings import SENDING, mail_settings, server_fields, write_side

CHASE = "out/chase"
SECURITY_LABELS = {
    "ssl": "加密连接（SSL）",
    "starttls": "先明文后加密（STARTTLS）",
    "none": "不加密（仅限本机上的服务器）",
}
DRAFT_PREFIX = "催报_"


def write_chases(ws: Workspace, run: Path, rubric: Rubric) -> ChaseReport:
    """`qe mail chase <run> --forms out/forms --packages out/units --out out/chase`: the drafts, written."""
    settings, _ = mail_settings(ws)
    sender = settings.get("sender") or settings.get("smtp_user")
    return run_chase(run, rubric, ws.root / CHASE, forms_dir=ws.forms, packages_dir=ws.root / "out" / "units",
                     sender=str(sender) if sender else None)  # fmt: skip


def draft_folders(ws: Workspace) -> list[Path]:
    """The folders of drafts written so far, newest first."""
    folder = ws.root / CHASE
    found = [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")] if folder.is_dir() else []
    return sorted(found, key=lambda p: p.name, reverse=True)


@dataclass(frozen=True)
class Draft:
    path: Path
    name: str  # the department (or unit) chased
    to: str
    subject: str
    attachments: int


def read_drafts(folder: Path) -> list[tuple[Draft, EmailMessage]]:
    """The .eml drafts of one folder as they were written."""
    found = []
    for path in sorted(folder.glob("*.eml")):
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(message, EmailMessage)
        to = message["To"].addresses[0].addr_spec if message["To"] and message["To"].addresses else ""
        name = path.stem.removeprefix(DRAFT_PREFIX)
        draft = Draft(path, name, to, str(message["Subject"] or ""), len(list(message.iter_attachments())))
        found.append((draft, message))
    return found


def sent_log(folder: Path) -> Path | None:
    path = folder / SEND_LOG
    return path if path.is_file() else None


@dataclass(frozen=True)
class Outgoing:
    """The configured mail server (never a password), or why there is none."""

    server: MailServer | None
    settings_file: Path
    problems: list[Problem]
    password_from_environment: bool


def outgoing(ws: Workspace) -> Outgoing:
    """The sending server from the workspace's 邮箱设置.toml (smtp_server, smtp_user, smtp_port, smtp_security)."""
    path = ws.root / SETTINGS_FILE
    settings, problems = mail_settings(ws)
    host, user = str(settings.get("smtp_server") or ""), str(settings.get("smtp_user") or "")
    security = str(settings.get("smtp_security") or "ssl")
    from_environment = bool(os.environ.get("QE_MAIL_PASSWORD"))
    if problems:
        return Outgoing(None, path, problems, from_environment)
    if not host or not user:
        return Outgoing(None, path, [problem("MAIL_SETTINGS_MISSING", file=SETTINGS_FILE)], from_environment)
    port = settings.get("smtp_port")
    server = MailServer(host, user, int(str(port)) if port else None, security if security in SECURITY else "ssl")
    if server.security == "none" and not server.is_local:
        return Outgoing(None, path, [problem("MAIL_PLAIN_NOT_LOCAL", file=SETTINGS_FILE, host=host)], from_environment)
    return Outgoing(server, path, [], from_environment)


def save_outgoing(ws: Workspace, host: str, port: str, security: str, user: str) -> list[Problem]:
    """Write the sending server into the workspace's 邮箱设置.toml (the receiving settings in it are kept; never a
    password), read back with the command line's reader."""
    given = server_fields("smtp_", host, port, security, user)
    if given is None:
        return [problem("MAIL_SETTINGS_INCOMPLETE", file=SETTINGS_FILE)]
    return write_side(ws, SENDING, given)


def send_drafts(ws: Workspace, folder: Path, password: str) -> tuple[list[str], list[Problem]]:
    """Send the drafts of `folder` (one of `draft_folders`) that have an address; every attempt goes to the folder's
    发送记录.csv. The password is the one typed (else QE_MAIL_PASSWORD) and is not kept. Returns who was sent to."""
    server = outgoing(ws)
    if server.server is None:
        return [], server.problems
    chases = [Chase(Recipient(d.name, d.name, d.to), "", [], [], message) for d, message in read_drafts(folder)]
    sent, problems = send_chases(chases, server.server, password or os.environ.get("QE_MAIL_PASSWORD", ""), folder)
    return [c.recipient.name for c in sent], problems
