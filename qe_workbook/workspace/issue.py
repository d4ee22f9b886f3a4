"""Issuing forms again in a workspace, as the command line does: a new version of every form with a new seed
into a new folder (`qe generate --seed v2 --out out/forms-2`), and a correction form for some units of one
department (`qe correction --evaluator … --units … --out out/corrections`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from ..forms.generate import generate_forms
from ..forms.register import FULL, Generation, load_register
from ..record.correction import CorrectionReport, issue_correction
from ..rubric import Rubric
from .actions import Outcome
from .layout import FORMS_AGAIN, Workspace


def next_forms_folder(ws: Workspace) -> Path:
    """out/forms-2, out/forms-3…: the first that does not exist yet."""
    n = 2
    while (ws.root / "out" / f"{FORMS_AGAIN}{n}").exists():
        n += 1
    return ws.root / "out" / f"{FORMS_AGAIN}{n}"


def reissue_in(ws: Workspace, rubric: Rubric, seed: str, progress: Callable[[str], None] | None = None) -> Outcome:
    """`qe generate --seed <seed> --out out/forms-N`: every form again, recorded as a new generation; forms of
    an earlier generation are then set aside when the new version of the same department comes back."""
    register, problems = load_register(ws.register_path)
    key, key_problems = ws.read_key()
    if problems or key_problems or key is None:
        return Outcome([*problems, *key_problems])
    result = generate_forms(rubric, next_forms_folder(ws), key, seed=seed, register=register,
                            progress=(lambda ev: progress(ev.name)) if progress else None)  # fmt: skip
    return Outcome(generated=result)


def correction_in(ws: Workspace, rubric: Rubric, evaluator: str, units: Sequence[str]) -> CorrectionReport:
    """`qe correction --evaluator <evaluator> --units <units> --out out/corrections`, its reference column from
    the latest run."""
    register, problems = load_register(ws.register_path)
    key, key_problems = ws.read_key()
    if problems or key_problems or key is None:
        return CorrectionReport(evaluator, list(units), problems=[*problems, *key_problems])
    runs = ws.runs()
    return issue_correction(rubric, evaluator, units, ws.root / "out" / "corrections", key,
                            run=runs[0] if runs else None, register=register)  # fmt: skip


def generations(ws: Workspace) -> list[Generation]:
    """The register's generations, newest first."""
    register, _ = load_register(ws.register_path)
    return sorted(register.generations, key=lambda g: g.number, reverse=True)


def latest_full(ws: Workspace) -> Generation | None:
    return next((g for g in generations(ws) if g.kind == FULL), None)


def folder_of(ws: Workspace, generation: Generation) -> Path:
    """Where a generation's forms lie, always inside the workspace: the register names the folder as it was then;
    in a workspace moved or copied since, the forms lie in its own out/ under the same folder name."""
    folder = Path(generation.folder)
    if not folder.is_absolute():
        return ws.root / folder
    return folder if folder.resolve().is_relative_to(ws.root.resolve()) else ws.root / "out" / folder.name
