"""`qe templates …`: the Word templates of the documents — export the bundled ones with their fields, check an
office's own."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from ..console import echo_problems
from ..visible import visible
from .common import open_rubric, rubric_option
from .root import main

folder_argument = click.argument("folder", type=click.Path(file_okay=False, path_type=Path), metavar="文件夹")


@main.group("templates")
def templates_group() -> None:
    """文书模板：导出内置的 Word 模板和字段说明（export），检查修改后的模板（check）。

    把导出的模板改好后放进工作区的“文书模板”文件夹（文件名不变），生成文书的命令就会用它们。"""


@templates_group.command("export")
@folder_argument
def export_cmd(folder: Path) -> None:
    """把内置的文书模板（.docx）和每个模板的字段说明（字段、含义、示例、写法）写入文件夹。"""
    from ..documents.kinds import DOCUMENT_KINDS
    from ..documents.template_fields import export_templates

    for path in export_templates(DOCUMENT_KINDS, folder):
        click.echo(f"已写入：{visible(str(path))}")


@templates_group.command("check")
@folder_argument
@rubric_option
def check_cmd(folder: Path, rubric_path: Path | None) -> None:
    """检查文件夹中的文书模板：用示例数据和模拟的一年考核结果逐个填写，列出问题（字段名、{% %} 块、表格循环、文件格式）。"""
    from ..demo import sample_results
    from ..documents.kinds import DOCUMENT_KINDS, render_samples
    from ..documents.templating import check_templates, office_templates, templates_note

    note = templates_note(folder, DOCUMENT_KINDS) if office_templates(folder) else None
    if note is None:
        names = "、".join(k.file_name for k in DOCUMENT_KINDS)
        click.echo(f"文件夹“{visible(str(folder))}”中没有程序使用的文书模板（文件名应为：{names}）。", err=True)
        sys.exit(1)
    click.echo(note)
    problems = check_templates(DOCUMENT_KINDS, folder)
    if not problems:
        rubric = open_rubric(rubric_path)
        click.echo("用模拟的一年考核结果填写模板……")
        problems = render_samples(DOCUMENT_KINDS, rubric, sample_results(rubric), date.today(), folder)
    if problems:
        echo_problems(problems)
        sys.exit(1)
    click.echo("模板检查通过。")
