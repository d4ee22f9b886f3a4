"""Forms and intake for the scoring rules: what each rule's row asks for, and what comes back.

The rubric is the tests' small one (tests/conftest.py) with a rule on every item:
    01-1 score 40 (甲局)          linear: 合格率（%）0–100, 2 decimals; full marks at ≥ 98, −5 per point short
    01-2 score 20 (甲局 + 乙局)   tiers 好 = 20, 较好 = 15, 一般 = 10
    02-1 deduction, cap 2 (甲局)  ranged: 0.5–1 per occurrence; the evaluator types the points deducted
    02-2 veto (质强办)            plain 是/否
    03-1 score 30 (乙局)          checklist of three aspects, −10 per aspect missing
    03-3 score 10 (乙局)          base 7: the score typed between 7 and 10
    03-2 bonus 1 (乙局)           per_event: 0.5 per bonus item, at most 1
"""

from __future__ import annotations

import csv
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from qe_workbook.forms.fill import Answer
from qe_workbook.forms.generate import GenerateResult
from qe_workbook.forms.layout import FORM_SHEET
from qe_workbook.forms.paper import block_breaks, page_height
from qe_workbook.intake.collect import CollectResult, collect
from qe_workbook.intake.submission import Status
from qe_workbook.pipeline import CollectOptions, run_collect
from qe_workbook.record.correction import issue_correction
from qe_workbook.rubric import Rubric
from qe_workbook.scoring.score import score

from .conftest import load_ok, require_program, small_rubric_data, write_json
from .forms import KEY, fill_all, generate
from .test_real_clients import LO_FILL, run_bounded, uno_python

ASPECTS = ["建立工作制度", "落实工作责任", "开展督查考核"]


def rules_rubric_data() -> dict[str, Any]:
    data = small_rubric_data()
    items = {i["id"]: i for i in data["items"]}
    items["01-1"]["rule"] = {
        "type": "linear", "figure": {"name": "合格率", "unit": "%", "min": 0, "max": 100, "decimals": 2},
        "full_at": 98, "per": 1, "minus": 5,
    }  # fmt: skip
    items["01-2"]["rule"] = {
        "type": "tiers",
        "tiers": [{"label": "好", "points": 20}, {"label": "较好", "points": 15}, {"label": "一般", "points": 10}],
    }
    items["02-1"].update(
        text="发生重大质量事件。（每次扣0.5～1分，最高扣2分）", rule={"type": "ranged", "min": 0.5, "max": 1}
    )
    items["03-1"].update(
        max=30, text="完善质量工作制度。（30分）", rule={"type": "checklist", "aspects": ASPECTS, "minus": 10}
    )
    items["03-2"]["rule"] = {"type": "per_event", "per_event": 0.5}
    data["items"].insert(5, {
        "id": "03-3", "area": "2", "key_point": "03", "kind": "score", "max": 10, "text": "开展质量提升行动。（10分）",
        "evaluators": ["乙局"], "rule": {"type": "base", "base": 7},
    })  # fmt: skip
    return data


# Every rule filled validly. The points, by hand (A ≥ 90, B ≥ 80, C ≥ 60, else D; joint 01-2: the mean):
#   东区 01-1 97.5 % is 0.5 short of 98, a whole step: 40 − 5 = 35; 01-2 较好 15 and 好 20 → 17.5; 02-1 −0.75;
#        03-1 one aspect 否: 30 − 10 = 20; 03-3 8.5; 03-2 2 items × 0.5 = +1
#        → 35 + 17.5 + 20 + 8.5 + 1 − 0.75 = 81.25, B
#   西区 01-1 90 % is 8 steps short: 40 − 40 = 0; 01-2 一般 and 一般 → 10; 02-1 0; 03-1 all 是 → 30; 03-3 7; 03-2 0
#        → 0 + 10 + 30 + 7 = 47, D
#   南区 01-1 98 % → 40; 01-2 好 and 好 → 20; 02-1 −2 (two occurrences of 1); 03-1 all 否: 30 − 30 = 0; 03-3 10;
#        03-2 2 items × 0.5 = +1 → 40 + 20 + 0 + 10 + 1 − 2 = 69, C
VALID: dict[str, dict[tuple[str, str], Answer | list[Answer]]] = {
    "甲局": {
        ("东区", "01-1"): (97.5, ""), ("东区", "01-2"): ("较好", "覆盖面不足。"), ("东区", "02-1"): (0.75, "发生一起。"),
        ("西区", "01-1"): (90, ""), ("西区", "01-2"): ("一般", "抽检偏少。"), ("西区", "02-1"): (0, ""),
        ("南区", "01-1"): (98, ""), ("南区", "01-2"): ("好", ""), ("南区", "02-1"): (2, "发生两起，各扣1分。"),
    },
    "乙局": {
        ("东区", "01-2"): ("好", ""), ("东区", "03-1"): [("是", ""), ("否", "责任未落实。"), ("是", "")],
        ("东区", "03-3"): (8.5, "行动覆盖不全。"), ("东区", "03-2"): (2, "两项督查激励。"),
        ("西区", "01-2"): (10, "溯源不足。"), ("西区", "03-1"): [("是", ""), ("是", ""), ("是", "")],
        ("西区", "03-3"): (7, "仅完成基础工作。"), ("西区", "03-2"): (0, ""),
        ("南区", "01-2"): ("好", ""), ("南区", "03-1"): [("否", "未建立。"), ("否", "未落实。"), ("否", "未督查。")],
        ("南区", "03-3"): (10, ""), ("南区", "03-2"): (2, "两项激励。"),
    },
    "质强办": {(u, "02-2"): ("否", "") for u in ("东区", "西区", "南区")},
}  # fmt: skip


@pytest.fixture(scope="module")
def rubric(tmp_path_factory: pytest.TempPathFactory) -> Rubric:
    return load_ok(write_json(tmp_path_factory.mktemp("rules") / "rubric.json", rules_rubric_data()))


@pytest.fixture(scope="module")
def generated(rubric: Rubric, tmp_path_factory: pytest.TempPathFactory) -> GenerateResult:
    return generate(rubric, tmp_path_factory.mktemp("forms"))


def collected(generated: GenerateResult, rubric: Rubric, folder: Path, answers: Any) -> CollectResult:
    fill_all(generated, folder, answers)
    return collect(folder, rubric, KEY)


def values(result: CollectResult) -> dict[tuple[str, str, str, int], tuple[str, int | None]]:
    return {(r.evaluator, r.unit, r.item_id, r.entry): (r.raw, None if r.value_cents is None or str(r.value_cents) ==
            "<NA>" else int(r.value_cents)) for r in result.frame.itertuples()}  # fmt: skip


def test_each_rule_asks_for_its_own_input_with_the_rule_in_words(generated: GenerateResult) -> None:
    ws = openpyxl.load_workbook(next(f.path for f in generated.forms if f.evaluator.name == "乙局"))[FORM_SHEET]
    rows = [(ws.cell(r, 1).value, ws.cell(r, 2).value, ws.cell(r, 3).value) for r in range(5, 11)]
    assert rows == [
        ("01-2", "东区", "1. 根据农产品质量安全合格率测算得分。（20分）\n选择档次：好20分、较好15分、一般10分"),
        ("03-1", "东区", "2. 完善质量工作制度。（30分）\n逐项核查3个方面：每缺1项扣10分，扣完为止\n（1）建立工作制度：选“是”或“否”"),
        ("03-1", "东区", "2. （2）落实工作责任：选“是”或“否”"),
        ("03-1", "东区", "2. （3）开展督查考核：选“是”或“否”"),
        ("03-3", "东区", "3. 开展质量提升行动。（10分）\n填得分：7～10分（基础分7分）"),
        ("03-2", "东区", "4. 受到督查激励。（加1分）\n填项数"),
    ]  # fmt: skip
    checks = {str(dv.sqref): (dv.type, dv.formula1, dv.formula2) for dv in ws.data_validations.dataValidation}
    assert checks["E5"] == ("list", '"好,较好,一般"', None)
    assert checks["E6"] == checks["E7"] == checks["E8"] == ("list", '"是,否"', None)
    assert checks["E9"] == ("decimal", "7", "10")
    assert checks["E10"] == ("whole", "0", None)


def test_a_figure_is_typed_with_its_name_unit_and_range(generated: GenerateResult) -> None:
    ws = openpyxl.load_workbook(next(f.path for f in generated.forms if f.evaluator.name == "甲局"))[FORM_SHEET]
    assert ws["C5"].value == ("1. 根据产品质量合格率测算得分。（40分）\n填合格率（%），不填得分，按细则换算")
    checks = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert checks["E5"].prompt == (
        "按合格率测算：≥98% 得满分，每低1个百分点扣5分，不足1个百分点的按1个百分点计，扣完为止。"
        "填合格率（%），不填得分，按细则换算"
    )  # the rule in words where the cell is typed
    assert (checks["E5"].type, checks["E5"].formula1, checks["E5"].formula2) == ("decimal", "0", "100")
    assert "合格率（%）应为0～100之间的数字（最多2位小数）" in (checks["E5"].error or "")
    assert (checks["E7"].type, checks["E7"].formula1, checks["E7"].formula2) == ("decimal", "0", "2")
    assert "0或0.5～2" in (checks["E7"].error or "")


def test_every_rule_comes_back_as_the_frame_stores_it(
    generated: GenerateResult, rubric: Rubric, tmp_path: Path
) -> None:
    result = collected(generated, rubric, tmp_path, VALID)
    assert result.problems == []
    assert [s.status for s in result.submissions] == [Status.ACCEPTED] * 3
    got = values(result)
    assert len(got) == 9 + 18 + 3
    assert got[("甲局", "东区", "01-1", 0)] == ("97.5", 9750)  # the figure, in hundredths
    assert got[("甲局", "东区", "01-2", 0)] == ("较好", 1500)  # the tier's points; raw keeps the label
    assert got[("乙局", "西区", "01-2", 0)] == ("10", 1000)  # a tier's points typed for its label (一般)
    assert got[("甲局", "东区", "02-1", 0)] == ("0.75", 75)  # the points deducted
    assert got[("甲局", "南区", "02-1", 0)] == ("2", 200)
    assert [got[("乙局", "东区", "03-1", n)] for n in (1, 2, 3)] == [("是", 100), ("否", 0), ("是", 100)]
    assert got[("乙局", "东区", "03-3", 0)] == ("8.5", 850)
    assert got[("乙局", "东区", "03-2", 0)] == ("2", 200)  # the number of bonus items
    assert {k[3] for k in got if k[2] != "03-1"} == {0}
    totals = [(u.unit, u.total, u.grade) for u in score(result.frame, rubric).units]
    assert totals == [("东区", Fraction("81.25"), "B"), ("西区", 47, "D"), ("南区", 69, "C")]


MISTAKES = {
    "甲局": {
        ("西区", "01-1"): (101, ""), ("西区", "01-2"): (0.7, "差"), ("西区", "02-1"): (0.25, "扣分"),
        ("东区", "01-1"): (97.125, ""), ("南区", "02-1"): (1, ""),
    },
    "乙局": {
        ("西区", "03-1"): [("是", ""), ("无", ""), ("否", "")], ("西区", "03-3"): (6.5, "低"),
        ("南区", "03-2"): (1.5, ""),
    },
}  # fmt: skip


def test_a_value_the_rule_does_not_allow_is_refused_with_the_rules_words(
    generated: GenerateResult, rubric: Rubric, tmp_path: Path
) -> None:
    answers = {ev: {**VALID[ev], **MISTAKES.get(ev, {})} for ev in VALID}
    result = collected(generated, rubric, tmp_path, answers)
    found = [(p.code, p.sheet, p.cell, p.message.split("。")[0]) for p in result.problems]
    assert found == [
        ("VALUE_ASPECT_INVALID", "评价表", "E13", "西区第2项（03-1）的“落实工作责任”填的是“无”"),
        ("VALUE_REMARK_MISSING_ASPECT", "评价表", "F14", "西区第2项（03-1）的“开展督查考核”选了“否”，但“评价说明”未填写"),
        ("VALUE_BELOW_BASE", "评价表", "E15", "西区第3项（03-3）填的是 6.5，低于本项基础分 7（细则：基础分7分，评价部门在7～10分之间评分）"),
        ("VALUE_COUNT_INVALID", "评价表", "E22", "南区第4项（03-2）应填写项数，填的是 1.5"),
        ("VALUE_FIGURE_TOO_PRECISE", "评价表", "E5", "东区第1项（01-1）的合格率填的是 97.125%，最多保留 2 位小数"),
        ("VALUE_FIGURE_OUT_OF_RANGE", "评价表", "E8", "西区第1项（01-1）的合格率填的是 101%，应在 0 至 100% 之间"),
        ("VALUE_OFF_TIER", "评价表", "E9", "西区第2项（01-2）填的是“0.7”，不是细则规定的档次；只能选择：好（20分）、较好（15分）、一般（10分）"),
        ("VALUE_RANGED_OUT_OF_RANGE", "评价表", "E10", "西区第3项（02-1）填的扣分 0.25 不在规定范围内（细则：每次扣0.5～1分（由评价部门在范围内确定并说明理由），最高扣2分）"),
        ("VALUE_REMARK_MISSING_RANGED", "评价表", "F13", "南区第3项（02-1）扣 1 分，但“评价说明”未写明理由"),
    ]  # fmt: skip
    assert all(p.file for p in result.problems)
    got = values(result)
    assert got[("甲局", "西区", "01-2", 0)] == ("0.7", None) and got[("乙局", "西区", "03-1", 2)] == ("无", None)


def test_a_base_score_below_the_base_is_refused(tmp_path: Path) -> None:
    """The plan's example: every unit gets at least 77 of the item's 80 points; a county typed 75."""
    data = small_rubric_data()  # area 2 left out: area 1 is the whole 100 points
    data["areas"], data["key_points"] = [{**data["areas"][0], "max": 100}], data["key_points"][:2]
    data["items"] = [i for i in data["items"] if i["area"] == "1"]
    items = {i["id"]: i for i in data["items"]}
    items["01-1"].update(max=80, text="根据产品质量合格率测算得分。（80分）", rule={"type": "base", "base": 77})
    rubric = load_ok(write_json(tmp_path / "rubric.json", data))
    forms = generate(rubric, tmp_path / "forms")
    answers = {"甲局": {("东区", "01-1"): (75, "工作有差距。"), ("西区", "01-1"): (77, "工作有差距。")}}
    result = collected(forms, rubric, tmp_path / "returned", answers)
    (refused,) = [p for p in result.problems if p.code == "VALUE_BELOW_BASE"]
    assert (refused.cell, refused.message.split("。")[0]) == (
        "E5", "东区第1项（01-1）填的是 75，低于本项基础分 77（细则：基础分77分，评价部门在77～80分之间评分）"
    )  # fmt: skip
    assert values(result)[("甲局", "西区", "01-1", 0)] == ("77", 7700)


def test_a_unit_class_gets_only_the_rows_of_its_items(tmp_path: Path) -> None:
    data = small_rubric_data()
    data["unit_classes"] = [{"id": "county", "name": "县（市）"}, {"id": "district", "name": "区"}]
    for unit, cls in zip(data["units"], ["county", "district", "district"], strict=True):
        unit["class"] = cls
    items = {i["id"]: i for i in data["items"]}
    items["01-2"]["classes"] = ["district"]
    rubric = load_ok(write_json(tmp_path / "rubric.json", data))
    forms = generate(rubric, tmp_path / "forms")
    ws = openpyxl.load_workbook(next(f.path for f in forms.forms if f.evaluator.name == "甲局"))[FORM_SHEET]
    rows = [(ws.cell(r, 2).value, ws.cell(r, 1).value, ws.cell(r, 3).value[:2]) for r in range(5, 13)]
    assert rows == [
        ("东区", "01-1", "1."), ("东区", "02-1", "2."),
        ("西区", "01-1", "1."), ("西区", "01-2", "2."), ("西区", "02-1", "3."),
        ("南区", "01-1", "1."), ("南区", "01-2", "2."), ("南区", "02-1", "3."),
    ]  # fmt: skip
    assert ws.cell(13, 1).value is None


def test_an_aspect_typed_over_is_an_edit_of_the_locked_content(
    generated: GenerateResult, rubric: Rubric, tmp_path: Path
) -> None:
    fill_all(generated, tmp_path, VALID)
    path = next(tmp_path.glob("*乙局.xlsx"))
    wb = openpyxl.load_workbook(path)
    wb[FORM_SHEET]["C7"].value = "2. （2）落实部分工作责任：选“是”或“否”"
    wb.save(path)
    sub = next(s for s in collect(tmp_path, rubric, KEY).submissions if s.evaluator == "乙局" or s.claimed == "乙局")
    assert sub.status == Status.REJECTED
    assert [(p.code, p.cell) for p in sub.problems] == [("FORM_LOCKED_CHANGED", "C7")]


def test_a_plan_without_rules_keeps_its_old_rows(small_rubric: Rubric, tmp_path: Path) -> None:
    forms = generate(small_rubric, tmp_path)
    ws = openpyxl.load_workbook(next(f.path for f in forms.forms if f.evaluator.name == "甲局"))[FORM_SHEET]
    assert [ws.cell(r, 3).value for r in range(5, 8)] == [
        "1. 根据产品质量合格率测算得分。（40分）", "2. 根据农产品质量安全合格率测算得分。（20分）",
        "3. 发生重大质量事件。（每项扣1.5分，最高扣2分）",
    ]  # fmt: skip
    assert "按档次" not in ws["A3"].value
    assert date(2023, 4, 30) == small_rubric.return_deadline


def test_tiers_and_aspects_chosen_in_libreoffice_come_back_and_keep_their_drop_downs(
    generated: GenerateResult, rubric: Rubric, tmp_path: Path
) -> None:
    """乙局's form typed in LibreOffice Calc (rows 5–10 东区, 11–16 西区, 17–22 南区) and saved by it."""
    form = next(f.path for f in generated.forms if f.evaluator.name == "乙局")
    typed = {"E2": "2023-04-20"}
    for first, (tier, aspects, base, bonus) in zip(
        (5, 11, 17),
        [("较好", "是否是", "8.5", "2"), ("一般", "是是是", "7", "0"), ("好", "否否否", "10", "1")],
        strict=True,
    ):
        typed |= {f"E{first}": tier, f"E{first + 4}": base, f"E{first + 5}": bonus}
        typed |= {f"E{first + 1 + n}": answer for n, answer in enumerate(aspects)}
        typed |= {f"F{first + n}": "有不足。" for n in range(6)}
    path = tmp_path / form.name
    args = [uno_python(), str(LO_FILL), str(form), str(path), *(f"{k}={v}" for k, v in typed.items())]
    run_bounded([*args, "--profile", str(tmp_path / "lo-profile"), "--soffice", require_program("soffice")])
    result = collect([path], rubric, KEY)
    (sub,) = result.submissions
    assert sub.status == Status.ACCEPTED and sub.problems == []
    got = values(result)
    assert [got[("乙局", "东区", item, n)] for item, n in [("01-2", 0), ("03-1", 1), ("03-1", 2), ("03-3", 0)]] == [
        ("较好", 1500), ("是", 100), ("否", 0), ("8.5", 850)
    ]  # fmt: skip
    assert got[("乙局", "南区", "03-2", 0)] == ("1", 100) and got[("乙局", "南区", "03-1", 3)] == ("否", 0)
    checks = {
        str(dv.sqref): dv.formula1 for dv in openpyxl.load_workbook(path)[FORM_SHEET].data_validations.dataValidation
    }
    lists = {ref: formula for ref, formula in checks.items() if formula and formula.startswith('"')}
    assert sorted(lists.values()) == ['"好,较好,一般"'] * 3 + ['"是,否"'] * 9


def test_the_detail_shows_what_was_typed_and_what_the_rule_gives(
    generated: GenerateResult, rubric: Rubric, tmp_path: Path
) -> None:
    fill_all(generated, tmp_path / "returned", VALID)
    run = run_collect(tmp_path / "returned", rubric, KEY, CollectOptions(tmp_path / "runs", reports=False))
    ws = openpyxl.load_workbook(run.folder / "master.xlsx", read_only=True)["明细"]
    rows = [dict(zip(LABELS_SHOWN, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]
    east = {
        (r["评价部门"], r["项目编号"], r["填写项"]): (r["填写内容"], r["换算"])
        for r in rows
        if r["被考核单位"] == "东区"
    }
    assert east[("甲局", "01-1", 0)] == (
        "97.5", "合格率 97.50% → 35.00 分（按合格率测算：≥98% 得满分，每低1个百分点扣5分，不足1个百分点的按1个百分点计，扣完为止）"
    )  # fmt: skip
    assert east[("甲局", "01-2", 0)] == ("较好", "较好 → 15.00 分（按档次评分：好20分；较好15分；一般10分）")
    assert east[("乙局", "03-1", 2)] == (
        "否", "落实工作责任：否，本部门各方面合计 → 20.00 分（逐项核查3个方面：每缺1项扣10分，扣完为止）"
    )  # fmt: skip
    assert east[("乙局", "03-2", 0)][1] == "2项 → 1.00 分（每项加0.5分，最高加1分）"
    assert east[("甲局", "02-1", 0)][1].startswith("0.75 分 → 0.75 分（每次扣0.5～1分")
    assert east[("质强办", "02-2", 0)] == ("否", "")  # a veto is typed as it counts
    detail = list(csv.DictReader((run.folder / "detail.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert [r["换算"][:20] for r in detail if (r["被考核单位"], r["项目编号"]) == ("西区", "01-1")] == [
        "合格率 90.00% → 0.00 分（"
    ]


LABELS_SHOWN = [
    "年度", "评价部门", "被考核单位", "领域", "考核要点", "项目编号", "填写项", "类别", "满分", "填写内容", "采用值", "换算",
    "有效", "评价说明", "文件", "工作表", "单元格", "说明单元格", "填报日期", "表单编号", "文件指纹",
]  # fmt: skip


def test_a_first_block_taller_than_what_is_left_of_page_one_starts_there() -> None:
    """A department's first unit with many rule rows does not fit under the title and hint: it still starts on
    page 1 (which would otherwise hold the headings alone) and runs onto page 2, where the next unit fits."""
    page = page_height(100)
    assert block_breaks([(4, page * 0.9), (20, page * 0.5)], page * 0.2, 20, 100) == (2, [])
    assert block_breaks([(4, page * 0.5), (20, page * 0.9)], page * 0.2, 20, 100) == (2, [20])


def test_a_correction_form_shows_each_aspect_and_each_rule_value_as_adopted(
    generated: GenerateResult, rubric: Rubric, tmp_path: Path
) -> None:
    fill_all(generated, tmp_path / "returned", VALID)
    run = run_collect(tmp_path / "returned", rubric, KEY, CollectOptions(tmp_path / "runs", reports=False))
    report = issue_correction(rubric, "乙局", ["东区"], tmp_path / "更正表", KEY, run=run.folder)
    assert report.form is not None and report.problems == []
    ws = openpyxl.load_workbook(report.form.path)[FORM_SHEET]
    rows = [(ws.cell(r, 1).value, ws.cell(r, 5).value, ws.cell(r, 7).value) for r in range(5, 11)]
    assert rows == [
        ("01-2", None, "好"), ("03-1", None, "是"), ("03-1", None, "否"), ("03-1", None, "是"), ("03-3", None, "8.5"),
        ("03-2", None, "2项"),
    ]  # fmt: skip


def test_the_guide_says_each_rule_and_how_to_fill_it(generated: GenerateResult) -> None:
    ws = openpyxl.load_workbook(next(f.path for f in generated.forms if f.evaluator.name == "甲局"))["评分指引"]
    how = {
        r[0]: str(r[4]).replace("\n", "") for r in ws.iter_rows(values_only=True) if r[0] in ("01-1", "01-2", "02-1")
    }
    assert how == {
        "01-1": "40分；按合格率测算：≥98% 得满分，每低1个百分点扣5分，不足1个百分点的按1个百分点计，扣完为止；"
        "填合格率（%），不填得分，按细则换算",
        "01-2": "20分；按档次评分：好20分；较好15分；一般10分；在下拉列表中选择；本项与乙局共同评价，各自打分，"
        "取各部门评分的平均值，四舍五入到0.01分",
        "02-1": "每次扣0.5～1分（由评价部门在范围内确定并说明理由），最高扣2分；填扣分：0或0.5～2分，须写明理由",
    }
