"""The evaluation forms: generate them with the dispatch list, download each."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from werkzeug.wrappers import Response

from ...forms.register import load_register
from ...workspace.actions import generate_in
from ..shell import Lines, page, problem_lines, rubric_or_stop, start, workspace

bp = Blueprint("forms", __name__)
STEP = "生成评价表"


@bp.get("/forms")
def show() -> str:
    ws = workspace()
    rubric = rubric_or_stop()
    register, problems = load_register(ws.register_path)
    generation = register.generations[-1] if register.generations else None
    rows = []
    for ev in rubric.form_evaluators():
        record = generation.form_for(ev.name) if generation else None
        path = ws.forms / record.file if record else None
        rows.append({"evaluator": ev, "file": path if path and path.is_file() else None})
    dispatch = ws.forms / "发放清单.xlsx"
    return page("forms.html", "forms", generation=generation, rows=rows, register_problems=problems,
                dispatch=dispatch if dispatch.is_file() else None,
                idle=[e for e in rubric.evaluators if e not in rubric.form_evaluators()])  # fmt: skip


@bp.post("/generate")
def generate() -> Response:
    ws = workspace()
    rubric = rubric_or_stop()

    def work(progress: Any) -> Lines:
        outcome = generate_in(ws, rubric, progress)
        lines = problem_lines(outcome.problems)
        if outcome.generated is not None:
            lines.append(("info", f"已生成 {len(outcome.generated.forms)} 份评价表，并生成发放清单。"))
        return lines

    return start("生成评价表", len(rubric.form_evaluators()), "forms.show", work)
