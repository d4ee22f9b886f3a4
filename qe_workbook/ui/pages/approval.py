"""Approval stages (征求意见稿 → 审定稿 → 印发稿): `qe approve` with its basis and who, and the run's approval record
with the documents labelled with each stage."""

from __future__ import annotations

import getpass

from flask import Blueprint, request
from werkzeug.wrappers import Response

from ...choices import STAGES, Stage
from ...record.stages import current_stage
from ...workspace.decisions import approve_in, stages
from ...workspace.registers import WORDING, kept
from ..shell import go, note, note_problems, page, rubric_or_stop, workspace
from .chosen import chosen

bp = Blueprint("approval", __name__)
STEP = "审定"


@bp.get("/approval")
def show() -> str:
    rubric_or_stop()
    run = chosen()
    current = current_stage(run.run) if run.run else Stage.DRAFT
    later = [s for s in STAGES if STAGES.index(s) > STAGES.index(current)]
    return page("approval.html", "approval", chosen=run, current=current, later=later,
                records=stages(run.run) if run.run else [], wording_file=kept(workspace(), WORDING),
                user=_user())  # fmt: skip


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return ""


@bp.post("/approval/approve")
def approve() -> Response:
    rubric = rubric_or_stop()
    run = chosen()
    stage = request.form.get("stage", "")
    if run.run is None or run.refused or stage not in {str(s) for s in STAGES[1:]}:
        note("error", "请选择要记录的阶段。")
        return go("approval.show", run=run.name)
    approval, problems = approve_in(workspace(), run.run, rubric, Stage(stage), request.form.get("basis", ""),
                                    request.form.get("by", ""), wording=bool(request.form.get("wording")))  # fmt: skip
    note_problems(problems)
    if approval is not None:
        record = approval.record
        note("info", f"已记为{record.stage}（{record.by}，依据：{record.basis}），并生成标明“{record.stage}”的文书。")
    return go("approval.show", run=run.name)
