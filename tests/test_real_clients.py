"""Forms filled or saved by real programs: LibreOffice (typing through UNO, and re-saving) and Gnumeric.

LibreOffice runs headless with its own profile folder; scripts/lo_fill.py runs under the Python
that has the uno module (Debian's python3-uno), as a separate process. In CI (CI=true) a missing
program fails these tests instead of skipping them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from qe_workbook.forms.generate import GenerateResult
from qe_workbook.intake.collect import CollectResult, collect
from qe_workbook.intake.submission import Status
from qe_workbook.rubric import Rubric
from qe_workbook.scoring.score import score

from .conftest import ROOT, load_ok, require_program, small_rubric_data, stop, write_json
from .forms import KEY, TIE, fill_all, generate, with_changes

LO_FILL = ROOT / "scripts" / "lo_fill.py"
TIMEOUT = 60
# 甲局's form as a person types it: 实际得分 E5:E13, 评价说明 F, 填报日期 E2
TYPED = {
    "E5": "36.5", "F5": "合格率略低于全市平均😀", "E6": "18.25", "F6": "抽检覆盖不足𠀀", "E7": "0",
    "E8": "38", "F8": "个别产品抽检不合格", "E9": "17", "F9": "抽检批次偏少", "E10": "1", "F10": "发生一起事件",
    "E11": "40", "E12": "20", "E13": "3", "F13": "发生三起事件", "E2": "2023-04-20",
}  # fmt: skip
# the same answers with two decimals, an emoji and a CJK Extension B character in remarks
ROUND_TRIP = with_changes(
    TIE, "乙局", {("东区", "03-1"): (34.75, "制度建设滞后😀𠀀"), ("西区", "01-2"): (16.05, "覆盖面不足")}
)


def run_bounded(args: list[str]) -> None:
    """Run a program; past the time limit it is asked to stop (lo_fill.py then stops its soffice),
    and then killed."""
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _, err = process.communicate(timeout=TIMEOUT)
    finally:
        if process.poll() is None:
            stop(process)
    assert process.returncode == 0, err.decode(errors="replace")[-2000:]


def uno_python() -> str:
    """The first python3 on PATH that can import uno."""
    for folder in os.get_exec_path():
        candidate = shutil.which("python3", path=folder)
        if candidate and subprocess.run([candidate, "-c", "import uno"], capture_output=True).returncode == 0:
            return candidate
    if os.environ.get("CI") == "true":
        pytest.fail("a python3 with the uno module (python3-uno) is required in CI")
    pytest.skip("no python3 with the uno module (python3-uno)")


@dataclass(frozen=True)
class Setting:
    rubric: Rubric
    generated: GenerateResult
    profile: Path  # one LibreOffice profile for the module: later starts are faster


@pytest.fixture(scope="module")
def setting(tmp_path_factory: pytest.TempPathFactory) -> Setting:
    folder = tmp_path_factory.mktemp("real-clients")
    rubric = load_ok(write_json(folder / "rubric.json", small_rubric_data()))
    return Setting(rubric, generate(rubric, folder / "forms"), folder / "lo-profile")


def lo_fill(setting: Setting, dst: Path, cells: dict[str, str]) -> Path:
    soffice = require_program("soffice")
    form = next(f.path for f in setting.generated.forms if f.evaluator.name == "甲局")
    args = [uno_python(), str(LO_FILL), str(form), str(dst), *(f"{k}={v}" for k, v in cells.items())]
    run_bounded([*args, "--profile", str(setting.profile), "--soffice", soffice])
    return dst


def test_typed_in_libreoffice_is_accepted_with_the_typed_scores(tmp_path: Path, setting: Setting) -> None:
    path = lo_fill(setting, tmp_path / "甲局.xlsx", TYPED)
    collected = collect([path], setting.rubric, KEY)
    (sub,) = collected.submissions
    assert sub.status == Status.ACCEPTED and sub.problems == []
    assert [e.value for e in sub.entries] == [Decimal(TYPED[e.cell]) for e in sub.entries]
    assert {e.remark_cell: e.remark for e in sub.entries if e.remark} == {
        k: v for k, v in TYPED.items() if k.startswith("F")
    }
    assert sub.fill_date == date(2023, 4, 20)


def test_a_locked_text_typed_over_in_libreoffice_is_rejected(tmp_path: Path, setting: Setting) -> None:
    """UNO writes into locked cells (protection binds only the user interface): the signature catches it."""
    path = lo_fill(setting, tmp_path / "甲局.xlsx", {**TYPED, "C5": "1. 根据产品质量合格率测算得分。（20分）"})
    (sub,) = collect([path], setting.rubric, KEY).submissions
    assert sub.status == Status.REJECTED
    assert [(p.code, p.cell) for p in sub.problems] == [("FORM_LOCKED_CHANGED", "C5")]
    assert "（20分）" in sub.problems[0].message


def _libreoffice(src: list[Path], out: Path, profile: Path) -> None:
    soffice = require_program("soffice")
    run_bounded([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
                 "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), *map(str, src)])  # fmt: skip


def _gnumeric(src: list[Path], out: Path, profile: Path) -> None:
    ssconvert = require_program("ssconvert")
    out.mkdir()
    for path in src:
        run_bounded([ssconvert, str(path), str(out / path.name)])


def _values(collected: CollectResult) -> dict[tuple[str, str, str], tuple[int, str]]:
    return {(r.evaluator, r.unit, r.item_id): (r.value_cents, r.remark) for r in collected.frame.itertuples()}


@pytest.mark.parametrize("save", [_libreoffice, _gnumeric], ids=["libreoffice", "gnumeric"])
def test_filled_then_saved_by_another_program_keeps_every_score(
    tmp_path: Path, setting: Setting, save: Callable[[list[Path], Path, Path], None]
) -> None:
    """LibreOffice turns the very hidden manifest sheet into a hidden one; Gnumeric shows it and drops
    the custom properties. Neither matters: the manifest's content and its HMAC are what count."""
    filled = fill_all(setting.generated, tmp_path / "filled", ROUND_TRIP)
    save(list(filled.values()), tmp_path / "saved", setting.profile)
    before = collect(tmp_path / "filled", setting.rubric, KEY)
    after = collect(tmp_path / "saved", setting.rubric, KEY)
    assert [s.status for s in after.submissions] == [Status.ACCEPTED] * 3
    assert after.problems == []
    assert _values(after) == _values(before) and len(_values(after)) == 21
    totals = [(u.unit, u.total) for u in score(after.frame, setting.rubric).units]
    assert totals == [(u.unit, u.total) for u in score(before.frame, setting.rubric).units]
