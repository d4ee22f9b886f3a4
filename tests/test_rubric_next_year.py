"""Next year's rubric the way the office makes it: qe rubric new-year, a clerk's edits in the workbook,
import, forms generated, filled and collected; totals written by hand."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document

from qe_workbook.cli import main
from qe_workbook.extras import extras_from
from qe_workbook.forms.fill import Answer
from qe_workbook.outputs.year_over_year import Run, RunUnit, compare_run_folders, compare_runs
from qe_workbook.pipeline import CollectOptions, RunReport, run_collect
from qe_workbook.rubric import Kind, Rubric
from qe_workbook.rubric.compare import ChangeKind, compare
from qe_workbook.rubric.new_year import new_year
from qe_workbook.rubric.workbook.files import import_rubric

from .conftest import ROOT, UNITS_2022, load_ok
from .forms import KEY, TIE, fill_all, generate, with_changes
from .test_real_clients import _libreoffice


def full_marks(rubric: Rubric) -> dict[str, dict[tuple[str, str], Answer]]:
    """Every form filled with nothing lost: full points, no events, no bonus, no veto."""
    value = {Kind.SCORE: None, Kind.DEDUCTION: 0, Kind.BONUS: 0, Kind.VETO: "否"}
    return {
        ev.name: {
            (u.name, i.id): (value[i.kind] if i.kind is not Kind.SCORE else i.max, "")
            for u in rubric.units
            for i in rubric.items_for(ev.name)
        }
        for ev in rubric.form_evaluators()
    }


def collected(rubric: Rubric, folder: Path, changes: dict[str, dict[tuple[str, str], Answer]]) -> RunReport:
    answers = full_marks(rubric)
    for evaluator, cells in changes.items():
        answers[evaluator].update(cells)
    fill_all(generate(rubric, folder / "forms"), folder / "returned", answers)
    return run_collect(folder / "returned", rubric, KEY, CollectOptions(folder / "results", reports=False))


def clerk_edits(wb: openpyxl.Workbook) -> None:
    """What the 2023 plan changed, typed into the workbook as a clerk would."""
    wb["被考核单位"].append(["新区", "漯河市新区管委会"])
    items = wb["评价项目"]
    rows = {items.cell(r, 11).value: r for r in range(2, items.max_row + 1)}
    items.delete_rows(rows["16-5"])  # 自愿性认证 checks dropped (0.3) ...
    row = rows["16-3"]  # ... 小微企业认证 down from 0.7 to 0.5 ...
    items.cell(row, 4).value = "开展小微企业质量管理体系认证提升行动。（0.5分）"
    items.cell(row, 7).value = 0.5
    # ... and a new item for a new department (0.5), its id left blank: 13 points in the area again
    new_row = items.max_row + 1  # the first empty row, as a clerk would type
    typed = ["质量基础设施", "（十六）提升质量认证效能", None, "推进质量认证数据共享。（0.5分）", "市数据局",
             "评分项", 0.5, None, None, "认证数据共享和电子证书应用情况。"]  # fmt: skip
    for col, value in enumerate(typed, start=1):
        items.cell(new_row, col).value = value
    wb["评价部门"].append(["市数据局", "漯河市数据局", None, "0395-6666666", "sjj@example.cn", None])


def clerk_workbook(folder: Path) -> Path:
    """rubric-2023.xlsx from qe rubric new-year, with the clerk's edits saved."""
    made = new_year(ROOT / "rubric.json", 2023, folder / "rubric-2023.xlsx")
    assert made.written is not None, made.problems
    wb = openpyxl.load_workbook(made.written)
    clerk_edits(wb)
    wb.save(made.written)
    return made.written


@pytest.fixture(scope="module")
def rubric_2023(tmp_path_factory: pytest.TempPathFactory) -> Rubric:
    folder = tmp_path_factory.mktemp("rubric-2023")
    imported = import_rubric(clerk_workbook(folder), folder / "rubric.json")
    assert imported.ok, imported.problems
    assigned = [p.message for p in imported.problems if p.code == "RUBRIC_XLSX_ID_ASSIGNED"]
    assert assigned == [
        "[评价项目] 第 67 行 K 列：新项目未填编号，已编为 2023-16-1。无需处理；建议在工作簿的编号列中写上该编号，以后各年度保持不变。"
    ]
    return load_ok(folder / "rubric.json")


def test_new_year_moves_dates_and_keeps_everything_else(tmp_path: Path, rubric_2022: Rubric) -> None:
    made = new_year(ROOT / "rubric.json", 2023, tmp_path / "rubric-2023.json")
    assert made.data is not None and made.written is not None
    assert made.data["title"] == "漯河市2023年度政府质量工作考核方案"
    assert made.data["period"] == {"start": "2023-01-01", "end": "2023-12-31"}
    assert made.data["deadlines"] == {"materials": "2024-04-10", "form_return": "2024-04-30"}
    rubric = load_ok(made.written)
    diff = compare(rubric_2022, rubric)
    assert [c.kind for c in diff.changes] == [ChangeKind.SETTING_CHANGED]
    assert [i.id for i in rubric.items] == [i.id for i in rubric_2022.items]
    assert rubric.decisions == rubric_2022.decisions
    assert made.checklist[2] == (
        "3. 县区材料截止日期 2024-04-10、评价表回收截止日期 2024-04-30：按上年日期顺延一年，请按新方案修改。"
    )
    assert "10. 上年缺少联系方式的评价部门：财务装备科，请补充。" in made.checklist
    again = new_year(ROOT / "rubric.json", 2023, made.written)
    assert again.written is None and [p.code for p in again.problems] == ["RUBRIC_OUTPUT_EXISTS"]


def test_cli_new_year_prints_the_checklist(tmp_path: Path) -> None:
    out = tmp_path / "rubric-2023.xlsx"
    result = CliRunner().invoke(main, ["rubric", "new-year", "2023", "--rubric", str(ROOT / "rubric.json"), "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (
        "6. 考核要点（16 个）和评价项目（66 项：评分项 56 项、扣分项 6 项、加分项 3 项、否决项 1 项）" in result.output
    )
    assert f"qe rubric import {out} --out rubric.json" in result.output


def test_the_clerks_workbook_saved_again_by_libreoffice_imports_the_same(tmp_path: Path, rubric_2023: Rubric) -> None:
    edited = clerk_workbook(tmp_path)
    _libreoffice([edited], tmp_path / "saved", tmp_path / "profile")
    result = import_rubric(tmp_path / "saved" / edited.name, tmp_path / "rubric.json")
    assert result.ok, result.problems
    assert load_ok(tmp_path / "rubric.json").content_hash == rubric_2023.content_hash


def test_the_clerks_2023_rubric_differs_in_exactly_the_edits(rubric_2022: Rubric, rubric_2023: Rubric) -> None:
    diff = compare(rubric_2022, rubric_2023)
    assert diff.keys(ChangeKind.UNIT_ADDED) == ["新区"]
    assert diff.keys(ChangeKind.ITEM_REMOVED) == ["16-5"]
    assert diff.keys(ChangeKind.ITEM_ADDED) == ["2023-16-1"]
    assert diff.keys(ChangeKind.ITEM_CHANGED) == ["16-3"]
    assert diff.keys(ChangeKind.EVALUATOR_ADDED) == ["市数据局"]
    assert not diff.of_kind(ChangeKind.AREA_CHANGED, ChangeKind.GRADING_CHANGED, ChangeKind.UNIT_REMOVED)
    assert diff.for_item("16-3").sentence.endswith("分值由 0.7 分 改为 0.5 分")  # type: ignore[union-attr]
    assert [u.name for u in rubric_2023.units] == [*UNITS_2022, "新区"]


@pytest.fixture(scope="module")
def run_2023(tmp_path_factory: pytest.TempPathFactory, rubric_2023: Rubric) -> RunReport:
    return collected(
        rubric_2023,
        tmp_path_factory.mktemp("run-2023"),
        {
            "市数据局": {("新区", "2023-16-1"): (0.25, "认证数据尚未接入省平台。")},
            "认证认可科": {("新区", "16-3"): (0.4, "小微企业认证提升行动覆盖面不足。")},
            "监督科": {("临颍县", "02-1"): (2, "发生两起重大产品质量事件。")},
            "市住建局": {("源汇区", "11-3"): (1, "获得“中州杯”省优质工程奖。")},
        },
    )


def test_forms_from_the_2023_rubric_collect_to_the_totals_worked_by_hand(
    rubric_2023: Rubric, run_2023: RunReport
) -> None:
    report = run_2023
    assert [p for p in report.problems if p.severity == "error"] == []
    assert "16-5" not in {i.id for i in rubric_2023.items_for("认证认可科")}
    by_unit = {u.unit: u for u in report.results.units}
    # 新区: 100 − (0.5 − 0.25) − (0.5 − 0.4) = 99.65, all of it lost in 质量基础设施 (13 → 12.65)
    assert by_unit["新区"].total == Decimal("99.65")
    assert by_unit["新区"].areas["5"] == Decimal("12.65")
    assert by_unit["临颍县"].total == 98  # two events × 1, capped at 2
    assert by_unit["源汇区"].total == 101  # the bonus
    ranks = [(u.unit, u.total, u.grade, u.rank) for u in report.results.by_rank()]
    assert ranks[0] == ("源汇区", 101, "A", 1)
    assert ranks[1:7] == [(name, 100, "A", 2) for name in UNITS_2022 if name not in ("临颍县", "源汇区")]
    assert ranks[7:] == [("新区", Decimal("99.65"), "A", 8), ("临颍县", 98, "A", 9)]


def test_year_over_year_from_two_run_folders(tmp_path: Path, rubric_2022: Rubric, run_2023: RunReport) -> None:
    # 2022: 舞阳县 lost 1 point on 01-1 (99, 8th); the other seven tie at 100
    run_2022 = collected(rubric_2022, tmp_path / "2022", {"市质强办": {("舞阳县", "01-1"): (4, "合格率略低。")}})
    out = tmp_path / "年度比较.xlsx"
    result = compare_run_folders(run_2022.folder, run_2023.folder, out)
    assert result.written == out and result.result is not None
    yoy = result.result
    changes = {c.unit: (c.old.total, c.new.total, c.total_change, c.old.rank, c.new.rank) for c in yoy.units}
    assert changes["舞阳县"] == (99, 100, 1, 8, 2)
    assert changes["临颍县"] == (100, 98, -2, 1, 9)
    assert changes["源汇区"] == (100, 101, 1, 1, 1)
    assert yoy.units_added == ["新区"] and yoy.units_removed == []
    assert (yoy.items_added, yoy.items_removed) == (["2023-16-1"], ["16-5"])
    assert [(m.old_id, m.new_id, m.by) for m in yoy.areas] == [(a, a, "编号") for a in "12345"]
    areas = {(r[0], r[1]): r[4] for r in yoy.area_rows()}
    assert areas[("舞阳县", "质量整体水平")] == 1
    assert {areas[("临颍县", a)] for a in ("质量整体水平", "质量安全监管")} == {0}  # a deduction is not area points
    sheet = openpyxl.load_workbook(out)["总分和等级"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["舞阳县"] == ("舞阳县", 99, 100, 1, "A", "A", 8, 2, "上升 6 位")
    assert rows["新区"] == ("新区", None, 99.65, None, None, "A", None, 8, "本年新增")
    shown = CliRunner().invoke(main, ["compare", str(run_2022.folder), str(run_2023.folder), "--out", str(tmp_path / "again.xlsx")])  # fmt: skip
    assert shown.exit_code == 0, shown.output
    line = next(x for x in shown.output.splitlines() if x.startswith("临颍县"))
    assert line.split() == ["临颍县", "100.00", "98.00", "-2.00", "A", "A", "1", "9", "下降", "8", "位"]
    assert "新增项目：2023-16-1" in shown.output and "取消项目：16-5" in shown.output
    refused = CliRunner().invoke(main, ["compare", str(run_2022.folder), str(run_2023.folder), "--out", str(out)])
    assert refused.exit_code == 1 and "已存在，未覆盖" in refused.output


def test_areas_renumbered_are_matched_by_name(tmp_path: Path) -> None:
    def run(year: int, areas: dict[str, str]) -> Run:
        unit = RunUnit("东区", Decimal(90), "A", 1, True, {a: Decimal(45) for a in areas}, {}, {})
        return Run(tmp_path, year, areas, {"东区": unit})

    yoy = compare_runs(run(2022, {"1": "质量整体水平", "2": "质量基础设施"}), run(2023, {"1": "质量整体水平", "3": "质量基础设施", "4": "质量文化"}))  # fmt: skip
    assert [(m.old_id, m.new_id, m.by) for m in yoy.areas] == [("1", "1", "编号"), ("2", "3", "名称")]
    assert (yoy.areas_added, yoy.areas_removed) == (["质量文化"], [])


def test_a_folder_that_is_not_a_run(tmp_path: Path) -> None:
    result = compare_run_folders(tmp_path, tmp_path)
    assert result.written is None
    assert [p.code for p in result.problems] == ["COMPARE_RUN_INVALID", "COMPARE_RUN_INVALID"]


def test_collect_with_previous_adds_the_comparison_sheet(tmp_path: Path, small_rubric: Rubric) -> None:
    fill_all(generate(small_rubric, tmp_path / "forms"), tmp_path / "before", TIE)
    before = run_collect(tmp_path / "before", small_rubric, KEY, CollectOptions(tmp_path / "results", reports=False))
    # 乙局 corrects 东区's 03-1 from 35 to 40: 东区 90.5 → 95.5, now alone in 2nd place; 西区 drops to 3rd
    fill_all(generate(small_rubric, tmp_path / "forms2"), tmp_path / "after", with_changes(TIE, "乙局", {("东区", "03-1"): (40, "")}))  # fmt: skip
    after = run_collect(
        tmp_path / "after", small_rubric, KEY, CollectOptions(tmp_path / "results"), extras_from(previous=before.folder)
    )
    sheet = openpyxl.load_workbook(after.folder / "master.xlsx")["与上年比较"]
    rows = [r for r in sheet.iter_rows(min_row=2, max_row=4, values_only=True)]
    assert rows == [
        ("南区", 98, 98, 0, "A", "A", 1, 1, "不变"),
        ("东区", 90.5, 95.5, 5, "A", "A", 2, 2, "不变"),
        ("西区", 90.5, 90.5, 0, "A", "A", 2, 3, "下降 1 位"),
    ]
    letter = Document(str(after.folder / "反馈意见" / "东区_2022年度质量工作考核反馈意见.docx"))
    assert "与2022年度相比：你单位总分由 90.50 分变为 95.50 分（增加 5.00 分），等级由A级变为A级，排名由第 2 位变为第 2 位（不变）。" in [p.text for p in letter.paragraphs]  # fmt: skip
    missing = run_collect(tmp_path / "after", small_rubric, KEY, CollectOptions(tmp_path / "results", reports=False), extras_from(previous=tmp_path))  # fmt: skip
    assert "COMPARE_RUN_INVALID" in {p.code for p in missing.problems}
    assert "与上年比较" not in openpyxl.load_workbook(missing.folder / "master.xlsx").sheetnames
