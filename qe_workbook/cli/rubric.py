"""`qe rubric …`: check, show, export, import, compare and roll over the rubric."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..console import echo_json, echo_problems, format_table
from ..visible import visible
from .common import json_option, open_rubric, rubric_option
from .root import main


@main.group()
def rubric() -> None:
    """检查或查看考核细则（rubric.json）。"""


@rubric.command("check")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), required=False, metavar="考核细则文件")
@json_option
def rubric_check_cmd(path: Path | None, as_json: bool) -> None:
    """检查考核细则（rubric.json 或考核细则工作簿 .xlsx）的格式和内容；有错误时退出码为 1。"""
    from ..problems import has_errors
    from ..rubric import default_rubric_path
    from ..rubric.view import counts_text, rubric_counts
    from ..rubric.workbook.files import load_any_rubric

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
    """列出考核项目（分值、评价部门、计分规则）、考核体系、总分、各评价部门的项目、等级评定、自评打分和公开范围设置。"""
    from ..rubric import Kind
    from ..rubric.view import decision_rows, disclosure_rows, evaluator_rows, grading_rows, item_rows, self_scoring_text
    from ..rubric.view_rules import rule_sections
    from ..suggest import did_you_mean

    rb = open_rubric(rubric_path)
    found = rb.evaluator(evaluator) if evaluator is not None else None
    if evaluator is not None and found is None:
        hint = did_you_mean(evaluator, [e.name for e in rb.evaluators])
        raise click.BadParameter(f"没有名为“{evaluator}”的评价部门。{hint}", param_hint="--evaluator")
    name = found.name if found else None
    items, evaluators, decisions = item_rows(rb, name), evaluator_rows(rb), decision_rows(rb)
    sections = rule_sections(rb)
    if as_json:
        echo_json({"items": items, "evaluators": evaluators, "decisions": decisions, "grading": grading_rows(rb),
                   "self_scoring": rb.self_scoring, "disclosure": disclosure_rows(rb),
                   "sections": [s.to_dict() for s in sections]})  # fmt: skip
        return
    if name is not None and not items:
        click.echo(f"{name} 没有评价项目，不需要填写评价表。")
        return
    click.echo(
        format_table(["编号", "类别", "分值", "评价部门", "计分规则", "项目"], [list(r.values()) for r in items])
    )
    if name is None:
        for section in sections:
            click.echo()
            click.echo(f"{section.title}：")
            click.echo("\n".join(section.lines))
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
        click.echo()
        click.echo("等级评定：")
        click.echo("\n".join(f"{g['rule']}：{g['text']}" for g in grading_rows(rb)))
        click.echo()
        scored = rb.self_scored_items()
        claims = sum(1 for i in scored if i.kind is Kind.BONUS)
        click.echo(self_scoring_text(rb.self_scoring, len(scored) - claims, claims))
        click.echo(
            "公开范围与结果运用：" + "；".join(f"{r['setting']}：{r['value']}" for r in disclosure_rows(rb)) + "。"
        )


@rubric.command("export")
@rubric_option
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), default=Path("rubric.xlsx"),
              show_default=True, help="导出的工作簿（已存在时不覆盖）。")  # fmt: skip
def rubric_export_cmd(rubric_path: Path | None, out_path: Path) -> None:
    """把考核细则导出为可编辑的 Excel 工作簿（修改后用 qe rubric import 导入）。"""
    from ..rubric import default_rubric_path
    from ..rubric.workbook.files import export_rubric

    result = export_rubric(default_rubric_path(rubric_path), out_path)
    echo_problems(result.problems, err=True)
    if result.path is None:
        sys.exit(1)
    click.echo(
        f"已导出考核细则工作簿：{visible(str(result.path))}。修改后运行：qe rubric import {visible(str(result.path))}"
    )


@rubric.command("import")
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="考核细则工作簿")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), default=Path("rubric.json"),
              show_default=True, help="写出的考核细则。")  # fmt: skip
@click.option("--replace", is_flag=True, help="--out 已存在时替换它（原文件先另存为带时间的备份）。")
@json_option
def rubric_import_cmd(workbook: Path, out_path: Path, replace: bool, as_json: bool) -> None:
    """从考核细则工作簿生成 rubric.json：逐条列出问题（工作表、行、列）；有错误时不写出。"""
    from ..rubric.workbook.files import import_rubric

    result = import_rubric(workbook, out_path, replace=replace)
    if as_json:
        echo_json({"ok": result.ok, "written": result.written, "backup": result.backup,
                   "problems": [p.to_dict() for p in result.problems]})  # fmt: skip
    else:
        echo_problems(result.problems)
        if result.backup:
            click.echo(f"原有的 {visible(str(out_path))} 已另存为 {visible(str(result.backup))}。")
        if result.written:
            click.echo(f"已写出考核细则：{visible(str(result.written))}")
        else:
            click.echo("未写出考核细则，请按上面的说明修改工作簿后重新导入。")
    sys.exit(0 if result.ok else 1)


@rubric.command("diff")
@click.argument("old", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="原考核细则")
@click.argument("new", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="新考核细则")
@json_option
def rubric_diff_cmd(old: Path, new: Path, as_json: bool) -> None:
    """比较两份考核细则（rubric.json 或工作簿 .xlsx）：新增、删除、修改了什么。"""
    from ..rubric.compare import compare, diff_rows
    from ..rubric.workbook.files import load_any_rubric

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
    from ..rubric import default_rubric_path
    from ..rubric.new_year import new_year

    out = out_path or Path(f"rubric-{year}.xlsx")
    result = new_year(default_rubric_path(rubric_path), year, out)
    echo_problems(result.problems, err=True)
    if result.written is None:
        sys.exit(1)
    click.echo(f"已生成 {year} 年度考核细则：{visible(str(result.written))}。请按新方案逐项核对：")
    for line in result.checklist:
        click.echo(f"  {line}")
    if out.suffix.lower() == ".xlsx":
        click.echo(f"修改完成后运行：qe rubric import {visible(str(out))} --out rubric.json")
