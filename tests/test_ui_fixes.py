"""The page never tells a clerk to type a command or an option: every catalogue fix (or template) that names one
has the page's own words, and a run collected with the wrong key says on every page what to do on the page, while
the command line's message is unchanged."""

from __future__ import annotations

import re
from pathlib import Path

from qe_workbook.problems import CATALOGUE, problem
from qe_workbook.ui.fixes import PAGE_FIXES, PAGE_WORDS, page_text
from qe_workbook.visible import visible
from qe_workbook.workspace.actions import generate_in

from .forms import TIE, fill_all
from .test_ui_returns import Page
from .test_workspace import small_year

COMMAND = re.compile(r"\bqe\s+[a-z]|--[a-z]|同一命令|README")  # a command, an option, or the command line's manual


def names_a_command(text: str) -> bool:
    return bool(COMMAND.search(text))


def test_every_fix_that_names_a_command_has_the_pages_words() -> None:
    fixes = {code for code, kind in CATALOGUE.items() if names_a_command(kind.fix)}
    assert fixes - set(PAGE_FIXES) == set(), "a fix names a command: add its page text to ui/fixes.py PAGE_FIXES"
    templates = {code for code, kind in CATALOGUE.items() if names_a_command(kind.template)}
    assert templates - set(PAGE_WORDS) == set(), "a template names a command: add its page words to PAGE_WORDS"
    assert set(PAGE_FIXES) <= set(CATALOGUE) and set(PAGE_WORDS) <= set(CATALOGUE)  # no text for a removed code
    for code, text in PAGE_FIXES.items():
        assert not names_a_command(text), code
        kind = CATALOGUE[code]
        said = page_text(code, f"某处有误。{visible(kind.fix)}")
        assert said == f"某处有误。{text}", code
    for code, (command_words, page_words) in PAGE_WORDS.items():
        assert command_words in CATALOGUE[code].template and not names_a_command(page_words), code


def test_a_message_is_said_with_the_pages_fix_and_the_command_line_keeps_its_own() -> None:
    found = problem("SUBMISSION_NEWEST_UNDECIDED", evaluator="甲局", count=2, files=["a.xlsx", "b.xlsx"],
                    why="两份收到时间相同")  # fmt: skip
    assert "--prefer newest" in found.message  # the command line's words, unchanged
    assert page_text(found.code, found.message) == (
        "甲局交来 2 份内容不同的评价表：a.xlsx、b.xlsx（两份收到时间相同，无法按收到时间选出最新的一份）；请与该部门确认，"
        "只保留该部门确认的最终一份，把其他文件移出回收文件夹。请与该部门确认以哪一份为准，在“回收的评价表”页选定采用那一份"
        "（或把其他的搁置），再重新汇总。"
    )
    mail = problem("MAIL_FOLDER_MISSING", folder="回复")
    assert page_text(mail.code, mail.message).endswith(
        "请在收信服务器的设置中填写邮箱里实际存在的文件夹名称（收取收件箱时不填）。"
    )
    other = problem("MAIL_FOLDER_MISSING", folder="回复", fix="另行处理。")  # a fix given in place: left as it is
    assert page_text(other.code, other.message) == other.message


def body_text(html: str) -> str:
    body = html[html.index("<body") :]
    body = re.sub(r"<script.*?</script>|<style.*?</style>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_a_run_with_the_wrong_key_says_what_to_do_on_the_page(tmp_path: Path) -> None:
    ws, rubric = small_year(tmp_path)
    generated = generate_in(ws, rubric).generated
    assert generated is not None
    ws.returned.mkdir()
    fill_all(generated, ws.returned, TIE)
    ws.key_path.write_text("ab" * 32, encoding="ascii")  # not the key the forms were signed with
    page = Page(ws)
    page.job("run")
    for name in ("overview", "collect", "results", "chase", "review", "reports", "approval", "archive"):
        text = body_text(page.get(name))
        assert not names_a_command(text), (name, COMMAND.findall(text))
    results = body_text(page.get("results"))
    assert "再在“汇总评分”页重新汇总；在此之前不要使用本次结果。" in results
