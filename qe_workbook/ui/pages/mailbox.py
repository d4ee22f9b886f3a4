"""The mailbox (收取邮件): the returns fetched from the office mailbox into the returned folder as `qe mail fetch`
fetches them, as a background job; the password is typed for that one fetch, never kept or shown. The receiving
server is set here, in the workspace's 邮箱设置.toml (the sending side stays as the chase page set it)."""

from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, current_app, request
from werkzeug.wrappers import Response

from ...intake.receipts import OFFICE_TZ
from ...mail.fetch import FetchReport
from ...mail.message import Saved
from ...workspace.mail_settings import mail_settings
from ...workspace.mailbox import Arrived, arrived, fetch_into, incoming, recorded, save_incoming
from ..jobs import Progress
from ..shell import Lines, go, note, note_problems, page, problem_lines, rubric_or_stop, start, workspace

bp = Blueprint("mailbox", __name__)
STEP = "收取邮件"
SECURITY = {"ssl": "加密连接（端口一般为 993）", "starttls": "先明文后加密（端口一般为 143）",
            "none": "不加密，仅限本机上的服务器"}  # fmt: skip
FETCHED = "qe_mailbox"  # the app's list of what the latest fetch of this server brought in


@bp.get("/mailbox")
def show() -> str:
    rubric_or_stop()
    settings, _problems = mail_settings(workspace())
    fetched: list[Arrived] | None = current_app.extensions.get(FETCHED)
    history, total = recorded(workspace()) if fetched is None else ([], 0)
    return page("mailbox.html", "mailbox", mail=incoming(workspace()), settings=settings, security=SECURITY,
                fetched=fetched, history=history, total=total)  # fmt: skip


@bp.post("/mailbox/settings")
def settings() -> Response:
    rubric_or_stop()
    form = request.form
    problems = save_incoming(workspace(), form.get("server", ""), form.get("port", ""), form.get("security", ""),
                             form.get("user", ""), form.get("folder", ""))  # fmt: skip
    note_problems(problems)
    if not problems:
        note("info", "已保存收信服务器的设置（不含密码）。")
    return go("mailbox.show")


@bp.post("/mailbox/fetch")
def fetch() -> Response:
    ws = workspace()
    rubric = rubric_or_stop()
    since_text = request.form.get("since", "").strip()
    since = _day(since_text)
    if since_text and since is None:
        note("error", "“只收取该日期及以后的邮件”应为日期，例如 2023-04-01；不填则收取全部新邮件。未收取。")
        return go("mailbox.show")
    password = request.form.get("password", "")
    fetched: list[Arrived] = []
    shown = current_app.extensions  # the list replaces the last fetch's once this fetch has opened the mailbox

    def work(progress: Progress) -> Lines:
        def total(count: int) -> None:
            shown[FETCHED] = fetched
            progress("", total=count)

        def one(saved: Saved) -> None:
            fetched.append(arrived(saved))
            progress(fetched[-1].sender)

        report = fetch_into(ws, rubric, password, since=since, on_total=total, on_message=one)
        return _lines(report, fetched)

    return start("收取邮件", 0, "mailbox.show", work)


def _day(text: str) -> date | None:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if day <= datetime.now(OFFICE_TZ).date() else None


def _lines(report: FetchReport, fetched: list[Arrived]) -> Lines:
    """What the fetch did, in a few lines: the problems not about one message (those are in the table), then
    how many messages and files came in."""
    about_messages = {id(p) for a in fetched for p in a.problems}
    lines = problem_lines([p for p in report.problems if id(p) not in about_messages])
    if not report.complete and not report.new_messages and not report.already:
        return [*lines, ("error", "本次未能收取邮件（原因见上），没有保存任何文件。")]
    saved = sum(1 for _name, kept in (f for a in fetched for f in a.files) if kept.startswith("已保存"))
    again = sum(len(a.files) for a in fetched) - saved
    no_file = sum(1 for a in fetched if a.status == "无附件")
    lines.append(("info", f"本次收取新邮件 {len(report.new_messages)} 封，保存附件 {saved} 个（重复发送未再保存 {again} 个），"
                          f"无附件邮件 {no_file} 封；此前已收取 {report.already} 封。"))  # fmt: skip
    if not report.complete:
        lines.append(("warning", "本次收取没有完成；已保存的不会丢失，在本页再收取一次即可从中断处继续。"))
    if saved:
        lines.append(("info", "收到的文件已列在“回收的评价表”页；请到“汇总评分”页重新汇总。"))
    return lines
