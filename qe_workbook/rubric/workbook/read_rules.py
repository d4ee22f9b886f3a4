"""Reading an item's scoring-language cells back into rubric.json's `rule`, `combine` and `classes`.

The reader has already read each cell by its column's type (numbers, 是/否, the drop-down choices) and noted
where each JSON path came from; here the cells of one item become its JSON, the paths the checks may name are
noted at the cell the clerk typed, and a cell that cannot be read is reported with what it should look like.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from .rule_cells import (
    COMBINE_EXAMPLE,
    EFFECT_EXAMPLE,
    RANGE_EXAMPLE,
    list_example,
    parse_cap,
    parse_combine,
    parse_effect,
    parse_lines,
    parse_range,
    parse_tiers,
)

Place = tuple[str, int | None, int | None]  # sheet, 1-based row, 0-based column


class CellNotes(Protocol):
    """What this module needs of the workbook reader: where each JSON path was typed, and reporting a cell."""

    origin: dict[str, Place]

    def report(self, code: str, place: Place, fix: str | None = None, **params: Any) -> None: ...

    def note(self, path: str, place: Place) -> None: ...


# (a name, its place) -> the id it stands for (reporting an unknown name)
Lookup = Callable[[str, Any], str]
T = TypeVar("T")


def assemble_item(reader: CellNotes, item: dict[str, Any], path: str, area_id: Lookup, class_id: Lookup) -> None:
    """Turn the item's `rule.*` cells into its `rule`, and read its combination and classes."""
    flat = {key: item.pop(key) for key in list(item) if key.startswith("rule.")}
    rule_type = flat.pop("rule.type", None)
    origin = reader.origin
    if rule_type is not None:
        item["rule"] = _rule(reader, rule_type, flat, item, path, area_id)
    elif flat:
        reader.report("RUBRIC_XLSX_BAD_VALUE", origin[f"{path}.rule.type"], label="计分规则", value="（空）",
                      expected="一种计分规则（本行右边已填写了计分规则的数值）")  # fmt: skip
    if "combine" in item:
        combine = parse_combine(str(item["combine"]))
        if combine is None:
            reader.report("RUBRIC_XLSX_BAD_VALUE", origin[f"{path}.combine"], label="合成方式",
                          value=str(item["combine"]), expected=COMBINE_EXAMPLE)  # fmt: skip
            del item["combine"]
        else:
            item["combine"] = combine
            for key in ("weighted", "lead"):
                reader.note(f"{path}.combine.{key}", origin[f"{path}.combine"])
    if "classes" in item:
        place = origin[f"{path}.classes"]
        for k in range(len(item["classes"])):
            reader.note(f"{path}.classes[{k}]", place)
        item["classes"] = [class_id(name, place) for name in item["classes"]]


def _parsed(
    reader: CellNotes, flat: dict[str, Any], path: str, parse: Callable[[str], T | None], label: str, example: str
) -> T | None:
    """One cell's text read by `parse`; a text it cannot read is reported with an example of what it should be."""
    key = "rule." + path.rsplit(".", 1)[1]
    if key not in flat:
        return None
    text = str(flat.pop(key))
    value = parse(text)
    if value is None:
        reader.report("RUBRIC_XLSX_BAD_VALUE", reader.origin[path], label=label, value=text, expected=example)
    return value


def _rule(
    reader: CellNotes, rule_type: str, flat: dict[str, Any], item: dict[str, Any], path: str, area_id: Lookup
) -> dict[str, Any]:
    origin = reader.origin
    at = f"{path}.rule"
    reader.note(at, origin[f"{at}.type"])
    reader.note(f"{at}.figure", origin[f"{at}.figure.name"])
    rule: dict[str, Any] = {"type": rule_type}
    figure = {key.removeprefix("rule.figure."): flat.pop(key) for key in list(flat) if key.startswith("rule.figure.")}
    if figure:
        rule["figure"] = figure
    for key in ("full_at", "per", "minus", "floor", "steps", "base", "rest", "ties"):
        if f"rule.{key}" in flat:
            rule[key] = flat.pop(f"rule.{key}")
    if "rule.tiers" in flat:
        text = str(flat.pop("rule.tiers"))
        place = origin[f"{at}.tiers"]
        parsed = parse_tiers(text, rule_type)
        if parsed is None:
            reader.report("RUBRIC_XLSX_BAD_VALUE", place, label="档次、分段或名次分值", value=text,
                          expected=list_example(rule_type))  # fmt: skip
        else:
            rule[parsed[0]] = parsed[1]
            reader.note(f"{at}.{parsed[0]}", place)
    if "rule.aspects" in flat:
        rule["aspects"] = parse_lines(str(flat.pop("rule.aspects")))
    if "rule.cap" in flat:
        value = flat.pop("rule.cap")
        readable, cap = parse_cap(value)
        if readable:
            rule["cap"] = cap
        else:
            reader.report("RUBRIC_XLSX_BAD_VALUE", origin[f"{at}.cap"], label="扣分上限", value=str(value),
                          expected="数字（例如 10）或 不设上限")  # fmt: skip
    bounds = _parsed(reader, flat, f"{at}.range", parse_range, "扣分范围", RANGE_EXAMPLE)
    if bounds is not None:
        rule["min"], rule["max"] = bounds
        reader.note(f"{at}.min", origin[f"{at}.range"])
        reader.note(f"{at}.max", origin[f"{at}.range"])
    effect = _parsed(reader, flat, f"{at}.effect", parse_effect, "否决后果", EFFECT_EXAMPLE)
    if effect is not None:
        if "zero_area" in effect:
            effect["zero_area"] = area_id(effect["zero_area"], origin[f"{at}.effect"])
        rule["effect"] = effect
    if rule_type == "per_event" and "per_event" in item:
        rule["per_event"] = item.pop("per_event")
        reader.note(f"{at}.per_event", origin[f"{path}.per_event"])
    return rule
