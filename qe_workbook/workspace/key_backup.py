"""The key backup sheet from a workspace (`qe key backup --out …`): made in memory and handed over once; the key
file itself is never served and the sheet is not left in the workspace."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from ..keys import key_fingerprint
from ..problems import Problem
from ..record.key_sheet import sheet_document
from ..rubric import Rubric
from .layout import Workspace

SHEET_NAME = "密钥备份单.docx"


def fingerprint(ws: Workspace) -> tuple[str | None, list[Problem]]:
    key, problems = ws.read_key()
    return (key_fingerprint(key) if key is not None else None), problems


def backup_sheet(ws: Workspace, rubric: Rubric, day: date | None = None) -> tuple[bytes | None, list[Problem]]:
    key, problems = ws.read_key()
    if key is None:
        return None, problems
    out = BytesIO()
    sheet_document(key, rubric.office_full_name, day or date.today()).save(out)
    return out.getvalue(), []
