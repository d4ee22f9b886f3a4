"""How a collection run is shown on screen and as `--json` (imported only by the commands that run one)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import click

from ..console import echo_problems, format_problem, format_table
from ..intake.standing import department_standings, standings_line
from ..intake.submission import Status
from ..outputs.export import results_dict, summary_header, summary_rows
from ..pipeline import RunReport
from ..rubric import Rubric
from ..scoring.diagnosis import DIAGNOSES, KEY_WRONG
from ..visible import visible


def ranking_table(report: RunReport, rubric: Rubric) -> str:
    rows = [
        [f"{v:.2f}" if isinstance(v, Decimal) else str(v) for v in row] for row in summary_rows(report.results, rubric)
    ]
    return format_table(summary_header(rubric), rows)


def run_json(report: RunReport, rubric: Rubric) -> dict[str, Any]:
    """The same report the library returns, as JSON: results, problems and where the outputs are."""
    return {
        "clean": report.clean,
        "folder": str(report.folder),
        "outputs": [str(p.relative_to(report.folder)) for p in report.outputs.files],
        "results": results_dict(report.results, rubric),
        "problems": [p.to_dict() for p in report.problems],
    }


def echo_run(report: RunReport, rubric: Rubric) -> None:
    echo_problems(report.problems)
    click.echo()
    click.echo(ranking_table(report, rubric))
    click.echo()
    subs = report.collected.submissions
    accepted = sum(1 for s in subs if s.status is Status.ACCEPTED)
    click.echo(f"共读取 {len(subs)} 个文件，采用 {accepted} 份；应收评价表 {len(rubric.form_evaluators())} 份。")
    doubted = any(p.code == KEY_WRONG for p in report.problems)
    line = standings_line(department_standings([ev.name for ev in rubric.form_evaluators()], subs, key_doubted=doubted))
    if line:
        click.echo(line)
    click.echo(f"结果已写入：{visible(str(report.folder))}")
    for path in report.outputs.listing():
        click.echo(f"  {visible(str(path))}")
    if not report.clean:
        click.echo("有错误、缺少的评价表或暂定的等级，请按上面的问题清单处理后重新汇总。")
    diagnosis = [p for p in report.problems if p.code in DIAGNOSES]
    if diagnosis:  # said first among the problems, and again here where the screen ends
        click.echo()
        click.echo("\n".join(format_problem(p) for p in diagnosis))
