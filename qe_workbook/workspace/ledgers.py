"""Rectification ledgers in a workspace: `qe rectify generate <run> [--feedback out/review/反馈修改稿.xlsx]` into
<run>/整改台账/<time>; the ledgers the units return are kept in 回收的整改台账 (as sent, never renamed over one
another); `qe rectify collect 回收的整改台账` writes <run>/整改情况/<time>."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from ..file_names import safe_file_name
from ..forms.register import load_register
from ..problems import Problem, os_error_text, problem
from ..rectify.collect import RectifyCollect, rectify_collect
from ..rectify.layout import COLLECTED_DIR, ISSUED_DIR, LEDGER_JSON
from ..rectify.ledger import Generated, generate_ledgers
from ..rubric import Rubric
from .layout import Workspace, write_new
from .registers import WORDING, kept
from .returns import sent_name

RETURNED_LEDGERS = "回收的整改台账"


def returned_ledgers(ws: Workspace) -> Path:
    return ws.root / RETURNED_LEDGERS


def generate_in(ws: Workspace, run: Path, rubric: Rubric, wording: bool) -> Generated:
    key, problems = ws.read_key()
    register, trouble = load_register(ws.register_path)
    if key is None or trouble:
        return Generated(None, [], problems + trouble)
    from ..documents.sheet_notes import LEDGER_NOTES

    generated = generate_ledgers(run, rubric, key, wording=kept(ws, WORDING) if wording else None,
                                 register=register, templates=ws.templates)  # fmt: skip
    return Generated(generated.folder, generated.ledgers, [*ws.templates_used((LEDGER_NOTES,)), *generated.problems])


def issued(run: Path) -> list[Path]:
    """The folders of ledgers generated from `run`, newest first."""
    folder = run / ISSUED_DIR
    return (
        sorted((p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")), reverse=True)
        if folder.is_dir()
        else []
    )


def keep_returned(ws: Workspace, files: Sequence[tuple[str, bytes]]) -> tuple[list[Path], list[Problem]]:
    """Keep each returned ledger under its own name made safe (a taken name gets “ (2)”)."""
    folder = returned_ledgers(ws)
    kept_files: list[Path] = []
    problems: list[Problem] = []
    for name, data in files:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            kept_files.append(write_new(folder, safe_file_name(sent_name(name), "整改台账"), data))
        except OSError as exc:
            problems.append(problem("RETURNED_NOT_SAVED", file=sent_name(name), reason=os_error_text(exc)))
    return kept_files, problems


def collect_in(ws: Workspace, rubric: Rubric, today: date | None = None) -> tuple[RectifyCollect | None, list[Problem]]:
    key, problems = ws.read_key()
    register, trouble = load_register(ws.register_path)
    if key is None:
        return None, problems
    folder = returned_ledgers(ws)
    folder.mkdir(parents=True, exist_ok=True)
    collected = rectify_collect(folder, rubric, key, today=today, register=register,
                                fallback_parent=ws.root / "out" / COLLECTED_DIR)  # fmt: skip
    return collected, trouble + collected.problems


def collected(run: Path) -> tuple[Path | None, dict[str, Any]]:
    """The latest collection of ledgers written into `run` (its folder and its 整改台账.json), or (None, {})."""
    folders = sorted(p for p in (run / COLLECTED_DIR).glob("*") if (p / LEDGER_JSON).is_file())
    if not folders:
        return None, {}
    data: dict[str, Any] = json.loads((folders[-1] / LEDGER_JSON).read_text(encoding="utf-8"))
    return folders[-1], data
