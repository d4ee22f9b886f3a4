"""The scoring language of a rubric in words, section by section, for `qe rubric show` and the rubric page:
the tree with its subtotals, the total (parts, start-from score, floor), how joint items combine, the unit
classes, the self-scored items and the plan's own texts."""

from __future__ import annotations

from dataclasses import dataclass

from ..amounts import canonical
from .model import Item, KeyPoint, Kind, Rubric

INDENT = "　"  # a full-width space per level of the tree


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {"title": self.title, "lines": list(self.lines)}


def rule_sections(rubric: Rubric) -> list[Section]:
    """The sections that apply to this rubric (a section with nothing to say is left out)."""
    sections = [
        Section("考核体系和分值", tuple(tree_lines(rubric))),
        Section("总分", tuple(total_lines(rubric))),
        Section("多个部门评价的项目", tuple(combine_lines(rubric))),
        Section("被考核单位类别", tuple(class_lines(rubric))),
        Section("县区自评的项目", tuple(self_score_lines(rubric))),
        Section("方案中的文字和数字", tuple(text_lines(rubric))),
    ]
    return [s for s in sections if s.lines]


def tree_lines(rubric: Rubric) -> list[str]:
    """Area → key point → sub-point, each with its points (the score items below added up) and item counts."""
    below: dict[str, list[Item]] = {}
    for item in rubric.items:
        for kp in rubric.key_point_chain(item.id):
            below.setdefault(kp.id, []).append(item)
    lines: list[str] = []

    def walk(kp: KeyPoint, depth: int) -> None:
        items = below.get(kp.id, [])
        own = [i for i in items if i.key_point == kp.id]
        counts = "，".join(f"{kind.label} {n} 项" for kind in Kind if (n := sum(1 for i in own if i.kind is kind)))
        scored = any(i.kind is Kind.SCORE for i in items)
        points = f"{canonical(rubric.subtotal(kp.id))} 分" + (f"（{counts}）" if counts else "") if scored else counts
        lines.append(f"{INDENT * depth}{kp.label}{kp.title}：{points}")
        for child in rubric.children(kp.id):
            walk(child, depth + 1)

    for area in rubric.areas:
        lines.append(f"{area.id}. {area.name}：{canonical(area.max)} 分")
        for kp in rubric.key_points:
            if kp.area == area.id and kp.parent is None:
                walk(kp, 1)
    return lines


def total_lines(rubric: Rubric) -> list[str]:
    if rubric.start_from is not None:
        lines = [f"起评分 {canonical(rubric.start_from)} 分：总分 = 起评分 − 扣分 + 加分"]
    elif rubric.parts:
        lines = [f"满分 {canonical(rubric.total)} 分，由以下部分加权组成（各部分得分 = 所含领域得分合计 × 权重 ÷ "
                 "所含领域满分合计，四舍五入到0.01分）："]  # fmt: skip
        names = {a.id: a.name for a in rubric.areas}
        lines += [f"{INDENT}{p.name}：{canonical(p.weight)} 分（{'、'.join(names[a] for a in p.areas)}）"
                  for p in rubric.parts]  # fmt: skip
    else:
        lines = [f"满分 {canonical(rubric.total)} 分：各领域得分合计 + 加分 − 扣分"]
    lines.append(f"总分最低为 {canonical(rubric.floor)} 分")
    if rubric.grading.bonus_cap is not None:
        lines.append(f"加分合计最多 {canonical(rubric.grading.bonus_cap)} 分")
    return lines


def combine_lines(rubric: Rubric) -> list[str]:
    """Each item several departments score, and how their scores make the item's."""
    return [
        f"{item.id}（{'、'.join(item.evaluators)}）：{item.combine.words()}"
        for item in rubric.items
        if item.is_joint and item.kind is not Kind.VETO
    ]


def class_lines(rubric: Rubric) -> list[str]:
    lines = []
    for cls in rubric.unit_classes:
        units = [u for u in rubric.units if u.unit_class == cls.id]
        own = [i.id for i in rubric.items if cls.id in i.classes]
        lines.append(
            f"{cls.name}：{'、'.join(u.name for u in units) or '无'}；"
            f"满分 {canonical(rubric.full_marks(units[0])) if units else '—'} 分；"
            f"仅本类别考核的项目：{'、'.join(own) or '无'}"
        )
    if rubric.unit_classes and rubric.grading.by_percent:
        lines.append("等级分数线按各单位满分的百分比计算")
    return lines


def self_score_lines(rubric: Rubric) -> list[str]:
    items = rubric.self_scored_items()
    if not items:
        return []
    claims = [i.id for i in items if i.kind is Kind.BONUS]
    line = f"{len(items)} 项：{'、'.join(i.id for i in items)}"
    return [line + (f"（其中加分项 {'、'.join(claims)} 由县区申报并附佐证材料，评价部门核定）" if claims else "")]


def text_lines(rubric: Rubric) -> list[str]:
    t = rubric.texts
    a = t.attachments
    return [
        f"考核程序：{t.procedure}",
        f"附件编号：考核细则 {a.rubric}，自评报告 {a.report}，联络员 {a.contacts}，评价部门 {a.evaluators}，"
        f"评价重点 {a.focus}，评价表 {a.form}",
        f"自评报告：不超过 {t.report_limits.chars} 字，典型案例不超过 {t.report_limits.cases} 个",
    ]
