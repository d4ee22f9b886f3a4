"""A run's outputs: written from the master frame's schema, in Chinese, all listed, readable back."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from qe_workbook.cli import main
from qe_workbook.forms.fill import fill_form
from qe_workbook.intake.collect import Prefer
from qe_workbook.intake.frame import LABELS
from qe_workbook.intake.submission import Status
from qe_workbook.outputs.detail import read_frame
from qe_workbook.pipeline import CollectOptions, RunReport, run_collect
from qe_workbook.rubric import JointRule, Kind, Rubric
from qe_workbook.scoring.score import score

from .forms import KEY, TIE, fill_all, generate, with_changes

CODES = {str(v) for enum in (Kind, Status, JointRule, Prefer) for v in enum}
ENGLISH = re.compile(r"\b(" + "|".join(sorted(CODES)) + r")\b")
OPTION = re.compile(r"--[a-z-]+ [a-z]+")  # an option with its value (--prefer newest) is allowed


def english(text: str) -> bool:
    return bool(ENGLISH.search(OPTION.sub("", text)))


@pytest.fixture
def run(tmp_path: Path, small_rubric: Rubric) -> RunReport:
    """Every status: accepted forms, an identical copy, two different forms from 乙局 (the later adopted),
    a junk file."""
    generated = generate(small_rubric, tmp_path / "forms")
    returned = tmp_path / "returned"
    paths = fill_all(generated, returned, with_changes(TIE, "质强办", {("南区", "02-2"): ("是", "发生事件。")}))
    (returned / "副本").mkdir()
    shutil.copy(paths["甲局"], returned / "副本" / "甲局.xlsx")
    yi = next(f for f in generated.forms if f.evaluator.name == "乙局")
    fill_form(yi.path, returned / "更正" / "乙局.xlsx", with_changes(TIE, "乙局", {("东区", "03-1"): (30, "更正")})["乙局"],
              "2023-04-25")  # fmt: skip
    (returned / "说明.xlsx").write_bytes(b"not a workbook")
    return run_collect(returned, small_rubric, KEY, CollectOptions(tmp_path / "runs"))


def test_no_output_shows_an_english_kind_or_status(run: RunReport) -> None:
    statuses = {s.status for s in run.collected.submissions}
    assert {Status.ACCEPTED, Status.DUPLICATE, Status.SUPERSEDED, Status.REJECTED} <= statuses
    found = []
    workbook = openpyxl.load_workbook(run.folder / "master.xlsx", read_only=True)
    for ws in workbook.worksheets:
        for row in ws.iter_rows(values_only=True):
            found += [(ws.title, v) for v in row if isinstance(v, str) and english(v)]
    for name in ("detail.csv", "results.csv", "problems.csv", "公告名单.csv"):
        for row in csv.reader((run.folder / name).read_text(encoding="utf-8-sig").splitlines()):
            found += [(name, v) for v in row if english(v)]
    assert found == []
    detail = list(csv.DictReader((run.folder / "detail.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert {r["类别"] for r in detail} == {"评分项", "扣分项", "否决项", "加分项"}
    returns = openpyxl.load_workbook(run.folder / "master.xlsx", read_only=True)["报送情况"]
    shown = {row[1] for row in returns.iter_rows(min_row=2, values_only=True)}
    assert {"已采用", "重复文件（内容相同）", "已被更新的版本替代", "退回"} <= shown


def test_the_detail_sheet_and_csv_follow_the_frame_schema(run: RunReport) -> None:
    ws = openpyxl.load_workbook(run.folder / "master.xlsx", read_only=True)["明细"]
    rows = list(ws.iter_rows(values_only=True))
    shown = [label for name, label in LABELS.items() if name != "entry"]  # every item has one input here
    assert list(rows[0]) == shown and len(rows) == 1 + len(run.collected.frame)
    detail = list(csv.reader((run.folder / "detail.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert detail[0] == shown
    by_label = [dict(zip(detail[0], r, strict=True)) for r in detail[1:]]
    west = next(r for r in by_label if (r["被考核单位"], r["项目编号"]) == ("西区", "01-1"))
    assert (west["评价部门"], west["采用值"], west["满分"], west["填写内容"], west["单元格"], west["有效"]) == (
        "甲局", "38.00", "40.00", "38", "E8", "是")  # fmt: skip


def test_detail_json_reads_back_into_the_collected_frame(run: RunReport, small_rubric: Rubric) -> None:
    records = json.loads((run.folder / "detail.json").read_text(encoding="utf-8"))
    frame = read_frame(records, small_rubric)
    pd.testing.assert_frame_equal(frame, run.collected.frame)
    again = score(frame, small_rubric)
    assert [(u.unit, u.total, u.grade_label, u.rank) for u in again.units] == [
        (u.unit, u.total, u.grade_label, u.rank) for u in run.results.units
    ]


def test_the_run_lists_every_file_it_wrote(run: RunReport, small_rubric_path: Path, tmp_path: Path) -> None:
    on_disk = sorted(p for p in run.folder.rglob("*") if p.is_file())
    assert sorted(run.outputs.files) == on_disk
    names = [p.name for p in run.outputs.listing()]
    assert names == ["master.xlsx", "results.json", "results.csv", "detail.json", "detail.csv", "problems.json",
                     "problems.csv", "audit.json", "反馈意见", "2022年度政府质量工作考核结果通报（代拟稿）.docx",
                     "公告名单.xlsx", "公告名单.csv", "共性问题"]  # fmt: skip
    command = ["collect", str(tmp_path / "returned"), "--rubric", str(small_rubric_path), "--key", _key(tmp_path)]
    shown = CliRunner().invoke(main, [*command, "--out", str(tmp_path / "again")])
    (folder,) = (tmp_path / "again").iterdir()
    for name in names:
        assert str(folder / name) in shown.output


def _key(tmp_path: Path) -> str:
    path = tmp_path / "qe.key"
    path.write_bytes(KEY.hex().encode())
    return str(path)
