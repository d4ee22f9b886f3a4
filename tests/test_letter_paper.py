"""The letters on paper (GB/T 9704-2012), read from the PDF LibreOffice prints: the page number "— N —" at the
outside corner of every page, the stage in the first page's header and in the title, a 文号 line to fill, every table
row on one page with its item's name whole; and an office's edit of the template, made in LibreOffice, in every
letter `qe report` and `qe approve` write next."""

from __future__ import annotations

import re
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from qe_workbook.cli import main
from qe_workbook.documents.feedback_kind import FEEDBACK
from qe_workbook.documents.templating import bundled_template
from qe_workbook.keys import read_key
from qe_workbook.pipeline import CollectOptions, run_collect
from qe_workbook.record.approval import approve_run
from qe_workbook.record.reports_again import report_run
from qe_workbook.record.stages import Stage
from qe_workbook.rubric import Rubric

from .conftest import ROOT, load_ok, require_program
from .letter_runs import FEEDBACK_DIR, ISSUED, letter_lines, sample_letters
from .test_real_clients import run_bounded, uno_python

LO_EDIT = ROOT / "scripts" / "lo_edit_docx.py"
LOOKED_AT = ("样例/临颍县", "样例调整/郾城区")  # the plain letter, and one with a joint item, adjustments and last year


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return load_ok(ROOT / "rubric.json")


@pytest.fixture(scope="module")
def letters(tmp_path_factory: pytest.TempPathFactory, rubric: Rubric) -> dict[str, Path]:
    return sample_letters(tmp_path_factory.mktemp("letters"), rubric)


@pytest.fixture(scope="module")
def pdfs(letters: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The looked-at letters printed by LibreOffice."""
    soffice = require_program("soffice")
    out = tmp_path_factory.mktemp("pdf")
    printed = {}
    for name in LOOKED_AT:
        folder = out / name.replace("/", "-")
        subprocess.run([soffice, f"-env:UserInstallation={(out / 'profile').as_uri()}", "--headless", "--convert-to",
                        "pdf", "--outdir", str(folder), str(letters[name])], check=True, capture_output=True)  # fmt: skip
        printed[name] = next(folder.glob("*.pdf"))
    return printed


@pytest.fixture(scope="module")
def pages(pdfs: dict[str, Path]) -> dict[str, list[tuple[str, str]]]:
    """Each looked-at letter's pages: (the page laid out, the page's text in the order it was written)."""
    pdftotext = require_program("pdftotext")
    printed = {}
    for name, pdf in pdfs.items():
        layout, raw = (subprocess.run([pdftotext, *mode, str(pdf), "-"], check=True, capture_output=True,
                                      text=True).stdout.split("\f")[:-1] for mode in (["-layout"], ["-raw"]))  # fmt: skip
        printed[name] = list(zip(layout, raw, strict=True))
    return printed


def _plain(text: str) -> str:
    """Text without white space (where the PDF breaks lines), "…" and quotation marks (printed apart from their line)."""
    return re.sub(r"[\s\u00a0…“”‘’]", "", text)


def _corner(pdf: Path, page: int, left: bool) -> str:
    """The text in the bottom 30 mm of a page's left or right half (A4: 595 × 842 points)."""
    pdftotext = require_program("pdftotext")
    crop = ["-x", "0" if left else "298", "-y", "757", "-W", "297", "-H", "85"]
    args = [pdftotext, "-f", str(page), "-l", str(page), *crop, str(pdf), "-"]
    return re.sub(r"\s", "", subprocess.run(args, check=True, capture_output=True, text=True).stdout)


@pytest.mark.parametrize("name", LOOKED_AT)
def test_every_page_is_numbered_at_its_outside_corner(
    pages: dict[str, list[tuple[str, str]]], pdfs: dict[str, Path], name: str
) -> None:
    assert len(pages[name]) >= 4
    for n in range(1, len(pages[name]) + 1):
        outside, inside = (_corner(pdfs[name], n, left) for left in ((False, True) if n % 2 else (True, False)))
        assert (outside, inside) == (f"—{n}—", ""), (name, n)  # odd pages at the right, even pages at the left


@pytest.mark.parametrize("name", LOOKED_AT)
def test_the_stage_heads_the_first_page_and_the_title_and_a_number_line_waits_to_be_filled(
    pages: dict[str, list[tuple[str, str]]], name: str
) -> None:
    first = [line.strip() for line in pages[name][0][0].splitlines() if line.strip()]
    assert first[0] == "初稿"  # the header
    assert re.fullmatch(r"〔2023〕\s+号", first[1])
    assert "考核结果反馈意见（初稿）" in _plain("".join(first[2:4]))
    later = [line.strip() for layout, _ in pages[name][1:] for line in layout.splitlines()]
    assert "初稿" not in later


@pytest.mark.parametrize("name", LOOKED_AT)
def test_every_table_row_is_printed_on_one_page_with_its_item_named_whole(
    letters: dict[str, Path], pages: dict[str, list[tuple[str, str]]], name: str
) -> None:
    rows = [line[2:].split(" ‖ ") for line in letter_lines(letters[name]) if line.startswith("R:")]
    raw = [_plain(text) for _, text in pages[name]]
    named = [cells[0] for cells in rows if re.match(r"\d\d-\d+ ", cells[0])]
    assert named and not any(cell.endswith("…") for cell in named)
    for cells in rows:
        if cells[0] in ("项目", "考核领域"):  # a header row: repeated on each page its table runs onto
            continue
        whole = _plain("".join(cells))  # a row split across pages is whole on neither
        assert sum(page.count(whole) for page in raw) == rows.count(cells), (name, cells[0])


def test_the_adjusted_letter_shows_the_meeting_last_year_and_a_joint_item_on_one_row(
    pages: dict[str, list[tuple[str, str]]],
) -> None:
    text = _plain("".join(raw for _, raw in pages["样例调整/郾城区"]))
    assert "根据市质量强市工作领导小组2023年第2次会议纪要，加分1分（创建省级质量强县成效明显）。" in text
    assert "调整前你单位总分75.50分，等级为C，排名第8位；以上为调整后的结果。" in text
    assert "与2022年度相比：你单位总分由75.50分变为76.50分（增加1.00分）" in text
    assert "01-2农产品质量安全合格率水平2.00采用" in text  # one row: the adopted score, then each department's


def _edit_in_libreoffice(src: Path, dst: Path, *edits: str) -> Path:
    soffice = require_program("soffice")
    dst.parent.mkdir(parents=True, exist_ok=True)
    run_bounded([uno_python(), str(LO_EDIT), str(src), str(dst), *edits, "--profile", str(dst.parent.parent / "lo"),
                 "--soffice", soffice])  # fmt: skip
    return dst


ADDED = "请于收到本意见后三十日内将整改方案报送市质强办。"
RANK = "{% if 排名 is defined %}，在 {{ 排名.单位数 }}\u00a0个被考核单位中{% if 排名.并列 %}并列{% endif %}排名第 {{ 排名.名次 }}\u00a0位{% endif %}"  # fmt: skip


def test_an_edit_made_in_libreoffice_is_in_every_letter_qe_report_and_qe_approve_write(
    tmp_path: Path, rubric: Rubric
) -> None:
    """The office adds a sentence, sends the letter to the government's office and takes the rank out; `qe report`
    with its templates folder writes every letter with exactly those changes, and so does the approval."""
    key, _ = read_key(ROOT / "samples" / "qe-sample.key")
    assert key is not None
    run = run_collect(ROOT / "samples" / "returned", rubric, key, CollectOptions(tmp_path / "runs", reports=False))
    bundled = tmp_path / "反馈意见.docx"
    bundled.write_bytes(bundled_template(FEEDBACK))
    templates = tmp_path / "文书模板"
    _edit_in_libreoffice(bundled, templates / FEEDBACK.file_name, f"反馈如下。=>反馈如下。{ADDED}",
                         "{{ 单位全称 }}：=>{{ 单位全称 }}办公室：", f"{RANK}=>")  # fmt: skip
    before, _ = report_run(run.folder, rubric, tmp_path / "before", issued=ISSUED)
    said = CliRunner().invoke(main, ["report", str(run.folder), "--rubric", str(ROOT / "rubric.json"), "--out",
                                     str(tmp_path / "after"), "--date", "2023-05-08", "--templates", str(templates)])  # fmt: skip
    assert said.exit_code == 0, said.output
    assert said.stderr.startswith(f"使用文书模板文件夹“{templates}”中的模板：反馈意见.docx")
    after = list((tmp_path / "after").glob(f"*/{FEEDBACK_DIR}/*.docx"))
    approval, _ = approve_run(run.folder, rubric, Stage.CONSULTATION, "征求意见", now=datetime(2023, 5, 8, 9),
                              templates=templates)  # fmt: skip
    assert approval is not None
    old = {p.name: p for p in before if p.parent.name == FEEDBACK_DIR}
    new = {p.name: p for p in after if p.parent.name == FEEDBACK_DIR}
    approved = {p.name: p for p in (approval.documents / FEEDBACK_DIR).iterdir()}
    assert sorted(old) == sorted(new) == sorted(approved) and len(old) == 8
    full = {u.name: u.full_name for u in rubric.units}
    for name, path in old.items():
        was, now = letter_lines(path), letter_lines(new[name])
        assert [n for n, (a, b) in enumerate(zip(was, now, strict=True)) if a != b] == [3, 4, 6], name
        unit = full[name.split("_")[0]]
        assert (was[3], now[3]) == (f"P:{unit}：", f"P:{unit}办公室：")
        assert now[4] == was[4] + ADDED
        assert re.sub(r"，在 8\u00a0个被考核单位中(并列)?排名第 \d\u00a0位", "", was[6]) == now[6] != was[6]
        assert f"P:{unit}办公室：" in letter_lines(approved[name]) and "排名" not in letter_lines(approved[name])[6]
