"""What every page of `qe ui` shares: the workspace, the background jobs, the lines shown once on the next
page, the page frame (navigation, notes, the running job) and the way back to one of the page's own addresses.

A page module (ui/pages/) holds routes only: each reads the workspace through the library or starts a library
job, then answers with `page(...)` or `go(...)`; no rules here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

from flask import abort, current_app, redirect, render_template, request, session
from flask import url_for as flask_url_for
from werkzeug.wrappers import Response

from ..intake.container import Limits
from ..problems import Problem
from ..rubric import Rubric
from ..visible import visible
from ..workspace.layout import Workspace
from ..workspace.runs import run_time as run_time  # the page shows a run by its time
from .fixes import page_message
from .jobs import Job, Jobs, Progress

Lines = list[tuple[str, str]]  # (severity, text) shown to the clerk


@dataclass
class Shell:
    """One server's shared state (kept in `app.extensions["qe"]`)."""

    ws: Workspace
    jobs: Jobs
    token: str
    limits: Limits
    nav: list[tuple[str, str, str]] = field(default_factory=list)  # (name, label, endpoint) in the year's order
    notes: dict[str, Lines] = field(default_factory=dict)  # per session: lines to show once on the next page


def shell() -> Shell:
    found: Shell = current_app.extensions["qe"]
    return found


def workspace() -> Workspace:
    return shell().ws


def url_for(endpoint: str, **values: Any) -> str:
    return flask_url_for(endpoint, **values)


def file_url(path: Path) -> str:
    return url_for("files.download", path=workspace().relative(path))


def go(endpoint: str, back: str | None = None, **values: Any) -> Response:
    """Every redirect of the page: to `back` when it is one of the page's own addresses, else to `endpoint`."""
    return redirect(back if back is not None and own_address(back, shell().token) else url_for(endpoint, **values))


def note(level: str, text: str) -> None:
    shell().notes.setdefault(session["sid"], []).append((level, text))


def note_lines(lines: Lines) -> None:
    for level, text in lines:
        note(level, text)


def note_problems(problems: list[Problem]) -> None:
    note_lines(problem_lines(problems))


def page(template: str, active: str, **values: Any) -> str:
    """A page in the frame: the navigation with `active` marked, the lines noted for this session, the
    running job (or the lines of the job that just finished)."""
    s = shell()
    rubric, _problems = s.ws.load_rubric() if s.ws.ready else (None, [])
    job_id = request.args.get("job", "")
    job = s.jobs.get(job_id) if job_id else None
    shown = s.notes.pop(session["sid"], [])
    if job is not None and job.finished:
        shown += job.messages
        job = None
    return render_template(template, active=active, rubric=rubric, ws=s.ws, job=job, notes=shown, nav=s.nav,
                           running=s.jobs.running(), **values)  # fmt: skip


def rubric_or_stop() -> Rubric:
    """The workspace's rubric; without one, back to the overview with the reasons."""
    ws = workspace()
    rubric, problems = ws.load_rubric() if ws.ready else (None, [])
    if rubric is None:
        note_problems(problems)
        abort(go("overview.show"))
    return rubric


def start(label: str, total: int, endpoint: str, work: Callable[[Progress], Lines]) -> Response:
    """Run `work` as the page's background job, then show `endpoint` with its progress; refused while
    another job runs."""
    job: Job | None = shell().jobs.start(label, total, url_for(endpoint), work)
    if job is None:
        note("warning", "另一项操作正在进行，请等它完成后再试。")
        return go(endpoint)
    return go(endpoint, job=job.id)


def refuse(text: str) -> NoReturn:
    abort(403, text)


def own_address(target: str, token: str) -> bool:
    """A path of this page (no scheme, no host, no way for a browser to read it as another site)."""
    if any(c in target for c in "\\\r\n\t") or any(ord(c) < 32 for c in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and parts.path.startswith(f"/{token}/") and ".." not in parts.path


def problem_lines(problems: list[Problem]) -> Lines:
    return [
        (str(p.severity), f"{visible(_named(p.file))}：{page_message(p)}" if p.file else page_message(p))
        for p in problems
    ]


def _named(file: str) -> str:
    """A problem's file as the page names it: from the workspace's folder when it lies inside (a run folder), else
    as the problem gives it (a file inside the returned folder)."""
    path, ws = Path(file), workspace()
    return ws.relative(path) if path.is_absolute() and path.resolve().is_relative_to(ws.root.resolve()) else file
