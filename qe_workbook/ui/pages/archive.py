"""Archive and verify: an approved run archived as `qe archive` does (into out/档案/<run>, in the background:
the PDFs take a while), and any archive of the workspace verified against its checksums."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request
from werkzeug.wrappers import Response

from ...record.archive import CONTENTS
from ...record.stages import FINAL_STAGES, current_stage
from ...workspace.decisions import archive_in, archives, verify_in
from ..shell import Lines, go, note, note_problems, page, problem_lines, rubric_or_stop, start, workspace
from .chosen import chosen

bp = Blueprint("archive", __name__)
STEP = "归档"


@bp.get("/archive")
def show() -> str:
    rubric_or_stop()
    run = chosen()
    approved = run.run is not None and current_stage(run.run) in FINAL_STAGES
    return page("archive.html", "archive", chosen=run, approved=approved, archives=archives(workspace()),
                stage=current_stage(run.run) if run.run else None, contents=CONTENTS)  # fmt: skip


@bp.post("/archive/make")
def make() -> Response:
    ws = workspace()
    rubric = rubric_or_stop()
    run = chosen()
    if run.run is None or run.refused:
        return go("archive.show")
    folder = run.run

    def work(progress: Any) -> Lines:
        progress(folder.name)
        result = archive_in(ws, folder, rubric)
        lines = problem_lines(result.problems)
        if result.folder is not None:
            lines.append(
                (
                    "info",
                    f"已归档 {len(result.entries)} 个文件：档案文件夹 {result.folder.name}（含卷内目录和校验值清单）。",
                )
            )
        return lines

    return start("归档", 1, "archive.show", work)


@bp.post("/archive/verify")
def verify() -> Response:
    rubric_or_stop()
    folder, problems = verify_in(workspace(), request.form.get("name", ""))
    if folder is None:
        note("error", "没有这个档案文件夹。")
    else:
        note_problems(problems)
        name = f"档案文件夹 {folder.name}"
        if problems:
            note("error", f"核验未通过：{name} 中有文件缺失、改动或多出（见上）。")
        else:
            note("info", f"核验通过：{name} 中的文件与归档时一致。")
    return go("archive.show")
