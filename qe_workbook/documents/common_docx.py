"""共性问题/<部门>.docx: one document per evaluating department that has 共性问题, in the 公文 layout of
the letters: the plan's requirement, then each item with the units that lost points on it, the
points and the department's own remarks."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..amounts import canonical, fmt2
from ..feedback.common import MIN_UNITS, CommonProblem
from ..rubric import Rubric
from ..rubric.view import short_text
from .official_docx import DRAFT_STAGE, TABLE_SIZE, OfficialDocument, chinese_number
from .typeset import num

COMMON_DIR = "共性问题"
WIDTHS = [32, 22, 20, 82]  # mm, 156 mm of text width


def common_name(evaluator: str) -> str:
    return f"{evaluator}.docx"


def write_common_documents(
    folder: Path, rubric: Rubric, found: dict[str, list[CommonProblem]], units: int, issued: date,
    stage: str = DRAFT_STAGE,
) -> list[Path]:  # fmt: skip
    """One document per department with 共性问题 into `folder/共性问题/`; none when no department has any."""
    written = []
    for evaluator, problems in found.items():
        if problems:
            (folder / COMMON_DIR).mkdir(parents=True, exist_ok=True)
            path = folder / COMMON_DIR / common_name(evaluator)
            written.append(write_common_document(path, rubric, evaluator, problems, units, issued, stage))
    return written


def write_common_document(
    path: Path, rubric: Rubric, evaluator: str, problems: list[CommonProblem], units: int, issued: date,
    stage: str = DRAFT_STAGE,
) -> Path:  # fmt: skip
    full_name = next((e.full_name for e in rubric.evaluators if e.name == evaluator), evaluator)
    title = f"{rubric.city}{rubric.year}年度政府质量工作考核\n共性问题清单（{evaluator}）"
    doc = OfficialDocument(title, rubric.office, stage)
    doc.line(f"{full_name}：")
    share = canonical(rubric.follow_up.common_min_percent)
    doc.paragraph(
        f"根据《{rubric.title}》“各考核评价部门将要根据考核中发现的共性问题不足，列为年度重点工作，加强工作指导，"
        f"持续跟踪督导，推动整改提高”的要求，现将你单位评价的项目中，{num(units, '个')}被考核单位里有 "
        f"{share}% 以上（且不少于{num(MIN_UNITS, '个')}）单位失分的项目整理如下。"
    )
    for n, problem in enumerate(problems, start=1):
        item = problem.item
        doc.heading(f"{chinese_number(n)}、{item.id} {short_text(item)}")
        doc.paragraph(f"项目内容：{item.text}")
        doc.paragraph(f"共有{num(len(problem.losses), '个')}被考核单位失分，合计失分{num(problem.total_lost)}。")
        rows = [
            [loss.unit, loss.entered, fmt2(loss.lost), loss.remark or "（未填写评价说明）"] for loss in problem.losses
        ]
        rows.append(["合计", "", fmt2(problem.total_lost), ""])
        doc.table(["被考核单位", "所评", "失分", "评价说明"], rows, widths_mm=WIDTHS, size=TABLE_SIZE, left={3},
                  split_rows=True)  # fmt: skip
    doc.paragraph(
        "请将上述共性问题列为年度重点工作，加强对各被考核单位的工作指导，持续跟踪督导，推动整改提高，"
        f"并将跟踪督导情况及时告知{rubric.office}。"
    )
    doc.signature(rubric.office_full_name, issued)
    return doc.save(path)
