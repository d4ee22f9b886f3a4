"""Start the page: bind 127.0.0.1 only, say the address (with its token) first, serve until Ctrl-C."""

from __future__ import annotations

import secrets
import socket
import webbrowser
from collections.abc import Callable
from pathlib import Path

from werkzeug.serving import WSGIRequestHandler, make_server

from ..problems import os_error_text
from .app import create_app

HOST = "127.0.0.1"


class PortUnavailable(Exception):
    """The port cannot be listened on (taken by another program, or not allowed)."""


class QuietHandler(WSGIRequestHandler):
    """No request log: the addresses carry the token, which must not end up in a console or a log."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


def probe(port: int) -> None:
    """Raise PortUnavailable when `port` cannot be listened on (werkzeug would say so in English and exit)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((HOST, port))
        except OSError as exc:
            raise PortUnavailable(os_error_text(exc)) from exc


def serve(root: Path, port: int, *, open_browser: bool, say: Callable[[str], None]) -> None:
    """Serve the workspace at `root` on 127.0.0.1:`port` (0: any free port) until interrupted."""
    token = secrets.token_urlsafe(24)
    app = create_app(root.resolve(), token)
    if port:
        probe(port)
    server = make_server(HOST, port, app, threaded=True, request_handler=QuietHandler)
    bound = server.server_port
    app.config["QE_HOSTS"] = {f"{HOST}:{bound}", f"localhost:{bound}"}
    url = f"http://{HOST}:{bound}/{token}/"
    say(url)
    say(f"工作区：{root.resolve()}")
    say("请在浏览器中打开上面的地址（地址中含访问令牌，请勿发给他人）。关闭本窗口即结束。")
    if open_browser:
        webbrowser.open(url)
    try:
        server.serve_forever()
    finally:
        server.server_close()
