"""A finished collect run as the page shows it: the ranking table exactly as written to results.csv,
the units' points from results.json, problems grouped by department, and the documents to download."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ..dates import chinese_date
from ..outputs.run_record import read_run
from ..problems import SEVERITY_LABELS, Problem, Severity


def run_time(name: str) -> str:
    """A run folder's name (20230502-093000, or with a -2 after it) as people read the time."""
    try:
        when = datetime.strptime(name[:15], "%Y%m%d-%H%M%S")
    except ValueError:
        return name
    return f"{chinese_date(when.date())} {when:%H:%M}"


OTHER = "其他（各被考核单位的评分等，不属于某个评价部门）"


@dataclass
class RunView:
    folder: Path
    header: list[str]
    rows: list[list[str]]  # the 汇总 table, ranked
    results: dict[str, Any]  # results.json, numbers as Decimals
    problems: list[dict[str, Any]]
    groups: list[tuple[str, list[dict[str, Any]]]]  # department → its problems (errors first)
    documents: list[tuple[str, Path]]  # (what it is, file)
    letters: list[Path]
    refusal: list[Problem]  # why no official document may come from this run (its own diagnosis first), or nothing

    @property
    def complete(self) -> bool:
        return bool(self.results.get("complete"))


def run_view(folder: Path, order: Sequence[str] = ()) -> RunView:
    """Everything the page shows of one run folder (read by `read_run`), departments in `order` (the rubric's);
    raises OSError/ValueError for a damaged one."""
    run, _ = read_run(folder)
    if run is None:
        raise ValueError(f"{folder} is not a finished run")
    with (folder / "results.csv").open(encoding="utf-8-sig", newline="") as fh:
        table = list(csv.reader(fh))
    results, problems = run.data, run.run_problems
    owners = {f["file"]: f.get("evaluator") for f in run.files}
    groups: dict[str, list[dict[str, Any]]] = {}
    severity_rank = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    for p in sorted(problems, key=lambda p: severity_rank.get(p["severity"], 3)):
        p["severity_label"] = SEVERITY_LABELS.get(p["severity"], p["severity"])
        who = p.get("params", {}).get("evaluator") or owners.get(p.get("file")) or OTHER
        groups.setdefault(str(who), []).append(p)
    rank = {name: n for n, name in enumerate(order)}
    named = sorted((g for g in groups.items() if g[0] != OTHER), key=lambda g: (rank.get(g[0], len(rank)), g[0]))
    documents = [("汇总表", folder / "master.xlsx")]
    documents += [("考核结果通报（代拟稿）", p) for p in sorted(folder.glob("*通报*.docx"))]
    documents += [(f"公告名单（{p.suffix}）", p) for p in sorted(folder.glob("公告名单.*"))]
    documents += [("结果数据（.csv）", folder / "results.csv"), ("问题清单（.csv）", folder / "problems.csv")]
    letters = sorted((folder / "反馈意见").glob("*.docx")) if (folder / "反馈意见").is_dir() else []
    return RunView(
        folder, table[0], table[1:], results, problems, named + ([(OTHER, groups[OTHER])] if OTHER in groups else []),
        [(label, path) for label, path in documents if path.is_file()], letters,
        run.official_refusal(),
    )  # fmt: skip
