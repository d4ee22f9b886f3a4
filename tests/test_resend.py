"""A department's corrected form put beside its first one (回收/补交0505/): the latest version by
receipt time, then 填报日期, then file time, is adopted and the earlier one superseded (its problems
no longer count); only versions that cannot be ordered stay a conflict, and `--prefer` overrides."""

from __future__ import annotations

import json
import os
import shutil
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from qe_workbook.cli import main
from qe_workbook.forms.fill import fill_form
from qe_workbook.intake.receipts import OFFICE_TZ, Receipt, ReceiptBook, write_record
from qe_workbook.workspace.actions import collect_in
from qe_workbook.workspace.returns import department_returns, receive_files

from .conftest import ROOT
from .forms import TIE, fill_all, generate, with_changes
from .test_workspace import small_year

SAMPLES = ROOT / "samples"
FORM = "2022年度质量工作考核评价表_市工信局.xlsx"
FIRST, CORRECTED = FORM, f"补交0505/{FORM}"
BASELINE = {  # the bundled samples' ranking: the corrected form is the sample's own
    "开发区": ("96.73", "A"), "召陵区": ("91.88", "A"), "西城区": ("91.70", "A"), "舞阳县": ("86.33", "B"),
    "临颍县": ("83.78", "B"), "市城乡一体化示范区": ("83.45", "B"), "源汇区": ("82.28", "B"), "郾城区": ("75.50", "C"),
}  # fmt: skip


def returned_twice(tmp_path: Path, first_filled: date) -> Path:
    """The samples in 回收/, 市工信局's first version with 5 of 4 points for 舞阳县 and 临颍县's score left
    empty in 05-3; its corrected version (the sample's, filled 2023-04-23) in 回收/补交0505/."""
    folder = tmp_path / "回收"
    shutil.copytree(SAMPLES / "returned", folder)
    (folder / "补交0505").mkdir()
    shutil.copyfile(folder / FORM, folder / CORRECTED)
    fill_form(folder / CORRECTED, folder / FIRST, {("舞阳县", "05-3"): (5, "满分"), ("临颍县", "05-3"): ("", "")},
              first_filled)  # fmt: skip
    return folder


def collect(folder: Path, tmp_path: Path, *options: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    args = ["collect", str(folder), "--rubric", str(ROOT / "rubric.json"),
            "--key", str(SAMPLES / "qe-sample.key"), "--out", str(tmp_path / "out"), "--json", *options]  # fmt: skip
    result = CliRunner().invoke(main, args)
    return result.exit_code, json.loads(result.output[result.output.index("{") :])


def ranking(report: dict) -> dict[str, tuple[str, str]]:  # type: ignore[type-arg]
    return {u["unit"]: (f"{u['total']:.2f}", u["grade"]) for u in report["results"]["units"]}


def codes(report: dict) -> list[tuple[str, str | None]]:  # type: ignore[type-arg]
    return sorted((p["code"], p["file"]) for p in report["problems"])


@pytest.mark.parametrize("options", [(), ("--prefer", "latest"), ("--prefer", "newest")])
def test_the_corrected_form_supersedes_the_first_and_its_errors_no_longer_count(
    tmp_path: Path, options: tuple[str, ...]
) -> None:
    code, report = collect(returned_twice(tmp_path, date(2023, 4, 20)), tmp_path, *options)
    assert codes(report) == [("SUBMISSION_SUPERSEDED", FIRST)]
    (note,) = report["problems"]
    assert note["severity"] == "info"
    assert CORRECTED in note["message"] and "2023年4月23日" in note["message"]
    assert code == 0 and ranking(report) == BASELINE


def test_the_receipt_time_comes_before_the_fill_date(tmp_path: Path) -> None:
    """The first version says 04-25 on it, the correction (filled 04-23) arrived by mail on 05-05."""
    folder = returned_twice(tmp_path, date(2023, 4, 25))
    at = datetime(2023, 4, 29, 9, 0, tzinfo=OFFICE_TZ)
    receipts = [Receipt(at, "邮件", sender="市工信局", file=FORM, saved_as=FIRST),
                Receipt(datetime(2023, 5, 5, 10, 30, tzinfo=OFFICE_TZ), "邮件", sender="市工信局", file=FORM,
                        saved_as=CORRECTED)]  # fmt: skip
    receipts += [Receipt(at, "邮件", file=p.name, saved_as=p.name) for p in folder.glob("*.xlsx") if p.name != FORM]
    write_record(folder, ReceiptBook(receipts), people=False)
    code, report = collect(folder, tmp_path)
    assert ("SUBMISSION_SUPERSEDED", FIRST) in codes(report)
    (note,) = [p for p in report["problems"] if p["code"] == "SUBMISSION_SUPERSEDED"]
    assert CORRECTED in note["message"] and "2023-05-05 10:30" in note["message"]
    assert code == 0 and ranking(report) == BASELINE
    assert not [c for c, _ in codes(report) if c.startswith("VALUE_")]
    code, report = collect(folder, tmp_path, "--prefer", "newest")  # the override still orders by 填报日期
    assert (
        code == 1
        and ("SUBMISSION_SUPERSEDED", CORRECTED) in codes(report)
        and ("VALUE_ABOVE_MAX", FIRST) in codes(report)
    )


def test_versions_that_cannot_be_ordered_stay_a_conflict_that_says_what_to_keep(tmp_path: Path) -> None:
    folder = returned_twice(tmp_path, date(2023, 4, 23))
    same = (folder / CORRECTED).stat().st_mtime_ns
    os.utime(folder / FIRST, ns=(same, same))
    code, report = collect(folder, tmp_path)
    assert code == 1
    duplicates = [p for p in report["problems"] if p["code"] == "SUBMISSION_DUPLICATE"]
    assert sorted(p["file"] for p in duplicates) == [FORM, CORRECTED]
    assert "收到时间、填报日期和文件修改时间都相同" in duplicates[0]["message"]
    assert "只保留该部门确认的最终一份" in duplicates[0]["message"]
    sheet = openpyxl.load_workbook(Path(report["folder"]) / "master.xlsx", read_only=True)["报送情况"]
    rows = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "市工信局"]
    assert [(r[1], r[8]) for r in rows] == [(
        "退回（多份内容不同）",
        "市工信局有 2 份内容不同的评价表（收到时间、填报日期和文件修改时间都相同，无法判断哪一份最新）；"
        "请该部门确认以哪一份为准，只保留那一份",
    )] * 2  # fmt: skip


def test_prefer_none_lists_every_version_as_a_conflict(tmp_path: Path) -> None:
    code, report = collect(returned_twice(tmp_path, date(2023, 4, 20)), tmp_path, "--prefer", "none")
    assert code == 1
    assert [f for c, f in codes(report) if c == "SUBMISSION_DUPLICATE"] == [FORM, CORRECTED]
    grades = {u["unit"]: u["grade_label"] for u in report["results"]["units"]}
    assert [unit for unit, grade in grades.items() if grade == "C（暂定）"] == ["源汇区", "郾城区"]


def test_a_correction_uploaded_through_the_page_is_adopted_by_its_upload_time(tmp_path: Path) -> None:
    """甲局's first upload (a score of 41 of 40, filled 04-25) on 04-26, its correction (filled 04-24) on 05-05."""
    ws, rubric = small_year(tmp_path)
    generated = generate(rubric, ws.forms)
    first = fill_all(generated, tmp_path / "first", with_changes(TIE, "甲局", {("东区", "01-1"): (41, "超过")}),
                     fill_date=date(2023, 4, 25))  # fmt: skip
    second = fill_all(generated, tmp_path / "second", TIE, fill_date=date(2023, 4, 24))
    name = first["甲局"].name
    receive_files(ws, [(name, first["甲局"].read_bytes())], rubric,
                  received=datetime(2023, 4, 26, 9, 0, tzinfo=OFFICE_TZ))  # fmt: skip
    receive_files(ws, [(first[ev].name, first[ev].read_bytes()) for ev in ("乙局", "质强办")], rubric,
                  received=datetime(2023, 4, 26, 9, 5, tzinfo=OFFICE_TZ))  # fmt: skip
    receive_files(ws, [(name, second["甲局"].read_bytes())], rubric,
                  received=datetime(2023, 5, 5, 10, 0, tzinfo=OFFICE_TZ))  # fmt: skip
    outcome = collect_in(ws, rubric)
    assert outcome.report is not None
    found = [(p.code, p.severity.value) for p in outcome.report.problems if p.code.startswith(("SUBMISSION", "VALUE"))]
    assert found == [("SUBMISSION_SUPERSEDED", "info")]
    shown = [
        (d.evaluator, d.received, d.adopted, d.rejected, d.state) for d in department_returns(ws, rubric).departments
    ]
    assert shown == [("甲局", 2, 1, 0, "已采用"), ("乙局", 1, 1, 0, "已采用"), ("质强办", 1, 1, 0, "已采用")]
