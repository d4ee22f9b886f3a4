"""The page's routes: each reads the workspace through the library or starts a library job; no rules here.

Safety: every address starts with the server's random token (anything else is refused); the Host header
must name 127.0.0.1 or localhost with the server's port (a rebound DNS name is refused); every POST
carries the session's CSRF token; a file is served only from the workspace's output folders (never the key);
every redirect goes to one of the page's own addresses; the bytes of the uploads being received at once are
limited.
"""

from __future__ import annotations

import hmac
import secrets
import webbrowser
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from flask import Blueprint, Flask, Request, abort, g, jsonify, redirect, render_template, request, send_file, session
from flask import url_for as flask_url_for
from werkzeug.exceptions import HTTPException
from werkzeug.formparser import FormDataParser
from werkzeug.wrappers import Response

from ..dates import chinese_date
from ..forms.register import load_register
from ..intake.container import Limits
from ..intake.receipts import OFFICE_TZ, Channel
from ..problems import Problem, Severity
from ..rubric.load import BUNDLED_RUBRIC
from ..rubric.new_year import new_year
from ..rubric.places import placed_message
from ..rubric.view import counts_text, decision_rows, evaluator_rows, item_rows, rubric_counts
from ..rubric.workbook.files import export_rubric
from ..visible import visible
from ..workspace.actions import Outcome, collect_in, generate_in, returned_count
from ..workspace.layout import RUBRIC_WORKBOOK, Workspace, create_workspace
from ..workspace.returns import UPLOAD_CHANNEL, Added, department_returns, receive_files
from ..workspace.runs import run_view
from .budget import UploadBudget
from .jobs import Jobs

PACKAGE = Path(__file__).parent
MAX_UPLOAD_FILES = 200
CHANNELS = (UPLOAD_CHANNEL, *(c.value for c in Channel))
CHANNEL_LABELS = {Channel.OA.value: "办公系统"}  # what the page shows for a channel written otherwise
REFUSED = {
    "token": "访问地址不完整或不正确（缺少访问令牌）。请使用启动 qe ui 时显示的完整地址。",
    "host": "本页面只接受本机地址 127.0.0.1 的访问。",
    "csrf": "页面已过期或请求来源不明，操作未执行。请回到页面重新操作。",
    "path": "只能打开本工作区中的文件。",
    "file": "只能下载本工作区生成的文件（评价表、汇总结果、催报邮件草稿等）；密钥不能通过页面下载，请用密钥备份表保存副本。",
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
    app.jinja_env.filters.update(day=chinese_date, run_time=_run_time, placed=placed_message)
    ws = Workspace(root)
    jobs = Jobs(root / "界面错误.log")
    notes: dict[str, list[tuple[str, str]]] = {}  # per session: lines to show once on the next page
    bp = Blueprint("qe", __name__, url_prefix=f"/{token}")

    def url_for(endpoint: str, **values: Any) -> str:
        return flask_url_for(f"qe.{endpoint}", **values)

    def go(endpoint: str, back: str | None = None, **values: Any) -> Response:
        """Every redirect of the page: to `back` when it is one of the page's own addresses, else to `endpoint`."""
        return redirect(back if back is not None and _own_address(back, token) else url_for(endpoint, **values))

    def note(level: str, text: str) -> None:
        notes.setdefault(session["sid"], []).append((level, text))

    def note_problems(problems: list[Problem]) -> None:
        for level, text in _lines(problems):
            note(level, text)

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

    def file_url(path: Path) -> str:
        return url_for("download", path=ws.relative(path))

    def page(template: str, active: str, **values: Any) -> str:
        rubric, _problems = ws.load_rubric() if ws.ready else (None, [])
        job_id = request.args.get("job", "")
        job = jobs.get(job_id) if job_id else None
        shown = notes.pop(session["sid"], [])
        if job is not None and job.finished:
            shown += job.messages
            job = None
        return render_template(template, active=active, rubric=rubric, ws=ws, job=job, notes=shown,
                               running=jobs.running(), **values)  # fmt: skip

    def rubric_or_stop() -> Any:
        rubric, problems = ws.load_rubric() if ws.ready else (None, [])
        if rubric is None:
            note_problems(problems)
            abort(go("overview"))
        return rubric

    @bp.get("/")
    def home() -> Response:
        return go("overview")

    @bp.get("/overview")
    def overview() -> str:
        if not ws.ready:
            return page("create.html", "overview", default_year=_bundled_year() or date.today().year)
        rubric = rubric_or_stop()
        counts = rubric_counts(rubric)
        return page("overview.html", "overview", counts=counts, counts_lines=counts_text(counts).splitlines(),
                    returns=department_returns(ws, rubric))  # fmt: skip

    @bp.post("/create")
    def create() -> Response:
        year = request.form.get("year", "")
        upload = request.files.get("key")
        key_text = upload.read().decode("utf-8", "replace") if upload and upload.filename else None
        if not year.isdigit() or not 2000 <= int(year) <= 2100:
            note("error", "年度应为 2000 至 2100 之间的四位数字，例如 2023。")
            return go("overview")
        chosen = request.files.get("rubric")
        rubric_file = (chosen.filename or "", chosen.read()) if chosen and chosen.filename else None
        created = create_workspace(ws.root, int(year), key_text, rubric_file)
        note_problems(created.problems)
        if created.workspace is not None:
            note("info", f"已建立 {year} 年度工作区：{ws.root}")
            for line in created.checklist:
                note("warning", line)
        return go("overview")

    @bp.get("/forms")
    def forms() -> str:
        rubric = rubric_or_stop()
        register, problems = load_register(ws.register_path)
        generation = register.generations[-1] if register.generations else None
        rows = []
        for ev in rubric.form_evaluators():
            record = generation.form_for(ev.name) if generation else None
            path = ws.forms / record.file if record else None
            rows.append({"evaluator": ev, "file": path if path and path.is_file() else None})
        dispatch = ws.forms / "发放清单.xlsx"
        return page("forms.html", "forms", generation=generation, rows=rows, register_problems=problems,
                    dispatch=dispatch if dispatch.is_file() else None,
                    idle=[e for e in rubric.evaluators if e not in rubric.form_evaluators()])  # fmt: skip

    @bp.post("/generate")
    def generate() -> Response:
        rubric = rubric_or_stop()

        def work(progress: Any) -> list[tuple[str, str]]:
            outcome = generate_in(ws, rubric, progress)
            lines = _lines(outcome.problems)
            if outcome.generated is not None:
                lines.append(("info", f"已生成 {len(outcome.generated.forms)} 份评价表，并生成发放清单。"))
            return lines

        return _start(jobs.start("生成评价表", len(rubric.form_evaluators()), url_for("forms"), work), "forms")

    @bp.get("/collect")
    def collect() -> str:
        rubric = rubric_or_stop()
        returns = department_returns(ws, rubric)
        files = [(ws.relative(p), p.stat().st_size) for p in ws.returned_files()]
        view = run_view(returns.run, [ev.name for ev in rubric.evaluators]) if returns.run else None
        return page("collect.html", "collect", files=files, returns=returns, view=view,
                    channels=[(c, CHANNEL_LABELS.get(c, c)) for c in CHANNELS],
                    now_local=f"{datetime.now(OFFICE_TZ):%Y-%m-%d %H:%M}")  # fmt: skip

    @bp.post("/upload")
    def upload() -> Response:
        rubric = rubric_or_stop()
        uploads = [f for f in request.files.getlist("files") if f.filename][:MAX_UPLOAD_FILES]
        received, channel = _received(request.form.get("received", "")), request.form.get("channel") or UPLOAD_CHANNEL
        if not uploads:
            note("warning", "没有选择文件。")
        elif received is None:
            note("error", "收到时间应为不晚于现在的日期和时间，例如 2023-05-02 09:30；不填则为现在。文件未保存。")
        elif channel not in CHANNELS:
            note(
                "error", f"报送渠道应为以下之一：{'、'.join(CHANNEL_LABELS.get(c, c) for c in CHANNELS)}。文件未保存。"
            )
        else:
            files = [(f.filename or "", f.read()) for f in uploads]
            added, problems = receive_files(ws, files, rubric, received=received, channel=channel, limits=limits)
            for one in added:
                for level, text in _added_lines(one, ws):
                    note(level, text)
            note_problems(problems)
            saved, same = sum(a.saved for a in added), sum(a.same for a in added)
            refused = len(added) - saved - same
            note("info", f"收到 {len(added)} 个文件：保存 {saved} 个，未重复保存 {same} 个，未保存 {refused} 个。")
        return go("collect")

    @bp.post("/run")
    def run() -> Response:
        rubric = rubric_or_stop()

        def work(progress: Any) -> list[tuple[str, str]]:
            outcome = collect_in(ws, rubric, progress)
            return _lines(outcome.problems) + _run_lines(outcome)

        return _start(jobs.start("汇总评分", returned_count(ws), url_for("collect"), work), "collect")

    @bp.get("/results")
    def results() -> str:
        rubric_or_stop()
        runs = ws.runs()
        chosen = next((r for r in runs if r.name == request.args.get("run")), runs[0] if runs else None)
        view = run_view(chosen) if chosen else None
        return page("results.html", "results", runs=runs, view=view)

    @bp.get("/rubric")
    def rubric_page() -> str:
        rubric, problems = ws.load_rubric() if ws.ready else (None, [])
        workbook = ws.root / RUBRIC_WORKBOOK
        following = ws.root / f"rubric-{rubric.year + 1}.xlsx" if rubric else None
        return page(
            "rubric.html", "rubric", checked=problems, following=following if following and following.is_file() else None,
            counts_lines=counts_text(rubric_counts(rubric)).splitlines() if rubric else [],
            items=item_rows(rubric) if rubric else [], evaluators=evaluator_rows(rubric) if rubric else [],
            decisions=decision_rows(rubric) if rubric else [], workbook=workbook if workbook.is_file() else None,
        )  # fmt: skip

    @bp.post("/rubric/export")
    def rubric_export() -> Response:
        rubric_or_stop()
        result = export_rubric(ws.rubric_path, ws.root / RUBRIC_WORKBOOK)
        note_problems(result.problems)
        if result.path is not None:
            note("info", f"已导出考核细则工作簿 {RUBRIC_WORKBOOK}，可在 Excel 或 WPS 中查看、修改。")
        return go("rubric_page")

    @bp.post("/rubric/next-year")
    def rubric_next_year() -> Response:
        rubric = rubric_or_stop()
        year = rubric.year + 1
        result = new_year(ws.rubric_path, year, ws.root / f"rubric-{year}.xlsx")
        note_problems(result.problems)
        if result.written is not None:
            note(
                "info", f"已生成 {year} 年度考核细则工作簿 {result.written.name}（可在本页下载）。请按新方案逐项核对："
            )
            for line in result.checklist:
                note("warning", line)
        return go("rubric_page")

    @bp.post("/open")
    def open_folder() -> Response:
        folder = ws.inside(request.form.get("path", ""))
        if folder is None or not folder.is_dir():
            abort(403, REFUSED["path"])
        if not webbrowser.open(folder.as_uri()):
            note("warning", f"无法在本机打开文件夹，请在资源管理器中打开：{folder}")
        return go("overview", back=request.form.get("back"))

    @bp.get("/file")
    def download() -> Response:
        path = ws.output(request.args.get("path", ""))
        if path is None:
            abort(403, REFUSED["file"])
        return send_file(path, as_attachment=True, download_name=path.name)

    @bp.get("/job/<job_id>")
    def job_state(job_id: str) -> Response:
        job = jobs.get(job_id)
        if job is None:
            abort(404)
        return jsonify(job.to_dict())

    @bp.get("/static/<name>")
    def static(name: str) -> Response:
        path = PACKAGE / "static" / name
        if name not in {"qe.css", "qe.js"} or not path.is_file():
            abort(404)
        return send_file(path, max_age=0)

    def _start(job: Any, endpoint: str) -> Response:
        if job is None:
            note("warning", "另一项操作正在进行，请等它完成后再试。")
            return go(endpoint)
        return go(endpoint, job=job.id)

    app.register_blueprint(bp)
    return app


def _own_address(target: str, token: str) -> bool:
    """A path of this page (no scheme, no host, no way for a browser to read it as another site)."""
    if any(c in target for c in "\\\r\n\t") or any(ord(c) < 32 for c in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and parts.path.startswith(f"/{token}/") and ".." not in parts.path


def _received(text: str) -> datetime | None:
    """The receipt time the clerk gave (2023-05-02 09:30, or a day alone), office time; now when none was given;
    None when it is not a time or lies in the future."""
    now = datetime.now(OFFICE_TZ)
    if not text.strip():
        return now
    try:
        when = datetime.fromisoformat(text.strip()).replace(tzinfo=OFFICE_TZ)
    except ValueError:
        return None
    return when if when <= now else None


def _added_lines(one: Added, ws: Workspace) -> list[tuple[str, str]]:
    """What became of one uploaded file: saved (under which name), the same as a file already kept, or refused."""
    sent = visible(one.sent)
    if one.same and one.path is not None:
        return [("info", f"未重复保存：{sent} 与已收到的 {ws.relative(one.path)} 内容相同。")]
    if one.path is None:
        return [("error", f"未保存：{sent}：{p.message}") for p in one.problems]
    renamed = f"（{one.renamed}，保存为 {one.path.name}）" if one.renamed else ""
    said = [(str(p.severity), f"{sent} 汇总时会遇到的问题：{p.message}") for p in one.problems]
    return [("info", f"已保存：{sent}{renamed}"), *said]


def _lines(problems: list[Problem]) -> list[tuple[str, str]]:
    return [
        (str(p.severity), f"{visible(p.file)}：{placed_message(p)}" if p.file else placed_message(p)) for p in problems
    ]


def _run_lines(outcome: Outcome) -> list[tuple[str, str]]:
    report = outcome.report
    if report is None:
        return []
    errors = sum(1 for p in report.problems if p.severity is Severity.ERROR)
    verdict = (
        "全部评价表已采用且完整。" if report.clean else f"有 {errors} 个错误或缺少的评价表，详见下方按部门列出的问题。"
    )
    return [("info" if report.clean else "warning", f"汇总完成：结果文件夹 {report.folder.name}。{verdict}")]


def _run_time(name: str) -> str:
    """A run folder's name (20230502-093000, or with a -2 after it) as people read the time."""
    try:
        when = datetime.strptime(name[:15], "%Y%m%d-%H%M%S")
    except ValueError:
        return name
    return f"{chinese_date(when.date())} {when:%H:%M}"


def _bundled_year() -> int | None:
    from ..rubric import load_rubric

    bundled = load_rubric(BUNDLED_RUBRIC).rubric
    return bundled.year if bundled else None
