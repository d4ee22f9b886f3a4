"""Collect: run `qe collect` on the returned folder in the background, then each department's problems."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request
from werkzeug.wrappers import Response

from ...problems import Severity
from ...workspace.actions import Outcome, collect_in, returned_count
from ...workspace.previous import choose_previous, chosen_previous
from ...workspace.registers import ADJUSTMENTS, APPEALS, collect_registers
from ...workspace.returns import department_returns
from ...workspace.runs import run_view
from ..shell import Lines, go, note, note_problems, page, problem_lines, rubric_or_stop, start, workspace

bp = Blueprint("collect", __name__)
STEP = "汇总评分"
LABELS = {"adjustments": ADJUSTMENTS.label, "appeals": APPEALS.label}


@bp.get("/collect")
def show() -> str:
    ws = workspace()
    rubric = rubric_or_stop()
    returns = department_returns(ws, rubric)
    files = [(ws.relative(p), p.stat().st_size) for p in ws.returned_files()]
    view = run_view(returns.run, [ev.name for ev in rubric.evaluators]) if returns.run else None
    registers = [(LABELS[name], path) for name, path in collect_registers(ws).items()]
    previous, previous_problems = chosen_previous(ws)
    return page("collect.html", "collect", files=files, returns=returns, view=view, checks=ws.checked_units(),
                registers=registers, aside=len(ws.set_aside_files()), previous=previous,
                previous_problems=problem_lines(previous_problems))  # fmt: skip


@bp.post("/collect/previous")
def previous() -> Response:
    """Last year's workspace folder as typed (empty: compare with nothing), kept for every later collect."""
    chosen, problems = choose_previous(workspace(), request.form.get("folder", ""))
    note_problems(problems)
    if chosen is not None:
        note("info", "已选定上年的工作区，以后每次汇总都与其中的结果比较。")
    elif not problems:
        note("info", "已取消上年的工作区，汇总时不与上年比较。")
    return go("collect.show", request.form.get("back"))


@bp.post("/run")
def run() -> Response:
    ws = workspace()
    rubric = rubric_or_stop()

    chosen = request.form.get("units_check", "")
    units_check = next((p for p in ws.checked_units() if ws.relative(p) == chosen), None)
    if chosen and units_check is None:
        note("error", "所选的县区材料检查结果不在本工作区中，未汇总。请刷新页面后重新选择。")
        return go("collect.show")

    def work(progress: Any) -> Lines:
        outcome = collect_in(ws, rubric, progress, units_check=units_check)
        return problem_lines(outcome.problems) + _run_lines(outcome)

    return start("汇总评分", returned_count(ws), "collect.show", work)


def _run_lines(outcome: Outcome) -> Lines:
    report = outcome.report
    if report is None:
        return []
    errors = sum(1 for p in report.problems if p.severity is Severity.ERROR)
    verdict = (
        "全部评价表已采用且完整。" if report.clean else f"有 {errors} 个错误或缺少的评价表，详见下方按部门列出的问题。"
    )
    return [("info" if report.clean else "warning", f"汇总完成：结果文件夹 {report.folder.name}。{verdict}")]
