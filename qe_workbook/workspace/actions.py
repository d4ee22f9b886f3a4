"""The year's two long jobs in a workspace, with the same library calls and arguments as `qe generate`
and `qe collect` run in the workspace folder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..extras import extras_from
from ..forms.generate import GenerateResult, generate_forms
from ..forms.register import load_register, occupied
from ..intake.discover import discover
from ..pipeline import CollectOptions, RunReport, run_collect
from ..problems import Problem
from ..rubric import Rubric
from .layout import Workspace
from .previous import chosen_previous
from .registers import collect_registers


@dataclass
class Outcome:
    """A job's result: what was written (None when nothing was) and the problems on the way."""

    problems: list[Problem] = field(default_factory=list)
    generated: GenerateResult | None = None
    report: RunReport | None = None


def generate_in(ws: Workspace, rubric: Rubric, progress: Callable[[str], None] | None = None) -> Outcome:
    """`qe generate`: the forms into out/forms (never over earlier ones), recorded in the register."""
    register, problems = load_register(ws.register_path)
    taken = occupied(ws.forms)
    key, key_problems = ws.read_key()
    problems = [*problems, *([taken] if taken else []), *key_problems]
    if problems or key is None:
        return Outcome(problems)
    result = generate_forms(rubric, ws.forms, key, register=register,
                            progress=(lambda ev: progress(ev.name)) if progress else None)  # fmt: skip
    return Outcome(generated=result)


def returned_count(ws: Workspace) -> int:
    """How many files a collection will read (the progress bar's length)."""
    return len(discover(ws.returned).files) if ws.returned.is_dir() else 0


def collect_in(ws: Workspace, rubric: Rubric, progress: Callable[[str], None] | None = None, *,
               units_check: Path | None = None) -> Outcome:  # fmt: skip
    """`qe collect 回收的评价表 [--adjustments out/review/adjustments.xlsx] [--appeals out/review/异议登记.xlsx]`
    (each when the workspace holds it) `[--units-check out/units-check/<时间>]` (the one chosen)
    `[--previous <上年的结果>]` (when last year's workspace is chosen: its latest approved, else usable, run):
    a new run folder under out/results, its documents from the workspace's 文书模板 when it holds any."""
    key, problems = ws.read_key()
    register, register_problems = load_register(ws.register_path)
    previous, previous_problems = chosen_previous(ws)
    if key is None or previous_problems:
        return Outcome(problems + previous_problems)
    ws.returned.mkdir(parents=True, exist_ok=True)
    options = CollectOptions(ws.results, register=register, key_file=str(ws.key_path), progress=progress,
                             templates=ws.templates)  # fmt: skip
    extras = extras_from(**collect_registers(ws), units_check=units_check, previous=previous.run if previous else None)
    report = run_collect(ws.returned, rubric, key, options, extras)
    return Outcome([*ws.templates_used(), *register_problems], report=report)
