"""The results the office sends: feedback per unit, the 通报 draft and the public list, read back."""

from __future__ import annotations

import csv
import re
import subprocess
import zipfile
from datetime import date
from functools import partial
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from docx.document import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from qe_workbook import pipeline
from qe_workbook.cli import main
from qe_workbook.documents.letters import Letter, shares, write_share
from qe_workbook.documents.reports import FEEDBACK_DIR, write_reports
from qe_workbook.keys import read_key
from qe_workbook.parallel import alongside
from qe_workbook.pipeline import CollectOptions, RunReport, run_collect
from qe_workbook.record.reports_again import report_run
from qe_workbook.rubric import Rubric

from .conftest import ROOT, require_program
from .forms import KEY, fill_all, generate

ISSUED = date(2023, 5, 8)

# The small rubric (tests/conftest.py) filled by hand; 01-2 is scored by 甲局 and 乙局 (mean):
#   东区 38 + (20+19)/2 + 40 + bonus 1                          = 98.5    A, 1st
#   西区 40 + (15+16.15)/2 → 15.58 + 35 − 1 event × 1.5         = 89.08   B, 2nd, 0.92 short of A
#   南区 30 + 10 (乙局 left 01-2 blank) + 39.5 − min(3 × 1.5, 2) = 77.5    D（暂定）, veto, 3rd
ANSWERS = {
    "甲局": {
        ("东区", "01-1"): (38, "合格率略低于全市平均。"),
        ("东区", "01-2"): (20, ""),
        ("东区", "02-1"): (0, ""),
        ("西区", "01-1"): (40, ""),
        ("西区", "01-2"): (15, "抽检批次偏少。"),
        ("西区", "02-1"): (1, "发生一起重大质量事件。"),
        ("南区", "01-1"): (30, "合格率低。"),
        ("南区", "01-2"): (10, "农产品抽检不合格较多。"),
        ("南区", "02-1"): (3, "发生三起重大质量事件。"),
    },
    "乙局": {
        ("东区", "01-2"): (19, "=抽检不合格1批"),
        ("东区", "03-1"): (40, ""),
        ("东区", "03-2"): (1, "受到督查激励。"),
        ("西区", "01-2"): (16.15, "监测覆盖面不足。"),
        ("西区", "03-1"): (35, ""),  # short of full marks, no remark
        ("西区", "03-2"): (0, ""),
        ("南区", "01-2"): (None, ""),  # left blank: 南区 is incomplete
        ("南区", "03-1"): (39.5, "个别制度未落实。"),
        ("南区", "03-2"): (0, ""),
    },
    "质强办": {
        ("东区", "02-2"): ("否", ""),
        ("西区", "02-2"): ("否", ""),
        ("南区", "02-2"): ("是", "发生区域性产品质量安全事件。"),
    },
}


@pytest.fixture
def run(tmp_path: Path, small_rubric: Rubric) -> RunReport:
    fill_all(generate(small_rubric, tmp_path / "forms"), tmp_path / "returned", ANSWERS)
    return run_collect(tmp_path / "returned", small_rubric, KEY, CollectOptions(tmp_path / "runs", allow_partial=True))


@pytest.fixture
def written(run: RunReport, small_rubric: Rubric) -> list[Path]:
    return write_reports(run.folder, small_rubric, run.results, issued=ISSUED)


def _texts(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs if p.text]


def _feedback(run: RunReport, unit: str) -> Path:
    return run.folder / FEEDBACK_DIR / f"{unit}_2022年度质量工作考核反馈意见.docx"


def _section(texts: list[str], heading: str) -> list[str]:
    """The paragraphs from a heading up to the next first-level heading."""
    start = texts.index(heading) + 1
    end = next((n for n in range(start, len(texts)) if re.match(r"^[一二三四五六七八九十]+、", texts[n])), len(texts))
    return texts[start:end]


def test_documents_written_by_spawned_workers_are_the_same(
    tmp_path: Path, run: RunReport, small_rubric: Rubric, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above the measured size collect writes the documents on spawned workers while it writes master.xlsx:
    the same files in the same order, holding the same text."""
    monkeypatch.setattr(pipeline, "PARALLEL_FROM_UNITS", 1)
    spawned = run_collect(
        tmp_path / "returned", small_rubric, KEY, CollectOptions(tmp_path / "spawned", allow_partial=True)
    )
    names = [p.relative_to(run.folder) for p in run.outputs.files if p.suffix == ".docx"]
    assert names and names == [p.relative_to(spawned.folder) for p in spawned.outputs.files if p.suffix == ".docx"]
    for name in names:
        assert _texts(spawned.folder / name) == _texts(run.folder / name)


def test_reports_are_written_with_chinese_names(run: RunReport, written: list[Path]) -> None:
    assert [p.relative_to(run.folder).as_posix() for p in written] == [
        f"{FEEDBACK_DIR}/东区_2022年度质量工作考核反馈意见.docx",
        f"{FEEDBACK_DIR}/西区_2022年度质量工作考核反馈意见.docx",
        f"{FEEDBACK_DIR}/南区_2022年度质量工作考核反馈意见.docx",
        "2022年度政府质量工作考核结果通报（代拟稿）.docx",
        "公告名单.xlsx",
        "公告名单.csv",
        "共性问题/甲局.docx",
        "共性问题/乙局.docx",
    ]


def test_letters_written_in_shares_on_spawned_workers_are_the_same(
    tmp_path: Path, run: RunReport, small_rubric: Rubric
) -> None:
    """Two spawned workers, a share of the letters each, write the very same files as this process alone, which
    meanwhile does its own work; the paths come back in the letters' order."""
    units = [u.unit for u in run.results.by_rank()]
    added = ({"种类": "调整", "方式": "加分", "分数": "1", "等级": "", "依据": "会议纪要", "备注": ""},)
    alone = [Letter(tmp_path / "alone" / f"{unit}.docx", unit, added) for unit in units]
    shared = [Letter(tmp_path / "shared" / f"{unit}.docx", unit, added) for unit in units]
    (tmp_path / "alone").mkdir()
    (tmp_path / "shared").mkdir()
    assert write_share(alone, small_rubric, run.results, ISSUED, "初稿") == [x.path for x in alone]
    assert [len(x) for x in shares(shared, 2)] == [2, 1]
    jobs = [partial(write_share, share, small_rubric, run.results, ISSUED, "初稿") for share in shares(shared, 2)]
    here, written = alongside(jobs, lambda: "meanwhile", workers=2)
    assert here == "meanwhile" and written == [x.path for x in shared]
    for one, other in zip(alone, shared, strict=True):
        with zipfile.ZipFile(one.path) as a, zipfile.ZipFile(other.path) as b:
            assert a.namelist() == b.namelist()
            assert all(a.read(name) == b.read(name) for name in a.namelist()), one.unit
    assert "根据会议纪要，加分 1 分。" in _plain("".join(_texts(shared[0].path)))


def _plain(text: str) -> str:
    """Text as read: word joiners (which hold numbers together on paper) removed, no-break spaces as spaces."""
    return text.replace("\u00a0", " ")


def _letter(run: RunReport, unit: str) -> list[str]:
    return [_plain(t) for t in _texts(_feedback(run, unit))]


def _tables(run: RunReport, unit: str) -> list[list[list[str]]]:
    document = docx.Document(str(_feedback(run, unit)))
    return [[[_plain(c.text) for c in row.cells] for row in table.rows] for table in document.tables]


@pytest.mark.usefixtures("written")
@pytest.mark.parametrize(
    ("unit", "sentence", "table_total"),
    [
        ("东区", "你单位总分 98.50 分，等级为 A，在 3 个被考核单位中排名第 1 位，已达到最高等级标准。", "98.50"),
        ("西区", "你单位总分 89.08 分，等级为 B，在 3 个被考核单位中排名第 2 位，距 A 级（90 分）还差 0.92 分。",
         "89.08"),
        ("南区", "你单位总分 77.50 分，等级为 D（暂定），在 3 个被考核单位中排名第 3 位。", "77.50"),
    ],
)  # fmt: skip
def test_feedback_names_the_unit_total_grade_rank_and_gap(
    run: RunReport, unit: str, sentence: str, table_total: str
) -> None:
    """西区's gap: the joint mean 15.575 counts as 15.58, so 89.08 is 0.92 short of A; a vetoed unit has no gap."""
    texts = _letter(run, unit)
    assert texts[:3] == ["〔2023〕　　号", "2022年度政府质量工作\n考核结果反馈意见（初稿）", f"{unit}人民政府："]
    assert texts[texts.index("一、考核结果") + 1] == sentence + "各领域得分如下："
    areas = _tables(run, unit)[0]
    assert areas[0] == ["考核领域", "满分", "得分", "失分"]
    assert areas[-1] == ["总分", "100.00", table_total, ""]
    assert texts[-2:] == ["质强办", "2023年5月8日"] or "附件：失分项目及评价说明" in texts


@pytest.mark.usefixtures("written")
def test_feedback_tables_the_lost_items_with_whole_names_and_remarks(run: RunReport) -> None:
    texts = _letter(run, "西区")
    assert _section(texts, "二、失分情况")[0] == (
        "你单位共有 2 个评分项目失分，合计失分 9.42 分（各领域失分见上表）。失分较多的项目如下表，各部门的评价说明见附件。"
    )
    body, attachment = _tables(run, "西区")[1], _tables(run, "西区")[2:]
    assert body == [
        ["项目", "满分", "得分", "失分", "评价部门", "评价说明"],
        ["03-1 完善质量工作制度", "40.00", "35.00", "5.00", "乙局", ""],  # a missing remark is left out
        ["01-2 农产品质量安全合格率", "20.00", "15.58", "4.42", "甲局、乙局", "甲局：抽检批次偏少。乙局：监测覆盖面不足。"],
    ]  # fmt: skip
    assert _section(texts, "三、扣分、加分和否决情况")[0] == (
        "你单位扣分 1.50 分：发生重大质量事件，扣 1.50 分（甲局）。未获得加分。未触发否决项。"
    )
    assert "附件：失分项目及评价说明" in texts and "西区失分项目及评价说明" in texts
    assert attachment[0][1:] == [  # a joint item: one row, each department's score, the adopted one, the loss once
        ["01-2 农产品质量安全合格率", "20.00", "采用 15.58", "4.42", "甲局 15.00\n乙局 16.15",
         "甲局：抽检批次偏少。乙局：监测覆盖面不足。"],
        ["02-1 发生重大质量事件", "最高扣2", "1次", "1.50", "甲局", "发生一起重大质量事件。"],
    ]  # fmt: skip
    assert attachment[1][1:] == [["03-1 完善质量工作制度", "40.00", "35.00", "5.00", "乙局", ""]]
    assert not any("未填写评价说明" in t for t in texts)


@pytest.mark.usefixtures("written")
def test_a_remark_starting_with_equals_stays_literal_text(run: RunReport) -> None:
    path = _feedback(run, "东区")
    assert ["01-2 农产品质量安全合格率", "20.00", "19.50", "0.50", "甲局、乙局", "=抽检不合格1批"] in _tables(
        run, "东区"
    )[1]
    texts = _letter(run, "东区")
    assert "你单位未被扣分。加分 1.00 分：受到督查激励，加 1.00 分。未触发否决项。" in texts
    with zipfile.ZipFile(path) as z:
        body = z.read("word/document.xml").decode("utf-8")
        footer = z.read("word/footer1.xml").decode("utf-8")
    assert re.search(r"<w:t( xml:space=\"preserve\")?>=抽检不合格1批</w:t>", body)  # one plain run
    assert not re.search(r"<w:(instrText|fldChar|fldSimple)\b", body)  # no field codes in the body
    assert "<w:instrText" in footer and " PAGE " in footer


@pytest.mark.usefixtures("written")
def test_vetoed_incomplete_unit_is_provisional_d_without_a_gap(run: RunReport) -> None:
    texts = _letter(run, "南区")
    assert "你单位触发否决项，不论得分，考核等级一律为 D 级。" in texts
    assert "注：农产品质量安全合格率等项目尚缺有效评分，以上总分、等级和排名为暂定，待评分补齐后另行反馈。" in texts
    assert any(
        t.startswith("你单位扣分 2.00 分：发生重大质量事件，扣 2.00 分（甲局）。未获得加分。触发否决项") for t in texts
    )
    rows = _tables(run, "南区")[2]
    assert [
        "02-2 发生区域性、系统性产品质量安全事件的，考核结果一律为D级",
        "否决",
        "是",
        "否决",
        "质强办",
        "发生区域性产品质量安全事件。",
    ] in rows


@pytest.mark.usefixtures("written")
def test_notice_lists_every_unit_once_under_its_grade(run: RunReport, small_rubric: Rubric) -> None:
    文号, *texts = _texts(run.folder / "2022年度政府质量工作考核结果通报（代拟稿）.docx")
    assert 文号 == "〔2023〕\u3000\u3000号"  # the 文号 line to fill: year of issue, 代字 and number left blank
    assert texts[0] == "关于2022年度政府质量工作\n考核结果的通报（代拟稿）"  # broken at a sense boundary
    assert texts[1] == "东区人民政府、西区人民政府、南区人民政府："
    assert texts[2].startswith(f"根据《{small_rubric.title}》")  # the small rubric cites no other basis
    assert "自我评价、部门打分和综合考评" in texts[3]
    grades = [re.fullmatch(r"([A-D])级（(\d+)个）：(.+)[；。]", t) for t in _section(texts, "一、考核结果")]
    listed = {m[1]: m[3].split("、") for m in grades if m}
    assert listed == {"A": ["东区人民政府"], "B": ["西区人民政府"], "D": ["南区人民政府（暂定）"]}  # full names
    assert "其中，南区人民政府触发否决项，考核等级一律为D级。" in texts
    assert any("制定改进方案" in t for t in _section(texts, "二、有关要求"))
    assert texts[-3:] == ["质强办", "2023年5月8日", "质强办\t2023年5月8日印发"]  # 版记 without 抄送 (no copy_to)


@pytest.mark.usefixtures("written")
def test_public_list_has_title_date_and_units_by_grade(run: RunReport) -> None:
    expected = [["被考核单位", "等级"], ["东区人民政府", "A"], ["西区人民政府", "B"], ["南区人民政府", "D（暂定）"]]
    ws = openpyxl.load_workbook(run.folder / "公告名单.xlsx").active
    assert ws is not None
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0][0] == "2022年度政府质量工作考核结果"
    assert values[1:5] == expected and [v[0] for v in values[6:]] == ["质强办", "2023年5月8日"]
    assert {ws.cell(row, 2).alignment.horizontal for row in range(3, 6)} == {"center"}
    assert {c.data_type for row in ws.iter_rows(min_row=2, max_row=5) for c in row} == {"s"}
    raw = (run.folder / "公告名单.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert list(csv.reader(raw.decode("utf-8-sig").splitlines())) == expected


@pytest.mark.usefixtures("written")
def test_documents_use_the_official_layout(run: RunReport) -> None:
    document: Document = docx.Document(str(_feedback(run, "东区")))
    section = document.sections[0]
    page = (section.page_width, section.page_height, section.top_margin, section.bottom_margin,
            section.left_margin, section.right_margin)  # fmt: skip
    assert [round(length.mm) for length in page if length is not None] == [210, 297, 37, 35, 28, 26]
    normal = document.styles["Normal"]
    assert normal.font.size == Pt(16)
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert document.paragraphs[0].text == "〔2023〕　　号"  # the 文号 line to fill
    title = document.paragraphs[1].runs[0]
    assert title.font.size == Pt(22)
    assert title._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    with zipfile.ZipFile(_feedback(run, "东区")) as z:
        fonts = z.read("word/fontTable.xml").decode("utf-8")
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="黑体"/>' in fonts


def test_each_letter_carries_its_own_body_and_properties_beside_the_shared_parts(run: RunReport) -> None:
    east, west = _feedback(run, "东区"), _feedback(run, "西区")
    with zipfile.ZipFile(east) as a, zipfile.ZipFile(west) as b:
        assert a.testzip() is None and b.testzip() is None
        assert sorted(a.namelist()) == sorted(b.namelist())
        assert a.namelist()[0] == "[Content_Types].xml"
        differ = [name for name in a.namelist() if a.read(name) != b.read(name)]
    assert differ == ["word/document.xml"]  # one title and office: the core properties are the same
    properties = docx.Document(str(east)).core_properties
    assert (properties.title, properties.author) == ("2022年度政府质量工作考核结果反馈意见（初稿）", "质强办")


def test_report_run_rebuilds_the_reports_from_detail_json(
    run: RunReport, small_rubric: Rubric, written: list[Path], tmp_path: Path
) -> None:
    again, problems = report_run(run.folder, small_rubric, tmp_path / "again", issued=ISSUED)
    assert problems == []
    (folder,) = (tmp_path / "again").iterdir()  # a new timestamped folder; nothing overwritten
    assert [p.relative_to(folder) for p in again] == [p.relative_to(run.folder) for p in written]
    before = {p: p.read_bytes() for p in written}
    once_more, _ = report_run(run.folder, small_rubric, issued=ISSUED)
    assert all(p.read_bytes() == data for p, data in before.items())
    assert once_more[0].is_relative_to(run.folder / "重新生成的报告")
    for before, after in zip(written, again, strict=True):
        if before.suffix == ".docx":
            assert _texts(after) == _texts(before)
        elif before.suffix == ".csv":  # (an .xlsx carries its creation time)
            assert after.read_bytes() == before.read_bytes()


def test_libreoffice_prints_feedback_and_notice_on_a4(run: RunReport, written: list[Path], tmp_path: Path) -> None:
    soffice = require_program("soffice")
    pdftotext = require_program("pdftotext")
    pdfinfo = require_program("pdfinfo")
    documents = [_feedback(run, "西区"), run.folder / "2022年度政府质量工作考核结果通报（代拟稿）.docx"]
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path / "pdf"), *map(str, documents)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    feedback, notice = (tmp_path / "pdf" / d.with_suffix(".pdf").name for d in documents)
    for pdf in (feedback, notice):
        info = subprocess.run([pdfinfo, str(pdf)], check=True, capture_output=True, text=True).stdout
        size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
        assert size is not None and (round(float(size[1]), 1), round(float(size[2]), 1)) == (595.3, 841.9)
    text = subprocess.run([pdftotext, str(feedback), "-"], check=True, capture_output=True, text=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert "西区人民政府" in flat and "89.08" in flat and "未填写评价说明" not in flat
    notice_text = re.sub(r"\s+", "", subprocess.run([pdftotext, str(notice), "-"], check=True, capture_output=True,
                                                    text=True).stdout)  # fmt: skip
    assert "B级（1个）：西区人民政府；" in notice_text and "代拟稿" in notice_text


def test_reports_for_the_2022_samples(tmp_path: Path, rubric_2022: Rubric) -> None:
    key, _ = read_key(ROOT / "samples" / "qe-sample.key")
    assert key is not None
    run = run_collect(ROOT / "samples" / "returned", rubric_2022, key, CollectOptions(tmp_path))
    written = write_reports(run.folder, rubric_2022, run.results, issued=ISSUED)
    units = [u.name for u in rubric_2022.units]
    assert sorted(p.name for p in (run.folder / FEEDBACK_DIR).iterdir()) == sorted(
        f"{u}_2022年度质量工作考核反馈意见.docx" for u in units
    )
    feedback = _texts(_feedback(run, "开发区"))
    assert feedback[:3] == ["〔2023〕　　号", "漯河市2022年度政府质量工作\n考核结果反馈意见（初稿）",
                            "漯河经济技术开发区管委会："]  # fmt: skip
    assert ["漯河市质量强市战略工作领导小组办公室", "2023年5月8日"] in [
        feedback[n : n + 2] for n in range(len(feedback))
    ]
    notice = _texts(written[len(units)])[1:]  # after the 文号 line
    assert notice[0] == "关于漯河市2022年度政府质量工作\n考核结果的通报（代拟稿）"
    assert "（漯发〔2018〕21号）" in notice[2] and "（漯政办〔2014〕48号）" in notice[2]
    assert [t.strip() for t in notice[-2:]] == [
        "抄送：市纪委监委，市委组织部。",
        "漯河市质量强市战略工作领导小组办公室\t2023年5月8日印发",
    ]
    listed = [
        name
        for text in _section(notice, "一、考核结果")
        if (m := re.fullmatch(r"[A-D]级（\d+个）：(.+)[；。]", text))
        for name in m[1].split("、")
    ]
    full = {u.name: u.full_name for u in rubric_2022.units}
    assert sorted(listed) == sorted(full.values())
    # grades only are published: within a grade the rubric's order (舞阳县, 临颍县, 源汇区, 郾城区, 召陵区, 开发区,
    # 市城乡一体化示范区, 西城区), not the scores' (A: 开发区 96.73, 召陵区 91.88, 西城区 91.70)
    expected = ["召陵区", "开发区", "西城区", "舞阳县", "临颍县", "源汇区", "市城乡一体化示范区", "郾城区"]
    assert listed == [full[name] for name in expected]
    public = list(csv.reader((run.folder / "公告名单.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert [row[0] for row in public[1:]] == listed


def test_collect_writes_the_reports_and_qe_report_checks_the_rubric(
    run: RunReport, small_rubric_path: Path, tmp_path: Path
) -> None:
    assert (run.folder / FEEDBACK_DIR / "东区_2022年度质量工作考核反馈意见.docx").exists()
    assert (run.folder / "公告名单.csv").exists()
    again = CliRunner().invoke(
        main, ["report", str(run.folder), "--rubric", str(small_rubric_path), "--out", str(tmp_path / "again")]
    )
    assert again.exit_code == 0, again.output
    (folder,) = (tmp_path / "again").iterdir()
    assert (folder / "2022年度政府质量工作考核结果通报（代拟稿）.docx").exists()
    other = CliRunner().invoke(main, ["report", str(run.folder), "--rubric", str(ROOT / "rubric.json")])
    assert other.exit_code == 1 and "REPORT_RUBRIC_MISMATCH" in other.output
    empty = tmp_path / "empty"
    empty.mkdir()
    broken = CliRunner().invoke(main, ["report", str(empty), "--rubric", str(small_rubric_path)])
    assert broken.exit_code == 1 and "REPORT_RUN_INVALID" in broken.output


def test_a_damaged_detail_json_is_a_problem_not_a_traceback(run: RunReport, small_rubric: Rubric) -> None:
    detail = run.folder / "detail.json"
    detail.write_text(
        detail.read_text(encoding="utf-8").replace('"value_cents": 4000', '"value_cents": "四十"', 1), encoding="utf-8"
    )
    written, problems = report_run(run.folder, small_rubric)
    assert written == [] and [p.code for p in problems] == ["REPORT_RUN_INVALID"]
