"""Connecting to the office's mail servers (IMAP to fetch, SMTP to send), SSL or STARTTLS.

`none` (no encryption) is only for a server on this computer. Password problems, refused
connections and certificate errors become problems with a Chinese message, never tracebacks.
"""

from __future__ import annotations

import base64
import contextlib
import imaplib
import re
import smtplib
import socket
import ssl
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..choices import SECURITY as SECURITY
from ..choices import SETTINGS_FILE as SETTINGS_FILE
from ..problems import Problem, os_error_text, problem
from ..small_files import read_small

LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
TIMEOUT = 60


@dataclass(frozen=True)
class MailServer:
    host: str
    user: str
    port: int | None = None
    security: str = "ssl"
    folder: str = "INBOX"
    cafile: str | None = None  # a certificate authority of the office's own mail server

    @property
    def is_local(self) -> bool:
        return self.host.lower() in LOCAL_HOSTS

    def imap_port(self) -> int:
        return self.port or (993 if self.security == "ssl" else 143)

    def smtp_port(self) -> int:
        return self.port or {"ssl": 465, "starttls": 587}.get(self.security, 25)

    def context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.cafile)


class MailServerError(Exception):
    def __init__(self, found: Problem) -> None:
        super().__init__(found.message)
        self.problem = found


def _connection_problem(server: MailServer, port: int, exc: BaseException) -> MailServerError:
    if isinstance(exc, ssl.SSLCertVerificationError):
        reason = "服务器证书无法验证"
    elif isinstance(exc, ssl.SSLError):
        reason = "加密连接失败（请检查端口与加密方式是否对应：SSL 一般用 993/465，STARTTLS 一般用 143/587）"
    elif isinstance(exc, socket.timeout | TimeoutError):
        reason = "连接超时"
    elif isinstance(exc, socket.gaierror):
        reason = "找不到该服务器（请检查服务器地址和网络）"
    elif isinstance(exc, UnicodeError):  # a name the resolver cannot encode (a label over 63 characters)
        reason = "服务器地址无效（请检查服务器地址）"
    elif isinstance(exc, ConnectionRefusedError):
        reason = "服务器拒绝连接（请检查端口）"
    else:
        reason = f"连接失败（{type(exc).__name__}）"
    return MailServerError(problem("MAIL_CONNECT_FAILED", host=server.host, port=port, reason=reason))


def connect(server: MailServer, password: str) -> imaplib.IMAP4:
    """A logged-in IMAP connection (the client identifies itself, as 126/163 mailboxes require)."""
    port = server.imap_port()
    try:
        if server.security == "ssl":
            conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(server.host, port, ssl_context=server.context(), timeout=TIMEOUT)
        else:
            conn = imaplib.IMAP4(server.host, port, timeout=TIMEOUT)
            if server.security == "starttls":
                conn.starttls(ssl_context=server.context())
    except (OSError, imaplib.IMAP4.error, EOFError, UnicodeError) as exc:
        raise _connection_problem(server, port, exc) from None
    try:
        conn.login(server.user, password)
    except UnicodeEncodeError:  # imaplib sends the password as ASCII
        _authenticate_utf8(conn, server, password)
    except imaplib.IMAP4.error:
        _close(conn)
        raise MailServerError(problem("MAIL_LOGIN_FAILED", host=server.host, user=server.user)) from None
    except (OSError, EOFError) as exc:
        raise _connection_problem(server, port, exc) from None
    if "ID" in conn.capabilities:
        with contextlib.suppress(imaplib.IMAP4.error):
            conn.xatom("ID", '("name" "qe_workbook" "version" "1.0" "vendor" "qe_workbook")')
    return conn


def _authenticate_utf8(conn: imaplib.IMAP4, server: MailServer, password: str) -> None:
    token = b"\0" + server.user.encode() + b"\0" + password.encode()
    try:
        conn.authenticate("PLAIN", lambda _challenge: token)
    except imaplib.IMAP4.error:
        _close(conn)
        raise MailServerError(problem("MAIL_LOGIN_FAILED", host=server.host, user=server.user)) from None


def _close(conn: imaplib.IMAP4) -> None:
    with contextlib.suppress(OSError):
        conn.shutdown()


def utf7_folder(name: str) -> str:
    """A folder name as IMAP wants it (modified UTF-7, RFC 3501 5.1.3), quoted: 收件箱 → "&ZTZO9nux-"."""
    out, pending = [], ""

    def flush() -> None:
        nonlocal pending
        if pending:
            encoded = base64.b64encode(pending.encode("utf-16-be")).decode().rstrip("=").replace("/", ",")
            out.append(f"&{encoded}-")
            pending = ""

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            pending += ch
    flush()
    text = "".join(out).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def smtp_connect(server: MailServer, password: str) -> smtplib.SMTP:
    """A logged-in SMTP connection."""
    port = server.smtp_port()
    try:
        if server.security == "ssl":
            conn: smtplib.SMTP = smtplib.SMTP_SSL(server.host, port, timeout=TIMEOUT, context=server.context())
        else:
            conn = smtplib.SMTP(server.host, port, timeout=TIMEOUT)
            if server.security == "starttls":
                conn.starttls(context=server.context())
    except (OSError, smtplib.SMTPException, UnicodeError) as exc:
        raise _connection_problem(server, port, exc) from None
    if server.user:
        try:
            conn.login(server.user, password)
        except (smtplib.SMTPException, OSError, UnicodeEncodeError):
            with contextlib.suppress(smtplib.SMTPException, OSError):
                conn.quit()
            raise MailServerError(problem("MAIL_LOGIN_FAILED", host=server.host, user=server.user)) from None
    return conn


# Keys of the settings file → the options they stand for (fetch and chase share one file).
SETTINGS_MAX_BYTES = 64 * 1024  # a few lines of settings
SETTINGS_KEYS = {
    "server": "host", "port": "port", "security": "security", "user": "user", "folder": "folder",
    "cafile": "cafile", "smtp_server": "smtp_server", "smtp_port": "smtp_port", "smtp_security": "smtp_security",
    "smtp_user": "smtp_user", "from": "sender",
}  # fmt: skip


def read_settings(path: Path) -> dict[str, object]:
    """The mail settings file (TOML, e.g. `server = "imap.126.com"`) as option defaults.

    Raises ValueError with a Chinese reason for a file that cannot be used; a password in it is
    refused (secrets come from QE_MAIL_PASSWORD or the prompt only)."""
    try:
        raw = read_small(path, SETTINGS_MAX_BYTES)
        if len(raw) > SETTINGS_MAX_BYTES:
            raise ValueError(f"{path} 过大，不像是邮箱设置文件")
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except OSError as exc:
        raise ValueError(f"无法读取 {path}（{os_error_text(exc)}）") from exc
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path} 不是 UTF-8 编码") from exc
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise ValueError(f"{path} 的格式有误" + (f"（第 {line.group(1)} 行）" if line else "")) from exc
    section = data.get("mail", data)
    if not isinstance(section, dict):
        raise ValueError(f"{path} 的格式有误")
    if any("password" in str(k).lower() or "密码" in str(k) or "授权码" in str(k) for k in section):
        raise ValueError(f"{path} 中不能写密码或授权码：请用环境变量 QE_MAIL_PASSWORD，或运行时输入")
    unknown = [str(k) for k in section if k not in SETTINGS_KEYS]
    if unknown:
        raise ValueError(f"{path} 中有不认识的设置：{'、'.join(unknown)}（可用：{'、'.join(SETTINGS_KEYS)}）")
    return {SETTINGS_KEYS[k]: v for k, v in section.items()}
