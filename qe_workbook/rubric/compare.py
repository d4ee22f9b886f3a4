"""The one comparison of two rubrics: what was added, removed or changed, as data and in Chinese.

`compare(old, new)` takes two `Rubric`s, or on either side a plain sequence of item records
(an `Item`, a mapping or any object with the attributes id, text, max, kind, evaluators, area,
key_point, per_event, group, notes, focus; all but id may be missing). With records only the
items are compared, and a field is compared only when both sides know it: the item rows read
back from an evaluation form (id, text, max) can so be compared with the current rubric to
explain a form generated from an older one.

Every difference is a `Change` with a stable `kind`, the key of what changed (item id, unit
name…), its facts in `params` and, for a changed record, the `fields` with old and new values;
`Change.sentence` says it in Chinese.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from ..amounts import canonical
from .model import JOINT_RULE_LABELS, KIND_LABELS, Item, Kind, Rubric


class ChangeKind(StrEnum):
    SETTING_CHANGED = "setting_changed"
    UNIT_ADDED = "unit_added"
    UNIT_REMOVED = "unit_removed"
    UNIT_CHANGED = "unit_changed"
    AREA_ADDED = "area_added"
    AREA_REMOVED = "area_removed"
    AREA_CHANGED = "area_changed"
    KEY_POINT_ADDED = "key_point_added"
    KEY_POINT_REMOVED = "key_point_removed"
    KEY_POINT_CHANGED = "key_point_changed"
    ITEM_ADDED = "item_added"
    ITEM_REMOVED = "item_removed"
    ITEM_CHANGED = "item_changed"
    EVALUATOR_ADDED = "evaluator_added"
    EVALUATOR_REMOVED = "evaluator_removed"
    EVALUATOR_CHANGED = "evaluator_changed"
    GRADING_CHANGED = "grading_changed"
    DECISION_ADDED = "decision_added"
    DECISION_REMOVED = "decision_removed"
    DECISION_CHANGED = "decision_changed"


# What each kind of record is called, and its fields, in Chinese.
_SUBJECT = {
    "setting": "考核设置",
    "unit": "被考核单位",
    "area": "考核领域",
    "key_point": "考核要点",
    "item": "项目",
    "evaluator": "评价部门",
    "grading": "等级评定",
    "decision": "未明确事项的处理",
}

FIELD_LABELS: dict[str, str] = {
    # settings
    "year": "考核年度",
    "title": "方案名称",
    "rubric_title": "考核要点标题",
    "city": "城市",
    "office": "牵头单位简称",
    "office_full_name": "牵头单位全称",
    "basis": "通报依据文件",
    "copy_to": "通报抄送单位",
    "period_start": "考核周期开始日期",
    "period_end": "考核周期结束日期",
    "materials_deadline": "县区材料截止日期",
    "return_deadline": "评价表回收截止日期",
    # records
    "name": "名称",
    "full_name": "全称",
    "label": "序号",
    "area": "考核领域",
    "key_point": "考核要点",
    "group": "小标题",
    "kind": "类别",
    "max": "分值",
    "per_event": "每次扣分",
    "text": "具体内容",
    "evaluators": "评价部门",
    "notes": "备注",
    "focus": "重点考核",
    "phone": "联系电话",
    "email": "电子邮箱",
    "bureau": "所属单位",
    "aliases": "别名",
    # grading
    "thresholds": "等级分数线",
    "lowest_grade": "最低等级",
    "veto_grade": "否决等级",
    "veto_ranks_last": "否决单位排在最后",
    "joint": "联合评价规则",
    "limits": "等级数量上限",
    "bonus_cap": "加分上限",
    "by_percent": "分数线按满分的百分比",
    # the scoring language
    "rule": "计分规则",
    "combine": "合成方式",
    "classes": "适用单位类别",
    "self_score": "县区自评",
    "parent": "上级要点",
    "unit_class": "类别",
    "total": "满分",
    "parts": "考核部分",
    "start_from": "起评分",
    "floor": "总分最低分",
    "unit_classes": "单位类别",
    "procedure": "考核程序",
    "attachments": "附件编号",
    "report_limits": "自评报告的限制",
}


@dataclass(frozen=True)
class Worded:
    """A value compared as itself and shown in its words (a rule: 按档次评分：好2分；…)."""

    value: Any
    words: str = field(compare=False)


_POINT_FIELDS = {"max", "per_event"}


def shown(name: str, value: Any) -> str:
    """A field's value as it reads in a Chinese sentence."""
    if value is None or value == "" or value == ():
        return "（空）"
    if isinstance(value, Worded):
        return f"“{value.words}”"
    if isinstance(value, tuple) and value and isinstance(value[0], Worded):
        return "、".join(v.words for v in value)
    if name in _POINT_FIELDS:
        return f"{canonical(value)} 分" if isinstance(value, Decimal) else str(value)
    if name == "kind":
        kind = next((k for k in Kind if k.value == value), None)
        return KIND_LABELS.get(kind, str(value)) if kind else str(value)
    if name == "joint":
        return JOINT_RULE_LABELS.get(value, str(value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return canonical(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list | frozenset):
        return "、".join(str(v) for v in value)
    if name in ("text", "focus", "notes", "title", "rubric_title"):
        return f"“{value}”"
    return str(value)


def _plain(value: Any) -> Any:
    if isinstance(value, Worded):
        return value.words
    if isinstance(value, Decimal):
        return canonical(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list | frozenset):
        return [_plain(v) for v in value]
    return value


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any

    @property
    def sentence(self) -> str:
        label = FIELD_LABELS.get(self.field, self.field)
        return f"{label}由 {shown(self.field, self.old)} 改为 {shown(self.field, self.new)}"

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "label": FIELD_LABELS.get(self.field, self.field),
                "old": _plain(self.old), "new": _plain(self.new)}  # fmt: skip


@dataclass(frozen=True)
class Change:
    """One difference. `subject` is what kind of record (item, unit…), `key` which one."""

    kind: ChangeKind
    subject: str
    key: str
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)
    fields: tuple[FieldChange, ...] = ()

    @property
    def sentence(self) -> str:
        what = f"{_SUBJECT[self.subject]}“{self.key}”" if self.subject != "setting" else ""
        desc = self.params.get("description", "")
        desc = f"（{desc}）" if desc else ""
        if self.kind.endswith("_added"):
            return f"新增{what}{desc}"
        if self.kind.endswith("_removed"):
            return f"删除{what}{desc}"
        changes = "；".join(f.sentence for f in self.fields)
        return (
            f"{what}{changes}" if self.subject not in ("setting", "grading") else f"{_SUBJECT[self.subject]}：{changes}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": str(self.kind),
            "subject": self.subject,
            "key": self.key,
            "params": {k: _plain(v) for k, v in self.params.items()},
            "fields": [f.to_dict() for f in self.fields],
            "sentence": self.sentence,
        }


@dataclass(frozen=True)
class RubricDiff:
    changes: tuple[Change, ...]

    def __bool__(self) -> bool:
        return bool(self.changes)

    def of_kind(self, *kinds: ChangeKind) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.kind in kinds)

    def for_item(self, item_id: str) -> Change | None:
        """The change to one item, if any (what intake shows beside an outdated form row)."""
        return next((c for c in self.changes if c.subject == "item" and c.key == item_id), None)

    def keys(self, kind: ChangeKind) -> list[str]:
        return [c.key for c in self.of_kind(kind)]

    def sentences(self) -> list[str]:
        return [c.sentence for c in self.changes]

    def summary(self) -> str:
        """One Chinese line: 项目新增 1 项、删除 1 项、修改 3 项；被考核单位新增 1 个…"""
        parts = []
        for subject, label in _SUBJECT.items():
            counts = [
                f"{verb} {n} 项"
                for verb, suffix in (("新增", "_added"), ("删除", "_removed"), ("修改", "_changed"))
                if (n := sum(1 for c in self.changes if c.subject == subject and c.kind.endswith(suffix)))
            ]
            if counts:
                parts.append(label + "、".join(counts))
        return "；".join(parts) + "。" if parts else "两份考核细则内容相同。"

    def to_dict(self) -> dict[str, Any]:
        return {"same": not self.changes, "summary": self.summary(), "changes": [c.to_dict() for c in self.changes]}


# ---------------------------------------------------------------- item records


@dataclass(frozen=True)
class ItemRecord:
    """An item as far as it is known; None means 'not known here' and is never compared."""

    id: str
    text: str | None = None
    max: Decimal | None = None
    kind: str | None = None
    evaluators: tuple[str, ...] | None = None
    area: str | None = None
    key_point: str | None = None
    per_event: Decimal | None = None
    group: str | None = None
    notes: str | None = None
    focus: str | None = None
    rule: Worded | None = None
    combine: Worded | None = None
    classes: tuple[str, ...] | None = None
    self_score: bool | None = None


ITEM_FIELDS = tuple(f.name for f in fields(ItemRecord) if f.name != "id")
_KIND_BY_LABEL = {label: str(kind) for kind, label in KIND_LABELS.items()}


def _points(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, float):
        value = repr(value)
    try:
        dec = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return dec if dec.is_finite() else None


def item_record(source: Item | ItemRecord | Mapping[str, Any] | Any) -> ItemRecord:
    """An `ItemRecord` from an `Item`, a mapping or an object with the same attribute names."""
    if isinstance(source, ItemRecord):
        return source
    if isinstance(source, Item):
        return ItemRecord(
            id=source.id,
            text=source.text,
            max=source.max,
            kind=str(source.kind),
            evaluators=source.evaluators,
            area=source.area,
            key_point=source.key_point,
            per_event=source.per_event,
            group=source.group or "",
            notes=source.notes,
            focus=source.focus,
            rule=Worded(source.rule, source.words()),
            combine=Worded(source.combine, source.combine.words()) if source.is_joint else None,  # one department: moot
            classes=source.classes,
            self_score=source.self_score,
        )
    get: Callable[[str], Any] = (
        source.get if isinstance(source, Mapping) else (lambda name: getattr(source, name, None))
    )
    kind = get("kind")
    kind = None if kind is None else _KIND_BY_LABEL.get(str(kind), str(kind))
    evaluators = get("evaluators")
    if isinstance(evaluators, str):
        evaluators = tuple(e.strip() for e in evaluators.split("、") if e.strip())

    def text(name: str) -> str | None:
        value = get(name)
        return None if value is None else str(value)

    return ItemRecord(
        id=str(get("id")),
        max=_points(get("max")),
        kind=kind,
        evaluators=None if evaluators is None else tuple(str(e) for e in evaluators),
        per_event=_points(get("per_event")),
        text=text("text"), area=text("area"), key_point=text("key_point"), group=text("group"), notes=text("notes"),
        focus=text("focus"),
    )  # fmt: skip


def _item_description(rec: ItemRecord) -> str:
    parts = [shown("kind", rec.kind) if rec.kind else ""]
    if rec.max is not None:
        parts.append(shown("max", rec.max))
    if rec.evaluators:
        parts.append(shown("evaluators", rec.evaluators))
    head = "，".join(p for p in parts if p)
    text = rec.text or ""
    return f"{head}：{text}" if head and text else head or text


def _same(name: str, old: Any, new: Any) -> bool:
    if name == "evaluators":
        return set(old) == set(new)
    if name == "group":
        return (old or "") == (new or "")
    return bool(old == new)


def compare_items(old: Iterable[Any], new: Iterable[Any], resolve: Callable[[str], str] | None = None) -> list[Change]:
    """Items matched by id: added, removed, and changed (the fields known on both sides)."""
    olds = {r.id: r for r in map(item_record, old)}
    news = {r.id: r for r in map(item_record, new)}
    if resolve is not None:
        olds = {k: _resolved(r, resolve) for k, r in olds.items()}
        news = {k: _resolved(r, resolve) for k, r in news.items()}
    changes: list[Change] = []
    for item_id, rec in olds.items():
        if item_id not in news:
            changes.append(_record_change(ChangeKind.ITEM_REMOVED, "item", rec))
    for item_id, rec in news.items():
        before = olds.get(item_id)
        if before is None:
            changes.append(_record_change(ChangeKind.ITEM_ADDED, "item", rec))
            continue
        diffs = tuple(
            FieldChange(name, getattr(before, name), getattr(rec, name))
            for name in ITEM_FIELDS
            if getattr(before, name) is not None
            and getattr(rec, name) is not None
            and not _same(name, getattr(before, name), getattr(rec, name))
        )
        if diffs:
            changes.append(Change(ChangeKind.ITEM_CHANGED, "item", item_id, {"text": rec.text or before.text}, diffs))
    return changes


def _resolved(rec: ItemRecord, resolve: Callable[[str], str]) -> ItemRecord:
    if rec.evaluators is None:
        return rec
    return replace(rec, evaluators=tuple(resolve(e) for e in rec.evaluators))


def _record_change(kind: ChangeKind, subject: str, rec: ItemRecord) -> Change:
    params = {k: getattr(rec, k) for k in ITEM_FIELDS if getattr(rec, k) is not None}
    return Change(kind, subject, rec.id, {**params, "description": _item_description(rec)})


# ---------------------------------------------------------------- whole rubrics


def _records(
    old: Sequence[Any], new: Sequence[Any], subject: str, key: Callable[[Any], str],
    names: Sequence[str], describe: Callable[[Any], str],
) -> list[Change]:  # fmt: skip
    """Added, removed and changed records of one list, matched by `key`."""
    kinds = {s: ChangeKind(f"{subject}_{s}") for s in ("added", "removed", "changed")}
    olds = {key(r): r for r in old}
    news = {key(r): r for r in new}
    changes = [
        Change(kinds["removed"], subject, k, {"description": describe(r)}) for k, r in olds.items() if k not in news
    ]
    for k, rec in news.items():
        if k not in olds:
            changes.append(Change(kinds["added"], subject, k, {"description": describe(rec)}))
            continue
        diffs = tuple(
            FieldChange(n, getattr(olds[k], n), getattr(rec, n))
            for n in names
            if getattr(olds[k], n) != getattr(rec, n)
        )
        if diffs:
            changes.append(Change(kinds["changed"], subject, k, {}, diffs))
    return changes


_SETTINGS = ("year", "title", "rubric_title", "city", "office", "office_full_name", "basis", "copy_to",
             "period_start", "period_end", "materials_deadline", "return_deadline", "total", "start_from",
             "floor")  # fmt: skip


def _setting_values(rubric: Rubric) -> dict[str, Any]:
    """The settings compared, the scoring language's in words (a part: 平时考核 60 分（1、2）)."""
    texts, a, limits = rubric.texts, rubric.texts.attachments, rubric.texts.report_limits
    attachments = (f"考核细则{a.rubric}，自评报告{a.report}，联络员{a.contacts}，评价部门{a.evaluators}，"
                   f"评价重点{a.focus}，评价表{a.form}")  # fmt: skip
    return {
        **{n: getattr(rubric, n) for n in _SETTINGS},
        "parts": tuple(f"{p.name} {canonical(p.weight)} 分（{'、'.join(p.areas)}）" for p in rubric.parts),
        "unit_classes": tuple(f"{c.name}（{c.id}）" for c in rubric.unit_classes),
        "procedure": texts.procedure,
        "attachments": attachments,
        "report_limits": f"不超过 {limits.chars} 字，典型案例不超过 {limits.cases} 个",
    }


def _grading_values(rubric: Rubric) -> dict[str, Any]:
    g = rubric.grading
    return {
        "thresholds": tuple(f"{t.grade}≥{canonical(t.min)}" for t in g.thresholds),
        "lowest_grade": g.lowest_grade,
        "veto_grade": g.veto_grade,
        "veto_ranks_last": g.veto_ranks_last,
        "joint": g.joint,
        "limits": tuple(x.text() for x in g.limits),
        "bonus_cap": g.bonus_cap,
        "by_percent": g.by_percent,
    }


@dataclass(frozen=True)
class _Decision:
    topic: str
    text: str


def compare_rubrics(old: Rubric, new: Rubric) -> list[Change]:
    s_old, s_new = _setting_values(old), _setting_values(new)
    settings = tuple(FieldChange(n, s_old[n], s_new[n]) for n in s_old if s_old[n] != s_new[n])
    changes = [Change(ChangeKind.SETTING_CHANGED, "setting", "settings", {}, settings)] if settings else []
    changes += _records(
        old.units, new.units, "unit", lambda u: u.name, ("full_name", "unit_class"), lambda u: u.full_name
    )
    changes += _records(
        old.areas, new.areas, "area", lambda a: a.id, ("name", "max"), lambda a: f"{a.name}，{canonical(a.max)} 分"
    )
    changes += _records(
        old.key_points, new.key_points, "key_point", lambda k: k.id, ("label", "title", "area", "parent", "max"),
        lambda k: f"{k.label}{k.title}",
    )  # fmt: skip
    changes += compare_items(old.items, new.items)
    changes += _records(
        old.evaluators, new.evaluators, "evaluator", lambda e: e.name,
        ("full_name", "bureau", "phone", "email", "aliases"),
        lambda e: "，".join(x for x in (e.bureau or "", e.phone, e.email) if x),
    )  # fmt: skip
    g_old, g_new = _grading_values(old), _grading_values(new)
    grading = tuple(FieldChange(n, g_old[n], g_new[n]) for n in g_old if g_old[n] != g_new[n])
    if grading:
        changes.append(Change(ChangeKind.GRADING_CHANGED, "grading", "grading", {}, grading))
    changes += _records(
        [_Decision(*d) for d in old.decisions], [_Decision(*d) for d in new.decisions], "decision",
        lambda d: d.topic, ("text",), lambda d: "",
    )  # fmt: skip
    return changes


def compare(old: Rubric | Iterable[Any], new: Rubric | Iterable[Any]) -> RubricDiff:
    """What changed from `old` to `new` (rubrics, or sequences of item records on either side)."""
    if isinstance(old, Rubric) and isinstance(new, Rubric):
        return RubricDiff(tuple(compare_rubrics(old, new)))
    rubric = new if isinstance(new, Rubric) else old if isinstance(old, Rubric) else None
    resolve = None
    if rubric is not None:

        def resolve(name: str) -> str:
            found = rubric.evaluator(name)
            return found.name if found else name

    old_items = old.items if isinstance(old, Rubric) else old
    new_items = new.items if isinstance(new, Rubric) else new
    return RubricDiff(tuple(compare_items(old_items, new_items, resolve)))


_VERBS = {"added": "新增", "removed": "删除", "changed": "修改"}


def diff_rows(diff: RubricDiff) -> list[list[str]]:
    """The diff as a table for people: 变化 | 对象 | 编号或名称 | 内容 (one row per changed field)."""
    rows = []
    for c in diff.changes:
        verb = _VERBS[c.kind.rsplit("_", 1)[1]]
        key = "" if c.subject in ("setting", "grading") else c.key
        if c.fields:
            rows += [[verb, _SUBJECT[c.subject], key, f.sentence] for f in c.fields]
        else:
            rows.append([verb, _SUBJECT[c.subject], key, str(c.params.get("description", ""))])
    return rows
