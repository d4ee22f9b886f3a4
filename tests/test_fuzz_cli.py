"""Every command of `qe`, found by walking the click group, given bad arguments one at a time: a missing path, a
folder for a file, a file for a folder, a FIFO, /dev/zero, a huge number, a wrong date, an empty or very long
text. Each must end with a Chinese sentence and an exit code (0, 1, 2, or 130 when it would ask): never a
traceback, never a hang (each invocation has a time limit), never a control character echoed raw."""

from __future__ import annotations

import io
import os
import re
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import click
import pytest

from qe_workbook.cli import main

from .conftest import run_qe

SECONDS = 10  # per invocation; the whole walk takes well under a minute
LEFT_OUT = {"ui", "demo"}  # the page serves until stopped; demo runs a whole year (its --out: test_out_unwritable)
EXIT_CODES = {0, 1, 2, 130}
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")  # said raw, they would act on the terminal


@dataclass(frozen=True)
class Places:
    folder: Path  # an empty folder
    file: Path  # a small text file
    fifo: Path


def commands(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or name in LEFT_OUT:
            continue
        if isinstance(command, click.Group):
            yield from commands(command, (*prefix, name))
        else:
            yield (*prefix, name), command


def plausible(param: click.Parameter, at: Places) -> str:
    """A value of the right kind, for the parameters not under test."""
    kind = param.type
    if isinstance(kind, click.Path):
        return str(at.folder if kind.dir_okay and not kind.file_okay else at.file if not kind.dir_okay else at.folder)
    if isinstance(kind, click.Choice):
        return str(kind.choices[0])
    if isinstance(kind, click.DateTime):
        return "2023-05-08"
    if isinstance(kind, click.types.IntParamType | click.types.FloatParamType):
        return "1"
    return "甲"


def bad_values(param: click.Parameter, at: Places) -> list[str]:
    kind = param.type
    texts = ["", "很" * 300, "\x1b]0;标题\x07\n[错误] 伪造"]
    if isinstance(kind, click.Path):
        return [*texts, str(at.folder / "没有这个"), str(at.folder), str(at.file), str(at.fifo), "/dev/zero",
                str(at.file / "下面")]  # fmt: skip
    if isinstance(kind, click.DateTime):
        return [*texts, "2023-13-45", "2023-02-30", "99999-01-01"]
    if isinstance(kind, click.types.IntParamType | click.types.FloatParamType):
        return [*texts, "9" * 5000, "-1", "1e999", "nan"]
    if isinstance(kind, click.Choice):
        return [*texts, "不存在"]
    return [*texts, "9" * 5000, "2023-13-45"]


def invocations(at: Places) -> Iterator[list[str]]:
    for path, command in commands(main):
        required = [p for p in command.params if p.required]
        for param in command.params:
            if isinstance(param, click.Option) and (param.is_flag or param.count or param.hidden):
                continue
            for value in bad_values(param, at):
                args = [*path]
                for other in required:
                    if other is not param:
                        args += _given(other, plausible(other, at))
                yield args + _given(param, value)


def _given(param: click.Parameter, value: str) -> list[str]:
    return [param.opts[0], value] if isinstance(param, click.Option) else [value]


class Hung(Exception):
    pass


def _hung(_signum: int, _frame: FrameType | None) -> None:
    raise Hung


@pytest.fixture
def places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Places:
    monkeypatch.chdir(tmp_path)  # outputs by default under the working folder land here
    folder = tmp_path / "空文件夹"
    folder.mkdir()
    file = tmp_path / "文本.txt"
    file.write_text("不是考核文件\n", encoding="utf-8")
    fifo = tmp_path / "管道"
    os.mkfifo(fifo)
    return Places(folder, file, fifo)


def test_every_command_given_bad_arguments_ends_in_a_sentence(
    places: Places, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("QE_MAIL_PASSWORD", "x")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # a question is answered by end of input
    before = signal.signal(signal.SIGALRM, _hung)
    failures = []
    count = 0
    try:
        for args in invocations(places):
            count += 1
            signal.alarm(SECONDS)
            try:
                code, said = run_qe(args, monkeypatch, capsys)
            except Hung:
                failures.append(f"hung: qe {args!r}")
                continue
            except BaseException as exc:  # a traceback
                failures.append(f"{type(exc).__name__}: qe {args!r}")
                continue
            finally:
                signal.alarm(0)
            if code not in EXIT_CODES or "Traceback" in said or CONTROL.search(said):
                failures.append(f"exit {code}: qe {args!r}\n{said[-500:]}")
    finally:
        signal.signal(signal.SIGALRM, before)
    assert count > 500
    assert not failures, "\n".join(failures)
