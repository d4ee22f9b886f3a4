"""The forms a department signs and the dispatch list, as LibreOffice prints them: the owner and the page on
every page, a signature block at the end, each county on one page, the guide numbered on its own and broken
without a line starting with closing punctuation, no code or file name on paper.

Rendered once for the module: the 2022 forms of 市住建局 (blank, and with 500-character remarks and a date
typed in LibreOffice) and 市质强办, and the dispatch list.
"""

from __future__ import annotations

import re
import shutil
from datetime import datetime

import pytest

from qe_workbook.forms.generate import GenerateResult, write_form
from qe_workbook.forms.layout import COL_REMARK, DATE_CELL, cell_ref, form_rows
from qe_workbook.forms.paper import CLOSING
from qe_workbook.forms.simulate import simulate
from qe_workbook.rubric import Rubric

from .conftest import ROOT, UNITS_2022, load_ok, require_program
from .forms import KEY, generate
from .test_print import LO_FILL, LONG_REMARK, pages, to_pdf
from .test_real_clients import run_bounded, uno_python

FORM = "市住建局"


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return load_ok(ROOT / "rubric.json")


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory, rubric: Rubric) -> dict[str, list[str]]:
    """The pages of each rendered file, by a short name."""
    folder = tmp_path_factory.mktemp("paper")
    forms: GenerateResult = generate(rubric, folder / "forms")
    by_name = {f.evaluator.name: f.path for f in forms.forms}
    filled = folder / "filled" / "filled.xlsx"
    filled.parent.mkdir()
    profile = folder / "profile"
    cells = [f"{cell_ref(r.row, COL_REMARK)}={LONG_REMARK}" for r in form_rows(rubric, FORM)[:6]]
    run_bounded([uno_python(), str(LO_FILL), str(by_name[FORM]), str(filled), *cells, f"{DATE_CELL}=2023-04-30",
                 "--profile", str(profile), "--soffice", require_program("soffice")])  # fmt: skip
    ev = rubric.evaluator(FORM)
    assert ev is not None
    correction = write_form(rubric, ev, folder / "更正表.xlsx", KEY, form_id="0" * 12, when=datetime(2023, 5, 6),
                            units=["源汇区", "西城区"]).path  # fmt: skip
    simulate(rubric, folder / "forms", folder / "simulated")  # remarks as the demo's departments write them
    typed = {
        name: shutil.copy(folder / "simulated" / by_name[name].name, folder / f"simulated_{name}.xlsx")
        for name in (FORM, "市质强办", "漯河海关")
    }  # fmt: skip (a name of its own: the PDFs share a folder)
    files = {"blank": by_name[FORM], "office": by_name["市质强办"], "filled": filled, "dispatch": forms.dispatch_list,
             "correction": correction, "simulated": typed[FORM], "simulated office": typed["市质强办"],
             "simulated customs": typed["漯河海关"]}  # fmt: skip
    pdfs = to_pdf(list(files.values()), folder, profile)
    return {name: pages(pdf) for name, pdf in zip(files, pdfs, strict=True)}


def form_part(all_pages: list[str]) -> list[str]:
    return [page for page in all_pages if "实际得分" in page]


def guide_part(all_pages: list[str]) -> list[str]:
    return [page for page in all_pages if "评分指引" in page.splitlines()[0]]


def lines_of(page: str) -> list[str]:
    return [line.strip() for line in page.splitlines() if line.strip()]


@pytest.mark.parametrize(
    "name, owner", [("blank", FORM), ("filled", FORM), ("office", "市质强办"), ("correction", FORM)]
)
def test_every_page_names_the_attachment_the_owner_and_the_page(
    printed: dict[str, list[str]], name: str, owner: str
) -> None:
    form = form_part(printed[name])
    for n, page in enumerate(form, start=1):
        head = lines_of(page)[0].split()
        assert head[:2] == ["附件6", owner], (name, n, head)
        if name == "filled":  # 500-character remarks make more pages than the generator planned: its total
            assert re.fullmatch(rf"第 {n} 页，共 \d+ 页", lines_of(page)[-1]), (name, n)
        else:  # the guide's pages not counted
            assert lines_of(page)[-1] == f"第 {n} 页，共 {len(form)} 页", (name, n)
    guide = guide_part(printed[name])
    assert len(guide) >= 1
    for n, page in enumerate(guide, start=1):  # the guide is numbered on its own
        assert lines_of(page)[0].split()[0] == owner
        assert lines_of(page)[-1] == f"第 {n} 页，共 {len(guide)} 页", (name, n)


@pytest.mark.parametrize(
    "name", ["blank", "office", "correction", "simulated", "simulated office", "simulated customs"]
)
def test_each_county_is_on_one_page_and_the_signature_block_ends_the_form(
    printed: dict[str, list[str]], name: str
) -> None:
    form = form_part(printed[name])
    for unit in UNITS_2022 if name != "correction" else ["源汇区", "西城区"]:
        row = re.compile(rf"^\s*\d{{2}}-\d\s+{unit}\s", re.MULTILINE)  # a table row of the unit
        holding = [n for n, page in enumerate(form) if row.search(page)]
        assert len(holding) == 1, (name, unit, holding)
    signature = re.compile(r"^\s*(评价部门（盖章）：|负责人：)", re.MULTILINE)
    assert [n for n, page in enumerate(form) if signature.search(page)] == [len(form) - 1], name
    last = re.sub(r"\s+", "", form[-1])
    assert re.search(r"评价部门（盖章）：填报日期：(\d{4}年\d+月\d+日)?负责人：经办人：联系电话：第", last), name
    assert re.search(r"^\s*\d{2}-\d\s", form[-1], re.MULTILINE)  # under the last county's rows, not alone
    first = "舞阳县" if name != "correction" else "源汇区"
    assert re.search(rf"^\s*\d{{2}}-\d\s+{first}\s", form[0], re.MULTILINE)  # page 1 holds the first county
    assert name != "correction" or all("现采用值" in page for page in form)


def test_a_blank_form_prints_no_check_code_and_a_filled_one_its_code_and_date(printed: dict[str, list[str]]) -> None:
    blank, filled = form_part(printed["blank"])[0], form_part(printed["filled"])[0]
    assert re.search(r"校验码：\s*$", blank, re.MULTILINE) and not re.search(r"校验码：\s*\d", blank)
    assert re.search(r"校验码：\d{5}", filled)
    assert "2023年4月30日" in filled and "2023-04-30" not in filled
    assert "2023年4月30日" in re.sub(r"\s", "", form_part(printed["filled"])[-1])  # the date by the signature


@pytest.mark.parametrize("name", ["blank", "office"])
def test_no_line_of_the_guide_starts_with_closing_punctuation(printed: dict[str, list[str]], name: str) -> None:
    for page in guide_part(printed[name]):
        for line in page.splitlines():
            for cell in re.split(r"\s{2,}", line.strip()):
                assert not cell or cell[0] not in CLOSING, (name, line)


def test_the_dispatch_list_is_titled_dated_signed_for_and_shows_no_file_name(
    printed: dict[str, list[str]], rubric: Rubric
) -> None:
    dispatch = printed["dispatch"]
    text = "\n".join(dispatch)
    assert "漯河市2022年度政府质量工作考核评价表发放清单" in dispatch[0] and "发放日期：2023年3月6日" in dispatch[0]
    listed = [page for page in dispatch if "发放清单" in lines_of(page)[0]]
    assert 1 <= len(listed) <= 3  # 28 forms
    for n, page in enumerate(listed, start=1):
        assert lines_of(page)[0].split()[0] == "市质强办" and "签收（签字、日期）" in page
        assert lines_of(page)[-1].startswith(f"第 {n} 页，共 ")
    for ev in rubric.form_evaluators():  # every phone and e-mail on one line
        for value in (ev.phone, ev.email):
            assert not value or value in text, value
    assert ".xlsx" not in text and not re.search(r"[0-9a-f]{12}", text)


def test_a_first_county_taller_than_a_page_starts_on_page_1(printed: dict[str, list[str]]) -> None:
    form = form_part(printed["filled"])  # 500-character remarks in the first county's six rows
    assert re.search(r"^\s*\d{2}-\d\s+舞阳县\s", form[0], re.MULTILINE), form[0]
