"""One year of the office's work through every command, in order, as the installed `qe` runs them; then next year's
collect against it. Every number the office publishes is checked against every output that shows it.

The small rubric (tests/conftest.py) with self-scoring on. The departments fill TIE (tests/forms.py), except that 乙局
first gives 西区 35.5 on 03-1 and corrects it to 37.5 on a correction form. The meeting takes 1 point from 东区:

    scored:   南区 40 + 20 + 40 − min(3 × 1.5, 2)         = 98.00  A  1
              东区 36 + (18+19)/2 + 35 + bonus 1           = 90.50  A  2
              西区 38 + (17+16)/2 + 37.5 − 1 event × 1.5  = 90.50  A  2
    adopted:  南区 98.00 A 1, 西区 90.50 A 2, 东区 90.50 − 1 = 89.50 B 3
    areas (bonus and deductions apart): 质量整体水平 南区 40 + 20 = 60, 东区 36 + 18.5 = 54.5, 西区 38 + 16.5 = 54.5;
              质量政策制度 南区 40, 东区 35, 西区 37.5
Before the correction 西区 had 88.50 (B, 3rd) and 东区 90.50 (A, 2nd).
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest

from qe_workbook.forms.fill import fill_form
from qe_workbook.rubric import load_rubric
from qe_workbook.units.simulate import simulate_units

from .conftest import run_qe, small_rubric_data, write_json
from .forms import KEY, TIE, with_changes
from .mails import foxmail
from .mailserver import PASSWORD, USER, Dovecot
from .test_adjustments import MINUTES
from .test_feedback_wording import OFFICE_TEXT, _edit
from .test_receipts import fill_register
from .test_rectify import DONE, LATER, fill

CST = timezone(timedelta(hours=8))
UNITS = ("南区", "西区", "东区")
# (total, grade, rank) as adopted, and each unit's area points
ADOPTED = {"南区": ("98.00", "A", 1), "西区": ("90.50", "A", 2), "东区": ("89.50", "B", 3)}
AREAS = {"南区": ("60.00", "40.00"), "西区": ("54.50", "37.50"), "东区": ("54.50", "35.00")}
SCORED = {"南区": ("98.00", "A", 1), "东区": ("90.50", "A", 2), "西区": ("90.50", "A", 2)}
ADOPTED_ROWS = [(unit, *ADOPTED[unit], *AREAS[unit]) for unit in UNITS]
PUBLIC = {"南区人民政府": "A", "西区人民政府": "A", "东区人民政府": "B"}
STAGES = ("征求意见稿", "审定稿", "印发稿")
TITLE_MARKS = {"征求意见稿": "（征求意见稿）", "审定稿": "", "印发稿": ""}
FIRST_ANSWERS = with_changes(TIE, "乙局", {("西区", "03-1"): (35.5, "部分制度未落实。")})


def newest(folder: Path) -> Path:
    return max((p for p in folder.iterdir() if p.is_dir()), key=lambda p: p.name)


def text_of(path: Path) -> str:
    """A .docx as read: paragraphs and table cells, word joiners removed, no-break spaces as spaces."""
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells).replace("\u00a0", " ")


def header_of(path: Path) -> str:
    """The first page's header (a letter carries the stage there only, GB/T 9704)."""
    section = docx.Document(str(path)).sections[0]
    return (
        (section.first_page_header if section.different_first_page_header_footer else section.header).paragraphs[0].text
    )


def without_stage(letters: dict[str, str]) -> dict[str, str]:
    """The letters without the stage their titles name (the stage is a letter's only difference between stages)."""
    return {unit: re.sub(r"(考核结果反馈意见)（[^）]*）", r"\1", text) for unit, text in letters.items()}


def letters(folder: Path) -> dict[str, str]:
    return {unit: text_of(folder / "反馈意见" / f"{unit}_2022年度质量工作考核反馈意见.docx") for unit in UNITS}


def rows(path: Path, sheet: str, min_row: int = 1) -> list[list[object]]:
    return [list(r) for r in openpyxl.load_workbook(path)[sheet].iter_rows(min_row=min_row, values_only=True)]


def shown_in_results_json(run: Path) -> list[tuple[object, ...]]:
    data = json.loads((run / "results.json").read_text(encoding="utf-8"), parse_float=Decimal)
    ranked = sorted(data["units"], key=lambda u: (u["rank"], UNITS.index(u["unit"])))
    return [(u["unit"], f"{u['total']:.2f}", u["grade"], u["rank"], *(f"{u['areas'][a]:.2f}" for a in "12"))
            for u in ranked]  # fmt: skip


def shown_in_results_csv(run: Path) -> list[tuple[object, ...]]:
    with (run / "results.csv").open(encoding="utf-8-sig") as fh:
        table = list(csv.DictReader(fh))
    return [
        (r["被考核单位"], r["总分"], r["等级"], int(r["排名"]), r["质量整体水平"], r["质量政策制度"]) for r in table
    ]


def shown_in_master(run: Path, sheet: str) -> list[tuple[object, ...]]:
    table = [r for r in rows(run / "master.xlsx", sheet, min_row=4) if r[1] in UNITS]
    return [(r[1], f"{Decimal(str(r[6])):.2f}", r[7], r[0], f"{Decimal(str(r[2])):.2f}", f"{Decimal(str(r[3])):.2f}")
            for r in table]  # fmt: skip


def public_list(folder: Path) -> dict[str, str]:
    with (folder / "公告名单.csv").open(encoding="utf-8-sig") as fh:
        listed = {r[0]: r[1] for r in list(csv.reader(fh))[1:]}
    sheet = rows(folder / "公告名单.xlsx", "公告名单")
    assert {r[0]: r[1] for r in sheet if r[0] in listed} == listed
    return listed


def test_a_whole_year_then_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def qe(*args: object) -> str:
        """`qe ARGS` as installed: every step succeeds on the state the one before left (exit code 0)."""
        code, output = run_qe([str(a) for a in args], monkeypatch, capsys)
        assert code == 0, output
        return output

    office = tmp_path / "office"
    office.mkdir()
    rubric = write_json(office / "rubric.json", {**small_rubric_data(), "self_scoring": True})
    key = office / "qe.key"
    key.write_text(KEY.hex() + "\n", encoding="ascii")
    common = ("--rubric", rubric, "--key", key)
    monkeypatch.setenv("QE_MAIL_PASSWORD", PASSWORD)
    monkeypatch.chdir(office)

    # -- March: the units' packages, their materials and self-scores, checked --------------------------------------
    qe("units", "generate", *common, "--out", office / "units")
    loaded = load_rubric(rubric).rubric
    assert loaded is not None
    simulate_units(loaded, office / "units", tmp_path / "units-received")
    qe("units", "check", tmp_path / "units-received", *common, "--out", office / "units-check")
    units_check = newest(office / "units-check")

    # -- the forms, and the returns: 甲局 by mail, 乙局 and 质强办 by hand, registered --------------------------------
    qe("generate", *common, "--out", office / "forms", "--timestamp", "2023-03-06T09:00:00")
    forms = {p.name.split("_")[-1].removesuffix(".xlsx"): p for p in (office / "forms").glob("*.xlsx")}
    filled = tmp_path / "filled"
    for evaluator, answers in FIRST_ANSWERS.items():
        fill_form(forms[evaluator], filled / forms[evaluator].name, answers, "2023-04-20")
    jia = filled / forms["甲局"].name
    returned = office / "returned"
    with Dovecot.running() as imap:
        imap.append(foxmail("甲局", "jia@example.cn", "2022年度质量工作考核评价表（甲局）", [(jia.name, jia.read_bytes())],
                            date="Tue, 25 Apr 2023 09:12:05 +0800"), datetime(2023, 4, 25, 9, 12, 7, tzinfo=CST))  # fmt: skip
        qe("mail", "fetch", "--server", "127.0.0.1", "--port", imap.port, "--security", "none", "--user", USER,
           "--out", returned, "--rubric", rubric)  # fmt: skip
    qe("receipts", "template", "--rubric", rubric, "--out", returned / "收件登记.xlsx")
    by_hand = [forms["乙局"].name, forms["质强办"].name]
    for name in by_hand:
        shutil.copyfile(filled / name, returned / name)
    fill_register(returned / "收件登记.xlsx", [
        [by_hand[0], "评价表", "U盘", datetime(2023, 4, 27, 15, 30), "张三"],
        [by_hand[1], "评价表", "现场", datetime(2023, 4, 28, 10, 0), "张三"],
    ])  # fmt: skip

    # -- May: the first collect, then 乙局's correction for 西区 ------------------------------------------------------
    results = office / "results"
    qe("collect", returned, *common, "--out", results, "--units-check", units_check)
    first = newest(results)
    qe("correction", "--evaluator", "乙局", "--units", "西区", "--from", first, "--out", office / "corrections",
       *common)  # fmt: skip
    (correction,) = (office / "corrections").iterdir()
    west = {cell: answer for cell, answer in TIE["乙局"].items() if cell[0] == "西区"}
    fill_form(correction, returned / correction.name, west, date.today())  # generated today: filled today

    # -- the appeals and the meeting's adjustments ------------------------------------------------------------------
    appeals = office / "异议登记.xlsx"
    qe("appeals", "template", "--rubric", rubric, "--out", appeals)
    book = openpyxl.load_workbook(appeals)
    appeal = ("西区", "03-1", "制度已落实", "印发文件", "乙局", "调整", "已出具更正表", "2023-05-12")
    for col, value in enumerate(appeal, 1):
        book.active.cell(3, col).value = value
    book.save(appeals)
    adjustments = office / "adjustments.xlsx"
    qe("adjustments", "template", "--rubric", rubric, "--out", adjustments)
    book = openpyxl.load_workbook(adjustments)
    for col, value in enumerate(("东区", "扣分", "1", MINUTES, "督查发现整改不到位"), 1):
        book.active.cell(3, col).value = value
    book.save(adjustments)
    qe("collect", returned, *common, "--out", results, "--units-check", units_check, "--appeals", appeals,
       "--adjustments", adjustments)  # fmt: skip
    run = newest(results)
    assert run != first
    qe("precheck", run, "--deadline", "2023-05-20", "--rubric", rubric)

    # -- the office's wording, the stages, the reports, the archive -------------------------------------------------
    qe("feedback", "export", run, "--rubric", rubric)
    wording = _edit(run / "反馈修改稿.xlsx", office / "反馈修改稿.xlsx", {("西区", "01-2"): {"反馈表述": OFFICE_TEXT}})
    for stage in STAGES:
        qe("approve", run, "--stage", stage, "--basis", MINUTES, "--feedback", wording, "--rubric", rubric)
    qe("report", run, "--feedback", wording, "--rubric", rubric)
    qe("export", "kaoping", run, "--map", "A=100,B=90,C=80,D=60", "--rubric", rubric)
    qe("export", "wenze", run, "--rubric", rubric)
    qe("archive", run, "--returned", returned, "--out", office / "档案", "--rubric", rubric)
    qe("archive", "--verify", office / "档案")

    # -- the rectification ledgers, sent with the letters and returned by July ---------------------------------------
    qe("rectify", "generate", run, *common, "--feedback", wording)
    back = office / "整改台账回收"
    for ledger in newest(run / "整改台账").glob("*.xlsx"):
        listed = [
            r for r in openpyxl.load_workbook(ledger).worksheets[0].iter_rows(min_row=5, values_only=True) if r[1]
        ]
        fill(ledger, back / ledger.name, [DONE] * (len(listed) - 1) + [LATER])
    qe("rectify", "collect", back, *common, "--today", "2023-07-15")

    # -- next year: the same returns and adjustments, compared with this year ---------------------------------------
    qe("collect", returned, *common, "--out", office / "results-next", "--units-check", units_check,
       "--adjustments", adjustments, "--previous", run)  # fmt: skip
    following = newest(office / "results-next")
    qe("approve", following, "--stage", "征求意见稿", "--basis", "征求意见", "--rubric", rubric)
    corrected = json.loads(qe("diff", first, run, "--rubric", rubric, "--out", office / "变更说明.xlsx", "--json"))
    same = json.loads(qe("diff", run, following, "--rubric", rubric, "--out", office / "变更说明-次年.xlsx", "--json"))

    # -- every published number agrees with the adopted result, wherever it is shown --------------------------------
    for result in (run, following):
        shown = (shown_in_results_json(result), shown_in_results_csv(result), shown_in_master(result, "汇总"))
        assert shown == (ADOPTED_ROWS, ADOPTED_ROWS, ADOPTED_ROWS)
    adjusted = {r[0]: r for r in rows(run / "master.xlsx", "会议调整后", min_row=2)}
    assert {u: (r[5], r[6], int(r[7])) for u, r in adjusted.items()} == ADOPTED
    assert {u: (r[1], r[2], int(r[3])) for u, r in adjusted.items()} == SCORED
    documents = [run, *(newest(run / stage) for stage in STAGES), newest(run / "重新生成的报告"), following]
    for folder in documents:
        for unit, text in letters(folder).items():
            total, grade, rank = ADOPTED[unit]
            assert f"你单位总分 {total} 分，等级为 {grade}，在 3 个被考核单位中排名第 {rank} 位" in text
            area_1, area_2 = AREAS[unit]
            assert f"质量整体水平\n60.00\n{area_1}\n" in text and f"质量政策制度\n40.00\n{area_2}\n" in text
        (notice,) = folder.glob("*通报*.docx")
        # grades only are published: 西区 before 南区 as the rubric lists them, whatever their scores
        assert "A级（2个）：西区人民政府、南区人民政府；\nB级（1个）：东区人民政府。" in text_of(notice)
        assert public_list(folder) == PUBLIC
    for unit, (total, _, _) in ADOPTED.items():  # the items add up to the scored total; the meeting's change apart
        (precheck,) = run.glob(f"得分核对单/*/{unit}_*.xlsx")
        scored = SCORED[unit][0]
        adjusted = "" if scored == total else f"，会议调整后总分 {total} 分"
        expected = f"总分 {scored} 分（各领域得分 + 加分 − 扣分）{adjusted}；"
        assert str(openpyxl.load_workbook(precheck).active["A2"].value).startswith(expected)
    (kaoping,) = run.glob("导出/*/综合考评折算表.csv")
    with kaoping.open(encoding="utf-8-sig") as fh:
        assert [r[:4] for r in csv.reader(fh)][1:] == [
            ["东区人民政府", "B", "90", "印发稿"], ["西区人民政府", "A", "100", "印发稿"], ["南区人民政府", "A", "100", "印发稿"]]  # fmt: skip
    assert {(u["unit"], u["new_total"], u["new_grade"], int(u["new_rank"])) for u in corrected["units"]} == {
        ("东区", "89.50", "B", 3), ("西区", "90.50", "A", 2), ("南区", "98.00", "A", 1)}  # fmt: skip
    assert [(c["unit"], c["item_id"], c["old"], c["new"]) for c in corrected["items"]] == [
        ("西区", "03-1", "35.50", "37.50")
    ]
    assert same["items"] == [] and {
        (u["unit"], u["old_total"], u["new_total"], u["old_rank"], u["new_rank"]) for u in same["units"]
    } == {(u, t, t, r, r) for u, (t, _, r) in ADOPTED.items()}
    # the same returns and adjustments a year later: no change, anywhere it is shown
    compared = rows(following / "master.xlsx", "与上年比较", min_row=2)[:3]
    assert compared == [["南区", 98, 98, 0, "A", "A", 1, 1, "不变"], ["西区", 90.5, 90.5, 0, "A", "A", 2, 2, "不变"],
                        ["东区", 89.5, 89.5, 0, "B", "B", 3, 3, "不变"]]  # fmt: skip
    assert ("与2022年度相比：你单位总分由 89.50 分变为 89.50 分（持平），等级由B级变为B级，排名由第 3 位变为第 3 位（不变）。"
            in letters(following)["东区"])  # fmt: skip
    archived = office / "档案" / "03_印发文件"
    assert public_list(archived) == PUBLIC and letters(archived) == letters(newest(run / "印发稿"))

    # -- the approved documents carry what the draft carries; titles and headers follow the stage -------------------
    again = letters(newest(run / "重新生成的报告"))  # the draft's letters, written from the same wording
    assert "自评合计 99.50 分" in again["东区"] and "调整前你单位总分 90.50 分" in again["东区"]
    assert OFFICE_TEXT in again["西区"]
    for stage in STAGES:
        folder = newest(run / stage)
        assert without_stage(letters(folder)) == without_stage(again)
        assert all(f"考核结果反馈意见{TITLE_MARKS[stage]}\n" in text for text in letters(folder).values())
        assert {header_of(p) for p in folder.rglob("*.docx")} == {stage}
        (notice,) = folder.glob("*通报*.docx")
        number, text = text_of(notice).split("\n\n", 1)  # the 文号 line to fill, then the title
        assert number.startswith("〔") and number.endswith("号")
        assert text.startswith(f"关于2022年度政府质量工作\n考核结果的通报{TITLE_MARKS[stage]}\n")
    drafted = letters(following)
    assert all("四、上年反馈问题整改情况" in t and "与2022年度相比" in t and "自评合计" in t for t in drafted.values())
    assert without_stage(letters(newest(following / "征求意见稿"))) == without_stage(drafted)
