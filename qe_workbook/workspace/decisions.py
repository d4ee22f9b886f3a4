"""After a run in a workspace, each step as its command run in the workspace folder does it: 得分核对单 (`qe precheck`),
reports written again (`qe report`), approval stages (`qe approve`), the archive and its verification (`qe archive`,
into out/档案/<run>) — the office's registers (out/review) taken in where the command takes them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..choices import Stage
from ..outputs.run_record import Official, read_run
from ..problems import Problem
from ..record.approval import Approval, approve_run
from ..record.archive import SUMS, ArchiveResult, archive_run, verify_archive
from ..record.precheck import PRECHECK_DIR, write_prechecks
from ..record.reports_again import REPORTS_AGAIN, report_run
from ..record.stages import StageRecord, read_stages
from ..rubric import Rubric
from ..run_folder import free_name
from .layout import Workspace
from .registers import ADJUSTMENTS, WORDING, kept

ARCHIVE = "out/档案"


def chosen_run(ws: Workspace, name: str | None) -> Path | None:
    """The run folder named `name` (a finished run of the workspace), else the latest; None before any."""
    runs = ws.runs()
    return next((r for r in runs if r.name == name), runs[0] if runs else None)


def refusal(run: Path, official: Official = "documents") -> list[Problem]:
    """Why nothing official may come from `run` (its own diagnosis first), or nothing."""
    record, problems = read_run(run)
    if record is None:
        return problems
    return record.official_refusal(official)


def latest(folder: Path) -> Path | None:
    """The newest time-named subfolder of `folder` (what a step wrote last), or None."""
    found = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")) if folder.is_dir() else []
    return found[-1] if found else None


def files_of(folder: Path | None) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder is not None else []


def precheck_in(ws: Workspace, run: Path, rubric: Rubric, deadline: date) -> tuple[Path | None, list[Problem]]:
    """`qe precheck <run> --deadline …`: one 得分核对单 per unit into <run>/得分核对单/<time>, its sentences from
    the workspace's templates (said first when the office's own is used)."""
    from ..documents.sheet_notes import PRECHECK_NOTES

    folder, problems = write_prechecks(run, rubric, deadline, templates=ws.templates)
    return folder, [*ws.templates_used((PRECHECK_NOTES,)), *problems]


def prechecks(run: Path) -> Path | None:
    return latest(run / PRECHECK_DIR)


def report_in(ws: Workspace, run: Path, rubric: Rubric, *, issued: date | None, adjustments: bool,
              wording: bool) -> tuple[list[Path], list[Problem]]:  # fmt: skip
    """`qe report <run> [--date …] [--adjustments out/review/adjustments.xlsx] [--feedback out/review/反馈修改稿.xlsx]`:
    into <run>/重新生成的报告/<time>."""
    return report_run(run, rubric, issued=issued, adjustments=kept(ws, ADJUSTMENTS) if adjustments else None,
                      feedback=kept(ws, WORDING) if wording else None, templates=ws.templates)  # fmt: skip


def reports_again(run: Path) -> Path | None:
    return latest(run / REPORTS_AGAIN)


def approve_in(ws: Workspace, run: Path, rubric: Rubric, stage: Stage, basis: str, by: str,
               wording: bool) -> tuple[Approval | None, list[Problem]]:  # fmt: skip
    """`qe approve <run> --stage … --basis … --by … [--feedback out/review/反馈修改稿.xlsx]`."""
    return approve_run(run, rubric, stage, basis, by=by.strip() or None,
                       feedback=kept(ws, WORDING) if wording else None, templates=ws.templates)  # fmt: skip


@dataclass(frozen=True)
class StageView:
    record: StageRecord
    documents: list[Path]  # the files labelled with the stage


def stages(run: Path) -> list[StageView]:
    """The run's approval record, oldest first, each stage with its documents."""
    return [StageView(r, files_of(latest(run / r.stage))) for r in read_stages(run)]


def archive_in(ws: Workspace, run: Path, rubric: Rubric) -> ArchiveResult:
    """`qe archive <run> --returned 回收的评价表 --out out/档案/<run>` (a new name when that one is taken)."""
    return archive_run(run, ws.returned, rubric, free_name(ws.root / ARCHIVE, run.name))


def archives(ws: Workspace) -> list[Path]:
    """The archive folders of the workspace, newest first."""
    folder = ws.root / ARCHIVE
    found = [p for p in folder.iterdir() if (p / SUMS).is_file()] if folder.is_dir() else []
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def verify_in(ws: Workspace, name: str) -> tuple[Path | None, list[Problem]]:
    """`qe archive --verify out/档案/<name>`; None when `name` is not one of the workspace's archives."""
    folder = next((a for a in archives(ws) if a.name == name), None)
    if folder is None:
        return None, []
    return folder, verify_archive(folder)
