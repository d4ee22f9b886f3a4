"""A finished run: ranking, grades, charts and the documents to download."""

from __future__ import annotations

from flask import Blueprint, request

from ...workspace.runs import run_view
from ..shell import page, rubric_or_stop, workspace

bp = Blueprint("results", __name__)
STEP = "结果与文书"


@bp.get("/results")
def show() -> str:
    rubric_or_stop()
    runs = workspace().runs()
    chosen = next((r for r in runs if r.name == request.args.get("run")), runs[0] if runs else None)
    view = run_view(chosen) if chosen else None
    return page("results.html", "results", runs=runs, view=view)
