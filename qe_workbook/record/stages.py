"""Stages of a run (初稿 → 征求意见稿 → 审定稿 → 印发稿), the records kept in a run folder's
审定记录.json, and how a later run of the same year compares with the approved one.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..amounts import round2
from ..choices import STAGES as STAGES
from ..choices import Stage as Stage
from ..outputs.run_record import read_run
from ..problems import Problem, problem
from ..scoring.score import Results

APPROVAL_FILE = "审定记录.json"


FINAL_STAGES = (Stage.APPROVED, Stage.ISSUED)


@dataclass(frozen=True)
class UnitLine:
    total: str
    grade: str
    rank: int


@dataclass(frozen=True)
class StageRecord:
    stage: str
    by: str
    at: str
    basis: str
    fingerprint: dict[str, str]
    units: dict[str, UnitLine]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StageRecord:
        units = {name: UnitLine(**line) for name, line in data["units"].items()}
        return cls(data["stage"], data["by"], data["at"], data["basis"], dict(data["fingerprint"]), units)


def unit_lines(results: Results) -> dict[str, UnitLine]:
    """Each unit's total (exact, shown to 2 places), grade and rank: what a later run is compared on."""
    return {u.unit: UnitLine(f"{round2(u.total):.2f}", u.grade_label, u.rank) for u in results.units}


def read_stages(run_dir: Path) -> list[StageRecord]:
    """The run's stage records, oldest first (none: the run is a 初稿)."""
    path = run_dir / APPROVAL_FILE
    if not path.is_file():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    return [StageRecord.from_dict(record) for record in data["records"]]


def current_stage(run_dir: Path) -> Stage:
    records = read_stages(run_dir)
    return Stage(records[-1].stage) if records else Stage.DRAFT


def latest_approved(parent: Path, year: int) -> tuple[Path, StageRecord] | None:
    """The most recently approved run (审定稿 or 印发稿) of `year` among the run folders in `parent`."""
    found: list[tuple[str, Path, StageRecord]] = []
    for run_dir in sorted(p for p in parent.glob("*") if (p / APPROVAL_FILE).is_file()):
        run, _ = read_run(run_dir)
        try:
            records = [r for r in read_stages(run_dir) if r.stage in FINAL_STAGES]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if run is not None and run.data.get("year") == year and records:
            found.append((records[-1].at, run_dir, records[-1]))
    if not found:
        return None
    _, run_dir, record = max(found, key=lambda f: f[0])
    return run_dir, record


def compare_with_approved(parent: Path, results: Results) -> list[Problem]:
    """A later run of the same year: a warning naming every unit whose total, grade or rank differs
    from the approved run, or a note that the results agree with it."""
    approved = latest_approved(parent, results.year)
    if approved is None:
        return []
    run_dir, record = approved
    now = unit_lines(results)
    changes = [_change(unit, record.units.get(unit), now.get(unit)) for unit in dict.fromkeys([*record.units, *now])]
    changed = [c for c in changes if c]
    run, stage, at = run_dir.name, record.stage, record.at.replace("T", " ")
    if changed:
        return [problem("RUN_DIFFERS_FROM_APPROVED", file=str(run_dir), changes=changed, run=run, stage=stage, at=at)]
    return [problem("RUN_SAME_AS_APPROVED", file=str(run_dir), run=run, stage=stage, at=at)]


def _change(unit: str, before: UnitLine | None, after: UnitLine | None) -> str:
    if before is None or after is None:
        return f"{unit}{'（新增）' if before is None else '（本次没有）'}"
    parts = []
    if before.total != after.total:
        parts.append(f"总分 {before.total} → {after.total}")
    if before.grade != after.grade:
        parts.append(f"等级 {before.grade} → {after.grade}")
    if before.rank != after.rank:
        parts.append(f"排名 {before.rank} → {after.rank}")
    return f"{unit}（{'，'.join(parts)}）" if parts else ""
