"""Before anything is released: personal data (phone numbers, 身份证 numbers, e-mail addresses) in
the text meant for units — the evaluators' remarks, which the letters and the 得分核对单 print, and
the office's own wording of the fed-back problems (反馈修改稿) where it replaces them.

Each finding is a warning with the remark's file, sheet and cell; the value itself is shown masked,
so the problem list does not spread what it warns about.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from ..feedback.fed_back import WORDING_SHEET, FedBackList
from ..intake.frame import plain
from ..problems import Problem, problem

if TYPE_CHECKING:
    import pandas as pd

# (what it is, pattern); digits may not continue on either side, so a number inside a longer one
# (an ID number holds eleven digits that look like a mobile number) is not found twice.
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "身份证号码",
        re.compile(
            r"(?<![0-9])[1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx]"
            r"(?![0-9])"
        ),
    ),
    ("手机号码", re.compile(r"(?<![0-9])1[3-9][0-9][- ]?[0-9]{4}[- ]?[0-9]{4}(?![0-9])")),
    ("固定电话", re.compile(r"(?<![0-9])0[1-9][0-9]{1,2}[-－—]?[2-9][0-9]{6,7}(?![0-9])")),
    ("电子邮箱", re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")),
)


def mask(text: str) -> str:
    """'13812345678' -> '138******78', 'zhang@example.cn' -> 'z***@example.cn'."""
    if "@" in text:
        local, domain = text.split("@", 1)
        return f"{local[:1]}***@{domain}"
    return text[:3] + "*" * max(len(text) - 5, 1) + text[-2:]


def personal_data(text: str) -> list[tuple[str, str]]:
    """(what, found) for every phone number, ID number and e-mail address in `text` (full-width digits too)."""
    normal = unicodedata.normalize("NFKC", text)
    found: list[tuple[str, str]] = []
    taken: list[tuple[int, int]] = []
    for what, pattern in PATTERNS:
        for m in pattern.finditer(normal):
            if any(start < m.end() and m.start() < end for start, end in taken):
                continue
            taken.append(m.span())
            found.append((what, m.group()))
    return found


def scan_remarks(frame: pd.DataFrame) -> list[Problem]:
    """A warning for each remark in the master frame that holds personal data."""
    columns = ("remark", "unit", "item_id", "evaluator", "file", "sheet", "remark_cell")
    values = {c: plain(frame[c], "") for c in columns} if len(frame) else {c: [] for c in columns}
    problems = []
    for n, remark in enumerate(values["remark"]):
        found = personal_data(str(remark)) if remark else []
        if not found:
            continue
        get = {c: str(values[c][n]) for c in columns}
        problems.append(
            problem(
                "RELEASE_PERSONAL_DATA",
                file=get["file"] or None,
                sheet=get["sheet"] or None,
                cell=get["remark_cell"] or None,
                unit=get["unit"],
                item=get["item_id"],
                evaluator=get["evaluator"],
                kinds=list(dict.fromkeys(what for what, _ in found)),
                found=[mask(text) for _, text in found],
            )
        )
    return problems


def scan_fed_back(told: FedBackList, wording_file: str) -> list[Problem]:
    """A warning for each of the office's own wordings (反馈表述) that holds personal data."""
    problems = []
    for entry in told:
        found = personal_data(entry.text) if entry.edited else []
        if found:
            problems.append(
                problem(
                    "RELEASE_PERSONAL_DATA_WORDING",
                    file=wording_file,
                    sheet=WORDING_SHEET,
                    unit=entry.unit,
                    item=entry.item.id,
                    kinds=list(dict.fromkeys(what for what, _ in found)),
                    found=[mask(text) for _, text in found],
                )
            )
    return problems
