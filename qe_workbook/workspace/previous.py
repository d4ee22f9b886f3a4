"""Last year's workspace, chosen on the page and recorded in out/上年工作区.json: every page collect compares
with its latest approved run (else its latest usable one) and that run's rectification ledger, as
`qe collect --previous <run>` does."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..outputs.run_record import read_run
from ..problems import Problem, problem
from ..record.stages import latest_approved
from ..rectify.previous import find_ledger
from .layout import Workspace

PREVIOUS_FILE = "上年工作区.json"


@dataclass(frozen=True)
class PreviousYear:
    root: Path  # last year's workspace folder
    run: Path  # the run compared with: the latest approved, else the latest usable
    approved: bool
    ledger: Path | None  # that run's rectification ledger (整改台账.json), when collected


def previous_settings(ws: Workspace) -> Path:
    return ws.root / "out" / PREVIOUS_FILE


def last_year(root: Path) -> tuple[PreviousYear | None, list[Problem]]:
    """The run of the workspace at `root` a collect compares with, or why there is none."""

    def refused(reason: str) -> tuple[None, list[Problem]]:
        return None, [problem("PREVIOUS_WORKSPACE_UNUSABLE", folder=str(root), reason=reason)]

    last = Workspace(root)
    if not root.is_dir():
        return refused("没有这个文件夹")
    rubric, _ = last.load_rubric()
    if rubric is None:
        return refused("其中没有考核细则，不是本工具的工作区")
    approved = latest_approved(last.results, rubric.year) if last.results.is_dir() else None
    usable = [run for run in last.runs() if read_run(run, official="documents")[0] is not None]
    if approved is not None and read_run(approved[0], official="documents")[0] is not None:
        run, is_approved = approved[0], True
    elif usable:
        run, is_approved = usable[0], False
    else:
        return refused("其中没有审定或可以使用的汇总结果")
    return PreviousYear(root, run, is_approved, find_ledger(run)), []


def choose_previous(ws: Workspace, folder: str) -> tuple[PreviousYear | None, list[Problem]]:
    """Record last year's workspace `folder` (as typed) for every later collect, when it has a run to compare with;
    an empty `folder` forgets the choice."""
    settings = previous_settings(ws)
    if not folder.strip():
        settings.unlink(missing_ok=True)
        return None, []
    root = Path(folder.strip()).expanduser()
    if not root.is_absolute():
        return None, [problem("PREVIOUS_WORKSPACE_UNUSABLE", folder=folder.strip(),
                              reason="请填写完整的文件夹位置（从盘符或根目录开始）")]  # fmt: skip
    if root.is_dir() and root.resolve() == ws.root.resolve():
        return None, [problem("PREVIOUS_WORKSPACE_UNUSABLE", folder=folder.strip(), reason="这是本年度的工作区")]
    chosen, problems = last_year(root)
    if chosen is None:
        return None, problems
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(json.dumps({"folder": str(root.resolve())}, ensure_ascii=False), encoding="utf-8")
    return chosen, []


def chosen_previous(ws: Workspace) -> tuple[PreviousYear | None, list[Problem]]:
    """Last year's run as recorded for this workspace now (its latest approved run may have changed), or nothing
    chosen, or why the recorded choice no longer serves."""
    settings = previous_settings(ws)
    if not settings.is_file():
        return None, []
    try:
        folder = json.loads(settings.read_text(encoding="utf-8"))["folder"]
    except (OSError, ValueError, KeyError, TypeError):
        return None, [problem("PREVIOUS_WORKSPACE_UNUSABLE", folder="记录的上年工作区",
                               reason="记录的设置已损坏，请重新选择")]  # fmt: skip
    return last_year(Path(str(folder)))
