"""The year's overview (what to do now, each department's return) and the new workspace."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, request
from werkzeug.wrappers import Response

from ...rubric.load import BUNDLED_RUBRIC
from ...rubric.view import counts_text, rubric_counts
from ...workspace.layout import create_workspace
from ...workspace.state import year_state
from ..fixes import page_message
from ..shell import go, note, note_problems, page, rubric_or_stop, shell, workspace

bp = Blueprint("overview", __name__)
STEP = "本年度概况"


@bp.get("/")
def home() -> Response:
    return go("overview.show")


@bp.get("/overview")
def show() -> str:
    ws = workspace()
    if not ws.ready:
        return page("create.html", "overview", default_year=_bundled_year() or date.today().year)
    rubric = rubric_or_stop()
    counts = rubric_counts(rubric)
    state = year_state(ws, rubric)
    return page("overview.html", "overview", counts=counts, counts_lines=counts_text(counts).splitlines(),
                state=state, returns=state.returns, pages={name for name, _label, _endpoint in shell().nav},
                since=[f"{when} 的汇总：{page_message(p)}" for when, p in state.since])  # fmt: skip


@bp.post("/create")
def create() -> Response:
    ws = workspace()
    year = request.form.get("year", "")
    upload = request.files.get("key")
    key_text = upload.read().decode("utf-8", "replace") if upload and upload.filename else None
    if not year.isdigit() or not 2000 <= int(year) <= 2100:
        note("error", "年度应为 2000 至 2100 之间的四位数字，例如 2023。")
        return go("overview.show")
    chosen = request.files.get("rubric")
    rubric_file = (chosen.filename or "", chosen.read()) if chosen and chosen.filename else None
    created = create_workspace(ws.root, int(year), key_text, rubric_file)
    note_problems(created.problems)
    if created.workspace is not None:
        note("info", f"已建立 {year} 年度工作区：{ws.root}")
        for line in created.checklist:
            note("warning", line)
    return go("overview.show")


def _bundled_year() -> int | None:
    from ...rubric import load_rubric

    bundled = load_rubric(BUNDLED_RUBRIC).rubric
    return bundled.year if bundled else None
