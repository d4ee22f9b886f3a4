"""Benchmark: generating and collecting forms for 8, 200 and 3,000 units on the 2022 items.

Each size runs in its own child process so that peak memory (max RSS) is per size.
Prints a Markdown table; `--write` also writes docs/benchmarks.md.

    python scripts/benchmark.py [--sizes 8,200,3000] [--write]
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def measure(units: int) -> dict[str, float]:
    """Generate, fill (openpyxl, as `qe simulate` does) and collect forms for `units` synthetic units."""
    from qe_workbook.forms.fill import fill_form
    from qe_workbook.forms.generate import generate_forms
    from qe_workbook.forms.simulate import clean_answers
    from qe_workbook.intake.collect import collect
    from qe_workbook.rubric import Unit, load_rubric
    from qe_workbook.scoring.score import score

    rubric = load_rubric(ROOT / "rubric.json").rubric
    assert rubric is not None
    rubric = replace(rubric, units=tuple(Unit(f"单位{n:04d}", f"第{n}号单位") for n in range(1, units + 1)))
    key = bytes(range(32))
    figures: dict[str, float] = {"units": units}
    with tempfile.TemporaryDirectory() as tmp:
        forms, returned = Path(tmp) / "forms", Path(tmp) / "returned"
        start = time.perf_counter()
        result = generate_forms(rubric, forms, key, generated_at=datetime(2023, 3, 6))
        figures["generate_s"] = time.perf_counter() - start
        figures["form_rows"] = sum(f.rows for f in result.forms)
        figures["forms_mb"] = sum(f.path.stat().st_size for f in result.forms) / 1e6
        answers = clean_answers(rubric, 1)
        start = time.perf_counter()
        for form in result.forms:
            fill_form(form.path, returned / form.path.name, answers[form.evaluator.name], date(2023, 4, 20))
        figures["fill_s"] = time.perf_counter() - start
        start = time.perf_counter()
        collected = collect(returned, rubric, key)
        figures["collect_s"] = time.perf_counter() - start
        start = time.perf_counter()
        results = score(collected.frame, rubric)
        figures["score_s"] = time.perf_counter() - start
        assert all(u.complete for u in results.units) and not collected.problems
        figures["frame_rows"] = len(collected.frame)
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


def table(rows: list[dict[str, float]]) -> str:
    lines = [
        "| 被考核单位数 | 评价表行数（合计） | 评价表大小 | 生成 | 模拟填写（openpyxl） | 汇总核验 | 计分 | 明细行数 | 峰值内存 |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['units']:,.0f} | {r['form_rows']:,.0f} | {r['forms_mb']:.1f} MB | {r['generate_s']:.2f} s "
            f"| {r['fill_s']:.2f} s | {r['collect_s']:.2f} s | {r['score_s']:.2f} s | {r['frame_rows']:,.0f} "
            f"| {r['peak_rss_mb']:.0f} MB |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="8,200,3000")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child)))
        return
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        out = subprocess.run([sys.executable, __file__, "--child", str(size)], check=True, capture_output=True,
                             text=True, cwd=ROOT).stdout  # fmt: skip
        rows.append(json.loads(out.strip().splitlines()[-1]))
        print(f"{size} units done", file=sys.stderr)
    text = table(rows)
    print(text)
    if args.write:
        machine = f"{platform.machine()}，{platform.python_implementation()} {platform.python_version()}"
        doc = ROOT / "docs" / "benchmarks.md"
        doc.write_text(
            "# 性能测试\n\n"
            "由 `python scripts/benchmark.py --write` 生成（2022 年度的 66 个项目、28 个评价部门，被考核单位为合成数据）。"
            "每种规模在单独的子进程中运行，峰值内存为该进程的最大常驻内存。\n\n"
            f"测试机器：{machine}，{date.today():%Y-%m-%d}。\n\n{text}\n\n"
            "- 生成：xlsxwriter 写出全部评价表和发放清单。\n"
            "- 模拟填写：用 openpyxl 打开、写入、保存每份评价表（相当于各部门填写，不计入市质强办的操作时间）。\n"
            "- 汇总核验：读取全部回收文件（文件类型与大小检查、defusedxml 结构扫描、python-calamine 读值、签名核验、逐格检查），"
            "建立 pandas 明细表。\n- 计分：按精确有理数计算各单位各项目得分、总分、等级和排名。\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
