"""The scoring language through the rubric workbook: each construct exported, read back and loaded to the same
model; a cell the model cannot take is named by sheet, row and column."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from qe_workbook.rubric import Rubric
from qe_workbook.rubric.load import build_rubric
from qe_workbook.rubric.workbook.files import export_rubric
from qe_workbook.rubric.workbook.read import read_workbook

from .conftest import load_ok, small_rubric_data, write_json

RATE = {"name": "合格率", "unit": "%", "min": 0, "max": 100}
Edit = Callable[[dict[str, Any]], None]


def _item(data: dict[str, Any], item_id: str) -> dict[str, Any]:
    return next(i for i in data["items"] if i["id"] == item_id)


def _rule(item_id: str, rule: dict[str, Any], **more: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        item = _item(data, item_id)
        item["rule"] = rule
        item.update(more)
        if rule["type"] != "per_event" or item["kind"] != "deduction":
            item.pop("per_event", None)

    return edit


def _classes(data: dict[str, Any]) -> None:
    data["unit_classes"] = [{"id": "county", "name": "县（市）"}, {"id": "district", "name": "区"}]
    for unit, cls in zip(data["units"], ["county", "district", "district"], strict=True):
        unit["class"] = cls
    _item(data, "01-2")["classes"] = ["county"]
    data["items"].append({**_item(data, "01-2"), "id": "01-4", "classes": ["district"]})


def _tree(data: dict[str, Any]) -> None:
    data["key_points"][0]["max"] = 60
    data["key_points"].append({"id": "01a", "label": "1.", "title": "合格率", "parent": "01", "max": 40})
    data["key_points"].append({"id": "01b", "label": "2.", "title": "联合评价", "parent": "01"})
    _item(data, "01-1")["key_point"] = "01a"
    _item(data, "01-2")["key_point"] = "01b"


def _set(**values: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        data.update(values)

    return edit


def _grading(**values: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        data["grading"].update(values)

    return edit


def _start_from(data: dict[str, Any]) -> None:
    data["start_from"] = 100
    data["floor"] = 0
    data["items"] = [i for i in data["items"] if i["kind"] != "score"]
    _rule("02-1", {"type": "per_event", "per_event": 5, "cap": None}, max=5, text="事件。")(data)
    del _item(data, "02-1")["per_event"]  # said once, in the rule


CONSTRUCTS: list[tuple[str, Edit]] = [
    ("tiers with labels", _rule("01-1", {"type": "tiers", "tiers": [{"label": "好", "points": 40},
                                                                  {"label": "较好", "points": 30.5}]})),
    ("tiers of values", _rule("01-1", {"type": "tiers", "tiers": [{"points": 40}, {"points": 20}, {"points": 0}]})),
    ("linear", _rule("01-1", {"type": "linear", "figure": {**RATE, "decimals": 1}, "full_at": 98, "per": 0.5,
                              "minus": 2, "floor": 10, "steps": "exact"})),
    ("linear lower is better", _rule("01-1", {"type": "linear", "figure": {"name": "事故起数", "unit": "起", "min": 0,
                                                                          "decimals": 0, "lower_is_better": True},
                                              "full_at": 0, "minus": 5})),
    ("table", _rule("01-1", {"type": "table", "figure": RATE, "rows": [{"from": 98, "points": 40},
                                                                     {"from": 95, "points": 30}, {"from": 0, "points": 0}]})),
    ("checklist", _rule("01-1", {"type": "checklist", "aspects": ["有实施方案", "有年度总结，并按时报送"], "minus": 5,
                                 "floor": 20})),
    ("base", _rule("01-1", {"type": "base", "base": 30})),
    ("rank", _rule("01-1", {"type": "rank", "figure": RATE, "points": [40, 35, 30], "rest": 20, "ties": "average"})),
    ("per event without cap", _rule("02-1", {"type": "per_event", "per_event": 1.5, "cap": None})),
    ("ranged", _rule("02-1", {"type": "ranged", "min": 0.5, "max": 2})),
    ("bonus per event", _rule("03-2", {"type": "per_event", "per_event": 0.5})),
    ("veto caps the grade", _rule("02-2", {"type": "veto", "effect": {"cap_grade": "B"}})),
    ("veto zeroes an area", _rule("02-2", {"type": "veto", "effect": {"zero_area": "2"}})),
    ("veto zeroes the total", _rule("02-2", {"type": "veto", "effect": {"zero_total": True}})),
    ("veto sets a grade", _rule("02-2", {"type": "veto", "effect": {"set_grade": "C"}})),
    ("sum of deductions", lambda d: _item(d, "01-2").update(combine="sum_deductions")),
    ("weighted", lambda d: _item(d, "01-2").update(combine={"weighted": {"甲局": 60, "乙局": 40}})),
    ("lead", lambda d: _item(d, "01-2").update(combine={"lead": "乙局"})),
    ("self-scored bonus claim", lambda d: _item(d, "03-2").update(self_score=True)),
    ("unit classes", _classes),
    ("a three-level tree", _tree),
    ("a 120-point plan", lambda d: (d.update(total=120), d["areas"][1].update(max=60),
                                    _item(d, "03-1").update(max=60, text="制度。"))),
    ("parts", _set(parts=[{"id": "p1", "name": "平时考核", "weight": 60, "areas": ["1"]},
                          {"id": "p2", "name": "年终考核", "weight": 40, "areas": ["2"]}])),
    ("start from 100", _start_from),
    ("texts", _set(texts={"procedure": "经单位自评和部门评价", "attachments": {"form": "附件5", "focus": "附件4"},
                          "report_limits": {"chars": 5000, "cases": 5}})),
    ("grade names, quota and bonus cap", _grading(
        thresholds=[{"grade": "优秀", "min": 90}, {"grade": "良好", "min": 80}, {"grade": "合格", "min": 60}],
        lowest_grade="不合格", veto={"grade": "不合格", "ranks_last": True}, bonus_cap=1.5, by_percent=True,
        limits=[{"grade": "优秀", "top_percent": 30}, {"grade": "良好", "top_units": 2}])),
]  # fmt: skip


def _same(rubric: Rubric) -> Rubric:
    return replace(rubric, content_hash="")


@pytest.mark.parametrize(("name", "edit"), CONSTRUCTS, ids=[c[0] for c in CONSTRUCTS])
def test_each_construct_survives_the_workbook(tmp_path: Path, name: str, edit: Edit) -> None:
    data = small_rubric_data()
    data["schema_version"] = 2
    edit(data)
    src = write_json(tmp_path / "rubric.json", data)
    original = load_ok(src)
    assert export_rubric(src, tmp_path / "rubric.xlsx").path
    read = read_workbook(tmp_path / "rubric.xlsx")
    assert [p for p in read.problems if p.severity == "error"] == [], [p.message for p in read.problems]
    assert read.data is not None and read.data["schema_version"] == 2
    assert _same(build_rubric(read.data)) == _same(original)


def test_a_workbook_exported_before_the_scoring_language_still_imports(tmp_path: Path) -> None:
    src = write_json(tmp_path / "rubric.json", small_rubric_data())
    assert export_rubric(src, tmp_path / "rubric.xlsx").path
    wb = openpyxl.load_workbook(tmp_path / "rubric.xlsx")
    for name in ("单位类别", "考核部分", "计分规则说明"):
        del wb[name]
    wb["评价项目"].delete_cols(12, 23)
    wb["考核要点"].delete_cols(5, 3)
    wb["被考核单位"].delete_cols(3)
    wb.save(tmp_path / "old.xlsx")
    read = read_workbook(tmp_path / "old.xlsx")
    assert read.problems == []
    assert read.data is not None and read.data["schema_version"] == 1
    assert _same(build_rubric(read.data)) == _same(load_ok(src))


def _col(ws: Worksheet, header: str) -> int:
    return next(c.column for c in ws[1] if c.value == header)


def _letter(ws: Worksheet, header: str) -> str:
    return openpyxl.utils.get_column_letter(_col(ws, header))


Cells = dict[tuple[str, int, str], Any]  # (sheet, row, header) -> value typed by the clerk

REFUSED: list[tuple[str, Edit | None, Cells, str, str, int, str, str]] = [
    ("tiers unreadable", None, {("评价项目", 2, "计分规则"): "按档次评分", ("评价项目", 2, "档次、分段或名次分值"): "好=2；较好"},
     "RUBRIC_XLSX_BAD_VALUE", "评价项目", 2, "档次、分段或名次分值", "应为好=2；较好=1.5；一般=0.5"),
    ("a tier above the max", None, {("评价项目", 2, "计分规则"): "按档次评分",
                                    ("评价项目", 2, "档次、分段或名次分值"): "好=41；差=0"},
     "RUBRIC_RULE", "评价项目", 2, "档次、分段或名次分值", "档次分值 41 分超过项目分值 40 分"),
    ("numbers without a rule", None, {("评价项目", 2, "基础分"): 3}, "RUBRIC_XLSX_BAD_VALUE", "评价项目", 2, "计分规则",
     "计分规则“（空）”无效"),
    ("a missing number", None, {("评价项目", 2, "计分规则"): "按指标线性计分", ("评价项目", 2, "指标名称"): "合格率",
                                ("评价项目", 2, "每档扣分"): 1},
     "RUBRIC_RULE_FIELD", "评价项目", 2, "满分线", "“按指标线性计分”规则缺少满分线"),
    ("a number of another rule", None, {("评价项目", 2, "计分规则"): "基础分加评分", ("评价项目", 2, "基础分"): 3,
                                        ("评价项目", 2, "满分线"): 98},
     "RUBRIC_RULE_FIELD", "评价项目", 2, "满分线", "没有满分线，请删除"),
    ("a rule of another kind", None, {("评价项目", 4, "计分规则"): "按档次评分"}, "RUBRIC_RULE_KIND", "评价项目", 4,
     "计分规则", "项目 02-1 是扣分项，不能用“按档次评分”规则"),
    ("a range unreadable", None, {("评价项目", 4, "计分规则"): "按范围扣分", ("评价项目", 4, "扣分范围"): "五到十"},
     "RUBRIC_XLSX_BAD_VALUE", "评价项目", 4, "扣分范围", "应为5～10"),
    ("a veto effect unreadable", None, {("评价项目", 5, "计分规则"): "否决", ("评价项目", 5, "否决后果"): "降一级"},
     "RUBRIC_XLSX_BAD_VALUE", "评价项目", 5, "否决后果", "应为定为D级"),
    ("a veto capping at no grade", None, {("评价项目", 5, "计分规则"): "否决", ("评价项目", 5, "否决后果"): "最高E级"},
     "RUBRIC_VETO_GRADE_UNKNOWN", "评价项目", 5, "否决后果", "“E”"),
    ("weights not adding to 100", None, {("评价项目", 3, "合成方式"): "加权：甲局=60；乙局=30"}, "RUBRIC_COMBINE",
     "评价项目", 3, "合成方式", "权重合计为 90，应为 100"),
    ("a combination unreadable", None, {("评价项目", 3, "合成方式"): "取最高"}, "RUBRIC_XLSX_BAD_VALUE", "评价项目", 3,
     "合成方式", "合成方式“取最高”无效"),
    ("an unknown class", _classes, {("评价项目", 2, "适用单位类别"): "乡镇"}, "RUBRIC_XLSX_UNKNOWN_NAME", "评价项目", 2,
     "适用单位类别", "单位类别“乡镇”不在“单位类别”工作表中"),
    ("a unit without its class", _classes, {("被考核单位", 2, "类别"): None}, "RUBRIC_UNIT_CLASS_MISSING", "被考核单位",
     2, "", "“东区”没有写单位类别"),
    ("a subtotal off", _tree, {("考核要点", 2, "分值"): 59}, "RUBRIC_KEY_POINT_SUM", "考核要点", 2, "分值",
     "考核要点“质量发展”分值为 59 分，但其下级合计为 60 分"),
    ("parts not adding up", _set(parts=[{"id": "p1", "name": "平时考核", "weight": 60, "areas": ["1"]},
                                        {"id": "p2", "name": "年终考核", "weight": 40, "areas": ["2"]}]),
     {("考核部分", 3, "权重（分）"): 50}, "RUBRIC_TOTAL", "考核部分", 0, "", "各考核部分的权重合计为 110 分，满分为 100 分"),
    ("a total the areas miss", None, {("基本设置", 0, "满分"): 120}, "RUBRIC_TOTAL", "考核领域", 0, "",
     "各领域分值合计为 100 分，满分为 120 分"),
]  # fmt: skip


def _type(ws: Worksheet, row: int, header: str, value: Any) -> None:
    if row == 0:  # a setting: the row with that label
        row = next(r for r in range(2, ws.max_row + 2) if ws.cell(r, 1).value in (header, None))
        ws.cell(row, 1).value = header
        ws.cell(row, 2).value = value
        return
    ws.cell(row, _col(ws, header)).value = value


@pytest.mark.parametrize(
    ("name", "edit", "typed", "code", "sheet", "row", "header", "words"), REFUSED, ids=[r[0] for r in REFUSED]
)
def test_a_bad_cell_is_named_by_sheet_row_and_column(
    tmp_path: Path, name: str, edit: Edit | None, typed: Cells, code: str, sheet: str, row: int, header: str, words: str
) -> None:
    data = small_rubric_data()
    if edit:
        edit(data)
    assert export_rubric(write_json(tmp_path / "rubric.json", data), tmp_path / "rubric.xlsx").path
    wb = openpyxl.load_workbook(tmp_path / "rubric.xlsx")
    for (at, line, column), value in typed.items():
        _type(wb[at], line, column, value)
    wb.save(tmp_path / "edited.xlsx")
    read = read_workbook(tmp_path / "edited.xlsx")
    errors = [p for p in read.problems if p.severity == "error"]
    cell = f"{_letter(wb[sheet], header)}{row}" if header else None
    hits = [p for p in errors if p.code == code and p.sheet == sheet and (cell is None or p.cell == cell)]
    assert hits, [(p.code, p.sheet, p.cell, p.message) for p in errors]
    assert words in hits[0].message
    place = f"[{sheet}]" + (f" 第 {row} 行" if row else "") + (f" {cell[: -len(str(row))]} 列" if cell else "")
    assert hits[0].message.startswith(place), hits[0].message
