"""What the office lets units and the public see (rubric `disclosure`), and the personal-data scan before release."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest

from qe_workbook.documents.release_scan import mask, personal_data
from qe_workbook.documents.reports import FEEDBACK_DIR
from qe_workbook.pipeline import CollectOptions, run_collect
from qe_workbook.record.reports_again import report_run
from qe_workbook.rubric import Disclose, PublicShows
from qe_workbook.rubric.load import read_rubric_json
from qe_workbook.rubric.workbook.files import export_rubric
from qe_workbook.rubric.workbook.read import read_workbook

from .conftest import load_ok, small_rubric_data, write_json
from .forms import KEY, TIE, fill_all, generate, with_changes
from .test_adjustments import MINUTES, adjustments_file

# TIE (tests/forms.py): 南区 98 (A, 1st), 东区 and 西区 90.5 (A, tied 2nd); with 甲局's 01-1 for 东区 lowered
# to 30 (6 points less), 东区 has 84.5: B, 3rd, 5.50 short of A.
LOWER_EAST = with_changes(TIE, "甲局", {("东区", "01-1"): (30, "合格率低，建议加强抽检。")})
HIDDEN = {"rank_in_letters": False, "distance_in_letters": False}


def _rubric_path(tmp_path: Path, **extra: Any) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    return write_json(tmp_path / "rubric.json", {**small_rubric_data(), **extra})


def _letter(folder: Path, unit: str) -> str:
    document = docx.Document(str(folder / FEEDBACK_DIR / f"{unit}_2022年度质量工作考核反馈意见.docx"))
    return "\n".join(p.text for p in document.paragraphs).replace("\u00a0", " ")


def _collect(tmp_path: Path, answers: Any = LOWER_EAST, **rubric_extra: Any) -> Any:
    rubric = load_ok(_rubric_path(tmp_path, **rubric_extra))
    fill_all(generate(rubric, tmp_path / "forms"), tmp_path / "returned", answers)
    return rubric, run_collect(tmp_path / "returned", rubric, KEY, CollectOptions(tmp_path / "results"))


def test_by_default_every_letter_shows_rank_and_distance(tmp_path: Path) -> None:
    _, run = _collect(tmp_path)
    assert "你单位总分 84.50 分，等级为 B，在 3 个被考核单位中排名第 3 位，距 A 级（90 分）还差 5.50 分。" in _letter(
        run.folder, "东区"
    )


def test_disclosure_off_removes_rank_and_distance_from_every_letter(tmp_path: Path) -> None:
    rubric, run = _collect(tmp_path, disclosure=HIDDEN)
    assert rubric.disclosure.rank_in_letters is False and rubric.disclosure.distance_in_letters is False
    east = _letter(run.folder, "东区")
    assert "你单位总分 84.50 分，等级为 B。各领域得分如下：" in east
    for unit in ("东区", "西区", "南区"):
        text = _letter(run.folder, unit)
        assert "排名" not in text and "还差" not in text and "最高等级标准" not in text, unit
    # the meeting's adjustments and a re-generated report keep to the same setting
    path = adjustments_file(tmp_path / "adjustments.xlsx", rubric, [("西区", "扣分", "1", MINUTES, None)])
    files, problems = report_run(run.folder, rubric, adjustments=path)
    assert not [p for p in problems if p.severity == "error"]
    again = files[0].parent.parent
    west = _letter(again, "西区")
    assert "调整前你单位总分 90.50 分，等级为A；以上为调整后的结果。" in west
    for unit in ("东区", "西区", "南区"):
        assert "排名" not in _letter(again, unit) and "还差" not in _letter(again, unit)


def test_rank_alone_can_be_hidden(tmp_path: Path) -> None:
    _, run = _collect(tmp_path, disclosure={"rank_in_letters": False})
    assert "你单位总分 84.50 分，等级为 B，距 A 级（90 分）还差 5.50 分。" in _letter(run.folder, "东区")


def _notice(folder: Path) -> str:
    return "\n".join(p.text for p in docx.Document(str(next(folder.glob("*通报*.docx")))).paragraphs)


def _public_rows(folder: Path) -> list[list[str]]:
    return list(csv.reader((folder / "公告名单.csv").read_text(encoding="utf-8-sig").splitlines()))


def test_grades_alone_list_units_in_the_administrative_order_everywhere(tmp_path: Path) -> None:
    # 南区 98 ranks above 西区 90.5 in grade A; the rubric lists 东区, 西区, 南区: 西区 comes first in both
    _, graded = _collect(tmp_path)
    assert _public_rows(graded.folder) == [
        ["被考核单位", "等级"],
        ["西区人民政府", "A"],
        ["南区人民政府", "A"],
        ["东区人民政府", "B"],
    ]
    text = _notice(graded.folder)
    assert "A级（2个）：西区人民政府、南区人民政府；" in text
    assert "B级（1个）：东区人民政府。" in text


def test_the_notice_and_public_list_show_scores_only_when_asked(tmp_path: Path) -> None:
    # with the scores published, units stand by score within a grade in both
    rubric, scored = _collect(tmp_path, disclosure={"public_shows": "scores"})
    assert rubric.disclosure.public_shows is PublicShows.SCORES
    assert _public_rows(scored.folder) == [
        ["被考核单位", "总分", "等级"],
        ["南区人民政府", "98.00", "A"],
        ["西区人民政府", "90.50", "A"],
        ["东区人民政府", "84.50", "B"],
    ]
    sheet = openpyxl.load_workbook(scored.folder / "公告名单.xlsx").active
    assert [c.value for c in sheet[2]] == ["被考核单位", "总分", "等级"]
    assert [c.value for c in sheet[3]] == ["南区人民政府", "98.00", "A"]
    text = _notice(scored.folder)
    assert "A级（2个）：南区人民政府（98.00分）、西区人民政府（90.50分）；" in text
    assert "B级（1个）：东区人民政府（84.50分）。" in text


def test_the_settings_round_trip_through_the_rubric_workbook(tmp_path: Path) -> None:
    extra = {
        "disclosure": {"rank_in_letters": False, "distance_in_letters": True, "public_shows": "scores",
                       "remarks": "all"},
        "follow_up": {"common_min_percent": 60},
    }  # fmt: skip
    src = _rubric_path(tmp_path, **extra)
    assert export_rubric(src, tmp_path / "rubric.xlsx").path
    settings = {r[0]: r[1] for r in openpyxl.load_workbook(tmp_path / "rubric.xlsx")["基本设置"].iter_rows(values_only=True)}  # fmt: skip
    assert settings["反馈意见写排名"] == "否" and settings["通报和公告名单列出"] == "总分和等级"
    assert settings["得分核对单列出的评价说明"] == "全部" and settings["共性问题的失分单位比例（%）"] == 60
    read = read_workbook(tmp_path / "rubric.xlsx")
    assert read.problems == []
    original, _ = read_rubric_json(src)
    assert read.data is not None
    assert read.data["disclosure"] == original["disclosure"] and read.data["follow_up"] == original["follow_up"]
    rubric = load_ok(src)
    assert rubric.disclosure.remarks is Disclose.ALL and rubric.follow_up.common_min_percent == 60


def test_a_bad_setting_is_named_in_the_workbook(tmp_path: Path) -> None:
    assert export_rubric(_rubric_path(tmp_path), tmp_path / "rubric.xlsx").path
    book = openpyxl.load_workbook(tmp_path / "rubric.xlsx")
    ws = book["基本设置"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "通报和公告名单列出")
    ws.cell(row, 2).value = "排名"
    book.save(tmp_path / "edited.xlsx")
    read = read_workbook(tmp_path / "edited.xlsx")
    assert [(p.code, p.sheet, p.cell) for p in read.problems] == [("RUBRIC_XLSX_BAD_VALUE", "基本设置", f"B{row}")]


def test_a_bad_setting_in_rubric_json_is_refused(tmp_path: Path) -> None:
    from qe_workbook.rubric import load_rubric

    load = load_rubric(_rubric_path(tmp_path, disclosure={"rank_in_letter": False}))
    assert load.rubric is None and load.problems[0].cell == "$.disclosure"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("联系人张三，电话13812345678。", [("手机号码", "13812345678")]),
        ("电话 138-1234-5678，邮箱 zhang.san@example.cn", [("手机号码", "138-1234-5678"),
                                                         ("电子邮箱", "zhang.san@example.cn")]),
        ("举报人身份证410102199003071234，", [("身份证号码", "410102199003071234")]),
        ("身份证号 41010219900307123X", [("身份证号码", "41010219900307123X")]),
        ("请致电0395-3121234。", [("固定电话", "0395-3121234")]),
        ("全角：１３８１２３４５６７８", [("手机号码", "13812345678")]),
        ("抽检 2022 年 12345678 批次，合格率 98.5%，2022-12-31 完成，文号漯质强办〔2023〕12号。", []),
        ("产值 123456789012 元", []),
    ],
)  # fmt: skip
def test_personal_data_in_text(text: str, expected: list[tuple[str, str]]) -> None:
    assert personal_data(text) == expected


def test_mask_keeps_enough_to_find_it() -> None:
    assert mask("13812345678") == "138******78"
    assert mask("zhang@example.cn") == "z***@example.cn"


def test_a_planted_phone_number_in_a_remark_is_flagged(tmp_path: Path) -> None:
    planted = with_changes(TIE, "乙局", {("西区", "03-1"): (37.5, "部分制度未落实，联系人李四13912345678。")})
    _, run = _collect(tmp_path, planted)
    found = [p for p in run.problems if p.code == "RELEASE_PERSONAL_DATA"]
    assert len(found) == 1
    (flag,) = found
    assert flag.severity == "warning" and flag.sheet and flag.cell and flag.file and flag.file.endswith(".xlsx")
    assert flag.params["unit"] == "西区" and flag.params["item"] == "03-1" and flag.params["evaluator"] == "乙局"
    assert flag.params["kinds"] == ["手机号码"] and "139******78" in flag.message
    assert "13912345678" not in flag.message
    listed = openpyxl.load_workbook(run.folder / "master.xlsx")["问题清单"]
    assert any("139******78" in str(row) for row in listed.iter_rows(values_only=True))
    _, problems = report_run(run.folder, load_ok(tmp_path / "rubric.json"))
    assert [p.code for p in problems if p.code == "RELEASE_PERSONAL_DATA"] == ["RELEASE_PERSONAL_DATA"]


def test_rubric_show_lists_the_settings(tmp_path: Path) -> None:
    from qe_workbook.rubric.view import disclosure_rows

    rubric = load_ok(
        _rubric_path(tmp_path, disclosure={"public_shows": "scores"}, follow_up={"common_min_percent": 60})
    )
    assert [(r["setting"], r["value"]) for r in disclosure_rows(rubric)] == [
        ("反馈意见写排名", "是"),
        ("反馈意见写距上一等级的分差", "是"),
        ("通报和公告名单列出", "总分和等级"),
        ("得分核对单列出的评价说明", "失分项目"),
        ("共性问题的失分单位比例（%）", "60"),
    ]


def test_cli_rubric_show_and_precheck_follow_the_settings(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from qe_workbook.cli import main

    path = _rubric_path(tmp_path, disclosure={"rank_in_letters": False, "remarks": "none"})
    shown = CliRunner().invoke(main, ["rubric", "show", "--rubric", str(path)])
    assert (
        shown.exit_code == 0
        and "反馈意见写排名：否" in shown.output
        and "得分核对单列出的评价说明：不列" in shown.output
    )
    as_json = json.loads(CliRunner().invoke(main, ["rubric", "show", "--rubric", str(path), "--json"]).output)
    assert as_json["disclosure"][0] == {"setting": "反馈意见写排名", "value": "否"}
    rubric, run = _collect(tmp_path / "run", disclosure={"remarks": "none"})
    assert rubric.disclosure.remarks is Disclose.NONE
    rubric_path = str(tmp_path / "run" / "rubric.json")

    def east_remarks(*options: str) -> list[object]:
        before = set(run.folder.glob("得分核对单/*"))
        args = ["precheck", str(run.folder), "--deadline", "2023-05-20", "--rubric", rubric_path]
        done = CliRunner().invoke(main, [*args, *options])
        assert done.exit_code == 0, done.output
        (folder,) = set(run.folder.glob("得分核对单/*")) - before
        (sheet,) = folder.glob("东区_*.xlsx")
        return [row[6] for row in openpyxl.load_workbook(sheet).active.iter_rows(min_row=5, values_only=True)]

    assert "合格率低，建议加强抽检。" not in east_remarks()  # the rubric says none
    assert "合格率低，建议加强抽检。" in east_remarks("--disclose", "all")
