"""Options and openers shared by the command modules (light imports only: `qe --help` starts at once)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ..console import echo_problems
from ..keys import DEFAULT_KEY_PATH, create_key, read_key
from ..visible import visible

if TYPE_CHECKING:
    from ..documents.templating import DocumentKind
    from ..rubric import Rubric

F = TypeVar("F", bound=Callable[..., Any])

rubric_option = click.option(
    "--rubric",
    "rubric_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="考核细则文件（默认：当前目录的 rubric.json，没有时用内置的 2022 年度细则）。",
)
json_option = click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（供程序读取）。")
feedback_option = click.option(
    "--feedback",
    "feedback_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="市质强办改好的反馈修改稿（qe feedback export 生成）：反馈意见用其中的反馈表述，“是否反馈”为否的项目不写入。",
)
date_option = click.option(
    "--date",
    "issued",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="反馈意见和通报上的成文日期，例如 2023-05-08（默认：考核细则中规定的成文日期，没有时为当天）。",
)


templates_option = click.option(
    "--templates",
    "templates_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("文书模板"),
    show_default=True,
    help="市质强办自己的文书模板文件夹（qe templates export 导出后修改）：其中的模板替换同名的内置模板；"
    "文件夹不存在或没有模板时用内置模板。",
)


def said_templates(folder: Path | None, kinds: tuple[DocumentKind, ...] | None = None) -> Path | None:
    """The office's folder of Word templates when it holds any, said first (on stderr) when it replaces one of
    `kinds` (default: the kinds written as Word documents); else None (the bundled templates are used, nothing is
    said)."""
    from ..documents.kinds import WORD_KINDS
    from ..documents.templating import office_templates, templates_note

    chosen = office_templates(folder)
    note = templates_note(chosen, kinds or WORD_KINDS) if chosen else None
    if note:
        click.echo(visible(note), err=True)
    return chosen


def out_option(default: Path, help: str) -> Callable[[F], F]:
    return click.option(
        "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=default, show_default=True,
        help=help,
    )  # fmt: skip


def open_rubric(path: Path | None, *, say: bool = False) -> Rubric:
    """Load the rubric or stop with its problems (exit 1); with `say`, first say which rubric it is (on stderr)."""
    from ..rubric import default_rubric_path, load_rubric
    from ..rubric.load import BUNDLED_RUBRIC

    chosen = default_rubric_path(path)
    load = load_rubric(chosen)
    if say:
        title = f"（{load.rubric.title}）" if load.rubric else ""
        if chosen == BUNDLED_RUBRIC:
            title = f"{load.rubric.title if load.rubric else ''}（当前文件夹没有 rubric.json；其他城市或年度请先用 qe rubric import 导入本地的考核细则）"
            click.echo(f"使用内置的考核细则：{title}", err=True)
        else:
            click.echo(f"使用考核细则：{visible(str(chosen))}{title}", err=True)
    if load.rubric is None:
        echo_problems(load.problems, err=True)
        click.echo("考核细则有错误，请先修正。", err=True)
        sys.exit(1)
    return load.rubric


def open_key(path: Path, *, create: bool = False) -> bytes:
    """Read the office key, or stop with a clear problem (exit 1); optionally create it first."""
    if create and not path.exists():
        create_key(path)
        click.echo(
            f"提醒：密钥文件 {visible(str(path))} 不存在，已新建。请妥善备份：汇总时必须使用同一个密钥。", err=True
        )
    key, problems = read_key(path)
    if key is None:
        echo_problems(problems, err=True)
        sys.exit(1)
    return key


key_option = click.option(
    "--key",
    "key_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_KEY_PATH,
    show_default=True,
    help="市质强办的签名密钥文件。",
)


def write_blank_form(
    out: Path, label: str, write: Callable[[Path, Rubric], Path], rubric_path: Path | None, why: str = ""
) -> None:
    """A blank register for the office, written once: an existing file is never overwritten (exit 1)."""
    if out.exists():
        click.echo(f"文件 {visible(str(out))} 已存在，未覆盖{why}。", err=True)
        sys.exit(1)
    click.echo(f"已生成{label}：{visible(str(write(out, open_rubric(rubric_path))))}")
