"""The outputs of `qe units check`, in a new run folder: 材料报送情况.xlsx, problems.json/csv and
the merged 考核工作联系人员名单.xlsx for the office; with self-scoring, 自评得分.json for `qe collect`."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from ..dates import chinese_date
from ..forms.layout import display_name, display_width
from ..forms.paper import page_setup
from ..outputs.export import (
    PAPER_PROBLEM_HEADER,
    PROBLEM_HEADER,
    paper_problem_rows,
    problem_rows,
    write_csv,
    write_json,
)
from ..problems import Problem
from ..rubric import Evaluator, Rubric, Unit
from ..run_folder import new_run_folder
from ..scoring.self_scores import SELF_SCORES_FILE, SelfScoreBook, SelfScoreValue, write_self_scores
from ..workbooks import new_workbook
from .check import MISSING_CODES, Status, UnitsCheck, check_units
from .contacts import HEADER as CONTACT_HEADER
from .evidence import EvidenceCheck, check_evidence, evidence_rows
from .materials import Material, unit_materials

STATUS_HEADER = ["序号", "被考核单位", "材料", "情况", "文件", "收到时间", "问题", "联系人", "手机"]
MERGED_FILE = "考核工作联系人员名单.xlsx"
STATUS_FILE = "材料报送情况.xlsx"
FONT = "宋体"


def write_outputs(folder: Path, check: UnitsCheck) -> list[Path]:
    write_json(folder / "problems.json", [p.to_dict() for p in check.problems])
    write_csv(folder / "problems.csv", PROBLEM_HEADER, problem_rows(check.problems))
    written = [
        _status_book(folder / STATUS_FILE, check),
        _merged_contacts(folder / MERGED_FILE, check),
        folder / "problems.json",
        folder / "problems.csv",
    ]
    if check.rubric.self_scoring:
        written.append(write_self_scores(folder / SELF_SCORES_FILE, self_score_book(check), check.rubric))
    return written


def self_score_book(check: UnitsCheck) -> SelfScoreBook:
    """The self-scores of the tables used, in hundredths (a value that broke a rule is kept, without points)."""
    values: dict[tuple[str, str], SelfScoreValue] = {}
    units = []
    for entry in check.self_scores():
        scores = entry.self_score
        if scores is None:
            continue
        units.append(entry.unit.name)
        for e in scores.entries:
            cents = None if e.value is None else int(e.value * 100)
            values[(e.unit, e.item_id)] = SelfScoreValue(e.unit, e.item_id, cents, e.raw, e.remark, entry.file,
                                                         scores.sheet, e.cell)  # fmt: skip
    return SelfScoreBook(values, units)


def status_rows(check: UnitsCheck) -> list[list[str]]:
    rows: list[list[str]] = []
    for unit in check.rubric.units:
        people = [p for p in check.people() if p.unit == unit.name]
        contact = people[0].values if people else {}
        for material in unit_materials(check.rubric):
            entries = check.entries_for(unit, material)
            problems = [p for e in entries for p in e.problems]
            if not entries:
                problems = [p for p in check.problems if _missing_code(p, material) and p.params["unit"] == unit.name]
            rows.append([
                str(len(rows) + 1), unit.name, str(material), str(check.status(unit, material)),
                "\n".join(e.file for e in entries), "\n".join(e.arrived for e in entries if e.arrived),
                "\n".join(p.message for p in problems), contact.get("姓名", ""), contact.get("手机", ""),
            ])  # fmt: skip
    return rows


def _missing_code(p: Problem, material: Material) -> bool:
    return p.code == MISSING_CODES[material]


def _formats(wb: Any) -> dict[str, Any]:
    base = {"font_name": FONT, "font_size": 10, "valign": "vcenter", "text_wrap": True, "border": 1}
    return {
        "head": wb.add_format({**base, "bold": True, "bg_color": "#D9E1F2", "align": "center"}),
        "title": wb.add_format({"font_name": "黑体", "font_size": 14, "align": "center", "valign": "vcenter"}),
        "subtitle": wb.add_format({"font_name": FONT, "font_size": 10, "valign": "vcenter"}),
        "text": wb.add_format(base),
        "na": wb.add_format({**base, "align": "center", "font_color": "#7F7F7F"}),
        Status.RECEIVED: wb.add_format({**base, "align": "center", "bg_color": "#E2EFDA"}),
        Status.INVALID: wb.add_format({**base, "align": "center", "bg_color": "#F8CBAD"}),
        Status.LATE: wb.add_format({**base, "align": "center", "bg_color": "#F4B084"}),
        Status.MISSING: wb.add_format({**base, "align": "center", "bg_color": "#FFD966"}),
    }


def _table(
    ws: Any, f: dict[str, Any], header: Sequence[str], rows: list[list[str]], widths: Sequence[int], *,
    owner: str = "", top: Sequence[str] = (), printed: bool = True,
) -> int:  # fmt: skip
    """The header and rows under the `top` lines (a title, a line with the date); the owner and the page on
    every printed page; a table without rows is not `printed`. Returns the header's row."""
    for n, line in enumerate(top):
        ws.merge_range(n, 0, n, len(header) - 1, line, f["title" if n == 0 else "subtitle"])
        ws.set_row(n, 28 if n == 0 else 18)
    first = len(top)
    ws.write_row(first, 0, header, f["head"])
    for r, values in enumerate(rows, start=first + 1):
        ws.set_row(r, _height(values, widths))
        for c, value in enumerate(values):
            ws.write_string(r, c, value, f["text"])
    for c, width in enumerate(widths):
        ws.set_column(c, c, width)
    ws.freeze_panes(first + 1, 0)
    ws.autofilter(first, 0, first + max(len(rows), 1), len(header) - 1)
    page_setup(ws, owner=owner, title=top[0] if top else ws.name, last_row=first + max(len(rows), 1),
               last_col=len(header) - 1, repeat_row=first)  # fmt: skip
    if not printed:
        ws.print_area(0, len(header) + 1, 0, len(header) + 1)  # one blank cell: nothing to print
    return first


def _height(values: Sequence[str], widths: Sequence[int]) -> float:
    """A row tall enough for its wrapped text (spreadsheet programs do not all fit it themselves)."""
    lines = max(
        sum(max(1, math.ceil(display_width(line) / (width * 0.95))) for line in value.split("\n"))
        for value, width in zip(values, widths, strict=False)
    )
    return max(15.0, 13.0 * lines + 3)


def _status_book(path: Path, check: UnitsCheck) -> Path:
    wb = new_workbook(path)
    f = _formats(wb)
    ws = wb.add_worksheet("报送情况")
    rows = status_rows(check)
    rubric = check.rubric
    top = [f"{rubric.city}{rubric.year}年度政府质量工作考核被考核单位材料报送情况",
           f"报送截止日期：{chinese_date(rubric.materials_deadline)}　　检查日期：{chinese_date(date.today())}"
           f"　　{'未发现问题' if not check.problems else f'问题 {len(check.problems)} 个，见“问题清单”'}"]  # fmt: skip
    first = _table(ws, f, STATUS_HEADER, rows, (5, 16, 12, 8, 36, 17, 60, 10, 13), owner=rubric.office, top=top)
    for r, values in enumerate(rows, start=first + 1):
        ws.write_string(r, 3, values[3], f[Status(values[3])])
    _table(wb.add_worksheet("问题清单"), f, PAPER_PROBLEM_HEADER, paper_problem_rows(check.problems),
           (6, 36, 12, 8, 80, 24), owner=rubric.office, printed=bool(check.problems))  # fmt: skip
    wb.close()
    return path


def _merged_contacts(path: Path, check: UnitsCheck) -> Path:
    wb = new_workbook(path)
    f = _formats(wb)
    ws = wb.add_worksheet("联系人员名单")
    header = ["序号", "被考核单位", *CONTACT_HEADER, "来源文件", "核对"]
    flagged: dict[tuple[str, int], list[str]] = {}
    for e in check.entries:
        for p in e.problems:
            if p.code in ("UNIT_CONTACTS_FORMAT", "UNIT_CONTACTS_BLANK") and p.cell:
                flagged.setdefault((e.file, int(p.cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))), []).append(
                    f"{p.params['column']}有误" if p.code == "UNIT_CONTACTS_FORMAT" else f"缺{p.params['column']}"
                )
    rows = [[str(n), p.unit, *(p.values.get(h, "") for h in CONTACT_HEADER), f"{p.file} 第{p.row}行",
             "、".join(flagged.get((p.file, p.row), []))]
            for n, p in enumerate(check.people(), start=1)]  # fmt: skip
    _table(ws, f, header, rows, (5, 16, 10, 24, 14, 15, 14, 26, 30, 16), owner=check.rubric.office)
    wb.close()
    return path


def run_units_check(
    source: Path, rubric: Rubric, key: bytes, out_parent: Path, *, registers: Sequence[Path] = ()
) -> tuple[UnitsCheck, Path]:
    """Check the folder and write the outputs into a new run folder under out_parent."""
    check = check_units(source, rubric, key, registers=registers)
    with new_run_folder(out_parent) as (tmp, finish):
        write_outputs(tmp, check)
        check.errors.write(tmp)
        folder = finish()
    return check, folder


def units_json(check: UnitsCheck, folder: Path) -> dict[str, Any]:
    """The report `qe units check --json` prints: status per unit and material, problems, outputs."""
    return {
        "clean": check.clean,
        "folder": str(folder),
        "status": [dict(zip(STATUS_HEADER, row, strict=True)) for row in status_rows(check)],
        "problems": [p.to_dict() for p in check.problems],
    }


EVIDENCE_HEADER = ["被考核单位", "评价部门", "项目编号", "项目内容", "情况", "文件"]
EVIDENCE_FILE = "印证材料检查.xlsx"


def run_evidence_check(
    root: Path, rubric: Rubric, out_parent: Path, *, evaluator: Evaluator | None = None, unit: Unit | None = None
) -> tuple[EvidenceCheck, Path]:
    check = check_evidence(root, rubric, evaluator=evaluator, unit=unit)
    with new_run_folder(out_parent) as (tmp, finish):
        write_json(tmp / "problems.json", [p.to_dict() for p in check.problems])
        write_csv(tmp / "problems.csv", PROBLEM_HEADER, problem_rows(check.problems))
        wb = new_workbook(tmp / EVIDENCE_FILE)
        f = _formats(wb)
        _matrix(wb.add_worksheet("项目×县区"), f, check)
        rows = list(evidence_rows(check))
        _table(wb.add_worksheet("明细"), f, EVIDENCE_HEADER, rows, (16, 20, 9, 34, 10, 50), owner=rubric.office)
        _table(wb.add_worksheet("问题清单"), f, PAPER_PROBLEM_HEADER, paper_problem_rows(check.problems),
               (6, 36, 12, 8, 80, 24), owner=rubric.office, printed=bool(check.problems))  # fmt: skip
        wb.close()
        check.errors.write(tmp)
        folder = finish()
    return check, folder


def _matrix(ws: Any, f: dict[str, Any], check: EvidenceCheck) -> None:
    """Items down, units across: the number of files, 缺 or 不需提供."""
    header = ["评价部门", "项目编号", "项目内容", *(u.name for u in check.units)]
    keys = list(dict.fromkeys((c.evaluator.name, c.item.id) for c in check.cells))
    by_key = {(c.evaluator.name, c.item.id, c.unit.name): c for c in check.cells}
    rows = []
    for ev_name, item_id in keys:
        first = by_key[(ev_name, item_id, check.units[0].name)]
        statuses = [by_key[(ev_name, item_id, u.name)].status for u in check.units]
        rows.append([display_name(first.evaluator), item_id, first.item.text, *statuses])
    _table(ws, f, header, rows, (20, 9, 40, *([12] * len(check.units))))
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values[3:], start=3):
            fmt = Status.MISSING if value == "缺" else Status.RECEIVED if value.endswith("文件") else "na"
            ws.write_string(r, c, value, f[fmt])


def evidence_json(check: EvidenceCheck, folder: Path) -> dict[str, Any]:
    return {
        "clean": check.clean,
        "folder": str(folder),
        "table": [dict(zip(EVIDENCE_HEADER, row, strict=True)) for row in evidence_rows(check)],
        "problems": [p.to_dict() for p in check.problems],
    }
