"""The returned forms as a clerk handles them on the page: every file a department sent with its time and
channel, which one is adopted and why; a corrected form re-sent under the same name is adopted by its later
receipt; the clerk may choose the earlier one or set a file aside, and `qe collect` on the same folder gives
the same result as the page."""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from flask.testing import FlaskClient

from qe_workbook.cli import main
from qe_workbook.intake.receipts import read_record
from qe_workbook.ui.app import create_app
from qe_workbook.workspace.actions import generate_in
from qe_workbook.workspace.layout import Workspace

from .forms import TIE, fill_all, with_changes
from .test_workspace import small_year

TOKEN = "t" * 32


class Page:
    """The page of one workspace through Flask's test client, with the session's CSRF token."""

    def __init__(self, ws: Workspace) -> None:
        self.client: FlaskClient = create_app(ws.root, TOKEN).test_client()
        self.csrf = ""
        self.get("returns")

    def get(self, name: str) -> str:
        response = self.client.get(f"/{TOKEN}/{name}")
        assert response.status_code == 200, name
        text = response.get_data(as_text=True)
        found = re.search(r'name="csrf" value="([^"]+)"', text)
        self.csrf = found.group(1) if found else self.csrf
        return text

    def post(self, name: str, **fields: Any) -> str:
        response = self.client.post(f"/{TOKEN}/{name}", data={"csrf": self.csrf, **fields},
                                    content_type="multipart/form-data")  # fmt: skip
        assert response.status_code == 302, name
        return response.headers["Location"]

    def upload(self, name: str, data: bytes, received: str, channel: str = "邮件") -> str:
        self.post("upload", files=[(io.BytesIO(data), name)], received=received, channel=channel)
        return self.get("returns")

    def job(self, name: str, **fields: Any) -> list[str]:
        """Start a background job and wait for it; the lines it says when done."""
        job = self.post(name, **fields).split("job=")[1]
        for _ in range(1200):
            state = self.client.get(f"/{TOKEN}/job/{job}").get_json()
            if state["finished"]:
                assert not state["failed"], state["messages"]
                return [text for _level, text in state["messages"]]
            time.sleep(0.1)
        raise AssertionError(f"the job {name} did not finish")

    def collect(self, **options: str) -> str:
        self.job("run", **options)
        return self.get("returns")


def rows(html: str) -> list[str]:
    """The versions table's rows as text, cells joined by '|'."""
    body = html[html.index('<table id="versions">') :]
    body = body[: body.index("</table>")]
    found = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)[1:]:
        cells = [
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        found.append("|".join(cells))
    return found


def year_with_forms(tmp_path: Path) -> tuple[Workspace, dict[str, Path], Path]:
    """The small year, forms generated, 甲局's form filled twice (the second corrects 东区 01-1 to 37)."""
    ws, rubric = small_year(tmp_path)
    generated = generate_in(ws, rubric).generated
    assert generated is not None
    filled = fill_all(generated, tmp_path / "filled", TIE) if (tmp_path / "filled").mkdir() is None else {}
    (tmp_path / "corrected").mkdir()
    corrected = fill_all(
        generated, tmp_path / "corrected", with_changes(TIE, "甲局", {("东区", "01-1"): (37, "复核后更正。")})
    )
    return ws, filled, corrected["甲局"]


def sent_twice(page: Page, filled: dict[str, Path], corrected: Path) -> tuple[str, str]:
    """甲局's form by mail on 04-25, 乙局's and 质强办's by WeChat on 04-26, 甲局's corrected form on 04-28."""
    first = filled["甲局"].name
    page.upload(first, filled["甲局"].read_bytes(), "2023-04-25 09:00")
    for evaluator in ("乙局", "质强办"):
        page.upload(filled[evaluator].name, filled[evaluator].read_bytes(), "2023-04-26 15:30", "微信")
    page.upload(first, corrected.read_bytes(), "2023-04-28 10:00")
    return first, first.replace(".xlsx", " (2).xlsx")


def results_of(run: Path) -> tuple[Any, list[tuple[str, str]]]:
    data = json.loads((run / "results.json").read_text(encoding="utf-8"))
    audit = json.loads((run / "audit.json").read_text(encoding="utf-8"))
    return data["units"], sorted((f["file"], f["decision"]) for f in audit["files"])


def cli_collect(ws: Workspace, out: Path) -> tuple[Path, list[str]]:
    result = CliRunner().invoke(main, ["collect", str(ws.returned), "--rubric", str(ws.rubric_path), "--key",
                                       str(ws.key_path), "--out", str(out), "--json"])  # fmt: skip
    report = json.loads(result.output[result.output.index("{") :])
    (run,) = [p for p in out.iterdir() if p.is_dir()]
    return run, [p["code"] for p in report["problems"]]


def test_a_corrected_form_resent_under_the_same_name_is_adopted_by_its_later_receipt(tmp_path: Path) -> None:
    ws, filled, corrected = year_with_forms(tmp_path)
    page = Page(ws)
    first, resent = sent_twice(page, filled, corrected)
    html = page.get("returns")
    assert (ws.returned / resent).is_file()
    assert rows(html)[:2] == [
        f"甲局|已收到，待汇总|{first}|2023-04-25 09:00|邮件|待汇总||搁置",
        f"{first} 保存为 {resent}|2023-04-28 10:00|邮件|待汇总||搁置",
    ]

    html = page.collect()
    assert rows(html)[:2] == [
        f"甲局|已采用|{first}|2023-04-25 09:00|邮件|已被更新的版本替代|已采用收到时间更晚的 {resent}|采用这一份 搁置",
        f"{first} 保存为 {resent}|2023-04-28 10:00|邮件|已采用||搁置",
    ]
    assert rows(html)[2].startswith(f"乙局|已采用|{filled['乙局'].name}|2023-04-26 15:30|微信|已采用")
    assert "--prefer" not in html and "未收到" not in html
    run = ws.runs()[0]
    east = next(u for u in results_of(run)[0] if u["unit"] == "东区")
    assert east["total"] == 91.5  # the corrected 37 of 40 points for 01-1, one point more than the first's 36


def test_the_clerk_chooses_the_earlier_version_and_the_command_line_adopts_the_same(tmp_path: Path) -> None:
    ws, filled, corrected = year_with_forms(tmp_path)
    page = Page(ws)
    first, resent = sent_twice(page, filled, corrected)
    page.collect()
    page.post("returns/choose", path=first)
    html = page.get("returns")
    assert f"已选定采用甲局的 {first}，其他版本不再采用" in html
    choice = json.loads((ws.returned / "选定的版本.json").read_text(encoding="utf-8"))["choices"]
    assert [(c["evaluator"], c["file"]) for c in choice] == [("甲局", first)]

    html = page.collect()
    assert rows(html)[:2] == [
        f"甲局|已采用|{first}|2023-04-25 09:00|邮件|已采用（市质强办选定）||搁置",
        f"{first} 保存为 {resent}|2023-04-28 10:00|邮件|已被更新的版本替代|市质强办选定采用 {first}|采用这一份 搁置",
    ]
    cli_run, codes = cli_collect(ws, tmp_path / "cli")
    assert "SUBMISSION_CHOSEN" in codes and "SUBMISSION_SUPERSEDED" not in codes
    assert results_of(cli_run) == results_of(ws.runs()[0])
    east = next(u for u in results_of(cli_run)[0] if u["unit"] == "东区")
    assert east["total"] == 90.5  # the first version's 36 points

    third = with_changes(TIE, "甲局", {("东区", "01-1"): (38, "")})
    fill_all_one = tmp_path / "third"
    fill_all_one.mkdir()
    from qe_workbook.forms.fill import fill_form

    fill_form(filled["甲局"], fill_all_one / first, third["甲局"], "2023-04-29")
    page.upload(first, (fill_all_one / first).read_bytes(), "2023-04-29 11:00")
    html = page.collect()  # a version sent after the choice: the latest is adopted again, and said so
    assert "已采用收到时间更晚的" in html and rows(html)[2].split("|")[3] == "已采用"
    assert "SUBMISSION_CHOICE_OUTDATED" in cli_collect(ws, tmp_path / "cli2")[1]


def test_a_file_set_aside_is_kept_in_its_folder_and_not_collected_until_restored(tmp_path: Path) -> None:
    ws, filled, corrected = year_with_forms(tmp_path)
    page = Page(ws)
    first, resent = sent_twice(page, filled, corrected)
    page.post("returns/set-aside", path=resent)
    assert (ws.returned / "已搁置" / resent).read_bytes() == corrected.read_bytes()
    assert not (ws.returned / resent).exists()
    book, _ = read_record(ws.returned / "收件记录.json")
    assert [r.saved_as for r in book.receipts][::3] == [first, f"已搁置/{resent}"]
    html = page.collect()
    assert rows(html)[:2] == [
        f"甲局|已采用|{first}|2023-04-25 09:00|邮件|已采用||搁置",
        f"{first} 保存为 已搁置/{resent}|2023-04-28 10:00|邮件|已搁置（不汇总）||恢复",
    ]
    cli_run, codes = cli_collect(ws, tmp_path / "cli")
    assert "RETURNED_SET_ASIDE" in codes and results_of(cli_run) == results_of(ws.runs()[0])

    assert "最近一次汇总之后选定了采用的版本或搁置、恢复了文件，请重新汇总" not in page.get("overview")
    page.post("returns/restore", path=f"已搁置/{resent}")
    assert "最近一次汇总之后选定了采用的版本或搁置、恢复了文件，请重新汇总" in page.get("overview")
    assert (ws.returned / resent).is_file() and not (ws.returned / "已搁置").exists()
    assert "已采用收到时间更晚的" in page.collect()


def test_an_xls_and_a_zip_keep_their_names_and_receipts_and_count_as_received(tmp_path: Path) -> None:
    ws, filled, _corrected = year_with_forms(tmp_path)
    page = Page(ws)
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr(filled["乙局"].name, filled["乙局"].read_bytes())
    page.upload("乙局报送材料.zip", packed.getvalue(), "2023-04-26 08:00", "U盘")
    nested = io.BytesIO()
    with zipfile.ZipFile(nested, "w") as archive:
        archive.writestr("里层.zip", packed.getvalue())
    html = page.upload("质强办报送.zip", nested.getvalue(), "2023-04-26 08:30")
    assert "已保存：质强办报送.zip" in html
    assert "质强办报送.zip 汇总时会遇到的问题：质强办报送.zip/里层.zip 无法安全解压（压缩包中又套了压缩包" in html
    page.post("returns/set-aside", path="质强办报送.zip")
    html = page.upload("甲局评价表（修改后）.xls", bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 504, "2023-04-27 08:00")
    assert sorted(p.name for p in ws.returned_files()) == ["乙局报送材料.zip", "甲局评价表（修改后）.xls"]
    book, _ = read_record(ws.returned / "收件记录.json")
    assert [(r.file, r.channel, r.shown_time()) for r in book.receipts][::2] == [
        ("乙局报送材料.zip", "U盘", "2023-04-26 08:00"), ("甲局评价表（修改后）.xls", "邮件", "2023-04-27 08:00")
    ]  # fmt: skip
    assert "甲局|已收到，待汇总|甲局评价表（修改后）.xls|2023-04-27 08:00|邮件|待汇总" in rows(html)[0]
    html = page.collect()
    table = rows(html)
    assert table[0].startswith("甲局|退回 无法读取工作表内容") and "未收到" not in table[0]
    assert table[1].startswith("乙局|已采用|乙局报送材料.zip|2023-04-26 08:00|U盘|已采用")


def test_setting_aside_and_restoring_touch_nothing_outside_the_returned_folder(tmp_path: Path) -> None:
    ws, filled, _corrected = year_with_forms(tmp_path)
    page = Page(ws)
    page.upload(filled["甲局"].name, filled["甲局"].read_bytes(), "2023-04-25 09:00")
    key = ws.key_path.read_bytes()
    for path in ("../out/qe.key", "../rubric.json", "收件记录.json", "已搁置/../../out/qe.key", "/etc/passwd"):
        page.post("returns/set-aside", path=path)
        assert "回收文件夹中没有" in page.get("returns"), path
        page.post("returns/restore", path=path)
        assert "回收文件夹中没有" in page.get("returns"), path
    page.upload(filled["乙局"].name, filled["乙局"].read_bytes(), "2023-04-25 09:00")
    page.post("returns/set-aside", path=filled["甲局"].name)
    page.post("returns/restore", path=f"已搁置/../{filled['乙局'].name}")  # a file in the folder, not set aside
    assert "回收文件夹中没有" in page.get("returns") and (ws.returned / filled["乙局"].name).is_file()
    page.post("returns/choose", path="../out/qe.key")
    assert "不能选定" in page.get("returns")
    assert ws.key_path.read_bytes() == key and (ws.root / "rubric.json").is_file()
    assert sorted(p.relative_to(ws.root).as_posix() for p in ws.root.rglob("*") if p.is_file() and "out" not in p.parts) == [
        "rubric.json", f"回收的评价表/{filled['乙局'].name}", f"回收的评价表/已搁置/{filled['甲局'].name}",
        "回收的评价表/收件记录.json", "回收的评价表/收件记录.xlsx",
    ]  # fmt: skip


def test_a_scan_the_collect_could_not_use_is_not_shown_as_waiting_for_it(tmp_path: Path) -> None:
    ws, filled, _corrected = year_with_forms(tmp_path)
    page = Page(ws)
    page.upload(filled["甲局"].name, filled["甲局"].read_bytes(), "2023-04-25 09:00")
    assert (
        "乙局|已收到，待汇总|乙局评价表.pdf|2023-04-26 08:00|微信|待汇总"
        in rows(page.upload("乙局评价表.pdf", b"%PDF-1.4 scanned", "2023-04-26 08:00", "微信"))[1]
    )
    assert rows(page.collect())[1].startswith("乙局|收到但无法采用 ") and "|待汇总" not in rows(page.get("returns"))[1]
