"""Re-issued forms: every generation recorded; generate never overwrites; collect retires the old forms."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from qe_workbook.forms.generate import generate_forms
from qe_workbook.forms.register import CORRECTION, FULL, REGISTER_NAME, FormRecord, Register, load_register
from qe_workbook.intake.collect import collect
from qe_workbook.intake.submission import Status
from qe_workbook.rubric import Rubric
from qe_workbook.scoring.score import score

from .conftest import load_ok, run_qe, small_rubric_data, write_json
from .forms import KEY, TIE, WHEN, fill_all, with_changes


def test_generate_records_each_generation_and_never_overwrites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rubric_path = write_json(tmp_path / "rubric.json", small_rubric_data())
    (tmp_path / "qe.key").write_text(KEY.hex())
    base = ["generate", "--rubric", str(rubric_path), "--key", str(tmp_path / "qe.key")]
    code, text = run_qe([*base, "--out", str(tmp_path / "forms"), "--timestamp", "2023-03-06"], monkeypatch, capsys)
    assert code == 0 and "已记入评价表生成登记（第 1 次生成）" in text
    before = {p.name: p.read_bytes() for p in (tmp_path / "forms").iterdir()}

    code, text = run_qe([*base, "--out", str(tmp_path / "forms"), "--seed", "v2"], monkeypatch, capsys)
    assert code == 1
    assert (
        f"{tmp_path / 'forms'} 中已有评价表或发放清单（4 个 .xlsx 文件），未覆盖。重新下发新版时请用 --out 指定一个新的文件夹"
        in text
    )
    assert {p.name: p.read_bytes() for p in (tmp_path / "forms").iterdir()} == before

    code, text = run_qe([*base, "--out", str(tmp_path / "forms-2"), "--seed", "v2"], monkeypatch, capsys)
    assert code == 0 and "第 2 次生成" in text
    data = json.loads((tmp_path / REGISTER_NAME).read_text(encoding="utf-8"))
    first, second = data["generations"]
    assert (first["number"], first["seed"], first["generated_at"]) == (1, "", "2023-03-06T00:00:00")
    assert second["seed"] == "v2" and second["folder"] == str(tmp_path / "forms-2")
    assert [f["evaluator"] for f in second["forms"]] == ["甲局", "乙局", "质强办"]
    assert {f["form_id"] for f in first["forms"]}.isdisjoint(f["form_id"] for f in second["forms"])
    assert first["rubric_hash"] == second["rubric_hash"] == load_ok(rubric_path).content_hash


def two_generations(tmp_path: Path, new_for: set[str]) -> tuple[Rubric, Register, Path]:
    """Forms generated twice (the second time with --seed v2); 甲局 returns the old one (with another
    score), the departments in `new_for` return the new one; all in one returned folder."""
    rubric = load_ok(write_json(tmp_path / "rubric.json", small_rubric_data()))
    register = Register(tmp_path / REGISTER_NAME)
    v1 = generate_forms(rubric, tmp_path / "forms", KEY, generated_at=WHEN, register=register)
    v2 = generate_forms(rubric, tmp_path / "forms-2", KEY, seed="v2", generated_at=datetime(2023, 3, 20, 10, 0),
                        register=register)  # fmt: skip
    fill_all(
        v1, tmp_path / "returned" / "旧", {"甲局": with_changes(TIE, "甲局", {("东区", "01-1"): (20, "旧。")})["甲局"]}
    )
    fill_all(v2, tmp_path / "returned" / "新", {ev: a for ev, a in TIE.items() if ev in new_for})
    return rubric, load_register(tmp_path / REGISTER_NAME)[0], tmp_path / "returned"


OLD = "旧/2022年度质量工作考核评价表_甲局.xlsx"


def test_collect_prefers_the_newer_generation_of_a_department(tmp_path: Path) -> None:
    rubric, register, returned = two_generations(tmp_path, {"甲局", "乙局", "质强办"})
    collected = collect(returned, rubric, KEY, register=register)
    assert {s.file: s.status for s in collected.submissions}[OLD] == Status.SUPERSEDED
    (note,) = [p for p in collected.problems if p.code == "FORM_GENERATION_SUPERSEDED"]
    assert note.message.startswith(
        f"{OLD} 是第 1 次生成（2023-03-06 09:00）的旧版评价表；甲局按第 2 次生成（2023-03-20 10:00）的新版填写的"
    )
    assert not [p for p in collected.problems if p.code.startswith("SUBMISSION_DUPLICATE")]
    totals = {u.unit: u.total for u in score(collected.frame, rubric).units}
    assert totals == {"东区": Decimal("90.5"), "西区": Decimal("90.5"), "南区": Decimal(98)}


def test_an_old_form_alone_is_named_and_kept(tmp_path: Path) -> None:
    rubric, register, returned = two_generations(tmp_path, {"乙局", "质强办"})
    collected = collect(returned, rubric, KEY, register=register)
    assert {s.file: s.status for s in collected.submissions}[OLD] == Status.ACCEPTED
    (warning,) = [p for p in collected.problems if p.code == "FORM_GENERATION_OLD"]
    assert "此后已于 2023-03-20 10:00 重新生成（第 2 次，甲局的新版文件为" in warning.message
    assert "请确认该部门是否应改填新版评价表" in warning.message
    without = collect(returned, rubric, KEY)  # no register: nothing is known about generations
    assert not [p for p in without.problems if p.code.startswith("FORM_GENERATION")]


def test_a_correction_form_supersedes_nothing_whole(tmp_path: Path) -> None:
    register = Register(tmp_path / REGISTER_NAME)
    full = register.add(kind=FULL, generated_at="2023-03-06T09:00:00", seed="", year=2022, rubric_hash="h",
                        folder="forms", forms=[FormRecord("甲局", "a1", "甲局.xlsx"), FormRecord("乙局", "b1", "乙局.xlsx")])  # fmt: skip
    register.add(kind=CORRECTION, generated_at="2023-04-01T09:00:00", seed="", year=2022, rubric_hash="h",
                 folder="更正", forms=[FormRecord("甲局", "a2", "甲局_更正.xlsx", units=("东区",))])  # fmt: skip
    register.save()
    again, problems = load_register(tmp_path / REGISTER_NAME)
    assert problems == [] and again.generations == register.generations
    assert again.superseding("a1") is None
    assert again.generation_of("a2") == (again.generations[1], FormRecord("甲局", "a2", "甲局_更正.xlsx", ("东区",)))
    assert full.form_for("乙局") == FormRecord("乙局", "b1", "乙局.xlsx")


def test_a_damaged_register_stops_generate_and_is_named_by_collect(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rubric_path = write_json(tmp_path / "rubric.json", small_rubric_data())
    (tmp_path / "qe.key").write_text(KEY.hex())
    (tmp_path / REGISTER_NAME).write_text("{不是 JSON", encoding="utf-8")
    code, text = run_qe(["generate", "--rubric", str(rubric_path), "--key", str(tmp_path / "qe.key"),
                     "--out", str(tmp_path / "forms")], monkeypatch, capsys)  # fmt: skip
    assert code == 1 and "无法读取或已损坏" in text and not (tmp_path / "forms").exists()
    assert (tmp_path / REGISTER_NAME).read_text(encoding="utf-8") == "{不是 JSON"
    (tmp_path / "returned").mkdir()
    code, text = run_qe(["collect", str(tmp_path / "returned"), "--rubric", str(rubric_path), "--key",
                     str(tmp_path / "qe.key"), "--out", str(tmp_path / "results")], monkeypatch, capsys)  # fmt: skip
    assert code == 1 and "REGISTER_UNREADABLE" in text
