"""自评报告（模板）.docx: the 附件2 structure for one unit, from the template 自评报告模板.docx (bundled, or the
office's own), in the 公文 layout of the other documents; no stage in its header: the unit fills it in.

Template hints are paragraphs in 【】; `self_report` leaves them out of the count and warns when one is left in.
Headings are plain paragraphs, so a unit's edits in Word, WPS or LibreOffice keep them as text the check can find.
The limits the hints state (the report's length, the number of cases) are the ones the check applies
(the rubric's `texts.report_limits`, which units/check.py applies).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..dates import chinese_date
from ..documents.self_report_kind import SELF_REPORT
from ..documents.templating import render
from ..documents.typeset import chinese_number
from ..rubric import Rubric, Unit


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


def report_context(rubric: Rubric, unit: Unit) -> dict[str, Any]:
    limits = rubric.texts.report_limits
    return {
        "单位全称": unit.full_name,
        "年度": rubric.year,
        "报送单位": rubric.office,
        "报送截止日期": chinese_date(rubric.materials_deadline),
        "正文字数上限": limits.chars,
        "案例个数上限": limits.cases,
        "案例个数上限汉字": chinese_number(limits.cases),
        "各部分": [{"标题": heading, "小标题": subs} for heading, subs in sections(rubric)],
        "案例序号": [chinese_number(n) for n in range(1, limits.cases + 1)],
    }


def write_report_template(rubric: Rubric, unit: Unit, path: Path, templates: Path | None = None) -> Path:
    """The unit's 自评报告（模板）.docx, from the office's template in `templates` when it has one."""
    path.write_bytes(render(SELF_REPORT, report_context(rubric, unit), templates))
    return path
