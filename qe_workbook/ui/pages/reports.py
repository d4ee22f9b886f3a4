"""Reports written again (`qe report`): the letters, the 通报 and the public list of a run, with the date on them,
the meeting's adjustments and the office's feedback wording when chosen."""

from __future__ import annotations

from flask import Blueprint, request
from werkzeug.wrappers import Response

from ...workspace.decisions import files_of, report_in, reports_again
from ...workspace.registers import ADJUSTMENTS, WORDING, kept
from ..shell import go, note, note_problems, page, rubric_or_stop, workspace
from .chosen import chosen
from .uploads import day_field

bp = Blueprint("reports", __name__)
STEP = "文书重新生成"


@bp.get("/reports")
def show() -> str:
    rubric = rubric_or_stop()
    run = chosen()
    folder = reports_again(run.run) if run.run else None
    return page("reports.html", "reports", chosen=run, folder=folder, written=files_of(folder),
                adjustments_file=kept(workspace(), ADJUSTMENTS), wording_file=kept(workspace(), WORDING),
                default_date=rubric.report_date)  # fmt: skip


@bp.post("/reports/write")
def write() -> Response:
    rubric = rubric_or_stop()
    run = chosen()
    text = request.form.get("date", "").strip()
    if run.run is None or run.refused:
        return go("reports.show", run=run.name)
    issued = day_field("date", "成文日期") if text else None
    if text and issued is None:
        return go("reports.show", run=run.name)
    written, problems = report_in(workspace(), run.run, rubric, issued=issued,
                                  adjustments=bool(request.form.get("adjustments")),
                                  wording=bool(request.form.get("wording")))  # fmt: skip
    note_problems(problems)
    if written:
        note("info", f"已重新生成 {len(written)} 个文件。")
    return go("reports.show", run=run.name)
