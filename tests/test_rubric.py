"""The rubric: the shipped 2022 rubric matches the plan; broken variants get pointed messages."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from qe_workbook.cli import main
from qe_workbook.rubric import BUNDLED_RUBRIC, Kind, Rubric, default_rubric_path, load_rubric

from .conftest import ROOT, SEED, UNITS_2022, small_rubric_data, write_json


def test_2022_counts_match_the_plan(rubric_2022: Rubric) -> None:
    scored = rubric_2022.items_of_kind(Kind.SCORE)
    assert len(scored) == 56
    assert sum(i.max for i in scored) == Decimal(100)
    by_area = {a.id: sum((i.max for i in scored if i.area == a.id), Decimal(0)) for a in rubric_2022.areas}
    assert by_area == {"1": 28, "2": 25, "3": 25, "4": 9, "5": 13}
    assert [i.max for i in rubric_2022.items_of_kind(Kind.DEDUCTION)] == [2, 1, 1, 1, 1, 1]
    assert [i.max for i in rubric_2022.items_of_kind(Kind.BONUS)] == [1, 1, 1]
    assert len(rubric_2022.items_of_kind(Kind.VETO)) == 1
    assert len(rubric_2022.key_points) == 16


def test_2022_units_in_the_order_of_attachment_6(rubric_2022: Rubric) -> None:
    assert [u.name for u in rubric_2022.units] == UNITS_2022


def test_2022_texts_are_verbatim_from_the_plan() -> None:
    seed = re.sub(r"<[^>]+>|\s|\*", "", SEED.read_text(encoding="utf-8"))
    data = json.loads((ROOT / "rubric.json").read_text(encoding="utf-8"))
    for item in data["items"]:
        for key in ("text", "focus"):
            assert re.sub(r"\s", "", item[key]) in seed, (item["id"], key)


def test_2022_evaluators_are_attachment_4_plus_the_missing_section(rubric_2022: Rubric) -> None:
    names = [e.name for e in rubric_2022.evaluators]
    assert len(names) == 29 and names[-1] == "财务装备科"
    seed = SEED.read_text(encoding="utf-8")
    for ev in rubric_2022.evaluators[:-1]:
        assert f"{ev.name}\t{ev.phone}\t{ev.email}" in seed
    assert rubric_2022.evaluator("市工业和信息化局") is rubric_2022.evaluator("市工信局")
    assert rubric_2022.evaluator("市卫生健康委") is rubric_2022.evaluator("市卫健委")
    assert [e.name for e in rubric_2022.idle_evaluators()] == ["市无线电管理局"]
    assert {i.id for i in rubric_2022.items if i.is_joint} == {"01-2", "02-3", "05-1", "05-2", "07-1", "08-5", "09-4"}


def test_2022_check_warns_about_missing_contacts_and_idle_evaluator() -> None:
    load = load_rubric(ROOT / "rubric.json")
    assert load.ok
    assert {p.code for p in load.problems} == {"RUBRIC_CONTACT_MISSING", "RUBRIC_EVALUATOR_UNUSED"}


def test_cli_check_prints_the_counts() -> None:
    result = CliRunner().invoke(main, ["rubric", "check", str(ROOT / "rubric.json")])
    assert result.exit_code == 0, result.output
    assert "评分项目 56 项，满分合计 100 分" in result.output
    assert "扣分项 6 项（最高扣分 2、1、1、1、1、1）" in result.output
    assert "加分项 3 项" in result.output and "否决项 1 项" in result.output


def test_cli_show_by_alias() -> None:
    result = CliRunner().invoke(
        main, ["rubric", "show", "--rubric", str(ROOT / "rubric.json"), "--evaluator", "市工业和信息化局", "--json"]
    )
    assert result.exit_code == 0, result.output
    items = json.loads(result.output)["items"]
    assert [i["id"] for i in items] == ["05-3"]


def test_cli_show_lists_how_open_questions_were_settled(tmp_path: Path) -> None:
    data = small_rubric_data()
    data["decisions"] = [{"topic": "否决单位的排名", "text": "排在所有未触发否决项的单位之后。"}]
    path = write_json(tmp_path / "r.json", data)
    shown = CliRunner().invoke(main, ["rubric", "show", "--rubric", str(path)])
    assert shown.exit_code == 0, shown.output
    assert "考核方案未明确事项的处理：\n1. 否决单位的排名：排在所有未触发否决项的单位之后。" in shown.output
    as_json = CliRunner().invoke(main, ["rubric", "show", "--rubric", str(path), "--json"])
    assert json.loads(as_json.output)["decisions"] == data["decisions"]


def test_small_rubric_resolves_aliases(tmp_path: Path) -> None:
    data = small_rubric_data()
    data["items"][4]["evaluators"] = ["乙管理局"]
    load = load_rubric(write_json(tmp_path / "r.json", data))
    assert load.rubric is not None
    assert load.rubric.item("03-1").evaluators == ("乙局",)


Mutation = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for p in parents:
            node = node[int(p)] if p.isdigit() else node[p]
        if last.isdigit():
            node[int(last)] = value
        else:
            node[last] = value

    return mutate


def _delete(path: str) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for p in parents:
            node = node[int(p)] if p.isdigit() else node[p]
        del node[last]

    return mutate


def _both(*mutations: Mutation) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        for m in mutations:
            m(data)

    return mutate


BROKEN: list[tuple[str, Mutation, str, str, str]] = [
    # (name, mutation, code, JSON path in the problem, words the message must contain)
    ("missing year", _delete("year"), "RUBRIC_SCHEMA", "$", "缺少必填字段“year”"),
    ("max as text", _set("items.0.max", "40分"), "RUBRIC_SCHEMA", "$.items[0].max", "应为数字"),
    ("misspelt field", _set("items.0.evaluater", ["甲局"]), "RUBRIC_SCHEMA", "$.items[0]", "“evaluater”"),
    ("unknown kind", _set("items.0.kind", "plus"), "RUBRIC_SCHEMA", "$.items[0].kind", "取值只能是"),
    ("bad date", _set("deadlines.materials", "2023/04/10"), "RUBRIC_SCHEMA", "$.deadlines.materials", "YYYY-MM-DD"),
    (
        "impossible date",
        _set("deadlines.materials", "2023-02-30"),
        "RUBRIC_DATE_INVALID",
        "$.deadlines.materials",
        "不是有效日期",
    ),
    ("area sum off", _set("items.0.max", 39), "RUBRIC_AREA_SUM", "$.areas[0].max", "合计为 59 分"),
    (
        "areas not adding up to the stated total",
        _both(_set("areas.1.max", 41), _set("items.4.max", 41), _set("total", 100)),
        "RUBRIC_TOTAL",
        "$.areas",
        "合计为 101 分",
    ),
    ("duplicate item id", _set("items.1.id", "01-1"), "RUBRIC_DUPLICATE_ID", "$.items[0]", "“01-1”出现了 2 次"),
    ("duplicate unit", _set("units.2.name", "东区"), "RUBRIC_DUPLICATE_ID", "$.units[0]", "县区“东区”"),
    (
        "unknown evaluator",
        _set("items.0.evaluators", ["丙局"]),
        "RUBRIC_UNKNOWN_EVALUATOR",
        "$.items[0].evaluators[0]",
        "“丙局”未在 evaluators 中定义",
    ),
    ("unknown key point", _set("items.0.key_point", "09"), "RUBRIC_UNKNOWN_REF", "$.items[0].key_point", "“09”"),
    (
        "key point in other area",
        _set("items.4.key_point", "01"),
        "RUBRIC_AREA_MISMATCH",
        "$.items[4].area",
        "属于领域“1”",
    ),
    (
        "deduction without per_event",
        _delete("items.2.per_event"),
        "RUBRIC_PER_EVENT_MISSING",
        "$.items[2].per_event",
        "per_event",
    ),
    (
        "per_event on a score item",
        _set("items.0.per_event", 1),
        "RUBRIC_PER_EVENT_UNEXPECTED",
        "$.items[0].per_event",
        "只有扣分项",
    ),
    (
        "three decimals",
        _both(_set("items.0.max", Decimal("39.995")), _set("items.1.max", Decimal("20.005"))),
        "RUBRIC_TOO_PRECISE",
        "$.items[0].max",
        "39.995 的小数超过两位",
    ),
    ("veto with points", _set("items.3.max", 1), "RUBRIC_VETO_POINTS", "$.items[3].max", "否决项不计分"),
    ("negative max", _set("items.5.max", -1), "RUBRIC_SCHEMA", "$.items[5].max", "不小于 0"),
    (
        "thresholds not descending",
        _set("grading.thresholds.1.min", 95),
        "RUBRIC_GRADING",
        "$.grading.thresholds[1].min",
        "从高到低",
    ),
    ("veto grade unknown", _set("grading.veto.grade", "E"), "RUBRIC_VETO_GRADE_UNKNOWN", "$.grading.veto.grade", "“E”"),
    (
        "bad email",
        _set("evaluators.0.email", "jia at example"),
        "RUBRIC_SCHEMA",
        "$.evaluators[0].email",
        "电子邮箱格式不正确",
    ),
    ("name with slash", _set("evaluators.0.name", "甲/局"), "RUBRIC_SCHEMA", "$.evaluators[0].name", "文件名"),
    ("joint rule unknown", _set("grading.joint", "max"), "RUBRIC_SCHEMA", "$.grading.joint", '"mean"'),
]


@pytest.mark.parametrize(("name", "mutate", "code", "path", "words"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_variant_is_pointed_out(
    tmp_path: Path, name: str, mutate: Mutation, code: str, path: str, words: str
) -> None:
    data = small_rubric_data()
    mutate(data)
    file = tmp_path / "rubric.json"
    file.write_text(
        json.dumps(data, ensure_ascii=False, default=str).replace('"39.995"', "39.995").replace('"20.005"', "20.005"),
        encoding="utf-8",
    )
    load = load_rubric(file)
    assert load.rubric is None
    hits = [p for p in load.problems if p.code == code and p.cell == path]
    assert hits, [p.to_dict() for p in load.problems]
    assert words in hits[0].message
    result = CliRunner().invoke(main, ["rubric", "check", str(file)])
    assert result.exit_code == 1
    assert code in result.output and "Traceback" not in result.output


def test_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    file = tmp_path / "rubric.json"
    file.write_text('{\n  "year": 2022,\n  "title": "x",,\n}', encoding="utf-8")
    load = load_rubric(file)
    assert [p.code for p in load.problems] == ["RUBRIC_JSON_SYNTAX"]
    assert "第 3 行" in load.problems[0].message
    assert load.problems[0].params == {"line": 3, "column": 16}


def test_missing_file_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["rubric", "check", str(tmp_path / "nope.json")])
    assert result.exit_code == 1
    assert "RUBRIC_UNREADABLE" in result.output


def test_duplicate_json_key_is_reported(tmp_path: Path) -> None:
    file = tmp_path / "rubric.json"
    text = json.dumps(small_rubric_data(), ensure_ascii=False)
    file.write_text(text.replace('"year": 2022,', '"year": 2022, "year": 2023,'), encoding="utf-8")
    load = load_rubric(file)
    assert [(p.code, p.params) for p in load.problems] == [("RUBRIC_DUPLICATE_KEY", {"key": "year"})]
    assert "“year”出现了两次" in load.problems[0].message


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    data = small_rubric_data()
    data["items"][0]["max"] = "x"
    data["units"][0]["full_name"] = ""
    data["evaluators"][1]["phone"] = "call me"
    load = load_rubric(write_json(tmp_path / "r.json", data))
    assert {p.cell for p in load.problems} >= {"$.items[0].max", "$.units[0].full_name", "$.evaluators[1].phone"}


def test_text_and_max_disagree_is_a_warning(tmp_path: Path) -> None:
    data = small_rubric_data()
    data["items"][0]["text"] = "根据产品质量合格率测算得分。（5分）"
    load = load_rubric(write_json(tmp_path / "r.json", data))
    assert load.ok
    assert [p.code for p in load.problems] == ["RUBRIC_TEXT_MAX"]


def test_rubric_problems_carry_their_facts_as_params(tmp_path: Path) -> None:
    data = small_rubric_data()
    data["items"][0]["max"] = 39
    data["items"][0]["evaluators"] = ["甲局", "甲局"]
    load = load_rubric(write_json(tmp_path / "r.json", data))
    found = {p.code: p for p in load.problems}
    assert found["RUBRIC_AREA_SUM"].params == {"area": data["areas"][0]["name"], "max": "60", "sum": "59"}
    assert found["RUBRIC_AREA_SUM"].message.startswith("$.areas[0].max：领域")
    assert found["RUBRIC_EVALUATOR_REPEATED"].params == {"item": "01-1", "evaluator": "甲局"}


def test_the_bundled_rubric_is_found_outside_the_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no rubric.json here: the one shipped with the package is used
    path = default_rubric_path()
    assert path == BUNDLED_RUBRIC and load_rubric(path).rubric is not None
    # A real file, not a link (a Windows clone turns links into text files), kept equal to rubric.json.
    assert not BUNDLED_RUBRIC.is_symlink()
    assert path.read_bytes() == (ROOT / "rubric.json").read_bytes(), "copy rubric.json over the bundled rubric"


def test_missing_and_unknown_fields_are_each_named_in_chinese(tmp_path: Path) -> None:
    data = small_rubric_data()
    del data["year"], data["office"]
    data["units"][0] |= {"nmae": "东区", "group": "甲"}
    load = load_rubric(write_json(tmp_path / "r.json", data))
    assert [(p.cell, p.params["rule"], p.message.partition("。")[0]) for p in load.problems] == [
        ("$", "required", "$：缺少必填字段“year”"),
        ("$", "required", "$：缺少必填字段“office”"),
        ("$.units[0]", "additionalProperties", "$.units[0]：有未定义的字段“group”、“nmae”（可能是拼写错误）"),
    ]
