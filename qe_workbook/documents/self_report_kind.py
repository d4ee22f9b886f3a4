"""The units' 自评报告（模板） as a kind of templated document: its template (templates/自评报告模板.docx) and the
fields the program gives it (units/report_template.py)."""

from __future__ import annotations

from .templating import DocumentKind, Field

SELF_REPORT = DocumentKind(
    "自评报告模板",
    "发给各被考核单位填写的自评报告模板（材料包中的自评报告（模板））",
    (
        Field("unit_full_name", "被考核单位全称", "临颍县人民政府"),
        Field("year", "考核年度", 2022),
        Field("office", "市质强办的简称", "市质强办"),
        Field("deadline", "材料报送截止日期", "2023年3月20日"),
        Field("max_chars", "正文字数上限", 3000),
        Field("max_cases", "典型案例个数上限", 3),
        Field("max_cases_chinese", "典型案例个数上限（汉字）", "三"),
        Field(
            "sections",
            "报告的各部分（heading：一级标题；subheadings：其下的二级标题）",
            [{"heading": "一、2022年质量工作情况", "subheadings": ["（一）质量工作总体概况"]}],
            (Field("heading", "一级标题", "一、2022年质量工作情况"), Field("subheadings", "二级标题", [])),
        ),
        Field("cases", "各典型案例的序号（汉字）", ["一", "二", "三"]),
    ),
)
