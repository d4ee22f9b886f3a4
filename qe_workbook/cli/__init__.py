"""The `qe` command: a thin layer over the library; each command calls one library function.

Exit codes: 0 clean, 1 problems found, 2 usage errors (click's own). Command modules import only
light modules at the top; the heavy libraries are imported inside the command that uses them.
"""

from __future__ import annotations

import gc
import os
import signal
import sys

import click

from ..cli_chinese import usage_message
from ..console import tolerate_console
from ..problems import os_error_text
from ..visible import visible
from ..write_faults import OutputUnwritable
from . import collect, doctor, export, followup, forms, keys, mail, record, rubric, templates, ui, units
from .root import main

__all__ = ["main", "run"]
COMMAND_MODULES = (rubric, keys, forms, collect, record, export, mail, units, doctor, ui, followup, templates)


def run() -> None:
    """The console entry point: `main` with usage errors told in Chinese (exit 2), Ctrl-C exit 130. Once the
    command has ended, Ctrl-C is ignored: everything is written and said, only Python's own shutdown is left."""
    tolerate_console()
    try:
        _command()
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def _command() -> None:
    try:
        main.main(prog_name="qe", standalone_mode=False)
    except click.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx else "qe"
        click.echo(f"用法错误：{visible(usage_message(exc))}", err=True)
        click.echo(f"运行“{command} --help”查看用法。", err=True)
        sys.exit(2)
    except click.FileError as exc:
        click.echo(f"错误：无法打开文件“{visible(exc.ui_filename)}”。", err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        click.echo(f"错误：{visible(exc.message)}", err=True)
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("已中止。", err=True)
        sys.exit(130)
    except OutputUnwritable as exc:
        _unwritable(exc.fault.filename or exc.place, exc.fault)
    except OSError as exc:
        if exc.filename is None:  # not about a place on disk: a fault of the program, shown as such
            raise
        _unwritable(exc.filename, exc)


def _unwritable(place: object, fault: OSError) -> None:
    """One Chinese line for a place that cannot be written, exit 2."""
    where = f"“{visible(os.fsdecode(place))}”" if isinstance(place, str | bytes | os.PathLike) else "输出位置"
    click.echo(f"错误：无法使用{where}（{os_error_text(fault)}）；请确认输出位置（--out）是可以写入的文件夹，而不是文件或只读文件夹，且磁盘有足够的空间。", err=True)  # fmt: skip
    sys.unraisablehook = _quiet  # a writer left open fails again on the same full disk when it is collected
    gc.collect()
    sys.exit(2)


def _quiet(_unraisable: object) -> None:
    """Errors while cleaning up after a write fault: already told, as one line."""
