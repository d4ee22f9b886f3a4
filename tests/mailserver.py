"""Real mail servers for the tests: Dovecot (IMAP) on a free local port with a throw-away config,
mail store and passwd-file user; aiosmtpd (SMTP) keeping what it receives; and a TCP proxy that
drops the connection part-way, as a flaky network does."""

from __future__ import annotations

import getpass
import grp
import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import trustme

from .conftest import require_program, stop

USER, PASSWORD = "office@example.cn", "授权码-Secret-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(port: int, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server on port {port} did not start")


def _accounts() -> tuple[str, str, str, str]:
    """(internal user, internal group, login user, mail user). Dovecot refuses root for its own
    processes and for mail, so as root (CI) it uses the users its Debian package creates."""
    if os.geteuid() != 0:
        me = getpass.getuser()
        group = grp.getgrgid(os.getgid()).gr_name
        return me, group, me, me
    return "dovecot", "dovecot", "dovenull", "dovecot"


@dataclass
class Dovecot:
    root: Path
    port: int  # IMAP (STARTTLS offered when it has a certificate)
    process: subprocess.Popen[bytes]
    ssl_port: int = 0  # IMAPS, when it has a certificate

    @classmethod
    @contextmanager
    def running(cls, ca: trustme.CA | None = None) -> Iterator[Dovecot]:
        """Dovecot; with `ca`, also over TLS with a certificate for localhost issued by that CA."""
        binary = shutil.which("dovecot") or "/usr/sbin/dovecot"  # sbin is not on every user's PATH
        if not Path(binary).exists():
            binary = require_program("dovecot")
        # Its own folder (not pytest's 0700 tmp) so Dovecot's unprivileged users can reach it.
        root = Path(tempfile.mkdtemp(prefix="qe-dovecot-"))
        root.chmod(0o755)
        internal, group, login, mail_user = _accounts()
        port, ssl_port = free_port(), free_port() if ca else 0
        tls = "ssl = no"
        if ca is not None:
            cert = ca.issue_cert("localhost", "127.0.0.1")
            cert.private_key_and_cert_chain_pem.write_to_path(str(root / "server.pem"))
            tls = f"ssl = yes\nssl_cert = <{root}/server.pem\nssl_key = <{root}/server.pem"
        (root / "home").mkdir()
        (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n", encoding="utf-8")
        (root / "dovecot.conf").write_text(f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
{tls}
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal}
default_internal_group = {group}
default_login_user = {login}
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_user} gid={grp.getgrgid(pwd.getpwnam(mail_user).pw_gid).gr_name} home={root}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = {ssl_port}
  }}
}}
""", encoding="utf-8")  # fmt: skip
        if os.geteuid() == 0:
            shutil.chown(root / "home", mail_user, mail_user)
        process = subprocess.Popen([binary, "-F", "-c", str(root / "dovecot.conf")], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE)  # fmt: skip
        try:
            _wait_for(port)
            yield cls(root, port, process, ssl_port)
        finally:
            stop(process)
            shutil.rmtree(root, ignore_errors=True)

    def client(self) -> imaplib.IMAP4:
        conn = imaplib.IMAP4("127.0.0.1", self.port)
        conn.authenticate("PLAIN", lambda _c: b"\0" + USER.encode() + b"\0" + PASSWORD.encode())
        return conn

    def append(self, raw: bytes, arrived: datetime, folder: str = "INBOX") -> None:
        """Deliver a message as a client's APPEND would, with the server's arrival time set."""
        conn = self.client()
        try:
            typ, data = conn.append(folder, None, imaplib.Time2Internaldate(arrived), raw)
            assert typ == "OK", data
        finally:
            conn.logout()

    def create(self, folder_utf7: str) -> None:
        conn = self.client()
        try:
            assert conn.create(folder_utf7)[0] == "OK"
        finally:
            conn.logout()

    def flags(self, folder: str = "INBOX") -> list[bytes]:
        conn = self.client()
        try:
            conn.select(folder, readonly=True)
            _typ, data = conn.uid("FETCH", "1:*", "(FLAGS)")
            return [d for d in data if isinstance(d, bytes)]
        finally:
            conn.logout()

    def count(self, folder: str = "INBOX") -> int:
        conn = self.client()
        try:
            _typ, data = conn.select(folder, readonly=True)
            return int(data[0] or 0)
        finally:
            conn.logout()


@dataclass
class DropProxy:
    """Forwards to a server; the first connection is cut once `drop_after` bytes came back."""

    target: int
    drop_after: int
    port: int = field(default_factory=free_port)
    connections: int = 0

    @contextmanager
    def running(self) -> Iterator[DropProxy]:
        listener = socket.create_server(("127.0.0.1", self.port))
        stop = threading.Event()

        def serve() -> None:
            listener.settimeout(0.2)
            while not stop.is_set():
                try:
                    client, _ = listener.accept()
                except TimeoutError:
                    continue
                except OSError:
                    return
                self.connections += 1
                limit = self.drop_after if self.connections == 1 else None
                threading.Thread(target=self._pipe, args=(client, limit), daemon=True).start()

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            stop.set()
            thread.join(5)
            listener.close()

    def _pipe(self, client: socket.socket, limit: int | None) -> None:
        upstream = socket.create_connection(("127.0.0.1", self.target))
        done = threading.Event()

        def up() -> None:
            try:
                while data := client.recv(65536):
                    upstream.sendall(data)
            except OSError:
                pass
            done.set()

        threading.Thread(target=up, daemon=True).start()
        sent = 0
        try:
            while not done.is_set():
                data = upstream.recv(65536)
                if not data:
                    break
                if limit is not None and sent + len(data) > limit:
                    client.sendall(data[: limit - sent])
                    break
                client.sendall(data)
                sent += len(data)
        except OSError:
            pass
        for s in (client, upstream):
            with suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()
