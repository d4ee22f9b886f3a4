"""Every screen of `qe` is Chinese: every command's help and every usage error, walked from the command tree.

Commands added later are covered automatically: the test walks the click tree and derives the usage
errors from each command's parameters (unknown option, missing value, bad value, a value after a
switch, missing argument, extra argument, unknown command).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from qe_workbook.cli import main
from qe_workbook.cli_chinese import confirm

from .conftest import ROOT, run_qe

# What may stay in Latin letters: option names, command names, choice values, file names and paths,
# and the names of formats and programs.
PRODUCTS = {
    "JSON",
    "CSV",
    "Excel",
    "WPS",
    "LibreOffice",
    "Python",
    "Word",
    "PDF",
    "U盘",
    "IMAP",
    "SMTP",
    "SSL",
    "STARTTLS",
    "INBOX",
    *"ABCD",  # the plan's grades (A级 … D级), as the office writes them in a grade map
}
COMMAND_LINE = re.compile(r"\bqe(?: [a-z][a-z-]*)*")  # a command quoted in a help text is what one types
FILE_OR_PATH = re.compile(r"[\w./\\~$-]*[/\\][\w./\\~$-]*|[\w~$-]*\.(?:json|xlsx|xls|xlsm|ods|csv|key|docx|pdf|toml)\b")
OPTION = re.compile(r"(?<![\w-])--?[a-zA-Z][\w-]*")
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?")


def commands(cmd: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    yield path, cmd
    if isinstance(cmd, click.Group):
        for name, sub in cmd.commands.items():
            yield from commands(sub, (*path, name))


def allowed_words() -> set[str]:
    words = set(PRODUCTS)
    for path, cmd in commands(main):
        words.update(path)
        for p in cmd.params:
            if isinstance(p.type, click.Choice):
                words.update(str(c) for c in p.type.choices)
    return words


def english_words(text: str, typed: list[str] = []) -> list[str]:  # noqa: B006
    """Latin words on screen, except what may stay Latin and what the person typed."""
    for arg in typed:
        text = text.replace(arg, " ")
    text = COMMAND_LINE.sub(" ", OPTION.sub(" ", FILE_OR_PATH.sub(" ", TIMESTAMP.sub(" ", text))))
    allowed = {w for word in allowed_words() for w in re.findall(r"[A-Za-z]+", word)}
    return [w for w in re.findall(r"[A-Za-z]+", text) if w not in allowed]


def bad_value(param: click.Parameter, tmp_path: Path) -> str | None:
    kind = param.type
    if isinstance(kind, click.Choice):
        return "oldest"
    if isinstance(kind, (click.types.IntParamType, click.types.FloatParamType)):
        return "x1"
    if isinstance(kind, click.DateTime):
        return "2023/01/01"
    if isinstance(kind, click.Path) and kind.exists:
        return str(tmp_path / "没有这个")
    if isinstance(kind, click.Path) and not kind.file_okay:
        (tmp_path / "一个文件.txt").write_text("x", encoding="utf-8")
        return str(tmp_path / "一个文件.txt")
    if isinstance(kind, click.Path) and not kind.dir_okay and kind.exists:
        return str(tmp_path)
    return None


def usage_errors(path: tuple[str, ...], cmd: click.Command, tmp_path: Path) -> Iterator[list[str]]:
    """Each usage error this command can meet, derived from its parameters."""
    base = list(path)
    yield [*base, "--no-such-option"]
    if isinstance(cmd, click.Group):
        yield [*base, "no-such-command"]
        yield [*base, (next(iter(cmd.commands)) + "x")]
        return
    arguments = [p for p in cmd.params if isinstance(p, click.Argument)]
    filled = []
    for p in arguments:
        filled.append(str(tmp_path) if isinstance(p.type, click.Path) and not p.type.file_okay else "rubric.json")
        if p.required:
            yield [*base]
    yield [*base, *filled, "多余1", "多余2", "多余3"]
    for p in cmd.params:
        if isinstance(p, click.Option):
            if p.is_flag:
                yield [*base, f"{p.opts[0]}=1"]
            else:
                yield [*base, p.opts[0]]
                value = bad_value(p, tmp_path)
                if value is not None:
                    yield [*base, p.opts[0], value]
        else:
            value = bad_value(p, tmp_path)
            if value is not None:
                yield [*base, value]


def test_the_walk_finds_every_command() -> None:
    found = {" ".join(p) for p, _ in commands(main)}
    assert {"collect", "generate", "rubric", "rubric show", "simulate", "demo", "report", "keygen"} <= found


@pytest.mark.parametrize("path", [p for p, _ in commands(main)], ids=lambda p: " ".join(p) or "qe")
def test_every_help_screen_is_chinese(
    path: tuple[str, ...], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text = run_qe([*path, "--help"], monkeypatch, capsys)
    assert code == 0
    assert text.startswith(f"用法：qe {' '.join(path)}".rstrip())
    assert "选项：" in text and "显示本帮助并退出。" in text
    assert english_words(text) == [], text


@pytest.mark.parametrize("path", [p for p, _ in commands(main)], ids=lambda p: " ".join(p) or "qe")
def test_every_usage_error_is_chinese(
    path: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cmd = dict(commands(main))[path]
    monkeypatch.chdir(tmp_path)
    seen = 0
    for args in usage_errors(path, cmd, tmp_path):
        code, text = run_qe(args, monkeypatch, capsys)
        if not args[len(path) :] and isinstance(cmd, click.Group):
            continue
        assert code == 2, (args, text)
        assert text.startswith("用法错误："), (args, text)
        assert english_words(text, args) == [], (args, text)
        seen += 1
    assert seen >= 2


def test_bare_commands_print_the_chinese_help(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for args in ([], ["rubric"]):
        code, text = run_qe(args, monkeypatch, capsys)
        assert code == 0
        assert text.startswith("用法：qe") and "命令：" in text
        assert english_words(text) == []


def test_near_misses_are_suggested(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, text = run_qe(["colect", "x"], monkeypatch, capsys)
    assert code == 2 and "没有命令 colect。是否想用：collect？" in text
    code, text = run_qe(["collect", "--prefr", "newest", "."], monkeypatch, capsys)
    assert code == 2 and "没有选项 --prefr。是否想用：--prefer？" in text
    code, text = run_qe(["rubric", "show", "--evaluator", "住建局"], monkeypatch, capsys)
    assert code == 2 and "没有名为“住建局”的评价部门。是否想用：市住建局？" in text
    code, text = run_qe(["collect", ".", "--prefer", "newset"], monkeypatch, capsys)
    assert code == 2 and "“newset”不是可选的值（可选：latest、newest、none）。是否想用：newest？" in text


def test_values_are_told_from_the_value_not_from_clicks_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for args, said in [
        (["generate", "--timestamp", "2023/01/01"], "“2023/01/01”不是日期，请写成 2022-12-31T09:30:00 或 2022-12-31。"),
        (["collect", str(tmp_path / "无")], f"文件夹“{tmp_path / '无'}”不存在。"),
        (["collect", ".", "--no-report=3"], "选项 --no-report 是开关，后面不要写值。"),
        (["simulate", str(tmp_path)], "缺少选项 --out（必填）。"),
    ]:
        code, text = run_qe(args, monkeypatch, capsys)
        assert code == 2 and said in text, text


def test_an_evaluator_without_items_is_said_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text = run_qe(["rubric", "show", "--evaluator", "市无线电管理局"], monkeypatch, capsys)
    assert code == 0
    assert "市无线电管理局 没有评价项目，不需要填写评价表。" in text
    assert "编号" not in text


def test_ctrl_c_exits_130(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    @main.command("interrupted-for-test", hidden=True)
    def interrupted() -> None:
        raise KeyboardInterrupt

    try:
        code, text = run_qe(["interrupted-for-test"], monkeypatch, capsys)
    finally:
        main.commands.pop("interrupted-for-test")
    assert code == 130
    assert "已中止。" in text


def test_commands_run_on_a_click_without_no_args_is_help_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """click 8.1 (allowed by the project) has no NoArgsIsHelpError: a command that ends with an exit code,
    and a bare group, must behave there as on later versions."""
    monkeypatch.delattr(click.exceptions, "NoArgsIsHelpError", raising=False)
    code, text = run_qe(["rubric", "check", str(ROOT / "rubric.json")], monkeypatch, capsys)
    assert code == 0 and "检查通过。" in text
    (tmp_path / "rubric.json").write_text("{}", encoding="utf-8")
    code, text = run_qe(["rubric", "check", str(tmp_path / "rubric.json")], monkeypatch, capsys)
    assert code == 1 and "检查未通过" in text
    code, text = run_qe(["rubric"], monkeypatch, capsys)
    assert code == 0 and text.startswith("用法：qe rubric") and "命令：" in text


def test_a_yes_or_no_question_is_asked_and_answered_in_chinese() -> None:
    asked = click.command()(lambda: click.echo("发送" if confirm("确认发送？") else "不发送"))

    def screen(typed: str) -> str:  # click 8.1 writes a space before what is typed, later versions do not
        return CliRunner().invoke(asked, input=typed).output.replace("： ", "：")

    for typed, said in [("是\n", "发送"), ("y\n", "发送"), ("\n", "不发送"), ("否\n", "不发送"), ("N\n", "不发送")]:
        assert screen(typed) == f"确认发送？（是/否）：{typed}{said}\n"
    shown = screen("好的\n是\n")
    assert shown == "确认发送？（是/否）：好的\n请回答“是”或“否”。\n确认发送？（是/否）：是\n发送\n"
    assert english_words(shown) == []
