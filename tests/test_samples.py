"""The bundled samples and the demo: the whole cycle works out of the box on the 2022 rubric."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from qe_workbook.cli import main
from qe_workbook.forms.simulate import clean_answers
from qe_workbook.rubric import Kind, Rubric

from .conftest import ROOT, UNITS_2022

SAMPLES = ROOT / "samples"
KEY = str(SAMPLES / "qe-sample.key")
RUBRIC = str(ROOT / "rubric.json")


def _collect(folder: str, out: Path) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = CliRunner().invoke(
        main, ["collect", str(SAMPLES / folder), "--rubric", RUBRIC, "--key", KEY, "--out", str(out), "--json"]
    )
    return result.exit_code, json.loads(result.output[result.output.index("{") :])


def test_the_complete_sample_set_gives_a_complete_ranking(tmp_path: Path) -> None:
    code, report = _collect("returned", tmp_path)
    assert code == 0 and report["clean"]
    assert report["problems"] == []  # with the demo, the README's first command: not one warning on any day
    units = report["results"]["units"]
    assert [u["unit"] for u in units] == UNITS_2022
    assert sorted(u["rank"] for u in units) == list(range(1, 9))
    assert all(u["complete"] for u in units)
    assert {"master.xlsx", "results.json", "results.csv", "problems.csv", "audit.json"} <= set(report["outputs"])


def test_every_planted_problem_is_reported(tmp_path: Path) -> None:
    code, report = _collect("returned-with-problems", tmp_path)
    assert code == 1
    got = {(p["code"], p["file"], p["cell"]) for p in report["problems"]}
    form = "2022年度质量工作考核评价表_{}.xlsx".format
    expected = {
        ("VALUE_ABOVE_MAX", form("市工信局"), "E5"),
        ("VALUE_FULL_MARKS_WORD", form("市公安局"), "E5"),
        ("VALUE_REMARK_MISSING", form("市商务局"), "F5"),
        ("SUBMISSION_SUPERSEDED", form("市教育局"), None),  # 更正版/市教育局（更正）.xlsx is filled later
        ("FORM_OTHER_YEAR", form("市交通运输局"), None),
        ("FORM_LOCKED_CHANGED", form("市农业农村局"), "C5"),
        ("FORM_SIGNATURE_INVALID", form("市畜牧局"), None),
        ("VALUE_DATE_LATE", form("市住建局"), "E2"),
        ("FILE_CORRUPT", form("市水利局"), None),
        ("FILE_IGNORED", "舞阳县自评报告.docx", None),
    }
    assert expected <= got
    above = next(p for p in report["problems"] if p["code"] == "VALUE_ABOVE_MAX")  # the facts, for programs
    assert above["params"] == {"unit": "舞阳县", "number": 1, "item": "05-3", "value": "5", "max": "4"}
    rejected = [p["message"] for p in report["problems"] if p["code"] == "SUBMISSION_REJECTED"]
    assert any("市水利局" in m and "0395-5612027" in m for m in rejected)
    units = report["results"]["units"]
    assert len(units) == 8 and not any(u["complete"] for u in units)


def test_simulated_answers_are_realistic_and_deterministic(rubric_2022: Rubric) -> None:
    answers = clean_answers(rubric_2022, 7)
    assert answers == clean_answers(rubric_2022, 7)
    assert answers != clean_answers(rubric_2022, 8)
    lost = events = bonus = 0
    for evaluator, cells in answers.items():
        for (_unit, item_id), (value, remark) in cells.items():
            item = rubric_2022.item(item_id)
            if item.kind is Kind.SCORE and Decimal(repr(value)) < item.max:
                lost += 1
                assert "但" in remark and "建议" in remark, (evaluator, item_id)
            events += item.kind is Kind.DEDUCTION and value > 0
            bonus += item.kind is Kind.BONUS and value > 0
    assert lost > 50 and 1 <= events <= 2 and bonus == 1


def test_demo_runs_the_whole_cycle(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["demo", "--out", str(tmp_path), "--rubric", RUBRIC])
    assert result.exit_code == 0, result.output
    assert "[提醒]" not in result.output and "[错误]" not in result.output, result.output  # on any day it is run
    assert "采用 28 份；应收评价表 28 份" in result.output
    assert all(u in result.output for u in ("舞阳县", "西城区", "市城乡一体化示范区"))
    (demo,) = tmp_path.iterdir()
    assert len(list((demo / "forms").glob("*.xlsx"))) == 29  # 28 forms + 发放清单
    (run,) = (demo / "results").iterdir()
    assert (run / "master.xlsx").exists() and str(run / "results.json") in result.output


def test_with_problems_plants_what_a_small_rubric_has_room_for(tmp_path: Path, small_rubric_path: Path) -> None:
    """甲局 and 乙局 score items, 质强办 only a veto: two score mistakes and one form mistake fit."""
    key = tmp_path / "qe.key"  # the generation register is kept beside the key: not in samples/
    key.write_bytes(Path(KEY).read_bytes())
    args = ["--rubric", str(small_rubric_path), "--key", str(key)]
    assert CliRunner().invoke(main, ["generate", "--out", str(tmp_path / "forms"), *args]).exit_code == 0
    simulated = CliRunner().invoke(
        main, ["simulate", str(tmp_path / "forms"), "--out", str(tmp_path / "returned"), "--profile", "with-problems",
               *args],
    )  # fmt: skip
    assert simulated.exit_code == 0, simulated.output
    assert "故意设置的错误：甲局：东区 01-1 得分 41 超过满分 40" in simulated.output
    assert "故意设置的错误：乙局：东区 01-2 得分填了“满分”" in simulated.output
    assert "故意设置的错误：质强办：用 2021 年度的旧评价表填写" in simulated.output
    assert (
        "评价部门不够，未设置：失分未填写评价说明、同一部门交来两份不同的评价表、改动锁定的项目文字、"
        "评价表签名被破坏、填报日期晚于截止日期、文件损坏（每种错误放在不同部门的评价表中）。"
    ) in simulated.output
    collected = CliRunner().invoke(main, ["collect", str(tmp_path / "returned"), "--out", str(tmp_path / "runs"),
                                          "--json", *args])  # fmt: skip
    report = json.loads(collected.output[collected.output.index("{") :])
    got = {(p["code"], p["file"]) for p in report["problems"]}
    form = "2022年度质量工作考核评价表_{}.xlsx".format
    assert {
        ("VALUE_ABOVE_MAX", form("甲局")),
        ("VALUE_FULL_MARKS_WORD", form("乙局")),
        ("FORM_OTHER_YEAR", form("质强办")),
        ("FILE_IGNORED", "东区自评报告.docx"),
    } <= got
