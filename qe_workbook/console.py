"""Printing problems and tables for the command line (text for people, JSON for programs)."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any

import click

from .problems import SEVERITY_LABELS, Problem, Severity
from .widths import display_width


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def format_table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A plain aligned table that lines up Chinese (double-width) characters."""
    body = [[str(c) for c in row] for row in rows]
    widths = [max([display_width(h)] + [display_width(r[i]) for r in body]) for i, h in enumerate(header)]
    lines = ["  ".join(pad(h, w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip() for r in body]
    return "\n".join(lines)


def format_problem(p: Problem) -> str:
    where = " ".join(x for x in (p.file, p.sheet, p.cell) if x)
    return f"[{SEVERITY_LABELS[p.severity]}] {p.code} {where}\n    {p.message}"


def echo_problems(problems: Sequence[Problem], *, err: bool = False) -> None:
    for p in problems:
        click.echo(format_problem(p), err=err)
    counts = {s: sum(1 for p in problems if p.severity is s) for s in Severity}
    if problems:
        click.echo(
            f"共 {counts[Severity.ERROR]} 个错误，{counts[Severity.WARNING]} 个提醒，{counts[Severity.INFO]} 个说明。",
            err=err,
        )


def echo_json(data: Any) -> None:
    """JSON on stdout; escaped (\\uXXXX) when the console cannot show every character (a GBK console)."""
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    try:
        text.encode(getattr(sys.stdout, "encoding", None) or "utf-8")
    except UnicodeEncodeError:
        text = json.dumps(data, ensure_ascii=True, indent=2, default=str)
    click.echo(text)


def tolerate_console() -> None:
    """A character the console cannot show (an emoji on a GBK console) prints as “?”, never crashes."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")
