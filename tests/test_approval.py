"""Stages and the frozen 审定稿: approve → a changed input → the next run warns, its documents stay 初稿."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path

import docx
import openpyxl
from click.testing import CliRunner

from qe_workbook.cli import main
from qe_workbook.pipeline import CollectOptions, RunReport, run_collect
from qe_workbook.record.approval import approve_run, fingerprint
from qe_workbook.record.reports_again import report_run
from qe_workbook.record.stages import APPROVAL_FILE, Stage
from qe_workbook.rubric import Rubric

from .forms import KEY, TIE, fill_all, generate, with_changes

MINUTES = "市质量强市工作领导小组2023年第2次会议纪要"


def collect_run(rubric: Rubric, generated_dir: Path, returned: Path, out: Path, answers: dict) -> RunReport:  # type: ignore[type-arg]
    fill_all(generate(rubric, generated_dir), returned, answers)
    return run_collect(returned, rubric, KEY, CollectOptions(out))


def stage_marks(folder: Path) -> set[str]:
    """The stage each document in a folder shows in its (first page's) header."""
    marks = {first_header(docx.Document(str(p))) for p in folder.rglob("*.docx")}
    for path in folder.glob("公告名单.xlsx"):
        marks.add(openpyxl.load_workbook(path)["公告名单"].oddHeader.right.text)
    return marks


def first_header(document: docx.document.Document) -> str:
    """The text of the first page's header (GB/T 9704 letters carry the stage there only)."""
    section = document.sections[0]
    header = section.first_page_header if section.different_first_page_header_footer else section.header
    return header.paragraphs[0].text


def test_approve_then_a_changed_input_warns_and_its_documents_are_not_approved(
    tmp_path: Path, small_rubric: Rubric
) -> None:
    out = tmp_path / "results"
    first = collect_run(small_rubric, tmp_path / "forms", tmp_path / "r1", out, TIE)
    assert first.clean and stage_marks(first.folder) == {"初稿"}
    approval, problems = approve_run(first.folder, small_rubric, Stage.APPROVED, MINUTES, by="张三",
                                     now=datetime(2023, 5, 8, 10, 0))  # fmt: skip
    assert problems == [] and approval is not None
    saved = json.loads((first.folder / APPROVAL_FILE).read_text(encoding="utf-8"))["records"]
    assert [(r["stage"], r["by"], r["at"], r["basis"]) for r in saved] == [
        ("审定稿", "张三", "2023-05-08T10:00:00", MINUTES)
    ]
    audit = hashlib.sha256((first.folder / "audit.json").read_bytes()).hexdigest()
    assert saved[0]["fingerprint"]["audit.json"] == audit
    assert saved[0]["fingerprint"] == fingerprint(first.folder, small_rubric)
    assert saved[0]["units"]["西区"] == {"total": "90.50", "grade": "A", "rank": 2}
    assert stage_marks(approval.documents) == {"审定稿"}
    assert stage_marks(first.folder / "反馈意见") == {"初稿"}  # the run's own documents are untouched

    # 乙局 corrects 西区's 03-1 from 37.5 to 39.5: 西区 92.5 moves ahead of 东区 (90.5)
    changed = with_changes(TIE, "乙局", {("西区", "03-1"): (39.5, "部分制度未落实。")})
    second = collect_run(small_rubric, tmp_path / "forms2", tmp_path / "r2", out, changed)
    (warning,) = [p for p in second.problems if p.code == "RUN_DIFFERS_FROM_APPROVED"]
    assert warning.params["changes"] == ["东区（排名 2 → 3）", "西区（总分 90.50 → 92.50）"]
    assert first.folder.name in warning.message and "审定稿" in warning.message
    assert stage_marks(second.folder) == {"初稿"}
    assert not (second.folder / APPROVAL_FILE).exists()
    written, problems = report_run(second.folder, small_rubric)
    assert [p.code for p in problems] == ["RUN_DIFFERS_FROM_APPROVED"] and stage_marks(written[0].parent.parent) == {
        "初稿"
    }

    third = collect_run(small_rubric, tmp_path / "forms3", tmp_path / "r3", out, TIE)
    assert [p.code for p in third.problems if p.code.startswith("RUN_")] == ["RUN_SAME_AS_APPROVED"]


def test_stages_only_move_forward_and_need_complete_results_and_a_basis(tmp_path: Path, small_rubric: Rubric) -> None:
    partial = {ev: cells for ev, cells in TIE.items() if ev != "乙局"}
    fill_all(generate(small_rubric, tmp_path / "forms"), tmp_path / "r", partial)
    run = run_collect(tmp_path / "r", small_rubric, KEY, CollectOptions(tmp_path / "out", allow_partial=True)).folder
    _, problems = approve_run(run, small_rubric, Stage.APPROVED, MINUTES)
    assert [p.code for p in problems] == ["APPROVE_INCOMPLETE"]
    consulted, problems = approve_run(run, small_rubric, Stage.CONSULTATION, "征求意见")
    assert consulted is not None and stage_marks(consulted.documents) == {"征求意见稿（暂定）"}  # incomplete results
    _, problems = approve_run(run, small_rubric, Stage.CONSULTATION, "再次征求意见")
    assert [p.code for p in problems] == ["APPROVE_STAGE_NOT_LATER"]
    _, problems = approve_run(run, small_rubric, Stage.ISSUED, "  ")
    assert [p.code for p in problems] == ["APPROVE_INCOMPLETE"]


def test_the_approve_command(tmp_path: Path, small_rubric_path: Path, small_rubric: Rubric) -> None:
    run = collect_run(small_rubric, tmp_path / "forms", tmp_path / "r", tmp_path / "out", TIE).folder
    args = ["approve", str(run), "--stage", "审定稿", "--rubric", str(small_rubric_path), "--by", "李四"]
    missing = CliRunner().invoke(main, [*args, "--basis", " "])
    assert missing.exit_code == 1 and "APPROVE_NO_BASIS" in missing.output
    done = CliRunner().invoke(main, [*args, "--basis", MINUTES])
    assert done.exit_code == 0, done.output
    assert "已记为审定稿" in done.output and MINUTES in done.output


def _title(document: docx.document.Document) -> str:
    """The 通报's title: the first paragraph under the 文号 line."""
    number, *rest = [p.text for p in document.paragraphs if p.text.strip()]
    assert number.startswith("〔") and number.endswith("号")
    return rest[0]


def test_the_notice_title_and_name_follow_the_stage(tmp_path: Path, small_rubric: Rubric) -> None:
    run = collect_run(small_rubric, tmp_path / "forms", tmp_path / "r", tmp_path / "out", TIE).folder
    drafted = _title(docx.Document(str(run / "2022年度政府质量工作考核结果通报（代拟稿）.docx")))
    assert drafted == "关于2022年度政府质量工作\n考核结果的通报（代拟稿）"
    titles = {}
    for stage, suffix in [(Stage.CONSULTATION, "（征求意见稿）"), (Stage.APPROVED, ""), (Stage.ISSUED, "")]:
        approval, problems = approve_run(run, small_rubric, stage, MINUTES)
        assert approval is not None and problems == []
        (notice,) = approval.documents.glob("*通报*.docx")
        assert notice.name == f"2022年度政府质量工作考核结果通报{suffix}.docx"
        document = docx.Document(str(notice))
        titles[stage] = _title(document)
        assert document.sections[0].header.paragraphs[0].text == stage
    assert titles == {
        Stage.CONSULTATION: "关于2022年度政府质量工作\n考核结果的通报（征求意见稿）",
        Stage.APPROVED: "关于2022年度政府质量工作\n考核结果的通报",
        Stage.ISSUED: "关于2022年度政府质量工作\n考核结果的通报",
    }
