"""The office's registers as LibreOffice prints them: the blank 收件登记, 材料报送情况 and a unit's 印证材料报送指引
(2022 plan, the units' packages sent in full and checked). Rendered once for the module."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from qe_workbook.intake.receipts import REGISTER_XLSX
from qe_workbook.units.guide import guide_rows
from qe_workbook.units.materials import GUIDE_FILE
from qe_workbook.units.package import generate_packages
from qe_workbook.units.report_out import STATUS_FILE, run_units_check
from qe_workbook.units.simulate import simulate_units

from .conftest import ROOT, load_ok
from .forms import KEY
from .test_print import pages, to_pdf

UNIT = "临颍县"


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    folder, rubric = tmp_path_factory.mktemp("registers"), load_ok(ROOT / "rubric.json")
    packages = folder / "packages"
    generate_packages(rubric, packages, KEY, generated_at=datetime(2023, 3, 1, 9, 0))
    simulate_units(rubric, packages, folder / "received")
    check, checked = run_units_check(folder / "received", rubric, KEY, folder / "check")
    assert check.problems == []
    files = {
        "register": packages / REGISTER_XLSX,
        "guide": packages / UNIT / GUIDE_FILE,
        "status": checked / STATUS_FILE,
    }
    pdfs = to_pdf(list(files.values()), folder, folder / "profile")
    return {name: pages(pdf) for name, pdf in zip(files, pdfs, strict=True)}


def head(page: str) -> list[str]:
    return page.strip().splitlines()[0].split()


def foot(page: str) -> str:
    return page.strip().splitlines()[-1].strip()


def test_the_blank_receipt_register_prints_one_page_to_fill_by_hand(printed: dict[str, list[str]]) -> None:
    """One page (the ruled rows; the drop-downs' 名录 is not printed), named by the office, and no command."""
    (page,) = printed["register"]
    assert head(page)[0] == "市质强办" and "2022年度质量工作考核收件登记" in page
    assert foot(page) == "第 1 页，共 1 页"
    assert "qe " not in page and "市无线电管理局" not in page


def test_the_material_status_is_titled_dated_and_prints_no_empty_problem_list(printed: dict[str, list[str]]) -> None:
    status = printed["status"]
    assert "漯河市2022年度政府质量工作考核被考核单位材料报送情况" in status[0]
    assert re.search(r"报送截止日期：2023年\d+月\d+日\s+检查日期：\d{4}年\d+月\d+日\s+未发现问题", status[0])
    for n, page in enumerate(status, start=1):  # every page is the status table: no page with a bare header
        assert head(page)[0] == "市质强办" and foot(page) == f"第 {n} 页，共 {len(status)} 页"
        assert "被考核单位" in page and UNIT in "".join(status)
        assert "代码" not in page


def test_each_department_of_the_evidence_guide_stays_on_one_page(printed: dict[str, list[str]]) -> None:
    """The item ids printed in the guide's order, each page starting with a department's first row (so that a
    department's merged name, phone and e-mail cells are never cut by a page break)."""
    guide = printed["guide"]
    rows = guide_rows(load_ok(ROOT / "rubric.json"))
    found = [re.findall(r"(?m)^\s*(?:\S+\s+){0,3}?(\d{2}-\d{1,2})\s{2,}", page) for page in guide]
    assert [i for ids in found for i in ids] == [r.item.id for r in rows]
    starts = [sum(len(ids) for ids in found[:n]) for n in range(len(found))]
    firsts = {0} | {k for k in range(1, len(rows)) if rows[k].evaluator.name != rows[k - 1].evaluator.name}
    assert set(starts) <= firsts, starts
    for n, page in enumerate(guide, start=1):
        assert head(page)[0] == "临颍县人民政府" and foot(page) == f"第 {n} 页，共 {len(guide)} 页"
    assert "tang18339851822@163.com" in "".join(guide)  # an e-mail address on one line
