"""A plan that is not 漯河 2022 comes out right in every published document: grade names 优秀/良好/合格/不合格,
a 120-point total made of two weighted parts (平时考核 72 + 年终考核 48), a key-point tree with subtotals, a
class of units that does not get the bonus item. Generated, filled, collected, checked by the units and
approved: the numbers and the grade words agree everywhere and are the ones worked out by hand below.

By hand (TIE's answers, 东区's 03-1 lowered to 20; 03-2 is for 区 only, so 南区 (县) has no bonus item):
  东区 领域1 = 36 + (18 + 19)/2 = 54.50 → 平时 54.50 × 72 / 60 = 65.40; 领域2 = 20 → 年终 20 × 48 / 40 = 24.00;
       + bonus 1 = 90.40 → 合格 (≥ 72)
  西区 领域1 = 38 + (17 + 16)/2 = 54.50 → 65.40; 领域2 = 37.5 → 45.00; − 1 event × 1.5 = 108.90 → 良好 (≥ 100)
  南区 领域1 = 40 + 20 = 60 → 72.00; 领域2 = 40 → 48.00; − min(3 × 1.5, 2) = 118.00 → 优秀 (≥ 110)
Key points: 01 (60) = 01a (40: 01-1) + 01b (20: 01-2); 03 (40: 03-1).
"""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest

from qe_workbook.documents.letter_context import letter_context
from qe_workbook.followup.exports import GradeMapError, parse_grade_map
from qe_workbook.pipeline import CollectOptions, run_collect
from qe_workbook.record.approval import approve_run
from qe_workbook.record.precheck import write_prechecks
from qe_workbook.record.stages import Stage
from qe_workbook.rubric import Rubric

from .conftest import load_ok, small_rubric_data, write_json
from .forms import KEY, TIE, fill_all, generate, with_changes

TOTALS = {"南区": "118.00", "西区": "108.90", "东区": "90.40"}
GRADES = {"南区": "优秀", "西区": "良好", "东区": "合格"}
PARTS = {"南区": ("72.00", "48.00"), "西区": ("65.40", "45.00"), "东区": ("65.40", "24.00")}
KEY_POINTS = {  # 01, 01a, 01b, 03
    "南区": ("60.00", "40.00", "20.00", "40.00"),
    "西区": ("54.50", "38.00", "16.50", "37.50"),
    "东区": ("54.50", "36.00", "18.50", "20.00"),
}


def plan_data() -> dict[str, Any]:
    data = small_rubric_data()
    data["schema_version"] = 2
    data["total"] = 120
    data["parts"] = [
        {"id": "p1", "name": "平时考核", "weight": 72, "areas": ["1"]},
        {"id": "p2", "name": "年终考核", "weight": 48, "areas": ["2"]},
    ]
    data["unit_classes"] = [{"id": "county", "name": "县"}, {"id": "district", "name": "区"}]
    for unit in data["units"]:
        unit["class"] = "county" if unit["name"] == "南区" else "district"
    data["key_points"] = [
        {"id": "01", "label": "（一）", "title": "质量发展", "area": "1", "max": 60},
        {"id": "01a", "label": "1.", "title": "产品质量", "parent": "01", "max": 40},
        {"id": "01b", "label": "2.", "title": "农产品质量", "parent": "01", "max": 20},
        {"id": "02", "label": "（二）", "title": "质量安全", "area": "1"},
        {"id": "03", "label": "（三）", "title": "质量工作制度", "area": "2", "max": 40},
    ]
    items = {i["id"]: i for i in data["items"]}
    items["01-1"]["key_point"] = "01a"
    items["01-2"]["key_point"] = "01b"
    items["02-2"]["text"] = "发生区域性、系统性产品质量安全事件的，考核结果为不合格"
    items["03-2"]["classes"] = ["district"]
    data["grading"]["thresholds"] = [
        {"grade": "优秀", "min": 110},
        {"grade": "良好", "min": 100},
        {"grade": "合格", "min": 72},
    ]
    data["grading"]["lowest_grade"] = "不合格"
    data["grading"]["veto"] = {"grade": "不合格", "ranks_last": True}
    return data


@pytest.fixture
def plan(tmp_path: Path) -> Rubric:
    return load_ok(write_json(tmp_path / "rubric.json", plan_data()))


def answers() -> dict[str, Any]:
    changed = with_changes(TIE, "乙局", {("东区", "03-1"): (20, "制度建设滞后，多项制度未建立。")})
    del changed["乙局"][("南区", "03-2")]  # not on 南区's form: the bonus is for 区 only
    return changed


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def pdf_text(path: Path, out: Path) -> str:
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=180)  # fmt: skip
    pdf = out / (path.stem + ".pdf")
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout  # fmt: skip


def no_foreign_words(text: str) -> None:
    """No 'X级' after a grade name, no 100-point full marks on a 120-point plan."""
    assert not re.search(r"(优秀|良好|合格)\s*级", text), text
    assert not re.search(r"满分\s*100|100(\.00)?\s*分（满分）|总分\s+\S+\s+[\d.]+\s+100\.00", text), text


def test_a_120_point_plan_with_parts_a_tree_classes_and_grade_names_comes_out_right(
    tmp_path: Path, plan: Rubric
) -> None:
    fill_all(generate(plan, tmp_path / "forms"), tmp_path / "returned", answers())
    run = run_collect(tmp_path / "returned", plan, KEY, CollectOptions(tmp_path / "out", issued=date(2023, 5, 8)))
    assert run.clean, [p.message for p in run.problems]
    folder = run.folder

    # results.json: totals, grades, parts and every level of the tree
    saved = {u["unit"]: u for u in json.loads((folder / "results.json").read_text(encoding="utf-8"))["units"]}
    for unit, total in TOTALS.items():
        assert (saved[unit]["total"], saved[unit]["grade"], saved[unit]["rank"]) == (
            float(total),
            GRADES[unit],
            ["南区", "西区", "东区"].index(unit) + 1,
        )
        assert tuple(saved[unit]["parts"][p] for p in ("p1", "p2")) == tuple(map(float, PARTS[unit]))
        assert tuple(saved[unit]["key_points"][k] for k in ("01", "01a", "01b", "03")) == tuple(
            map(float, KEY_POINTS[unit])
        )

    # master.xlsx: 汇总 with the parts, 分级小计 with the tree, the grading note in the plan's words
    book = openpyxl.load_workbook(folder / "master.xlsx")
    summary = list(book["汇总"].iter_rows(values_only=True))
    header = summary[2]
    assert header[:9] == ("排名", "被考核单位", "质量整体水平", "质量政策制度", "平时考核（折算）", "年终考核（折算）",
                          "加分", "扣分", "总分")  # fmt: skip
    assert [(r[1], r[4], r[5], r[8], r[9]) for r in summary[3:6]] == [
        ("南区", 72, 48, 118, "优秀"), ("西区", 65.4, 45, 108.9, "良好"), ("东区", 65.4, 24, 90.4, "合格")
    ]  # fmt: skip
    notes = [r[0] for r in summary[6:] if r[0]]
    assert notes[0] == "等级标准：优秀 ≥ 110 分；良好 ≥ 100 分；合格 ≥ 72 分；其余为不合格；触发否决项的为不合格。"
    assert notes[2] == (
        "满分 120 分，其中平时考核 72 分（质量整体水平折算）、年终考核 48 分（质量政策制度折算），"
        "各部分和各级要点的得分见“分级小计”。"
    )
    tree = [r for r in book["分级小计"].iter_rows(values_only=True) if r[0]]
    assert tree[1] == ("考核领域及要点", "满分", "南区", "西区", "东区")
    assert [(r[0].strip("　"), r[1], *r[2:]) for r in tree[2:13]] == [
        ("质量整体水平", 60, 60, 54.5, 54.5),
        ("（一）质量发展", 60, 60, 54.5, 54.5),
        ("1.产品质量", 40, 40, 38, 36),
        ("2.农产品质量", 20, 20, 16.5, 18.5),
        ("质量政策制度", 40, 40, 37.5, 20),
        ("（三）质量工作制度", 40, 40, 37.5, 20),
        ("平时考核（质量整体水平，权重 72 分，折算）", 72, 72, 65.4, 65.4),
        ("年终考核（质量政策制度，权重 48 分，折算）", 48, 48, 45, 24),
        ("加分", 1, 0, 0, 1),
        ("扣分", None, 2, 1.5, 0),
        ("总分", 120, 118, 108.9, 90.4),
    ]
    assert [r[0] for r in tree[2:6]] == ["质量整体水平", "　（一）质量发展", "　　1.产品质量", "　　2.农产品质量"]
    master_pdf = pdf_text(folder / "master.xlsx", tmp_path / "pdf")
    assert "分级小计" in master_pdf and "118.00" in master_pdf
    no_foreign_words(master_pdf)

    # 通报 and 公告名单: the grade names as they are, the units by grade
    (notice,) = folder.glob("*通报*.docx")
    text = docx_text(notice)
    assert "优秀（1个）：南区人民政府；" in text and "良好（1个）：西区人民政府；" in text
    assert "合格（1个）：东区人民政府。" in text
    no_foreign_words(text)
    public = [r for r in openpyxl.load_workbook(folder / "公告名单.xlsx")["公告名单"].iter_rows(values_only=True)]
    assert [r[:2] for r in public[2:5]] == [
        ("南区人民政府", "优秀"),
        ("西区人民政府", "良好"),
        ("东区人民政府", "合格"),
    ]

    # the letters: each unit's total, grade word and the distance to the next grade in the plan's words; the
    # table's parts with their weights and the total against 120
    said = {
        "南区": "你单位总分 118.00 分，等级为 优秀，在 3 个被考核单位中排名第 1 位，已达到最高等级标准。",
        "西区": "你单位总分 108.90 分，等级为 良好，在 3 个被考核单位中排名第 2 位，距 优秀（110 分）还差 1.10 分。",
        "东区": "你单位总分 90.40 分，等级为 合格，在 3 个被考核单位中排名第 3 位，距 良好（100 分）还差 9.60 分。",
    }
    for unit, total in TOTALS.items():
        (letter,) = (folder / "反馈意见").glob(f"{unit}_*.docx")
        document = docx.Document(str(letter))
        assert any(p.text.replace("\u00a0", " ").startswith(said[unit]) for p in document.paragraphs), unit
        rows = [[c.text.replace("\u00a0", " ") for c in r.cells] for r in document.tables[0].rows]
        p1, p2 = PARTS[unit]
        assert rows[3:] == [
            ["平时考核（权重 72 分，折算）", "72.00", p1, f"{72 - float(p1):.2f}"],
            ["年终考核（权重 48 分，折算）", "48.00", p2, f"{48 - float(p2):.2f}"],
            ["加分", "1.00", "1.00" if unit == "东区" else "0.00", ""],
            ["扣分", "", {"南区": "2.00", "西区": "1.50", "东区": "0.00"}[unit], ""],
            ["总分", "120.00", total, ""],
        ]
        no_foreign_words(docx_text(letter))

    capped = dataclasses.replace(plan, grading=dataclasses.replace(plan.grading, bonus_cap=Decimal("0.5")))
    context = letter_context(capped, run.results, run.results.units[0], date(2023, 5, 8), "初稿")
    assert (context["加分上限"], context["满分"]) == ("0.50", "120.00")
    assert [r["名称"] for r in context["分级小计"]] == [
        "质量整体水平", "（一）质量发展", "1.产品质量", "2.农产品质量", "质量政策制度", "（三）质量工作制度"
    ]  # fmt: skip

    # 得分核对单: the total said with the parts; 南区 (县) is not asked about the bonus item for 区
    prechecks, problems = write_prechecks(folder, plan, date(2023, 5, 20))
    assert problems == [] and prechecks is not None
    sheets = {p.name.split("_")[0]: list(openpyxl.load_workbook(p).active.iter_rows(values_only=True))
              for p in prechecks.glob("*.xlsx")}  # fmt: skip
    assert sheets["西区"][1][0].startswith(
        "总分 108.90 分（各部分折算得分（所含领域得分合计 × 权重 ÷ 所含领域满分合计，四舍五入到0.01分）+ 加分 − 扣分），"
        "其中平时考核（权重 72 分）折算 65.40 分、年终考核（权重 48 分）折算 45.00 分"
    )
    assert "03-2" not in [r[0] for r in sheets["南区"]] and "03-2" in [r[0] for r in sheets["东区"]]

    # approved: the record keeps the same totals and grade words
    approval, problems = approve_run(folder, plan, Stage.APPROVED, "会议纪要", by="张三", now=datetime(2023, 5, 8, 10))
    assert problems == [] and approval is not None
    record = json.loads((folder / "审定记录.json").read_text(encoding="utf-8"))["records"][0]["units"]
    assert {u: (r["total"], r["grade"]) for u, r in record.items()} == {u: (TOTALS[u], GRADES[u]) for u in TOTALS}
    for path in approval.documents.rglob("*.docx"):
        no_foreign_words(docx_text(path))


def test_the_results_page_draws_the_totals_against_the_plans_full_marks_coloured_by_grade(tmp_path: Path) -> None:
    from qe_workbook.ui.app import create_app

    root = tmp_path / "工作区"
    (root / "out").mkdir(parents=True)
    plan = load_ok(write_json(root / "rubric.json", plan_data()))
    fill_all(generate(plan, tmp_path / "forms"), tmp_path / "returned", answers())
    run_collect(tmp_path / "returned", plan, KEY, CollectOptions(root / "out" / "results"))
    token = "t" * 32
    page = create_app(root, token).test_client().get(f"/{token}/results", headers={"Host": "127.0.0.1"})
    chart = page.get_data(as_text=True).split('id="chart-total"')[1].split("</svg>")[0]
    bars = re.findall(r'width="([\d.]+)" class="grade-(\d)"', chart)
    assert bars == [("590.0", "0"), ("544.5", "1"), ("452.0", "2")]  # 600 px = 120 分: 118, 108.9, 90.4
    assert "118.00　优秀" in chart and "90.40　合格" in chart


def test_a_quota_on_a_named_grade_is_said_with_the_names(tmp_path: Path) -> None:
    data = plan_data()
    data["grading"]["thresholds"][0]["min"] = 108  # 西区 108.90 reaches 优秀 too, the plan allows one
    data["grading"]["limits"] = [{"grade": "优秀", "max_units": 1}]
    plan = load_ok(write_json(tmp_path / "rubric.json", data))
    fill_all(generate(plan, tmp_path / "forms"), tmp_path / "returned", answers())
    run = run_collect(tmp_path / "returned", plan, KEY, CollectOptions(tmp_path / "out"))
    said = "总分 108.90 分（第 2 名）达到优秀分数线，但考核细则规定优秀最多 1 个单位（本次 1 个），按排名由优秀降为良好"
    assert [d.sentence() for d in run.results.demotions] == [said]
    notes = [r[0] for r in openpyxl.load_workbook(run.folder / "master.xlsx")["汇总"].iter_rows(values_only=True)]
    assert f"等级数量上限：西区{said}。" in notes


def test_the_grade_map_for_the_comprehensive_assessment_is_explained_with_the_plans_grades(plan: Rubric) -> None:
    with pytest.raises(GradeMapError) as refused:
        parse_grade_map("优秀=100", plan)
    assert str(refused.value) == "缺少等级 良好、合格、不合格 的分值，例如 优秀=100,良好=90,合格=80,不合格=60。"
    assert parse_grade_map("优秀=100,良好=90,合格=80,不合格=60", plan)["合格"] == Decimal(80)


def test_grade_lines_in_percent_of_the_full_marks_are_drawn_in_points(tmp_path: Path) -> None:
    data = plan_data()
    data["grading"]["by_percent"] = True  # 90% / 80% / 60% of 120
    data["grading"]["thresholds"] = [
        {"grade": "优秀", "min": 90},
        {"grade": "良好", "min": 80},
        {"grade": "合格", "min": 60},
    ]
    plan = load_ok(write_json(tmp_path / "rubric.json", data))
    fill_all(generate(plan, tmp_path / "forms"), tmp_path / "returned", answers())
    run = run_collect(tmp_path / "returned", plan, KEY, CollectOptions(tmp_path / "out"))
    rows = list(openpyxl.load_workbook(run.folder / "master.xlsx")["图表数据"].iter_rows(values_only=True))
    start = next(n for n, r in enumerate(rows) if r[0] == "被考核单位" and r[1] == "总分")
    assert rows[start] == ("被考核单位", "总分", "优秀线（90%）", "良好线（80%）", "合格线（60%）")
    assert rows[start + 1] == ("南区", 118, 108, 96, 72)
    assert [u.grade for u in run.results.by_rank()] == ["优秀", "优秀", "合格"]  # 118, 108.9 ≥ 108; 72 ≤ 90.4 < 96


def test_the_rubric_workbook_names_a_grade_by_the_plans_name(tmp_path: Path) -> None:
    from qe_workbook.rubric.workbook.files import export_rubric
    from qe_workbook.rubric.workbook.read import read_workbook

    assert export_rubric(write_json(tmp_path / "rubric.json", plan_data()), tmp_path / "rubric.xlsx").path
    book = openpyxl.load_workbook(tmp_path / "rubric.xlsx")
    sheet = book["等级评定"]
    row = next(c.row for c in sheet["B"] if c.value == "良好")
    sheet.cell(row, 3).value = None
    book.save(tmp_path / "edited.xlsx")
    (empty,) = [p for p in read_workbook(tmp_path / "edited.xlsx").problems if p.code == "RUBRIC_XLSX_EMPTY"]
    assert "良好的最低分" in empty.message and "良好级" not in empty.message
