"""What each assessed unit sends, and where (方案四): names shared by the generator and the checks."""

from __future__ import annotations

from enum import StrEnum

from ..rubric import Item, Kind, Rubric, Unit

REPORT_TEMPLATE_FILE = "自评报告（模板）.docx"
CONTACTS_FILE = "联系人员名单.xlsx"
SELF_SCORE_FILE = "自评打分表.xlsx"
GUIDE_FILE = "印证材料报送指引.xlsx"
EVIDENCE_DIR = "印证材料"
INDEX_FILE = "目录.xlsx"
NO_MATERIALS = "不需提供材料"


class Material(StrEnum):
    """The materials a unit sends the office (印证材料 go to the evaluating departments instead)."""

    REPORT = "自评报告"
    CONTACTS = "联系人员名单"
    SELF_SCORE = "自评打分表"  # only when the rubric asks for self-scoring


def unit_materials(rubric: Rubric) -> tuple[Material, ...]:
    """What each unit sends the office under this rubric."""
    return tuple(m for m in Material if m is not Material.SELF_SCORE or rubric.self_scoring)


def needs_materials(item: Item) -> bool:
    """Whether a unit must send evidence for the item.

    附件1's 备注 says so for items scored from monitoring data (不需提供材料). Deduction and veto
    items are scored from events the evaluating department knows of, so no evidence is asked for.
    """
    return NO_MATERIALS not in item.notes and item.kind in (Kind.SCORE, Kind.BONUS)


def unit_names(unit: Unit) -> tuple[str, ...]:
    """The names a unit is recognised by in file names and titles, longest first."""
    return tuple(sorted({unit.full_name, unit.name}, key=len, reverse=True))


def find_unit(rubric: Rubric, text: str) -> Unit | None:
    """The unit named in a text (a title, a path); the longest matching name wins (西城区 vs 城区)."""
    best: tuple[int, Unit] | None = None
    for unit in rubric.units:
        for name in unit_names(unit):
            if name in text and (best is None or len(name) > best[0]):
                best = (len(name), unit)
    return best[1] if best else None


def report_title(rubric: Rubric, unit: Unit) -> str:
    return f"{unit.full_name}{rubric.year}年度质量工作考核自评报告"


def contacts_title(unit: Unit) -> str:
    return f"{unit.full_name}质量工作考核联系人员名单"
