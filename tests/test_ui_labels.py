"""Every control of every page has a name a screen reader says (a label, an aria-label or its own text), and no
page shows an English word: checked on each step of the navigation, before and after a collect."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from qe_workbook.workspace.actions import generate_in

from .forms import TIE, fill_all
from .test_ui_browser import english_words
from .test_ui_returns import Page
from .test_workspace import small_year


class Controls(HTMLParser):
    """The controls of a page and the ids its labels name."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[tuple[str, dict[str, str], bool]] = []  # (tag, attributes, inside a label)
        self.labelled: set[str] = set()
        self.labels = 0
        self.buttons: list[str] = []
        self._button: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "label":
            self.labels += 1
            if a.get("for"):
                self.labelled.add(a["for"])
        elif tag in ("input", "select", "textarea") and a.get("type") != "hidden":
            self.controls.append((tag, a, self.labels > 0))
        elif tag == "button":
            self._button = [a.get("aria-label", "")]

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.labels -= 1
        elif tag == "button" and self._button is not None:
            self.buttons.append("".join(self._button).strip())
            self._button = None

    def handle_data(self, data: str) -> None:
        if self._button is not None:
            self._button.append(data)

    def unnamed(self) -> list[str]:
        found = [f"{tag} {a.get('name') or a.get('id')}" for tag, a, inside in self.controls
                 if not inside and not a.get("aria-label") and a.get("id") not in self.labelled]  # fmt: skip
        return found + ["button without text" for b in self.buttons if not b]


def visible_text(html: str) -> str:
    body = html[html.index("<body>") :]
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body).replace("&#34;", '"')


def check_every_page(page: Page, root: Path) -> None:
    html = page.get("overview")
    steps = re.findall(r'<a href="/[^/]+/([^"?]+)"[^>]*id="nav-([a-z_]+)"', html)
    assert len(steps) >= 7
    seen = 0
    for path, name in steps:
        text = page.get(path)
        parsed = Controls()
        parsed.feed(text)
        assert parsed.unnamed() == [], name
        assert english_words(visible_text(text).replace(str(root), "")) == set(), name
        seen += len(parsed.controls) + len(parsed.buttons)
    assert seen > 30  # the check looked at the pages' controls


def test_every_control_is_named_before_and_after_a_collect(tmp_path: Path) -> None:
    ws, rubric = small_year(tmp_path)
    page = Page(ws)
    check_every_page(page, ws.root)
    generated = generate_in(ws, rubric).generated
    assert generated is not None
    (tmp_path / "filled").mkdir()
    for path in fill_all(generated, tmp_path / "filled", TIE).values():
        page.upload(path.name, path.read_bytes(), "2023-04-26 15:30")
    page.collect()
    check_every_page(page, ws.root)
