"""The other-city sample (samples/other-city): a made-up 2023 plan using most scoring rules, its workbook, its
filled forms, and the totals its README works out by hand."""

from __future__ import annotations

import csv
import json
import subprocess
from datetime import datetime
from fractions import Fraction
from pathlib import Path

import pytest

from qe_workbook.forms.generate import generate_forms
from qe_workbook.forms.layout import FORM_SHEET
from qe_workbook.forms.simulate import simulate
from qe_workbook.intake.collect import CollectResult, collect
from qe_workbook.keys import read_key
from qe_workbook.rubric import Rubric
from qe_workbook.rubric.workbook.read import read_workbook
from qe_workbook.scoring.score import score

from .conftest import ROOT, load_ok, run_qe
from .test_print import LO_MEASURE, form_pages, to_pdf
from .test_real_clients import uno_python

SAMPLE = ROOT / "samples" / "other-city"
# The README's table, by hand: unit → (平时考核, 年终考核, 加分, 扣分, 总分, 等级, 名次)
BY_HAND = {
    "东陵县": ("63.23", "27.38", "2", "0", "92.61", "良好", 1),
    "西岭县": ("53.08", "24", "0", "3", "74.08", "合格", 4),
    "城关区": ("52.03", "29.25", "0.5", "0", "81.78", "良好", 2),
    "新华区": ("60.55", "22.13", "2", "7", "77.68", "合格", 3),
}
AREAS_BY_HAND = {  # 质量发展, 质量安全, 年度目标
    "东陵县": ("26.2", "28", "36.5"),
    "西岭县": ("24", "21.5", "32"),
    "城关区": ("21.6", "23", "39"),
    "新华区": ("27.4", "24.5", "29.5"),
}


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return load_ok(SAMPLE / "rubric.json")


@pytest.fixture(scope="module")
def collected(rubric: Rubric) -> CollectResult:
    key, _ = read_key(ROOT / "samples" / "qe-sample.key")
    assert key is not None
    return collect(SAMPLE / "returned", rubric, key)


def test_the_workbook_holds_the_same_rubric() -> None:
    read = read_workbook(SAMPLE / "考核细则.xlsx")
    assert read.problems == [] and read.data == json.loads((SAMPLE / "rubric.json").read_text(encoding="utf-8"))


def test_the_plan_uses_the_scoring_language(rubric: Rubric) -> None:
    rules = {i.rule.type for i in rubric.items}
    assert rules == {"linear", "table", "tiers", "rank", "checklist", "base", "points", "per_event", "ranged", "veto"}
    assert {i.combine.kind.value for i in rubric.items if i.is_joint} == {"weighted", "sum_deductions", "lead"}
    assert [p.name for p in rubric.parts] == ["平时考核", "年终考核"] and [c.id for c in rubric.unit_classes] == [
        "county",
        "district",
    ]


def test_the_forms_come_back_clean(collected: CollectResult) -> None:
    assert collected.problems == []
    assert len(collected.submissions) == 6


def test_the_totals_are_the_readmes_by_hand(rubric: Rubric, collected: CollectResult) -> None:
    results = score(collected.frame, rubric)
    got = {
        u.unit: (u.parts["p1"], u.parts["p2"], u.bonus, u.deduction, u.total, u.grade, u.rank) for u in results.units
    }
    assert got == {
        unit: (*(Fraction(v) for v in numbers[:5]), numbers[5], numbers[6]) for unit, numbers in BY_HAND.items()
    }
    areas = {u.unit: tuple(u.areas[a] for a in ("1", "2", "3")) for u in results.units}
    assert areas == {unit: tuple(Fraction(v) for v in numbers) for unit, numbers in AREAS_BY_HAND.items()}


def test_the_readme_states_the_same_totals() -> None:
    text = (SAMPLE / "README.md").read_text(encoding="utf-8")
    for unit, (p1, p2, bonus, deduction, total, grade, rank) in BY_HAND.items():
        row = f"| {unit} | {_two(p1)} | {_two(p2)} | {_two(bonus)} | {_two(deduction)} | {_two(total)} | {grade} | {rank} |"
        assert row in text, row
        assert f"**{_two(total).rstrip('0').rstrip('.')} 分**" in text or f"**{total} 分**" in text


def _two(value: str) -> str:
    return f"{Fraction(value).numerator / Fraction(value).denominator:.2f}"


def test_a_county_form_has_no_district_row(collected: CollectResult) -> None:
    rows = collected.frame[collected.frame["item_id"].isin(["2-3", "2-4"])]
    assert sorted(zip(rows["unit"], rows["item_id"], strict=True)) == [
        ("东陵县", "2-3"), ("城关区", "2-4"), ("新华区", "2-4"), ("西岭县", "2-3"),
    ]  # fmt: skip


def test_the_sample_script_is_where_the_readme_says(rubric: Rubric) -> None:
    assert (ROOT / "scripts" / "make_other_city.py").is_file()
    assert Path(SAMPLE / "returned").is_dir() and rubric.year == 2023


def test_qe_collect_writes_the_same_totals_and_the_detail_shows_each_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["collect", str(SAMPLE / "returned"), "--rubric", str(SAMPLE / "rubric.json"), "--key",
            str(ROOT / "samples" / "qe-sample.key"), "--out", str(tmp_path), "--no-report"]  # fmt: skip
    code, _ = run_qe(args, monkeypatch, capsys)
    assert code == 0
    (run,) = tmp_path.iterdir()
    results = json.loads((run / "results.json").read_text(encoding="utf-8"))
    assert {u["unit"]: (u["total"], u["grade"], u["rank"]) for u in results["units"]} == {
        unit: (float(numbers[4]), numbers[5], numbers[6]) for unit, numbers in BY_HAND.items()
    }
    detail = list(csv.DictReader((run / "detail.csv").read_text(encoding="utf-8-sig").splitlines()))
    applied = {(r["被考核单位"], r["项目编号"], r["评价部门"], r["填写项"]): r["换算"] for r in detail}
    assert applied[("西岭县", "1-1", "市市场监管局", "0")].startswith("抽查合格率 96.50% → 4.00 分（按抽查合格率测算")
    assert applied[("西岭县", "1-4", "市市场监管局", "0")].startswith(
        "新增注册商标数 410件 → 10.00 分（按新增注册商标数"
    )
    assert applied[("城关区", "1-2", "市工信局", "0")].startswith("标准化覆盖率 59.9% → 0.00 分")
    assert applied[("新华区", "4-1", "市市场监管局", "0")].startswith("7次 → 7.00 分（每次扣1分，不设上限）")
    assert applied[("城关区", "2-1", "市市场监管局", "3")].startswith(
        "建立风险会商机制：否，本部门各方面合计 → 5.00 分"
    )


def test_simulated_returns_of_the_plan_follow_its_rules(rubric: Rubric, tmp_path: Path) -> None:
    """`qe simulate` fills a plan with rules as its evaluators would: tiers chosen, figures in range, every aspect
    answered, base scores not below the base — nothing the checks refuse."""
    key = bytes(range(32))
    generate_forms(rubric, tmp_path / "forms", key, generated_at=datetime(2024, 1, 8, 9, 0))
    simulate(rubric, tmp_path / "forms", tmp_path / "returned", seed=7)
    result = collect(tmp_path / "returned", rubric, key)
    # per unit: 市市场监管局 11 rows (2-1's four aspects, 2-3 or 2-4), 市工信局 1, 市农业农村局 2, 市畜牧局 1,
    # 市住建局 1, 市质量办 4
    assert result.problems == [] and len(result.frame) == 4 * (11 + 1 + 2 + 1 + 1 + 4)
    assert set(result.frame.loc[result.frame["item_id"] == "1-3", "raw"]) <= {"好", "较好", "一般"}


def test_the_printed_form_shows_what_each_rule_asks_and_every_row_fits(tmp_path: Path) -> None:
    """市市场监管局's filled form printed by LibreOffice: each unit's rows start on the page with the headings,
    the lines under the items say what to type, each aspect is a row; no row is shorter than its text."""
    form = next((SAMPLE / "returned").glob("*市市场监管局.xlsx"))
    profile = tmp_path / "lo"
    (pdf,) = to_pdf([form], tmp_path, profile)
    printed = [" ".join(page.split()) for page in form_pages(pdf)]
    starts = [next(n for n, page in enumerate(printed) if unit in page) for unit in BY_HAND]
    assert starts[0] == 0 and starts == sorted(set(starts))  # the first unit on page 1, each on its own pages
    first = " ".join(printed[: starts[1]])  # 东陵县's pages
    for text in (
        "98.6",
        "填抽查合格率（%），不填得分",
        "（2）开展专项整治：选“是”或“否”",
        "每次扣1分，不设上限",
    ):
        assert text in first, text
    out = subprocess.run(
        [uno_python(), str(LO_MEASURE), "--sheet", FORM_SHEET, "--profile", str(profile), str(form)],
        capture_output=True, check=True, text=True, timeout=120,
    )  # fmt: skip
    short = [(row, height, optimal) for row, height, optimal in json.loads(out.stdout)[str(form)] if height < optimal]
    assert short == []


def test_the_letters_say_the_bonus_cap_and_each_joint_items_own_combination(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import docx

    args = ["collect", str(SAMPLE / "returned"), "--rubric", str(SAMPLE / "rubric.json"), "--key",
            str(ROOT / "samples" / "qe-sample.key"), "--out", str(tmp_path)]  # fmt: skip
    code, _ = run_qe(args, monkeypatch, capsys)
    assert code == 0
    (run,) = tmp_path.iterdir()

    def text(unit: str) -> str:
        (letter,) = (run / "反馈意见").glob(f"{unit}_*.docx")
        return "\n".join(p.text for p in docx.Document(str(letter)).paragraphs)

    # 东陵县 earned 1.00 + 1.50 in bonus items; the plan caps the bonus at 2 (README: 加分 2)
    assert "，合计 2.50 分，按加分上限计 2.00 分。" in text("东陵县")
    joint = next(line for line in text("东陵县").splitlines() if line.startswith("由两个部门共同评价的项目"))
    assert "平均值" not in joint  # this plan names each joint item's own rule
    assert "按各部门权重加权" in joint or "各部门分别扣分" in joint or "牵头部门" in joint, joint
