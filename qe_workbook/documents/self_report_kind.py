"""The units' 自评报告（模板） as a kind of templated document: its template (templates/自评报告模板.docx) and the
fields the program gives it (units/report_template.py)."""

from __future__ import annotations

from .templating import DocumentKind, Field

SELF_REPORT = DocumentKind(
    "自评报告模板",
    "发给各被考核单位填写的自评报告模板（材料包中的自评报告（模板））",
    (
        Field("单位全称", "被考核单位全称", "临颍县人民政府"),
        Field("年度", "考核年度", 2022),
        Field("报送单位", "报送给谁（市质强办的简称）", "市质强办"),
        Field("报送截止日期", "材料报送截止日期", "2023年3月20日"),
        Field("正文字数上限", "正文字数上限（材料检查按此核对）", 3000),
        Field("案例个数上限", "典型案例个数上限（材料检查按此核对）", 3),
        Field("案例个数上限汉字", "典型案例个数上限，用汉字写", "三"),
        Field(
            "各部分",
            "报告的各部分：标题（一级标题）、小标题（其下的二级标题；材料检查按一级标题核对）",
            [{"标题": "一、2022年质量工作情况", "小标题": ["（一）质量工作总体概况"]}],
            (Field("标题", "一级标题", "一、2022年质量工作情况"), Field("小标题", "二级标题", [])),
        ),
        Field("案例序号", "各典型案例的序号（汉字）", ["一", "二", "三"]),
    ),
)
