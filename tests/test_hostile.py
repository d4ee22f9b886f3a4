"""Hostile and broken returns: each gets its own clear problem, the run goes on, the valid set is ranked."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import Path

import pytest

from qe_workbook.forms.generate import GenerateResult
from qe_workbook.forms.layout import REMARK_MAX_CHARS
from qe_workbook.intake.collect import collect
from qe_workbook.intake.container import Limits
from qe_workbook.intake.isolate import Reader, ReaderFailed
from qe_workbook.intake.read_form import read_cells
from qe_workbook.pipeline import CollectOptions, run_collect
from qe_workbook.rubric import Rubric
from qe_workbook.scoring.score import score

from .badfiles import CONTROL_REMARK_CLEANED, CORPUS, BadFile, Sources, far_away_cell, write_corpus
from .conftest import load_ok, small_rubric_data, write_json
from .forms import KEY, TIE, fill_all, generate

FILLED_EARLIER = date(2023, 4, 18)  # the bad files' sources: older than the valid set (filled 2023-04-20)
AFTER_PREFER_NEWEST = {"SUBMISSION_DUPLICATE": "SUBMISSION_SUPERSEDED"}
CJK = re.compile(r"[\u4e00-\u9fff]")
# The reader's child is forked on Linux and spawned on Windows (no fork there): both paths run here.
START = pytest.mark.parametrize("start", ["fork", "spawn"])
RANKED = [("南区", Decimal(98), 1), ("东区", Decimal("90.5"), 2), ("西区", Decimal("90.5"), 2)]  # tests/forms.py


@dataclass(frozen=True)
class Setting:
    rubric_path: Path
    rubric: Rubric
    generated: GenerateResult
    sources: Sources


@pytest.fixture(scope="module")
def setting(tmp_path_factory: pytest.TempPathFactory) -> Setting:
    folder = tmp_path_factory.mktemp("hostile")
    rubric_path = write_json(folder / "rubric.json", small_rubric_data())
    rubric = load_ok(rubric_path)
    generated = generate(rubric, folder / "forms")
    base = fill_all(generated, folder / "sources", TIE, fill_date=FILLED_EARLIER)
    return Setting(rubric_path, rubric, generated, Sources(base["甲局"].read_bytes(), base["质强办"].read_bytes(), KEY))


@START
def test_one_run_over_every_bad_file_and_a_valid_set(tmp_path: Path, setting: Setting, start: str) -> None:
    """With --prefer newest: the bad files that are still genuine forms (a wrong value, an odd name)
    would otherwise conflict with the valid set's newer forms of the same departments."""
    returned = tmp_path / "returned"
    valid = fill_all(setting.generated, returned, TIE)
    corpus = write_corpus(returned / "bad", setting.sources)
    assert len({b.name for b in corpus}) == len(corpus) >= 30
    collected = collect(returned, setting.rubric, KEY, prefer="newest", limits=Limits(reader_start=start))
    reported = {(p.file, p.code) for p in collected.problems}
    found = reported | {(p.file, p.code) for s in collected.submissions for p in s.problems}  # superseded ones too
    for bad in corpus:
        assert (f"bad/{bad.name}", AFTER_PREFER_NEWEST.get(bad.code, bad.code)) in found, bad.name
    assert {s.file for s in collected.accepted()} == {p.name for p in valid.values()}
    results = score(collected.frame, setting.rubric)
    assert [(u.unit, u.total, u.rank) for u in results.by_rank()] == RANKED
    assert all(u.complete for u in results.units)

    report = run_collect(returned, setting.rubric, KEY, CollectOptions(tmp_path / "results", prefer="newest"))
    totals = json.loads((report.folder / "results.json").read_text(encoding="utf-8"))
    assert [(u["unit"], u["total"], u["rank"]) for u in totals["units"]] == [
        ("东区", 90.5, 2),
        ("西区", 90.5, 2),
        ("南区", 98.0, 1),
    ]
    written = json.loads((report.folder / "problems.json").read_text(encoding="utf-8"))
    assert {(p["file"], p["code"]) for p in written} >= reported


def test_the_command_survives_the_same_folder_in_its_own_process(tmp_path: Path, setting: Setting) -> None:
    returned = tmp_path / "returned"
    fill_all(setting.generated, returned, TIE)
    write_corpus(returned / "bad", setting.sources)
    (tmp_path / "qe.key").write_text(KEY.hex())
    done = subprocess.run(
        [sys.executable, "-m", "qe_workbook", "collect", str(returned), "--rubric", str(setting.rubric_path),
         "--key", str(tmp_path / "qe.key"), "--out", str(tmp_path / "results"), "--prefer", "newest", "--json"],
        capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )  # fmt: skip
    assert done.returncode == 1, done.stderr[-2000:]  # problems found; not a crash (that would be < 0 or 2+)
    assert "Traceback" not in done.stderr
    report = json.loads(done.stdout[done.stdout.index("{") :])
    assert [u["total"] for u in report["results"]["units"]] == [90.5, 90.5, 98.0]


@START
@pytest.mark.parametrize("bad", CORPUS, ids=[b.name for b in CORPUS])
def test_each_bad_file_gets_its_own_code_and_a_chinese_fix(
    tmp_path: Path, setting: Setting, bad: BadFile, start: str
) -> None:
    returned = tmp_path / "returned"
    returned.mkdir()
    (returned / "original.xlsx").write_bytes(setting.sources.form)  # the genuine form it was made from
    bad.write(setting.sources, returned / bad.name)
    collected = collect(returned, setting.rubric, KEY, prefer="none", limits=Limits(reader_start=start))
    hit = next((p for p in collected.problems if p.file == bad.name and p.code == bad.code), None)
    assert hit is not None, [(p.file, p.code) for p in collected.problems]
    assert not any(p.code == "INTERNAL_ERROR" for p in collected.problems)  # a defect, never the file's fault
    detail, _, fix = hit.message.partition("。")
    assert CJK.search(detail) and CJK.search(fix), hit.message
    assert any(word in fix for word in ("请", "无需", "不影响")), hit.message


def test_control_characters_go_while_emoji_and_extension_b_stay(tmp_path: Path, setting: Setting) -> None:
    names = ("remark_control_chars.xlsx", "remark_one_megabyte.xlsx")
    for bad in (b for b in CORPUS if b.name in names):
        bad.write(setting.sources, tmp_path / bad.name)
    collected = collect([tmp_path / n for n in names], setting.rubric, KEY)
    remarks = {s.file: s.entries[0].remark for s in collected.submissions}
    assert remarks == {names[0]: CONTROL_REMARK_CLEANED, names[1]: "很" * REMARK_MAX_CHARS}


def test_an_old_rubric_version_quotes_the_changed_text_in_full(tmp_path: Path, setting: Setting) -> None:
    bad = next(b for b in CORPUS if b.name == "old_rubric_version.xlsx")
    bad.write(setting.sources, tmp_path / bad.name)
    (problem,) = collect([tmp_path / bad.name], setting.rubric, KEY).problems[:1]
    assert (problem.code, problem.cell) == ("FORM_OLD_RUBRIC", "C5")
    assert problem.message.startswith(
        "评价表是按另一版考核细则生成的（生成于 2023-03-06），与现行细则相比有 1 处不同：项目“01-1”具体内容由 "
        "“根据产品质量合格率测算得分。（旧版，40分）” 改为 “根据产品质量合格率测算得分。（40分）”。请让该部门填写按现行考核细则生成的评价表"
    )


@START
def test_a_reader_that_dies_is_a_problem_not_the_end_of_the_run(setting: Setting, start: str) -> None:
    """The second line of defence: calamine on a sheet reaching XFD1048576 aborts its process."""
    data = far_away_cell(setting.sources)
    with Reader(memory_bytes=2**30, seconds=60, start=start) as reader:
        with pytest.raises(ReaderFailed, match="SIGABRT"):
            reader.run(partial(read_cells, data, "评价表", True))
        reader.seconds = 0.2
        with pytest.raises(ReaderFailed, match="秒"):
            reader.run(partial(time.sleep, 10))
        reader.seconds = 10
        with pytest.raises(ReaderFailed, match="无法解析"):
            reader.run(partial(divmod, 1, 0))
        reader.seconds = 60
        grid, manifest = reader.run(partial(read_cells, setting.sources.form, "评价表", True))
    assert grid[4][:2] == ["01-1", "东区"] and manifest[1] == ["format", "qe_workbook-form/1"]
