"""自评报告（模板）.docx: the 附件2 structure for one unit, in the 公文 layout of the other documents.

Template hints are paragraphs in 【】; `self_report` leaves them out of the count and warns
when one is left in. Headings are plain paragraphs, so a unit's edits in Word, WPS or
LibreOffice keep them as text the check can find.
"""

from __future__ import annotations

from pathlib import Path

from ..dates import chinese_date
from ..documents.official_docx import OfficialDocument, chinese_number
from ..rubric import Rubric, Unit
from .materials import MAX_CASES, REPORT_MAX_CHARS, report_title

HINT_COLOR = "808080"
CASES_HEADING = "附件：质量安全和质量发展工作典型案例（不超过{n}个）"


def sections(rubric: Rubric) -> list[tuple[str, list[str]]]:
    """附件2's headings: (first-level heading, its second-level headings)."""
    return [
        (
            f"一、{rubric.year}年质量工作情况",
            [
                "（一）质量工作总体概况",
                "（二）党中央、国务院、省委、省政府和市委、市政府关于质量工作部署落实情况",
            ],
        ),
        ("二、工作亮点", []),
        ("三、工作存在的问题", []),
        ("四、下一步工作措施", []),
    ]


def rules_text(rubric: Rubric) -> list[str]:
    deadline = rubric.materials_deadline
    office = rubric.office
    return [
        f"【填写说明：本报告正文不超过{REPORT_MAX_CHARS}字（不含附件典型案例），按 Word/WPS 显示的“字数”计算；"
        f"请保留“一、”至“四、”四个部分的标题；典型案例作为附件放在正文之后，不超过{MAX_CASES}个，"
        "每个案例以“案例一：”“案例二：”……开头。】",
        f"【报送要求：{chinese_date(deadline)}前将电子版（.docx 格式，请勿转为 PDF 或图片）"
        f"报送{office}，纸质版一式两份，加盖本单位或本单位办公室公章；逾期或不符合要求的不予采用。"
        "提交前请删除全部【】中的提示文字。】",
    ]


def write_report_template(rubric: Rubric, unit: Unit, path: Path) -> Path:
    doc = OfficialDocument(report_title(rubric, unit), rubric.office)
    for text in rules_text(rubric):
        hint(doc, text)
    for heading, subheadings in sections(rubric):
        doc.heading(heading)
        if not subheadings:
            hint(doc, "【请在此填写。】")
        for sub in subheadings:
            doc.subheading(sub)
            hint(doc, "【请在此填写。】")
    doc.line("")
    for text in (f"{unit.full_name}（盖章）", "年    月    日"):
        doc.right_line(text)
    doc.page_break()
    doc.heading(CASES_HEADING.format(n=chinese_number(MAX_CASES)))
    for n in range(1, MAX_CASES + 1):
        doc.subheading(f"案例{chinese_number(n)}：【案例标题】")
        hint(doc, "【请简要写明背景、做法和成效；不需要的案例请连同标题一并删除。】")
    return doc.save(path)


def hint(doc: OfficialDocument, text: str) -> None:
    """A grey 楷体 hint paragraph, for the unit to replace."""
    doc.hint(text, HINT_COLOR)
