"""The fonts the documents name, with the commonly installed substitute of each (light: no imports).

The Word documents (their templates, templates/*.docx) name the 公文 fonts and list FALLBACKS in their font table; the
workbooks name 宋体 and 黑体. `qe doctor` looks for every font here (under any of its names) and its fallback.
"""

from __future__ import annotations

from dataclasses import dataclass

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
FALLBACKS = {TITLE_FONT: HEADING_FONT, BODY_FONT: "仿宋", SUBHEADING_FONT: "楷体"}


@dataclass(frozen=True)
class DocumentFont:
    """A font a document names: what it is used for, the other names a font file may give it."""

    name: str
    use: str
    aliases: tuple[str, ...] = ()

    @property
    def fallback(self) -> str | None:
        return FALLBACKS.get(self.name)


# The English names are the ones the font files carry next to the Chinese ones (SimHei = 黑体 …).
OTHER_NAMES: dict[str, tuple[str, ...]] = {
    TITLE_FONT: ("FZXiaoBiaoSong-B05S", "FZXiaoBiaoSong-B05", "方正小标宋_GBK"),
    BODY_FONT: ("FangSong_GB2312",),
    SUBHEADING_FONT: ("KaiTi_GB2312",),
    HEADING_FONT: ("SimHei",),
    PAGE_NUMBER_FONT: ("SimSun",),
    "仿宋": ("FangSong",),
    "楷体": ("KaiTi",),
    LATIN_FONT: ("Liberation Serif", "Tinos"),  # metric twins: the same line breaks
}

DOCUMENT_FONTS = (
    DocumentFont(TITLE_FONT, "公文标题", OTHER_NAMES[TITLE_FONT]),
    DocumentFont(BODY_FONT, "公文正文", OTHER_NAMES[BODY_FONT]),
    DocumentFont(HEADING_FONT, "一级标题、表头、工作簿标题", OTHER_NAMES[HEADING_FONT]),
    DocumentFont(SUBHEADING_FONT, "二级标题", OTHER_NAMES[SUBHEADING_FONT]),
    DocumentFont(PAGE_NUMBER_FONT, "页码、工作簿正文", OTHER_NAMES[PAGE_NUMBER_FONT]),
    DocumentFont(LATIN_FONT, "数字和字母", OTHER_NAMES[LATIN_FONT]),
)


def names_of(font: str) -> tuple[str, ...]:
    """Every name a font file may carry for `font` (its own name first)."""
    return (font, *OTHER_NAMES.get(font, ()))
