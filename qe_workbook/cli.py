"""The `qe` command: a thin layer over the library; each command calls one library function.

Exit codes: 0 clean, 1 problems found, 2 usage errors (click's own).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .cli_chinese import ChineseGroup, usage_message
from .console import echo_json, echo_problems, echo_run, format_table, run_json, tolerate_console
from .demo import run_demo, run_units_demo
from .documents.reports import report_run
from .forms.generate import generate_forms
from .forms.register import REGISTER_NAME, load_register, occupied
from .forms.simulate import PROFILES, simulate
from .intake.collect import Prefer
from .intake.discover import discover
from .intake.receipts import REGISTER_XLSX, write_register_template
from .keys import (
    DEFAULT_KEY_PATH,
    check_group,
    create_key,
    group_count,
    key_fingerprint,
    read_key,
    restore_key_file,
)
from .mail.chase import SEND_LOG, run_chase, send_chases
from .mail.fetch import fetch_json, fetch_mail
from .mail.server import SECURITY, SETTINGS_FILE, MailServer, read_settings
from .outputs.year_over_year import compare_run_folders
from .pipeline import run_collect
from .problems import Severity, has_errors, os_error_text
from .record.adjustments import FILE_NAME as ADJUSTMENTS_FILE
from .record.adjustments import write_template as write_adjustments_template
from .record.appeals import FILE_NAME as APPEALS_FILE
from .record.appeals import write_template as write_appeals_template
from .record.approval import approve_run
from .record.archive import archive_run, verify_archive
from .record.diff import diff_dict, diff_runs, diff_text, free_file, write_change_report
from .record.key_sheet import sheet_lines, write_sheet_docx
from .record.precheck import Disclose, write_prechecks
from .record.stages import STAGES, Stage
from .rubric import Rubric, default_rubric_path, load_rubric
from .rubric.compare import compare, diff_rows
from .rubric.new_year import new_year
from .rubric.view import counts_text, decision_rows, evaluator_rows, item_rows, rubric_counts
from .rubric.workbook.files import export_rubric, import_rubric, load_any_rubric
from .suggest import did_you_mean
from .units.evidence import evidence_rows
from .units.package import generate_packages
from .units.report_out import (
    STATUS_HEADER,
    evidence_json,
    run_evidence_check,
    run_units_check,
    status_rows,
    units_json,
)

F = TypeVar("F", bound=Callable[..., Any])

rubric_option = click.option(
    "--rubric",
    "rubric_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="考核细则文件（默认：当前目录的 rubric.json，没有时用内置的 2022 年度细则）。",
)
json_option = click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（供程序读取）。")
date_option = click.option(
    "--date",
    "issued",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="反馈意见和通报上的成文日期，例如 2023-05-08（默认：考核细则中规定的成文日期，没有时为当天）。",
)


def out_option(default: Path, help: str) -> Callable[[F], F]:
    return click.option(
        "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=default, show_default=True,
        help=help,
    )  # fmt: skip


def open_rubric(path: Path | None) -> Rubric:
    """Load the rubric or stop with its problems (exit 1)."""
    load = load_rubric(default_rubric_path(path))
    if load.rubric is None:
        echo_problems(load.problems, err=True)
        click.echo("考核细则有错误，请先修正。", err=True)
        sys.exit(1)
    return load.rubric


@click.group(cls=ChineseGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="qe", message="%(prog)s 版本 %(version)s", help="显示版本号并退出。")
def main() -> None:
    """政府质量工作考核评价表工具：生成评价表、汇总评分、计算等级、输出反馈。"""


@main.group()
def rubric() -> None:
    """检查或查看考核细则（rubric.json）。"""


@rubric.command("check")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), required=False, metavar="考核细则文件")
@json_option
def rubric_check_cmd(path: Path | None, as_json: bool) -> None:
    """检查考核细则（rubric.json 或考核细则工作簿 .xlsx）的格式和内容；有错误时退出码为 1。"""
    load = load_any_rubric(default_rubric_path(path))
    counts = rubric_counts(load.rubric) if load.rubric else None
    if as_json:
        echo_json({"ok": load.ok, "counts": counts, "problems": [p.to_dict() for p in load.problems]})
    else:
        echo_problems(load.problems)
        if counts:
            click.echo(counts_text(counts))
        click.echo("检查通过。" if load.ok else "检查未通过，请按上面的说明修正。")
    sys.exit(1 if has_errors(load.problems) else 0)


@rubric.command("show")
@rubric_option
@click.option("--evaluator", help="只列出该评价部门的项目。")
@json_option
def rubric_show_cmd(rubric_path: Path | None, evaluator: str | None, as_json: bool) -> None:
    """列出考核项目（满分、评价部门）和各评价部门的项目。"""
    rb = open_rubric(rubric_path)
    found = rb.evaluator(evaluator) if evaluator is not None else None
    if evaluator is not None and found is None:
        hint = did_you_mean(evaluator, [e.name for e in rb.evaluators])
        raise click.BadParameter(f"没有名为“{evaluator}”的评价部门。{hint}", param_hint="--evaluator")
    name = found.name if found else None
    items, evaluators, decisions = item_rows(rb, name), evaluator_rows(rb), decision_rows(rb)
    if as_json:
        echo_json({"items": items, "evaluators": evaluators, "decisions": decisions})
        return
    if name is not None and not items:
        click.echo(f"{name} 没有评价项目，不需要填写评价表。")
        return
    click.echo(format_table(["编号", "类别", "分值", "评价部门", "项目"], [list(r.values()) for r in items]))
    if name is None:
        click.echo()
        click.echo(
            format_table(
                ["评价部门", "所属单位", "项目数", "项目编号", "电话", "邮箱"], [list(r.values()) for r in evaluators]
            )
        )
        if decisions:
            click.echo()
            click.echo("考核方案未明确事项的处理：")
            click.echo("\n".join(f"{n}. {d['topic']}：{d['text']}" for n, d in enumerate(decisions, start=1)))


@rubric.command("export")
@rubric_option
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), default=Path("rubric.xlsx"),
              show_default=True, help="导出的工作簿（已存在时不覆盖）。")  # fmt: skip
def rubric_export_cmd(rubric_path: Path | None, out_path: Path) -> None:
    """把考核细则导出为可编辑的 Excel 工作簿（修改后用 qe rubric import 导入）。"""
    result = export_rubric(default_rubric_path(rubric_path), out_path)
    echo_problems(result.problems, err=True)
    if result.path is None:
        sys.exit(1)
    click.echo(f"已导出考核细则工作簿：{result.path}。修改后运行：qe rubric import {result.path}")


@rubric.command("import")
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="考核细则工作簿")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), default=Path("rubric.json"),
              show_default=True, help="写出的考核细则。")  # fmt: skip
@click.option("--replace", is_flag=True, help="--out 已存在时替换它（原文件先另存为带时间的备份）。")
@json_option
def rubric_import_cmd(workbook: Path, out_path: Path, replace: bool, as_json: bool) -> None:
    """从考核细则工作簿生成 rubric.json：逐条列出问题（工作表、行、列）；有错误时不写出。"""
    result = import_rubric(workbook, out_path, replace=replace)
    if as_json:
        echo_json({"ok": result.ok, "written": result.written, "backup": result.backup,
                   "problems": [p.to_dict() for p in result.problems]})  # fmt: skip
    else:
        echo_problems(result.problems)
        if result.backup:
            click.echo(f"原有的 {out_path} 已另存为 {result.backup}。")
        if result.written:
            click.echo(f"已写出考核细则：{result.written}")
        else:
            click.echo("未写出考核细则，请按上面的说明修改工作簿后重新导入。")
    sys.exit(0 if result.ok else 1)


@rubric.command("diff")
@click.argument("old", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="原考核细则")
@click.argument("new", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="新考核细则")
@json_option
def rubric_diff_cmd(old: Path, new: Path, as_json: bool) -> None:
    """比较两份考核细则（rubric.json 或工作簿 .xlsx）：新增、删除、修改了什么。"""
    loads = [load_any_rubric(old), load_any_rubric(new)]
    if loads[0].rubric is None or loads[1].rubric is None:
        for load in loads:
            echo_problems([p for p in load.problems if p.severity == "error"], err=True)
        click.echo("考核细则有错误，无法比较。", err=True)
        sys.exit(1)
    diff = compare(loads[0].rubric, loads[1].rubric)
    if as_json:
        echo_json(diff.to_dict())
        return
    if diff:
        click.echo(format_table(["变化", "对象", "编号或名称", "内容"], diff_rows(diff)))
    click.echo(diff.summary())


@rubric.command("new-year")
@click.argument("year", type=click.IntRange(2000, 2100), metavar="年度")
@rubric_option
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="写出的新年度考核细则（默认 rubric-年度.xlsx；以 .json 结尾则写 JSON）。")  # fmt: skip
def rubric_new_year_cmd(year: int, rubric_path: Path | None, out_path: Path | None) -> None:
    """由本年度考核细则生成下一年度的（年度、考核周期、截止日期顺延，编号和处理说明沿用），并列出需要核对的事项。"""
    out = out_path or Path(f"rubric-{year}.xlsx")
    result = new_year(default_rubric_path(rubric_path), year, out)
    echo_problems(result.problems, err=True)
    if result.written is None:
        sys.exit(1)
    click.echo(f"已生成 {year} 年度考核细则：{result.written}。请按新方案逐项核对：")
    for line in result.checklist:
        click.echo(f"  {line}")
    if out.suffix.lower() == ".xlsx":
        click.echo(f"修改完成后运行：qe rubric import {out} --out rubric.json")


@main.command("compare")
@click.argument("old_run", type=click.Path(exists=True, file_okay=False, path_type=Path), metavar="上年结果文件夹")
@click.argument("new_run", type=click.Path(exists=True, file_okay=False, path_type=Path), metavar="本年结果文件夹")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="比较结果工作簿（默认 out/年度比较_上年-本年.xlsx；已存在时不覆盖）。")  # fmt: skip
@json_option
def compare_cmd(old_run: Path, new_run: Path, out_path: Path | None, as_json: bool) -> None:
    """年度比较：两次汇总结果中各县区总分、等级、排名和各领域得分的变化，以及项目的增减。"""
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
        click.echo(f"比较结果已写入：{result.written}")
    sys.exit(0 if result.written else 1)


def open_key(path: Path, *, create: bool = False) -> bytes:
    """Read the office key, or stop with a clear problem (exit 1); optionally create it first."""
    if create and not path.exists():
        create_key(path)
        click.echo(f"提醒：密钥文件 {path} 不存在，已新建。请妥善备份：汇总时必须使用同一个密钥。", err=True)
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


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_KEY_PATH, metavar="密钥文件")
def keygen(path: Path) -> None:
    """生成市质强办的签名密钥（默认 out/qe.key）；已存在时不会覆盖。"""
    if path.exists():
        click.echo(f"密钥文件 {path} 已存在，未覆盖（覆盖会使已下发的评价表全部无法核验）。", err=True)
        sys.exit(1)
    create_key(path)
    click.echo(f"已生成密钥：{path}。请妥善保存并备份，不要随评价表发出。")


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
    key = open_key(key_path)
    office = open_rubric(rubric_path).office_full_name
    click.echo("\n".join(sheet_lines(key, office, date.today())))
    if out_file is not None:
        click.echo(f"已写入可打印的备份单：{write_sheet_docx(out_file, key, office, date.today())}")


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
    click.echo(f"已恢复密钥：{key_path}；密钥指纹 {key_fingerprint(key)}，请与备份单核对。")


def prompt_group(number: int) -> str:
    """Ask for one group until its check letter matches."""
    while True:
        typed = click.prompt(f"第 {number} 组", type=str)
        _group, found = check_group(number, typed)
        if found is None:
            return typed
        click.echo(found.message, err=True)


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
    rb = open_rubric(rubric_path)
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
    click.echo(f"已生成 {len(result.forms)} 份评价表，位于 {out_dir}；发放清单：{result.dispatch_list}")
    click.echo(f"已记入评价表生成登记（第 {register.generations[-1].number} 次生成）：{register.path}")
    for ev in result.idle:
        click.echo(f"说明：{ev.name} 没有需要评价的项目，未生成评价表。")


@main.command("collect")
@click.argument("returned", type=click.Path(exists=True, file_okay=False, path_type=Path), metavar="回收文件夹")
@rubric_option
@key_option
@out_option(Path("out/results"), "结果输出位置（每次运行新建一个以时间命名的子文件夹）。")
@click.option("--allow-partial", is_flag=True, help="允许有未填写的得分（作为提醒而不是错误）。")
@click.option(
    "--prefer",
    type=click.Choice([Prefer.NEWEST.value]),
    default=None,
    help="同一部门有多份不同的评价表时，采用填报日期最新的一份（默认都不采用，列为冲突）。",
)
@click.option("--no-report", is_flag=True, help="不生成反馈意见、通报代拟稿和公告名单。")
@click.option("--adjustments", "adjustments_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="会议调整表（qe adjustments template 生成）：评分后加分、扣分、降级或定级。")  # fmt: skip
@click.option("--appeals", "appeals_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="异议登记表（qe appeals template 生成）：列入汇总表并检查。")  # fmt: skip
@click.option("--previous", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="上年的结果文件夹：在 master.xlsx 中增加“与上年比较”工作表。")  # fmt: skip
@date_option
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
    issued: datetime | None,
    as_json: bool,
) -> None:
    """汇总回收的评价表，计算总分、等级和排名；全部采用且完整时退出码为 0，否则为 1。"""
    rb = open_rubric(rubric_path)
    key = open_key(key_path)
    register, problems = load_register(key_path.parent / REGISTER_NAME)
    echo_problems(problems, err=True)
    total = len(discover(returned).files)
    with click.progressbar(length=total, label="读取评价表", file=sys.stderr) as bar:
        report = run_collect(
            returned,
            rb,
            key,
            out_dir,
            allow_partial=allow_partial,
            prefer=Prefer(prefer or Prefer.NONE),
            reports=not no_report,
            progress=lambda _name: bar.update(1),
            adjustments=adjustments_file,
            register=register,
            key_file=str(key_path),
            appeals=appeals_file,
            previous=previous,
            issued=issued.date() if issued else None,
        )
    if as_json:
        echo_json(run_json(report, rb))
    else:
        echo_run(report, rb)
    sys.exit(0 if report.clean else 1)


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
    rb = open_rubric(rubric_path)
    key = open_key(key_path) if profile == "with-problems" else None
    sim = simulate(rb, forms_dir, out_dir, seed=seed, profile=profile, key=key)
    click.echo(f"已模拟填写 {len(sim.files)} 个文件，位于 {out_dir}。")
    for line in sim.planted:
        click.echo(f"  故意设置的错误：{line}")
    if sim.skipped:
        click.echo(f"  评价部门不够，未设置：{'、'.join(sim.skipped)}（每种错误放在不同部门的评价表中）。")


@main.command("demo")
@out_option(Path("out/demo"), "演示输出位置（每次新建一个以时间命名的子文件夹）。")
@rubric_option
@click.option("--seed", type=int, default=2022, show_default=True, help="模拟填写的随机种子。")
def demo_cmd(out_dir: Path, rubric_path: Path | None, seed: int) -> None:
    """一键演示：生成评价表 → 模拟各部门填写 → 汇总评分，打印排名和输出位置；另演示县区材料包的生成和检查。"""
    rb = open_rubric(rubric_path)
    report = run_demo(rb, out_dir, seed=seed)
    folder = report.folder.parent.parent
    click.echo(f"演示文件夹：{folder}（密钥 qe.key、评价表 forms/、模拟回收 returned/、结果 results/）")
    echo_run(report, rb)
    units, units_folder = run_units_demo(rb, folder)
    click.echo(f"县区材料：材料包 units/，模拟报送 units-received/，检查结果 {units_folder}")
    click.echo(format_table(STATUS_HEADER[1:6], [r[1:6] for r in status_rows(units)]))
    sys.exit(0 if report.clean and units.clean else 1)


@main.command("approve")
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--stage", type=click.Choice([str(s) for s in STAGES[1:]]), required=True, help="要记录的阶段。")
@click.option("--basis", required=True, help="依据，例如会议纪要的名称和文号。")
@click.option("--by", default=None, help="经办人（默认为当前登录的用户名）。")
@rubric_option
def approve_cmd(run_dir: Path, stage: str, basis: str, by: str | None, rubric_path: Path | None) -> None:
    """记录一次汇总结果的阶段（征求意见稿、审定稿、印发稿）、经办人、时间、依据和指纹，并生成标明该阶段的文件。"""
    approval, problems = approve_run(run_dir, open_rubric(rubric_path), Stage(stage), basis, by=by)
    echo_problems(problems, err=True)
    if approval is None:
        sys.exit(1)
    record = approval.record
    click.echo(f"已记为{record.stage}：{run_dir}（{record.by}，{record.at}，依据：{record.basis}）")
    click.echo(f"指纹：{record.fingerprint['run']}")
    click.echo(f"标明“{record.stage}”的文件：{approval.documents}")


@main.command("archive")
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), required=False)
@click.option("--returned", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="该次汇总的回收文件夹（收到的评价表原件从这里取）。")  # fmt: skip
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="归档文件夹（新建或空文件夹）。")  # fmt: skip
@click.option("--verify", "verify_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="核验一个已归档的文件夹（逐个核对归档时记下的校验值）。")  # fmt: skip
@rubric_option
def archive_cmd(
    run_dir: Path | None, returned: Path | None, out_dir: Path | None, verify_dir: Path | None,
    rubric_path: Path | None,
) -> None:  # fmt: skip
    """把审定的汇总结果归档（收到的原件、汇总表和文件及其 PDF、登记簿、卷内目录、校验值清单），或核验档案。"""
    if verify_dir is not None:
        problems = verify_archive(verify_dir)
        echo_problems(problems)
        click.echo(
            "核验未通过，档案文件有缺失或改动。" if problems else f"核验通过：{verify_dir} 中的文件与归档时一致。"
        )
        sys.exit(1 if problems else 0)
    if run_dir is None or returned is None or out_dir is None:
        raise click.UsageError("归档须指定结果文件夹、--returned 和 --out；核验档案用 --verify。")
    result = archive_run(run_dir, returned, open_rubric(rubric_path), out_dir)
    echo_problems(result.problems, err=True)
    if result.folder is None:
        sys.exit(1)
    click.echo(f"已归档 {len(result.entries)} 个文件：{result.folder}（卷内目录.xlsx，SHA256SUMS.txt）")
    sys.exit(1 if has_errors(result.problems) else 0)


@main.command("diff")
@click.argument("old_run", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("new_run", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=Path("变更说明.xlsx"),
              show_default=True, help="变更说明的保存位置（已存在时另起文件名，不覆盖）。")  # fmt: skip
@rubric_option
@json_option
def diff_cmd(old_run: Path, new_run: Path, out_file: Path, rubric_path: Path | None, as_json: bool) -> None:
    """比较两次汇总结果：列出变化的项目得分（原值、新值及各自来源）和各单位总分、等级、排名的变化。"""
    rb = open_rubric(rubric_path)
    diff, problems = diff_runs(old_run, new_run, rb)
    if diff is None:
        echo_problems(problems, err=True)
        sys.exit(1)
    written = write_change_report(free_file(out_file), diff, rb)
    if as_json:
        echo_json({**diff_dict(diff), "report": str(written)})
    else:
        click.echo(diff_text(diff))
        click.echo(f"变更说明已写入：{written}")


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
@date_option
def report_cmd(
    run_dir: Path,
    rubric_path: Path | None,
    out_dir: Path | None,
    adjustments_file: Path | None,
    issued: datetime | None,
) -> None:
    """根据一次汇总结果重新生成各县区反馈意见、通报代拟稿和公告名单。"""
    rb = open_rubric(rubric_path)
    written, problems = report_run(run_dir, rb, out_dir, adjustments=adjustments_file,
                                   issued=issued.date() if issued else None)  # fmt: skip
    echo_problems(problems, err=True)
    for path in written:
        click.echo(f"已生成：{path}")
    sys.exit(1 if any(p.severity is not Severity.INFO for p in problems) else 0)


def write_blank_form(
    out: Path, label: str, write: Callable[[Path, Rubric], Path], rubric_path: Path | None, why: str = ""
) -> None:
    """A blank register for the office, written once: an existing file is never overwritten (exit 1)."""
    if out.exists():
        click.echo(f"文件 {out} 已存在，未覆盖{why}。", err=True)
        sys.exit(1)
    click.echo(f"已生成{label}：{write(out, open_rubric(rubric_path))}")


@main.group("adjustments")
def adjustments_group() -> None:
    """会议调整表：评分后由会议决定的加分、扣分、降级、定级及其依据。"""


@adjustments_group.command("template")
@rubric_option
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=Path(ADJUSTMENTS_FILE),
              show_default=True, help="空白调整表的保存位置（已存在时不覆盖）。")  # fmt: skip
def adjustments_template_cmd(rubric_path: Path | None, out_file: Path) -> None:
    """生成空白的会议调整表（被考核单位、调整类型、分值或等级、依据、备注）。"""
    write_blank_form(out_file, "会议调整表", write_adjustments_template, rubric_path)


@main.command("precheck")
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), metavar="结果文件夹")
@click.option(
    "--deadline", type=click.DateTime(["%Y-%m-%d"]), required=True, help="反馈异议的截止日期，例如 2023-05-20。"
)
@click.option("--disclose", type=click.Choice([str(d) for d in Disclose]), default=str(Disclose.SHORTFALLS),
              show_default=True, help="列出哪些评价说明：all 全部，shortfalls 仅失分项目，none 不列。")  # fmt: skip
@rubric_option
def precheck_cmd(run_dir: Path, deadline: datetime, disclose: str, rubric_path: Path | None) -> None:
    """为每个被考核单位生成得分核对单（各项目得分、评价说明、异议栏和反馈截止日期）。"""
    folder, problems = write_prechecks(run_dir, open_rubric(rubric_path), deadline.date(), disclose=Disclose(disclose))
    echo_problems(problems, err=True)
    if folder is None:
        sys.exit(1)
    click.echo(f"得分核对单已写入：{folder}")


@main.group("appeals")
def appeals_group() -> None:
    """异议登记表：被考核单位对得分的异议及评价部门的复核意见。"""


@appeals_group.command("template")
@rubric_option
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=Path(APPEALS_FILE),
              show_default=True, help="空白异议登记表的保存位置（已存在时不覆盖）。")  # fmt: skip
def appeals_template_cmd(rubric_path: Path | None, out_file: Path) -> None:
    """生成空白的异议登记表（单位、项目、异议内容、佐证材料、评价部门、复核意见、复核说明、复核日期）。"""
    write_blank_form(out_file, "异议登记表", write_appeals_template, rubric_path)


@main.group("receipts")
def receipts_group() -> None:
    """收件登记：记录微信、U盘、OA、现场等渠道收到材料的时间（邮件由 qe mail fetch 自动记录）。"""


@receipts_group.command("template")
@rubric_option
@click.option(
    "--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), default=Path(REGISTER_XLSX),
    show_default=True, help="收件登记表的保存位置（放在回收文件夹中，qe collect 会自动读取）。",
)  # fmt: skip
def receipts_template_cmd(rubric_path: Path | None, out_path: Path) -> None:
    """生成空白的收件登记表（收件登记.xlsx）；已存在时不会覆盖。"""
    write_blank_form(out_path, "收件登记表", write_register_template, rubric_path, "（其中可能已有登记内容）")


@main.group("mail")
def mail_group() -> None:
    """办公邮箱：收取回收的评价表和材料（记录收到时间），向未报送或有问题的部门发催报邮件。"""


def mail_password(what: str) -> str:
    """The password from QE_MAIL_PASSWORD, else asked for (never an option, never written down)."""
    return os.environ.get("QE_MAIL_PASSWORD") or click.prompt(f"{what}的密码（授权码）", hide_input=True, err=True)


def mail_server(host: str, user: str, port: int | None, security: str, **extra: Any) -> MailServer:
    server = MailServer(host, user, port, security, **extra)
    if security == "none" and not server.is_local:
        raise click.BadParameter(
            "不加密（none）只能用于本机上的服务器，请改用 ssl 或 starttls。", param_hint="--security"
        )
    if security == "none":
        click.echo("提醒：连接不加密，仅适用于本机上的服务器。", err=True)
    return server


def use_settings(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    """Defaults for the mail options from the settings file (options on the command line win)."""
    path = value or (Path(SETTINGS_FILE) if Path(SETTINGS_FILE).is_file() else None)
    if path is None:
        return
    try:
        ctx.default_map = {**(ctx.default_map or {}), **read_settings(path)}
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--settings") from None


settings_option = click.option(
    "--settings", type=click.Path(dir_okay=False, path_type=Path), is_eager=True, expose_value=False,
    callback=use_settings, help=f"邮箱设置文件（默认：当前目录的 {SETTINGS_FILE}，有则读取；不能写密码）。",
)  # fmt: skip


@mail_group.command("fetch")
@settings_option
@click.option("--server", "host", required=True, help="收信（IMAP）服务器地址（见使用说明“邮箱设置”一节）。")
@click.option("--port", type=int, default=None, help="端口（默认 SSL 为 993，其他为 143）。")
@click.option("--security", type=click.Choice(SECURITY), default="ssl", show_default=True, help="加密方式。")
@click.option("--user", required=True, help="邮箱账号（完整的邮箱地址）。")
@click.option("--folder", default="INBOX", show_default=True, help="收取的邮箱文件夹（收件箱为 INBOX）。")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), default=None, help="只收取该日期及以后收到的邮件。")
@click.option("--cafile", type=click.Path(exists=True, dir_okay=False), default=None,
              help="单位自建邮件服务器的根证书（一般不需要）。")  # fmt: skip
@rubric_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="回收文件夹：每封邮件的附件存入一个子文件夹，并写入收件记录。")  # fmt: skip
@json_option
def mail_fetch_cmd(host: str, port: int | None, security: str, user: str, folder: str, since: datetime | None,
                   cafile: str | None, rubric_path: Path | None, out_dir: Path, as_json: bool) -> None:  # fmt: skip
    """收取邮箱中的附件（不删除、不移动、不标记邮件），记录每个文件的收到时间；可反复运行，只收新邮件。"""
    rb = open_rubric(rubric_path)
    server = mail_server(host, user, port, security, folder=folder, cafile=cafile)
    password = mail_password(user)
    with click.progressbar(length=0, label="收取邮件", file=sys.stderr) as bar:

        def total(n: int) -> None:
            bar.length = n

        report = fetch_mail(server, password, out_dir, rb, since=since.date() if since else None, on_total=total,
                            on_message=lambda: bar.update(1))  # fmt: skip
    if as_json:
        echo_json(fetch_json(report))
    else:
        echo_problems(report.problems)
        click.echo(report.summary())
    sys.exit(0 if report.clean else 1)


@main.group()
def units() -> None:
    """被考核县区的材料：自评报告模板、联系人员名单、印证材料报送指引，以及收到材料的检查。"""


@units.command("generate")
@rubric_option
@key_option
@out_option(Path("out/units"), "输出文件夹（每个县区一个子文件夹）。")
def units_generate_cmd(rubric_path: Path | None, key_path: Path, out_dir: Path) -> None:
    """为每个县区生成自评报告模板、联系人员名单、印证材料报送指引和印证材料文件夹。"""
    rb = open_rubric(rubric_path)
    result = generate_packages(rb, out_dir, open_key(key_path, create=True))
    for package in result.packages:
        click.echo(f"{package.unit.name}：{package.folder}")
    if result.register:
        click.echo(f"市质强办收件登记：{result.register}")


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
    """检查县区报送市质强办的自评报告和联系人员名单；全部收到且符合要求时退出码为 0，否则为 1。"""
    rb = open_rubric(rubric_path)
    check, folder = run_units_check(received, rb, open_key(key_path), out_dir, registers=registers)
    if as_json:
        echo_json(units_json(check, folder))
    else:
        echo_problems(check.problems)
        click.echo(format_table(STATUS_HEADER[1:6], [r[1:6] for r in status_rows(check)]))
        click.echo(f"结果已写入：{folder}")
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
        click.echo(f"结果已写入：{folder}")
    sys.exit(0 if check.clean else 1)


@mail_group.command("chase")
@settings_option
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@rubric_option
@click.option("--forms", "forms_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("out/forms"),
              show_default=True, help="qe generate 生成空白评价表的文件夹（需重新填写时随邮件附上）。")  # fmt: skip
@click.option("--packages", "packages_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("out/units"),
              show_default=True, help="qe units generate 生成县区材料包的文件夹（县区需补报时附上模板）。")  # fmt: skip
@out_option(Path("out/chase"), "催报邮件草稿的输出位置（每次新建一个以时间命名的子文件夹）。")
@click.option("--from", "sender", default=None, help="发件地址（默认为考核细则中市质强办的邮箱）。")
@click.option("--send", is_flag=True, help="确认后通过发信（SMTP）服务器直接发送，并写入发送记录。")
@click.option("--smtp-server", default=None, help="发信（SMTP）服务器地址（使用 --send 时必填）。")
@click.option("--smtp-port", type=int, default=None, help="端口（默认 SSL 为 465，STARTTLS 为 587）。")
@click.option("--smtp-security", type=click.Choice(SECURITY), default="ssl", show_default=True, help="加密方式。")
@click.option("--smtp-user", default=None, help="发信邮箱账号（完整的邮箱地址）。")
@click.option("--yes", is_flag=True, help="不再询问，直接发送（供脚本使用）。")
def mail_chase_cmd(run_dir: Path, rubric_path: Path | None, forms_dir: Path, packages_dir: Path, out_dir: Path, sender: str | None,
                   send: bool, smtp_server: str | None, smtp_port: int | None, smtp_security: str,
                   smtp_user: str | None, yes: bool) -> None:  # fmt: skip
    """为未报送、未采用或需更正的评价部门（汇总结果）或县区（县区材料检查结果）写好催报邮件草稿；可选直接发送。"""
    rb = open_rubric(rubric_path)
    if send and not (smtp_server and smtp_user):
        raise click.UsageError("使用 --send 时必须同时指定 --smtp-server 和 --smtp-user。")
    server = (
        mail_server(smtp_server, smtp_user, smtp_port, smtp_security) if send and smtp_server and smtp_user else None
    )
    report = run_chase(run_dir, rb, out_dir, forms_dir=forms_dir, packages_dir=packages_dir, sender=sender or smtp_user)
    echo_problems(report.problems, err=True)
    if not report.chases:
        click.echo("没有需要催报的评价部门。" if report.folder is None and not report.problems else "未生成催报邮件。")
        sys.exit(1 if report.problems else 0)
    rows = [[c.recipient.name, c.reason, str(len(c.lines)), "是" if c.attachments else "", c.to or "（无）"]
            for c in report.chases]  # fmt: skip
    click.echo(format_table(["收件单位", "原因", "问题数", "附空白表", "收件地址"], rows))
    click.echo(f"已写好 {len(report.chases)} 封催报邮件草稿，位于 {report.folder}")
    if server is None or smtp_user is None or report.folder is None:
        sys.exit(1)
    count = sum(1 for c in report.chases if c.to)
    if not yes and not click.confirm(f"确认通过 {server.host} 向 {count} 个部门发送催报邮件？", err=True):
        click.echo("未发送。", err=True)
        sys.exit(1)
    sent, problems = send_chases(report.chases, server, mail_password(smtp_user), report.folder)
    echo_problems(problems, err=True)
    click.echo(f"已发送 {len(sent)} 封；发送记录：{report.folder / SEND_LOG}")
    sys.exit(1)


def run() -> None:
    """The console entry point: `main` with usage errors told in Chinese (exit 2), Ctrl-C exit 130."""
    tolerate_console()
    try:
        main.main(prog_name="qe", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help() if exc.ctx else main.get_help(click.Context(main, info_name="qe")))
        sys.exit(0)
    except click.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx else "qe"
        click.echo(f"用法错误：{usage_message(exc)}", err=True)
        click.echo(f"运行“{command} --help”查看用法。", err=True)
        sys.exit(2)
    except click.FileError as exc:
        click.echo(f"错误：无法打开文件“{exc.ui_filename}”。", err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        click.echo(f"错误：{exc.message}", err=True)
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("已中止。", err=True)
        sys.exit(130)
    except OSError as exc:
        if exc.filename is None:  # not about a place on disk: a fault of the program, shown as such
            raise
        click.echo(f"错误：无法使用“{exc.filename}”（{os_error_text(exc)}）；请确认输出位置（--out）是可以写入的文件夹，而不是文件或只读文件夹。", err=True)  # fmt: skip
        sys.exit(2)
