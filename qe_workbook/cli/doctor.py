"""`qe doctor`: what this computer has for the tool, each missing piece with its fix."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..console import echo_json
from .common import json_option
from .root import main


@main.command("doctor")
@click.option("--workspace", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              help="工作文件夹（默认：当前文件夹）：检查能否写入、剩余空间，以及其中的密钥和考核细则。")  # fmt: skip
@click.option("--key", "key_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="签名密钥（默认：工作文件夹中的 out/qe.key）。")  # fmt: skip
@click.option("--rubric", "rubric_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="考核细则文件（默认：工作文件夹中的 rubric.json，没有时用内置的 2022 年度细则）。")  # fmt: skip
@json_option
def doctor_cmd(workspace: Path, key_path: Path | None, rubric_path: Path | None, as_json: bool) -> None:
    """检查本机能否使用本工具：Python 和程序包、文档字体、LibreOffice、工作文件夹、密钥和考核细则；逐项说明处理办法。

    退出码 0 表示可以使用（可能有提醒），1 表示有需要处理的项目。
    """
    from ..doctor.checks import run_doctor
    from ..doctor.view import doctor_text

    report = run_doctor(workspace, key=key_path, rubric=rubric_path)
    if as_json:
        echo_json(report.to_dict())
    else:
        click.echo(doctor_text(report))
    sys.exit(0 if report.ready else 1)
