"""`qe feedback export` and `qe rectify …`: the office's wording of the feedback and the units' 整改台账."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import click

from ..console import echo_json, echo_problems, format_table
from ..problems import Problem, Severity
from ..visible import visible
from .common import (
    feedback_option,
    json_option,
    key_option,
    open_key,
    open_rubric,
    rubric_option,
    said_templates,
    templates_option,
)
from .root import main

RUN = click.Path(exists=True, file_okay=False, path_type=Path)


def exit_code(problems: Sequence[Problem]) -> int:
    """1 when anything but a note was found, else 0."""
    return 1 if any(p.severity is not Severity.INFO for p in problems) else 0


@main.group("feedback")
def feedback_group() -> None:
    """反馈意见的文字：导出反馈修改稿，由市质强办改写后生成反馈意见（qe report --feedback）。"""


@feedback_group.command("export")
@click.argument("run_dir", type=RUN, metavar="结果文件夹")
@click.option("--from", "previous", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="上次改好的反馈修改稿：逐行保留其中的反馈表述、是否反馈和内部说明，原文有变化的行标“原文已变”。")  # fmt: skip
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="保存位置（默认为结果文件夹中的 反馈修改稿.xlsx；已存在时另起文件名，不覆盖）。")  # fmt: skip
@rubric_option
@json_option
def feedback_export_cmd(run_dir: Path, previous: Path | None, out_file: Path | None, rubric_path: Path | None,
                        as_json: bool) -> None:  # fmt: skip
    """导出反馈修改稿：每个县区的每个失分、扣分、加分、否决项目一行，原文（评价说明）旁是供改写的反馈表述。"""
    from ..feedback.wording import export_wording

    exported = export_wording(run_dir, open_rubric(rubric_path), out_file, previous)
    if as_json:
        echo_json(exported.to_dict())
    else:
        echo_problems(exported.problems, err=True)
        if exported.path is not None:
            click.echo(f"已生成反馈修改稿（{exported.rows} 行）：{visible(str(exported.path))}")
            if previous is not None:
                click.echo(f"原文已变 {exported.changed} 行，新增 {exported.added} 行，已不再反馈 {exported.gone} 行。")
    sys.exit(1 if exported.path is None else exit_code(exported.problems))


@main.group("rectify")
def rectify_group() -> None:
    """整改台账：为每个县区生成预填反馈问题的台账，收回后汇总整改进展和逾期情况。"""


@rectify_group.command("generate")
@click.argument("run_dir", type=RUN, metavar="结果文件夹")
@feedback_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="输出位置（默认为结果文件夹下的“整改台账”；每次新建一个以时间命名的子文件夹）。")  # fmt: skip
@rubric_option
@key_option
@templates_option
def rectify_generate_cmd(run_dir: Path, feedback_file: Path | None, out_dir: Path | None, rubric_path: Path | None,
                         key_path: Path, templates_dir: Path) -> None:  # fmt: skip
    """为每个被考核单位生成一份锁定、签名的整改台账，预填反馈给该单位的问题。"""
    from ..documents.sheet_notes import LEDGER_NOTES
    from ..forms.register import REGISTER_NAME, load_register
    from ..rectify.ledger import generate_ledgers

    templates = said_templates(templates_dir, (LEDGER_NOTES,))
    rb = open_rubric(rubric_path)
    key = open_key(key_path)
    register, problems = load_register(key_path.parent / REGISTER_NAME)
    echo_problems(problems, err=True)
    generated = generate_ledgers(
        run_dir, rb, key, out_parent=out_dir, wording=feedback_file, register=register, templates=templates
    )
    echo_problems(generated.problems, err=True)
    if generated.folder is None:
        sys.exit(1)
    click.echo(
        format_table(["被考核单位", "问题数", "文件"], [[f.unit, f.problems, f.path.name] for f in generated.ledgers])
    )
    click.echo(f"已生成 {len(generated.ledgers)} 份整改台账：{visible(str(generated.folder))}")
    click.echo(f"已记入生成登记（第 {register.generations[-1].number} 次生成）：{visible(str(register.path))}")
    sys.exit(exit_code(problems + generated.problems))


@rectify_group.command("collect")
@click.argument("returned", type=RUN, metavar="台账文件夹")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="按哪一天判断逾期，例如 2023-07-15（默认为当天）。")  # fmt: skip
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="输出位置（默认为台账所依据的结果文件夹下的“整改情况”；每次新建一个以时间命名的子文件夹）。")  # fmt: skip
@rubric_option
@key_option
@json_option
def rectify_collect_cmd(returned: Path, today: datetime | None, out_dir: Path | None, rubric_path: Path | None,
                        key_path: Path, as_json: bool) -> None:  # fmt: skip
    """核验交回的整改台账，汇总为一份台账（单位 × 问题 × 进展），列出逾期的问题；没有问题时退出码为 0。"""
    from ..forms.register import REGISTER_NAME, load_register
    from ..rectify.collect import rectify_collect

    rb = open_rubric(rubric_path)
    key = open_key(key_path)
    register, problems = load_register(key_path.parent / REGISTER_NAME)
    collected = rectify_collect(returned, rb, key, today=today.date() if today else None, out_parent=out_dir,
                                register=register)  # fmt: skip
    problems += collected.problems
    if as_json:
        echo_json({**collected.to_dict(), "written": [str(p) for p in collected.written],
                   "problems": [p.to_dict() for p in problems]})  # fmt: skip
    else:
        echo_problems(problems)
        rows = [[u, status, file or "—"] for u, (status, file) in collected.units.items()]
        click.echo(format_table(["被考核单位", "台账", "文件"], rows))
        click.echo(f"共 {len(collected.lines)} 个问题，逾期 {len(collected.overdue)} 个。")
        for path in collected.written:
            click.echo(f"已写出：{visible(str(path))}")
    sys.exit(exit_code(problems))
