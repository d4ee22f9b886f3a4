"""Benchmark of the Word templates (documents/templating.py): CPU time of one render of the 通报, of a feedback
letter (its fields made and its template filled) and of a department's 共性问题, each for 8 units (the 2022 plan)
and the 通报 and 共性问题 for 180 units too, and of 180 letters written one after another in one process.

The contexts are the kinds' own: the 2022 one from a simulated year (demo.sample_results), the 180-unit one
made from it by repeating its units under new names (rendering depends on the amount of text, not on where it
came from). CPU time (user + system of this process), median of --runs renders after one warm-up render.

    python scripts/template_benchmark.py [--runs 20] [--write]

With --write the table replaces the section "文书模板的填写速度" of docs/benchmarks.md (scripts/benchmark.py
keeps that section when it rewrites the page).
"""

from __future__ import annotations

import argparse
import copy
import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from qe_workbook.demo import sample_results
from qe_workbook.documents.common_docx import COMMON
from qe_workbook.documents.feedback_kind import FEEDBACK
from qe_workbook.documents.kinds import SAMPLE_CONTEXTS
from qe_workbook.documents.letter_context import letter_context
from qe_workbook.documents.notice_docx import NOTICE
from qe_workbook.documents.templating import DocumentKind, render
from qe_workbook.rubric import load_rubric
from qe_workbook.rubric.load import BUNDLED_RUBRIC

ROOT = Path(__file__).resolve().parents[1]
MARKER = "## 文书模板的填写速度"
UNITS = 180


def cpu_ms(kind: DocumentKind, context: dict[str, Any], runs: int) -> float:
    return median_ms(lambda: render(kind, context), runs)


def median_ms(work: Callable[[], object], runs: int) -> float:
    work()
    times = []
    for _ in range(runs):
        start = time.process_time()
        work()
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)


def notice_for(context: dict[str, Any], units: int) -> dict[str, Any]:
    """The 通报's context with `units` units: the 2022 ones repeated under numbered names."""
    grown = copy.deepcopy(context)
    names = [f"第{n}单位" for n in range(1, units + 1)]
    grown["主送"] = [f"{name}人民政府" for name in names]
    per = -(-units // len(grown["考核结果"]))
    for n, group in enumerate(grown["考核结果"]):
        group["单位"] = [{**group["单位"][0], "名称": f"{name}人民政府"} for name in names[n * per : (n + 1) * per]]
        group["单位数"] = len(group["单位"])
    return grown


def common_for(context: dict[str, Any], units: int) -> dict[str, Any]:
    """A department's 共性问题 with each item lost by `units` units."""
    grown = copy.deepcopy(context)
    for item in grown["项目"]:
        item["失分"] = [{**item["失分"][n % len(item["失分"])], "单位": f"第{n + 1}单位"} for n in range(units)]
        item["失分单位数"] = str(units)
    return grown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    rubric = load_rubric(BUNDLED_RUBRIC).rubric
    assert rubric is not None
    results = sample_results(rubric)
    issued = date(2023, 5, 8)
    notice = SAMPLE_CONTEXTS[NOTICE.name](rubric, results, issued)[0]
    common = SAMPLE_CONTEXTS[COMMON.name](rubric, results, issued)[0]
    most = max(results.units, key=lambda u: sum(1 for s in u.items if s.lost))  # the longest letter

    def letter() -> bytes:
        return render(FEEDBACK, letter_context(rubric, results, most, issued, "初稿"))

    rows = [
        ("通报", "8 个单位（2022 年度）", cpu_ms(NOTICE, notice, args.runs)),
        ("通报", f"{UNITS} 个单位", cpu_ms(NOTICE, notice_for(notice, UNITS), args.runs)),
        ("反馈意见（失分项目最多的单位，约十页：字段和填写）", "8 个单位（2022 年度）", median_ms(letter, args.runs)),
        ("共性问题（一个部门，约两页、一张表，与反馈意见篇幅相当）", "8 个单位（2022 年度）", cpu_ms(COMMON, common, args.runs)),
        ("共性问题（一个部门）", f"{UNITS} 个单位（每个项目 {UNITS} 行）",
         cpu_ms(COMMON, common_for(common, UNITS), max(3, args.runs // 4))),
    ]  # fmt: skip
    start = time.process_time()
    for _ in range(UNITS):
        letter()
    whole = time.process_time() - start
    lines = [
        MARKER,
        "",
        f"由 `python scripts/template_benchmark.py --write` 生成（{date.today():%Y-%m-%d}，处理器时间，"
        f"预热一次后 {args.runs} 次的中位数；机器为多个开发进程共用的 2 核）。内置模板，docxtpl 填写并写出 .docx 字节。",
        "",
        "| 文书 | 数据 | 每份处理器时间 |",
        "| --- | --- | ---: |",
        *(f"| {name} | {data} | {ms:.1f} ms |" for name, data, ms in rows),
        f"| {UNITS} 份反馈意见（同一进程依次做字段和填写；`qe collect` 在 100 个单位以上时由并行的进程分批写出）"
        f" | 8 个单位的数据 | 共 {whole:.2f} s |",
        "",
        "模板文件只含文书需要的部件（样式表约 2 KB，没有 python-docx 默认模板的 350 KB 样式表、438 KB "
        "stylesWithEffects、主题、编号、缩略图）：默认模板上的同一份通报需 19.5 ms，精简后 7.8 ms。Jinja2 模板按模板文字"
        "缓存编译结果（同一模板的文书只编译一次）：不缓存时通报 15.2 ms、共性问题 12.3 ms，缓存后 4.5 ms、4.7 ms"
        "（3.4 倍、2.6 倍；守护测试为 tests/test_templating.py 的"
        " test_a_template_compiled_once_gives_what_a_fresh_compile_gives）。docxtpl 每次填写都要用正则表达式把各部件的 XML"
        "整理成 Jinja2 模板、再在填好的 XML 中查找制表符和换行：现在每个部件的整理结果按 XML 文字保留，填好的 XML 中没有制表符"
        "和换行时不再逐段查找（通报 8.1 → 5.3 ms；守护测试 test_the_prepared_parts_fill_as_docxtpl_itself_fills_them："
        "逐部件与 docxtpl 自己填写的相同）。",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write:
        page = ROOT / "docs" / "benchmarks.md"
        before = page.read_text(encoding="utf-8").split(MARKER)[0].rstrip("\n")
        page.write_text(f"{before}\n\n{text}", encoding="utf-8")


if __name__ == "__main__":
    main()
