"""Names from outside never act on the terminal: a file name holding ESC/OSC sequences or a newline is shown
with its control characters as pictures (␛, ␇, ␊), on screen and in master.xlsx alike."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path
from zipfile import ZipFile

import openpyxl
from click.testing import CliRunner

from qe_workbook.cli import main
from qe_workbook.console import format_problem
from qe_workbook.documents.common_docx import COMMON
from qe_workbook.documents.templating import render
from qe_workbook.problems import problem
from qe_workbook.visible import visible
from qe_workbook.workbooks import new_workbook

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")  # all but the newline that ends a line
HOSTILE = {
    "clear": "清屏\x1b[2J_市住建局.xlsx",
    "title": "标题\x1b]0;被改的标题\x07_市住建局.xlsx",
    "clipboard": "剪贴板\x1b]52;c;ZXZpbA==\x07_市住建局.xlsx",
    "forged": "a\n[错误] KEY_PROBABLY_WRONG 伪造.xlsx",
}


def test_control_characters_are_shown_as_pictures() -> None:
    assert visible("a\x1b[2Jb\x07\n\x7f\x9b") == "a␛[2Jb␇␊␡\ufffd"
    assert visible("评价表_市住建局.xlsx") == "评价表_市住建局.xlsx"


def test_a_problem_never_prints_a_control_character_or_a_line_of_its_own() -> None:
    found = problem("FILE_NAME_ODD", file=HOSTILE["forged"], reasons="\x1b]52;c;x\x07")
    shown = format_problem(found)
    assert not CONTROL.search(shown) and len(shown.splitlines()) == 2, shown
    assert shown.splitlines()[0] == "[说明] FILE_NAME_ODD a␊[错误] KEY_PROBABLY_WRONG 伪造.xlsx"


def test_collect_shows_hostile_names_escaped_on_screen_and_in_master(tmp_path: Path) -> None:
    returned = tmp_path / "returned"
    returned.mkdir()
    form = SAMPLES / "returned" / "2022年度质量工作考核评价表_市住建局.xlsx"
    for name in HOSTILE.values():
        shutil.copyfile(form, returned / name)
    result = CliRunner().invoke(
        main, ["collect", str(returned), "--key", str(SAMPLES / "qe-sample.key"), "--out", str(tmp_path / "out")]
    )
    shown = result.output
    assert not CONTROL.search(shown), repr(CONTROL.search(shown))
    assert not any(line.startswith("[错误] KEY_PROBABLY_WRONG 伪造") for line in shown.splitlines()), shown
    assert "a␊[错误] KEY_PROBABLY_WRONG 伪造.xlsx" in shown and "清屏␛[2J" in shown
    master = next((tmp_path / "out").glob("*/master.xlsx"))
    texts = [str(v) for ws in openpyxl.load_workbook(master, read_only=True) for row in ws.values for v in row if v]
    assert not any(CONTROL.search(t) or "_x001" in t for t in texts)
    assert any("标题␛]0;被改的标题␇" in t for t in texts)


def test_a_word_document_shows_control_characters_as_pictures() -> None:
    example = COMMON.example()
    (problem,) = example["项目"]
    loss = {**problem["失分"][0], "评价说明": "评价说明：\x1b]0;标题\x07，第二行\n在此"}
    context = {**example, "部门": "关于\x1b[2J的", "项目": [{**problem, "失分": [loss]}]}
    text = ZipFile(io.BytesIO(render(COMMON, context))).read("word/document.xml").decode("utf-8")
    assert "关于␛[2J的" in text and "评价说明：␛]0;标题␇，第二行" in text
    assert not CONTROL.search(text.replace("\n", ""))


def test_a_workbook_cell_keeps_its_line_breaks_and_shows_other_controls(tmp_path: Path) -> None:
    wb = new_workbook(tmp_path / "表.xlsx")
    wb.add_worksheet("表").write(0, 0, "第一行\n第二行\t完\x1b[2J\x00")
    wb.close()
    cell = openpyxl.load_workbook(tmp_path / "表.xlsx")["表"]["A1"].value
    assert cell == "第一行\n第二行\t完␛[2J␀"


def test_commands_print_a_hostile_output_folder_as_pictures(tmp_path: Path) -> None:
    out = tmp_path / "评价表\x1b]0;被改的标题\x07"
    result = CliRunner().invoke(main, ["generate", "--key", str(tmp_path / "qe.key"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "评价表␛]0;被改的标题␇" in result.output
