"""`qe rectify collect`: the returned 整改台账 checked like the evaluation forms, then one ledger.

Each file is screened (units/screen.py: empty, oversized, encrypted, hostile), then opened and its
signature checked by the returns engine (intake/returns.py, the kind `LEDGER`); where the locked
cells were edited, the issued copy (found through the generation register) names each edited cell. Dates and statuses are checked cell by
cell; a problem is overdue when it is not 已完成 and its 完成时限 is before `today`. Two different
returns of one unit are a conflict (neither used); identical copies count once. The ledger —
unit × problem × status — goes into a new folder (default: `<run>/整改情况/<time>` of the run the
ledgers were generated from) as 整改台账汇总.xlsx and 整改台账.json, which next year's
`qe collect --previous` reads.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import xlsxwriter

from ..dates import chinese_date
from ..forms.layout import cell_ref
from ..forms.manifest import LockedContent, Manifest
from ..forms.register import RECTIFY, Register
from ..intake.read_form import RawForm, cell_text, is_blank
from ..intake.returns import FormKind, Locked, Returns, check_signed, newer_generations, same_returns
from ..outputs.export import PAPER_PROBLEM_HEADER, paper_problem_rows
from ..outputs.sheets import Sheets, column_widths, sheet_paper
from ..problems import Problem, problem
from ..rubric import Rubric
from ..run_folder import new_run_folder
from ..units.screen import LIMITS, screen, walk_files
from ..workbooks import mark_output
from .layout import (
    COL_DUE,
    COL_MEASURE,
    COL_OWNER,
    COL_STATUS,
    COLLECTED_DIR,
    FIRST_ROW,
    HEADER,
    HEADER_ROW,
    LEDGER_FORMAT,
    LEDGER_JSON,
    LEDGER_XLSX,
    SHEET,
    TITLE_ROW,
    UNIT_ROW,
    Progress,
)  # fmt: skip

JSON_FORMAT = "qe_workbook-rectify-ledger/1"
RECEIVED, MISSING, REJECTED = "已交回", "未交回", "未采用"
EXCEL_EPOCH = date(1899, 12, 30)


@dataclass(frozen=True)
class LedgerLine:
    """One problem of one unit with what the unit reported on it."""

    unit: str
    item: str  # item id
    item_text: str
    problem: str
    evaluators: str
    measure: str
    owner: str
    due: str  # ISO date, or "" when not (validly) given
    status: str  # a Progress value, or "" when not (validly) given
    overdue: bool
    file: str
    cell: str  # the row's 进展 cell


@dataclass
class LedgerReturn:
    unit: str
    file: str
    sha256: str | None
    lines: list[LedgerLine]
    problems: list[Problem]
    accepted: bool
    form_id: str = ""
    key: Hashable = None  # what makes two ledgers one return (the kind's key)

    def held(self) -> Hashable:
        """The entries, whatever the file (identical copies count once)."""
        return tuple(replace(line, file="") for line in self.lines)


@dataclass
class RectifyCollect:
    today: date
    lines: list[LedgerLine]
    units: dict[str, tuple[str, str]]  # unit -> (status, file)
    problems: list[Problem]
    source: str = ""  # the run the ledgers were generated from, when the register knows it
    written: list[Path] = field(default_factory=list)

    @property
    def overdue(self) -> list[LedgerLine]:
        return [line for line in self.lines if line.overdue]

    def to_dict(self) -> dict[str, Any]:
        return {"format": JSON_FORMAT, "today": self.today.isoformat(), "run": self.source,
                "units": {u: {"status": s, "file": f} for u, (s, f) in self.units.items()},
                "lines": [asdict(line) for line in self.lines]}  # fmt: skip


LEDGER = FormKind(LEDGER_FORMAT, Locked(title=(TITLE_ROW, 0), owner=(UNIT_ROW, 0), header_row=HEADER_ROW,
                                         header_columns=len(HEADER), first_row=FIRST_ROW, row_columns=(1, 2, 3, 4)))  # fmt: skip


def _open(returns: Returns, path: Path, shown: str) -> tuple[RawForm | None, str | None, list[Problem]]:
    screened = screen(path, shown)
    if screened.data is None:
        return None, screened.sha256, screened.problems
    raw, problems = returns.open(screened.data, shown)
    return raw, screened.sha256, problems


def _issued(returns: Returns, register: Register | None) -> Callable[[Manifest], LockedContent | None]:
    """The locked content of a ledger as issued (the office's copy, found through the register)."""

    def issued(manifest: Manifest) -> LockedContent | None:
        found = register.generation_of(manifest.form_id) if register else None
        if found is None:
            return None
        gen, form = found
        raw, _, _ = _open(returns, Path(gen.folder) / form.file, form.file)
        return LEDGER.content(raw, manifest) if raw is not None else None

    return issued


def read_return(returns: Returns, path: Path, shown: str, rubric: Rubric, key: bytes, today: date,
                register: Register | None = None) -> LedgerReturn | list[Problem]:  # fmt: skip
    """One returned file: a ledger (accepted, or rejected with its problems), or the problems of a file that is
    not a ledger of this year."""
    raw, sha, problems = _open(returns, path, shown)
    if raw is None:
        return problems or [problem("RECTIFY_NOT_LEDGER", file=shown)]
    signed = check_signed(raw, LEDGER, key, _issued(returns, register))
    if signed is None:
        return [problem("RECTIFY_NOT_LEDGER", file=shown)]
    manifest = signed.manifest
    unit = next((u.name for u in rubric.units if u.name == LEDGER.owner(manifest)), None)
    if manifest.year != rubric.year or unit is None:
        return [problem("RECTIFY_OTHER_YEAR", file=shown, year=manifest.year, rubric_year=rubric.year)]
    where: dict[str, Any] = {"file": shown, "sheet": SHEET}
    if not signed.verified:
        if signed.edits is not None:
            edited = [problem("RECTIFY_LOCKED_CHANGED", **where, cell=e.cell, found=e.found[:40],
                              expected=e.expected[:40]) for e in signed.edits]  # fmt: skip
        else:
            edited = [problem("RECTIFY_SIGNATURE_INVALID", file=shown, unit=manifest.evaluator)]
        return LedgerReturn(unit, shown, sha, [], edited, False, manifest.form_id, LEDGER.key(unit, manifest))
    lines = []
    for n, (item, item_text, told, evaluators) in enumerate(signed.content.rows):
        row = FIRST_ROW + n
        line, found = _line(raw, row, unit, (item, item_text, told, evaluators), today, where)
        lines.append(line)
        problems += found
    return LedgerReturn(unit, shown, sha, lines, problems, True, manifest.form_id, LEDGER.key(unit, manifest))


def _line(raw: RawForm, row: int, unit: str, fixed: tuple[str, ...], today: date,
          where: dict[str, Any]) -> tuple[LedgerLine, list[Problem]]:  # fmt: skip
    problems = []
    measure, owner = (cell_text(raw.cell(row, c)).strip() for c in (COL_MEASURE, COL_OWNER))
    due_value, status = raw.cell(row, COL_DUE), cell_text(raw.cell(row, COL_STATUS)).strip()
    due = as_date(due_value)
    facts: dict[str, Any] = {"unit": unit, "item": fixed[0]}
    if due is None and not is_blank(due_value):
        problems.append(problem("RECTIFY_BAD_DATE", **where, cell=cell_ref(row, COL_DUE), **facts,
                                value=cell_text(due_value)))  # fmt: skip
    blank = [HEADER[c] for c, v in ((COL_MEASURE, measure), (COL_OWNER, owner), (COL_DUE, due_value),
                                     (COL_STATUS, status)) if is_blank(v)]  # fmt: skip
    if status and status not in set(Progress):
        problems.append(problem("RECTIFY_BAD_STATUS", **where, cell=cell_ref(row, COL_STATUS), **facts, value=status))
        status = ""
    if blank and status != Progress.DONE:
        problems.append(problem("RECTIFY_ROW_INCOMPLETE", **where, cell=cell_ref(row, COL_MEASURE), **facts,
                                columns=blank))  # fmt: skip
    overdue = status != Progress.DONE and due is not None and due < today
    if overdue:
        problems.append(problem("RECTIFY_OVERDUE", **where, cell=cell_ref(row, COL_DUE), **facts,
                                due=f"{due:%Y-%m-%d}", status=status or "未填写", today=f"{today:%Y-%m-%d}"))  # fmt: skip
    line = LedgerLine(unit, fixed[0], fixed[1], fixed[2], fixed[3], measure, owner, f"{due:%Y-%m-%d}" if due else "",
                      status, overdue, where["file"], cell_ref(row, COL_STATUS))  # fmt: skip
    return line, problems


def as_date(value: Any) -> date | None:
    """A date as a spreadsheet gives it back: a date cell, a serial number, or text like 2023-06-30 / 2023年6月30日."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 20000 < value < 80000:
        return EXCEL_EPOCH + timedelta(days=int(value))
    text = cell_text(value).strip()
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def collect_ledgers(source: Path, rubric: Rubric, key: bytes, *, today: date,
                    register: Register | None = None) -> RectifyCollect:  # fmt: skip
    """Check every file under `source` and merge the accepted ledgers (one per unit) into one ledger."""
    problems: list[Problem] = []
    returns: list[LedgerReturn] = []
    with Returns(LIMITS) as session:
        for path, shown in walk_files(source):
            found = read_return(session, path, shown, rubric, key, today, register)
            if isinstance(found, list):
                problems += found
            else:
                returns.append(found)
    retired = _retire_superseded(returns, register)
    problems += [p for r in returns if r.file not in retired for p in r.problems] + list(retired.values())
    units: dict[str, tuple[str, str]] = {}
    lines: list[LedgerLine] = []
    groups = same_returns([r for r in returns if r.accepted], lambda r: r.key, LedgerReturn.held)
    for unit in rubric.units:
        mine = [r for r in returns if r.unit == unit.name]
        group = groups.get(LEDGER.key(unit.name))
        accepted = group.kept if group else []
        if len(accepted) > 1:
            problems.append(problem("RECTIFY_DUPLICATE", unit=unit.name, files=[r.file for r in accepted],
                                    count=len(accepted)))  # fmt: skip
            units[unit.name] = (REJECTED, "、".join(r.file for r in accepted))
        elif accepted:
            units[unit.name] = (RECEIVED, accepted[0].file)
            lines += accepted[0].lines
        elif mine:
            units[unit.name] = (REJECTED, "、".join(r.file for r in mine))
        else:
            units[unit.name] = (MISSING, "")
            problems.append(problem("RECTIFY_MISSING", unit=unit.name))
    return RectifyCollect(today, lines, units, problems, _source(register, returns))


def _retire_superseded(returns: list[LedgerReturn], register: Register | None) -> dict[str, Problem]:
    """A ledger of an earlier generation is set aside when the unit also returned its newer ledger (generated
    again, e.g. after a correction); returns the retired files, each with its note."""
    notes = {}
    for r, newer in newer_generations([r for r in returns if r.accepted], lambda r: r.form_id, register):
        if newer.returned:
            r.accepted = False
            notes[r.file] = problem("RECTIFY_SUPERSEDED", file=r.file, unit=r.unit, number=newer.new.number,
                                    newer=newer.form.file)  # fmt: skip
    return notes


def _source(register: Register | None, returns: list[LedgerReturn]) -> str:
    """The run the accepted ledgers were generated from, when the register says (and they agree)."""
    if register is None:
        return ""
    sources = {g.source for g in register.generations if g.kind == RECTIFY and g.source}
    units = {r.unit for r in returns if r.accepted}
    used = {
        g.source
        for g in register.generations
        if g.kind == RECTIFY and g.source and any(f.evaluator in units for f in g.forms)
    }
    return next(iter(used)) if len(used) == 1 else (next(iter(sources)) if len(sources) == 1 else "")


LEDGER_HEADER = ["被考核单位", "项目编号", "考核项目", "反馈的问题", "评价部门", "整改措施", "责任单位", "完成时限", "进展",
                 "是否逾期", "来源文件", "单元格"]  # fmt: skip
LEDGER_WIDTHS = [10, 8, 20, 30, 10, 28, 12, 18, 8, 8, 24, 8]  # 完成时限: 2023年12月31日 on one line


def write_ledger_book(folder: Path, rubric: Rubric, collected: RectifyCollect) -> list[Path]:
    """整改台账汇总.xlsx (the ledger, who returned what, the problems) and 整改台账.json."""
    path = folder / LEDGER_XLSX
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})  # fmt: skip
    mark_output(wb, f"{rubric.year}年度考核反馈问题整改台账汇总", rubric.office)
    s = Sheets(wb, rubric.office)
    ws = wb.add_worksheet("整改台账汇总")
    ws.write_string(0, 0, f"{rubric.city}{rubric.year}年度考核反馈问题整改台账汇总（截至{chinese_date(collected.today)}，"
                          f"共 {len(collected.lines)} 个问题，逾期 {len(collected.overdue)} 个）", s.title)  # fmt: skip
    rows = [[ln.unit, ln.item, ln.item_text, ln.problem, ln.evaluators, ln.measure, ln.owner, _day(ln.due),
             ln.status or "（未填写）", "逾期" if ln.overdue else "", ln.file, ln.cell] for ln in collected.lines]  # fmt: skip
    last = s.table(ws, 2, LEDGER_HEADER, rows, LEDGER_WIDTHS)
    column_widths(ws, LEDGER_WIDTHS)
    sheet_paper(ws, 2, last, LEDGER_HEADER.index("是否逾期"), owner=s.owner)  # the source file and cell on screen only
    ws2 = wb.add_worksheet("报送情况")
    counts = {u: [ln for ln in collected.lines if ln.unit == u] for u in collected.units}
    rows2 = [[u, status, *(_counts(counts[u]) if status == RECEIVED else [""] * 5), file]
             for u, (status, file) in collected.units.items()]  # fmt: skip
    widths2 = [12, 8, 8, 8, 8, 8, 8, 30]
    header2 = ["被考核单位", "台账", "问题数", *(str(p) for p in Progress), "逾期", "文件"]
    last2 = s.table(ws2, 0, header2, rows2, widths2)
    column_widths(ws2, widths2)
    sheet_paper(ws2, 0, last2, len(header2) - 2, owner=s.owner)  # the file name on screen only
    ws3 = wb.add_worksheet("问题清单")
    widths3 = [6, 30, 10, 8, 60, 24]
    last3 = s.table(ws3, 0, PAPER_PROBLEM_HEADER, paper_problem_rows(collected.problems), widths3)
    column_widths(ws3, widths3)
    sheet_paper(ws3, 0, last3, len(PAPER_PROBLEM_HEADER) - 2, owner=s.owner)  # the code on screen only
    wb.close()
    data = {**collected.to_dict(), "year": rubric.year}
    json_path = folder / LEDGER_JSON
    json_path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return [path, json_path]


def _counts(lines: list[LedgerLine]) -> list[int]:
    """问题数, then how many are 未开始, 推进中, 已完成, and how many are overdue."""
    by_status = [sum(1 for ln in lines if ln.status == p) for p in Progress]
    return [len(lines), *by_status, sum(1 for ln in lines if ln.overdue)]


def _day(text: str) -> str:
    """A 完成时限 as a reader writes it (2023年6月30日); text that is no date as it is."""
    try:
        return chinese_date(date.fromisoformat(text))
    except (TypeError, ValueError):
        return text


def rectify_collect(source: Path, rubric: Rubric, key: bytes, *, today: date | None = None,
                    out_parent: Path | None = None, register: Register | None = None,
                    fallback_parent: Path = Path("out") / COLLECTED_DIR) -> RectifyCollect:  # fmt: skip
    """Collect the returned ledgers under `source` and write the ledger into a new folder `<parent>/<time>`:
    `out_parent`, else `<run>/整改情况` of the run the ledgers came from, else `fallback_parent`."""
    collected = collect_ledgers(source, rubric, key, today=today or date.today(), register=register)
    parent = out_parent or (Path(collected.source) / COLLECTED_DIR if collected.source else fallback_parent)
    with new_run_folder(parent) as (tmp, finish):
        written = write_ledger_book(tmp, rubric, collected)
        folder = finish()
    collected.written = [folder / p.name for p in written]
    return collected
