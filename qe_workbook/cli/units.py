"""`qe units …` and `qe evidence check`: what the assessed units send."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..console import echo_json, echo_problems, format_table
from ..visible import visible
from .common import (
    json_option,
    key_option,
    open_key,
    open_rubric,
    out_option,
    rubric_option,
    said_templates,
    templates_option,
)
from .root import main


@main.group()
def units() -> None:
    """被考核县区的材料：自评报告模板、联系人员名单、印证材料报送指引，以及收到材料的检查。"""


@units.command("generate")
@rubric_option
@key_option
@out_option(Path("out/units"), "输出文件夹（每个县区一个子文件夹）。")
@templates_option
def units_generate_cmd(rubric_path: Path | None, key_path: Path, out_dir: Path, templates_dir: Path) -> None:
    """为每个县区生成自评报告模板、联系人员名单、印证材料报送指引和印证材料文件夹（考核细则要求县区自评打分时另有自评打分表）。"""
    from ..documents.templating import TemplateBroken
    from ..units.package import generate_packages

    templates = said_templates(templates_dir)
    rb = open_rubric(rubric_path)
    try:
        result = generate_packages(rb, out_dir, open_key(key_path, create=True), templates=templates)
    except TemplateBroken as broken:
        echo_problems(broken.problems, err=True)
        sys.exit(1)
    for package in result.packages:
        click.echo(f"{package.unit.name}：{visible(str(package.folder))}")
    if rb.self_scoring:
        click.echo("考核细则要求县区自评打分：每个县区文件夹中都有 自评打分表.xlsx。")
    if result.register:
        click.echo(f"市质强办收件登记：{visible(str(result.register))}")


@units.command("check")
@click.argument("received", type=click.Path(exists=True, file_okay=False, path_type=Path))
@rubric_option
@key_option
@out_option(Path("out/units-check"), "结果输出位置（每次运行新建一个以时间命名的子文件夹）。")
@click.option(
    "--register", "registers", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="收件登记表或收件记录（默认读取材料文件夹中的 收件登记.xlsx 和 收件记录.json）；可多次指定。",
)  # fmt: skip
@json_option
def units_check_cmd(
    received: Path, rubric_path: Path | None, key_path: Path, out_dir: Path, registers: tuple[Path, ...], as_json: bool
) -> None:
    """检查县区报送市质强办的自评报告、联系人员名单（和要求自评打分时的自评打分表）；全部收到且符合要求时退出码为 0，否则为 1。"""
    from ..units.report_out import STATUS_HEADER, run_units_check, status_rows, units_json

    rb = open_rubric(rubric_path)
    check, folder = run_units_check(received, rb, open_key(key_path), out_dir, registers=registers)
    if as_json:
        echo_json(units_json(check, folder))
    else:
        echo_problems(check.problems)
        click.echo(format_table(STATUS_HEADER[1:6], [r[1:6] for r in status_rows(check)]))
        click.echo(f"结果已写入：{visible(str(folder))}")
    sys.exit(0 if check.clean else 1)


@main.group()
def evidence() -> None:
    """印证材料：按项目编号检查县区报送评价部门的材料。"""


@evidence.command("check")
@click.argument("tree", type=click.Path(exists=True, file_okay=False, path_type=Path))
@rubric_option
@click.option("--evaluator", help="评价部门（默认按文件夹名称和项目编号判断）。")
@click.option("--unit", help="只检查该县区（县区报送前自查时用；默认按文件夹名称判断）。")
@out_option(Path("out/evidence-check"), "结果输出位置（每次运行新建一个以时间命名的子文件夹）。")
@json_option
def evidence_check_cmd(
    tree: Path, rubric_path: Path | None, evaluator: str | None, unit: str | None, out_dir: Path, as_json: bool
) -> None:
    """检查印证材料：每个需要材料的项目都有文件、目录与文件一致、文件可以打开；无问题时退出码为 0。"""
    from ..units.evidence import evidence_rows
    from ..units.report_out import evidence_json, run_evidence_check

    rb = open_rubric(rubric_path)
    ev = rb.evaluator(evaluator) if evaluator else None
    if evaluator and ev is None:
        raise click.BadParameter(f"没有名为“{evaluator}”的评价部门。", param_hint="--evaluator")
    u = next((x for x in rb.units if unit in (x.name, x.full_name)), None) if unit else None
    if unit and u is None:
        raise click.BadParameter(f"没有名为“{unit}”的被考核单位。", param_hint="--unit")
    check, folder = run_evidence_check(tree, rb, out_dir, evaluator=ev, unit=u)
    if as_json:
        echo_json(evidence_json(check, folder))
    else:
        echo_problems(check.problems)
        missing = [r for r in evidence_rows(check) if r[4] == "缺"]
        click.echo(
            f"应有材料的项目 {sum(1 for r in evidence_rows(check) if r[4] != '不需提供')} 个，缺 {len(missing)} 个。"
        )
        click.echo(f"结果已写入：{visible(str(folder))}")
    sys.exit(0 if check.clean else 1)
