"""What the page tells a clerk is in the clerk's words: a step it sends the clerk to is one of the navigation's
pages, the rubric's decisions name a setting by its row in the rubric workbook (not its place in rubric.json),
and no page names the returned folder's bookkeeping files."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from qe_workbook.rubric import load_rubric
from qe_workbook.rubric.load import BUNDLED_RUBRIC
from qe_workbook.rubric.view import decision_rows
from qe_workbook.ui.pages import navigation
from qe_workbook.workspace.actions import generate_in
from qe_workbook.workspace.layout import Workspace

from .conftest import ROOT
from .test_ui_labels import visible_text
from .test_ui_returns import Page
from .test_workspace import small_year

PAGE_NAMED = re.compile(r"“([^”]+)”页")


def test_every_page_the_page_sends_the_clerk_to_is_in_the_navigation() -> None:
    steps = {label for _name, label, _endpoint in navigation()}
    said = {
        (path.name, name)
        for folder in ("qe_workbook/ui", "qe_workbook/workspace")
        for path in (ROOT / folder).rglob("*")
        if path.suffix in (".html", ".py")
        for name in PAGE_NAMED.findall(path.read_text(encoding="utf-8"))
    }
    assert len(said) > 5
    assert {(file, name) for file, name in said if name not in steps} == set()


def test_the_return_deadline_decision_names_the_workbook_row() -> None:
    rubric = load_rubric(BUNDLED_RUBRIC).rubric
    assert rubric is not None
    texts = [row["text"] for row in decision_rows(rubric)]
    deadline = next(t for t in texts if "未规定评价部门交回评价表的日期" in t)
    assert deadline.endswith("市质强办可在考核细则工作簿“基本设置”的“评价表回收截止日期”中修改。")
    assert [t for t in texts if "deadlines." in t or "joint" in t] == []
    assert next(t for t in texts if t.startswith("扣分项在“实际得分”栏填写事件")).startswith(
        "扣分项在“实际得分”栏填写事件（事故）次数，扣分 = 次数 × 每次扣分与最高扣分中较小的一个。"
    )


def test_no_page_names_the_returned_folders_bookkeeping_files(tmp_path: Path) -> None:
    ws, _rubric = small_year(tmp_path)
    page = Page(ws)
    steps = re.findall(r'<a href="/[^/]+/([^"?]+)"[^>]*id="nav-([a-z_]+)"', page.get("overview"))
    assert len(steps) == len(navigation())
    for path, name in steps:
        assert re.findall(r"\S*\.json", visible_text(page.get(path))) == [], name


def test_the_next_year_page_says_where_the_following_year_chooses_this_workspace(tmp_path: Path) -> None:
    ws, _rubric = small_year(tmp_path)
    text = visible_text(Page(ws).get("next-year"))
    assert "网页上的汇总暂不能选用上年的结果" not in text
    assert f"在下一年度工作区的“汇总评分”页“与上年比较”一栏填写本年度工作区的文件夹（{ws.root.resolve()}）" in text


def test_the_review_page_numbers_its_parts_from_one_before_a_collect(tmp_path: Path) -> None:
    ws, _rubric = small_year(tmp_path)
    html = Page(ws).get("review")
    assert re.findall(r"<h2>(\d)\. ", html) == ["1", "2", "3"]
    assert "汇总出可用的结果之后，在这里为每个被考核单位生成得分核对单。" in html


def test_the_next_year_button_comes_back_to_the_next_year_page_with_the_workbook(tmp_path: Path) -> None:
    ws, rubric = small_year(tmp_path)
    page = Page(ws)
    html = page.get("next-year")
    back = re.search(r'name="back" value="([^"]+)"', html)
    assert back is not None
    assert page.post("rubric/next-year", back=back.group(1)).endswith("/next-year")
    assert f"下载 rubric-{rubric.year + 1}.xlsx" in page.get("next-year")


def test_a_workspace_moved_to_another_folder_still_shows_and_serves_its_forms(tmp_path: Path) -> None:
    ws, rubric = small_year(tmp_path)
    assert generate_in(ws, rubric).generated is not None
    moved = Workspace(tmp_path / "换了位置的工作区")
    shutil.copytree(ws.root, moved.root)  # the old folder stays, as after a copy to another computer's disk
    html = Page(moved).get("forms")
    links = re.findall(r'href="(/[^"]+/file\?path=out/forms/[^"]+\.xlsx)"', html)
    assert len(links) == 4  # the three forms and the dispatch list, inside the moved workspace
    shutil.rmtree(moved.root / "out" / "forms")
    assert Page(moved).get("forms").count("尚未生成") == 3  # the page opens (no error), offering no outside file


def test_the_overview_names_its_last_column_for_what_it_holds(tmp_path: Path) -> None:
    ws, _rubric = small_year(tmp_path)
    html = Page(ws).get("overview")  # before the forms: the office's own next step, not the department's
    assert "<th>处理办法</th>" in html and "先生成并下发评价表；下发前无需催报" in html
    assert "需要对方做什么" not in html


def test_a_problem_about_a_run_folder_names_it_from_the_workspace(tmp_path: Path) -> None:
    from qe_workbook.problems import problem
    from qe_workbook.ui.app import create_app
    from qe_workbook.ui.shell import problem_lines

    ws, _rubric = small_year(tmp_path)
    run = ws.root / "out" / "results" / "20230502-093000"
    same = problem("RUN_SAME_AS_APPROVED", file=str(run), run="20230501-090000", stage="审定稿", at="2023-05-01 09:00")
    with create_app(ws.root, "t" * 32).test_request_context():
        ((_severity, line),) = problem_lines([same])
    assert (
        line.startswith("out/results/20230502-093000：本次各单位的总分、等级和排名与 20230501-090000")
        and str(ws.root) not in line
    )
