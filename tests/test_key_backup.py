"""The key outlives the PC: the backup sheet typed back gives the same key; a mistyped group is named."""

from __future__ import annotations

from pathlib import Path

import docx
from click.testing import CliRunner

from qe_workbook.cli import main
from qe_workbook.keys import create_key, key_groups, read_key, restore_key_text

from .conftest import ROOT

RUBRIC = str(ROOT / "rubric.json")


def backup(tmp_path: Path) -> tuple[bytes, str]:
    key = create_key(tmp_path / "qe.key")
    shown = CliRunner().invoke(main, ["key", "backup", "--key", str(tmp_path / "qe.key"), "--rubric", RUBRIC,
                                      "--out", str(tmp_path / "备份单.docx")])  # fmt: skip
    assert shown.exit_code == 0, shown.output
    return key, shown.output


def test_backup_then_restore_from_the_sheet_gives_the_same_key(tmp_path: Path) -> None:
    key, sheet = backup(tmp_path)
    assert "保密柜" in sheet and "备份日期" in sheet
    (tmp_path / "sheet.txt").write_text(sheet, encoding="utf-8")
    restored = CliRunner().invoke(main, ["key", "restore", "--file", str(tmp_path / "sheet.txt"),
                                         "--key", str(tmp_path / "new" / "qe.key")])  # fmt: skip
    assert restored.exit_code == 0, restored.output
    assert read_key(tmp_path / "new" / "qe.key") == (key, [])
    printed = "\n".join(p.text for p in docx.Document(str(tmp_path / "备份单.docx")).paragraphs)
    cells = [c.text for row in docx.Document(str(tmp_path / "备份单.docx")).tables[0].rows for c in row.cells]
    assert "保密柜" in printed
    assert cells == [f"{g.number}. {g.text}" for g in key_groups(key)]


def test_typed_at_the_prompt_a_mistyped_group_is_asked_again(tmp_path: Path) -> None:
    key = create_key(tmp_path / "qe.key")
    groups = [g.text for g in key_groups(key)]
    wrong = groups[6][:3] + ("0" if groups[6][3] != "0" else "1") + groups[6][4:]
    answers = [*groups[:6], wrong, *groups[6:]]
    result = CliRunner().invoke(main, ["key", "restore", "--key", str(tmp_path / "back.key")],
                                input="\n".join(a.lower().replace("-", " ") for a in answers) + "\n")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"第 7 组“{wrong.lower().replace('-', ' ')}”与校验字母不符" in result.output
    assert read_key(tmp_path / "back.key") == (key, [])


def test_a_mistyped_group_in_a_file_is_refused_by_name(tmp_path: Path) -> None:
    key, sheet = backup(tmp_path)
    group = key_groups(key)[4]
    changed = group.digits[:2] + ("A" if group.digits[2] != "A" else "B") + group.digits[3]
    (tmp_path / "typed.txt").write_text(sheet.replace(f" 5. {group.text}", f" 5. {changed}-{group.check}"), "utf-8")
    result = CliRunner().invoke(main, ["key", "restore", "--file", str(tmp_path / "typed.txt"),
                                       "--key", str(tmp_path / "back.key")])  # fmt: skip
    assert result.exit_code == 1
    assert f"第 5 组“{changed}-{group.check}”与校验字母不符" in result.output
    assert not (tmp_path / "back.key").exists()


def test_every_single_wrong_digit_and_every_neighbour_swap_is_caught() -> None:
    key = bytes(range(32))
    groups = key_groups(key)
    for g in groups:
        text = {g.number: g.text for g in groups}
        for pos in range(4):
            for digit in "0123456789ABCDEF":
                if digit != g.digits[pos]:
                    typo = g.digits[:pos] + digit + g.digits[pos + 1 :]
                    assert (
                        restore_key_text(
                            "\n".join(f"{n}. {t}" for n, t in {**text, g.number: f"{typo}-{g.check}"}.items())
                        )[0]
                        is None
                    )
            swapped = g.digits[:pos] + g.digits[pos + 1 : pos + 2] + g.digits[pos] + g.digits[pos + 2 :]
            if pos < 3 and swapped != g.digits:
                assert (
                    restore_key_text(
                        "\n".join(f"{n}. {t}" for n, t in {**text, g.number: f"{swapped}-{g.check}"}.items())
                    )[0]
                    is None
                )
    assert restore_key_text("\n".join(f"{g.number}. {g.text}" for g in groups)) == (key, [])


def test_groups_out_of_order_or_missing_fail_and_an_existing_key_is_kept(tmp_path: Path) -> None:
    key = bytes(range(32))
    groups = key_groups(key)
    lines = [f"{g.number}. {g.text}" for g in groups]
    swapped = [f"1. {groups[1].text}", f"2. {groups[0].text}", *lines[2:]]
    _, problems = restore_key_text("\n".join(swapped))
    assert {p.params["group"] for p in problems} == {1, 2}
    _, problems = restore_key_text("\n".join(lines[:-1]))
    assert [p.code for p in problems] == ["KEY_GROUP_MISSING"] and problems[0].params["group"] == 16
    other = create_key(tmp_path / "qe.key")
    assert other != key
    (tmp_path / "sheet.txt").write_text("\n".join(lines), encoding="utf-8")
    result = CliRunner().invoke(main, ["key", "restore", "--file", str(tmp_path / "sheet.txt"),
                                       "--key", str(tmp_path / "qe.key")])  # fmt: skip
    assert result.exit_code == 1 and "KEY_EXISTS" in result.output
    assert read_key(tmp_path / "qe.key") == (other, [])
