"""Last year's problems and how far they were rectified, for this year's letters (`qe collect --previous`).

The ledger is the 整改台账.json `qe rectify collect` wrote: given a run folder, the newest one in its
整改情况/ folder; given a folder holding 整改台账.json, or the file itself, that one.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from ..dates import chinese_date
from ..documents.letter_context import Followed
from ..problems import Problem, os_error_text, problem
from .layout import COLLECTED_DIR, LEDGER_JSON, Progress

RECEIVED = "已交回"  # as rectify.collect writes it (not imported: that module is heavy)


def find_ledger(path: Path) -> Path | None:
    if path.is_file():
        return path
    if (path / LEDGER_JSON).is_file():
        return path / LEDGER_JSON
    collected = sorted(
        (p for p in (path / COLLECTED_DIR).glob("*") if (p / LEDGER_JSON).is_file()), key=lambda p: p.name
    )
    return collected[-1] / LEDGER_JSON if collected else None


def read_followed(path: Path, *, explicit: bool) -> tuple[dict[str, Followed], list[Problem]]:
    """Each unit's paragraph and table about last year's problems, from the ledger at (or in) `path`.

    A run folder without a ledger is said once (RECTIFY_PREVIOUS_NONE); an `explicit` path without one, or a
    damaged ledger, is a warning. Either way the letters go out without the section."""
    found = find_ledger(path)
    if found is None:
        code = "RECTIFY_PREVIOUS_UNREADABLE" if explicit else "RECTIFY_PREVIOUS_NONE"
        return {}, [problem(code, file=str(path), reason="没有找到整改台账汇总（整改台账.json）")]
    try:
        data = json.loads(found.read_text(encoding="utf-8"))
        return followed_from(data), []
    except OSError as exc:
        return {}, [problem("RECTIFY_PREVIOUS_UNREADABLE", file=str(found), reason=os_error_text(exc))]
    except (ValueError, KeyError, TypeError):
        return {}, [problem("RECTIFY_PREVIOUS_UNREADABLE", file=str(found), reason="文件内容不完整或格式不对")]


def followed_from(data: dict[str, Any]) -> dict[str, Followed]:
    year, today = int(data["year"]), str(data["today"])
    by_unit: dict[str, list[dict[str, Any]]] = {}
    for line in data["lines"]:
        by_unit.setdefault(str(line["unit"]), []).append(line)
    followed = {}
    for unit, entry in data["units"].items():
        lines = by_unit.get(unit, [])
        if entry["status"] != RECEIVED:
            sentence = f"你单位未报送{year}年度考核反馈问题的整改台账（或报送的台账未通过核验），请尽快报送。"
        elif not lines:
            sentence = f"{year}年度考核反馈意见未指出你单位需要整改的问题。"
        else:
            sentence = _sentence(year, today, lines)
        followed[unit] = Followed(sentence, [_row(line) for line in lines])
    return followed


def _sentence(year: int, today: str, lines: list[dict[str, Any]]) -> str:
    counts = [(str(p), sum(1 for ln in lines if ln["status"] == p)) for p in Progress]
    counted = "、".join(f"{label} {n} 个" for label, n in counts if n)
    blank = sum(1 for ln in lines if not ln["status"])
    counted += f"{'、' if counted else ''}未填写进展 {blank} 个" if blank else ""
    late = sum(1 for ln in lines if ln["overdue"])
    late_text = f"，其中 {late} 个已超过完成时限" if late else ""
    when = chinese_date(date.fromisoformat(today))
    return (f"{year}年度考核反馈你单位的 {len(lines)} 个问题，据你单位报送的整改台账，截至{when}，{counted}{late_text}。"
            "请对未完成的问题加快整改，按时限完成：")  # fmt: skip


def _row(line: dict[str, Any]) -> list[str]:
    status = str(line["status"]) or "未填写"
    return [f"{line['item']} {line['item_text']}", str(line["problem"]), str(line["measure"]), str(line["due"]),
            status + ("（逾期）" if line["overdue"] else "")]  # fmt: skip
