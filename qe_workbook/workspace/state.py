"""Where the year stands in a workspace and what the office does next: before the forms are issued, what to do
first; while they come back, what is still to be added or collected; after a collect, what each department must
do (the words of 报送情况); after approval, what was approved and what changed since."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..forms.register import FULL, load_register
from ..intake.receipts import CHOICES_JSON
from ..intake.standing import Standing
from ..outputs.run_record import read_run
from ..record.stages import StageRecord, latest_approved
from ..rubric import Rubric
from .decisions import archives
from .layout import Workspace
from .returns import Returns, department_returns
from .runs import run_time

# Where a step is done: the page's step names (the command line does them with the command named in the text).
UNITS, FORMS, RETURNS, COLLECT, CHASE, REVIEW, APPROVAL, ARCHIVE, RECTIFY, NEXT_YEAR = (
    "units", "forms", "returns", "collect", "chase", "review", "approval", "archive", "rectify", "next_year"
)  # fmt: skip


@dataclass(frozen=True)
class Step:
    text: str
    where: str  # one of the step names above


@dataclass
class YearState:
    headline: str
    steps: list[Step]
    returns: Returns
    approved: tuple[Path, StageRecord] | None = None
    # What changed since the approval: (which run, its comparison with the approved one as problems.json holds it)
    since: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


def year_state(ws: Workspace, rubric: Rubric) -> YearState:
    returns = department_returns(ws, rubric)
    register, _ = load_register(ws.register_path)
    issued = [g for g in register.generations if g.kind == FULL]
    files = ws.returned_files()
    if not issued and not files:
        return YearState("评价表尚未下发，还不需要催报。先做这两件事：", [
            Step("生成县区材料包（自评报告模板、联系人员名单、印证材料报送指引），连同方案发给各县区", UNITS),
            Step(f"生成 {len(rubric.form_evaluators())} 个评价部门的评价表和发放清单，按发放清单下发", FORMS),
        ], returns)  # fmt: skip
    if not files:
        when = issued[-1].generated_at[:16].replace("T", " ")
        return YearState(f"评价表已于 {when} 生成，尚未收到交回的评价表。", [
            Step("按发放清单把评价表发给各评价部门；收到交回的文件后加入回收文件夹", RETURNS),
        ], returns)  # fmt: skip
    if returns.run is None:
        return YearState(f"已收到 {len(files)} 个文件，尚未汇总。", [Step("汇总评分，查看每份评价表能否采用", COLLECT)],
                         returns)  # fmt: skip
    approved = latest_approved(ws.results, rubric.year)
    steps = []
    if returns.newer_files:
        steps.append(Step(f"有 {returns.newer_files} 个文件是最近一次汇总之后加入的，请重新汇总", COLLECT))
    elif _rearranged_since(ws, returns.run):
        steps.append(Step("最近一次汇总之后选定了采用的版本或搁置、恢复了文件，请重新汇总", COLLECT))
    for state in Standing:
        names = [d.evaluator for d in returns.departments if d.standing is state]
        if names and state is not Standing.ADOPTED:
            where = CHASE if state.chased else (RETURNS if state is Standing.RECEIVED else COLLECT)
            steps.append(Step(f"{state} {len(names)} 个：{'、'.join(names)}（{state.action}）", where))
    adopted = sum(1 for d in returns.departments if d.standing is Standing.ADOPTED)
    headline = f"最近一次汇总：{len(returns.departments)} 个评价部门中 {adopted} 个已采用。"
    if approved is None:
        if not any(s.where == CHASE for s in steps):
            steps.append(Step("生成得分核对单，登记异议和会议调整后，按程序审定", REVIEW))
        return YearState(headline, steps, returns)
    run, record = approved
    at = record.at[:16].replace("T", " ")
    headline = f"已审定：{run_time(run.name)} 汇总的结果（{record.stage}，{record.by}，{at}，依据：{record.basis}）。"
    since = _since(ws, run)
    archived = [a for a in archives(ws) if a.name == run.name or a.name.startswith(f"{run.name}-")]
    if archived:
        headline += f"已归档（档案文件夹 {archived[0].name}）。"
    if not since and not archived:
        steps.append(Step("审定后归档，并核验档案", ARCHIVE))
    elif not since:
        steps += [
            Step("生成整改台账，随反馈意见发给各县区；县区交回后汇总整改情况", RECTIFY),
            Step("准备下一年度：生成下一年度的考核细则工作簿，用新的空文件夹新建工作区", NEXT_YEAR),
        ]
    return YearState(headline, steps, returns, approved, since)


def _rearranged_since(ws: Workspace, run: Path) -> bool:
    """Whether the office chose a version or moved a file in the returned folder after `run` (a folder's time
    changes when a file is moved in or out of it)."""
    since = (run / "audit.json").stat().st_mtime
    folders = [ws.returned, *(p for p in ws.returned.rglob("*") if p.is_dir())] if ws.returned.is_dir() else []
    choices = ws.returned / CHOICES_JSON
    return any(p.stat().st_mtime > since for p in [*folders, *([choices] if choices.is_file() else [])])


def _since(ws: Workspace, approved: Path) -> list[tuple[str, dict[str, Any]]]:
    """What the runs after the approved one found (their comparison with it), newest first."""
    lines: list[tuple[str, dict[str, Any]]] = []
    for run in ws.runs():
        if run.name <= approved.name:
            break
        record, _ = read_run(run)
        said = [p for p in (record.run_problems if record else [])
                if p.get("code") in ("RUN_DIFFERS_FROM_APPROVED", "RUN_SAME_AS_APPROVED")]  # fmt: skip
        lines += [(run_time(run.name), p) for p in said]
    return lines
