"""Benchmark of `qe collect` against the floor and a naive pandas script: a city (8 units, the 2022 rubric as
it is), a province (180 synthetic units) and 3,000 synthetic units, on the 2022 items.

For each size: forms are generated and filled once (openpyxl, as `qe simulate` does) into a work folder;
then, several times each, as separate processes:
- the floor: one Python process that opens every returned file with python-calamine and reads every cell
  of every sheet;
- the naive script a user would write instead: pd.read_excel of every form, concat, groupby sum;
- the stages of `qe collect` timed inside one process (read+check, frame+score, master.xlsx,
  JSON/CSV/audit, Word documents and charts);
- the whole command `qe collect --no-report` and `qe collect`, as processes (CPU time, peak memory);
- the start-up commands: `qe --help`, `qe rubric check`, a usage error, and `qe demo`.
The machine may be shared, so every figure is CPU time (user + system, the children's included), not wall
time. Medians over `--runs` runs. POSIX only (os.wait4 for memory). With `--fast-paths`, each hand-written
fast path is switched off in turn and its own stage timed at 180 units.

    python scripts/benchmark.py [--sizes 8,180,3000] [--runs 3] [--large-runs 1] [--reports-up-to 3000]
                                [--work DIR] [--write] [--fast-paths]

With Word documents only sizes up to --reports-up-to are measured; sizes of 1,000 units and more are run
--large-runs times (each run takes minutes).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QE = [sys.executable, "-m", "qe_workbook"]


def prepare(units: int, work: Path) -> None:
    """rubric.json with `units` synthetic units, a key, the forms, and every form filled into returned/."""
    from qe_workbook.forms.fill import fill_form
    from qe_workbook.forms.generate import generate_forms
    from qe_workbook.forms.simulate import clean_answers
    from qe_workbook.keys import create_key
    from qe_workbook.rubric import load_rubric

    data = json.loads((ROOT / "rubric.json").read_text(encoding="utf-8"))
    if units != len(data["units"]):  # 8: the city of the 2022 rubric as it is
        data["units"] = [{"name": f"单位{n:04d}", "full_name": f"第{n}号单位"} for n in range(1, units + 1)]
    work.mkdir(parents=True, exist_ok=True)
    (work / "rubric.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    rubric = load_rubric(work / "rubric.json").rubric
    assert rubric is not None
    key = create_key(work / "qe.key")
    result = generate_forms(rubric, work / "forms", key, generated_at=datetime(2023, 3, 6))
    answers = clean_answers(rubric, 1)
    for form in result.forms:
        fill_form(form.path, work / "returned" / form.path.name, answers[form.evaluator.name], date(2023, 4, 20))
    (work / "ready").write_text(json.dumps({"form_rows": sum(f.rows for f in result.forms)}), encoding="utf-8")


def floor(returned: Path) -> int:
    """Read every cell of every sheet of every returned file with python-calamine; returns the cells read."""
    from python_calamine import CalamineWorkbook

    cells = 0
    for path in sorted(returned.iterdir()):
        wb = CalamineWorkbook.from_path(str(path))
        for name in wb.sheet_names:
            for row in wb.get_sheet_by_name(name).to_python():
                cells += len(row)
    return cells


def naive(returned: Path) -> int:
    """What a user would write instead of qe: every form read with pd.read_excel (its default engine), the
    merged unit column filled down, one frame, the scores summed per unit. Returns the units summed."""
    import pandas as pd

    frames = []
    for path in sorted(returned.iterdir()):
        frame = pd.read_excel(path, sheet_name=0, header=3, engine="openpyxl")  # the default engine today
        frame["所评县区"] = frame["所评县区"].ffill()
        frames.append(frame)
    rows = pd.concat(frames, ignore_index=True)
    rows["实际得分"] = pd.to_numeric(rows["实际得分"], errors="coerce")
    return len(rows.groupby("所评县区")["实际得分"].sum())


def cpu() -> float:
    """CPU seconds (user + system) of this process and of the children it has waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def stages(work: Path, out: Path, reports: bool = True) -> dict[str, float]:
    """Each stage of `qe collect` timed in this process (CPU seconds), as run_collect runs them."""
    start = cpu()
    from qe_workbook.documents.reports import write_reports
    from qe_workbook.intake.collect import collect
    from qe_workbook.keys import read_key
    from qe_workbook.outputs.export import write_plain_outputs
    from qe_workbook.outputs.master import write_master
    from qe_workbook.record.adopted import adopt
    from qe_workbook.rubric import load_rubric

    rubric = load_rubric(work / "rubric.json").rubric
    key, _ = read_key(work / "qe.key")
    assert rubric is not None and key is not None
    t: dict[str, float] = {"import": cpu() - start}

    def timed(name: str, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        begin = cpu()
        value = fn(*args, **kwargs)
        t[name] = cpu() - begin
        return value

    collected = timed("read_check", collect, work / "returned", rubric, key)
    t["read_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    adopted = timed("frame_score", adopt, collected.frame, rubric, None)  # as run_collect scores and adopts
    results = adopted.results
    assert not collected.problems and all(u.complete for u in results.units)
    problems = collected.problems + results.problems
    out.mkdir(parents=True, exist_ok=True)
    timed("master", write_master, out / "master.xlsx", rubric, results, collected, problems)
    timed("plain", write_plain_outputs, out, rubric, adopted, collected, problems)
    if reports:
        timed("reports", write_reports, out, rubric, results)
    return t


FAST_PATHS = {  # name: (module, attribute, the stage it speeds up, what it is)
    "cell_text": ("qe_workbook.intake.read_form", "_float_text", "read_check", "读取：数值单元格文字的缓存"),
}


def fast_path_stage(name: str, work: Path, out: Path, off: bool) -> float:
    """CPU seconds of the stage a fast path speeds up, with the fast path on or switched off (its cache
    unwrapped: the general code runs for every call)."""
    import importlib

    module_name, attribute, stage, _ = FAST_PATHS[name]
    if off:
        module = importlib.import_module(module_name)
        owner_name, _, leaf = attribute.rpartition(".")
        owner = getattr(module, owner_name) if owner_name else module
        plain = getattr(owner, leaf).__wrapped__
        setattr(owner, leaf, staticmethod(plain) if owner_name else plain)
    from qe_workbook.documents.reports import write_reports
    from qe_workbook.intake.collect import collect
    from qe_workbook.keys import read_key
    from qe_workbook.outputs.master import write_master
    from qe_workbook.rubric import load_rubric
    from qe_workbook.scoring.score import score

    rubric = load_rubric(work / "rubric.json").rubric
    key, _ = read_key(work / "qe.key")
    assert rubric is not None and key is not None
    out.mkdir(parents=True, exist_ok=True)
    begin = cpu()
    collected = collect(work / "returned", rubric, key)
    if stage == "read_check":
        return cpu() - begin
    results = score(collected.frame, rubric)
    begin = cpu()
    if stage == "master":
        write_master(out / "master.xlsx", rubric, results, collected, collected.problems)
    else:
        write_reports(out, rubric, results)
    return cpu() - begin


def measure_fast_paths(units: int, work_root: Path, runs: int) -> dict[str, float]:
    """Each fast path's own stage on and off (median CPU seconds over `runs` processes each)."""
    work = prepared(units, work_root)
    figures: dict[str, float] = {}
    for name in FAST_PATHS:
        for off in (False, True):
            seconds = []
            for _ in range(runs):
                text = subprocess.run([sys.executable, __file__, "--fast-path", name, str(work), str(work / "fast"),
                                       *(["--off"] if off else [])], check=True, cwd=ROOT, capture_output=True,
                                      text=True).stdout  # fmt: skip
                seconds.append(float(text.strip().splitlines()[-1]))
            figures[f"{name}_{'off' if off else 'on'}"] = statistics.median(seconds)
        shutil.rmtree(work / "fast", ignore_errors=True)
    return figures


def run_process(cmd: list[str]) -> tuple[float, float, float]:
    """Wall seconds, peak memory (MB) and CPU seconds (user + system) of one command run as a process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def median_of(cmd: list[str], runs: int) -> tuple[float, float, float]:
    """Median wall seconds, largest peak memory (MB) and median CPU seconds over `runs` runs after a warm-up
    (none for a single run)."""
    if runs > 1:
        run_process(cmd)
    figures = [run_process(cmd) for _ in range(runs)]
    return (
        statistics.median(f[0] for f in figures),
        max(f[1] for f in figures),
        statistics.median(f[2] for f in figures),
    )


def prepared(units: int, work_root: Path) -> Path:
    """The work folder of `units` units, its forms filled (made on first use)."""
    work = work_root / f"units-{units}"
    if not (work / "ready").exists():
        shutil.rmtree(work, ignore_errors=True)
        subprocess.run([sys.executable, __file__, "--prepare", str(units), str(work)], check=True, cwd=ROOT)
    return work


def measure_size(units: int, work_root: Path, runs: int, reports: bool = True) -> dict[str, float]:
    work = prepared(units, work_root)
    r: dict[str, float] = {"units": units, "runs": runs, **json.loads((work / "ready").read_text(encoding="utf-8"))}
    returned = work / "returned"
    r["files"] = len(list(returned.iterdir()))
    r["returned_mb"] = sum(p.stat().st_size for p in returned.iterdir()) / 1e6
    r["floor_s"], r["floor_mb"], r["floor_cpu"] = median_of([sys.executable, __file__, "--floor", str(returned)], runs)
    r["naive_s"], r["naive_mb"], r["naive_cpu"] = median_of([sys.executable, __file__, "--naive", str(returned)], runs)
    per_stage: dict[str, list[float]] = {}
    for n in range(max(1, runs // 2)):
        out = work / f"stages-{n}"
        shutil.rmtree(out, ignore_errors=True)
        text = subprocess.run([sys.executable, __file__, "--stages", str(work), str(out), *([] if reports else ["--no-reports"])],
                              check=True, cwd=ROOT, capture_output=True, text=True).stdout  # fmt: skip
        for name, value in json.loads(text.strip().splitlines()[-1]).items():
            per_stage.setdefault(name, []).append(value)
        shutil.rmtree(out, ignore_errors=True)
    r.update({f"stage_{k}": statistics.median(v) for k, v in per_stage.items()})
    collect = [*QE, "collect", str(returned), "--rubric", str(work / "rubric.json"), "--key", str(work / "qe.key"),
               "--out", str(work / "results")]  # fmt: skip
    r["no_report_s"], r["no_report_mb"], r["no_report_cpu"] = median_of([*collect, "--no-report"], runs)
    if reports:
        r["report_s"], r["report_mb"], r["report_cpu"] = median_of(collect, runs)
    r["load"] = os.getloadavg()[0]
    shutil.rmtree(work / "results", ignore_errors=True)
    return r


def startup(runs: int, work_root: Path) -> dict[str, float]:
    demo = work_root / "demo"
    commands = {
        "help": ([*QE, "--help"], runs),
        "rubric_check": ([*QE, "rubric", "check"], runs),
        "usage_error": ([*QE, "collect"], runs),
        "no_command": ([*QE, "nosuchcommand"], runs),
        "demo": ([*QE, "demo", "--out", str(demo)], max(1, runs // 2)),
    }
    figures = {}
    for name, (cmd, n) in commands.items():
        wall, _, cpu = median_of(cmd, n)
        figures[f"{name}_s"], figures[f"{name}_cpu"] = wall, cpu
    shutil.rmtree(demo, ignore_errors=True)
    return figures


def _fig(r: dict[str, float], key: str, spec: str = ".2f") -> str:
    return format(r[key], spec) if key in r else "未测"


def _ratio(r: dict[str, float], key: str, floor: str) -> str:
    return f"{r[key] / r[floor]:.1f}×" if key in r else "—"


def verdict(ok: bool) -> str:
    return "达到" if ok else "未达到"


def report(rows: list[dict[str, float]], start: dict[str, float], runs: int, startup_runs: int = 10,
           fast: dict[str, float] | None = None) -> str:  # fmt: skip
    loads = [r["load"] for r in rows if "load" in r]
    lines = [
        (f"测得时的一分钟平均负载：{'、'.join(f'{x:.1f}' for x in loads)}。" if loads else "")
        + "机器由多个进程共用，各项都是处理器时间（用户 + 系统，含子进程，秒），不是墙钟时间；为表中“次数”次运行的"
        "中位数。“整个命令”“下限”和“pandas 脚本”都是独立进程（含 Python 启动）；峰值内存为该进程的最大常驻内存，"
        "“读取后”是分阶段计时的进程读完全部回收文件时的峰值内存。",
        "",
        "| 被考核单位数 | 次数 | 回收文件 | 评价表行数 | 下限（calamine 读全部单元格） | pandas 脚本 | 读取核验 "
        "| 明细表与计分 | master.xlsx | JSON/CSV/审计 | 反馈文书与图表 | collect --no-report | 对下限 | 对 pandas "
        "| collect（含文书） | 对下限 | 对 pandas | 峰值内存（读取后/不含文书/含文书/pandas 脚本） |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['units']:,.0f} | {r.get('runs', runs):.0f} | {r['files']:.0f}（{r['returned_mb']:.1f} MB） "
            f"| {r['form_rows']:,.0f} | {r['floor_cpu']:.2f} | {_fig(r, 'naive_cpu')} | {r['stage_read_check']:.2f} "
            f"| {r['stage_frame_score']:.2f} | {r['stage_master']:.2f} | {r['stage_plain']:.2f} "
            f"| {_fig(r, 'stage_reports')} | {r['no_report_cpu']:.2f} | {_ratio(r, 'no_report_cpu', 'floor_cpu')} "
            f"| {_ratio(r, 'no_report_cpu', 'naive_cpu')} | {_fig(r, 'report_cpu')} "
            f"| {_ratio(r, 'report_cpu', 'floor_cpu')} | {_ratio(r, 'report_cpu', 'naive_cpu')} "
            f"| {r.get('stage_read_mb', 0):.0f} / {r['no_report_mb']:.0f} / {_fig(r, 'report_mb', '.0f')} "
            f"/ {_fig(r, 'naive_mb', '.0f')} MiB |"
        )
    lines += [
        "",
        "墙钟时间（秒，仅供参考：机器繁忙时随负载变化）：",
        "",
        "| 被考核单位数 | 下限 | pandas 脚本 | collect --no-report | collect（含文书） |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['units']:,.0f} | {r['floor_s']:.2f} | {_fig(r, 'naive_s')} | {r['no_report_s']:.2f} "
            f"| {_fig(r, 'report_s')} |"
        )
    lines += ["", "目标（处理器时间）："]
    by = {int(r["units"]): r for r in rows}
    for n in (180, 3000):
        if n in by:
            cpu = by[n]["no_report_cpu"] / by[n]["floor_cpu"]
            lines.append(f"1. {n:,} 个单位 `collect --no-report` ≤ 下限的 3 倍：{cpu:.1f} 倍，{verdict(cpu <= 3)}。")
    if 180 in by and "report_cpu" in by[180]:
        cpu = by[180]["report_cpu"] / by[180]["floor_cpu"]
        lines.append(f"2. 180 个单位 `collect`（含文书）≤ 下限的 10 倍：{cpu:.1f} 倍，{verdict(cpu <= 10)}。")
    if 180 in by and 3000 in by and "report_cpu" in by[180] and "report_cpu" in by[3000]:
        ratio = by[3000]["report_cpu"] / by[180]["report_cpu"]
        lines.append(
            f"2. 3,000 个单位的 `collect` ≤ 180 个单位的 18 倍（单位数之比 16.7 倍再加一成）：{ratio:.1f} 倍，"
            f"{verdict(ratio <= 18)}。"
        )
    if 3000 in by:
        mb = max(by[3000]["no_report_mb"], by[3000].get("report_mb", 0))
        which = "" if "report_mb" in by[3000] else "（不含文书的汇总）"
        lines.append(f"3. 3,000 个单位峰值内存 < 1 GiB（1,024 MiB）：{mb:.0f} MiB{which}，{verdict(mb < 1024)}。")
    if start:
        worst = max(start["help_cpu"], start["rubric_check_cpu"], start["usage_error_cpu"], start["no_command_cpu"])
        lines.append(
            f"4. 启动（各 {startup_runs} 次、`qe demo` {max(1, startup_runs // 2)} 次的中位数）：`qe --help` "
            f"{start['help_cpu']:.2f} s、`qe rubric check` {start['rubric_check_cpu']:.2f} s、用法错误 "
            f"{start['usage_error_cpu']:.2f} s、未知命令 {start['no_command_cpu']:.2f} s（≤ 0.25 s：{verdict(worst <= 0.25)}）；"
            f"`qe demo` {start['demo_cpu']:.2f} s（墙钟 {start['demo_s']:.2f} s，≤ 2 s：{verdict(start['demo_s'] <= 2)}）。"
        )
    if fast:
        lines += [
            "",
            "手写的快速路径（180 个单位，各自所在阶段的处理器时间，关闭 = 去掉缓存、每次都走通用代码）：",
            "",
            "| 快速路径 | 所在阶段 | 开启 | 关闭 | 提速 | 是否保留（≥ 2 倍） |",
            "| --- | --- | ---: | ---: | ---: | --- |",
        ]
        stage_names = {"read_check": "读取核验", "master": "master.xlsx", "reports": "反馈文书与图表"}
        for name, (_, attribute, stage, label) in FAST_PATHS.items():
            if f"{name}_on" in fast:
                on, off = fast[f"{name}_on"], fast[f"{name}_off"]
                lines.append(
                    f"| {label}（`{attribute}`） | {stage_names[stage]} | {on:.2f} | {off:.2f} | {off / on:.2f}× "
                    f"| {'保留' if off / on >= 2 else '不足 2 倍'} |"
                )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="8,180,3000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--large-runs", type=int, default=1, help="runs for sizes of 1,000 units and more")
    parser.add_argument("--reports-up-to", type=int, default=3000, help="measure with Word documents up to this size")
    parser.add_argument("--no-reports", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help="keep the generated forms here between runs")
    parser.add_argument("--no-startup", action="store_true")
    parser.add_argument("--startup-runs", type=int, default=10, help="runs of each start-up command (qe demo: half)")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--note", default="", help="a sentence about the machine's load, added to the page")
    parser.add_argument("--figures", type=Path, help="rebuild the page from the figures a run printed on stderr")
    parser.add_argument("--prepare", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--floor", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--naive", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--fast-paths", action="store_true", help="time each fast path's stage on and off at 180 units")
    parser.add_argument("--fast-path", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--off", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--stages", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare(int(args.prepare[0]), Path(args.prepare[1]))
        return
    if args.floor:
        floor(args.floor)
        return
    if args.naive:
        naive(args.naive)
        return
    if args.fast_path:
        name, work, out = args.fast_path
        print(fast_path_stage(name, Path(work), Path(out), args.off))
        return
    if args.stages:
        print(json.dumps(stages(args.stages[0], args.stages[1], reports=not args.no_reports)))
        return
    if args.figures:
        rows, start, fast = [], {}, {}
        for line in args.figures.read_text(encoding="utf-8").splitlines():
            label, _, figures = line.partition(": ")
            if label.endswith(" units"):
                rows.append(json.loads(figures))
            elif label == "startup":
                start = json.loads(figures)
            elif label == "fast paths":
                fast = json.loads(figures)
        publish(report(rows, start, args.runs, args.startup_runs, fast), args)
        return
    os.environ["PYTHONPATH"] = str(ROOT)  # the children use this checkout, not whatever is installed
    work_root = args.work or Path(tempfile.mkdtemp(prefix="qe-bench-"))
    rows = []
    fast = measure_fast_paths(180, work_root, args.runs) if args.fast_paths else {}
    if fast:
        print(f"fast paths: {json.dumps(fast)}", file=sys.stderr)
    for size in (int(s) for s in args.sizes.split(",") if s):
        runs = args.runs if size < 1000 else args.large_runs
        rows.append(measure_size(size, work_root, runs, reports=size <= args.reports_up_to))
        print(f"{size} units: {json.dumps(rows[-1])}", file=sys.stderr)
    start = {} if args.no_startup else startup(args.startup_runs, work_root)
    if start:
        print(f"startup: {json.dumps(start)}", file=sys.stderr)
    publish(report(rows, start, args.runs, args.startup_runs, fast), args)


def publish(text: str, args: argparse.Namespace) -> None:
    print(text)
    if args.write:
        machine = (
            f"{platform.machine()}，{os.cpu_count()} 核，{platform.python_implementation()} {platform.python_version()}"
        )
        (ROOT / "docs" / "benchmarks.md").write_text(
            "# 性能测试\n\n"
            "由 `python scripts/benchmark.py --write --fast-paths` 生成（2022 年度的 66 个项目、28 个评价部门；"
            "8 个单位为 2022 年度考核方案中的 8 个县区（市级），180 个和 3,000 个为合成的被考核单位（省级及更大），"
            "都用 openpyxl 模拟填写）。\n\n"
            f"测试机器：{machine}，{date.today():%Y-%m-%d}（请看中位数和倍数）。"
            f"{args.note}\n\n{text}\n\n"
            "- 下限：一个 Python 进程用 python-calamine 打开同样的回收文件，读出每个工作表的每个单元格。\n"
            "- pandas 脚本：不用本程序时用户会写的脚本：用 pd.read_excel（默认引擎）读每一张评价表，向下填充县区列，"
            "合并后按县区求“实际得分”之和（不核验签名、锁定内容和填写，也不区分扣分项和否决项）。\n"
            "- 读取核验：文件类型与大小检查、defusedxml 结构扫描、python-calamine 读值、签名核验、逐格检查，"
            "在隔离的子进程中读取；明细表与计分：pandas 明细表、整数分计算总分、等级和排名。\n"
            "- master.xlsx、JSON/CSV/审计、反馈文书与图表：各输出在同一进程内分别计时。\n" + kept_sections(),
            encoding="utf-8",
        )


def kept_sections() -> str:
    """The sections other scripts write at the end of the page (scripts/template_benchmark.py), kept as they are."""
    page = ROOT / "docs" / "benchmarks.md"
    text = page.read_text(encoding="utf-8") if page.is_file() else ""
    marker = "\n## 文书模板的填写速度"
    return text[text.index(marker) :] if marker in text else ""


if __name__ == "__main__":
    main()
