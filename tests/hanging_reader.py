"""A value reader that hangs on a marked file, for the time-limit test (kept apart from the test module so
that a freshly started reading child imports little: its start-up counts against the limit)."""

from __future__ import annotations

import time

from qe_workbook.intake.read_form import read_cells

HANG = "qe-test-hang.txt"


def read_or_hang(data: bytes, form: str, with_manifest: bool) -> object:
    """The value reader, except that a file holding a part named HANG makes it hang (in the child)."""
    if HANG.encode() in data:
        time.sleep(3600)
    return read_cells(data, form, with_manifest)
