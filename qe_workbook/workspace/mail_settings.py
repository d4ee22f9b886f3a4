"""The workspace's 邮箱设置.toml, the very file `qe mail fetch` and `qe mail chase` read in its folder: read with the
command line's reader, and one side of it (receiving or sending) written by the page, the other side kept. Never a
password."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping

from ..choices import SECURITY, SETTINGS_FILE
from ..mail.server import SETTINGS_KEYS, read_settings
from ..problems import Problem, problem
from .layout import Workspace

SENDING = ("smtp_server", "smtp_port", "smtp_security", "smtp_user")  # the file's keys of the sending side
RECEIVING = ("server", "port", "security", "user", "folder")  # those of the receiving side the page sets


def mail_settings(ws: Workspace) -> tuple[dict[str, object], list[Problem]]:
    """The settings as the command line's options name them (`host`, `smtp_server`…), or why the file is unusable."""
    path = ws.root / SETTINGS_FILE
    if not path.is_file():
        return {}, []
    try:
        return read_settings(path), []
    except ValueError as exc:
        return {}, [problem("MAIL_SETTINGS_UNUSABLE", file=SETTINGS_FILE, reason=str(exc))]


def server_fields(prefix: str, host: str, port: str, security: str, user: str) -> dict[str, object] | None:
    """A server as typed on the page, as the file's keys (`smtp_server`… with the prefix "smtp_"); None when it
    lacks its address or user, or names a port that is not a number or a security the reader does not know."""
    host, port, user = host.strip(), port.strip(), user.strip()
    if not host or not user or security not in SECURITY or (port and not port.isdigit()):
        return None
    given: dict[str, object] = {f"{prefix}server": host, f"{prefix}security": security, f"{prefix}user": user}
    if port:
        given[f"{prefix}port"] = int(port)
    return given


def write_side(ws: Workspace, side: tuple[str, ...], given: Mapping[str, object]) -> list[Problem]:
    """Replace the keys of `side` by `given` (file keys; an empty value leaves the key out), keep every other
    setting, and write the file through a trial that the command line's reader must accept."""
    path = ws.root / SETTINGS_FILE
    settings, problems = mail_settings(ws)
    if problems:
        return problems
    keys = {option: key for key, option in SETTINGS_KEYS.items()}
    kept = {keys[option]: value for option, value in settings.items() if keys[option] not in side}
    chosen = {key: value for key, value in given.items() if value not in (None, "")}
    lines = [f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in {**kept, **chosen}.items()]
    trial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        trial.write_text("\n".join(lines) + "\n", encoding="utf-8")
        read_settings(trial)
        os.replace(trial, path)
    except (OSError, ValueError) as exc:
        trial.unlink(missing_ok=True)
        return [problem("REGISTER_NOT_SAVED", file="邮箱设置", reason=str(exc))]
    return []
