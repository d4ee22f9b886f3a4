"""The returns engine on a small inline kind: a signed 签到表 of one unit, its title, unit line, header and
names locked, only 签到 open. Whatever the kind, an edited locked cell is named, identical copies count
once and a newer generation supersedes the older one."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter

from qe_workbook.forms.layout import MANIFEST_SHEET
from qe_workbook.forms.manifest import LockedContent, Manifest, sign
from qe_workbook.forms.register import FULL, FormRecord, Register
from qe_workbook.intake.isolate import Reader
from qe_workbook.intake.returns import (
    Edit,
    FormKind,
    Locked,
    Part,
    Returns,
    Signed,
    check_signed,
    copies,
    newer_generations,
    same_returns,
)

KEY = b"k" * 32
ROLL = FormKind("test-roll/1", Locked(title=(0, 0), owner=(1, 0), header_row=2, header_columns=3, first_row=3,
                                      row_columns=(0, 1)))  # fmt: skip
ISSUED = LockedContent(("签到表", MANIFEST_SHEET), "2022年度考核培训签到表", "单位：东区", ("序号", "姓名", "签到"),
                       (("1", "张三"), ("2", "李四")))  # type: ignore[arg-type]  # fmt: skip


def roll(path: Path, names: tuple[str, ...] = ("张三", "李四"), form_id: str = "roll-1",
         signs: tuple[str, ...] = ("", "")) -> Path:  # fmt: skip
    """东区's roll as issued (signed over ISSUED), with `names` in its locked column and `signs` filled in."""
    manifest = sign(KEY, Manifest("test-roll/1", 2022, "h", "东区", form_id, "2023-03-01T09:00:00"), ISSUED)
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("签到表")
    ws.write_string(0, 0, ISSUED.title)
    ws.write_string(1, 0, ISSUED.department)
    ws.write_row(2, 0, ISSUED.header)
    for n, (name, mark) in enumerate(zip(names, signs, strict=True)):
        ws.write_row(3 + n, 0, [str(n + 1), name, mark])
    ms = wb.add_worksheet(MANIFEST_SHEET)
    for n, (field, value) in enumerate([("key", "value"), *manifest.rows()]):
        ms.write_row(n, 0, [field, value])
    wb.close()
    return path


def signed_check(path: Path, issued: LockedContent | None = ISSUED) -> Signed | None:
    with Returns() as returns:
        raw, problems = returns.open(path.read_bytes(), path.name)
    assert raw is not None, problems
    return check_signed(raw, ROLL, KEY, lambda _manifest: issued)


def test_a_roll_returned_as_issued_verifies_and_gives_its_locked_rows(tmp_path: Path) -> None:
    signed = signed_check(roll(tmp_path / "东区.xlsx", signs=("到", "")))
    assert signed is not None and signed.verified
    assert signed.manifest.evaluator == "东区"
    assert signed.content.rows == (("1", "张三"), ("2", "李四"))  # the open column is not locked


def test_an_edited_name_is_named_by_its_cell(tmp_path: Path) -> None:
    signed = signed_check(roll(tmp_path / "东区.xlsx", names=("张三", "王五")))
    assert signed is not None and not signed.verified
    assert signed.edits == [Edit("B5", "王五", "李四", Part.ROW, row=4, col=1, index=1)]


def test_a_row_added_below_the_table_is_an_edit_of_each_of_its_cells(tmp_path: Path) -> None:
    signed = signed_check(roll(tmp_path / "东区.xlsx", names=("张三", "李四", "赵六"), signs=("", "", "")))
    assert signed is not None and signed.edits is not None
    assert [(e.cell, e.found, e.expected) for e in signed.edits] == [("A6", "3", ""), ("B6", "赵六", "")]


def test_without_the_issued_copy_an_edit_cannot_be_told_from_a_forgery(tmp_path: Path) -> None:
    signed = signed_check(roll(tmp_path / "东区.xlsx", names=("张三", "王五")), issued=None)
    assert signed is not None and not signed.verified and signed.edits is None


def test_every_file_of_a_session_is_read_by_one_child(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    launched = []
    launch = Reader._launch
    monkeypatch.setattr(Reader, "_launch", lambda self: launched.append(1) or launch(self))
    with Returns() as returns:
        for n in range(3):
            raw, _ = returns.open(roll(tmp_path / f"东区{n}.xlsx", form_id=f"roll-{n}").read_bytes(), f"东区{n}.xlsx")
            assert raw is not None
    assert len(launched) == 1


def test_a_workbook_of_another_kind_is_not_checked(tmp_path: Path) -> None:
    other = FormKind("test-other/1", ROLL.locked)
    with Returns() as returns:
        raw, _ = returns.open(roll(tmp_path / "东区.xlsx").read_bytes(), "东区.xlsx")
    assert raw is not None and check_signed(raw, other, KEY) is None


def test_identical_copies_count_once_and_different_ones_conflict() -> None:
    returns = [("东区.xlsx", "到、到"), ("东区 - 副本.xlsx", "到、到"), ("东区-改.xlsx", "到、未到")]
    assert copies(returns, lambda r: r[1]) == [
        [("东区.xlsx", "到、到"), ("东区 - 副本.xlsx", "到、到")],  # one version: the first is kept
        [("东区-改.xlsx", "到、未到")],  # a second version: the owner's returns conflict
    ]


def test_a_kind_declares_what_makes_two_returns_one_return() -> None:
    def manifest(owner: str, form_id: str) -> Manifest:
        return Manifest("test-roll/1", 2022, "h", owner, form_id, "2023-03-01T09:00:00")

    per_form = FormKind("test-roll/1", ROLL.locked, distinct=lambda m: m.form_id)  # each form its own return
    east_1, east_2, west = manifest("东区", "roll-1"), manifest("东区", "roll-2"), manifest("西区", "roll-3")

    def key(kind: FormKind, m: Manifest) -> object:
        return kind.key(kind.owner(m), m)

    assert key(ROLL, east_1) == key(ROLL, east_2) == ROLL.key("东区") != key(ROLL, west)
    assert key(per_form, east_1) != key(per_form, east_2)
    returns = [(east_1, "到、到"), (east_2, "到、到"), (west, "到"), (east_2, "到、未到")]
    by_owner = same_returns(returns, lambda r: key(ROLL, r[0]), lambda r: r[1])
    east = by_owner[ROLL.key("东区")]
    assert east.kept == [returns[0], returns[3]]  # two versions of 东区's one return: a conflict
    assert east.copies == [(returns[1], returns[0])]  # the identical one counts once
    assert east.returns == [returns[0], returns[1], returns[3]]  # as they came
    assert by_owner[ROLL.key("西区")].kept == [returns[2]]
    by_form = same_returns(returns, lambda r: key(per_form, r[0]), lambda r: r[1])
    assert [len(g.kept) for g in by_form.values()] == [1, 2, 1]  # roll-1; roll-2 twice, differently; roll-3


def test_a_newer_generation_supersedes_the_older_only_when_it_came_back_too() -> None:
    register = Register()
    for number in (1, 2):
        register.add(kind=FULL, generated_at=f"2023-03-0{number}T09:00:00", seed=str(number), year=2022,
                     rubric_hash="h", folder=f"第{number}次", forms=[FormRecord("东区", f"roll-{number}", f"东区{number}.xlsx")])  # fmt: skip
    old, new = ("东区.xlsx", "roll-1"), ("东区-新.xlsx", "roll-2")
    ((returned, newer),) = newer_generations([old, new], lambda r: r[1], register)
    assert returned == old and (newer.old.number, newer.new.number, newer.form.file) == (1, 2, "东区2.xlsx")
    assert newer.returned  # the newer form came back: it supersedes the old one
    ((_, newer),) = newer_generations([old], lambda r: r[1], register)
    assert not newer.returned  # the newer one is not in: the old one stands (the office is told)
    assert newer_generations([new], lambda r: r[1], register) == []
    assert newer_generations([old, new], lambda r: r[1], None) == []  # no register, no generations
