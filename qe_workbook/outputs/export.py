"""The run's plain outputs: results.json/csv, problems.json/csv and audit.json.

Numbers leave as 2-decimal values rounded half up from the exact totals. Text that came from a
returned file is written as text: in CSV, a cell that a spreadsheet would take for a formula is
prefixed with an apostrophe (OWASP's advice for CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pandas as pd

from ..amounts import round2
from ..intake.collect import CollectResult
from ..intake.submission import Submission
from ..problems import SEVERITY_LABELS, Problem
from ..rubric import Rubric
from ..scoring.adopt import Adoption
from ..scoring.score import INCOMPLETE_MARK, Results, UnitResult, unit_columns
from .detail import applied_rules, display_frame, frame_records

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def number(value: Fraction) -> float:
    """A JSON number whose text is the 2-decimal rounding (float repr of a 2-decimal value)."""
    if 100 % value.denominator == 0:  # whole hundredths (every score): the float nearest the value itself
        return value.numerator / value.denominator
    return float(round2(value))


def csv_safe(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def unit_dict(u: UnitResult, tree: bool = False) -> dict[str, Any]:
    """One unit in results.json; with `tree` (a plan whose key points have levels or points of their own) also
    every key point's subtotal, and a plan's weighted parts."""
    levels = {"key_points": {kp: number(points) for kp, points in u.key_points.items()}} if tree else {}
    parts = {"parts": {part: number(points) for part, points in u.parts.items()}} if u.parts else {}
    return {
        "unit": u.unit,
        "areas": {area: number(points) for area, points in u.areas.items()},
        **levels,
        **parts,
        "bonus": number(u.bonus),
        "deduction": number(u.deduction),
        "total": number(u.total),
        "grade": u.grade,
        "rank": u.rank,
        "veto": u.veto,
        "complete": u.complete,
        "grade_label": u.grade_label,
        "items": [
            {
                "id": s.item.id,
                "kind": str(s.item.kind),
                "points": None if s.points is None else number(s.points),
                "missing": s.missing,
                "sources": [
                    {"evaluator": src.evaluator, "file": src.file, "sheet": src.sheet, "cell": src.cell, "raw": src.raw}
                    for src in s.sources
                ],
            }
            for s in u.items
            if s.applies
        ],
    }


def results_dict(results: Results, rubric: Rubric) -> dict[str, Any]:
    return {
        "year": results.year,
        "rubric_hash": rubric.content_hash,
        "areas": {a.id: a.name for a in rubric.areas},
        "complete": all(u.complete for u in results.units),
        "units": [unit_dict(u, any(k.parent or k.max is not None for k in rubric.key_points)) for u in results.units],
    }


def adoption_dict(adoption: Adoption, rubric: Rubric) -> dict[str, Any]:
    """results.json: the adopted result; after a meeting's adjustments, also the adjustments applied and each
    unit's result as scored before them (a run without an adjustments file has neither key)."""
    data = results_dict(adoption.results, rubric)
    if adoption.adjusted:
        data["adjustments"] = [a.to_dict() for a in adoption.adjustments]
        data["scored"] = [
            {"unit": u.unit, "bonus": number(u.bonus), "deduction": number(u.deduction), "total": number(u.total),
             "grade": u.grade, "rank": u.rank}
            for u in adoption.scored.units
        ]  # fmt: skip
    return data


def summary_header(rubric: Rubric) -> list[str]:
    return [c.label for c in unit_columns(rubric)]


def summary_rows(results: Results, rubric: Rubric) -> list[list[Any]]:
    """The 汇总 table: the units frame by rank, points as 2-decimal Decimals, yes/no in Chinese."""
    units = results.units_frame.sort_values("rank", kind="stable").reset_index()
    shown: list[list[Any]] = []
    for c in unit_columns(rubric):
        col = units[c.name].tolist()
        if c.name.endswith("_cents"):
            shown.append([Decimal(v).scaleb(-2) for v in col])
        elif c.name == "grade":
            shown.append([g if ok else g + INCOMPLETE_MARK for g, ok in zip(col, units["complete"], strict=True)])
        elif c.name == "veto":
            shown.append(["是" if v else "否" for v in col])
        elif c.name == "complete":
            shown.append(["是" if v else "否（暂定）" for v in col])
        else:
            shown.append(col)
    return [list(row) for row in zip(*shown, strict=True)]


def problem_rows(problems: Iterable[Problem]) -> list[list[str]]:
    return [
        [SEVERITY_LABELS[p.severity], p.code, p.file or "", p.sheet or "", p.cell or "", p.message] for p in problems
    ]


PROBLEM_HEADER = ["级别", "代码", "文件", "工作表", "单元格", "说明"]
PAPER_PROBLEM_HEADER = ["级别", "文件", "工作表", "单元格", "说明", "代码"]  # printed up to 说明


def paper_problem_rows(problems: Iterable[Problem]) -> list[list[str]]:
    """The problems as a sheet to print shows them: the code last, outside the printed columns."""
    return [
        [level, file, sheet, cell, message, code] for level, code, file, sheet, cell, message in problem_rows(problems)
    ]


def audit_dict(collected: CollectResult) -> dict[str, Any]:
    def entry(s: Submission) -> dict[str, Any]:
        return {
            "file": s.file, "sha256": s.sha256, "size": s.size, "evaluator": s.owner,
            "form_id": s.form_id, "fill_date": s.fill_date.isoformat() if s.fill_date else None,
            "decision": s.status, "reason": s.reason,
            "receipt": s.receipt.to_dict() if s.receipt else None,
            "correction_units": list(s.units), "corrected_by": dict(s.replaced),
        }  # fmt: skip

    return {"files": [entry(s) for s in collected.submissions], "ignored": collected.ignored}


def write_json(path: Path, data: Any) -> None:
    """Indented UTF-8 JSON, byte for byte what `json.dumps(indent=2, ensure_ascii=False)` writes for these
    outputs, with orjson: the standard library's indented encoder is pure Python and was most of the time."""
    import orjson

    path.write_bytes(
        orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS | orjson.OPT_APPEND_NEWLINE)
    )


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows([csv_safe(v) for v in row] for row in rows)


def frame_csv(path: Path, frame: pd.DataFrame, applied: list[str] | None = None) -> None:
    """detail.csv: the master frame for people (Chinese headings and kinds, 2-decimal points; with `applied`,
    what each value gives by its rule)."""
    shown = display_frame(frame, numbers_as_text=True, applied=applied)
    columns = [[csv_safe(v) for v in shown[label].tolist()] for label in shown.columns]
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(list(shown.columns))
    writer.writerows(zip(*columns, strict=True))
    path.write_text(text.getvalue(), encoding="utf-8-sig", newline="")


def write_plain_outputs(
    folder: Path, rubric: Rubric, adoption: Adoption, collected: CollectResult, problems: list[Problem]
) -> dict[str, Path]:
    """Write the plain outputs (the results as adopted); return them by name."""
    paths = {name: folder / name for name in PLAIN_OUTPUTS}
    write_json(paths["results.json"], adoption_dict(adoption, rubric))
    write_csv(paths["results.csv"], summary_header(rubric), summary_rows(adoption.results, rubric))
    write_json(paths["detail.json"], frame_records(collected.frame))
    frame_csv(paths["detail.csv"], collected.frame, applied_rules(collected.frame, rubric, adoption.results))
    write_json(paths["problems.json"], [p.to_dict() for p in problems])
    write_csv(paths["problems.csv"], PROBLEM_HEADER, problem_rows(problems))
    write_json(paths["audit.json"], audit_dict(collected))
    return paths


PLAIN_OUTPUTS = ("results.json", "results.csv", "detail.json", "detail.csv", "problems.json", "problems.csv",
                 "audit.json")  # fmt: skip
