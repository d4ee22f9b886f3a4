"""What the office's Windows machines bring: a GBK console, Windows file names, no fork (a collect run from
the page's worker thread spawns its processes as it would there).

The reader's spawned child (Windows has no fork) is exercised by tests/test_hostile.py, which runs
every hostile file through both the forked and the spawned child.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from functools import partial
from pathlib import Path

import pytest

from qe_workbook import pipeline
from qe_workbook.forms.fill import fill_form
from qe_workbook.intake.collect import collect
from qe_workbook.intake.isolate import safe_start
from qe_workbook.parallel import alongside
from qe_workbook.pipeline import CollectOptions, RunReport, run_collect
from qe_workbook.rubric import Rubric

from .conftest import load_ok, small_rubric_data, write_json
from .forms import FILLED_ON, KEY, TIE, fill_all, generate, with_changes

OUTSIDE_GBK = "😀𠀀"  # an emoji and a CJK Extension B character: neither exists in GBK (cp936)


def qe(*args: str, encoding: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    return subprocess.run([sys.executable, "-m", "qe_workbook", *args], capture_output=True, timeout=300, env=env)


def test_a_gbk_console_shows_what_it_can_and_never_crashes(tmp_path: Path) -> None:
    rubric_path = write_json(tmp_path / "rubric.json", small_rubric_data())
    generated = generate(load_ok(rubric_path), tmp_path / "forms")
    answers = with_changes(TIE, "甲局", {("东区", "01-1"): (45, f"说明{OUTSIDE_GBK}")})  # over 40: a problem
    fill_all(generated, tmp_path / "returned", {ev: a for ev, a in answers.items() if ev != "甲局"})
    form = next(f for f in generated.forms if f.evaluator.name == "甲局")
    named = tmp_path / "returned" / f"甲局{OUTSIDE_GBK}.xlsx"
    fill_form(form.path, named, answers["甲局"], FILLED_ON)
    (tmp_path / "qe.key").write_text(KEY.hex())
    common = ["--rubric", str(rubric_path), "--key", str(tmp_path / "qe.key"), "--out", str(tmp_path / "out")]

    text = qe("collect", str(tmp_path / "returned"), *common, encoding="gbk")
    assert text.returncode == 1, text.stderr.decode("gbk", "replace")[-2000:]
    shown = text.stdout.decode("gbk")
    assert "甲局??.xlsx" in shown and "总分" in shown

    as_json = qe("collect", str(tmp_path / "returned"), *common, "--json", encoding="gbk")
    assert as_json.returncode == 1, as_json.stderr.decode("gbk", "replace")[-2000:]
    report = json.loads(as_json.stdout.decode("gbk"))
    assert any(p["file"] == named.name for p in report["problems"])  # escaped, so exact

    usage = qe("rubric", "show", "--evaluator", f"{OUTSIDE_GBK}局", encoding="gbk")
    assert usage.returncode == 2 and "没有名为" in usage.stderr.decode("gbk")


def test_windows_file_names_are_read_as_they_are(tmp_path: Path) -> None:
    """Names as Windows users make them: spaces, full-width brackets, 副本, a copy number, a deep folder."""
    rubric = load_ok(write_json(tmp_path / "rubric.json", small_rubric_data()))
    generated = generate(rubric, tmp_path / "forms")
    filled = fill_all(generated, tmp_path / "returned" / "2023年 回收" / "微信 文件", TIE)
    names = {"甲局": "市甲局（更正） - 副本.xlsx", "乙局": "乙局 评价表 (1).XLSX", "质强办": "质强办.xlsx"}
    for ev, path in filled.items():
        path.rename(path.with_name(names[ev]))
    collected = collect(tmp_path / "returned", rubric, KEY)
    assert sorted(s.file.split("/")[-1] for s in collected.accepted()) == sorted(names.values())
    assert not [p for p in collected.problems if p.severity != "info"], collected.problems


def test_a_collect_in_a_thread_spawns_and_never_forks(
    tmp_path: Path, small_rubric: Rubric, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page runs a collect in a worker thread: there the reader's child and the document workers are
    spawned (as on Windows, where there is no fork), never forked — a fork copies only the calling thread."""
    fill_all(generate(small_rubric, tmp_path / "forms"), tmp_path / "returned", TIE)
    monkeypatch.setattr(pipeline, "PARALLEL_FROM_UNITS", 1)  # the documents on worker processes too

    def no_fork() -> int:
        raise AssertionError("forked")

    monkeypatch.setattr(os, "fork", no_fork)
    done: dict[str, object] = {}

    def job() -> None:
        done["start"] = safe_start()
        try:
            done["report"] = run_collect(tmp_path / "returned", small_rubric, KEY, CollectOptions(tmp_path / "out"))
        except BaseException as exc:
            done["failed"] = exc

    thread = threading.Thread(target=job)
    thread.start()
    thread.join()
    assert done["start"] == "spawn" and "failed" not in done, done.get("failed")
    report = done["report"]
    assert isinstance(report, RunReport) and report.clean, report.problems
    letters = [p.name for p in report.outputs.files if p.parent.name == "反馈意见"]
    assert letters == [f"{u.unit}_2022年度质量工作考核反馈意见.docx" for u in report.results.by_rank()]


def test_a_failure_on_a_spawned_worker_is_raised_here() -> None:
    with pytest.raises(ValueError, match="invalid literal for int"):
        alongside([partial(_as_list, "七")], list, workers=1)
    assert alongside([partial(_as_list, "7"), partial(_as_list, "8")], lambda: "here", workers=2) == ("here", [7, 8])


def _as_list(text: str) -> list[int]:
    return [int(text)]
