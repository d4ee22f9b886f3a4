"""The office's appeal register (异议登记.xlsx): unit, item, claim, evidence, the evaluating
department's 复核意见 (维持/调整) and its date. `qe collect` reads it when it lies in the returned
folder (or is named with --appeals), checks it against the rubric and shows it in master.xlsx.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..choices import APPEALS_FILE
from ..office_table import blank_register, table_rows
from ..office_table import text as _text
from ..problems import Problem, problem
from ..rubric import Rubric

FILE_NAME = APPEALS_FILE
SHEET = "异议登记"
COLUMNS = ("被考核单位", "项目编号", "异议内容", "佐证材料", "评价部门", "复核意见", "复核说明", "复核日期")
OUTCOMES = ("维持", "调整")


@dataclass(frozen=True)
class Appeal:
    unit: str
    item_id: str
    claim: str
    evidence: str
    evaluator: str
    outcome: str  # 维持 / 调整, or "" while pending
    reason: str
    decided: date | None
    cell: str

    def row(self) -> list[str]:
        return [self.unit, self.item_id, self.claim, self.evidence, self.evaluator, self.outcome or "待复核",
                self.reason, f"{self.decided:%Y-%m-%d}" if self.decided else ""]  # fmt: skip


def write_template(path: Path, rubric: Rubric) -> Path:
    with blank_register(path, rubric, SHEET, f"{rubric.year}年度考核得分异议登记", "每条异议一行", COLUMNS,
                        [14, 9, 40, 30, 14, 9, 36, 11], {7: "yyyy-mm-dd"}) as ws:  # fmt: skip
        ws.data_validation(2, 0, 500, 0, {"validate": "list", "source": [u.name for u in rubric.units]})
        ws.data_validation(2, 5, 500, 5, {"validate": "list", "source": list(OUTCOMES)})
        ws.data_validation(2, 7, 500, 7, {"validate": "date", "criteria": ">", "value": date(rubric.year, 1, 1)})
    return path


def read_appeals(path: Path, rubric: Rubric) -> tuple[list[Appeal], list[Problem]]:
    """Every filled row, checked against the rubric; a pending appeal is a warning."""
    rows, trouble = table_rows(path, COLUMNS[0], "APPEAL_UNREADABLE")
    if trouble:
        return [], trouble
    units, items = {u.name for u in rubric.units}, {i.id for i in rubric.items}
    appeals: list[Appeal] = []
    problems: list[Problem] = []
    for n, row in rows:
        values = list((*row, *[None] * len(COLUMNS))[: len(COLUMNS)])
        if not any(_text(v) for v in values):
            continue
        unit, item_id, claim, evidence, evaluator, outcome, reason = (_text(v) for v in values[:7])
        where: dict[str, Any] = {"file": str(path), "sheet": SHEET, "cell": f"A{n}"}
        if unit not in units or item_id not in items:
            problems.append(problem("APPEAL_UNKNOWN", **where, unit=unit, item=item_id))
            continue
        if outcome and outcome not in OUTCOMES:
            problems.append(problem("APPEAL_BAD_OUTCOME", **where, value=outcome))
            continue
        decided = _date(values[7])
        appeal = Appeal(unit, item_id, claim, evidence, evaluator, outcome, reason, decided, f"A{n}")
        if not outcome:
            problems.append(problem("APPEAL_PENDING", **where, unit=unit, item=item_id))
        appeals.append(appeal)
    return appeals, problems


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return datetime.strptime(_text(value), "%Y-%m-%d").date()
    except ValueError:
        return None


APPEAL_HEADER = [*COLUMNS[:5], "复核意见", "复核说明", "复核日期"]
