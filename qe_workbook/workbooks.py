"""New xlsxwriter workbooks as the writers here want them: text stays text, assembled in memory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter

TEXT_AS_TEXT = {"strings_to_formulas": False, "strings_to_urls": False}


def new_workbook(path: Path, **options: Any) -> xlsxwriter.Workbook:
    """A workbook at `path` that writes every string as text (never a formula or a link) and assembles its
    parts in memory: without `in_memory` xlsxwriter writes each part to a temporary file and reads it back,
    which costs more than the writing itself for the small workbooks written here (a big sheet written
    row by row may pass `in_memory=False, constant_memory=True`)."""
    return xlsxwriter.Workbook(str(path), {**TEXT_AS_TEXT, "in_memory": True, **options})
