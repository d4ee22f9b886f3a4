"""Key backup: the one-page backup sheet of the office's key (`qe key backup --out …`), made in memory and handed
over as a Word document to print; the key file itself is never served."""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, send_file
from werkzeug.wrappers import Response

from ...workspace.key_backup import SHEET_NAME, backup_sheet, fingerprint
from ..shell import go, note_problems, page, rubric_or_stop, workspace

bp = Blueprint("key_backup", __name__)
STEP = "密钥备份"


@bp.get("/key-backup")
def show() -> str:
    rubric_or_stop()
    shown, problems = fingerprint(workspace())
    return page("key_backup.html", "key_backup", fingerprint=shown, key_problems=problems)


@bp.post("/key-backup/sheet")
def sheet() -> Response:
    data, problems = backup_sheet(workspace(), rubric_or_stop())
    if data is None:
        note_problems(problems)
        return go("key_backup.show")
    return send_file(BytesIO(data), as_attachment=True, download_name=SHEET_NAME,
                     mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document")  # fmt: skip
