"""Every file chooser of the page is reached by the Tab key: no template hides one with display:none (the input
stays focusable, invisible, and its label draws the focus); the new-workspace page is walked in Chromium."""

from __future__ import annotations

import re
from pathlib import Path

from qe_workbook.ui import app

from .test_ui_browser import browser, shoot  # noqa: F401  (the browser fixture)
from .test_ui_year import keyboard_walk, tab_order
from .ui_server import UiServer

TEMPLATES = Path(app.__file__).parent / "templates"
STYLE = (Path(app.__file__).parent / "static" / "qe.css").read_text(encoding="utf-8")


def test_no_file_chooser_is_hidden_from_the_keyboard() -> None:
    inputs = [(t.name, tag) for t in sorted(TEMPLATES.glob("*.html"))
              for tag in re.findall(r"<input[^>]*type=\"file\"[^>]*>", t.read_text(encoding="utf-8"))]  # fmt: skip
    assert inputs, "no file chooser found"
    assert [(name, tag) for name, tag in inputs if 'class="pick-input"' not in tag] == []
    rule = re.search(r"\.pick-input\s*\{([^}]*)\}", STYLE)
    assert rule is not None and "display" not in rule.group(1) and "visibility" not in rule.group(1)
    assert "label.pick:focus-within" in STYLE
    assert not re.search(r"display:\s*none", STYLE)


def test_the_new_workspace_page_is_walked_by_the_keyboard(tmp_path: Path, browser: object) -> None:  # noqa: F811
    with UiServer(tmp_path / "工作区") as server:
        browser.get(server.url)  # type: ignore[attr-defined]
        shoot(browser, "新建工作区")
        unreached, undrawn = keyboard_walk(browser)
        reached = [name for name, _drawn in tab_order(browser, "rubric-file", 2)]
    assert (unreached, undrawn) == ([], [])
    assert reached == ["rubric-file", "key-file"]  # the two file choosers, in the order they are read
