"""The office's own decisions about its returned folder, honoured by `qe collect` exactly as the page makes
them: a file set aside is moved into the 已搁置 folder (kept, never read), and the version of a department's
form chosen over its others is written to 选定的版本.json beside the receipt record."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ..problems import Problem, os_error_text, problem
from .discover import SET_ASIDE as SET_ASIDE
from .receipts import CHOICES_JSON, OFFICE_TZ, atomic_write

CHOICES_VERSION = 1


@dataclass(frozen=True)
class Choice:
    """One department's version chosen by the office over the others it had sent by then."""

    evaluator: str
    sha256: str  # the version adopted
    file: str  # its path in the returned folder when chosen (for people)
    over: tuple[str, ...]  # the SHA-256 of the versions it was chosen over
    chosen_at: str  # ISO time, office time

    @property
    def shown_time(self) -> str:
        return f"{datetime.fromisoformat(self.chosen_at).astimezone(OFFICE_TZ):%Y-%m-%d %H:%M}"


def read_choices(folder: Path) -> tuple[list[Choice], list[Problem]]:
    """The choices kept in `folder` (none when there is no choice file)."""
    path = folder / CHOICES_JSON
    if not path.is_file():
        return [], []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [Choice(c["evaluator"], c["sha256"], c["file"], tuple(c["over"]), c["chosen_at"])
                for c in data["choices"]], []  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError) as exc:
        reason = os_error_text(exc) if isinstance(exc, OSError) else "内容不是本程序写的格式"
        return [], [problem("CHOICES_UNREADABLE", file=CHOICES_JSON, reason=reason)]


def write_choices(folder: Path, choices: Iterable[Choice]) -> None:
    data: dict[str, Any] = {"version": CHOICES_VERSION, "choices": [asdict(c) for c in choices]}
    text = json.dumps(data, ensure_ascii=False, indent=1)
    atomic_write(folder / CHOICES_JSON, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def choose(choices: Sequence[Choice], evaluator: str, sha256: str, file: str, over: Iterable[str]) -> list[Choice]:
    """The choices with this department's replaced by the new one."""
    now = datetime.now(OFFICE_TZ).isoformat(timespec="seconds")
    kept = [c for c in choices if c.evaluator != evaluator]
    return [*kept, Choice(evaluator, sha256, file, tuple(sorted(set(over) - {sha256})), now)]


def chosen_among(choices: Sequence[Choice], evaluator: str | None, versions: set[str]) -> tuple[Choice | None, bool]:
    """The office's choice among a department's `versions` (SHA-256) and whether a choice was made but a
    version came after it (then the usual order decides again)."""
    for choice in choices:
        if choice.evaluator == evaluator and choice.sha256 in versions:
            if versions - {choice.sha256} <= set(choice.over):
                return choice, False
            return None, True
    return None, False
