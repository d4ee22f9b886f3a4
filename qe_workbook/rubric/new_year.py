"""A rubric for the next year from this one, and the checklist of what the office must review.

Year, title, period and deadlines move; units, areas, key points, items (with their ids),
evaluators, grading and decisions are carried over unchanged for the office to review against
the new plan.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..amounts import canonical
from ..problems import Problem, problem
from .model import JOINT_RULE_LABELS, KIND_LABELS, Attachments, Kind, PlanTexts, ReportLimits
from .workbook.export import export_workbook
from .workbook.files import XLSX_SUFFIXES, read_rubric_file, rubric_json_text


def _moved(day: str, years: int) -> str:
    old = date.fromisoformat(day)
    try:
        return old.replace(year=old.year + years).isoformat()
    except ValueError:  # 29 February
        return old.replace(year=old.year + years, day=28).isoformat()


def next_year_data(data: dict[str, Any], year: int) -> dict[str, Any]:
    """The rubric data moved to `year`: the year in the titles, the period and the deadlines."""
    new = copy.deepcopy(data)
    years = year - data["year"]
    new["year"] = year
    for key in ("title", "rubric_title"):
        if key in new:
            new[key] = new[key].replace(str(data["year"]), str(year))
    for section in ("period", "deadlines"):
        new[section] = {k: _moved(v, years) for k, v in data[section].items()}
    new.pop("report_date", None)  # the new year's documents get their own date
    return new


def texts_line(data: dict[str, Any]) -> str:
    t = data.get("texts", {})
    procedure = t.get("procedure", PlanTexts.procedure)
    limits = ReportLimits(**t.get("report_limits", {}))
    return f"“{procedure}”，自评报告不超过 {limits.chars} 字、典型案例不超过 {limits.cases} 个"


def checklist(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What the office must review against the new plan, in Chinese, one line each."""
    kinds = Counter(i["kind"] for i in new["items"])
    kind_text = "、".join(f"{KIND_LABELS[k]} {kinds[k]} 项" for k in Kind if kinds[k])
    areas = "、".join(f"{a['name']} {canonical(a['max'])} 分" for a in new["areas"])
    total = new.get("total", sum(Decimal(str(a["max"])) for a in new["areas"]))
    used = {n for i in new["items"] for n in i["evaluators"]}
    no_contact = [e["name"] for e in new["evaluators"] if not (e["phone"] and e["email"])]
    idle = [e["name"] for e in new["evaluators"] if not {e["name"], *e.get("aliases", ())} & used]
    g = new["grading"]
    lines_ = "、".join(f"{t['grade']}≥{canonical(t['min'])}" for t in g["thresholds"])
    dated = [d["topic"] for d in new.get("decisions", []) if re.search(r"20\d\d", d["text"])]
    period, deadlines = new["period"], new["deadlines"]
    a = Attachments(**new.get("texts", {}).get("attachments", {}))  # the plan's own attachment labels
    lines = [
        f"方案名称：由“{old['title']}”改为“{new['title']}”，请与新方案的文件名称核对。",
        f"考核周期：{period['start']} 至 {period['end']}。",
        f"县区材料截止日期 {deadlines['materials']}、评价表回收截止日期 {deadlines['form_return']}："
        "按上年日期顺延一年，请按新方案修改。",
        f"被考核单位（{len(new['units'])} 个）：核对有无增减、更名，顺序与新方案{a.form}一致。",
        f"考核领域和分值（{areas}）：与新方案{a.rubric}核对，合计应为满分 {canonical(Decimal(total))} 分。",
        f"考核要点（{len(new['key_points'])} 个）和评价项目（{len(new['items'])} 项：{kind_text}）："
        "逐项核对具体内容、分值、类别、计分规则、每次扣分和评价部门；沿用的项目不要改编号；新增项目的编号可以空着；"
        "取消的项目删除整行。",
        f"重点考核（{a.focus}）：逐项核对每个项目的重点考核内容。",
        f"评价部门（{len(new['evaluators'])} 个，{a.evaluators}）：核对名称、电话和电子邮箱。",
        f"等级评定：分数线 {lines_}，否决等级 {g['veto']['grade']}，联合评价{JOINT_RULE_LABELS[g['joint']]}："
        "新方案有规定的按新方案修改。",
        f"方案中的文字和数字（考核程序、附件编号、自评报告字数和案例数，在“基本设置”中）：{texts_line(new)}，"
        "新方案不同的按新方案修改。",
        f"未明确事项的处理（{len(new.get('decisions', []))} 条）：已沿用上年，请逐条确认是否仍然适用。",
        "通报依据文件和抄送单位：核对是否有新的依据文件。",
    ]
    if no_contact:
        lines.insert(8, f"上年缺少联系方式的评价部门：{'、'.join(no_contact)}，请补充。")
    if idle:
        lines.insert(8, f"上年没有评价项目的评价部门：{'、'.join(idle)}，新方案中如仍没有可保留。")
    if dated:
        lines.append(f"以下未明确事项的说明中写有年份或日期，请改为新年度的：{'、'.join(dated)}。")
    return [f"{n}. {line}" for n, line in enumerate(lines, start=1)]


@dataclass
class NewYear:
    data: dict[str, Any] | None
    checklist: list[str]
    problems: list[Problem]
    written: Path | None = None


def new_year(source: Path, year: int, out: Path) -> NewYear:
    """Write next year's rubric (rubric.json, or the workbook when `out` ends in .xlsx) and its checklist."""
    read = read_rubric_file(source)
    errors = [p for p in read.problems if p.severity == "error"]
    if errors or read.data is None:
        return NewYear(None, [], errors)
    if out.exists():
        fix = "请用 --out 指定新的文件名，或先把原文件改名。"
        return NewYear(None, [], [problem("RUBRIC_OUTPUT_EXISTS", file=str(out), fix=fix, path=str(out))])
    data = next_year_data(read.data, year)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() in XLSX_SUFFIXES:
        export_workbook(data, out)
    else:
        out.write_text(rubric_json_text(data), encoding="utf-8")
    return NewYear(data, checklist(read.data, data), [], out)
