"""Chase (催报): the drafts of a run written as `qe mail chase` writes them, downloaded, or sent through the
workspace's configured mail server after a confirmation page (the password is typed there, used for that
sending only, never kept or shown)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, request
from werkzeug.wrappers import Response

from ...workspace.chase import (
    SECURITY_LABELS,
    draft_folders,
    mail_settings,
    outgoing,
    read_drafts,
    save_outgoing,
    send_drafts,
    sent_log,
    write_chases,
)
from ..shell import go, note, note_problems, page, refuse, rubric_or_stop, workspace
from .chosen import chosen

bp = Blueprint("chase", __name__)
STEP = "催报"


@bp.get("/chase")
def show() -> str:
    rubric_or_stop()
    folders = draft_folders(workspace())
    drafts = [d for d, _message in read_drafts(folders[0])] if folders else []
    return page("chase.html", "chase", chosen=chosen("mails"), folders=folders, drafts=drafts,
                log=sent_log(folders[0]) if folders else None, mail=outgoing(workspace()),
                settings=mail_settings(workspace())[0], security=SECURITY_LABELS,
                checks=workspace().checked_units())  # fmt: skip


@bp.post("/chase/drafts")
def drafts() -> Response:
    rubric = rubric_or_stop()
    run = chosen("mails")
    if run.run is None or run.refused:
        note("error", "这次汇总的结果不能用于催报，未写邮件草稿。")
        return go("chase.show", run=run.name)
    report = write_chases(workspace(), run.run, rubric)
    note_problems(report.problems)
    if report.chases:
        note("info", f"已写好 {len(report.chases)} 封催报邮件草稿。")
    else:
        note("info", "没有需要催报的评价部门。")
    return go("chase.show", run=run.name)


def _folder(name: str) -> Path:
    """One of the workspace's draft folders, by name (nothing else is ever read or sent)."""
    found = next((f for f in draft_folders(workspace()) if f.name == name), None)
    if found is None:
        refuse("只能发送本工作区写好的催报邮件草稿。")
    return found


@bp.post("/chase/units")
def units() -> Response:
    """The drafts to the units whose materials are missing or faulty, from the latest check of their materials."""
    rubric = rubric_or_stop()
    checks = workspace().checked_units()
    if not checks:
        note("warning", "还没有检查过县区材料。")
        return go("chase.show")
    report = write_chases(workspace(), checks[0], rubric)
    note_problems(report.problems)
    note("info", f"已写好 {len(report.chases)} 封县区材料催报邮件草稿。" if report.chases else "没有需要催报的县区。")
    return go("chase.show")


@bp.post("/chase/settings")
def settings() -> Response:
    rubric_or_stop()
    form = request.form
    problems = save_outgoing(workspace(), form.get("smtp_server", ""), form.get("smtp_port", ""),
                             form.get("smtp_security", ""), form.get("smtp_user", ""))  # fmt: skip
    note_problems(problems)
    if not problems:
        note("info", "已保存发信服务器的设置（不含密码）。")
    return go("chase.show")


@bp.get("/chase/confirm")
def confirm() -> str:
    rubric_or_stop()
    folder = _folder(request.args.get("folder", ""))
    drafts = [d for d, _message in read_drafts(folder)]
    return page("chase_confirm.html", "chase", folder=folder, drafts=drafts, mail=outgoing(workspace()))


@bp.post("/chase/send")
def send() -> Response:
    rubric_or_stop()
    folder = _folder(request.form.get("folder", ""))
    sent, problems = send_drafts(workspace(), folder, request.form.get("password", ""))
    note_problems(problems)
    note("info" if sent else "warning", f"已发送 {len(sent)} 封催报邮件" + (f"：{'、'.join(sent)}。" if sent else "。"))
    return go("chase.show")
