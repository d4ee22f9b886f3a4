"""Printing problems and tables for the command line (text for people, JSON for programs)."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import PurePath
from typing import Any

import click

from .problems import CATALOGUE, SEVERITY_LABELS, Problem, Severity
from .visible import visible
from .widths import display_width


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def format_table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A plain aligned table that lines up Chinese (double-width) characters."""
    body = [[visible(str(c)) for c in row] for row in rows]
    widths = [max([display_width(h)] + [display_width(r[i]) for r in body]) for i, h in enumerate(header)]
    lines = ["  ".join(pad(h, w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip() for r in body]
    return "\n".join(lines)


def format_problem(p: Problem) -> str:
    where = visible(" ".join(x for x in (p.file, p.sheet, p.cell) if x))
    return f"[{SEVERITY_LABELS[p.severity]}] {p.code} {where}\n    {visible(p.message)}"


GROUP_AT = 5  # this many warnings or notes of one code are shown as one entry with the count and the places
LINE_WIDTH = 100  # display columns of a line listing the places of a group


def problem_entries(problems: Sequence[Problem]) -> list[str]:
    """Each problem as `format_problem` shows it, in order, except that the warnings or notes of one code and
    severity, when there are `GROUP_AT` or more, are one entry where the first of them stood: the count, what the
    code means and what to do, and the places — each department (or file) once, with its cells and count. Errors
    are grouped only when they say the very same thing but for the place (28 signatures failing alike): otherwise
    each says what exactly to correct where."""
    groups: dict[tuple[Severity, str], list[Problem]] = {}
    for p in problems:
        groups.setdefault((p.severity, p.code), []).append(p)
    entries = []
    for p in problems:
        found = groups[(p.severity, p.code)]
        alike = p.severity is not Severity.ERROR or len({_gist(q) for q in found}) == 1
        if len(found) < GROUP_AT or not alike:
            entries.append(format_problem(p))
        elif p is found[0]:
            entries.append(format_group(found))
    return entries


def _gist(p: Problem) -> str:
    """What a problem says, without where: its file, sheet, cell and department taken out of the message."""
    text = p.message
    places = [p.file, PurePath(p.file).name if p.file else None, p.sheet, p.cell, p.params.get("evaluator")]
    for place in sorted((visible(str(x)) for x in places if x), key=len, reverse=True):  # as in the message
        text = text.replace(place, "")
    return text


def format_group(found: Sequence[Problem]) -> str:
    first = found[0]
    kind = CATALOGUE[first.code]
    places: dict[str, list[str]] = {}
    for p in found:
        who = p.params.get("evaluator") or (PurePath(p.file).name if p.file else p.params.get("unit", ""))
        places.setdefault(visible(str(who)), []).append(p.cell or "")
    shared = _shared_start(list(places))
    cells = {c for at in places.values() for c in at}
    same = len(cells) == 1 and all(len(at) == 1 for at in places.values())  # one cell, the same everywhere
    named = []
    for who, at in places.items():
        detail = "，".join(x for x in (f"{len(at)} 处" if len(at) > 1 else "", "、".join(c for c in at if c)) if x)
        named.append(who[len(shared) :] + (f"（{detail}）" if detail and not same else ""))
    where = f"（均在 {cells.pop()}）" if same and cells != {""} else ""
    lines = [f"[{SEVERITY_LABELS[first.severity]}] {first.code} 共 {len(found)} 处", f"    {kind.meaning}{kind.fix}"]
    line = f"    涉及{shared + '…' if shared else ''}{where}："
    for n, name in enumerate(named):
        text = name + ("、" if n < len(named) - 1 else "")
        if display_width(line) + display_width(text) > LINE_WIDTH:
            lines.append(line)
            line = "      "
        line += text
    return "\n".join([*lines, line])


def _shared_start(names: list[str]) -> str:
    """What every one of several file names starts with, up to a "_" (2022年度…评价表_), else nothing."""
    if len(names) < 2:
        return ""
    shared = names[0]
    for name in names[1:]:
        while not name.startswith(shared):
            shared = shared[:-1]
    return shared[: shared.rfind("_") + 1]


def echo_problems(problems: Sequence[Problem], *, err: bool = False) -> None:
    """The problems on screen, those of one code grouped (`problem_entries`), then the counts of every one."""
    for entry in problem_entries(problems):
        click.echo(entry, err=err)
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
