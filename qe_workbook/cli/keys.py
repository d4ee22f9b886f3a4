"""`qe keygen` and `qe key backup/restore`: the office's signing key."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from ..console import echo_problems
from ..keys import DEFAULT_KEY_PATH, check_group, create_key, group_count, key_fingerprint, restore_key_file
from ..visible import visible
from .common import key_option, open_key, open_rubric, rubric_option
from .root import main


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_KEY_PATH, metavar="密钥文件")
def keygen(path: Path) -> None:
    """生成市质强办的签名密钥（默认 out/qe.key）；已存在时不会覆盖。"""
    if path.exists():
        click.echo(f"密钥文件 {visible(str(path))} 已存在，未覆盖（覆盖会使已下发的评价表全部无法核验）。", err=True)
        sys.exit(1)
    create_key(path)
    click.echo(f"已生成密钥：{visible(str(path))}。请妥善保存并备份，不要随评价表发出。")


@main.group("key")
def key_group() -> None:
    """备份或恢复市质强办的签名密钥（纸质备份单）。"""


@key_group.command("backup")
@key_option
@rubric_option
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="另存为可打印的备份单（.docx）。")  # fmt: skip
def key_backup_cmd(key_path: Path, rubric_path: Path | None, out_file: Path | None) -> None:
    """在屏幕上显示一页密钥备份单（分组、校验字母、日期、保管要求），可另存为 .docx 打印。"""
    from ..record.key_sheet import sheet_lines, write_sheet_docx

    key = open_key(key_path)
    office = open_rubric(rubric_path).office_full_name
    click.echo("\n".join(sheet_lines(key, office, date.today())))
    if out_file is not None:
        click.echo(f"已写入可打印的备份单：{visible(str(write_sheet_docx(out_file, key, office, date.today())))}")


@key_group.command("restore")
@click.option("--file", "sheet_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="从文本文件读入备份单上的各组（默认逐组提示输入）。")  # fmt: skip
@key_option
def key_restore_cmd(sheet_file: Path | None, key_path: Path) -> None:
    """按备份单输入密钥并写入密钥文件；输错的组会被指出。"""
    if sheet_file is not None:
        text, source = sheet_file.read_text(encoding="utf-8", errors="replace"), str(sheet_file)
    else:
        text, source = "\n".join(f"{n}. {prompt_group(n)}" for n in range(1, group_count() + 1)), None
    key, problems = restore_key_file(text, key_path, source)
    echo_problems(problems, err=True)
    if key is None:
        sys.exit(1)
    click.echo(f"已恢复密钥：{visible(str(key_path))}；密钥指纹 {key_fingerprint(key)}，请与备份单核对。")


def prompt_group(number: int) -> str:
    """Ask for one group until its check letter matches."""
    while True:
        typed = click.prompt(f"第 {number} 组", type=str)
        _group, found = check_group(number, typed)
        if found is None:
            return typed
        click.echo(found.message, err=True)
