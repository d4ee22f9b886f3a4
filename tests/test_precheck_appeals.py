"""Appeals: a 得分核对单 per unit with an 异议 column and the deadline; the office's 异议登记 shown in the run."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from qe_workbook.cli import main
from qe_workbook.extras import Appeals
from qe_workbook.pipeline import CollectOptions, run_collect
from qe_workbook.record.appeals import write_template
from qe_workbook.rubric import Rubric

from .forms import KEY, TIE, fill_all, generate
from .test_print import pages, to_pdf


def rows_of(path: Path) -> list[tuple[object, ...]]:
    return list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))


def test_precheck_lists_each_units_scores_with_an_appeal_column_and_the_deadline(
    tmp_path: Path, small_rubric: Rubric, small_rubric_path: Path
) -> None:
    fill_all(generate(small_rubric, tmp_path / "forms"), tmp_path / "returned", TIE)
    run = run_collect(tmp_path / "returned", small_rubric, KEY, CollectOptions(tmp_path / "results")).folder
    done = CliRunner().invoke(
        main, ["precheck", str(run), "--deadline", "2023-05-20", "--rubric", str(small_rubric_path)]
    )
    assert done.exit_code == 0, done.output
    (folder,) = (run / "得分核对单").iterdir()
    assert sorted(p.name for p in folder.iterdir()) == [
        f"{u}_2022年度质量工作考核得分核对单.xlsx" for u in ("东区", "南区", "西区")
    ]
    east = rows_of(folder / "东区_2022年度质量工作考核得分核对单.xlsx")
    header = east[3]
    assert header[-1] == "异议（如有，请写明理由和佐证材料）"
    table = {row[0]: row for row in east[4:] if row[0] and str(row[0])[:2].isdigit()}
    # 01-1: 甲局 gave 36 of 40, a shortfall: its remark is shown; 03-2 (bonus 1): no shortfall, no remark
    assert table["01-1"][3:7] == ("40", "36.00", "甲局", "合格率略低于全市平均，建议加强抽检。")
    assert table["01-2"][4] == "18.50"  # (18 + 19) / 2, the joint item's mean
    assert table["03-2"][4:7] == ("1.00", "乙局", "")
    assert any("2023年5月20日" in str(row[0]) for row in east)
    (pdf,) = to_pdf([folder / "东区_2022年度质量工作考核得分核对单.xlsx"], tmp_path, tmp_path / "lo-profile")
    printed = pages(
        pdf
    )  # the deadline and the issuer at the top, the unit and the page on every page, signed at the end
    top = [line.strip() for line in printed[0].splitlines() if line.strip()][:4]
    assert any(line.startswith("反馈截止日期：2023年5月20日") and "印发单位：质强办" in line for line in top), top
    for n, page in enumerate(printed, start=1):
        assert page.strip().split()[0] == "东区人民政府" and f"第 {n} 页，共 {len(printed)} 页" in page
    assert (
        re.search(r"^\s*被考核单位（盖章）：\s+填报日期：", printed[-1], re.MULTILINE) and "联系电话：" in printed[-1]
    )
    silent = CliRunner().invoke(main, ["precheck", str(run), "--deadline", "2023-05-20", "--disclose", "none",
                                       "--rubric", str(small_rubric_path)])  # fmt: skip
    assert silent.exit_code == 0, silent.output
    newest = sorted((run / "得分核对单").iterdir())[-1]
    assert newest != folder
    assert all(not row[6] for row in rows_of(newest / "东区_2022年度质量工作考核得分核对单.xlsx")[4:10])


def test_the_appeal_register_is_checked_and_shown_in_the_run(tmp_path: Path, small_rubric: Rubric) -> None:
    register = write_template(tmp_path / "异议登记.xlsx", small_rubric)
    book = openpyxl.load_workbook(register)
    for n, row in enumerate([
        ("东区", "01-1", "抽检数据有误", "检测报告", "甲局", "维持", "数据核实无误", date(2023, 5, 25)),
        ("西区", "03-1", "制度已落实", "印发文件", "乙局", None, None, None),
        ("北区", "01-1", "无", None, None, None, None, None),
    ], start=3):  # fmt: skip
        for col, value in enumerate(row, start=1):
            book.active.cell(n, col).value = value
    book.save(register)
    fill_all(generate(small_rubric, tmp_path / "forms"), tmp_path / "returned", TIE)
    run = run_collect(
        tmp_path / "returned", small_rubric, KEY, CollectOptions(tmp_path / "results"), [Appeals(register)]
    )
    assert [(p.code, p.cell) for p in run.problems if p.code.startswith("APPEAL")] == [
        ("APPEAL_PENDING", "A4"), ("APPEAL_UNKNOWN", "A5")]  # fmt: skip
    shown = list(openpyxl.load_workbook(run.folder / "master.xlsx")["异议登记"].iter_rows(min_row=2, values_only=True))
    assert shown == [
        ("东区", "01-1", "抽检数据有误", "检测报告", "甲局", "维持", "数据核实无误", "2023-05-25"),
        ("西区", "03-1", "制度已落实", "印发文件", "乙局", "待复核", "", ""),
    ]
    assert (run.folder / "异议登记.xlsx").read_bytes() == register.read_bytes()
