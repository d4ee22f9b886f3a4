"""What the later steps share: the run they act on (chosen on the page, else the latest) and why nothing official
may come from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flask import request

from ...outputs.run_record import Official
from ...problems import Problem
from ...workspace.decisions import chosen_run, refusal
from ..shell import workspace


@dataclass(frozen=True)
class Chosen:
    run: Path | None
    runs: list[Path]
    refused: list[Problem] = field(default_factory=list)  # the run's own diagnosis, then why it may not be used

    @property
    def name(self) -> str:
        return self.run.name if self.run is not None else ""


def chosen(official: Official = "documents") -> Chosen:
    """The run named by the `run` field of the request (query or form), else the latest."""
    ws = workspace()
    run = chosen_run(ws, request.values.get("run"))
    return Chosen(run, ws.runs(), refusal(run, official) if run is not None else [])
