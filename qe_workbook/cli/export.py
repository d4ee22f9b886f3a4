"""`qe export …`: the result for its users — the 综合考评 sheet and the facts for accountability."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..console import echo_json, echo_problems
from ..visible import visible
from .common import json_option, open_rubric, rubric_option
from .root import main

if TYPE_CHECKING:
    from ..followup.exports import Export

run_argument = click.argument(
    "run_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), metavar="结果文件夹"
)


@main.group("export")
def export_group() -> None:
    """导出考核结果：综合考评折算表（kaoping）、问责相关情况（wenze）。"""


@export_group.command("kaoping")
@run_argument
@click.option("--map", "grade_map", required=True, metavar="等级=分值,…",
              help="各等级折算的分值，例如 A=100,B=90,C=80,D=60（考核细则中的每个等级都要写）。")  # fmt: skip
@rubric_option
@json_option
def kaoping_cmd(run_dir: Path, grade_map: str, rubric_path: Path | None, as_json: bool) -> None:
    """综合考评折算表：各单位的等级按 --map 折算为分值，注明结果阶段。"""
    from ..followup.exports import GradeMapError, export_kaoping, parse_grade_map

    rubric = open_rubric(rubric_path)
    try:
        points = parse_grade_map(grade_map, rubric)
    except GradeMapError as exc:
        raise click.BadParameter(str(exc), param_hint="--map") from None
    _finish(export_kaoping(run_dir, rubric, points), as_json)


@export_group.command("wenze")
@run_argument
@rubric_option
@json_option
def wenze_cmd(run_dir: Path, rubric_path: Path | None, as_json: bool) -> None:
    """问责相关情况：最低等级的单位及原因、触发的否决项及依据、扣分项的事件次数和评价说明。"""
    from ..followup.exports import export_wenze

    _finish(export_wenze(run_dir, open_rubric(rubric_path)), as_json)


def _finish(result: Export, as_json: bool) -> None:
    if as_json:
        echo_json({"folder": str(result.folder) if result.folder else None, "files": [str(f) for f in result.files],
                   "rows": result.rows, "problems": [p.to_dict() for p in result.problems]})  # fmt: skip
    else:
        echo_problems(result.problems, err=True)
        for path in result.files:
            click.echo(f"已写出：{visible(str(path))}")
    if result.folder is None:
        sys.exit(1)
