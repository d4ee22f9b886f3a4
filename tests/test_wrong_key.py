"""A wrong key or nothing accepted: a diagnosis first, no official documents; 暂定 on every document."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from docx import Document

from qe_workbook.pipeline import CollectOptions, run_collect
from qe_workbook.rubric import Rubric

from .forms import KEY, TIE, fill_all, generate

OTHER_KEY = bytes(range(1, 33))
DOCUMENTS = ("反馈意见", "公告名单.xlsx")


def test_a_wrong_key_is_diagnosed_first_and_no_document_is_written(tmp_path: Path, small_rubric: Rubric) -> None:
    fill_all(generate(small_rubric, tmp_path / "forms"), tmp_path / "returned", TIE)
    report = run_collect(
        tmp_path / "returned", small_rubric, OTHER_KEY, CollectOptions(tmp_path / "out", key_file="备用/qe.key")
    )
    first = report.problems[0]
    assert first.code == "KEY_PROBABLY_WRONG"
    assert first.message.startswith(
        "3 份带标识表的评价表中有 3 份签名不符，它们都写明是 2022 年度：很可能本次使用的密钥（备用/qe.key）不是"
    )
    assert "REPORTS_WITHHELD" in [p.code for p in report.problems]
    written = {p.name for p in report.folder.iterdir()}
    assert "master.xlsx" in written and not any(d in written for d in DOCUMENTS)
    assert not any("通报" in name for name in written)


def test_an_empty_folder_writes_no_document(tmp_path: Path, small_rubric: Rubric) -> None:
    (tmp_path / "returned").mkdir()
    report = run_collect(tmp_path / "returned", small_rubric, KEY, CollectOptions(tmp_path / "out"))
    assert "KEY_PROBABLY_WRONG" not in [p.code for p in report.problems]
    (why,) = [p for p in report.problems if p.code == "REPORTS_WITHHELD"]
    assert why.message.startswith("东区、西区、南区没有任何有效评分（共 3 个单位），未生成通报代拟稿")
    assert not any(d in {p.name for p in report.folder.iterdir()} for d in DOCUMENTS)


def test_provisional_results_say_so_on_every_document(tmp_path: Path, small_rubric: Rubric) -> None:
    fill_all(generate(small_rubric, tmp_path / "forms"), tmp_path / "returned", {"甲局": TIE["甲局"]})
    report = run_collect(tmp_path / "returned", small_rubric, KEY, CollectOptions(tmp_path / "out"))
    docs = sorted(report.folder.rglob("*.docx"))
    assert len(docs) == 5  # three letters, the 通报 draft and 甲局's 共性问题
    for path in docs:  # a letter carries the stage in its first page's header only (GB/T 9704)
        assert "（暂定）" in first_header(path), path.name
    sheet = openpyxl.load_workbook(report.folder / "公告名单.xlsx").active
    assert sheet is not None and "（暂定）" in sheet.oddHeader.right.text
    complete = tmp_path / "complete"
    fill_all(generate(small_rubric, tmp_path / "forms2"), complete, TIE)
    final = run_collect(complete, small_rubric, KEY, CollectOptions(tmp_path / "out2"))
    for path in final.folder.rglob("*.docx"):
        assert "暂定" not in first_header(path)


def first_header(path: Path) -> str:
    """The text of a document's first page's header."""
    section = Document(str(path)).sections[0]
    header = section.first_page_header if section.different_first_page_header_footer else section.header
    return " ".join(p.text for p in header.paragraphs)
