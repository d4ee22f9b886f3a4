"""Rectification ledgers (整改台账): generated from a run as `qe rectify generate` does, the units' returned ledgers
uploaded into 回收的整改台账, and collected as `qe rectify collect` does."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, request
from werkzeug.wrappers import Response

from ...workspace.decisions import files_of
from ...workspace.ledgers import collect_in, collected, generate_in, issued, keep_returned, returned_ledgers
from ...workspace.registers import WORDING, kept
from ..shell import go, note, note_problems, page, rubric_or_stop, workspace
from .chosen import chosen
from .returns import MAX_UPLOAD_FILES
from .summary import note_grouped
from .uploads import day_field

bp = Blueprint("rectify", __name__)
STEP = "整改台账"


@bp.get("/rectify")
def show() -> str:
    rubric_or_stop()
    run = chosen()
    ws = workspace()
    folders = issued(run.run) if run.run else []
    book, data = collected(run.run) if run.run else (None, {})
    returned = sorted(p.name for p in returned_ledgers(ws).glob("*") if p.is_file())
    return page("rectify.html", "rectify", chosen=run, ledgers=files_of(folders[0]) if folders else [],
                issued_at=folders[0].name if folders else "", book=book, book_files=[p for p in files_of(book) if p.suffix == ".xlsx"], data=data,
                returned=returned, wording_file=kept(ws, WORDING), today=date.today())  # fmt: skip


@bp.post("/rectify/generate")
def generate() -> Response:
    rubric = rubric_or_stop()
    run = chosen()
    if run.run is not None and not run.refused:
        generated = generate_in(workspace(), run.run, rubric, wording=bool(request.form.get("wording")))
        note_problems(generated.problems)
        if generated.folder is not None:
            note("info", f"已生成 {len(generated.ledgers)} 份整改台账，并记入生成登记。")
    return go("rectify.show", run=run.name)


@bp.post("/rectify/upload")
def upload() -> Response:
    rubric_or_stop()
    files = [(f.filename or "", f.read()) for f in request.files.getlist("files") if f.filename][:MAX_UPLOAD_FILES]
    if not files:
        note("warning", "没有选择文件。")
    else:
        kept_files, problems = keep_returned(workspace(), files)
        note_problems(problems)
        note("info", f"已保存 {len(kept_files)} 份交回的整改台账。")
    return go("rectify.show", run=request.form.get("run", ""))


@bp.post("/rectify/collect")
def collect() -> Response:
    rubric = rubric_or_stop()
    today = day_field("today", "判断逾期的日期")
    if today is not None:
        result, problems = collect_in(workspace(), rubric, today)
        note_grouped(problems, "整改台账汇总的问题清单")
        if result is not None:
            note("info", f"共 {len(result.lines)} 个问题，逾期 {len(result.overdue)} 个。")
    return go("rectify.show", run=request.form.get("run", ""))
