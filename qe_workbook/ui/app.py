"""The page's server: the security of every request, then the steps' blueprints (ui/pages/) and the
workspace's files (ui/files.py); the shared frame is ui/shell.py. No rules here.

Safety: every address starts with the server's random token (anything else is refused); the Host header
must name 127.0.0.1 or localhost with the server's port (a rebound DNS name is refused); every POST
carries the session's CSRF token; a file is served only from the workspace's output folders (never the key);
every redirect goes to one of the page's own addresses; the bytes of the uploads being received at once are
limited.
"""

from __future__ import annotations

import hmac
import secrets
from io import BytesIO
from pathlib import Path
from typing import IO, Any

from flask import Flask, Request, abort, g, render_template, request, session
from werkzeug.exceptions import HTTPException
from werkzeug.formparser import FormDataParser
from werkzeug.wrappers import Response

from ..dates import chinese_date
from ..intake.container import Limits
from ..workspace.layout import Workspace
from . import files
from .budget import UploadBudget
from .fixes import page_message
from .jobs import Jobs
from .pages import ROUTES_ONLY, YEAR, navigation
from .shell import Shell, file_url, run_time, url_for

PACKAGE = Path(__file__).parent
REFUSED = {
    "token": "访问地址不完整或不正确（缺少访问令牌）。请使用本程序启动时显示（或自动打开）的完整地址。",
    "host": "本页面只接受本机地址 127.0.0.1 的访问。",
    "csrf": "页面已过期或请求来源不明，操作未执行。请回到页面重新操作。",
}
STATUS_TEXT = {
    404: "没有这个页面。",
    405: "不支持这样的请求。",
    413: "一次上传的文件合计不能超过 {mb} 兆字节，请分批上传。",
    503: "服务器正在接收其他上传，同时上传的文件合计已达上限，本次上传未执行。请稍后再试，或分批上传。",
    500: "程序内部错误，操作未完成。",
}


class MemoryRequest(Request):
    """Uploads stay in memory (bounded by MAX_CONTENT_LENGTH): nothing is spooled outside the workspace."""

    def make_form_data_parser(self) -> FormDataParser:
        return self.form_data_parser_class(
            stream_factory=_memory_stream,
            max_form_memory_size=self.max_form_memory_size,
            max_content_length=self.max_content_length,
            max_form_parts=self.max_form_parts,
            cls=self.parameter_storage_class,
        )


def _memory_stream(*_args: Any, **_kwargs: Any) -> IO[bytes]:
    return BytesIO()


def create_app(root: Path, token: str, limits: Limits | None = None, upload_budget: int | None = None) -> Flask:
    """The page for the workspace at `root`; `app.config["QE_HOSTS"]` is set once the port is known. The
    uploads being received at once hold at most `upload_budget` bytes (default: one upload of the largest size,
    or many smaller ones: eight 190 MB uploads sent at once, one is received and seven refused, the server's peak
    memory 530 MB)."""
    limits = limits or Limits()
    budget = UploadBudget(upload_budget or limits.max_file_bytes * 10)
    app = Flask(__name__, static_folder=None, template_folder=str(PACKAGE / "templates"))
    app.request_class = MemoryRequest
    app.secret_key = secrets.token_bytes(32)
    app.config.update(
        MAX_CONTENT_LENGTH=limits.max_file_bytes * 10,
        SESSION_COOKIE_NAME="qe_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_PATH=f"/{token}/",
        QE_HOSTS=set(),
    )
    app.jinja_env.filters.update(day=chinese_date, run_time=run_time, said=page_message)
    ws = Workspace(root)
    app.extensions["qe"] = Shell(ws, Jobs(root / "界面错误.log"), token, limits, navigation())

    @app.before_request
    def guard() -> None:
        hosts = app.config["QE_HOSTS"]
        if hosts and request.host not in hosts:
            abort(403, REFUSED["host"])
        first = request.path.lstrip("/").partition("/")[0]
        if not hmac.compare_digest(first.encode("utf-8"), token.encode("utf-8")):
            abort(403, REFUSED["token"])
        if request.method == "POST":  # before the body is read (the CSRF token is in it)
            size = request.content_length if request.content_length is not None else request.max_content_length
            if size and size > min(budget.limit, request.max_content_length or size):
                abort(413)
            if size and not budget.take(size):
                abort(503)
            g.budget_taken = size or 0
        session.setdefault("sid", secrets.token_urlsafe(16))
        session.setdefault("csrf", secrets.token_urlsafe(32))
        if request.method == "POST":
            sent = request.form.get("csrf") or request.headers.get("X-CSRF-Token") or ""
            origin = request.headers.get("Origin")
            if not hmac.compare_digest(sent.encode("utf-8"), session["csrf"].encode("utf-8")):
                abort(403, REFUSED["csrf"])
            if origin is not None and hosts and origin not in {f"http://{h}" for h in hosts}:
                abort(403, REFUSED["csrf"])

    @app.teardown_request
    def give_back(_exc: BaseException | None) -> None:
        budget.give(g.pop("budget_taken", 0))

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"  # "no-referrer" would make Origin "null"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(HTTPException)
    def refused(exc: HTTPException) -> tuple[str, int]:
        code = exc.code or 500
        mb = min(budget.limit, app.config["MAX_CONTENT_LENGTH"]) // 1048576 or 1
        text = exc.description if code == 403 else STATUS_TEXT.get(code, "请求未能完成。").format(mb=mb)
        return render_template("error.html", text=text, code=code), code

    @app.context_processor
    def shared() -> dict[str, Any]:
        return {"url_for": url_for, "csrf": session.get("csrf", ""), "file_url": file_url}

    for module in (*YEAR, *ROUTES_ONLY, files):
        app.register_blueprint(module.bp, url_prefix=f"/{token}")
    return app
