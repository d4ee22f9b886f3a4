"""The meeting's adjustments: applied after scoring, side by side in master.xlsx, with their basis in the letter."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
from click.testing import CliRunner

from qe_workbook.cli import main
from qe_workbook.extras import Adjustments
from qe_workbook.pipeline import CollectOptions, run_collect
from qe_workbook.record.adjustments import write_template
from qe_workbook.record.approval import approve_run, fingerprint
from qe_workbook.record.stages import Stage
from qe_workbook.rubric import Rubric

from .forms import KEY, TIE, fill_all, generate

MINUTES = "市质量强市工作领导小组2023年第2次会议纪要"


def adjustments_file(path: Path, rubric: Rubric, rows: list[tuple[str, ...]]) -> Path:
    write_template(path, rubric)
    book = openpyxl.load_workbook(path)
    for n, row in enumerate(rows, start=3):
        for col, value in enumerate(row, start=1):
            book.active.cell(n, col).value = value
    book.save(path)
    return path


def letter(folder: Path, unit: str) -> str:
    """The letter's text as read (the word joiners that hold numbers together on paper removed)."""
    document = docx.Document(str(folder / "反馈意见" / f"{unit}_2022年度质量工作考核反馈意见.docx"))
    return "\n".join(p.text for p in document.paragraphs).replace("\u00a0", " ")


def test_an_adjustment_with_its_basis_appears_in_master_and_in_the_units_letter(
    tmp_path: Path, small_rubric: Rubric
) -> None:
    # 东区 and 西区 tie at 90.5 (A) behind 南区's 98 (A); the meeting takes 1 point from 东区 and lowers 南区 a grade
    path = adjustments_file(tmp_path / "adjustments.xlsx", small_rubric, [
        ("东区", "扣分", "1", MINUTES, "督查发现整改不到位"),
        ("南区", "降级", None, MINUTES, None),
        ("西区", "加分", "一分", MINUTES, None),
        ("西区", "加分", "1", None, None),
    ])  # fmt: skip
    fill_all(generate(small_rubric, tmp_path / "forms"), tmp_path / "returned", TIE)
    run = run_collect(
        tmp_path / "returned", small_rubric, KEY, CollectOptions(tmp_path / "results"), [Adjustments(path)]
    )
    assert [(p.code, p.cell) for p in run.problems if p.code.startswith("ADJUST")] == [
        ("ADJUST_BAD_VALUE", "A5"), ("ADJUST_NO_BASIS", "A6")]  # fmt: skip

    book = openpyxl.load_workbook(run.folder / "master.xlsx")
    side = list(book["会议调整后"].iter_rows(min_row=2, values_only=True))
    assert side == [
        ("南区", "98.00", "A", "1", f"根据{MINUTES}，降一个等级", "98.00", "B", "1"),
        ("西区", "90.50", "A", "2", "—", "90.50", "A", "2"),
        ("东区", "90.50", "A", "2", f"根据{MINUTES}，扣分 1 分（督查发现整改不到位）", "89.50", "B", "3"),
    ]
    summary = {row[1]: row for row in book["汇总"].iter_rows(min_row=4, values_only=True) if row[1] == "东区"}
    assert summary["东区"][0] == 3 and "89.5" in str(summary["东区"])  # 汇总 shows the adopted result

    east = letter(run.folder, "东区")
    assert "你单位总分 89.50 分，等级为 B" in east
    assert f"根据{MINUTES}，扣分 1 分（督查发现整改不到位）。" in east
    assert "调整前你单位总分 90.50 分，等级为A，排名第 2 位" in east
    assert MINUTES not in letter(run.folder, "西区")
    public = {
        r[0]: r[1] for r in openpyxl.load_workbook(run.folder / "公告名单.xlsx").active.iter_rows(values_only=True)
    }
    assert public["东区人民政府"] == "B" and public["南区人民政府"] == "B"

    assert (run.folder / "adjustments.xlsx").read_bytes() == path.read_bytes()
    assert fingerprint(run.folder, small_rubric)["adjustments"] != ""
    # an approval never rests on an adjustments file with rows left out
    approval, problems = approve_run(run.folder, small_rubric, Stage.APPROVED, MINUTES)
    assert approval is None and [p.cell for p in problems] == ["A5", "A6"]


def test_the_template_command_never_overwrites(tmp_path: Path, small_rubric_path: Path) -> None:
    target = tmp_path / "adjustments.xlsx"
    args = ["adjustments", "template", "--rubric", str(small_rubric_path), "--out", str(target)]
    assert CliRunner().invoke(main, args).exit_code == 0
    header = [c.value for c in openpyxl.load_workbook(target).active[2]]
    assert header == ["被考核单位", "调整类型", "分值或等级", "依据（文号或纪要）", "备注"]
    assert CliRunner().invoke(main, args).exit_code == 1
