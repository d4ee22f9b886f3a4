"""共性问题/<部门>.docx: one document per evaluating department that has 共性问题, from its Word template: the
plan's requirement, then each item with the units that lost points on it, the points and the department's own
remarks."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import docx

from ..amounts import canonical, fmt2
from ..choices import DRAFT_STAGE
from ..feedback.common import MIN_UNITS, CommonProblem
from ..rubric import Rubric
from ..rubric.view import item_phrase
from .office_fields import OFFICE_FIELDS, office_context
from .templating import DocumentKind, Field, render
from .typeset import chinese_number

COMMON_DIR = "共性问题"
LOSS_EXAMPLE = {"单位": "舞阳县", "所评": "3.60", "失分": "0.40", "评价说明": "部分印证材料不够充分。"}
ITEM_EXAMPLE = {
    "序号": "一",
    "编号": "05-3",
    "名称": "加强工业和信息化领域质量提升和品牌建设",
    "内容": "加强工业和信息化领域质量提升和品牌建设。（4分）",
    "失分单位数": "7",
    "合计失分": "5.00",
    "失分": [LOSS_EXAMPLE],
}
COMMON = DocumentKind(
    "共性问题",
    "给考核评价部门的共性问题清单（每个有共性问题的部门一份）",
    (
        *OFFICE_FIELDS,
        Field("部门", "考核评价部门简称", "市工信局"),
        Field("部门全称", "考核评价部门全称（主送）", "市工业和信息化局"),
        Field("被考核单位数", "被考核单位总数", "8"),
        Field("共性比例", "认定共性问题的失分单位比例（%）", "50"),
        Field("最少单位数", "认定共性问题的最少失分单位数", str(MIN_UNITS)),
        Field(
            "项目",
            "该部门评价的共性问题项目，按考核细则顺序",
            [ITEM_EXAMPLE],
            (
                Field("序号", "项目的中文序号（一、二……）", "一"),
                Field("编号", "项目编号", "05-3"),
                Field("名称", "项目名称（考核内容去掉分值，完整）", "加强工业和信息化领域质量提升和品牌建设"),
                Field("内容", "项目的考核内容（含分值）", "加强工业和信息化领域质量提升和品牌建设。（4分）"),
                Field("失分单位数", "失分的被考核单位数", "7"),
                Field("合计失分", "各单位失分之和", "5.00"),
                Field(
                    "失分",
                    "失分的各单位，按考核细则中的顺序",
                    [LOSS_EXAMPLE],
                    (
                        Field("单位", "被考核单位简称", "舞阳县"),
                        Field("所评", "部门所评的分值（扣分项为次数）", "3.60"),
                        Field("失分", "该单位在此项目的失分", "0.40"),
                        Field("评价说明", "部门的评价说明（可能为空）", "部分印证材料不够充分。"),
                    ),
                ),
            ),
        ),
    ),
)


def common_name(evaluator: str) -> str:
    return f"{evaluator}.docx"


def write_common_documents(
    folder: Path, rubric: Rubric, found: dict[str, list[CommonProblem]], units: int, issued: date,
    stage: str = DRAFT_STAGE, templates: Path | None = None,
) -> list[Path]:  # fmt: skip
    """One document per department with 共性问题 into `folder/共性问题/`; none when no department has any. All are
    filled before the first is written."""
    contexts = {
        e: common_context(rubric, e, problems, units, issued, stage) for e, problems in found.items() if problems
    }
    documents = {common_name(e): kept_together(render(COMMON, context, templates)) for e, context in contexts.items()}
    if documents:
        (folder / COMMON_DIR).mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in documents.items():
        path = folder / COMMON_DIR / name
        path.write_bytes(data)
        written.append(path)
    return written


def common_context(
    rubric: Rubric, evaluator: str, problems: list[CommonProblem], units: int, issued: date, stage: str
) -> dict[str, Any]:
    """What a department's 共性问题 template is given."""
    full_name = next((e.full_name for e in rubric.evaluators if e.name == evaluator), evaluator)
    return {
        **office_context(rubric, issued, stage),
        "部门": evaluator,
        "部门全称": full_name,
        "被考核单位数": str(units),
        "共性比例": canonical(rubric.follow_up.common_min_percent),
        "最少单位数": str(MIN_UNITS),
        "项目": [
            {
                "序号": chinese_number(n),
                "编号": p.item.id,
                "名称": item_phrase(p.item),
                "内容": p.item.text,
                "失分单位数": str(len(p.losses)),
                "合计失分": fmt2(p.total_lost),
                "失分": [
                    {"单位": loss.unit, "所评": loss.entered, "失分": fmt2(loss.lost), "评价说明": loss.remark}
                    for loss in p.losses
                ],
            }
            for n, p in enumerate(problems, start=1)
        ],
    }


def kept_together(data: bytes) -> bytes:
    """The document with each table's first two and last two rows under its header kept on one page, so that
    no page holds a lone row under a repeated header, or leaves one behind."""
    document = docx.Document(io.BytesIO(data))
    for table in document.tables:
        rows = table.rows[1:]  # below the header row
        for row in {rows[0], rows[-2]} if len(rows) >= 2 else set():
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
