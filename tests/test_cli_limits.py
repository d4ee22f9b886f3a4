"""The command line refuses what it cannot read safely, in one Chinese sentence: a FIFO or a device given as a
file (it would hang, or read /dev/zero until memory runs out), a rubric too large, with a number too long or
nested too deep, a key too large, an output file in a folder that does not exist. Never a traceback, never a hang."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from qe_workbook.rubric import load_rubric

from .conftest import run_qe, small_rubric_data, write_json

Qe = Callable[..., str]


@pytest.fixture
def qe(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Qe:
    """`qe ARGS` run as installed; what it said, after checking its exit code (2 unless told) and that no
    traceback or English was shown."""

    def run(*args: str, code: int = 2) -> str:
        got, text = run_qe(list(args), monkeypatch, capsys)
        assert got == code, (got, text)
        assert "Traceback" not in text and "Error" not in text, text
        return text

    return run


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "管道"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("option", ["--rubric", "--key"])
@pytest.mark.parametrize("kind", ["fifo", "/dev/zero"])
def test_a_fifo_or_a_device_is_refused_as_a_file(qe: Qe, option: str, kind: str, fifo: Path, tmp_path: Path) -> None:
    given = str(fifo) if kind == "fifo" else kind
    text = qe("generate", option, given, "--out", str(tmp_path / "表"))
    assert f"“{given}”不是普通文件或文件夹" in text


@pytest.mark.parametrize("kind", ["fifo", "/dev/zero"])
def test_mail_settings_from_a_fifo_or_a_device_are_refused(qe: Qe, kind: str, fifo: Path) -> None:
    given = str(fifo) if kind == "fifo" else kind
    text = qe("mail", "fetch", "--settings", given)
    assert f"“{given}”不是普通文件或文件夹" in text


def test_a_fifo_as_a_folder_argument_is_refused(qe: Qe, fifo: Path, tmp_path: Path) -> None:
    text = qe("collect", str(fifo), "--out", str(tmp_path / "结果"))
    assert "不是普通文件或文件夹" in text or "是文件，不是文件夹" in text


def rubric_with(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rubric.json"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_rubric_number_of_5000_digits_is_a_problem(qe: Qe, tmp_path: Path) -> None:
    data = small_rubric_data()
    path = write_json(tmp_path / "rubric.json", data)
    text = path.read_text(encoding="utf-8").replace('"year": 2022', '"year": ' + "9" * 5000, 1)
    assert "9" * 5000 in text
    path.write_text(text, encoding="utf-8")
    shown = qe("rubric", "check", str(path), code=1)
    assert "RUBRIC_NUMBER_TOO_LONG" in shown and "5000 位" in shown


def test_a_rubric_nested_100000_deep_is_a_problem(qe: Qe, tmp_path: Path) -> None:
    path = rubric_with(tmp_path, "[" * 100_000 + "]" * 100_000)
    shown = qe("rubric", "check", str(path), code=1)
    assert "RUBRIC_TOO_DEEP" in shown


def test_a_rubric_too_large_is_a_problem(qe: Qe, tmp_path: Path) -> None:
    path = rubric_with(tmp_path, '{"title": "' + "很" * 3_000_000 + '"}')
    shown = qe("rubric", "check", str(path), code=1)
    assert "RUBRIC_TOO_LARGE" in shown


def test_a_key_file_too_large_is_invalid(qe: Qe, tmp_path: Path) -> None:
    key = tmp_path / "qe.key"
    key.write_bytes(b"0" * 10_000_000)
    shown = qe("generate", "--key", str(key), "--out", str(tmp_path / "表"), code=1)
    assert "KEY_INVALID" in shown


def test_an_output_file_in_a_missing_folder_is_one_sentence(qe: Qe, tmp_path: Path) -> None:
    out = tmp_path / "没有这个文件夹" / "会议调整表.xlsx"
    said = qe("adjustments", "template", "--out", str(out))
    assert said.strip().splitlines()[-1].startswith(f"错误：无法使用“{out}”（文件不存在）"), said


def test_brackets_inside_rubric_text_are_not_nesting(tmp_path: Path) -> None:
    data = small_rubric_data()
    data["title"] = "[" * 100 + "{" * 100 + '\\"['
    rubric = load_rubric(write_json(tmp_path / "rubric.json", data))
    assert [p.code for p in rubric.problems if p.code == "RUBRIC_TOO_DEEP"] == []
    assert rubric.rubric is not None and rubric.rubric.title == data["title"]
