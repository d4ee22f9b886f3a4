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
NOT_WORDS = re.compile(r"\S+\.(xlsx|csv|docx|json|key|log)\b|\S+@\S+|--[a-z-]+|qe [a-z]+")


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
