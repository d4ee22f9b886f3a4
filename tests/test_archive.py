"""The archive: approved runs only; received forms as received, PDFs by real LibreOffice, registers,
卷内目录 and a SHA-256 list that `qe archive --verify` checks."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from qe_workbook.cli import main
from qe_workbook.extras import extras_from
from qe_workbook.feedback.fed_back import FILE_NAME as WORDING_FILE
from qe_workbook.feedback.wording import export_wording
from qe_workbook.intake.receipts import REGISTER_XLSX, write_register_template
from qe_workbook.pipeline import CollectOptions, run_collect
from qe_workbook.record.approval import approve_run
from qe_workbook.record.archive import SUMS, archive_run, verify_archive
from qe_workbook.record.kept_letters import KEPT_PREVIOUS
from qe_workbook.record.stages import Stage
from qe_workbook.rubric import Rubric

from .conftest import require_program
from .forms import KEY, TIE, fill_all, generate
from .test_feedback_wording import OFFICE_TEXT, _edit
from .test_print import LO_MEASURE, pages, to_pdf
from .test_real_clients import uno_python


def test_archive_then_verify_and_one_changed_byte_fails(tmp_path: Path, small_rubric: Rubric) -> None:
    soffice = require_program("soffice")
    returned = tmp_path / "returned"
    filled = fill_all(generate(small_rubric, tmp_path / "forms"), returned, TIE)
    write_register_template(
        returned / REGISTER_XLSX, small_rubric
    )  # the office's hand-kept 收件登记 (微信/U盘/OA/现场)
    run = run_collect(returned, small_rubric, KEY, CollectOptions(tmp_path / "results")).folder
    early = archive_run(run, returned, small_rubric, tmp_path / "too-early", soffice=soffice)
    assert [p.code for p in early.problems] == ["ARCHIVE_NOT_APPROVED"] and not (tmp_path / "too-early").exists()
    approve_run(run, small_rubric, Stage.APPROVED, "2023年第2次会议纪要")

    result = archive_run(run, returned, small_rubric, tmp_path / "档案", soffice=soffice)
    assert result.problems == [] and result.folder is not None
    archive = result.folder
    for path in filled.values():  # the forms exactly as received
        assert (archive / "01_收到的评价表" / path.name).read_bytes() == path.read_bytes()
    assert (archive / "02_汇总表" / "master.pdf").is_file()
    documents = {p.relative_to(archive / "03_印发文件").as_posix() for p in (archive / "03_印发文件").rglob("*")}
    assert {"反馈意见/东区_2022年度质量工作考核反馈意见.pdf", "公告名单.pdf"} <= documents
    assert (archive / "04_登记簿" / "审定记录.json").is_file()
    assert (archive / "04_登记簿" / REGISTER_XLSX).read_bytes() == (returned / REGISTER_XLSX).read_bytes()
    listed = [line.split("  ", 1)[1] for line in (archive / SUMS).read_text(encoding="utf-8").splitlines()]
    on_disk = sorted(p.relative_to(archive).as_posix() for p in archive.rglob("*") if p.is_file() and p.name != SUMS)
    assert sorted(listed) == on_disk
    contents = openpyxl.load_workbook(archive / "卷内目录.xlsx")["卷内目录"]
    places = [row[7] for row in contents.iter_rows(min_row=3, values_only=True)]
    assert sorted([*places, "卷内目录.xlsx"]) == on_disk
    pdf_pages = {row[7]: row[5] for row in contents.iter_rows(min_row=3, values_only=True) if row[7].endswith(".pdf")}
    assert all(pages and int(pages) >= 1 for pages in pdf_pages.values())
    rows = list(contents.iter_rows(min_row=3, values_only=True))
    forms = [row for row in rows if str(row[7]).startswith("01_收到的评价表/")]
    assert len(forms) == len(filled)
    assert {row[4] for row in forms} == {"2023年4月20日"}  # each form's own date (填报日期), not the archiving day
    assert all(row[5] and int(row[5]) >= 1 for row in forms)  # its pages, counted from a print made aside
    word = [row for row in rows if str(row[7]).endswith(".docx")]
    assert word and all(row[5] and int(row[5]) >= 1 for row in word)  # a document counts its pages too
    (catalogue,) = to_pdf([archive / "卷内目录.xlsx"], tmp_path, tmp_path / "lo-profile")
    printed = pages(catalogue)  # DA/T 22's columns; 题名 in words, no file name or English on paper
    header = re.sub(r"\s", "", printed[0])
    assert "序号文号责任者题名日期页数备注" in header and "档案中的位置" not in header
    text = "\n".join(printed)
    assert "考核汇总表（PDF 版）" in text and "甲局报送的2022年度质量工作考核评价表（原件）" in text
    assert "乙局共性问题（PDF 版）" in text and "东区2022年度质量工作考核反馈意见（PDF 版）" in text
    assert not re.search(r"[A-Za-z]{3,}|\.(json|csv|txt|xlsx|pdf)", text.replace("PDF 版", "")), text
    for n, page in enumerate(printed, start=1):
        assert page.strip().split()[0] == small_rubric.office_full_name and f"第 {n} 页，共 {len(printed)} 页" in page
    measured = subprocess.run([uno_python(), str(LO_MEASURE), "--sheet", "卷内目录", "--profile",
                               str(tmp_path / "lo-profile"), str(archive / "卷内目录.xlsx")],
                              capture_output=True, check=True, text=True, timeout=120)  # fmt: skip
    rows = json.loads(measured.stdout)[str(archive / "卷内目录.xlsx")]
    assert [(row, height, optimal) for row, height, optimal in rows if height < optimal] == [], rows  # no overprinting

    verified = CliRunner().invoke(main, ["archive", "--verify", str(archive)])
    assert verified.exit_code == 0, verified.output
    target = archive / "02_汇总表" / "results.json"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    assert [(p.code, p.file) for p in verify_archive(archive)] == [("ARCHIVE_FILE_CHANGED", "02_汇总表/results.json")]
    failed = CliRunner().invoke(main, ["archive", "--verify", str(archive)])
    assert failed.exit_code == 1 and "02_汇总表/results.json" in failed.output


def test_a_received_file_changed_after_the_run_is_not_archived(tmp_path: Path, small_rubric: Rubric) -> None:
    returned = tmp_path / "returned"
    filled = fill_all(generate(small_rubric, tmp_path / "forms"), returned, TIE)
    run = run_collect(returned, small_rubric, KEY, CollectOptions(tmp_path / "results")).folder
    approve_run(run, small_rubric, Stage.APPROVED, "纪要")
    path = filled["甲局"]
    path.write_bytes(path.read_bytes() + b"\0")
    result = archive_run(run, returned, small_rubric, tmp_path / "档案", soffice="")
    assert [(p.code, p.file) for p in result.problems] == [("ARCHIVE_INPUT_CHANGED", path.name)]
    assert not (tmp_path / "档案").exists()


def test_a_run_approved_with_the_office_wording_archives_until_that_wording_changes(
    tmp_path: Path, small_rubric: Rubric
) -> None:
    returned = tmp_path / "returned"
    fill_all(generate(small_rubric, tmp_path / "forms"), returned, TIE)
    run = run_collect(returned, small_rubric, KEY, CollectOptions(tmp_path / "results")).folder
    exported = export_wording(run, small_rubric).path
    assert exported is not None
    edited = _edit(exported, tmp_path / "反馈修改稿.xlsx", {("西区", "01-2"): {"反馈表述": OFFICE_TEXT}})
    approval, _ = approve_run(run, small_rubric, Stage.APPROVED, "纪要", feedback=edited)
    assert approval is not None
    result = archive_run(run, returned, small_rubric, tmp_path / "档案", soffice="")
    assert [p.code for p in result.problems] == ["ARCHIVE_NO_PDF"] and result.folder is not None
    assert (result.folder / "03_印发文件" / WORDING_FILE).read_bytes() == edited.read_bytes()

    kept = approval.documents / WORDING_FILE  # the wording the letters were written from, changed afterwards
    kept.write_bytes(kept.read_bytes() + b"\0")
    changed = archive_run(run, returned, small_rubric, tmp_path / "档案2", soffice="")
    assert [p.code for p in changed.problems] == ["ARCHIVE_RUN_CHANGED"] and changed.folder is None


def test_last_years_results_kept_for_the_letters_are_part_of_what_was_approved(
    tmp_path: Path, small_rubric: Rubric
) -> None:
    returned = tmp_path / "returned"
    fill_all(generate(small_rubric, tmp_path / "forms"), returned, TIE)
    last = run_collect(returned, small_rubric, KEY, CollectOptions(tmp_path / "last", reports=False)).folder
    run = run_collect(
        returned, small_rubric, KEY, CollectOptions(tmp_path / "results"), extras_from(previous=last)
    ).folder
    approve_run(run, small_rubric, Stage.APPROVED, "纪要")
    kept = run / KEPT_PREVIOUS  # what the approved letters compared this year with
    assert kept.read_bytes() == (last / "results.json").read_bytes()
    kept.write_text(kept.read_text(encoding="utf-8").replace("98.0", "88.0"), encoding="utf-8")
    changed = archive_run(run, returned, small_rubric, tmp_path / "档案", soffice="")
    assert [p.code for p in changed.problems] == ["ARCHIVE_RUN_CHANGED"] and changed.folder is None
