"""Review (得分核对与会议调整): 得分核对单 with a deadline (`qe precheck`), the appeal register and the meeting's
adjustments (blank template, the filled one uploaded, or one adjustment typed on the page), kept in out/review,
where the next collection takes them in."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, request
from werkzeug.wrappers import Response

from ...scoring.adopt import AdjustKind
from ...workspace.decisions import files_of, precheck_in, prechecks
from ...workspace.registers import (
    ADJUSTMENTS,
    APPEALS,
    NewAdjustment,
    Register,
    add_adjustment,
    adjustment_rows,
    appeal_rows,
    blank,
    kept,
    replace_register,
)
from ..shell import go, note, note_problems, page, refuse, rubric_or_stop, workspace
from .chosen import chosen
from .uploads import day_field, one_upload

bp = Blueprint("review", __name__)
STEP = "得分核对与会议调整"
REGISTERS = {"adjustments": ADJUSTMENTS, "appeals": APPEALS}


@bp.get("/review")
def show() -> str:
    ws = workspace()
    rubric = rubric_or_stop()
    run = chosen()
    adjustments, adjustment_problems = adjustment_rows(ws, rubric)
    appeals, appeal_problems = appeal_rows(ws, rubric)
    return page("review.html", "review", chosen=run, prechecks=files_of(prechecks(run.run)) if run.run else [],
                deadline=date.today() + timedelta(days=7), adjustments=adjustments,
                adjustment_problems=adjustment_problems, adjustments_file=kept(ws, ADJUSTMENTS), appeals=appeals,
                appeal_problems=appeal_problems, appeals_file=kept(ws, APPEALS), kinds=[str(k) for k in AdjustKind],
                grades=rubric.grading.order, units=[u.name for u in rubric.units])  # fmt: skip


@bp.post("/review/precheck")
def precheck() -> Response:
    rubric = rubric_or_stop()
    run = chosen()
    deadline = day_field("deadline", "反馈异议的截止日期")
    if run.run is not None and not run.refused and deadline is not None:
        folder, problems = precheck_in(workspace(), run.run, rubric, deadline)
        note_problems(problems)
        if folder is not None:
            note("info", f"已为 {len(rubric.units)} 个被考核单位生成得分核对单（截止日期 {deadline:%Y-%m-%d}）。")
    return go("review.show", run=run.name)


def _register(which: str) -> Register:
    register = REGISTERS.get(which)
    if register is None:
        refuse("没有这种登记表。")
    return register


@bp.post("/review/blank/<which>")
def blank_register(which: str) -> Response:
    register = _register(which)
    path = blank(workspace(), register, rubric_or_stop())
    return go("files.download", path=workspace().relative(path))


@bp.post("/review/upload/<which>")
def upload(which: str) -> Response:
    register = _register(which)
    rubric = rubric_or_stop()
    data = one_upload()
    if data is not None:
        path, problems = replace_register(workspace(), register, data, rubric)
        note_problems(problems)
        if path is not None:
            note("info", f"已保存{register.label}；下次汇总时采用（原有的一份移到“以前的版本”）。")
    return go("review.show", run=request.form.get("run", ""))


@bp.post("/review/adjustment")
def adjustment() -> Response:
    rubric = rubric_or_stop()
    form = request.form
    new = NewAdjustment(form.get("unit", ""), form.get("kind", ""), form.get("amount", ""), form.get("basis", ""),
                        form.get("remark", ""))  # fmt: skip
    problems = add_adjustment(workspace(), rubric, new)
    note_problems(problems)
    if not problems:
        note("info", f"已记入会议调整表：{new.unit}{new.kind} {new.amount}。重新汇总后生效。")
    return go("review.show", run=form.get("run", ""))
