"""The returned files as a clerk handles them: each upload kept as sent, with its receipt time and channel."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from flask import Blueprint, request
from werkzeug.wrappers import Response

from ...intake.receipts import FORM_MATERIAL, OFFICE_TZ, Channel
from ...problems import Problem
from ...visible import visible
from ...workspace.layout import Workspace
from ...workspace.returns import UPLOAD_CHANNEL, Added, receive_files
from ...workspace.versions import PENDING, choose_version, restore, returned_files, set_aside
from ..fixes import page_message
from ..shell import go, note, note_lines, note_problems, page, rubric_or_stop, shell, workspace

bp = Blueprint("returns", __name__)
STEP = "回收的评价表"
MAX_UPLOAD_FILES = 200
CHANNELS = (UPLOAD_CHANNEL, *(c.value for c in Channel))


@bp.get("/returns")
def show() -> str:
    ws = workspace()
    rubric = rubric_or_stop()
    found = returned_files(ws, rubric)
    note_problems(found.problems)
    return page("returns.html", "returns", found=found, channels=CHANNELS, now_local=f"{datetime.now(OFFICE_TZ):%Y-%m-%d %H:%M}",
                pending=sum(1 for d in found.departments for v in d.versions if v.decision == PENDING)
                + sum(1 for v in found.unknown if v.decision == PENDING))  # fmt: skip


@bp.post("/returns/set-aside")
def set_aside_file() -> Response:
    return _done(*set_aside(workspace(), request.form.get("path", "")),
                 "已搁置：{}（移入回收文件夹的“已搁置”文件夹，保留备查，汇总时不读取）。请重新汇总。")  # fmt: skip


@bp.post("/returns/restore")
def restore_file() -> Response:
    return _done(*restore(workspace(), request.form.get("path", "")), "已恢复：{}（汇总时重新读取）。请重新汇总。")


@bp.post("/returns/choose")
def choose_file() -> Response:
    path = request.form.get("path", "")
    evaluator, problems = choose_version(workspace(), rubric_or_stop(), path)
    text = f"已选定采用{{}}的 {path}，其他版本不再采用（仍保留在回收文件夹中）。请重新汇总。"
    return _done(evaluator, problems, text)


def _done(what: str | None, problems: list[Problem], text: str) -> Response:
    """Back to the returns with what was done (`text` naming `what`), or why nothing was."""
    note_problems(problems)
    if what is not None:
        note("info", text.replace("{}", what, 1))
    return go("returns.show")


@bp.post("/upload")
def upload() -> Response:
    take_uploads(workspace().returned, FORM_MATERIAL)
    return go("returns.show")


def take_uploads(folder: Path, material: str | None) -> None:
    """Keep the files of this upload in `folder` with their receipt time and channel, each said on the next page."""
    ws = workspace()
    rubric = rubric_or_stop()
    uploads = [f for f in request.files.getlist("files") if f.filename][:MAX_UPLOAD_FILES]
    received, channel = _received(request.form.get("received", "")), request.form.get("channel") or UPLOAD_CHANNEL
    if not uploads:
        note("warning", "没有选择文件。")
    elif received is None:
        note("error", "收到时间应为不晚于现在的日期和时间，例如 2023-05-02 09:30；不填则为现在。文件未保存。")
    elif channel not in CHANNELS:
        note("error", f"报送渠道应为以下之一：{'、'.join(CHANNELS)}。文件未保存。")
    else:
        files = [(f.filename or "", f.read()) for f in uploads]
        added, problems = receive_files(ws, files, rubric, received=received, channel=channel,
                                        limits=shell().limits, folder=folder, material=material)  # fmt: skip
        saved, same = sum(a.saved for a in added), sum(a.same for a in added)
        refused = len(added) - saved - same
        note("info", f"收到 {len(added)} 个文件：保存 {saved} 个，未重复保存 {same} 个，未保存 {refused} 个。")
        for one in added:  # the count first, then each file: many files would push the count below the screen
            note_lines(_added_lines(one, ws))
        note_problems(problems)


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
        return [("error", f"未保存：{sent}：{page_message(p)}") for p in one.problems]
    renamed = f"（{one.renamed}，保存为 {one.path.name}）" if one.renamed else ""
    said = [(str(p.severity), f"{sent} 汇总时会遇到的问题：{page_message(p)}") for p in one.problems]
    return [("info", f"已保存：{sent}{renamed}"), *said]
