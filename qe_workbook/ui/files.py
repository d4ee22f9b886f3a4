"""The page's own files and the workspace's: folders opened on this computer, output files downloaded (never
the key), a job's progress, the page's style and script."""

from __future__ import annotations

import webbrowser
from pathlib import Path

from flask import Blueprint, abort, jsonify, request, send_file
from werkzeug.wrappers import Response

from .shell import go, note, refuse, shell, workspace

bp = Blueprint("files", __name__)
PACKAGE = Path(__file__).parent
REFUSED_PATH = "只能打开本工作区中的文件。"
REFUSED_FILE = (
    "只能下载本工作区生成的文件（评价表、汇总结果、催报邮件草稿等）；密钥不能通过页面下载，请用密钥备份表保存副本。"
)


@bp.post("/open")
def open_folder() -> Response:
    folder = workspace().inside(request.form.get("path", ""))
    if folder is None or not folder.is_dir():
        refuse(REFUSED_PATH)
    if not webbrowser.open(folder.as_uri()):
        note("warning", f"无法在本机打开文件夹，请在资源管理器中打开：{folder}")
    return go("overview.show", back=request.form.get("back"))


@bp.get("/file")
def download() -> Response:
    path = workspace().output(request.args.get("path", ""))
    if path is None:
        refuse(REFUSED_FILE)
    return send_file(path, as_attachment=True, download_name=path.name)


@bp.get("/job/<job_id>")
def job_state(job_id: str) -> Response:
    job = shell().jobs.get(job_id)
    if job is None:
        abort(404)
    return jsonify(job.to_dict())


@bp.get("/static/<name>")
def static(name: str) -> Response:
    path = PACKAGE / "static" / name
    if name not in {"qe.css", "qe.js"} or not path.is_file():
        abort(404)
    return send_file(path, max_age=0)
