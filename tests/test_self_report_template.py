"""自评报告（模板）.docx as printed: a template the unit fills (no stage in any header), its title broken where
its sense breaks, the limits its hints state the ones the check applies."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import docx

from qe_workbook.rubric import Rubric
from qe_workbook.rubric.model import ReportLimits
from qe_workbook.units.report_template import write_report_template

from .conftest import require_program


def test_the_template_has_no_stage_header_a_title_in_two_whole_lines_and_the_checked_limits(
    tmp_path: Path, rubric_2022: Rubric
) -> None:
    unit = next(u for u in rubric_2022.units if u.name == "临颍县")
    path = write_report_template(rubric_2022, unit, tmp_path / "自评报告（模板）.docx")
    soffice, pdftotext = require_program("soffice"), require_program("pdftotext")
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(path)], check=True, capture_output=True)  # fmt: skip
    text = subprocess.run([pdftotext, "-layout", str(path.with_suffix(".pdf")), "-"], check=True, capture_output=True,
                          text=True).stdout  # fmt: skip
    pages = [[line.strip() for line in page.splitlines() if line.strip()] for page in text.split("\f")[:-1]]
    assert pages[0][:2] == ["临颍县人民政府", "2022 年度质量工作考核自评报告"]
    assert not any(line in ("初稿", "征求意见稿") for page in pages for line in page)
    assert [page[-1].replace(" ", "") for page in pages] == [f"—{n}—" for n in range(1, len(pages) + 1)]
    paragraphs = [p.text for p in docx.Document(str(path)).paragraphs]
    assert any("本报告正文不超过3000字" in p and "不超过3个" in p for p in paragraphs)
    assert [p for p in paragraphs if p.startswith("案例")] == [
        "案例一：【案例标题】",
        "案例二：【案例标题】",
        "案例三：【案例标题】",
    ]


def test_the_template_states_the_plans_own_limits(tmp_path: Path, rubric_2022: Rubric) -> None:
    texts = dataclasses.replace(rubric_2022.texts, report_limits=ReportLimits(chars=5000, cases=2))
    plan = dataclasses.replace(rubric_2022, texts=texts)
    path = write_report_template(plan, plan.units[0], tmp_path / "自评报告（模板）.docx")
    paragraphs = [p.text for p in docx.Document(str(path)).paragraphs]
    assert any("本报告正文不超过5000字" in p and "不超过2个" in p for p in paragraphs)
    assert [p for p in paragraphs if p.startswith("案例")] == ["案例一：【案例标题】", "案例二：【案例标题】"]
