"""`qe collect`, `qe demo`, `qe report` and `qe compare`: from returned forms to results."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from ..choices import Prefer
from ..console import echo_json, echo_problems, format_table
from ..visible import visible
from .common import (
    date_option,
    feedback_option,
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


@main.command("collect")
@click.argument("returned", type=click.Path(exists=True, file_okay=False, path_type=Path), metavar="回收文件夹")
@rubric_option
@key_option
@out_option(Path("out/results"), "结果输出位置（每次运行新建一个以时间命名的子文件夹）。")
@click.option("--allow-partial", is_flag=True, help="允许有未填写的得分（作为提醒而不是错误）。")
@click.option(
    "--prefer",
    type=click.Choice([p.value for p in Prefer]),
    default=None,
    help="同一部门有多份不同的评价表时采用哪一份：latest 最后收到的一份（默认，依次按收到时间、填报日期、"
    "文件修改时间）；newest 只按填报日期；none 都不采用，列为冲突。",
)
@click.option("--no-report", is_flag=True, help="不生成反馈意见、通报代拟稿和公告名单。")
@click.option("--adjustments", "adjustments_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="会议调整表（qe adjustments template 生成）：评分后加分、扣分、降级或定级。")  # fmt: skip
@click.option("--appeals", "appeals_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="异议登记表（qe appeals template 生成）：列入汇总表并检查。")  # fmt: skip
@click.option("--previous", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="上年的结果文件夹：在 master.xlsx 中增加“与上年比较”工作表；反馈意见中写上年反馈问题的整改情况。")  # fmt: skip
@click.option("--previous-ledger", "previous_ledger", type=click.Path(exists=True, path_type=Path), default=None,
              help="上年的整改台账汇总（qe rectify collect 写出的 整改台账.json 或其所在文件夹；默认从 --previous 中找）。")  # fmt: skip
@click.option("--units-check", "units_check", type=click.Path(exists=True, path_type=Path), default=None,
              help="qe units check 的结果文件夹（或其中的 自评得分.json）：考核细则要求县区自评打分时，"
                   "在 master.xlsx 和反馈意见中对比自评得分与评价得分。")  # fmt: skip
@date_option
@templates_option
@json_option
def collect_cmd(
    returned: Path,
    rubric_path: Path | None,
    key_path: Path,
    out_dir: Path,
    allow_partial: bool,
    prefer: str | None,
    no_report: bool,
    adjustments_file: Path | None,
    appeals_file: Path | None,
    previous: Path | None,
    previous_ledger: Path | None,
    units_check: Path | None,
    issued: datetime | None,
    templates_dir: Path,
    as_json: bool,
) -> None:
    """汇总回收的评价表，计算总分、等级和排名；全部采用且完整时退出码为 0，否则为 1。"""
    from ..extras import extras_from
    from ..forms.register import REGISTER_NAME, load_register
    from ..intake.discover import discover
    from ..pipeline import CollectOptions, run_collect
    from .run_view import echo_run, run_json

    templates = said_templates(templates_dir) if not no_report else None
    rb = open_rubric(rubric_path, say=True)
    key = open_key(key_path)
    register, problems = load_register(key_path.parent / REGISTER_NAME)
    echo_problems(problems, err=True)
    total = len(discover(returned).files)
    with click.progressbar(length=total, label="读取评价表", file=sys.stderr) as bar:
        options = CollectOptions(
            out_dir,
            allow_partial=allow_partial,
            prefer=Prefer(prefer or Prefer.LATEST),
            reports=not no_report,
            issued=issued.date() if issued else None,
            register=register,
            key_file=str(key_path),
            progress=lambda _name: bar.update(1),
            templates=templates,
        )
        extras = extras_from(adjustments=adjustments_file, appeals=appeals_file, previous=previous,
                             previous_ledger=previous_ledger, units_check=units_check)  # fmt: skip
        report = run_collect(returned, rb, key, options, extras)
    if as_json:
        echo_json(run_json(report, rb))
    else:
        echo_run(report, rb)
    sys.exit(0 if report.clean else 1)


@main.command("demo")
@out_option(Path("out/demo"), "演示输出位置（每次新建一个以时间命名的子文件夹）。")
@rubric_option
@click.option("--seed", type=int, default=2022, show_default=True, help="模拟填写的随机种子。")
@click.option("--self-scoring", is_flag=True,
              help="在演示文件夹自己的考核细则副本中开启县区自评打分，演示自评打分表及自评得分与评价得分的对比。")  # fmt: skip
def demo_cmd(out_dir: Path, rubric_path: Path | None, seed: int, self_scoring: bool) -> None:
    """一键演示：县区材料包的生成、模拟报送和检查 → 生成评价表 → 模拟各部门填写 → 汇总评分，打印结果和输出位置。"""
    from ..demo import run_demo
    from ..rubric import default_rubric_path
    from ..units.report_out import STATUS_HEADER, status_rows
    from .run_view import echo_run

    rb = open_rubric(rubric_path)
    demo = run_demo(
        rb, out_dir, seed=seed, self_scoring_from=default_rubric_path(rubric_path) if self_scoring else None
    )
    copy = "、考核细则副本 rubric.json（已开启县区自评打分）" if demo.rubric is not rb else ""
    click.echo(
        f"演示文件夹：{visible(str(demo.folder))}（密钥 qe.key{copy}、评价表 forms/、模拟回收 returned/、结果 results/）"
    )
    click.echo(f"县区材料：材料包 units/，模拟报送 units-received/，检查结果 {visible(str(demo.units_folder))}")
    click.echo(format_table(STATUS_HEADER[1:6], [r[1:6] for r in status_rows(demo.units)]))
    echo_run(demo.report, demo.rubric)
    if demo.rubric.self_scoring:
        click.echo(
            "县区自评打分：自评得分已与评价得分对比，见 master.xlsx 的“自评对比”“自评对比明细”工作表和各县区反馈意见。"
        )
    sys.exit(0 if demo.report.clean and demo.units.clean else 1)


@main.command("report")
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), metavar="结果文件夹")
@rubric_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="输出位置（默认为该结果文件夹下的“重新生成的报告”；每次新建一个以时间命名的子文件夹）。",
)
@click.option("--adjustments", "adjustments_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="会议调整表（默认用汇总时保存在结果文件夹中的那份）。")  # fmt: skip
@feedback_option
@date_option
@templates_option
def report_cmd(
    run_dir: Path,
    rubric_path: Path | None,
    out_dir: Path | None,
    adjustments_file: Path | None,
    feedback_file: Path | None,
    issued: datetime | None,
    templates_dir: Path,
) -> None:
    """根据一次汇总结果重新生成各县区反馈意见、通报代拟稿和公告名单。"""
    from ..problems import Severity
    from ..record.reports_again import report_run

    templates = said_templates(templates_dir)
    rb = open_rubric(rubric_path)
    written, problems = report_run(run_dir, rb, out_dir, adjustments=adjustments_file, feedback=feedback_file,
                                   issued=issued.date() if issued else None, templates=templates)  # fmt: skip
    echo_problems(problems, err=True)
    for path in written:
        click.echo(f"已生成：{visible(str(path))}")
    sys.exit(1 if any(p.severity is not Severity.INFO for p in problems) else 0)


@main.command("compare")
@click.argument("old_run", type=click.Path(exists=True, file_okay=False, path_type=Path), metavar="上年结果文件夹")
@click.argument("new_run", type=click.Path(exists=True, file_okay=False, path_type=Path), metavar="本年结果文件夹")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="比较结果工作簿（默认 out/年度比较_上年-本年.xlsx；已存在时不覆盖）。")  # fmt: skip
@json_option
def compare_cmd(old_run: Path, new_run: Path, out_path: Path | None, as_json: bool) -> None:
    """年度比较：两次汇总结果中各县区总分、等级、排名和各领域得分的变化，以及项目的增减。"""
    from ..outputs.year_over_year import compare_run_folders

    result = compare_run_folders(old_run, new_run, out_path)
    if as_json:
        echo_json({"written": result.written, "comparison": result.result.to_dict() if result.result else None,
                   "problems": [p.to_dict() for p in result.problems]})  # fmt: skip
        sys.exit(0 if result.written else 1)
    echo_problems(result.problems, err=True)
    if result.result is not None:
        yoy = result.result
        click.echo(format_table(yoy.unit_header(), yoy.unit_text_rows()))
        for label, ids in (("新增项目", yoy.items_added), ("取消项目", yoy.items_removed)):
            if ids:
                click.echo(f"{label}：{'、'.join(ids)}")
    if result.written:
        click.echo(f"比较结果已写入：{visible(str(result.written))}")
    sys.exit(0 if result.written else 1)
