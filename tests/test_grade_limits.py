"""The rubric's optional cap on a grade ("at most N units graded A"): the plan's grade proposal, visibly.

The small rubric (tests/conftest.py) has A ≥ 90, B ≥ 80. Filled as TIE but with 乙局 giving 西区 39.5 on 03-1
(instead of 37.5): 南区 98, 西区 92.5, 东区 90.5 — all three reach A.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from qe_workbook.cli import main
from qe_workbook.pipeline import CollectOptions, run_collect
from qe_workbook.rubric import GradeLimit, load_rubric
from qe_workbook.rubric.load import canonical_json, read_rubric_json
from qe_workbook.rubric.workbook.files import export_rubric
from qe_workbook.rubric.workbook.read import read_workbook
from qe_workbook.scoring.adopt import AdjustKind, Adjustment, adopted_results
from qe_workbook.scoring.score import Results

from .conftest import ROOT, load_ok, small_rubric_data, write_json
from .forms import KEY, TIE, fill_all, generate, with_changes

SPREAD = with_changes(TIE, "乙局", {("西区", "03-1"): (39.5, "部分制度未落实。")})


def scored(tmp_path: Path, limits: list[dict[str, Any]], answers: Any = SPREAD, **more: Any) -> Results:
    data = small_rubric_data()
    data["grading"]["limits"] = limits
    data["grading"].update(more)
    rubric = load_ok(write_json(tmp_path / "rubric.json", data))
    fill_all(generate(rubric, tmp_path / "forms"), tmp_path / "returned", answers)
    return run_collect(tmp_path / "returned", rubric, KEY, CollectOptions(tmp_path / "results")).results


def grades(results: Results) -> dict[str, str]:
    return {u.unit: u.grade for u in results.units}


def test_at_most_two_a_pushes_down_the_third(tmp_path: Path) -> None:
    results = scored(tmp_path, [{"grade": "A", "max_units": 2}])
    assert grades(results) == {"南区": "A", "西区": "A", "东区": "B"}
    (demotion,) = results.demotions
    assert (demotion.unit, demotion.reached, demotion.grade, demotion.tied) == ("东区", "A", "B", False)
    sentence = "总分 90.50 分（第 3 名）达到A级分数线，但考核细则规定A级最多 2 个单位（本次 2 个），按排名由A级降为B级"
    assert demotion.sentence() == sentence
    (note,) = [p for p in results.problems if p.code == "GRADE_LIMIT_APPLIED"]
    assert note.message.startswith(f"东区：{sentence}")
    assert {u.unit: u.rank for u in results.units} == {"南区": 1, "西区": 2, "东区": 3}  # ranks stay by total

    run = next((tmp_path / "results").iterdir())
    summary = list(openpyxl.load_workbook(run / "master.xlsx")["汇总"].iter_rows(values_only=True))
    by_unit = {row[1]: row for row in summary if row[1] in ("东区", "西区", "南区")}
    head = next(row for row in summary if row[0] == "排名")
    assert by_unit["东区"][head.index("等级")] == "B" and by_unit["西区"][head.index("等级")] == "A"
    assert any(isinstance(c, str) and c == f"等级数量上限：东区{sentence}。" for row in summary for c in row)
    letter = docx.Document(
        str(run / "反馈意见" / next(p.name for p in (run / "反馈意见").iterdir() if "东区" in p.name))
    )
    text = "\n".join(p.text for p in letter.paragraphs)
    assert f"按考核细则的等级数量上限，你单位{sentence}。" in text
    assert "已达到A级分数线，因等级数量上限定为B级" in text and "已达到最高等级标准" not in text
    other = docx.Document(
        str(run / "反馈意见" / next(p.name for p in (run / "反馈意见").iterdir() if "西区" in p.name))
    )
    assert "等级数量上限" not in "\n".join(p.text for p in other.paragraphs)


def test_a_tie_at_the_cap_is_not_split(tmp_path: Path) -> None:
    # TIE: 南区 98, 东区 and 西区 90.5 each; two As allowed, but the tied pair would make three: both go to B
    results = scored(tmp_path, [{"grade": "A", "max_units": 2}], TIE)
    assert grades(results) == {"南区": "A", "东区": "B", "西区": "B"}
    assert [(d.unit, d.tied) for d in results.demotions] == [("东区", True), ("西区", True)]
    assert "与同分单位一并调整（并列时不拆分）" in results.demotions[0].sentence()


def test_a_share_rounds_down_and_caps_cascade(tmp_path: Path) -> None:
    # 34 % of 3 units is 1.02 → 1 A; then at most 1 B: 西区 (92.5) keeps B, 东区 (90.5) goes on to C
    results = scored(tmp_path, [{"grade": "B", "max_units": 1}, {"grade": "A", "max_percent": 34}])
    assert grades(results) == {"南区": "A", "西区": "B", "东区": "C"}
    assert [(d.unit, d.reached, d.grade) for d in results.demotions] == [("西区", "A", "B"), ("东区", "A", "B"),
                                                                            ("东区", "B", "C")]  # fmt: skip


def test_a_vetoed_unit_is_not_counted(tmp_path: Path) -> None:
    vetoed = with_changes(SPREAD, "质强办", {("南区", "02-2"): ("是", "发生区域性质量安全事件。")})
    results = scored(tmp_path, [{"grade": "A", "max_units": 2}], vetoed)
    assert grades(results) == {"南区": "D", "西区": "A", "东区": "A"} and results.demotions == []


def test_the_rule_is_validated_and_off_for_the_2022_rubric(tmp_path: Path) -> None:
    assert load_ok(ROOT / "rubric.json").grading.limits == ()
    data = small_rubric_data()
    data["grading"]["limits"] = [{"grade": "D", "max_units": 1}, {"grade": "A", "max_units": 1, "max_percent": 20},
                                 {"grade": "B", "max_percent": 30}]  # fmt: skip
    load = load_rubric(write_json(tmp_path / "bad.json", data))
    found = {(p.code, p.cell) for p in load.problems}
    assert found == {("RUBRIC_SCHEMA", "$.grading.limits[1]")}
    (schema,) = load.problems
    assert (
        "“max_units”“max_percent”“top_units”“top_percent”（最多几个、最多百分之几、前几名、前百分之几）应填且只填一个"
        in schema.message
    )
    del data["grading"]["limits"][1]
    load = load_rubric(write_json(tmp_path / "bad.json", data))
    assert [(p.code, p.cell) for p in load.problems] == [("RUBRIC_LIMIT_GRADE", "$.grading.limits[0].grade")]
    del data["grading"]["limits"][0]
    rubric = load_ok(write_json(tmp_path / "ok.json", data))
    assert rubric.grading.limits == (GradeLimit("B", None, Decimal(30)),)
    assert rubric.grading.limits[0].allowed(8) == 2 and rubric.grading.limits[0].allowed(10) == 3


@pytest.mark.parametrize("limits", [[{"grade": "A", "max_units": 2}], [{"grade": "A", "max_percent": 30},
                                                                       {"grade": "B", "max_percent": 12.5}]])  # fmt: skip
def test_the_workbook_carries_the_limits_both_ways(tmp_path: Path, limits: list[dict[str, Any]]) -> None:
    data = small_rubric_data()
    data["grading"]["limits"] = limits
    src = write_json(tmp_path / "rubric.json", data)
    assert export_rubric(src, tmp_path / "rubric.xlsx").path
    sheet = openpyxl.load_workbook(tmp_path / "rubric.xlsx")["等级评定"]
    rows = [(r[1], r[2]) for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "等级数量上限"]
    assert rows == [(x["grade"], str(x["max_units"]) if "max_units" in x else f"{x['max_percent']}%") for x in limits]
    read = read_workbook(tmp_path / "rubric.xlsx")
    assert read.problems == []
    assert canonical_json(read.data) == canonical_json(read_rubric_json(src)[0])


def test_rubric_show_lists_the_grading_rules(tmp_path: Path) -> None:
    data = small_rubric_data()
    data["grading"]["limits"] = [{"grade": "A", "max_units": 2}]
    path = write_json(tmp_path / "rubric.json", data)
    shown = CliRunner().invoke(main, ["rubric", "show", "--rubric", str(path)])
    assert shown.exit_code == 0, shown.output
    assert "等级分数线：A级 ≥ 90 分；B级 ≥ 80 分；C级 ≥ 60 分；其余为D级" in shown.output
    assert (
        "等级数量上限：A级最多 2 个单位；超出的按排名（总分从高到低）降一级，同分的不拆分（一并降级）" in shown.output
    )
    report = json.loads(CliRunner().invoke(main, ["rubric", "show", "--rubric", str(path), "--json"]).output)
    assert report["grading"][-1]["text"].startswith("A级最多 2 个单位")
    plain = CliRunner().invoke(main, ["rubric", "show", "--rubric", str(ROOT / "rubric.json")])
    assert "等级数量上限：不限" in plain.output


def test_the_meetings_adjustment_of_a_unit_replaces_the_cap_for_it(tmp_path: Path) -> None:
    results = scored(tmp_path, [{"grade": "A", "max_units": 2}])
    rubric = load_ok(tmp_path / "rubric.json")
    set_a = Adjustment("东区", AdjustKind.SET, None, "A", "市政府常务会议纪要", "", "A2")
    after = adopted_results(results, [set_a], rubric)
    assert grades(after)["东区"] == "A" and after.demotions == []  # its letter no longer gives the cap as the reason
    bonus = Adjustment("西区", AdjustKind.ADD, Decimal(1), None, "市政府常务会议纪要", "", "A2")
    kept = adopted_results(results, [bonus], rubric)
    assert grades(kept) == {"南区": "A", "西区": "A", "东区": "B"} and [d.unit for d in kept.demotions] == ["东区"]
