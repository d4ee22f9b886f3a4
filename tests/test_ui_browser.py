"""The office's cycle in a real headless Chromium driving `qe ui`: create the workspace (with the sample
key), generate the forms, add the sample returns through the page, collect, see the ranking, download
master.xlsx — whose totals equal those of `qe collect` on the same files.

With QE_UI_SCREENSHOTS=folder, each page is also saved there at 1366×768 for a person to look at."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from qe_workbook.intake.receipts import read_record

from .conftest import ROOT, require_program
from .ui_server import UiServer

SAMPLES = ROOT / "samples"
PAGES = ("overview", "rubric", "forms", "returns", "collect", "results")


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = require_program("chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1366,768", f"--user-data-dir={tmp_path / 'profile'}"):  # fmt: skip
        options.add_argument(flag)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    driver = webdriver.Chrome(options=options, service=Service(require_program("chromedriver")))
    driver.downloads = downloads  # type: ignore[attr-defined]
    try:
        yield driver
    finally:
        driver.quit()


def shoot(driver: object, name: str) -> None:
    folder = os.environ.get("QE_UI_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(folder) / f"{name}.png"))  # type: ignore[attr-defined]


def wait_for(driver: object, css: str, seconds: float = 180) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, seconds).until(lambda d: d.find_elements("css selector", css))  # type: ignore[arg-type]


def wait_text(driver: object, text: str, seconds: float = 60) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, seconds).until(lambda d: text in d.page_source)  # type: ignore[attr-defined]


def cli_totals(tmp_path: Path) -> dict[str, Decimal]:
    out = subprocess.run(
        [sys.executable, "-m", "qe_workbook", "collect", str(SAMPLES / "returned"), "--key",
         str(SAMPLES / "qe-sample.key"), "--out", str(tmp_path / "cli"), "--json"],
        capture_output=True, text=True, encoding="utf-8", env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )  # fmt: skip
    data = json.loads(out.stdout, parse_float=Decimal)
    return {u["unit"]: u["total"] for u in data["results"]["units"]}


def master_totals(path: Path) -> dict[str, Decimal]:
    sheet = load_workbook(path, read_only=True)["汇总"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header_at = next(i for i, r in enumerate(rows) if "被考核单位" in r and "总分" in r)
    header = rows[header_at]
    unit, total = header.index("被考核单位"), header.index("总分")
    return {r[unit]: Decimal(str(r[total])).quantize(Decimal("0.01")) for r in rows[header_at + 1 :] if r[unit]}


def test_the_whole_cycle_in_a_real_browser(tmp_path: Path, browser: object) -> None:
    from selenium.webdriver.common.by import By

    d = browser
    with UiServer(tmp_path / "工作区") as server:
        d.get(server.url)  # type: ignore[attr-defined]
        shoot(d, "0-新建工作区")
        d.find_element(By.ID, "key-file").send_keys(str(SAMPLES / "qe-sample.key"))  # type: ignore[attr-defined]
        d.find_element(By.ID, "create").click()  # type: ignore[attr-defined]
        wait_text(d, "已建立 2022 年度工作区")

        d.find_element(By.ID, "nav-forms").click()  # type: ignore[attr-defined]
        d.find_element(By.ID, "generate").click()  # type: ignore[attr-defined]
        wait_for(d, "#dispatch")
        listed = d.find_elements(By.CSS_SELECTOR, "#dispatch-list tbody tr")  # type: ignore[attr-defined]
        assert len(listed) == 28 and "市住建局" in listed[7].text
        assert len(list((tmp_path / "工作区" / "out" / "forms").glob("*.xlsx"))) == 29  # 28 forms, 发放清单

        d.find_element(By.ID, "nav-returns").click()  # type: ignore[attr-defined]
        returned = sorted((SAMPLES / "returned").glob("*.xlsx"))
        d.find_element(By.ID, "files").send_keys("\n".join(str(p) for p in returned))  # type: ignore[attr-defined]
        d.find_element(By.ID, "upload").click()  # type: ignore[attr-defined]
        wait_text(d, f"收到 {len(returned)} 个文件：保存 {len(returned)} 个，未重复保存 0 个，未保存 0 个。")
        assert d.page_source.count("已保存：") == len(returned)  # type: ignore[attr-defined]
        kept = sorted(p.name for p in (tmp_path / "工作区" / "回收的评价表").iterdir())
        assert kept == sorted([p.name for p in returned] + ["收件记录.json", "收件记录.xlsx"])
        assert d.title == "回收的评价表 · 政府质量工作考核"  # type: ignore[attr-defined]
        listed = d.find_elements(By.CSS_SELECTOR, "#versions tbody tr")  # type: ignore[attr-defined]
        assert len(listed) == 28 and all("待汇总" in r.text for r in listed)

        d.find_element(By.ID, "nav-collect").click()  # type: ignore[attr-defined]
        d.find_element(By.ID, "run").click()  # type: ignore[attr-defined]
        wait_for(d, "section.job progress")
        wait_text(d, "汇总完成", 300)
        assert "全部评价表已采用且完整" in d.page_source  # type: ignore[attr-defined]
        ranking = [r.text for r in d.find_elements(By.CSS_SELECTOR, "#ranking tbody tr")]  # type: ignore[attr-defined]
        assert len(ranking) == 8 and ranking[0].startswith("1 开发区 ")

        d.find_element(By.ID, "nav-results").click()  # type: ignore[attr-defined]
        d.find_element(By.CSS_SELECTOR, 'a[title="master.xlsx"]').click()  # type: ignore[attr-defined]
        master = d.downloads / "master.xlsx"  # type: ignore[attr-defined]
        deadline = time.monotonic() + 60
        while not master.is_file() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert master_totals(master) == cli_totals(tmp_path)

        for page in PAGES:
            d.find_element(By.ID, f"nav-{page}").click()  # type: ignore[attr-defined]
            shoot(d, f"{PAGES.index(page) + 1}-{page}")
            text = d.find_element(By.TAG_NAME, "body").text  # type: ignore[attr-defined]
            assert english_words(text.replace(str(tmp_path), "")) == set(), page

        d.find_element(By.ID, "nav-rubric").click()  # type: ignore[attr-defined]
        d.find_element(By.ID, "next-year").click()  # type: ignore[attr-defined]
        wait_text(d, "已生成 2023 年度考核细则工作簿 rubric-2023.xlsx")
        shoot(d, "7-rubric-next-year")
        assert d.find_elements(By.ID, "next-year-xlsx")  # type: ignore[attr-defined]
        assert (tmp_path / "工作区" / "rubric-2023.xlsx").is_file()
        text = d.find_element(By.TAG_NAME, "body").text  # type: ignore[attr-defined]
        assert english_words(text.replace(str(tmp_path), "")) == set()


WORD = re.compile(r"[A-Za-z_]{2,}")
RUBRIC_WORDS = set(WORD.findall((ROOT / "rubric.json").read_text(encoding="utf-8")))  # the office's own data
NOT_WORDS = re.compile(r"\S+\.(xlsx|xls|zip|csv|docx|json|key|log)\b|\S+@\S+|--[a-z-]+|qe [a-z]+")


def english_words(text: str) -> set[str]:
    """English words a person sees, leaving out file names, e-mail addresses, option names, commands, and
    what the rubric itself holds (its field names and text, such as CCC): the only Latin text a page may show."""
    return {w for w in WORD.findall(NOT_WORDS.sub(" ", text)) if w not in RUBRIC_WORDS}


def test_files_dropped_on_the_upload_area_are_chosen(tmp_path: Path, browser: object) -> None:
    from selenium.webdriver.common.by import By

    d = browser
    with UiServer(tmp_path / "工作区") as server:
        d.get(server.url)  # type: ignore[attr-defined]
        d.find_element(By.ID, "create").click()  # type: ignore[attr-defined]
        wait_text(d, "已建立 2022 年度工作区")
        d.find_element(By.ID, "nav-returns").click()  # type: ignore[attr-defined]
        two = sorted((SAMPLES / "returned").glob("*.xlsx"))[:2]
        d.find_element(By.ID, "files").send_keys("\n".join(str(p) for p in two))  # type: ignore[attr-defined]
        chosen = d.execute_script(  # type: ignore[attr-defined]
            """const input = document.getElementById("files");
            const dropped = new DataTransfer();
            for (const f of input.files) dropped.items.add(f);
            input.value = "";
            const before = input.files.length;
            document.getElementById("drop").dispatchEvent(new DragEvent("drop", {dataTransfer: dropped, bubbles: true}));
            return [before, input.files.length, document.getElementById("chosen").textContent];"""
        )
        assert chosen[:2] == [0, 2] and chosen[2].startswith("已选择 2 个文件：")
        d.find_element(By.ID, "upload").click()  # type: ignore[attr-defined]
        wait_text(d, "收到 2 个文件：保存 2 个，未重复保存 0 个，未保存 0 个。")
        kept = sorted(p.name for p in (tmp_path / "工作区" / "回收的评价表").iterdir())
        assert kept == sorted([p.name for p in two] + ["收件记录.json", "收件记录.xlsx"])

        from selenium.webdriver.support.ui import Select

        sent = tmp_path / "发出"
        sent.mkdir()
        xls = sent / "市住建局评价表（修改后）.xls"
        xls.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 504)
        long = sent / ("市场监管局" + "关于报送质量工作考核评价表的函" * 5 + ".xlsx")  # 80 characters, 245 bytes
        long.write_bytes(two[0].read_bytes() + b"\0")
        d.find_element(By.ID, "files").send_keys("\n".join(str(p) for p in (xls, long, two[0])))  # type: ignore[attr-defined]
        d.find_element(By.ID, "received").send_keys("2023-04-28 16:00")  # type: ignore[attr-defined]
        Select(d.find_element(By.ID, "channel")).select_by_visible_text("微信")  # type: ignore[attr-defined]
        d.find_element(By.ID, "upload").click()  # type: ignore[attr-defined]
        wait_text(d, "收到 3 个文件：保存 2 个，未重复保存 1 个，未保存 0 个。")
        shoot(d, "8-returns-upload")
        text = d.find_element(By.TAG_NAME, "body").text  # type: ignore[attr-defined]
        assert f"已保存：{xls.name}\n" in text and f"已保存：{long.name}（文件名过长，保存为 " in text
        assert f"未重复保存：{two[0].name} 与已收到的 回收的评价表/{two[0].name} 内容相同。" in text
        returned = tmp_path / "工作区" / "回收的评价表"
        assert (returned / xls.name).read_bytes() == xls.read_bytes()
        book, _ = read_record(returned / "收件记录.json")
        assert [(r.file, r.channel, r.shown_time()) for r in book.receipts[2:]] == [
            (xls.name, "微信", "2023-04-28 16:00"), (long.name, "微信", "2023-04-28 16:00")
        ]  # fmt: skip


def test_the_first_half_of_the_year_by_keyboard_and_clicks(tmp_path: Path, browser: object) -> None:
    """The units' packages and their check, the forms and a correction form chosen by the keyboard alone, a
    corrected form re-sent under the same name (adopted by its later receipt), an earlier version set aside:
    each page as a clerk uses it, and the overview saying what to do at each point."""
    import zipfile

    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    from qe_workbook.forms.fill import fill_form
    from qe_workbook.rubric import load_rubric
    from qe_workbook.units.simulate import simulate_units

    from .test_ui_year import tab_order

    d = browser
    root = tmp_path / "工作区"
    with UiServer(root) as server:
        d.get(server.url)  # type: ignore[attr-defined]
        d.find_element(By.ID, "key-file").send_keys(str(SAMPLES / "qe-sample.key"))  # type: ignore[attr-defined]
        d.find_element(By.ID, "create").click()  # type: ignore[attr-defined]
        wait_text(d, "已建立 2022 年度工作区")
        steps = d.find_element(By.ID, "next").text  # type: ignore[attr-defined]
        assert "评价表尚未下发，还不需要催报" in steps and "请催报" not in d.page_source  # type: ignore[attr-defined]
        shoot(d, "h1-overview-new")

        d.find_element(By.ID, "nav-units").click()  # type: ignore[attr-defined]
        d.find_element(By.ID, "units-generate").click()  # type: ignore[attr-defined]
        wait_text(d, "已为 8 个被考核单位生成材料包")
        rubric = load_rubric(root / "rubric.json").rubric
        assert rubric is not None
        sent = simulate_units(rubric, root / "out" / "units", tmp_path / "县区发来")
        materials = sorted(p for p in sent.rglob("*") if p.suffix in (".docx", ".xlsx") and p.parent != sent)
        d.find_element(By.ID, "files").send_keys("\n".join(str(p) for p in materials))  # type: ignore[attr-defined]
        d.find_element(By.ID, "received").send_keys("2023-04-07 09:00")  # type: ignore[attr-defined]
        Select(d.find_element(By.ID, "channel")).select_by_visible_text("U盘")  # type: ignore[attr-defined]
        d.find_element(By.ID, "upload").click()  # type: ignore[attr-defined]
        wait_text(d, f"收到 {len(materials)} 个文件：保存 {len(materials)} 个")
        d.find_element(By.ID, "units-check").click()  # type: ignore[attr-defined]
        wait_text(d, "检查完成：全部收到且符合要求。", 120)
        statuses = d.find_elements(By.CSS_SELECTOR, "#units-status-table tbody tr")  # type: ignore[attr-defined]
        assert len(statuses) == 16 and all("已收到" in r.text for r in statuses)
        shoot(d, "h2-units")
        d.execute_script("document.getElementById('units-status-table').scrollIntoView()")  # type: ignore[attr-defined]
        shoot(d, "h2b-units-status")

        d.find_element(By.ID, "nav-forms").click()  # type: ignore[attr-defined]
        d.find_element(By.ID, "generate").send_keys(Keys.ENTER)  # type: ignore[attr-defined]
        wait_for(d, "#dispatch")
        evaluator = d.find_element(By.ID, "evaluator")  # type: ignore[attr-defined]
        evaluator.send_keys("市住")  # typed on the focused select: 市住建局
        reached = tab_order(d, "evaluator", 4)
        assert [r[0] for r in reached] == ["evaluator", "unit-1", "unit-2", "unit-3"] and all(r[1] for r in reached)
        d.switch_to.active_element.send_keys(Keys.SPACE)  # type: ignore[attr-defined]  # the third unit: 召陵区? by order
        third = d.find_element(By.ID, "unit-3").get_attribute("value")  # type: ignore[attr-defined]
        for _ in range(len(rubric.units) - 3 + 1):
            d.switch_to.active_element.send_keys(Keys.TAB)  # type: ignore[attr-defined]
        assert d.switch_to.active_element.get_attribute("id") == "correction"  # type: ignore[attr-defined]
        d.switch_to.active_element.send_keys(Keys.ENTER)  # type: ignore[attr-defined]
        wait_text(d, f"已生成市住建局的更正表（{third}，共 ")
        assert len(list((root / "out" / "corrections").glob("*.xlsx"))) == 1
        shoot(d, "h3-forms-correction")
        d.execute_script("document.getElementById('again').scrollIntoView()")  # type: ignore[attr-defined]
        shoot(d, "h3b-forms-again-correction")

        returned = sorted((SAMPLES / "returned").glob("*.xlsx"))
        first = returned[0]
        earlier = tmp_path / "先发" / first.name
        earlier.parent.mkdir()
        fill_form(first, earlier, {("舞阳县", "05-3"): (5, "满分")}, "2023-04-20")
        packed = tmp_path / "市公安局报送.zip"
        with zipfile.ZipFile(packed, "w") as archive:
            archive.write(returned[2], returned[2].name)
        d.find_element(By.ID, "nav-returns").click()  # type: ignore[attr-defined]
        others = [p for p in returned if p not in (first, returned[2])]
        d.find_element(By.ID, "files").send_keys("\n".join(str(p) for p in [earlier, packed, *others]))  # type: ignore[attr-defined]
        d.find_element(By.ID, "received").send_keys("2023-04-25 09:00")  # type: ignore[attr-defined]
        d.find_element(By.ID, "upload").click()  # type: ignore[attr-defined]
        wait_text(d, "收到 28 个文件：保存 28 个")
        d.find_element(By.ID, "files").send_keys(str(first))  # type: ignore[attr-defined]
        d.find_element(By.ID, "received").send_keys("2023-04-28 10:00")  # type: ignore[attr-defined]
        d.find_element(By.ID, "upload").click()  # type: ignore[attr-defined]
        resent = f"{first.stem} (2).xlsx"
        wait_text(d, f"已保存：{first.name}（")
        assert (root / "回收的评价表" / resent).read_bytes() == first.read_bytes()

        d.find_element(By.ID, "nav-collect").click()  # type: ignore[attr-defined]
        Select(d.find_element(By.ID, "units-check")).select_by_index(1)  # type: ignore[attr-defined]
        d.find_element(By.ID, "run").click()  # type: ignore[attr-defined]
        wait_text(d, "汇总完成", 300)
        assert "全部评价表已采用且完整" in d.page_source  # type: ignore[attr-defined]
        d.find_element(By.ID, "nav-returns").click()  # type: ignore[attr-defined]
        rows = [r.text for r in d.find_elements(By.CSS_SELECTOR, "#versions tbody tr")]  # type: ignore[attr-defined]
        assert any(f"已被更新的版本替代 已采用收到时间更晚的 {resent}" in r for r in rows)
        assert any(r.startswith(f"市公安局 已采用 {packed.name}") for r in rows)
        d.find_element(By.CSS_SELECTOR, f'button[data-set-aside="{first.name}"]').click()  # type: ignore[attr-defined]
        wait_text(d, f"已搁置：已搁置/{first.name}")
        assert (root / "回收的评价表" / "已搁置" / first.name).is_file()
        shoot(d, "h4-returns")
        d.execute_script("document.getElementById('versions').scrollIntoView()")  # type: ignore[attr-defined]
        shoot(d, "h4b-returns-versions")
        reached = tab_order(d, "files", 4)
        assert [r[0] for r in reached] == ["files", "received", "channel", "upload"] and all(r[1] for r in reached)

        d.find_element(By.ID, "nav-overview").click()  # type: ignore[attr-defined]
        steps = d.find_element(By.ID, "next").text  # type: ignore[attr-defined]
        assert "28 个评价部门中 28 个已采用" in steps and "生成得分核对单" in steps
        shoot(d, "h5-overview-collected")
        for page in ("units", "forms", "returns", "collect", "overview"):
            d.find_element(By.ID, f"nav-{page}").click()  # type: ignore[attr-defined]
            text = d.find_element(By.TAG_NAME, "body").text  # type: ignore[attr-defined]
            assert english_words(text.replace(str(tmp_path), "")) == set(), page
