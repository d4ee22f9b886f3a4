"""The doctor's report for people: one table row per check, then each piece to fix with how to fix it."""

from __future__ import annotations

from ..console import format_table
from ..problems import CATALOGUE, Problem, Severity
from ..visible import visible
from .checks import DoctorReport, Outcome

HEADER = ("检查项目", "对象", "结果", "情况")


def doctor_rows(report: DoctorReport) -> list[tuple[str, str, str, str]]:
    return [(c.topic, c.subject, c.outcome.label, c.found) for c in report.checks]


def _detail_and_fix(p: Problem) -> tuple[str, str]:
    """A problem's message split into what is wrong and what to do (the catalogue's fix)."""
    fix = CATALOGUE[p.code].fix
    if fix and p.message.endswith(fix):
        return p.message[: -len(fix)].rstrip("。"), fix
    return p.message, ""


def doctor_text(report: DoctorReport) -> str:
    lines = [f"工作文件夹：{visible(str(report.workspace))}", "", format_table(HEADER, doctor_rows(report))]
    numbered = [(c, p) for c in report.checks for p in c.problems]
    if numbered:
        lines += ["", "需要处理或留意的事项："]
    for n, (check, p) in enumerate(numbered, start=1):
        detail, fix = _detail_and_fix(p)
        tag = "需处理" if p.severity is Severity.ERROR else "提醒"
        lines.append(f"{n}. 【{tag}】{check.topic} {visible(str(check.subject))}：{detail}。")
        if fix:
            lines.append(f"   处理办法：{fix}")
    errors = sum(1 for c in report.checks if c.outcome is Outcome.ERROR)
    warnings = sum(1 for c in report.checks if c.outcome is Outcome.WARNING)
    lines.append("")
    if report.ready:
        lines.append(f"本机可以使用本工具（另有 {warnings} 项提醒）。" if warnings else "本机可以使用本工具。")
    else:
        lines.append(f"有 {errors} 项需处理（另有 {warnings} 项提醒）；处理后请重新运行 qe doctor。")
    return "\n".join(lines)
