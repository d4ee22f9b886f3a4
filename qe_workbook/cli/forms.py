"""`qe generate` and `qe simulate`: the evaluation forms sent out, and practice fillings."""

from __future__ import annotations

import re
import sys
from datetime import datetime
from pathlib import Path

import click

from ..choices import PROFILES
from ..console import echo_json, echo_problems
from ..problems import has_errors
from ..visible import visible
from .common import json_option, key_option, open_key, open_rubric, out_option, rubric_option
from .root import main


@main.command()
@rubric_option
@key_option
@out_option(Path("out/forms"), "评价表输出文件夹。")
@click.option("--password", help="工作表保护密码（默认由密钥为每张表派生）。")
@click.option("--seed", default="", help="参与派生表单编号的附加值（重新下发新版时可改变）。")
@click.option(
    "--timestamp",
    type=click.DateTime(["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"]),
    default=None,
    help="写入评价表的生成时间（默认当前时间；相同输入和时间生成的文件逐字节相同）。",
)
def generate(
    rubric_path: Path | None, key_path: Path, out_dir: Path, password: str | None, seed: str, timestamp: datetime | None
) -> None:
    """为每个评价部门生成锁定的评价表（附件6），并生成发放清单。"""
    from ..forms.generate import generate_forms
    from ..forms.register import REGISTER_NAME, load_register, occupied

    rb = open_rubric(rubric_path, say=True)
    register, problems = load_register(key_path.parent / REGISTER_NAME)
    taken = occupied(out_dir)
    if problems or taken:
        echo_problems([*problems, *([taken] if taken else [])], err=True)
        sys.exit(1)
    key = open_key(key_path, create=True)
    with click.progressbar(length=len(rb.form_evaluators()), label="生成评价表", file=sys.stderr) as bar:
        result = generate_forms(
            rb, out_dir, key, password=password, seed=seed, generated_at=timestamp, progress=lambda _ev: bar.update(1),
            register=register,
        )  # fmt: skip
    click.echo(
        f"已生成 {len(result.forms)} 份评价表，位于 {visible(str(out_dir))}；发放清单：{visible(str(result.dispatch_list))}"
    )
    click.echo(f"已记入评价表生成登记（第 {register.generations[-1].number} 次生成）：{visible(str(register.path))}")
    for ev in result.idle:
        click.echo(f"说明：{ev.name} 没有需要评价的项目，未生成评价表。")


@main.command("simulate")
@click.argument("forms_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), metavar="评价表文件夹")
@click.option(
    "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True, help="填好的评价表写到这里。"
)
@rubric_option
@click.option("--seed", type=int, default=2022, show_default=True, help="随机种子（相同种子得到相同结果）。")
@click.option(
    "--profile",
    type=click.Choice(PROFILES),
    default="clean",
    show_default=True,
    help="clean：完整有效；with-problems：另加各类常见错误。",
)
@key_option
def simulate_cmd(
    forms_dir: Path, out_dir: Path, rubric_path: Path | None, seed: int, profile: str, key_path: Path
) -> None:
    """模拟各评价部门填写评价表（用于演示和练习）。"""
    from ..forms.simulate import simulate

    rb = open_rubric(rubric_path)
    key = open_key(key_path) if profile == "with-problems" else None
    sim = simulate(rb, forms_dir, out_dir, seed=seed, profile=profile, key=key)
    click.echo(f"已模拟填写 {len(sim.files)} 个文件，位于 {visible(str(out_dir))}。")
    for line in sim.planted:
        click.echo(f"  故意设置的错误：{line}")
    if sim.skipped:
        click.echo(f"  评价部门不够，未设置：{'、'.join(sim.skipped)}（每种错误放在不同部门的评价表中）。")


@main.command("correction")
@click.option("--evaluator", required=True, help="需要更正评分的评价部门，例如 市住建局。")
@click.option("--units", required=True, help="需要更正的被考核单位，用逗号分隔，例如 舞阳县,临颍县。")
@click.option("--from", "run_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="“现采用值”取自的汇总结果文件夹（默认：out/results 中最近的一次）。")  # fmt: skip
@out_option(Path("out/corrections"), "更正表输出文件夹。")
@rubric_option
@key_option
@json_option
def correction_cmd(
    evaluator: str, units: str, run_dir: Path | None, out_dir: Path, rubric_path: Path | None, key_path: Path,
    as_json: bool,
) -> None:  # fmt: skip
    """为一个评价部门生成只含部分被考核单位的更正表（与评价表同样锁定、签名，附现采用值供核对）。"""
    from ..forms.register import REGISTER_NAME, load_register
    from ..record.correction import issue_correction, latest_run
    from ..suggest import did_you_mean

    rb = open_rubric(rubric_path)
    ev = rb.evaluator(evaluator)
    if ev is None:
        hint = did_you_mean(evaluator, [e.name for e in rb.form_evaluators()])
        raise click.BadParameter(f"没有名为“{evaluator}”的评价部门。{hint}", param_hint="--evaluator")
    names = [n.strip() for n in re.split(r"[,，、]", units) if n.strip()]
    known = [u.name for u in rb.units]
    for name in names:
        if name not in known:
            raise click.BadParameter(f"没有名为“{name}”的被考核单位。{did_you_mean(name, known)}", param_hint="--units")
    if not names:
        raise click.BadParameter("请至少指定一个被考核单位。", param_hint="--units")
    register, problems = load_register(key_path.parent / REGISTER_NAME)
    if problems:
        echo_problems(problems, err=True)
        sys.exit(1)
    run = run_dir or latest_run(Path("out/results"))
    report = issue_correction(rb, ev.name, names, out_dir, open_key(key_path), run=run, register=register)
    if as_json:
        form = report.form
        echo_json({"file": str(form.path) if form else None, "form_id": form.form_id if form else None,
                   "evaluator": report.evaluator, "units": report.units, "rows": form.rows if form else 0,
                   "reference_run": report.reference_run, "generation": report.generation,
                   "problems": [p.to_dict() for p in report.problems]})  # fmt: skip
    else:
        echo_problems(report.problems, err=True)
        if report.form is not None:
            click.echo(f"已生成{report.evaluator}的更正表（{'、'.join(report.units)}，共 {report.form.rows} 项）："
                       f"{report.form.path}")  # fmt: skip
            click.echo(f"“现采用值”取自：{report.reference_run or '（无）'}")
            click.echo(f"已记入评价表生成登记（第 {report.generation} 次生成，更正）：{visible(str(register.path))}")
    sys.exit(1 if has_errors(report.problems) or report.form is None else 0)
