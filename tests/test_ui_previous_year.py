"""Last year's workspace chosen on the collect page: the page collect compares with its approved run exactly as
`qe collect --previous <that run>` does; a folder that is no workspace, or has no usable run, is refused in Chinese."""

from __future__ import annotations

import json
import time
from pathlib import Path

import docx
import openpyxl
import pytest
from flask.testing import FlaskClient

from qe_workbook.choices import Stage
from qe_workbook.rubric import Rubric
from qe_workbook.ui.app import create_app
from qe_workbook.workspace.actions import collect_in
from qe_workbook.workspace.decisions import approve_in
from qe_workbook.workspace.layout import Workspace
from qe_workbook.workspace.previous import previous_settings
from qe_workbook.workspace.runs import run_time

from .conftest import run_qe
from .forms import KEY
from .test_ui_browser import english_words
from .test_ui_steps import TOKEN, csrf, text_of
from .test_workspace_steps import collected_year


def year_in(folder: Path, key: bytes = KEY) -> tuple[Workspace, Rubric, Path]:
    folder.mkdir()
    return collected_year(folder, key=key)


def collected_on_the_page(client: FlaskClient) -> str:
    started = client.post(f"/{TOKEN}/run", data={"csrf": csrf(client), "units_check": ""})
    for _ in range(600):
        page = text_of(client.get(started.headers["Location"]).get_data(as_text=True))
        if "汇总完成" in page:
            return page
        time.sleep(0.5)
    raise AssertionError("the page's collect did not finish")


def letters_text(run: Path) -> dict[str, str]:
    documents = {p.name: docx.Document(str(p)) for p in sorted((run / "反馈意见").glob("*.docx"))}
    return {name: "\n".join([par.text for par in d.paragraphs] + [c.text for t in d.tables for r in t.rows for c in r.cells])
            for name, d in documents.items()}  # fmt: skip


def test_the_page_collect_compares_with_last_years_approved_run_as_the_command_line_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    last, rubric, approved = year_in(tmp_path / "上年")
    assert approve_in(last, approved, rubric, Stage.APPROVED, "会议纪要〔2023〕3号", "张三", False)[0] is not None
    later = collect_in(last, rubric).report  # a later run, not approved: the approved one is still compared with
    assert later is not None and later.folder != approved
    this, _rubric, _run = year_in(tmp_path / "本年")
    client = create_app(this.root, TOKEN).test_client()
    client.get(f"/{TOKEN}/overview")

    chosen = client.post(f"/{TOKEN}/collect/previous", data={"csrf": csrf(client), "folder": str(last.root)},
                         follow_redirects=True)  # fmt: skip
    page = text_of(chosen.get_data(as_text=True))
    assert "已选定上年的工作区" in page and f"{last.root} 中审定的汇总结果（{run_time(approved.name)}）比较" in page
    assert english_words(page.replace(str(last.root), "").replace(str(this.root), "")) == set()
    assert json.loads(previous_settings(this).read_text(encoding="utf-8")) == {"folder": str(last.root.resolve())}

    collected_on_the_page(client)
    run = this.runs()[0]
    code, out = run_qe(["collect", str(this.returned), "--key", str(this.key_path), "--rubric", str(this.rubric_path),
                        "--previous", str(approved), "--out", str(tmp_path / "命令行")], monkeypatch, capsys)  # fmt: skip
    assert code in (0, 1), out
    (cli_run,) = [p for p in (tmp_path / "命令行").iterdir() if p.is_dir()]
    sheets = openpyxl.load_workbook(run / "master.xlsx", read_only=True).sheetnames
    assert "与上年比较" in sheets
    assert sheets == openpyxl.load_workbook(cli_run / "master.xlsx", read_only=True).sheetnames
    page_letters = letters_text(run)
    assert page_letters == letters_text(cli_run) and page_letters
    assert all("与2022年度相比：你单位总分由" in text for text in page_letters.values())
    assert (run / "results.json").read_bytes() == (cli_run / "results.json").read_bytes()


@pytest.mark.parametrize(
    ("folder", "reason"),
    [("不存在的文件夹", "没有这个文件夹"), ("空文件夹", "其中没有考核细则，不是本工具的工作区"),
     ("本年", "这是本年度的工作区"), ("上年/ws", "请填写完整的文件夹位置（从盘符或根目录开始）")],
)  # fmt: skip
def test_a_folder_that_is_not_last_years_workspace_is_refused_in_chinese(
    tmp_path: Path, folder: str, reason: str
) -> None:
    this, _rubric, _run = collected_year(tmp_path)
    (tmp_path / "空文件夹").mkdir()
    typed = {"本年": str(this.root), "上年/ws": folder}.get(folder, str(tmp_path / folder))
    client = create_app(this.root, TOKEN).test_client()
    client.get(f"/{TOKEN}/overview")
    page = text_of(client.post(f"/{TOKEN}/collect/previous", data={"csrf": csrf(client), "folder": typed},
                               follow_redirects=True).get_data(as_text=True))  # fmt: skip
    assert f"不能选作上年的工作区：{reason}" in page and not previous_settings(this).exists()
    assert "尚未选定上年的工作区" in page


def test_last_years_workspace_without_a_usable_run_is_refused(tmp_path: Path) -> None:
    last, _rubric, _run = year_in(tmp_path / "上年", key=bytes(32))  # collected with the wrong key
    this, _rubric, _run = year_in(tmp_path / "本年")
    client = create_app(this.root, TOKEN).test_client()
    client.get(f"/{TOKEN}/overview")
    page = text_of(client.post(f"/{TOKEN}/collect/previous", data={"csrf": csrf(client), "folder": str(last.root)},
                               follow_redirects=True).get_data(as_text=True))  # fmt: skip
    assert "不能选作上年的工作区：其中没有审定或可以使用的汇总结果" in page
