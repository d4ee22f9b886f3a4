"""Next year: the rubric rolled on to the following year as `qe rubric new-year` does (the rubric page's own
button), and what to do with it."""

from __future__ import annotations

from flask import Blueprint

from ..shell import page, rubric_or_stop, workspace

bp = Blueprint("next_year", __name__)
STEP = "下一年度"


@bp.get("/next-year")
def show() -> str:
    rubric = rubric_or_stop()
    following = workspace().root / f"rubric-{rubric.year + 1}.xlsx"
    return page("next_year.html", "next_year", following=following if following.is_file() else None,
                runs=workspace().runs(), this_year=workspace().root.resolve())  # fmt: skip
