"""The units' packages and the check of what they send (`qe units generate`, `qe units check 县区材料`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint
from werkzeug.wrappers import Response

from ...intake.receipts import OFFICE_TZ
from ...workspace.units import check_units_in, check_view, generate_units_in, unit_packages
from ..shell import Lines, go, page, problem_lines, rubric_or_stop, start, workspace
from .returns import CHANNELS, take_uploads

bp = Blueprint("units", __name__)
STEP = "县区材料"


@bp.get("/units")
def show() -> str:
    ws = workspace()
    rubric = rubric_or_stop()
    checks = ws.checked_units()
    register = ws.units / "收件登记.xlsx"
    return page("units.html", "units", packages=unit_packages(ws, rubric), register=register if register.is_file() else None,
                received=ws.received_files(ws.units_received), check=check_view(checks[0]) if checks else None,
                channels=CHANNELS, now_local=f"{datetime.now(OFFICE_TZ):%Y-%m-%d %H:%M}")  # fmt: skip


@bp.post("/units/generate")
def generate() -> Response:
    ws = workspace()
    rubric = rubric_or_stop()

    def work(_progress: Any) -> Lines:
        made = generate_units_in(ws, rubric)
        lines = problem_lines(made.problems)
        if made.folders:
            lines.append(
                ("info", f"已为 {len(made.folders)} 个被考核单位生成材料包（已有的文件不覆盖），请连同方案发给各县区。")
            )
        return lines

    return start("生成县区材料包", len(rubric.units), "units.show", work)


@bp.post("/units/upload")
def upload() -> Response:
    take_uploads(workspace().units_received, None)
    return go("units.show")


@bp.post("/units/check")
def check() -> Response:
    ws = workspace()
    rubric = rubric_or_stop()

    def work(_progress: Any) -> Lines:
        checked = check_units_in(ws, rubric)
        lines = problem_lines([p for p in checked.problems if str(p.severity) == "error"])[:20]
        if checked.folder is not None:
            verdict = "全部收到且符合要求。" if checked.clean else "有缺少或不符合要求的材料，见下方材料报送情况。"
            lines.append(("info" if checked.clean else "warning", f"检查完成：{verdict}"))
        return lines

    return start("检查县区材料", len(rubric.units), "units.show", work)
