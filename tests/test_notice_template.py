"""The 通报 from its bundled Word template: the text the hand-built document had, and paper after GB/T 9704-2012
as LibreOffice prints it (stage in the title and header, page numbers at the outside corners, 版记 at the foot of
the last page)."""

from __future__ import annotations

import io
import json
import re
import subprocess
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from qe_workbook.choices import Stage
from qe_workbook.documents.notice_docx import NOTICE, notice_context, write_notice
from qe_workbook.documents.reports import notice_name, write_reports
from qe_workbook.documents.templating import TemplateBroken, bundled_template, render
from qe_workbook.keys import read_key
from qe_workbook.pipeline import CollectOptions, RunReport, run_collect
from qe_workbook.rubric import Rubric
from qe_workbook.rubric.view import item_phrase

from .conftest import ROOT, load_ok, require_program
from .test_print import to_pdf

ISSUED = date(2023, 5, 8)
BEFORE = ROOT / "tests" / "data" / "documents_2022_before_templates.json"  # as the hand-built documents read
# What the templates change in the text, on purpose: the 通报 gains a 文号 line to fill, and its 抄送 separates
# the units with "，" (GB/T 9704-2012 7.4.2); the 共性问题 set numbers in their sentences without spaces
# ("项目中， 8 个" read as a stray space) and drop each table's 合计 row (the sentence above the table gives the
# total; a 合计 row could stand alone on a page under the repeated header) and name each item whole (issue of
# paper: item names cut with "…").
ADDED = {"2022年度政府质量工作考核结果通报（代拟稿）.docx": {0: "〔2023〕\u3000\u3000号"}}
CHANGED = {"抄送：市纪委监委、市委组织部。": "抄送：市纪委监委，市委组织部。"}


def intended(name: str, texts: list[str], rubric: Rubric) -> list[str]:
    """The hand-built document's text with the intended changes made."""
    items = {item.id: item for item in rubric.items}
    if name.startswith("共性问题/"):
        texts = [t for t in texts if not t.startswith("合计 | ")]
        texts = [re.sub("[ \u00a0]", "", t) if t.startswith(("根据《", "共有")) else t for t in texts]
        cut = re.compile(r"(.+、)(\d\d-\d) .+…")
        texts = [f"{m[1]}{m[2]} {item_phrase(items[m[2]])}" if (m := cut.fullmatch(t)) else t for t in texts]
    expected = [CHANGED.get(t, t) for t in texts]
    for at, text in ADDED.get(name, {}).items():
        expected.insert(at, text)
    return expected


def body_texts(path: Path) -> list[str]:
    """The text of every paragraph and table row (cells joined by " | ") of the body, in order, layout spaces at
    either end dropped."""
    document = docx.Document(str(path))
    texts = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            texts.append(Paragraph(child, document).text.strip())
        elif child.tag == qn("w:tbl"):
            texts += [" | ".join(c.text for c in row.cells) for row in Table(child, document).rows]
    return [t for t in texts if t]


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return load_ok(ROOT / "rubric.json")


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory, rubric: Rubric) -> RunReport:
    key, _ = read_key(ROOT / "samples" / "qe-sample.key")
    assert key is not None
    out = tmp_path_factory.mktemp("run")
    return run_collect(ROOT / "samples" / "returned", rubric, key, CollectOptions(out, reports=False))


def test_the_templated_documents_read_as_the_hand_built_ones(tmp_path: Path, run: RunReport, rubric: Rubric) -> None:
    write_reports(tmp_path, rubric, run.results, issued=ISSUED)
    before: dict[str, list[str]] = json.loads(BEFORE.read_text(encoding="utf-8"))
    assert len(before) == 5
    for name, texts in before.items():
        assert body_texts(tmp_path / name) == intended(name, texts, rubric), name


@pytest.fixture(scope="module")
def stage_pdfs(tmp_path_factory: pytest.TempPathFactory, run: RunReport, rubric: Rubric) -> dict[str, Path]:
    """The 通报 at every stage (and provisional), printed by LibreOffice."""
    folder = tmp_path_factory.mktemp("stages")
    names = [*Stage, f"{Stage.DRAFT}（暂定）"]
    for n in range(len(names)):
        (folder / str(n)).mkdir()
    documents = [write_notice(folder / str(n) / notice_name(rubric, s), rubric, run.results, ISSUED, s)
                 for n, s in enumerate(names)]  # fmt: skip
    pdfs = [to_pdf([d], folder / "pdf" / str(n), folder / "profile")[0] for n, d in enumerate(documents)]
    return dict(zip(names, pdfs, strict=True))


@pytest.fixture(scope="module")
def stages(stage_pdfs: dict[str, Path]) -> dict[str, list[str]]:
    """The text of each page of the 通报 at every stage."""
    return {stage: _pages(pdf) for stage, pdf in stage_pdfs.items()}


def _pages(pdf: Path) -> list[str]:
    require_program("pdftotext")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True)
    return text.stdout.split("\f")[:-1]


Word = tuple[float, float, float, float, str]  # xMin, yMin, xMax, yMax, text (points from the top left)


def _words(pdf: Path) -> list[list[Word]]:
    """Each page's words with their boxes, as pdftotext -bbox gives them."""
    require_program("pdftotext")
    text = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    box = re.compile(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<')
    return [
        [(float(m[1]), float(m[2]), float(m[3]), float(m[4]), m[5]) for m in box.finditer(page)]
        for page in text.split("<page ")[1:]
    ]


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize(
    ("stage", "mark"),
    [
        ("初稿", "（代拟稿）"),
        ("征求意见稿", "（征求意见稿）"),
        ("审定稿", ""),
        ("印发稿", ""),
        ("初稿（暂定）", "（代拟稿）"),
    ],
)
def test_the_title_and_every_header_say_the_stage(stages: dict[str, list[str]], stage: str, mark: str) -> None:
    pages = stages[stage]
    first = _flat(pages[0])
    assert f"考核结果的通报{mark}舞阳县人民政府" in first  # the title ends with the stage's mark, or with nothing
    assert ("代拟稿" in first) == (mark == "（代拟稿）") and ("征求意见稿）" in first) == (mark == "（征求意见稿）")
    for page in pages:
        assert page.strip().splitlines()[0].strip() == stage  # the header's first line


def test_page_numbers_stand_at_the_outside_corners(stage_pdfs: dict[str, Path]) -> None:
    """ "— N —" under the text: on odd pages at the right edge, on even pages at the left (A4: 595 pt wide, text
    from 79 pt to 521 pt)."""
    pages = _words(stage_pdfs["审定稿"])
    assert len(pages) == 2
    for number, words in enumerate(pages, start=1):
        line = [w for w in words if w[1] > 770]  # below the text area: the footer
        assert "".join(w[4] for w in line) == f"—{number}—"
        left, right = min(w[0] for w in line), max(w[2] for w in line)
        if number % 2:
            assert 480 < right <= 521 and left > 440, line  # one character in from the right edge of the text
        else:
            assert 79 <= left < 110 and right < 150, line


def test_the_record_stands_on_the_last_lines_of_the_last_page(stages: dict[str, list[str]]) -> None:
    for pages in stages.values():
        lines = [line.strip() for line in pages[-1].rstrip().splitlines() if line.strip()]
        assert _flat(lines[-3]) == "抄送：市纪委监委，市委组织部。"
        assert _flat(lines[-2]) == "漯河市质量强市战略工作领导小组办公室2023年5月8日印发"
        assert "抄送：" not in "".join(_flat(p) for p in pages[:-1])


def test_the_record_is_at_the_foot_of_the_page_even_under_a_short_text(tmp_path: Path) -> None:
    """A 通报 for one unit ends high on its last page: its 版记 still stands at the foot of the text area (A4 is
    842 pt tall, the text ends 35 mm = 99 pt above the bottom edge), far below the signature."""
    document = tmp_path / "通报.docx"
    document.write_bytes(render(NOTICE, NOTICE.example()))
    (pdf,) = to_pdf([document], tmp_path / "pdf", tmp_path / "profile")
    last = _words(pdf)[-1]
    signed = max(w[3] for w in last if w[4] == "日")  # the signature's date: 2023 年 5 月 8 日
    printed = max(w[3] for w in last if w[4].endswith("印发"))
    assert signed < 500 and 720 < printed <= 760, (signed, printed)


def test_a_template_cannot_print_a_score_the_settings_withhold(tmp_path: Path, run: RunReport, rubric: Rubric) -> None:
    """The 2022 plan publishes grades only: the 通报's template is given no totals, so a template edited to print
    them unconditionally is refused, naming the field (and nothing is written)."""
    document = docx.Document(io.BytesIO(bundled_template(NOTICE)))
    paragraph = next(p for p in document.paragraphs if "{% if 公布分数 %}" in p.text)
    paragraph.text = paragraph.text.replace(
        "{% if 公布分数 %}（{{ 单位.总分 }}分）{% endif %}", "（{{ 单位.总分 }}分）"
    )
    (tmp_path / "模板").mkdir()
    document.save(str(tmp_path / "模板" / "通报.docx"))
    assert all("总分" not in u for g in notice_context(rubric, run.results, ISSUED)["考核结果"] for u in g["单位"])
    with pytest.raises(TemplateBroken) as refused:
        write_notice(tmp_path / "通报.docx", rubric, run.results, ISSUED, templates=tmp_path / "模板")
    assert [p.code for p in refused.value.problems] == ["TEMPLATE_UNKNOWN_FIELD"]
    assert "“总分”" in refused.value.problems[0].message and not (tmp_path / "通报.docx").exists()
