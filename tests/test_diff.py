"""What changed between two runs: `qe diff` names the changed item (old, new, file and cell) and the rank change."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from qe_workbook.cli import main
from qe_workbook.extras import Appeals
from qe_workbook.forms.layout import form_rows
from qe_workbook.pipeline import CollectOptions, run_collect
from qe_workbook.record.appeals import write_template
from qe_workbook.rubric import Rubric

from .forms import KEY, TIE, fill_all, generate, with_changes

FORM = "2022年度质量工作考核评价表_乙局.xlsx"


def test_diff_names_the_changed_item_and_the_rank_change(
    tmp_path: Path, small_rubric: Rubric, small_rubric_path: Path
) -> None:
    generated = generate(small_rubric, tmp_path / "forms")
    fill_all(generated, tmp_path / "r1", TIE)
    # 乙局 corrects 西区's 03-1 from 37.5 to 39.5: 西区 92.5 moves ahead of 东区 (90.5), 南区 stays first
    fill_all(generated, tmp_path / "r2", with_changes(TIE, "乙局", {("西区", "03-1"): (39.5, "部分制度未落实。")}))
    appeals = write_template(tmp_path / "异议登记.xlsx", small_rubric)  # the appeal behind the correction
    book = openpyxl.load_workbook(appeals)
    row = ("西区", "03-1", "制度已全部落实", "印发文件", "乙局", "调整", "核实后调整", date(2023, 5, 25))
    for col, value in enumerate(row, start=1):
        book.active.cell(3, col).value = value
    book.save(appeals)
    old = run_collect(tmp_path / "r1", small_rubric, KEY, CollectOptions(tmp_path / "results")).folder
    new = run_collect(
        tmp_path / "r2", small_rubric, KEY, CollectOptions(tmp_path / "results"), [Appeals(appeals)]
    ).folder
    cell = next(r.score_cell for r in form_rows(small_rubric, "乙局") if (r.unit.name, r.item.id) == ("西区", "03-1"))
    args = ["diff", str(old), str(new), "--rubric", str(small_rubric_path), "--out", str(tmp_path / "变更说明.xlsx")]

    shown = CliRunner().invoke(main, [*args, "--json"])
    assert shown.exit_code == 0, shown.output
    report = json.loads(shown.output)
    assert report["items"] == [{
        "unit": "西区", "item_id": "03-1", "item_text": "完善质量工作制度。（40分）", "old": "37.50", "new": "39.50",
        "old_from": f"{FORM} 评价表!{cell}", "new_from": f"{FORM} 评价表!{cell}",
        "behind": "异议：制度已全部落实；乙局复核意见：调整，2023-05-25",
    }]  # fmt: skip
    units = {u["unit"]: u for u in report["units"]}
    assert units["西区"] == {"unit": "西区", "old_total": "90.50", "new_total": "92.50", "delta": "+2.00",
                                  "old_grade": "A", "new_grade": "A", "old_rank": 2, "new_rank": 2}  # fmt: skip
    assert (units["东区"]["old_rank"], units["东区"]["new_rank"], units["东区"]["delta"]) == (2, 3, "0")
    assert (units["南区"]["old_rank"], units["南区"]["new_rank"]) == (1, 1)

    screen = CliRunner().invoke(main, args)
    assert screen.exit_code == 0, screen.output
    assert "37.50" in screen.output and "39.50" in screen.output and "东区" in screen.output
    assert "南区" not in screen.output.split("\n\n")[1]  # unchanged units are not listed
    book = openpyxl.load_workbook(tmp_path / "变更说明-2.xlsx")  # the first run of the command kept its file
    items = list(book["变化的项目得分"].iter_rows(min_row=3, values_only=True))
    assert items == [("西区", "03-1", "完善质量工作制度。（40分）", "37.50", "39.50", f"{FORM} 评价表!{cell}",
                      f"{FORM} 评价表!{cell}", "异议：制度已全部落实；乙局复核意见：调整，2023-05-25")]  # fmt: skip
    ranks = {row[0]: (row[6], row[7]) for row in book["各单位结果变化"].iter_rows(min_row=3, values_only=True)}
    assert ranks == {"东区": ("2", "3"), "西区": ("2", "2"), "南区": ("1", "1")}
