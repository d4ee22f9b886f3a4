"""Checks on the scoring language of rubric.json: rules, combinations, the key point tree, totals and parts,
unit classes, veto effects and quotas. A construct the model cannot express is refused, never approximated.

Every finding is a `Problem` whose `cell` is the JSON path of the value at fault.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from ..amounts import canonical, decimal_places
from ..problems import Problem, problem
from .model import grade_label
from .rules import COMBINE_LABELS, KIND_RULES, RULE_LABELS, CombineKind

KIND_NAMES = {"score": "评分项", "deduction": "扣分项", "bonus": "加分项", "veto": "否决项"}
# Each rule type's fields: (required, optional).
RULE_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "points": ((), ()),
    "tiers": (("tiers",), ()),
    "linear": (("figure", "full_at", "minus"), ("per", "floor", "steps")),
    "table": (("figure", "rows"), ()),
    "checklist": (("aspects", "minus"), ("floor",)),
    "base": (("base",), ()),
    "rank": (("figure", "points"), ("rest", "ties")),
    "per_event": (("per_event",), ("cap",)),
    "ranged": (("min", "max"), ()),
    "veto": ((), ("effect",)),
}
FIELD_NAMES = {
    "tiers": "档次", "figure": "指标", "full_at": "满分线", "minus": "扣分", "per": "每多少单位", "floor": "最低分",
    "steps": "不足一档的算法", "rows": "分段", "aspects": "核查方面", "base": "基础分", "points": "各名次分值",
    "rest": "其余名次分值", "ties": "并列算法", "per_event": "每次分值", "cap": "上限", "min": "最少扣分",
    "max": "最多扣分", "effect": "否决后果",
}  # fmt: skip


def _d(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


class _Item:
    """One item's context for its findings (path, id, construct name)."""

    def __init__(self, raw: dict[str, Any], n: int, src: str) -> None:
        self.raw, self.src = raw, src
        self.path = f"$.items[{n}]"
        self.id = raw["id"]
        self.max = _d(raw["max"])
        rule = raw.get("rule")
        self.construct = RULE_LABELS.get(rule["type"], rule["type"]) if rule else ""

    def rule_problem(self, where: str, reason: str, code: str = "RUBRIC_RULE") -> Problem:
        return problem(code, file=self.src, cell=f"{self.path}.rule{where}", item=self.id,
                       construct=self.construct, reason=reason)  # fmt: skip


def rule_language_problems(data: dict[str, Any], src: str) -> Iterator[Problem]:
    """All findings on the constructs beyond the 2022 rubric's (none for a rubric without them)."""
    grades = [t["grade"] for t in data["grading"]["thresholds"]] + [data["grading"]["lowest_grade"]]
    area_ids = {a["id"] for a in data["areas"]}
    evaluators = {n: e["name"] for e in data["evaluators"] for n in (e["name"], *e.get("aliases", ()))}
    classes = [c["id"] for c in data.get("unit_classes", ())]
    for n, raw in enumerate(data["items"]):
        item = _Item(raw, n, src)
        if "rule" in raw:
            yield from _rule_problems(item, raw["rule"], raw["kind"], grades, area_ids)
        if "combine" in raw:
            yield from _combine_problems(item, raw["combine"], evaluators)
        for k, cls in enumerate(raw.get("classes", ())):
            if cls not in classes:
                yield problem("RUBRIC_UNKNOWN_REF", file=src, cell=f"{item.path}.classes[{k}]", what="单位类别",
                              ref=cls, section="unit_classes")  # fmt: skip
    yield from _class_problems(data, classes, src)
    yield from duplicate_problems([c for c in classes], "$.unit_classes", "单位类别编号", src)
    yield from _tree_problems(data, src)
    yield from _total_problems(data, src)
    yield from _grading_extra_problems(data["grading"], grades, src)
    yield from _threshold_problems(data, src)


def duplicate_problems(values: list[str], path: str, what: str, src: str) -> Iterator[Problem]:
    for value, count in Counter(values).items():
        if count > 1:
            yield problem("RUBRIC_DUPLICATE_ID", file=src, cell=f"{path}[{values.index(value)}]", what=what,
                          value=value, count=count)  # fmt: skip


# ---------------------------------------------------------------- rules


def _rule_problems(
    item: _Item, rule: dict[str, Any], kind: str, grades: list[str], area_ids: set[str]
) -> Iterator[Problem]:
    rtype = rule["type"]
    if rtype not in KIND_RULES[kind]:
        allowed = "、".join(f"“{RULE_LABELS[t]}”" for t in KIND_RULES[kind])
        yield problem("RUBRIC_RULE_KIND", file=item.src, cell=f"{item.path}.rule.type", item=item.id,
                      kind=KIND_NAMES[kind], construct=item.construct, allowed=allowed)  # fmt: skip
        return
    required, optional = RULE_FIELDS[rtype]
    missing = [f for f in required if f not in rule]
    foreign = [f for f in rule if f != "type" and f not in required + optional]
    for f in missing:
        yield item.rule_problem(f".{f}", f"缺少{FIELD_NAMES[f]}", "RUBRIC_RULE_FIELD")
    for f in foreign:
        yield item.rule_problem(f".{f}", f"没有{FIELD_NAMES.get(f, '这一项')}，请删除", "RUBRIC_RULE_FIELD")
    if missing or foreign:
        return
    yield from _precision(item, rule)
    yield from _RULE_CHECKS[rtype](item, rule, grades, area_ids)


def _precision(item: _Item, rule: dict[str, Any]) -> Iterator[Problem]:
    """Points in a rule have at most two decimals (like every other score)."""
    paths: list[tuple[str, Any]] = [(f".{k}", rule[k]) for k in ("minus", "floor", "base", "rest", "per_event", "min",
                                                                 "max") if k in rule]  # fmt: skip
    if rule.get("cap") is not None:
        paths.append((".cap", rule["cap"]))
    paths += [(f".tiers[{n}].points", t["points"]) for n, t in enumerate(rule.get("tiers", ()))]
    paths += [(f".rows[{n}].points", r["points"]) for n, r in enumerate(rule.get("rows", ()))]
    if rule["type"] == "rank":
        paths += [(f".points[{n}]", p) for n, p in enumerate(rule["points"])]
    for where, value in paths:
        if decimal_places(_d(value)) > 2:
            yield problem("RUBRIC_TOO_PRECISE", file=item.src, cell=f"{item.path}.rule{where}", item=item.id,
                          value=_d(value))  # fmt: skip


def _at_most_max(item: _Item, where: str, value: Any, what: str) -> Iterator[Problem]:
    if _d(value) > item.max:
        yield item.rule_problem(where, f"的{what} {canonical(_d(value))} 分超过项目分值 {canonical(item.max)} 分")


def _check_points(item: _Item, rule: dict[str, Any], *_: Any) -> Iterator[Problem]:
    return iter(())


def _check_tiers(item: _Item, rule: dict[str, Any], *_: Any) -> Iterator[Problem]:
    tiers = rule["tiers"]
    for n, t in enumerate(tiers):
        yield from _at_most_max(item, f".tiers[{n}].points", t["points"], "档次分值")
    labelled = [bool(t.get("label")) for t in tiers]
    if any(labelled) and not all(labelled):
        yield item.rule_problem(".tiers", "的档次有的写了名称、有的没写：要么都写名称（好=2），要么都只写分值")
    labels = [t["label"] for t in tiers if t.get("label")]
    values = [_d(t["points"]) for t in tiers]
    for label, count in Counter(labels).items():
        if count > 1:
            yield item.rule_problem(".tiers", f"的档次名称“{label}”重复")
    if not any(labelled):
        for value, count in Counter(values).items():
            if count > 1:
                yield item.rule_problem(".tiers", f"的档次分值 {canonical(value)} 重复")


def _figure_problems(item: _Item, figure: dict[str, Any]) -> Iterator[Problem]:
    if "min" in figure and "max" in figure and _d(figure["min"]) > _d(figure["max"]):
        yield item.rule_problem(".figure", f"的指标“{figure['name']}”最小值大于最大值")


def _in_figure(item: _Item, figure: dict[str, Any], where: str, value: Any, what: str) -> Iterator[Problem]:
    low, high = figure.get("min"), figure.get("max")
    if (low is not None and _d(value) < _d(low)) or (high is not None and _d(value) > _d(high)):
        yield item.rule_problem(where, f"的{what} {canonical(_d(value))} 不在指标“{figure['name']}”的取值范围内")


def _check_linear(item: _Item, rule: dict[str, Any], *_: Any) -> Iterator[Problem]:
    yield from _figure_problems(item, rule["figure"])
    yield from _in_figure(item, rule["figure"], ".full_at", rule["full_at"], "满分线")
    yield from _at_most_max(item, ".minus", rule["minus"], "每档扣分")
    yield from _at_most_max(item, ".floor", rule.get("floor", 0), "最低分")


def _check_table(item: _Item, rule: dict[str, Any], *_: Any) -> Iterator[Problem]:
    figure, rows = rule["figure"], rule["rows"]
    yield from _figure_problems(item, figure)
    if figure.get("lower_is_better"):
        yield item.rule_problem(
            ".figure.lower_is_better",
            "的分段按“从某值起”排列，不能用于越低越好的指标：请改用“按指标线性计分”或把指标换成越高越好的口径",
        )
    for n, r in enumerate(rows):
        yield from _at_most_max(item, f".rows[{n}].points", r["points"], "分段分值")
    starts = [_d(r["from"]) for r in rows]
    for value, count in Counter(starts).items():
        if count > 1:
            yield item.rule_problem(".rows", f"的分段起点 {canonical(value)} 重复")
    if figure.get("min") is not None and min(starts) > _d(figure["min"]):
        yield item.rule_problem(".rows", f"没有覆盖低于 {canonical(min(starts))} 的数值（指标最小值为 "
                                f"{canonical(_d(figure['min']))}）：请补一段")  # fmt: skip


def _check_checklist(item: _Item, rule: dict[str, Any], *_: Any) -> Iterator[Problem]:
    for aspect, count in Counter(rule["aspects"]).items():
        if count > 1:
            yield item.rule_problem(".aspects", f"的核查方面“{aspect}”重复")
    yield from _at_most_max(item, ".minus", rule["minus"], "每项扣分")
    yield from _at_most_max(item, ".floor", rule.get("floor", 0), "最低分")


def _check_base(item: _Item, rule: dict[str, Any], *_: Any) -> Iterator[Problem]:
    yield from _at_most_max(item, ".base", rule["base"], "基础分")


def _check_rank(item: _Item, rule: dict[str, Any], *_: Any) -> Iterator[Problem]:
    yield from _figure_problems(item, rule["figure"])
    points = [_d(p) for p in rule["points"]]
    for n, p in enumerate(points):
        yield from _at_most_max(item, f".points[{n}]", p, f"第{n + 1}名分值")
    for n in range(1, len(points)):
        if points[n] > points[n - 1]:
            yield item.rule_problem(f".points[{n}]", f"的第{n + 1}名分值高于第{n}名：各名次分值应从高到低排列")
    if _d(rule.get("rest", 0)) > points[-1]:
        yield item.rule_problem(".rest", "的其余名次分值高于最后一个名次的分值")


def _check_per_event(item: _Item, rule: dict[str, Any], *_: Any) -> Iterator[Problem]:
    cap = rule.get("cap", item.max)
    if cap is None and item.raw["kind"] == "bonus":
        yield item.rule_problem(".cap", "用于加分项时以项目分值为上限，不能不设上限")
        return
    if cap is not None and _d(cap) != item.max:
        yield item.rule_problem(".cap", f"的上限 {canonical(_d(cap))} 分与项目分值 {canonical(item.max)} 分不一致"
                                "（上限就是项目分值；不设上限的写 null）")  # fmt: skip
    if cap is not None:
        yield from _at_most_max(item, ".per_event", rule["per_event"], "每次分值")
    per_event = item.raw.get("per_event")
    if per_event is not None and _d(per_event) != _d(rule["per_event"]):
        yield item.rule_problem(".per_event", f"的每次分值与项目写的每次扣分（{canonical(_d(per_event))}）不一致")


def _check_ranged(item: _Item, rule: dict[str, Any], *_: Any) -> Iterator[Problem]:
    if _d(rule["min"]) > _d(rule["max"]):
        yield item.rule_problem(".min", "的最少扣分大于最多扣分")
    yield from _at_most_max(item, ".max", rule["max"], "最多扣分")


def _check_veto(item: _Item, rule: dict[str, Any], grades: list[str], area_ids: set[str]) -> Iterator[Problem]:
    effect = rule.get("effect", {})
    for key in ("set_grade", "cap_grade"):
        if key in effect and effect[key] not in grades:
            yield problem("RUBRIC_VETO_GRADE_UNKNOWN", file=item.src, cell=f"{item.path}.rule.effect.{key}",
                          grade=effect[key], grades=grades)  # fmt: skip
    if "zero_area" in effect and effect["zero_area"] not in area_ids:
        yield problem("RUBRIC_UNKNOWN_REF", file=item.src, cell=f"{item.path}.rule.effect.zero_area", what="领域",
                      ref=effect["zero_area"], section="areas")  # fmt: skip


_RULE_CHECKS = {
    "points": _check_points, "tiers": _check_tiers, "linear": _check_linear, "table": _check_table,
    "checklist": _check_checklist, "base": _check_base, "rank": _check_rank, "per_event": _check_per_event,
    "ranged": _check_ranged, "veto": _check_veto,
}  # fmt: skip


# ---------------------------------------------------------------- combination


def _combine_problems(item: _Item, combine: str | dict[str, Any], evaluators: dict[str, str]) -> Iterator[Problem]:
    if isinstance(combine, str):
        return
    own = [evaluators.get(name, name) for name in item.raw["evaluators"]]
    path = f"{item.path}.combine"

    def bad(where: str, kind: CombineKind, reason: str) -> Problem:
        return problem("RUBRIC_COMBINE", file=item.src, cell=path + where, item=item.id,
                       construct=COMBINE_LABELS[kind], reason=reason)  # fmt: skip

    if "lead" in combine:
        if evaluators.get(combine["lead"], combine["lead"]) not in own:
            yield bad(".lead", CombineKind.LEAD, f"的牵头部门“{combine['lead']}”不是本项的评价部门（{'、'.join(own)}）")
        return
    weights = combine["weighted"]
    named = [evaluators.get(name, name) for name in weights]
    for name, canon in zip(weights, named, strict=True):
        if canon not in own:
            yield bad(f".weighted.{name}", CombineKind.WEIGHTED, f"中的“{name}”不是本项的评价部门（{'、'.join(own)}）")
    for name in own:
        if name not in named:
            yield bad(".weighted", CombineKind.WEIGHTED, f"没有写评价部门“{name}”的权重")
    total = sum((_d(w) for w in weights.values()), Decimal(0))
    if total != 100:
        yield bad(".weighted", CombineKind.WEIGHTED, f"的权重合计为 {canonical(total)}，应为 100")


# ---------------------------------------------------------------- classes, tree, totals, grading


def _class_problems(data: dict[str, Any], classes: list[str], src: str) -> Iterator[Problem]:
    for n, unit in enumerate(data["units"]):
        if "class" in unit and unit["class"] not in classes:
            yield problem("RUBRIC_UNKNOWN_REF", file=src, cell=f"$.units[{n}].class", what="单位类别",
                          ref=unit["class"], section="unit_classes")  # fmt: skip
        elif classes and "class" not in unit:
            yield problem("RUBRIC_UNIT_CLASS_MISSING", file=src, cell=f"$.units[{n}]", unit=unit["name"],
                          classes=classes)  # fmt: skip


def _tree_problems(data: dict[str, Any], src: str) -> Iterator[Problem]:
    kps = data["key_points"]
    by_id = {k["id"]: k for k in kps}
    index = {k["id"]: n for n, k in enumerate(kps)}
    for n, kp in enumerate(kps):
        at = f"$.key_points[{n}]"
        parent = kp.get("parent")
        if parent is not None and parent not in by_id:
            yield problem("RUBRIC_UNKNOWN_REF", file=src, cell=f"{at}.parent", what="上级考核要点", ref=parent,
                          section="key_points")  # fmt: skip
            continue
        if _in_cycle(kp["id"], by_id):
            yield problem("RUBRIC_KEY_POINT_TREE", file=src, cell=f"{at}.parent", key_point=kp["title"],
                          reason="的上级关系形成循环（最终又回到自己）")  # fmt: skip
        elif parent is None and "area" not in kp:
            yield problem("RUBRIC_KEY_POINT_TREE", file=src, cell=at, key_point=kp["title"],
                          reason="既没有所属领域 area，也没有上级要点 parent")  # fmt: skip
        elif parent is not None and "area" in kp and "area" in by_id[parent] and kp["area"] != by_id[parent]["area"]:
            yield problem("RUBRIC_KEY_POINT_TREE", file=src, cell=f"{at}.area", key_point=kp["title"],
                          reason=f"属于领域“{kp['area']}”，但其上级要点属于领域“{by_id[parent]['area']}”")  # fmt: skip
    if any(_in_cycle(k["id"], by_id) for k in kps):
        return
    sums = _subtotals(data, by_id)
    for kp in kps:
        if "max" in kp and sums.get(kp["id"]) is not None and sums[kp["id"]] != _d(kp["max"]):
            yield problem("RUBRIC_KEY_POINT_SUM", file=src, cell=f"$.key_points[{index[kp['id']]}].max",
                          key_point=kp["title"], max=canonical(_d(kp["max"])),
                          sum=canonical(sums[kp["id"]]))  # fmt: skip
        if "max" in kp and decimal_places(_d(kp["max"])) > 2:
            yield problem("RUBRIC_TOO_PRECISE", file=src, cell=f"$.key_points[{index[kp['id']]}].max",
                          value=_d(kp["max"]))  # fmt: skip


def _in_cycle(kp_id: str, by_id: dict[str, dict[str, Any]]) -> bool:
    """Whether following the parents from a key point comes back to it."""
    seen: set[str] = set()
    node = by_id[kp_id].get("parent")
    while node is not None and node in by_id and node not in seen:
        if node == kp_id:
            return True
        seen.add(node)
        node = by_id[node].get("parent")
    return False


def _subtotals(data: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> dict[str, Decimal]:
    """Each key point's children total: its child key points' max (or their own subtotal) and its score items.
    With unit classes, the largest of the classes' totals (each class counting the items that apply to it)."""
    classes: list[str | None] = [c["id"] for c in data.get("unit_classes", ())] or [None]
    children: dict[str, list[str]] = {}
    for kp in by_id.values():
        if kp.get("parent") in by_id:
            children.setdefault(kp["parent"], []).append(kp["id"])
    best: dict[str, Decimal] = {}
    for cls in classes:
        for kp_id, value in _class_subtotals(data, by_id, children, cls).items():
            best[kp_id] = max(best.get(kp_id, Decimal(0)), value)
    return best


def _class_subtotals(
    data: dict[str, Any], by_id: dict[str, dict[str, Any]], children: dict[str, list[str]], cls: str | None
) -> dict[str, Decimal]:
    own: dict[str, Decimal] = {}
    for item in data["items"]:
        if item["kind"] == "score" and (cls is None or cls in item.get("classes", [cls])):
            own[item["key_point"]] = own.get(item["key_point"], Decimal(0)) + _d(item["max"])
    totals: dict[str, Decimal] = {}

    def total(kp_id: str) -> Decimal:
        if kp_id not in totals:
            below = own.get(kp_id, Decimal(0))
            for child in children.get(kp_id, ()):
                stated = cls is None and "max" in by_id[child]  # a class's share of a child is its own sum
                below += _d(by_id[child]["max"]) if stated else total(child)
            totals[kp_id] = below
        return totals[kp_id]

    return {kp_id: total(kp_id) for kp_id in by_id}


def _total_problems(data: dict[str, Any], src: str) -> Iterator[Problem]:
    areas = data["areas"]
    area_sum = sum((_d(a["max"]) for a in areas), Decimal(0))
    if "start_from" in data:
        yield from _start_from_problems(data, src)
        return
    total = _d(data.get("total", area_sum))
    parts = data.get("parts", [])
    if not parts:
        if area_sum != total:
            yield problem("RUBRIC_TOTAL", file=src, cell="$.areas", what="各领域分值", total=canonical(area_sum),
                          expected=canonical(total))  # fmt: skip
        return
    weights = sum((_d(p["weight"]) for p in parts), Decimal(0))
    if weights != total:
        yield problem("RUBRIC_TOTAL", file=src, cell="$.parts", what="各考核部分的权重", total=canonical(weights),
                      expected=canonical(total))  # fmt: skip
    yield from duplicate_problems([p["id"] for p in parts], "$.parts", "考核部分编号", src)
    area_ids = [a["id"] for a in areas]
    owner: dict[str, str] = {}
    for n, part in enumerate(parts):
        if decimal_places(_d(part["weight"])) > 2:
            yield problem("RUBRIC_TOO_PRECISE", file=src, cell=f"$.parts[{n}].weight", value=_d(part["weight"]))
        for k, area in enumerate(part["areas"]):
            at = f"$.parts[{n}].areas[{k}]"
            if area not in area_ids:
                yield problem("RUBRIC_UNKNOWN_REF", file=src, cell=at, what="领域", ref=area, section="areas")
            elif area in owner:
                yield problem("RUBRIC_PARTS", file=src, cell=at,
                              reason=f"领域“{area}”同时属于“{owner[area]}”和“{part['name']}”两个部分")  # fmt: skip
            else:
                owner[area] = part["name"]
    for n, area in enumerate(areas):
        if area["id"] not in owner:
            yield problem("RUBRIC_PARTS", file=src, cell=f"$.areas[{n}]",
                          reason=f"领域“{area['name']}”不属于任何考核部分")  # fmt: skip


def _start_from_problems(data: dict[str, Any], src: str) -> Iterator[Problem]:
    start = _d(data["start_from"])
    if "total" in data and _d(data["total"]) != start:
        yield problem("RUBRIC_START_FROM", file=src, cell="$.total",
                      reason=f"起评分方案的满分就是起评分 {canonical(start)} 分，total 写的是 {canonical(_d(data['total']))}")  # fmt: skip
    if data.get("parts"):
        yield problem("RUBRIC_START_FROM", file=src, cell="$.parts", reason="起评分方案不能再分考核部分")
    for n, item in enumerate(data["items"]):
        if item["kind"] == "score":
            yield problem("RUBRIC_START_FROM", file=src, cell=f"$.items[{n}].kind",
                          reason=f"起评分方案只有扣分项和加分项，项目 {item['id']} 是评分项")  # fmt: skip
    if _d(data.get("floor", 0)) > start:
        yield problem("RUBRIC_START_FROM", file=src, cell="$.floor", reason="最低分高于起评分")
    if decimal_places(start) > 2:
        yield problem("RUBRIC_TOO_PRECISE", file=src, cell="$.start_from", value=start)


def _threshold_problems(data: dict[str, Any], src: str) -> Iterator[Problem]:
    """No grade's line above what a unit can score: the full marks, or 100 when lines are percentages."""
    grading = data["grading"]
    if grading.get("by_percent"):
        full, what = Decimal(100), "100%"
    else:
        default = data.get("start_from", sum((_d(a["max"]) for a in data["areas"]), Decimal(0)))
        full = _d(data.get("total", default))
        what = f"满分 {canonical(full)} 分"
    for n, t in enumerate(grading["thresholds"]):
        if _d(t["min"]) > full:
            yield problem("RUBRIC_THRESHOLD_ABOVE_FULL", file=src, cell=f"$.grading.thresholds[{n}].min",
                          grade=grade_label(t["grade"]), min=canonical(_d(t["min"])), full=what)  # fmt: skip


def _grading_extra_problems(grading: dict[str, Any], grades: list[str], src: str) -> Iterator[Problem]:
    if "bonus_cap" in grading and decimal_places(_d(grading["bonus_cap"])) > 2:
        yield problem("RUBRIC_TOO_PRECISE", file=src, cell="$.grading.bonus_cap", value=_d(grading["bonus_cap"]))
    for n, limit in enumerate(grading.get("limits", ())):
        if "top_percent" in limit and decimal_places(_d(limit["top_percent"])) > 2:
            yield problem("RUBRIC_TOO_PRECISE", file=src, cell=f"$.grading.limits[{n}].top_percent",
                          value=_d(limit["top_percent"]))  # fmt: skip
