"""Feedback wording (反馈修改稿): exported from a run as `qe feedback export` does (carrying over the office's kept
wording), and the office's edited sheet uploaded, to be used by the reports, the approval and the ledgers."""

from __future__ import annotations

from flask import Blueprint
from werkzeug.wrappers import Response

from ...workspace.registers import WORDING, kept
from ...workspace.wording import export_in, exported, upload_wording
from ..shell import go, note, note_problems, page, rubric_or_stop, workspace
from .chosen import chosen
from .uploads import one_upload

bp = Blueprint("wording", __name__)
STEP = "反馈意见的文字"


@bp.get("/wording")
def show() -> str:
    rubric_or_stop()
    run = chosen()
    return page("wording.html", "wording", chosen=run, exported=exported(run.run) if run.run else [],
                kept_file=kept(workspace(), WORDING))  # fmt: skip


@bp.post("/wording/export")
def export() -> Response:
    rubric = rubric_or_stop()
    run = chosen()
    if run.run is not None and not run.refused:
        result = export_in(workspace(), run.run, rubric)
        note_problems(result.problems)
        if result.path is not None:
            note("info", f"已导出反馈修改稿（{result.rows} 行）：{result.path.name}。")
    return go("wording.show", run=run.name)


@bp.post("/wording/upload")
def upload() -> Response:
    rubric = rubric_or_stop()
    run = chosen()
    data = one_upload()
    if data is not None and run.run is not None:
        path, problems = upload_wording(workspace(), data, run.run, rubric)
        note_problems(problems)
        if path is not None:
            note("info", "已保存改好的反馈修改稿；重新生成文书、审定和生成整改台账时可以选用。")
    return go("wording.show", run=run.name)
