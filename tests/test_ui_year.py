"""A whole year by clicks in a real headless Chromium driving `qe ui`, as a clerk who never opens a terminal does it:
create the workspace with the office's key (samples/qe-sample.key, which signed the sample returns), generate the
forms, upload the returns (one department's as an .xls saved by LibreOffice, 市工信局's first with 5 of 4 points for
舞阳县), collect, draft the chase mail to 市工信局, upload its corrected form, choose it, collect again, record the
meeting's adjustment (郾城区 加分 5), collect with it, approve 审定稿, archive and verify — and the result equals
`qe collect` on the same files with the same adjustments. On each later page every control is reached by the Tab key
with its focus drawn, and no English word is shown.

With QE_UI_SCREENSHOTS=folder, each page is saved there at 1366×768 for a person to look at."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

from qe_workbook.forms.fill import fill_form

from .conftest import ROOT, require_program
from .test_ui_browser import browser, english_words, shoot, wait_for, wait_text  # noqa: F401  (the browser fixture)
from .ui_server import UiServer

SAMPLES = ROOT / "samples"
KEY = SAMPLES / "qe-sample.key"
CORRECTED = "2022年度质量工作考核评价表_市工信局.xlsx"  # the sample's own, filled 2023-04-23
AS_XLS = "2022年度质量工作考核评价表_市教育局.xlsx"
BASIS = "市质量强市工作领导小组会议纪要〔2023〕3号"
# The samples' ranking (tests/test_resend.py), 郾城区 raised by the meeting from 75.50 (C) to 80.50 (B).
YEAR_END = {
    "开发区": ("96.73", "A"), "召陵区": ("91.88", "A"), "西城区": ("91.70", "A"), "舞阳县": ("86.33", "B"),
    "临颍县": ("83.78", "B"), "市城乡一体化示范区": ("83.45", "B"), "源汇区": ("82.28", "B"), "郾城区": ("80.50", "B"),
}  # fmt: skip


def sent_files(tmp_path: Path) -> tuple[list[Path], Path, Path]:
    """What the departments sent: the samples with 市教育局's saved as .xls, and 市工信局's first version (5 of 4
    points for 舞阳县 in 05-3, filled 2023-04-20); then 市工信局's corrected one (the sample's)."""
    sent = tmp_path / "各部门交来的"
    sent.mkdir()
    soffice = require_program("soffice")
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless", "--convert-to", "xls",
                    "--outdir", str(sent), str(SAMPLES / "returned" / AS_XLS)],
                   check=True, capture_output=True, timeout=180)  # fmt: skip
    xls = sent / AS_XLS.replace(".xlsx", ".xls")
    first = sent / "第一次" / CORRECTED
    first.parent.mkdir()
    fill_form(SAMPLES / "returned" / CORRECTED, first, {("舞阳县", "05-3"): (5, "满分")}, date(2023, 4, 20))
    others = [p for p in sorted((SAMPLES / "returned").glob("*.xlsx")) if p.name not in (AS_XLS, CORRECTED)]
    return [*others, xls, first], xls, SAMPLES / "returned" / CORRECTED


def results_of(run: Path) -> dict[str, tuple[str, str]]:
    data = json.loads((run / "results.json").read_text(encoding="utf-8"), parse_float=Decimal)
    return {u["unit"]: (f"{u['total']:.2f}", u["grade"]) for u in data["units"]}


def cli_results(workspace: Path, tmp_path: Path) -> dict[str, tuple[str, str]]:
    """`qe collect` on the workspace's returned folder with its adjustments, from the command line."""
    out = subprocess.run(
        [sys.executable, "-m", "qe_workbook", "collect", str(workspace / "回收的评价表"), "--key", str(KEY),
         "--rubric", str(workspace / "rubric.json"), "--adjustments", str(workspace / "out/review/adjustments.xlsx"),
         "--out", str(tmp_path / "命令行"), "--json"],
        capture_output=True, text=True, encoding="utf-8", env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )  # fmt: skip
    data = json.loads(out.stdout, parse_float=Decimal)
    return {u["unit"]: (f"{u['total']:.2f}", u["grade"]) for u in data["results"]["units"]}


def test_a_whole_year_by_clicks(tmp_path: Path, browser: object) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    d = browser
    find = d.find_element  # type: ignore[attr-defined]
    first_sent, xls, corrected = sent_files(tmp_path)
    workspace = tmp_path / "工作区"

    def click(element_id: str) -> None:
        find(By.ID, element_id).click()

    def visit(step: str, shot: str) -> str:
        click(f"nav-{step}")
        shoot(d, shot)
        text: str = find(By.TAG_NAME, "body").text
        data = [e.text for e in d.find_elements(By.CSS_SELECTOR, "code")]  # type: ignore[attr-defined]  # fingerprints
        assert english_words(functools.reduce(lambda t, x: t.replace(x, ""), [str(tmp_path), *data], text)) == set(), (
            step
        )
        unreached, undrawn = keyboard_walk(d)
        assert (unreached, undrawn) == ([], []), step
        return text

    def upload(files: list[Path], received: str, channel: str = "邮件") -> None:
        click("nav-returns")
        find(By.ID, "files").send_keys("\n".join(str(p) for p in files))
        find(By.ID, "received").send_keys(received)
        Select(find(By.ID, "channel")).select_by_visible_text(channel)
        click("upload")
        wait_text(d, f"收到 {len(files)} 个文件：保存 {len(files)} 个")

    def collect(shot: str) -> Path:
        click("nav-collect")
        click("run")
        wait_text(d, "汇总完成", 300)
        shoot(d, shot)
        return sorted((workspace / "out" / "results").iterdir())[-1]

    with UiServer(workspace) as server:
        d.get(server.url)  # type: ignore[attr-defined]
        find(By.ID, "key-file").send_keys(str(KEY))
        click("create")
        wait_text(d, "已建立 2022 年度工作区")

        click("nav-forms")
        click("generate")
        wait_for(d, "#dispatch")

        upload(first_sent, "2023-04-24 09:00")
        assert (workspace / "回收的评价表" / xls.name).read_bytes() == xls.read_bytes()  # kept as sent
        first_run = collect("year-01-collect")

        visit("chase", "year-02-chase")
        click("write-drafts")
        wait_text(d, "已写好 1 封催报邮件草稿。")
        shoot(d, "year-03-chase-drafts")
        drafts = [r.text for r in d.find_elements(By.CSS_SELECTOR, "#draft-list tbody tr")]  # type: ignore[attr-defined]
        assert len(drafts) == 1 and drafts[0].startswith("市工信局 ")

        # The corrected form came by WeChat on 04-23, before the mailed first version was received (04-24): the
        # latest received is adopted, so the clerk chooses the corrected one.
        upload([corrected], "2023-04-23 16:00", "微信")
        assert (workspace / "回收的评价表" / f"{Path(CORRECTED).stem} (2).xlsx").is_file()
        assert results_of(collect("year-04-collect-both")) == results_of(first_run)
        click("nav-returns")
        choose_corrected(d)
        chosen_run = collect("year-05-collect-chosen")
        assert results_of(chosen_run) == {**YEAR_END, "郾城区": ("75.50", "C")}

        visit("review", "year-06-review")
        assert tab_order(d, "adjust-unit", 6) == [
            ("adjust-unit", True), ("adjust-kind", True), ("adjust-amount", True), ("adjust-basis", True),
            ("adjust-remark", True), ("add-adjustment", True),
        ]  # fmt: skip
        Select(find(By.ID, "adjust-unit")).select_by_visible_text("郾城区")
        Select(find(By.ID, "adjust-kind")).select_by_visible_text("加分")
        find(By.ID, "adjust-amount").send_keys("5")
        find(By.ID, "adjust-basis").send_keys(BASIS)
        click("add-adjustment")
        wait_text(d, "已记入会议调整表：郾城区加分 5。重新汇总后生效。")
        shoot(d, "year-07-adjustment")
        assert [r.text for r in d.find_elements(By.CSS_SELECTOR, "#adjustment-list tbody tr")] == [  # type: ignore[attr-defined]
            f"郾城区 加分 5 分 {BASIS}"
        ]
        click("collect-again")
        wait_text(d, "汇总完成", 300)
        adjusted = sorted((workspace / "out" / "results").iterdir())[-1]
        assert results_of(adjusted) == YEAR_END

        visit("approval", "year-08-approval")
        Select(find(By.ID, "stage")).select_by_visible_text("审定稿")
        find(By.ID, "basis").send_keys(BASIS)
        click("approve")
        wait_text(d, "已记为审定稿")
        shoot(d, "year-09-approved")
        assert find(By.ID, "current-stage").text == "审定稿"
        assert BASIS in find(By.ID, "approval-record").text

        visit("archive", "year-10-archive")
        click("make-archive")
        wait_text(d, "已归档", 300)
        shoot(d, "year-11-archived")
        click("verify-1")
        wait_text(d, "核验通过")
        shoot(d, "year-12-verified")
        archive = workspace / "out" / "档案" / adjusted.name
        assert (archive / "SHA256SUMS.txt").is_file() and (archive / "卷内目录.xlsx").is_file()

        for step in ("wording", "reports", "rectify", "next_year", "key_backup"):
            visit(step, f"year-13-{step}")

    assert results_of(adjusted) == cli_results(workspace, tmp_path) == YEAR_END


def tab_order(d: object, first: str, count: int) -> list[tuple[str, bool]]:
    """From the top of the page, Tab until `first` has the focus, then the `count` controls the Tab key reaches from
    there, each with whether its focus is drawn (the outline the page's style gives a focused control)."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    d.execute_script("document.activeElement.blur(); window.scrollTo(0, 0);")  # type: ignore[attr-defined]
    reached: list[tuple[str, bool]] = []
    for _press in range(100):
        ActionChains(d).send_keys(Keys.TAB).perform()  # type: ignore[arg-type]
        focused = d.switch_to.active_element  # type: ignore[attr-defined]
        if reached or focused.get_attribute("id") == first:
            drawn = d.execute_script(  # type: ignore[attr-defined]
                "const s = getComputedStyle(arguments[0]);"
                "return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;",
                focused,
            )
            reached.append((focused.get_attribute("id") or "", bool(drawn)))
        if len(reached) == count:
            break
    return reached


CONTROLS = "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]), summary"
FOCUS_DRAWN = """const e = arguments[0], owner = e.closest('label.pick') || e, s = getComputedStyle(owner);
return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;"""


def keyboard_walk(d: object) -> tuple[list[str], list[str]]:
    """Tab through the whole page once: the visible controls the Tab key never reaches, and those it reaches
    without drawing the focus (an outline on the control, or on the label that stands for a file chooser)."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    controls = d.execute_script(  # type: ignore[attr-defined]
        f"return Array.from(document.querySelectorAll({json.dumps(CONTROLS)}))"
        ".filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden');"
    )
    d.execute_script("document.activeElement.blur(); window.scrollTo(0, 0);")  # type: ignore[attr-defined]
    reached, undrawn = [], []
    for _press in range(len(controls) + 5):
        ActionChains(d).send_keys(Keys.TAB).perform()  # type: ignore[arg-type]
        focused = d.switch_to.active_element  # type: ignore[attr-defined]
        if focused in reached or focused.tag_name in ("body", "html"):  # round the page, or out of it
            break
        reached.append(focused)
        if not d.execute_script(FOCUS_DRAWN, focused):  # type: ignore[attr-defined]
            undrawn.append(focused.get_attribute("id") or focused.text or focused.tag_name)
    unreached = [c.get_attribute("id") or c.text or c.tag_name for c in controls if c not in reached]
    return unreached, undrawn


def choose_corrected(d: object) -> None:
    """On the returns page, 市工信局's corrected form (kept as “… (2).xlsx”) is chosen to be adopted."""
    name = f"{Path(CORRECTED).stem} (2).xlsx"
    d.find_element("css selector", f'button[aria-label="采用 {name}"]').click()  # type: ignore[attr-defined]
    wait_text(d, f"已选定采用市工信局的 {name}，其他版本不再采用")
    shoot(d, "year-04b-returns-chosen")
