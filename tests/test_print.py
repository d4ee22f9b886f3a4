"""What is printed, as LibreOffice prints it: forms, master.xlsx, letters and the public list.

Files are converted to PDF by a real headless LibreOffice (one profile for the module) and read
back with pdftotext and pdfinfo; row heights are measured through UNO (scripts/lo_measure.py).
"""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date, datetime
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from qe_workbook.cli import main
from qe_workbook.documents.reports import FEEDBACK_DIR
from qe_workbook.forms.generate import GenerateResult
from qe_workbook.forms.layout import COL_REMARK, FIRST_DATA_ROW, FORM_SHEET, cell_ref, form_rows
from qe_workbook.keys import create_key, read_key
from qe_workbook.pipeline import CollectOptions, RunReport, run_collect
from qe_workbook.rubric import Rubric
from qe_workbook.units.self_score import write_self_score

from .conftest import ROOT, UNITS_2022, load_ok, require_program, small_rubric_data, write_json
from .forms import KEY, TIE, fill_all, generate
from .test_real_clients import run_bounded, uno_python

LO_FILL, LO_MEASURE = ROOT / "scripts" / "lo_fill.py", ROOT / "scripts" / "lo_measure.py"
LONG_REMARK = ("工作推进有力但基层落实不到位，建议加强督导。" * 25)[:500]
ITEM_ID = re.compile(r"\b\d{2}-\d\b")


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("lo") / "profile"


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return load_ok(ROOT / "rubric.json")


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory, rubric: Rubric) -> GenerateResult:
    return generate(rubric, tmp_path_factory.mktemp("forms"))


def to_pdf(files: list[Path], out: Path, profile: Path) -> list[Path]:
    soffice = require_program("soffice")
    run_bounded([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                 "--outdir", str(out), *map(str, files)])  # fmt: skip
    return [out / f"{f.stem}.pdf" for f in files]


def pages(pdf: Path) -> list[str]:
    require_program("pdftotext")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True)
    return text.stdout.split("\f")[:-1]


def form_of(forms: GenerateResult, name: str) -> Path:
    return next(f.path for f in forms.forms if f.evaluator.name == name)


def test_every_row_of_a_form_is_as_tall_as_libreoffice_needs(
    tmp_path: Path, forms: GenerateResult, rubric: Rubric, profile: Path
) -> None:
    """Blank, and with 500-character remarks typed into every row: no row is shorter than its text."""
    blank = form_of(forms, "市住建局")
    filled = tmp_path / blank.name
    cells = [f"{cell_ref(r.row, COL_REMARK)}={LONG_REMARK}" for r in form_rows(rubric, "市住建局")]
    soffice = require_program("soffice")
    run_bounded([uno_python(), str(LO_FILL), str(blank), str(filled), *cells, "--profile", str(profile),
                 "--soffice", soffice])  # fmt: skip
    out = subprocess.run(
        [uno_python(), str(LO_MEASURE), "--sheet", FORM_SHEET, "--profile", str(profile), str(blank), str(filled)],
        capture_output=True, check=True, text=True, timeout=120,
    )  # fmt: skip
    measured = json.loads(out.stdout)
    for path in (blank, filled):
        rows = measured[str(path)]
        assert len(rows) > FIRST_DATA_ROW + 48
        short = [(row, height, optimal) for row, height, optimal in rows if height < optimal]
        assert short == [], path.name
    filled_rows = {row: height for row, height, _ in measured[str(filled)]}
    assert filled_rows[FIRST_DATA_ROW] > 5000  # a 500-character remark: many lines, over 50 mm


def form_pages(pdf: Path) -> list[str]:
    """The pages of the 评价表 sheet (the guide follows it in the PDF)."""
    return [page for page in pages(pdf) if "实际得分" in page]


def test_unit_blocks_stay_on_one_page_and_no_page_is_only_notes(
    tmp_path: Path, forms: GenerateResult, profile: Path
) -> None:
    names = ["市质强办", "市住建局", "市公安局", "标准化科", "认证认可科"]
    pdfs = to_pdf([form_of(forms, n) for n in names], tmp_path, profile)
    for name, pdf in zip(names, pdfs, strict=True):
        printed = form_pages(pdf)
        assert printed, name
        for unit in UNITS_2022:
            holding = [n for n, page in enumerate(printed) if re.search(rf"(?<!城乡一体化示范){unit}", page)]
            assert len(holding) == 1, (name, unit, holding)
        assert all(ITEM_ID.search(page) for page in printed), name


def test_a_block_split_by_long_remarks_names_its_unit_on_every_page(
    tmp_path: Path, forms: GenerateResult, rubric: Rubric, profile: Path
) -> None:
    blank = form_of(forms, "市质强办")
    filled = tmp_path / "filled" / blank.name
    filled.parent.mkdir()
    cells = [f"{cell_ref(r.row, COL_REMARK)}={LONG_REMARK}" for r in form_rows(rubric, "市质强办")[:12]]
    run_bounded([uno_python(), str(LO_FILL), str(blank), str(filled), *cells, "--profile", str(profile),
                 "--soffice", require_program("soffice")])  # fmt: skip
    (pdf,) = to_pdf([filled], tmp_path, profile)
    printed = form_pages(pdf)
    assert len(printed) > 4
    for page in printed:
        if ITEM_ID.search(page):
            assert any(unit in page for unit in UNITS_2022), page[:400]


@pytest.fixture(scope="module")
def problem_run(tmp_path_factory: pytest.TempPathFactory, rubric: Rubric) -> RunReport:
    """The 2022 problem samples collected (as the office would, with their problems) into a run folder."""
    key, _ = read_key(ROOT / "samples" / "qe-sample.key")
    assert key is not None
    out = tmp_path_factory.mktemp("run")
    return run_collect(
        ROOT / "samples" / "returned-with-problems", rubric, key, CollectOptions(out / "runs", allow_partial=True)
    )


def sheet_pages(pdf: Path) -> dict[str, list[str]]:
    """The printed pages of each sheet (the page header names the office, then the sheet)."""
    by_sheet: dict[str, list[str]] = {}
    for page in pages(pdf):
        head = page.strip().splitlines()[0].split() if page.strip() else [""]
        assert head[0] == "市质强办", head
        by_sheet.setdefault(head[-1], []).append(page)
    return by_sheet


def test_master_prints_what_the_office_reads_on_at_most_15_pages(
    tmp_path: Path, problem_run: RunReport, rubric: Rubric, profile: Path
) -> None:
    """汇总, 报送情况, 问题清单, 自评 and the charts print, one page wide with their header on every page; the
    long tables (明细, 分项矩阵, 反馈要点, 共性问题) stay on screen; no problem code is printed."""
    master = problem_run.folder / "master.xlsx"
    (pdf,) = to_pdf([master], tmp_path, profile)
    printed = sheet_pages(pdf)
    assert len(pages(pdf)) <= 15, {name: len(p) for name, p in printed.items()}
    assert set(printed) == {"汇总", "报送情况", "问题清单", "先进典型", "图表", "图表数据"}
    wb = openpyxl.load_workbook(master, read_only=True)
    tables = {"报送情况": (0, -1), "问题清单": (0, -2), "汇总": (2, -1)}  # 问题清单's code stays off paper
    for sheet, (header_row, last) in tables.items():
        header = list(next(wb[sheet].iter_rows(min_row=header_row + 1, max_row=header_row + 1, values_only=True)))
        for n, page in enumerate(printed[sheet]):  # the first and the last column on every page: one page wide
            flat = re.sub(r"\s", "", page)
            assert re.sub(r"\s", "", str(header[0])) in flat and re.sub(r"\s", "", str(header[last])) in flat, (
                sheet,
                n,
            )
    whole = "\n".join(pages(pdf))
    assert not re.search(r"[A-Z]{2,}_[A-Z_]{2,}", whole)  # e.g. VALUE_DATE_BEFORE_ISSUE
    returns = "\n".join(printed["报送情况"])
    assert all(ev.email in returns for ev in rubric.form_evaluators() if ev.email)  # each on one line
    for n, page in enumerate(pages(pdf)):
        assert re.search(r"第 \d+ 页，共 \d+ 页\s*$", page), n
    data = re.sub(r"\s", "", "".join(printed["图表数据"]))
    assert "A级线（90分）" in data and "失分率（%）" in data  # the headers whole, not just their last line
    charts = [page for page in pages(pdf) if "各单位" in page or "失分率（全市）" in page]
    assert len(charts) == 3  # one chart a page, none cut across two


def test_an_empty_problem_list_says_so(tmp_path: Path, small_rubric: Rubric) -> None:
    generated = generate(small_rubric, tmp_path / "forms")
    fill_all(generated, tmp_path / "returned", TIE)
    run = run_collect(tmp_path / "returned", small_rubric, KEY, CollectOptions(tmp_path / "runs"))
    ws = openpyxl.load_workbook(run.folder / "master.xlsx", read_only=True)["问题清单"]
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 2 and str(rows[1][4]).startswith("无问题")


def test_letter_bodies_fit_four_pages_and_keep_headings_with_their_text(
    tmp_path: Path, problem_run: RunReport, profile: Path
) -> None:
    """Every unit of the 2022 problem samples: the letter's body (up to the signature) is at most 4 pages, the
    attachment starts on a page of its own, no heading ends a page, the signature stands with body text."""
    letters = sorted((problem_run.folder / FEEDBACK_DIR).glob("*.docx"))
    assert len(letters) == len(UNITS_2022)
    for letter, pdf in zip(letters, to_pdf(letters, tmp_path, profile), strict=True):
        printed = [page.strip() for page in pages(pdf)]
        attachment = next(n for n, page in enumerate(printed) if re.search(r"^附件\s", page))
        assert 1 <= attachment <= 4, (letter.name, attachment)
        signed = next(n for n, page in enumerate(printed) if "领导小组办公室" in page)
        assert signed == attachment - 1 and "长效机制" in printed[signed], letter.name
        for page in printed[:attachment]:
            lines = [line.strip() for line in page.splitlines() if line.strip()]
            last_text = lines[-2] if re.fullmatch(r"—\s*\d+\s*—", lines[-1]) else lines[-1]
            assert not re.match(r"^[一二三四]、", last_text), (letter.name, last_text)
        flat = re.sub(r"\s", "", "".join(printed))
        assert "未填写评价说明" not in flat


def test_the_office_sets_the_date_of_its_documents(tmp_path: Path) -> None:
    """--date first, then the rubric's report_date (the clock only when neither is given)."""
    path = write_json(tmp_path / "rubric.json", {**small_rubric_data(), "report_date": "2023-05-20"})
    rubric = load_ok(path)
    assert rubric.report_date == date(2023, 5, 20)
    key = create_key(tmp_path / "qe.key")
    fill_all(generate(rubric, tmp_path / "forms", key), tmp_path / "returned", TIE)
    for args, expected in (([], "2023年5月20日"), (["--date", "2023-06-01"], "2023年6月1日")):
        out = tmp_path / f"runs{len(args)}"
        result = CliRunner().invoke(
            main, ["collect", str(tmp_path / "returned"), "--rubric", str(path), "--key", str(tmp_path / "qe.key"),
                   "--out", str(out), *args],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        (folder,) = out.iterdir()
        for letter in (folder / FEEDBACK_DIR).glob("*.docx"):
            assert expected in [p.text for p in docx.Document(str(letter)).paragraphs]
        public = openpyxl.load_workbook(folder / "公告名单.xlsx").active
        assert public is not None and expected in [c.value for c in public["A"]]


def test_the_public_list_prints_titled_with_units_in_rubric_order_within_grades(
    tmp_path: Path, problem_run: RunReport, rubric: Rubric, profile: Path
) -> None:
    (pdf,) = to_pdf([problem_run.folder / "公告名单.xlsx"], tmp_path, profile)
    (page,) = pages(pdf)
    lines = [line.split() for line in page.splitlines() if line.strip()]
    assert "漯河市2022年度政府质量工作考核结果" in page and "领导小组办公室" in page  # title, issuer and date
    listed = [(words[0], words[-1]) for words in lines if words[0] in {u.full_name for u in rubric.units}]
    grade = {rubric_unit.full_name: unit.grade_label for rubric_unit in rubric.units
             for unit in problem_run.results.units if unit.unit == rubric_unit.name}  # fmt: skip
    order = [u.full_name for u in rubric.units]
    expected = sorted(order, key=lambda name: (grade[name][0], order.index(name)))
    assert [name for name, _ in listed] == expected
    assert [g for _, g in listed] == [grade[name] for name in expected]
    ranked = [next(u.full_name for u in rubric.units if u.name == r.unit) for r in problem_run.results.by_rank()]
    assert [name for name, _ in listed] != ranked  # the samples' score order differs: the list does not reveal it


def test_the_2022_self_score_table_leaves_no_page_with_a_row_or_two(tmp_path: Path, profile: Path) -> None:
    """The last area (质量基础设施, 17 items) is taller than a page: it starts under the area above it
    instead of on a new page, so that the table ends on a full page, not one row and the notes alone."""
    data = json.loads((ROOT / "rubric.json").read_text(encoding="utf-8"))
    rubric = load_ok(write_json(tmp_path / "rubric.json", {**data, "self_scoring": True}))
    table = tmp_path / "自评打分表.xlsx"
    write_self_score(rubric, rubric.units[0], table, KEY, datetime(2023, 3, 6))
    (pdf,) = to_pdf([table], tmp_path, profile)
    row = re.compile(r"^\s*\d{2}-\d{1,2}\s", re.MULTILINE)  # a line starting with an item number
    rows_per_page = [len(row.findall(page)) for page in pages(pdf) if "自评得分" in page]
    assert sum(rows_per_page) == 56  # the 56 scored items of 附件1, each once
    assert min(rows_per_page) >= 4, rows_per_page
