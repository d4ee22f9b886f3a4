"""The follow-up the plan asks for (方案五(三)): each department's 共性问题 and the office's 先进典型."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest

from qe_workbook.feedback.common import common_problems
from qe_workbook.feedback.fed_back import FedBackList
from qe_workbook.followup.exemplary import AREA, ONLY_FULL, TOTAL, exemplars
from qe_workbook.pipeline import CollectOptions, RunReport, run_collect
from qe_workbook.rubric import Rubric

from .conftest import load_ok, small_rubric_data, write_json
from .forms import KEY, fill_all, generate

# The small rubric (tests/conftest.py): 甲局 scores 01-1 (40) and 01-2 (20, with 乙局) and counts 02-1
# (1.5 per event, at most 2); 乙局 scores 01-2, 03-1 (40) and the bonus 03-2. By each department's own entries:
#   甲局 01-1: 东区 36 (−4), 西区 38 (−2)               2 of 3 units → 共性问题 at 50 %
#   甲局 01-2: 东区 18 (−2)                           1 unit       → not
#   甲局 02-1: 西区 1 event (−1.5), 南区 3 (−2, capped) 2 units      → 共性问题
#   乙局 01-2: 西区 19 (−1), 南区 17 (−3)               2 units      → 共性问题 (东区 lost on it by 甲局 only)
#   乙局 03-1: 西区 39.5 (−0.5), 南区 39 (−1)           2 units      → 共性问题
# Totals: 东区 36 + (18+20)/2 + 40 + 1 = 96; 西区 38 + (20+19)/2 + 39.5 − 1.5 = 95.5; 南区 40 + (20+17)/2 + 39 − 2 = 95.5.
# Areas: 质量整体水平 东区 55, 西区 57.5, 南区 58.5; 质量政策制度 东区 40, 西区 39.5, 南区 39.
# Full marks alone: 01-1 南区 (40), 03-1 东区 (40).
ANSWERS: dict[str, dict[tuple[str, str], Any]] = {
    "甲局": {
        ("东区", "01-1"): (36, "抽检覆盖不足。"),
        ("西区", "01-1"): (38, "合格率偏低。"),
        ("南区", "01-1"): (40, ""),
        ("东区", "01-2"): (18, "农产品抽检偏少。"),
        ("西区", "01-2"): (20, ""),
        ("南区", "01-2"): (20, ""),
        ("东区", "02-1"): (0, ""),
        ("西区", "02-1"): (1, "发生一起重大质量事件。"),
        ("南区", "02-1"): (3, "发生三起重大质量事件。"),
    },
    "乙局": {
        ("东区", "01-2"): (20, ""),
        ("西区", "01-2"): (19, "监测覆盖面不足。"),
        ("南区", "01-2"): (17, ""),
        ("东区", "03-1"): (40, "制度健全，落实有力。"),
        ("西区", "03-1"): (39.5, "个别制度未落实。"),
        ("南区", "03-1"): (39, "制度建设滞后。"),
        ("东区", "03-2"): (1, ""),
        ("西区", "03-2"): (0, ""),
        ("南区", "03-2"): (0, ""),
    },
    "质强办": {("东区", "02-2"): ("否", ""), ("西区", "02-2"): ("否", ""), ("南区", "02-2"): ("否", "")},
}


def _run(tmp_path: Path, percent: float | None = None) -> tuple[Rubric, RunReport]:
    data = small_rubric_data()
    if percent is not None:
        data["follow_up"] = {"common_min_percent": percent}
    rubric = load_ok(write_json(tmp_path / "rubric.json", data))
    fill_all(generate(rubric, tmp_path / "forms"), tmp_path / "returned", ANSWERS)
    return rubric, run_collect(tmp_path / "returned", rubric, KEY, CollectOptions(tmp_path / "results"))


def _listed(
    rubric: Rubric, run: RunReport, told: FedBackList | None = None
) -> dict[str, list[tuple[str, list[tuple[str, str, Fraction, str]]]]]:
    return {
        evaluator: [(p.item.id, [(x.unit, x.entered, x.lost, x.remark) for x in p.losses]) for p in found]
        for evaluator, found in common_problems(rubric, run.results, told).items()
    }


def test_common_problems_are_exactly_the_items_where_half_the_units_lost_points(tmp_path: Path) -> None:
    rubric, run = _run(tmp_path)
    assert [(u.unit, u.total) for u in run.results.units] == [
        ("东区", Fraction(96)), ("西区", Fraction(191, 2)), ("南区", Fraction(191, 2))]  # fmt: skip
    assert _listed(rubric, run) == {
        "甲局": [
            ("01-1", [("东区", "36.00", Fraction(4), "抽检覆盖不足。"), ("西区", "38.00", Fraction(2), "合格率偏低。")]),
            ("02-1", [("西区", "1次", Fraction(3, 2), "发生一起重大质量事件。"),
                      ("南区", "3次", Fraction(2), "发生三起重大质量事件。")]),
        ],
        "乙局": [
            ("01-2", [("西区", "19.00", Fraction(1), "监测覆盖面不足。"), ("南区", "17.00", Fraction(3), "")]),
            ("03-1", [("西区", "39.50", Fraction(1, 2), "个别制度未落实。"), ("南区", "39.00", Fraction(1), "制度建设滞后。")]),
        ],
        "质强办": [],
    }  # fmt: skip


@pytest.mark.parametrize(("percent", "items"), [(66, 4), (67, 0), (100, 0), (10, 5)])
def test_the_threshold_comes_from_the_rubric(tmp_path: Path, percent: int, items: int) -> None:
    """2 of 3 units is 66.7 %: listed at 66, not at 67; at 10 % still never one unit alone (甲局 01-2 needs 2)."""
    rubric, run = _run(tmp_path, percent)
    found = common_problems(rubric, run.results)
    assert sum(len(v) for v in found.values()) == (4 if percent == 10 else items)


def test_one_document_per_department_with_common_problems(tmp_path: Path) -> None:
    _, run = _run(tmp_path)
    folder = run.folder / "共性问题"
    assert sorted(p.name for p in folder.iterdir()) == ["乙局.docx", "甲局.docx"]
    document = docx.Document(str(folder / "甲局.docx"))
    text = "\n".join(p.text for p in document.paragraphs).replace("\u00a0", " ")
    assert "共性问题清单（甲局）" in text and "甲局：" in text
    assert "一、01-1 产品质量合格率" in text and "二、02-1 发生重大质量事件" in text
    assert "共有2个被考核单位失分，合计失分6.00分" in text and "合计失分3.50分" in text
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert rows == [
        ["被考核单位", "所评", "失分", "评价说明"],
        ["东区", "36.00", "4.00", "抽检覆盖不足。"],
        ["西区", "38.00", "2.00", "合格率偏低。"],
    ]  # the total is in the sentence above the table
    assert "农产品抽检偏少" not in text  # 甲局 01-2: one unit only


def test_master_lists_common_problems_and_exemplars(tmp_path: Path) -> None:
    rubric, run = _run(tmp_path)
    book = openpyxl.load_workbook(run.folder / "master.xlsx")
    common = list(book["共性问题"].iter_rows(min_row=4, values_only=True))
    assert [(r[0], r[1], r[4], r[5], r[7]) for r in common] == [
        ("甲局", "01-1", 2, "东区", 4), ("甲局", "01-1", 2, "西区", 2),
        ("甲局", "02-1", 2, "西区", 1.5), ("甲局", "02-1", 2, "南区", 2),
        ("乙局", "01-2", 2, "西区", 1), ("乙局", "01-2", 2, "南区", 3),
        ("乙局", "03-1", 2, "西区", 0.5), ("乙局", "03-1", 2, "南区", 1),
        ("质强办", "", 0, "", None),
    ]  # fmt: skip
    found = [(e.kind, e.subject[:4], e.unit, e.points) for e in exemplars(rubric, run.results)]
    assert found == [
        (TOTAL, "总分", "东区", Fraction(96)),
        (AREA, "质量整体", "南区", Fraction(117, 2)),
        (AREA, "质量政策", "东区", Fraction(40)),
        (ONLY_FULL, "01-1", "南区", Fraction(40)),
        (ONLY_FULL, "03-1", "东区", Fraction(40)),
    ]
    sheet = list(book["先进典型"].iter_rows(min_row=3, values_only=True))
    assert sheet[0] == ("类别", "考核领域或项目", "被考核单位", "得分", "满分", "说明")
    assert sheet[5] == (ONLY_FULL, "03-1 完善质量工作制度。（40分）", "东区", 40, 40, "制度健全，落实有力。")


def test_a_vetoed_unit_is_never_an_exemplar(tmp_path: Path) -> None:
    vetoed = {**ANSWERS, "质强办": {**ANSWERS["质强办"], ("南区", "02-2"): ("是", "发生区域性质量安全事件。")}}
    rubric = load_ok(write_json(tmp_path / "rubric.json", small_rubric_data()))
    fill_all(generate(rubric, tmp_path / "forms"), tmp_path / "returned", vetoed)
    run = run_collect(tmp_path / "returned", rubric, KEY, CollectOptions(tmp_path / "results"))
    found = [(e.kind, e.unit) for e in exemplars(rubric, run.results)]
    assert found == [(TOTAL, "东区"), (AREA, "西区"), (AREA, "东区"), (ONLY_FULL, "东区")]  # 南区's 01-1 is gone


def test_common_problems_follow_the_fed_back_list(tmp_path: Path) -> None:
    """What the office withheld from a unit does not count; what it rewrote is what the department reads."""
    from qe_workbook.documents.release_scan import scan_fed_back
    from qe_workbook.feedback.fed_back import WordingRow, fed_back

    rubric, run = _run(tmp_path)
    rows = {(f.unit, f.item.id): WordingRow(f.unit, f.item.id, f.original, f.original, True, "", n)
            for n, f in enumerate(fed_back(run.results), start=4)}  # fmt: skip
    rows[("西区", "01-1")] = replace(rows[("西区", "01-1")], send=False)  # 甲局 01-1 keeps only 东区: not common
    rows[("南区", "03-1")] = replace(rows[("南区", "03-1")], text="制度建设滞后，联系人邮箱 li@example.cn。")
    told = fed_back(run.results, rows)
    listed = _listed(rubric, run, told)
    assert [item for item, _ in listed["甲局"]] == ["02-1"]
    assert listed["乙局"][1] == ("03-1", [("西区", "39.50", Fraction(1, 2), "个别制度未落实。"),
                                          ("南区", "39.00", Fraction(1), "制度建设滞后，联系人邮箱 li@example.cn。")])  # fmt: skip
    (flag,) = scan_fed_back(told, "反馈修改稿.xlsx")
    assert flag.code == "RELEASE_PERSONAL_DATA_WORDING" and flag.params["unit"] == "南区"
    assert "l***@example.cn" in flag.message
