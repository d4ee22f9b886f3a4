"""New xlsxwriter workbooks as the writers here want them: text stays text and shows no control character,
assembled in memory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from .visible import visible_in_document

TEXT_AS_TEXT = {"strings_to_formulas": False, "strings_to_urls": False}


def new_workbook(path: Path, **options: Any) -> xlsxwriter.Workbook:
    """A workbook at `path` that writes every string as text (never a formula or a link) and assembles its
    parts in memory: without `in_memory` xlsxwriter writes each part to a temporary file and reads it back,
    which costs more than the writing itself for the small workbooks written here (a big sheet written
    row by row may pass `in_memory=False, constant_memory=True`)."""
    return VisibleWorkbook(str(path), {**TEXT_AS_TEXT, "in_memory": True, **options})


class VisibleWorksheet(Worksheet):
    """A worksheet that writes every text with its control characters shown as pictures (`visible_in_document`): a file
    name or cell text from outside is never written as an _x001B_ escape that Excel turns back into ESC."""

    def _write_string(self, row: int, col: int, string: str, cell_format: Format | None = None) -> Any:
        return super()._write_string(row, col, visible_in_document(string), cell_format)


class VisibleWorkbook(xlsxwriter.Workbook):
    """An xlsxwriter workbook whose sheets are `VisibleWorksheet`s."""

    worksheet_class = VisibleWorksheet


OUTPUT_PROPERTY = (
    "本工具输出"  # a custom document property: read back from a returned folder, the file is known as ours
)


def mark_output(wb: xlsxwriter.Workbook, title: str, author: str, **more: Any) -> None:
    """The title and author of a workbook this tool writes, and the custom property (`OUTPUT_PROPERTY`, the
    title) that tells it from a returned form when it lands among them."""
    wb.set_properties({"title": title, "author": author, **more})
    wb.set_custom_property(OUTPUT_PROPERTY, title)
