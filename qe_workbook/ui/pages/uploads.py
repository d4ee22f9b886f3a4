"""What the later steps' forms share: one uploaded workbook read whole, and a day typed as 2023-05-20."""

from __future__ import annotations

from datetime import date

from flask import request

from ..shell import note


def one_upload(field: str = "file") -> bytes | None:
    """The bytes of the one file chosen in `field`, or None (said on the next page) when none was chosen."""
    chosen = request.files.get(field)
    if chosen is None or not chosen.filename:
        note("warning", "没有选择文件。")
        return None
    return chosen.read()


def day_field(field: str, what: str) -> date | None:
    """The day typed in `field` (2023-05-20); None (said on the next page) for anything else."""
    text = request.form.get(field, "").strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        note("error", f"{what}应为日期，例如 2023-05-20。")
        return None
