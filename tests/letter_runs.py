"""The runs whose letters the templated letters are compared with: the 2022 samples as collected, the samples
again with the meeting's adjustments and last year's run, and the small rubric's run (a deduction, a bonus, a veto,
an incomplete unit, a joint item). Each writes its letters again with `report_run` (the path `qe report` takes) at
one date, so that two versions of the program give comparable letters.

tests/data/letters_before.json holds the text of these letters as the hand-written builder gave them (written by
`letters_text` with the program as it was before the templates), read by tests/test_letter_templates.py.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import docx
from docx.oxml.ns import qn

from qe_workbook.extras import Adjustments, PreviousYear
from qe_workbook.keys import read_key
from qe_workbook.pipeline import CollectOptions, run_collect
from qe_workbook.record.reports_again import report_run
from qe_workbook.rubric import Rubric

from .conftest import ROOT
from .forms import KEY, fill_all, generate
from .test_adjustments import MINUTES, adjustments_file
from .test_reports import ANSWERS

ISSUED = date(2023, 5, 8)
FEEDBACK_DIR = "反馈意见"


def sample_letters(tmp_path: Path, rubric_2022: Rubric) -> dict[str, Path]:
    """The 2022 samples' letters, then the same run adjusted by the meeting and compared with the first as last
    year's: name ("样例/临颍县", "样例调整/郾城区") → letter."""
    key, _ = read_key(ROOT / "samples" / "qe-sample.key")
    assert key is not None
    returned = ROOT / "samples" / "returned"
    plain = run_collect(returned, rubric_2022, key, CollectOptions(tmp_path / "plain", reports=False))
    adjustments = adjustments_file(tmp_path / "adjustments.xlsx", rubric_2022, [
        ("郾城区", "加分", "1", MINUTES, "创建省级质量强县成效明显"),
        ("舞阳县", "扣分", "0.5", MINUTES, "督查发现整改不到位"),
    ])  # fmt: skip
    adjusted = run_collect(returned, rubric_2022, key, CollectOptions(tmp_path / "adjusted", reports=False),
                           [Adjustments(adjustments), PreviousYear(plain.folder)])  # fmt: skip
    return {**_again(plain.folder, rubric_2022, tmp_path / "plain-letters", "样例"),
            **_again(adjusted.folder, rubric_2022, tmp_path / "adjusted-letters", "样例调整")}  # fmt: skip


def small_letters(tmp_path: Path, small_rubric: Rubric) -> dict[str, Path]:
    """The small rubric's letters (东区: a bonus; 西区: a deduction, a joint item; 南区: the veto, incomplete)."""
    fill_all(generate(small_rubric, tmp_path / "forms"), tmp_path / "returned", ANSWERS)
    run = run_collect(tmp_path / "returned", small_rubric, KEY,
                      CollectOptions(tmp_path / "runs", allow_partial=True, reports=False))  # fmt: skip
    return _again(run.folder, small_rubric, tmp_path / "small-letters", "小细则")


def _again(run_dir: Path, rubric: Rubric, out: Path, label: str) -> dict[str, Path]:
    written, _ = report_run(run_dir, rubric, out, issued=ISSUED)
    return {f"{label}/{p.name.split('_')[0]}": p for p in written if p.parent.name == FEEDBACK_DIR}


def letter_lines(path: Path) -> list[str]:
    """A letter's text in reading order: "P:" and a paragraph's text, "R:" and a table row's cells (" ‖ " between
    cells, a cell's paragraphs joined by a newline; a line break is a newline too); the first page's header and
    the footers are left out (their layout is no text)."""
    body = docx.Document(str(path)).element.body
    lines = []
    for element in body.iterchildren(qn("w:p"), qn("w:tbl")):
        if element.tag == qn("w:p"):
            lines.append("P:" + _text(element))
        else:
            for row in element.iter(qn("w:tr")):
                cells = ["\n".join(_text(p) for p in cell.iter(qn("w:p"))) for cell in row.iter(qn("w:tc"))]
                lines.append("R:" + " ‖ ".join(cells))
    return lines


def _text(paragraph: docx.oxml.CT_P) -> str:
    parts = []
    for node in paragraph.iter(qn("w:t"), qn("w:br"), qn("w:tab")):
        parts.append(node.text or "" if node.tag == qn("w:t") else "\n" if node.tag == qn("w:br") else "\t")
    return "".join(parts)


def letters_text(letters: dict[str, Path]) -> dict[str, list[str]]:
    return {name: letter_lines(path) for name, path in sorted(letters.items())}
