"""The evaluation forms: generate them with the dispatch list, download each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, request
from werkzeug.wrappers import Response

from ...forms.register import FULL, load_register
from ...workspace.actions import generate_in
from ...workspace.issue import correction_in, folder_of, generations, latest_full, reissue_in
from ..shell import Lines, go, note, note_problems, page, problem_lines, rubric_or_stop, start, workspace

bp = Blueprint("forms", __name__)
STEP = "生成评价表"


@bp.get("/forms")
def show() -> str:
    ws = workspace()
    rubric = rubric_or_stop()
    _register, problems = load_register(ws.register_path)
    generation = latest_full(ws)
    folder = folder_of(ws, generation) if generation else ws.forms
    rows = []
    for ev in rubric.form_evaluators():
        record = generation.form_for(ev.name) if generation else None
        path = folder / record.file if record else None
        rows.append({"evaluator": ev, "file": path if path and path.is_file() else None})
    dispatch = folder / "发放清单.xlsx"
    corrections = ws.root / "out" / "corrections"
    return page("forms.html", "forms", generation=generation, rows=rows, register_problems=problems,
                dispatch=dispatch if dispatch.is_file() else None, folder=ws.relative(folder) if folder.is_dir() else "",
                idle=[e for e in rubric.evaluators if e not in rubric.form_evaluators()], history=generations(ws),
                next_seed=f"v{len([g for g in generations(ws) if g.kind == FULL]) + 1}",
                corrections=sorted(corrections.glob("*.xlsx")) if corrections.is_dir() else [],
                latest_run=ws.runs()[0].name if ws.runs() else "")  # fmt: skip


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


@bp.post("/forms/again")
def again() -> Response:
    ws = workspace()
    rubric = rubric_or_stop()
    seed = request.form.get("seed", "").strip()
    if not seed:
        note("error", "请填写新版的标识（例如 v2），未生成。")
        return go("forms.show")

    def work(progress: Any) -> Lines:
        outcome = reissue_in(ws, rubric, seed, progress)
        lines = problem_lines(outcome.problems)
        if outcome.generated is not None:
            lines.append(("info", f"已重新生成 {len(outcome.generated.forms)} 份评价表（新版标识 {seed}），"
                                  "并生成新的发放清单。各部门按新版填写交回后，旧版自动不再采用。"))  # fmt: skip
        return lines

    return start("重新生成评价表", len(rubric.form_evaluators()), "forms.show", work)


@bp.post("/forms/correction")
def correction() -> Response:
    ws = workspace()
    rubric = rubric_or_stop()
    report = correction_in(ws, rubric, request.form.get("evaluator", ""), request.form.getlist("units"))
    note_problems([p for p in report.problems if p.code != "CORRECTION_NO_REFERENCE"])
    if report.form is not None:
        reference = f"“现采用值”取自 {Path(report.reference_run).name} 的汇总" if report.reference_run else (
            "尚未汇总，“现采用值”一栏为“（无）”；汇总后再生成可列出现采用值")  # fmt: skip
        note("info", f"已生成{report.evaluator}的更正表（{'、'.join(report.units)}，共 {report.form.rows} 项）："
                     f"{report.form.path.name}，可在本页下方下载；{reference}。")  # fmt: skip
    return go("forms.show")
