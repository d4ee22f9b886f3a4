"""Whose return a file is when no verified manifest says: the receipt record (the mail's sender, the
register's line), the folder and file names (with the departments' aliases), or the form's own owner line."""

from __future__ import annotations

from pathlib import PurePosixPath

from ..forms.layout import DEPT_LABEL
from ..rubric import Rubric
from .read_form import RawForm, cell_text
from .receipts import FORM_MATERIAL, Names, Receipt, ReceiptBook
from .submission import Submission


def department_names(rubric: Rubric) -> Names:
    """The departments that fill a form, by any of their names (name, full name, aliases)."""
    evaluators = {ev.name for ev in rubric.form_evaluators()}
    return Names({k: v for k, v in Names.of(rubric).canonical.items() if v in evaluators})


def named_in_path(file: str, names: Names) -> str | None:
    """The department a file's name names, else the innermost folder that names one (a fetched mail's
    folder is named for its sender: 20230427-090100_市水利局_3)."""
    parts = PurePosixPath(file.replace("\\", "/")).parts
    for part in reversed(parts):
        found = names.resolve(part.rsplit(".", 1)[0] if part == parts[-1] else part)
        if found:
            return found
    return None


def named_on_sheet(raw: RawForm, names: Names) -> str | None:
    """The department the owner line (A2, 考核评价部门（盖章）：…) names, on a form whose manifest is gone."""
    line = cell_text(raw.cell(1, 0)).replace(DEPT_LABEL, "").strip()
    return names.resolve(line) if line else None


def recognise_senders(submissions: list[Submission], rubric: Rubric, book: ReceiptBook | None) -> None:
    """Name the sender of every file whose manifest names nobody: by its receipt, else its path, else
    what its owner line said (kept in `guessed` when it was read)."""
    names = department_names(rubric)
    for sub in submissions:
        if sub.evaluator or sub.claimed:
            continue
        receipt = file_receipt(book, sub) if book else None
        by_receipt = receipt.sender if receipt is not None and receipt.sender in names.canonical.values() else None
        sub.guessed = by_receipt or named_in_path(sub.file, names) or sub.guessed


def file_receipt(book: ReceiptBook, sub: Submission, sender: str | None = None) -> Receipt | None:
    """A returned file's receipt: by its content, saved path or name; else, for a file unpacked from an
    archive of the returned folder, the archive's; else (given its `sender`) that sender's latest delivery."""
    parts = sub.file.split("/")
    archives = ["/".join(parts[:n]) for n in range(len(parts) - 1, 0, -1) if parts[n - 1].lower().endswith(".zip")]
    for path in (sub.file, *archives):
        found = book.find(sha256=sub.sha256 or None, path=path, name=path, material=FORM_MATERIAL)
        if found is not None:
            return found
    return book.find(sender=sender, material=FORM_MATERIAL) if sender else None
