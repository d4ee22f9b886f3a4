"""The office's wording of the feedback (反馈修改稿.xlsx): exported, edited, rendered, kept across a correction."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import docx
import openpyxl
import pytest

from qe_workbook.documents.reports import FEEDBACK_DIR
from qe_workbook.feedback.fed_back import COLUMNS, FILE_NAME, WORDING_SHEET, fed_back_list
from qe_workbook.feedback.wording import export_wording
from qe_workbook.pipeline import CollectOptions, RunReport, run_collect
from qe_workbook.record.approval import approve_run
from qe_workbook.record.reports_again import report_run
from qe_workbook.record.stages import Stage
from qe_workbook.rubric import Rubric

from .forms import KEY, fill_all, generate, with_changes
from .test_print import pages, to_pdf
from .test_reports import ANSWERS

# 原文 of the rows the small run gives (tests/test_reports.py ANSWERS), by unit and item
WESTERN_JOINT = "甲局：抽检批次偏少。乙局：监测覆盖面不足。"
OFFICE_TEXT = "农产品质量安全抽检的覆盖面有待扩大，请加大抽检力度。"


def _run(tmp_path: Path, rubric: Rubric, answers: dict, name: str) -> RunReport:  # type: ignore[type-arg]
    fill_all(generate(rubric, tmp_path / f"forms-{name}"), tmp_path / f"returned-{name}", answers)
    return run_collect(tmp_path / f"returned-{name}", rubric, KEY, CollectOptions(tmp_path / f"runs-{name}", allow_partial=True, reports=False))  # fmt: skip


@pytest.fixture
def run(tmp_path: Path, small_rubric: Rubric) -> RunReport:
    return _run(tmp_path, small_rubric, ANSWERS, "first")


def _rows(path: Path) -> dict[tuple[str, str], dict[str, str]]:
    ws = openpyxl.load_workbook(path)[WORDING_SHEET]
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    return {(r[0], r[1]): dict(zip(COLUMNS, ["" if v is None else str(v) for v in r], strict=True)) for r in rows}


def _edit(path: Path, out: Path, changes: dict[tuple[str, str], dict[str, str]]) -> Path:
    """What the office does in Excel: type into 反馈表述, 是否反馈, 内部说明 (openpyxl keeps the rest)."""
    wb = openpyxl.load_workbook(path)
    ws = wb[WORDING_SHEET]
    for row in ws.iter_rows(min_row=4):
        for column, value in changes.get((row[0].value, row[1].value), {}).items():
            row[COLUMNS.index(column)].value = value
    wb.save(out)
    return out


def _letter_text(folder: Path, unit: str) -> str:
    document = docx.Document(str(folder / FEEDBACK_DIR / f"{unit}_2022年度质量工作考核反馈意见.docx"))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells).replace("\u00a0", " ")


def test_export_lists_every_noted_item_with_its_original_prefilled(run: RunReport, small_rubric: Rubric) -> None:
    exported = export_wording(run.folder, small_rubric)
    assert exported.path == run.folder / FILE_NAME and exported.problems == []
    rows = _rows(exported.path)
    # 东区: two lost score items and a bonus; 西区: the joint item, a deduction, 03-1 lost without a remark;
    # 南区: 01-1, 01-2 (only 甲局's value), a deduction, the veto and 03-1
    assert list(rows) == [("东区", "01-1"), ("东区", "01-2"), ("东区", "03-2"), ("西区", "01-2"), ("西区", "02-1"),
                          ("西区", "03-1"), ("南区", "01-1"), ("南区", "01-2"), ("南区", "02-1"), ("南区", "02-2"),
                          ("南区", "03-1")]  # fmt: skip
    joint = rows["西区", "01-2"]
    assert (joint["原文"], joint["反馈表述"], joint["是否反馈"], joint["得分情况"]) == (
        WESTERN_JOINT,
        WESTERN_JOINT,
        "是",
        "失 4.42 分",
    )
    assert rows["东区", "01-2"]["原文"] == "=抽检不合格1批"  # text, never a formula
    assert (rows["西区", "02-1"]["得分情况"], rows["南区", "02-2"]["得分情况"]) == ("扣 1.50 分", "否决")
    assert rows["东区", "03-2"]["类别"] == "加分项" and rows["西区", "03-1"]["原文"] == ""
    ws = openpyxl.load_workbook(exported.path)[WORDING_SHEET]
    assert ws.protection.sheet
    locked = {c: ws[f"{c}4"].protection.locked for c in "ABCDEFGHIJK"}
    assert [c for c, lock in locked.items() if not lock] == ["H", "I", "J"]
    assert [(str(v.sqref), v.formula1) for v in ws.data_validations.dataValidation] == [("I4:I14", '"是,否"')]
    assert ws.print_options is not None and ws.page_setup.orientation == "landscape"
    again = export_wording(run.folder, small_rubric)  # never over the first
    assert again.path == run.folder / "反馈修改稿-2.xlsx" and _rows(exported.path) == rows


def test_the_letter_says_what_the_office_wrote_and_leaves_out_what_it_withheld(
    tmp_path: Path, run: RunReport, small_rubric: Rubric
) -> None:
    exported = export_wording(run.folder, small_rubric)
    assert exported.path is not None
    edited = _edit(exported.path, tmp_path / "改好的.xlsx", {
        ("西区", "01-2"): {"反馈表述": OFFICE_TEXT, "内部说明": "乙局原话较重，已改写"},
        ("南区", "01-1"): {"是否反馈": "否"},
        ("南区", "02-1"): {"反馈表述": "发生三起重大质量事件，请建立事故报告和追溯制度。"},
    })  # fmt: skip
    written, problems = report_run(run.folder, small_rubric, feedback=edited)
    assert [p.code for p in problems if p.code.startswith("FEEDBACK")] == []
    folder = written[0].parent.parent
    west = _letter_text(folder, "西区")
    assert OFFICE_TEXT in west and "抽检批次偏少" not in west and "监测覆盖面不足" not in west
    assert "乙局原话较重" not in west  # 内部说明 is never sent
    assert "请加大抽检力度" in west  # the office's 建议 is the improvement advice too
    south = _letter_text(folder, "南区")
    assert "合格率低。" not in south and "01-1" not in south  # withheld: neither the remark nor the item
    assert "77.50" in south  # the figures stay the full result
    assert "请建立事故报告和追溯制度" in south and "发生三起重大质量事件。" not in south
    east = _letter_text(folder, "东区")  # untouched rows: the departments' own remarks, as without a wording file
    assert "合格率略低于全市平均。" in east and "=抽检不合格1批" in east


def test_the_fed_back_list_is_what_the_letters_say(tmp_path: Path, run: RunReport, small_rubric: Rubric) -> None:
    exported = export_wording(run.folder, small_rubric)
    assert exported.path is not None
    edited = _edit(exported.path, tmp_path / "改好的.xlsx", {
        ("西区", "01-2"): {"反馈表述": OFFICE_TEXT},
        ("南区", "01-1"): {"是否反馈": "否"},
        ("南区", "03-1"): {"是否反馈": "不发"},
    })  # fmt: skip
    listed = fed_back_list(run.results, small_rubric, edited)
    assert [(f.item.id, f.text) for f in listed.problems_of("西区")] == [
        ("01-2", OFFICE_TEXT), ("02-1", "发生一起重大质量事件。"), ("03-1", "")]  # fmt: skip
    assert [f.item.id for f in listed.for_unit("东区")] == ["01-1", "01-2", "03-2"]
    assert [f.item.id for f in listed.problems_of("东区")] == ["01-1", "01-2"]  # a bonus is no problem
    assert [f.item.id for f in listed.problems_of("南区")] == ["01-2", "02-1", "02-2"]  # 否, and a bad value, withheld
    bad = [p for p in listed.problems if p.code == "FEEDBACK_WORDING_BAD_SEND"]
    assert [(p.sheet, p.cell) for p in bad] == [(WORDING_SHEET, "I14")] and "不发" in bad[0].message


def test_a_correction_flags_changed_originals_and_keeps_the_office_wording(
    tmp_path: Path, run: RunReport, small_rubric: Rubric
) -> None:
    exported = export_wording(run.folder, small_rubric)
    assert exported.path is not None
    edited = _edit(exported.path, tmp_path / "改好的.xlsx", {
        ("西区", "01-2"): {"反馈表述": OFFICE_TEXT, "内部说明": "已改写"},
        ("南区", "01-1"): {"是否反馈": "否"},
    })  # fmt: skip
    # 甲局 corrects its form: new remarks on 西区 01-2 (reworded by the office), 南区 01-1 (withheld by it) and
    # 东区 01-1 (never touched); 乙局 gives 南区 full marks on 03-1 and 东区 a loss on 03-1
    corrected = with_changes(ANSWERS, "甲局", {("西区", "01-2"): (15, "抽检批次偏少，覆盖面窄。"),
                                              ("南区", "01-1"): (30, "合格率偏低。"),
                                              ("东区", "01-1"): (38, "合格率低于全市平均。")})  # fmt: skip
    corrected = with_changes(corrected, "乙局", {("南区", "03-1"): (40, ""), ("东区", "03-1"): (39, "制度待完善。")})
    second = _run(tmp_path, small_rubric, corrected, "second")
    again = export_wording(second.folder, small_rubric, previous=edited)
    assert again.path is not None and (again.changed, again.added, again.gone) == (3, 1, 1)
    assert [p.code for p in again.problems] == ["FEEDBACK_WORDING_CHANGED"]
    rows = _rows(again.path)
    west = rows["西区", "01-2"]
    assert west["原文"] == "甲局：抽检批次偏少，覆盖面窄。乙局：监测覆盖面不足。"
    assert (west["反馈表述"], west["内部说明"]) == (OFFICE_TEXT, "已改写")  # kept, never overwritten
    assert west["核对"] == f"原文已变，上次的原文为：{WESTERN_JOINT}"
    south = rows["南区", "01-1"]
    assert south["核对"].startswith("原文已变") and south["是否反馈"] == "否"  # still withheld
    assert south["反馈表述"] == "合格率偏低。"  # its 反馈表述 was never rewritten: it follows the 原文
    east = rows["东区", "01-1"]  # the office never touched it: it follows the new 原文, flagged all the same
    assert east["核对"].startswith("原文已变") and east["反馈表述"] == "合格率低于全市平均。"
    assert rows["东区", "03-1"]["核对"] == "新增" and rows["西区", "02-1"]["核对"] == ""
    gone = openpyxl.load_workbook(again.path)["已不再反馈的项目"]
    assert [c.value for c in gone[3]][:2] == ["南区", "03-1"]
    assert _rows(edited)["西区", "01-2"]["反馈表述"] == OFFICE_TEXT  # the earlier file is untouched
    # the letters of the corrected run, from the earlier wording: the changed 原文 is named, the wording used
    written, problems = report_run(second.folder, small_rubric, feedback=edited)
    stale = [(p.params["unit"], p.params["item"]) for p in problems if p.code == "FEEDBACK_WORDING_STALE"]
    assert stale == [("东区", "01-1"), ("西区", "01-2"), ("南区", "01-1")]
    assert OFFICE_TEXT in _letter_text(written[0].parent.parent, "西区")


def test_the_approved_letters_use_the_wording_and_keep_it(tmp_path: Path, run: RunReport, small_rubric: Rubric) -> None:
    exported = export_wording(run.folder, small_rubric)
    assert exported.path is not None
    edited = _edit(exported.path, tmp_path / "改好的.xlsx", {("西区", "01-2"): {"反馈表述": OFFICE_TEXT}})
    bad = _edit(edited, tmp_path / "填错的.xlsx", {("西区", "01-2"): {"是否反馈": "待定"}})
    refused, problems = approve_run(run.folder, small_rubric, Stage.CONSULTATION, "征求意见", feedback=bad)
    assert refused is None and [p.code for p in problems] == ["FEEDBACK_WORDING_BAD_SEND"]
    approval, problems = approve_run(run.folder, small_rubric, Stage.CONSULTATION, "征求意见", feedback=edited)
    assert approval is not None and problems == []
    assert OFFICE_TEXT in _letter_text(approval.documents, "西区")
    assert (approval.documents / FILE_NAME).read_bytes() == edited.read_bytes()
    assert approval.record.fingerprint["feedback"] == hashlib.sha256(edited.read_bytes()).hexdigest()


def test_the_wording_prints_the_office_the_title_and_the_page(
    tmp_path: Path, run: RunReport, small_rubric: Rubric
) -> None:
    exported = export_wording(run.folder, small_rubric)
    assert exported.path is not None
    printed = pages(to_pdf([exported.path], tmp_path, tmp_path / "profile")[0])
    for n, page in enumerate(printed, start=1):
        lines = [line.split() for line in page.splitlines() if line.strip()]
        assert lines[0] == ["质强办", "2022年度政府质量工作考核反馈意见修改稿"], lines[0]
        assert "".join(lines[-1]) == f"第{n}页，共{len(printed)}页"
    assert "上传本文件" in "".join(printed[0].split()) and not re.search("[A-Za-z]", "".join(printed))  # no command
