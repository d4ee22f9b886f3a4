"""Where everything sits on an evaluation form (附件6). Shared by the generator and the collector.

Row and column numbers are 0-based (as xlsxwriter counts); `cell_ref` turns them into A1 names.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from ..amounts import canonical
from ..rubric import Evaluator, Item, Rubric, Unit
from ..widths import display_width as display_width
from .manifest import LockedContent

FORM_SHEET = "评价表"
GUIDE_SHEET = "评分指引"
MANIFEST_SHEET = "qe_manifest"
SHEETS = (FORM_SHEET, GUIDE_SHEET, MANIFEST_SHEET)

HEADER = ("项目编号", "所评县区", "所评价项目", "满分", "实际得分", "评价说明")
COL_ID, COL_UNIT, COL_TEXT, COL_MAX, COL_SCORE, COL_REMARK = range(6)
LAST_COL = COL_REMARK
# A correction form (some units' rows of one evaluator) adds one locked column after the remark: the value
# the office currently adopts for the row, shown for reference.
REFERENCE_HEADER = "现采用值"
COL_REFERENCE = LAST_COL + 1
CORRECTION_MARK = "（更正）"

TITLE_ROW, DEPT_ROW, HINT_ROW, HEADER_ROW = 0, 1, 2, 3
FIRST_DATA_ROW = 4
LABEL_COL = 0  # the title, department and hint lines start in the first column
DATE_ROW, DATE_COL = DEPT_ROW, COL_SCORE

DEPT_LABEL = "考核评价部门（盖章）："
DATE_LABEL = "填报日期："
REMARK_MAX_CHARS = 500
VETO_YES, VETO_NO = "是", "否"  # the two answers of a veto item
MAX_EVENTS = 99

NOTES = (
    "注：1. “评价项目”即对应考核要点；",
    "2. “评价说明”需客观说明工作中的优势不足和改进建议；",
    "3. 本表需盖评价部门印章，汇总后市质强办存档。",
)


def col_letter(col: int) -> str:
    """0 -> 'A', 26 -> 'AA' (written here: importing xlsxwriter for this slows every command's start)."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """(0, 0) -> 'A1'."""
    return f"{col_letter(col)}{row + 1}"


def column_fixed_ref(row: int, col: int) -> str:
    """(4, 4) -> '$E5': the column fixed, the row relative (a formula applied down a column)."""
    return f"${col_letter(col)}{row + 1}"


TITLE_CELL = cell_ref(TITLE_ROW, LABEL_COL)
DEPT_CELL = cell_ref(DEPT_ROW, LABEL_COL)
DATE_CELL = cell_ref(DATE_ROW, DATE_COL)
CODE_CELL = cell_ref(DATE_ROW, LAST_COL)  # 表单编号 and 校验码, beside the stamp line


@dataclass(frozen=True)
class FormRow:
    """One line of the table: an item to score for a unit."""

    unit: Unit
    item: Item
    number: int
    row: int

    @property
    def text(self) -> str:
        return f"{self.number}. {self.item.text}"

    @property
    def score_cell(self) -> str:
        return cell_ref(self.row, COL_SCORE)

    @property
    def remark_cell(self) -> str:
        return cell_ref(self.row, COL_REMARK)


def form_rows(rubric: Rubric, evaluator: str, units: Collection[str] = ()) -> list[FormRow]:
    """The table of one evaluator's form: blocks per unit in the plan's order, items numbered 1., 2., …

    With `units` (a correction form), only those units' blocks."""
    items = rubric.items_for(evaluator)
    rows: list[FormRow] = []
    for unit in rubric.units:
        if units and unit.name not in units:
            continue
        for number, item in enumerate(items, start=1):
            rows.append(FormRow(unit, item, number, FIRST_DATA_ROW + len(rows)))
    return rows


def notes_row(rows: list[FormRow]) -> int:
    return FIRST_DATA_ROW + len(rows) + 1


def form_title(rubric: Rubric, units: Collection[str] = ()) -> str:
    return f"{rubric.city}{rubric.year}年度政府质量工作考核评价表{CORRECTION_MARK if units else ''}"


def form_header(units: Collection[str] = ()) -> tuple[str, ...]:
    """The table's column titles; a correction form has the reference column too."""
    return (*HEADER, REFERENCE_HEADER) if units else HEADER


def last_col(units: Collection[str] = ()) -> int:
    return COL_REFERENCE if units else LAST_COL


def dept_text(evaluator: Evaluator) -> str:
    return f"{DEPT_LABEL}{display_name(evaluator)}"


def display_name(evaluator: Evaluator) -> str:
    """The evaluator as printed: sections carry their bureau (市市场监管局监督科)."""
    return f"{evaluator.bureau}{evaluator.name}" if evaluator.bureau else evaluator.name


def form_file_name(rubric: Rubric, evaluator: Evaluator) -> str:
    return f"{rubric.year}年度质量工作考核评价表_{display_name(evaluator)}.xlsx"


def max_cell_value(item: Item) -> str:
    """The canonical text of the 满分 cell (the cap for a deduction)."""
    return canonical(item.max)


def correction_file_name(rubric: Rubric, evaluator: Evaluator, units: Collection[str], stamp: str) -> str:
    """A correction form's file name: the department, the units (or how many) and when it was made."""
    names = [u.name for u in rubric.units if u.name in units]
    shown = "、".join(names) if len(names) <= 3 else f"{names[0]}等{len(names)}个单位"
    return f"{rubric.year}年度质量工作考核评价表{CORRECTION_MARK}_{display_name(evaluator)}_{shown}_{stamp}.xlsx"


def expected_content(rubric: Rubric, evaluator: Evaluator, units: Collection[str] = ()) -> LockedContent:
    """The locked content a form for this evaluator (a correction form: for these units) carries (what the
    HMAC covers)."""
    rows = form_rows(rubric, evaluator.name, units)
    return LockedContent(
        sheets=SHEETS,
        title=form_title(rubric, units),
        department=dept_text(evaluator),
        header=form_header(units),
        rows=tuple((r.unit.name, r.item.id, r.text, max_cell_value(r.item)) for r in rows),
    )
