"""A finished run folder read back: the one reader every command that works on a finished run goes through
(report, diff, approve, export, archive, precheck, feedback, rectify, year over year, mail chase, the page).

A run folder holds the result once: results.json is the adopted result (with, after a meeting's
adjustments, the adjustments applied and each unit's scored result), detail.json the master frame it
was scored from, problems.json and audit.json what the run found and read. `read_run` returns all of
it as one `RunRecord`; given the rubric, it also checks that the run was scored with that very rubric
and scores detail.json again into the scored and the adopted result (`Adoption`), so that every
number a later document shows comes from the same adopted view as the run's own outputs. The record
says whether the run's documents were withheld (a unit without any score) and whether its results
are complete. The one decision whether an official document or a mail may come from a run is made here
(`RunRecord.official_refusal`, asked for by `read_run(..., official=...)`): a run whose key was probably
wrong, or which withheld its documents, refuses with its own diagnosis. A killed run's temporary folder,
or a folder no run marked as its own, is never read as a run.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from ..problems import Problem, Severity, problem
from ..rubric import Rubric
from ..run_folder import RUN_MARKER, TMP_PREFIX
from ..scoring.adopt import Adjustment, Adoption, adopt
from ..scoring.diagnosis import DIAGNOSES, KEY_WRONG, WITHHELD
from ..scoring.results import Results
from ..scoring.score import score
from .detail import read_frame

Official = Literal["documents", "mails"]  # what a command means to write from a run
REFUSAL_REASONS = {KEY_WRONG: "很可能是用错了密钥汇总的", WITHHELD: "有被考核单位没有任何有效评分"}


@dataclass(frozen=True)
class RunRecord:
    folder: Path
    data: dict[str, Any]  # results.json, numbers as exact Decimals
    run_problems: list[dict[str, Any]]  # problems.json, as written
    audit: dict[str, Any]  # audit.json: the files read and what was decided about each
    adoption: Adoption | None = None  # scored again from detail.json and adopted (when read with the rubric)

    @property
    def year(self) -> int:
        return int(self.data["year"])

    @property
    def complete(self) -> bool:
        """Every unit's result is final (no 暂定 score)."""
        return bool(self.data.get("complete"))

    @property
    def withheld(self) -> bool:
        """The run wrote no 通报, public list or letters, because a unit had no score at all."""
        return any(p.get("code") == WITHHELD for p in self.run_problems)

    @property
    def diagnosis(self) -> list[Problem]:
        """The run's own run-level diagnoses (a wrong key, documents withheld), as the run recorded them."""
        return [recorded(p) for p in self.run_problems if p.get("code") in DIAGNOSES]

    def official_refusal(self, official: Official = "documents") -> list[Problem]:
        """Why no official document (or, for `"mails"`, no mail to the departments) may come from this run: the
        run's own diagnosis, then the refusal; [] when it may. A key that is probably not the office's makes every
        department's problem doubtful, so neither comes from such a run; a run that withheld its documents
        yields no document, yet a department that sent nothing may still be chased."""
        refusing = (KEY_WRONG,) if official == "mails" else DIAGNOSES
        why = [REFUSAL_REASONS[p.code] for p in self.diagnosis if p.code in refusing]
        if not why:
            return []
        return [*self.diagnosis, problem("RUN_NOT_OFFICIAL", file=str(self.folder), reason="，且".join(why))]

    @property
    def files(self) -> list[dict[str, Any]]:
        """audit.json's files: every file read, its SHA-256 and the decision about it."""
        return list(self.audit["files"])

    @property
    def results(self) -> Results:
        """The adopted result (read with the rubric only)."""
        return self._adoption.results

    @property
    def scored(self) -> Results:
        """The result as scored, before the meeting's adjustments (read with the rubric only)."""
        return self._adoption.scored

    @property
    def _adoption(self) -> Adoption:
        if self.adoption is None:
            raise ValueError("the run was read without its rubric")
        return self.adoption


def read_run(
    run_dir: Path,
    rubric: Rubric | None = None,
    *,
    adjustments: Sequence[Adjustment] | None = None,
    official: Official | None = None,
) -> tuple[RunRecord | None, list[Problem]]:
    """The run folder's record; with `rubric`, also its scored and adopted result, adopted with `adjustments`
    (default: the ones results.json records). None with the problem when the folder is not a finished run
    (a killed run's temporary folder: RUN_FOLDER_TEMPORARY; a folder no run marked: RUN_FOLDER_UNMARKED;
    REPORT_RUN_INVALID), was scored with another rubric (REPORT_RUBRIC_MISMATCH) or, read for `official`
    documents or mails, must not yield them (`RunRecord.official_refusal`) — never a crash."""
    if run_dir.name.startswith(TMP_PREFIX):
        return None, [problem("RUN_FOLDER_TEMPORARY", file=str(run_dir))]
    if (run_dir / "results.json").is_file() and not (run_dir / RUN_MARKER).is_file():  # looks like one, is not
        return None, [problem("RUN_FOLDER_UNMARKED", file=str(run_dir))]
    try:
        data = read_results_json(run_dir)
        found = json.loads((run_dir / "problems.json").read_text(encoding="utf-8"))
        audit = json.loads((run_dir / "audit.json").read_text(encoding="utf-8"))
        files = audit.get("files") if isinstance(audit, dict) else None
        if not isinstance(found, list) or not isinstance(files, list) or not all(isinstance(f, dict) for f in files):
            raise ValueError("not a run folder")
        record = RunRecord(run_dir, data, [p for p in found if isinstance(p, dict)], audit)
        refusal = record.official_refusal(official) if official else []
        if refusal or rubric is None:
            return (None, refusal) if refusal else (record, [])
        if data.get("rubric_hash") != rubric.content_hash:
            return None, [problem("REPORT_RUBRIC_MISMATCH", file=str(run_dir))]
        frame = read_frame(json.loads((run_dir / "detail.json").read_text(encoding="utf-8")), rubric)
        applied = recorded_adjustments(data) if adjustments is None else list(adjustments)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, ArithmeticError):
        return None, [problem("REPORT_RUN_INVALID", file=str(run_dir))]
    return RunRecord(run_dir, data, record.run_problems, audit, adopt(score(frame, rubric), applied, rubric)), []


def recorded(row: dict[str, Any]) -> Problem:
    """A problem as problems.json recorded it (its message as written then)."""
    try:
        severity = Severity(str(row.get("severity")))
    except ValueError:
        severity = Severity.ERROR
    params = row.get("params")
    file, sheet, cell = (str(row[k]) if row.get(k) is not None else None for k in ("file", "sheet", "cell"))
    message = str(row.get("message", ""))
    return Problem(
        str(row.get("code")), severity, file, sheet, cell, message, params if isinstance(params, dict) else {}
    )


def read_results_json(run_dir: Path) -> dict[str, Any]:
    """A finished run's results.json as `export.adoption_dict` wrote it, numbers as exact Decimals.

    Raises OSError or ValueError when the folder holds no readable results.json.
    """
    data = json.loads((run_dir / "results.json").read_text(encoding="utf-8"), parse_float=Decimal)
    if not isinstance(data, dict) or not isinstance(data.get("units"), list):
        raise ValueError("results.json has no units")
    return data


def recorded_adjustments(data: dict[str, Any]) -> list[Adjustment] | None:
    """The meeting's adjustments a run applied, as results.json records them (None: the run had none)."""
    return [Adjustment.from_dict(a) for a in data["adjustments"]] if "adjustments" in data else None
