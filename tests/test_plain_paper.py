"""What a reader copies out of the documents of a collect run on the bundled samples is plain text."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest

from qe_workbook.keys import read_key
from qe_workbook.pipeline import CollectOptions, run_collect
from qe_workbook.rubric import Rubric

from .conftest import ROOT, load_ok
from .forms import generate
from .test_print import pages, to_pdf

# zero-width and invisible formatting characters: nothing a reader can see, everything a copy carries
INVISIBLE = re.compile("[\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff\u00ad]")


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    key, _ = read_key(ROOT / "samples" / "qe-sample.key")
    assert key is not None
    rubric = load_ok(ROOT / "rubric.json")
    out = tmp_path_factory.mktemp("runs")
    return run_collect(ROOT / "samples" / "returned", rubric, key, CollectOptions(out, issued=date(2023, 5, 8))).folder


def _docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_numbers_in_every_document_are_plain_text(sample_run: Path) -> None:
    documents = sorted(sample_run.rglob("*.docx")) + sorted(sample_run.rglob("*.xlsx"))
    assert len(list(sample_run.rglob("*.docx"))) == 37  # 8 letters, the 通报, 28 departments' 共性问题
    letter = _docx_text(sample_run / "反馈意见" / "开发区_2022年度质量工作考核反馈意见.docx")
    assert "你单位总分 96.73\u00a0分，等级为 A" in letter
    assert "漯河市质量强市战略工作领导小组办公室\n2023年5月8日" in letter
    for path in documents:
        with zipfile.ZipFile(path) as z:
            xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
        assert not INVISIBLE.search(xml), path.name
        assert not re.search(r"年0\d月|月0\d日", xml), path.name  # dates as written by hand: 2023年5月8日


def test_a_form_gives_its_deadline_as_written_by_hand(tmp_path: Path, small_rubric: Rubric) -> None:
    form = generate(small_rubric, tmp_path).forms[0].path  # the small rubric's forms are due on 2023-04-30
    cells = [str(c.value) for ws in openpyxl.load_workbook(form).worksheets for row in ws.iter_rows() for c in row]
    assert any("于 2023年4月30日 前把电子版发送到" in c for c in cells)
    assert not any(re.search(r"年0\d月|月0\d日", c) for c in cells)


def test_no_page_of_a_common_problems_document_holds_a_lone_table_row(sample_run: Path, tmp_path: Path) -> None:
    """A table that runs onto a new page takes at least two rows with it under the repeated header, and leaves
    at least two behind."""
    documents = sorted((sample_run / "共性问题").glob("*.docx"))
    assert len(documents) == 28
    header = re.compile(r"^\s*被考核单位\s+所评\s+失分\s+评价说明\s*$")
    row = re.compile(r"^\s*\S+\s+\d+\.\d{2}\s+\d+\.\d{2}\s")  # a unit's first line: name, 所评, 失分
    split = 0
    for pdf in to_pdf(documents, tmp_path, tmp_path / "profile"):
        for n, page in enumerate(pages(pdf)):
            lines = [line for line in page.splitlines() if line.strip()][1:]  # below the stage header
            if lines and header.match(lines[0]):  # a table continued from the page before
                split += 1
                rows = [line for line in lines if row.match(line)]
                assert len(rows) >= 2, (pdf.stem, n + 1)
        text = "".join(pages(pdf))
        assert "项目中，8个被考核单位" in re.sub(r"\s", "", text) and "中， " not in text
    assert split > 5  # the sample's tables do run over pages


def test_the_public_list_prints_the_office_the_stage_and_the_page(sample_run: Path, tmp_path: Path) -> None:
    (pdf,) = to_pdf([sample_run / "公告名单.xlsx"], tmp_path, tmp_path / "profile")
    (page,) = pages(pdf)
    lines = [line.split() for line in page.splitlines() if line.strip()]
    assert lines[0] == ["市质强办", "初稿"], lines[0]
    assert lines[1] == ["漯河市2022年度政府质量工作考核结果"] and lines[2] == ["被考核单位", "等级"]
    assert lines[-2:] == [["2023年5月8日"], ["第", "1", "页，共", "1", "页"]], lines[-2:]
