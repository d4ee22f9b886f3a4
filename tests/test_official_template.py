"""The shared parts of a 公文 document are made once per process and stage (2.8× on the documents of 180
units, docs/benchmarks.md): a document written from them is the document written from parts made anew."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

from qe_workbook.documents import official_docx
from qe_workbook.documents.official_docx import OfficialDocument


def write(path: Path) -> dict[str, bytes]:
    doc = OfficialDocument("关于东区质量工作考核的反馈意见", "市质强办")
    doc.heading("一、总体情况")
    doc.paragraph("东区总分 98.50 分，等级 A。")
    doc.table(["项目", "得分"], [["01-1", "38"], ["01-2", "19.5"]], widths_mm=[60, 30])
    doc.signature("漯河市质量强市工作领导小组办公室", date(2023, 5, 8))
    doc.save(path)
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist() if name != "docProps/core.xml"}  # core: its time


def test_a_document_from_the_shared_parts_equals_one_from_parts_made_anew(tmp_path: Path) -> None:
    official_docx._template.cache_clear()
    first = write(tmp_path / "first.docx")
    again = write(tmp_path / "again.docx")  # the parts made for the first document, used again
    assert official_docx._template.cache_info().hits == 1
    official_docx._template.cache_clear()
    anew = write(tmp_path / "anew.docx")
    assert first == again == anew
    assert "东区总分 98.50 分" in again["word/document.xml"].decode()
