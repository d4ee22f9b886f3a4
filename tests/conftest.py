"""Shared test helpers: a small inline rubric that reads like the plan, and file builders."""

from __future__ import annotations

import copy
import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from qe_workbook import cli
from qe_workbook.rubric import Rubric, load_rubric

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "docs" / "source" / "luohe-2022-quality-assessment-plan.txt"
UNITS_2022 = ["舞阳县", "临颍县", "源汇区", "郾城区", "召陵区", "开发区", "市城乡一体化示范区", "西城区"]  # 附件6

SMALL_RUBRIC: dict[str, Any] = {
    "schema_version": 1,
    "year": 2022,
    "title": "测试市2022年度政府质量工作考核方案",
    "office": "质强办",
    "period": {"start": "2022-01-01", "end": "2022-12-31"},
    "deadlines": {"materials": "2023-04-10", "form_return": "2023-04-30"},
    "units": [
        {"name": "东区", "full_name": "东区人民政府"},
        {"name": "西区", "full_name": "西区人民政府"},
        {"name": "南区", "full_name": "南区人民政府"},
    ],
    "areas": [
        {"id": "1", "name": "质量整体水平", "max": 60},
        {"id": "2", "name": "质量政策制度", "max": 40},
    ],
    "key_points": [
        {"id": "01", "label": "（一）", "title": "质量发展", "area": "1"},
        {"id": "02", "label": "（二）", "title": "质量安全", "area": "1"},
        {"id": "03", "label": "（三）", "title": "质量工作制度", "area": "2"},
    ],
    "items": [
        {
            "id": "01-1",
            "area": "1",
            "key_point": "01",
            "kind": "score",
            "max": 40,
            "text": "根据产品质量合格率测算得分。（40分）",
            "evaluators": ["甲局"],
            "focus": "合格率。",
        },
        {
            "id": "01-2",
            "area": "1",
            "key_point": "01",
            "kind": "score",
            "max": 20,
            "text": "根据农产品质量安全合格率测算得分。（20分）",
            "evaluators": ["甲局", "乙局"],
        },
        {
            "id": "02-1",
            "area": "1",
            "key_point": "02",
            "kind": "deduction",
            "max": 2,
            "per_event": 1.5,
            "text": "发生重大质量事件。（每项扣1.5分，最高扣2分）",
            "evaluators": ["甲局"],
        },
        {
            "id": "02-2",
            "area": "1",
            "key_point": "02",
            "kind": "veto",
            "max": 0,
            "text": "发生区域性、系统性产品质量安全事件的，考核结果一律为D级",
            "evaluators": ["质强办"],
        },
        {
            "id": "03-1",
            "area": "2",
            "key_point": "03",
            "kind": "score",
            "max": 40,
            "text": "完善质量工作制度。（40分）",
            "evaluators": ["乙局"],
        },
        {
            "id": "03-2",
            "area": "2",
            "key_point": "03",
            "kind": "bonus",
            "max": 1,
            "text": "受到督查激励。（加1分）",
            "evaluators": ["乙局"],
        },
    ],
    "evaluators": [
        {"name": "甲局", "phone": "0395-1111111", "email": "jia@example.cn"},
        {"name": "乙局", "phone": "0395-2222222", "email": "yi@example.cn", "aliases": ["乙管理局"]},
        {"name": "质强办", "phone": "0395-3333333", "email": "office@example.cn"},
    ],
    "grading": {
        "thresholds": [{"grade": "A", "min": 90}, {"grade": "B", "min": 80}, {"grade": "C", "min": 60}],
        "lowest_grade": "D",
        "veto": {"grade": "D", "ranks_last": True},
        "joint": "mean",
        "decimals": 2,
        "rounding": "half_up",
    },
}


def small_rubric_data() -> dict[str, Any]:
    return copy.deepcopy(SMALL_RUBRIC)


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def load_ok(path: Path) -> Rubric:
    load = load_rubric(path)
    assert load.rubric is not None, load.problems
    return load.rubric


def run_qe(args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """`qe ARGS` run as the installed command runs it (cli.run, argv, exit code); its exit code and output."""
    monkeypatch.setattr(sys, "argv", ["qe", *args])
    code = 0
    try:
        cli.run()
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.fixture(autouse=True)
def ctrl_c_kept() -> Iterator[None]:
    """`qe` ignores Ctrl-C once its command has ended (cli.run): pytest, which runs it in-process, keeps its own."""
    handler = signal.getsignal(signal.SIGINT)
    yield
    signal.signal(signal.SIGINT, handler)


@pytest.fixture
def small_rubric_path(tmp_path: Path) -> Path:
    return write_json(tmp_path / "rubric.json", small_rubric_data())


@pytest.fixture
def small_rubric(small_rubric_path: Path) -> Rubric:
    return load_ok(small_rubric_path)


@pytest.fixture
def rubric_2022() -> Rubric:
    return load_ok(ROOT / "rubric.json")


def require_program(name: str) -> str:
    """The path of an external program; in CI (CI=true) its absence fails instead of skipping."""
    found = shutil.which(name)
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail(f"{name} is required in CI but is not installed")
    pytest.skip(f"{name} not installed")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Ask a process to stop; kill it if it has not within 10 seconds."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
