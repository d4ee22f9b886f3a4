"""Where everything sits on an evaluation form (附件6). Shared by the generator and the collector.

Row and column numbers are 0-based (as xlsxwriter counts); `cell_ref` turns them into A1 names.
"""

from __future__ import annotations

from dataclasses import dataclass

from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

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
    """0 -> 'A', 26 -> 'AA'."""
    return str(xl_col_to_name(col))


def cell_ref(row: int, col: int) -> str:
    """(0, 0) -> 'A1'."""
    return str(xl_rowcol_to_cell(row, col))


def column_fixed_ref(row: int, col: int) -> str:
    """(4, 4) -> '$E5': the column fixed, the row relative (a formula applied down a column)."""
    return str(xl_rowcol_to_cell(row, col, col_abs=True))


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


def form_rows(rubric: Rubric, evaluator: str) -> list[FormRow]:
    """The table of one evaluator's form: blocks per unit in the plan's order, items numbered 1., 2., …"""
    items = rubric.items_for(evaluator)
    rows: list[FormRow] = []
    for unit in rubric.units:
        for number, item in enumerate(items, start=1):
            rows.append(FormRow(unit, item, number, FIRST_DATA_ROW + len(rows)))
    return rows


def notes_row(rows: list[FormRow]) -> int:
    return FIRST_DATA_ROW + len(rows) + 1


def form_title(rubric: Rubric) -> str:
    return f"{rubric.city}{rubric.year}年度政府质量工作考核评价表"


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


def expected_content(rubric: Rubric, evaluator: Evaluator) -> LockedContent:
    """The locked content a form for this evaluator carries (what the HMAC covers)."""
    return LockedContent(
        sheets=SHEETS,
        title=form_title(rubric),
        department=dept_text(evaluator),
        header=HEADER,
        rows=tuple((r.unit.name, r.item.id, r.text, max_cell_value(r.item)) for r in form_rows(rubric, evaluator.name)),
    )
