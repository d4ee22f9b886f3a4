"""The approved record: approval stages, the archive, run diffs, prechecks and the office's registers."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from ..choices import ADJUSTMENTS_FILE, APPEALS_FILE, RECEIPTS_XLSX, STAGES, Disclose, Stage
from ..console import echo_json, echo_problems
from ..visible import visible
from .common import (
    feedback_option,
    json_option,
    open_rubric,
    rubric_option,
    said_templates,
    templates_option,
    write_blank_form,
)
from .root import main


@main.command("approve")
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--stage", type=click.Choice([str(s) for s in STAGES[1:]]), required=True, help="要记录的阶段。")
@click.option("--basis", required=True, help="依据，例如会议纪要的名称和文号。")
@click.option("--by", default=None, help="经办人（默认为当前登录的用户名）。")
@feedback_option
@rubric_option
@templates_option
def approve_cmd(
    run_dir: Path,
    stage: str,
    basis: str,
    by: str | None,
    feedback_file: Path | None,
    rubric_path: Path | None,
    templates_dir: Path,
) -> None:
    """记录一次汇总结果的阶段（征求意见稿、审定稿、印发稿）、经办人、时间、依据和指纹，并生成标明该阶段的文件。"""
    from ..record.approval import approve_run

    templates = said_templates(templates_dir)
    approval, problems = approve_run(run_dir, open_rubric(rubric_path), Stage(stage), basis, by=by,
                                     feedback=feedback_file, templates=templates)  # fmt: skip
    echo_problems(problems, err=True)
    if approval is None:
        sys.exit(1)
    record = approval.record
    click.echo(
        f"已记为{record.stage}：{visible(str(run_dir))}（{record.by}，{record.at}，依据：{visible(str(record.basis))}）"
    )
    click.echo(f"指纹：{record.fingerprint['run']}")
    click.echo(f"标明“{record.stage}”的文件：{visible(str(approval.documents))}")


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
    from ..problems import has_errors
    from ..record.archive import archive_run, verify_archive

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
    click.echo(f"已归档 {len(result.entries)} 个文件：{visible(str(result.folder))}（卷内目录.xlsx，SHA256SUMS.txt）")
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
    from ..record.diff import diff_dict, diff_runs, diff_text, write_change_report
    from ..run_folder import free_file

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
        click.echo(f"变更说明已写入：{visible(str(written))}")


@main.group("adjustments")
def adjustments_group() -> None:
    """会议调整表：评分后由会议决定的加分、扣分、降级、定级及其依据。"""


@adjustments_group.command("template")
@rubric_option
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=Path(ADJUSTMENTS_FILE),
              show_default=True, help="空白调整表的保存位置（已存在时不覆盖）。")  # fmt: skip
def adjustments_template_cmd(rubric_path: Path | None, out_file: Path) -> None:
    """生成空白的会议调整表（被考核单位、调整类型、分值或等级、依据、备注）。"""
    from ..record.adjustments import write_template as write_adjustments_template

    write_blank_form(out_file, "会议调整表", write_adjustments_template, rubric_path)


@main.command("precheck")
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), metavar="结果文件夹")
@click.option(
    "--deadline", type=click.DateTime(["%Y-%m-%d"]), required=True, help="反馈异议的截止日期，例如 2023-05-20。"
)
@click.option("--disclose", type=click.Choice([str(d) for d in Disclose]), default=None,
              help="列出哪些评价说明：all 全部，shortfalls 仅失分项目，none 不列（默认按考核细则的公开范围设置，"
                   "未设置时为 shortfalls）。")  # fmt: skip
@rubric_option
@templates_option
def precheck_cmd(run_dir: Path, deadline: datetime, disclose: str | None, rubric_path: Path | None,
                 templates_dir: Path) -> None:  # fmt: skip
    """为每个被考核单位生成得分核对单（各项目得分、评价说明、异议栏和反馈截止日期）。"""
    from ..documents.sheet_notes import PRECHECK_NOTES
    from ..record.precheck import write_prechecks

    templates = said_templates(templates_dir, (PRECHECK_NOTES,))
    folder, problems = write_prechecks(run_dir, open_rubric(rubric_path), deadline.date(),
                                       disclose=Disclose(disclose) if disclose else None, templates=templates)  # fmt: skip
    echo_problems(problems, err=True)
    if folder is None:
        sys.exit(1)
    click.echo(f"得分核对单已写入：{visible(str(folder))}")


@main.group("appeals")
def appeals_group() -> None:
    """异议登记表：被考核单位对得分的异议及评价部门的复核意见。"""


@appeals_group.command("template")
@rubric_option
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=Path(APPEALS_FILE),
              show_default=True, help="空白异议登记表的保存位置（已存在时不覆盖）。")  # fmt: skip
def appeals_template_cmd(rubric_path: Path | None, out_file: Path) -> None:
    """生成空白的异议登记表（单位、项目、异议内容、佐证材料、评价部门、复核意见、复核说明、复核日期）。"""
    from ..record.appeals import write_template as write_appeals_template

    write_blank_form(out_file, "异议登记表", write_appeals_template, rubric_path)


@main.group("receipts")
def receipts_group() -> None:
    """收件登记：记录微信、U盘、办公系统、现场等渠道收到材料的时间（邮件由 qe mail fetch 自动记录）。"""


@receipts_group.command("template")
@rubric_option
@click.option(
    "--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), default=Path(RECEIPTS_XLSX),
    show_default=True, help="收件登记表的保存位置（放在回收文件夹中，qe collect 会自动读取）。",
)  # fmt: skip
def receipts_template_cmd(rubric_path: Path | None, out_path: Path) -> None:
    """生成空白的收件登记表（收件登记.xlsx）；已存在时不会覆盖。"""
    from ..intake.receipts import write_register_template

    write_blank_form(out_path, "收件登记表", write_register_template, rubric_path, "（其中可能已有登记内容）")
