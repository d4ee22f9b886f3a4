"""Where everything sits on an evaluation form (附件6). Shared by the generator and the collector.

Row and column numbers are 0-based (as xlsxwriter counts); `cell_ref` turns them into A1 names.
The same layout carries a unit's 自评打分表 (units/self_score.py): a `FormSpec` says what differs
between the forms (whose form it is, the title and owner line, the header, the rows, the notes).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from ..amounts import canonical
from ..rubric import Evaluator, Item, Rubric, Unit
from ..widths import display_width as display_width
from .asks import Ask, entry_numbers, is_plain, row_prompt
from .manifest import FORMAT, LockedContent

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


DATE_CELL = cell_ref(DATE_ROW, DATE_COL)
CODE_CELL = cell_ref(DATE_ROW, LAST_COL)  # 表单编号 and 校验码, beside the stamp line


@dataclass(frozen=True)
class FormRow:
    """One line of the table: an item to score for a unit; `block` is what its second column shows
    (the unit on an evaluation form, the area on a unit's self-score table), one block per page."""

    unit: Unit
    item: Item
    number: int
    row: int
    block: str
    entry: int = 0  # 0: the item's one input; 1..n: a checklist's aspect
    points: bool = False  # the points whatever the rule (a unit's self-score, a bonus claimed), the rule stated

    @property
    def ask(self) -> Ask:
        """What the row asks for (the item's rule decides: a score, a tier, a figure, an aspect's 是/否 …)."""
        return Ask.points(self.item) if self.points else Ask.of(self.item, self.entry)

    @property
    def text(self) -> str:
        """The item text numbered; under it, what to enter when the rule asks other than a plain score (or, for
        points whatever the rule, the rule in words). A checklist's later aspects carry the number only."""
        if self.entry > 1:
            return f"{self.number}. {row_prompt(self.item, self.entry)}"
        if self.points:
            prompt = "" if is_plain(self.item) else f"（细则：{self.item.words()}）"
        else:
            prompt = row_prompt(self.item, self.entry)
        return f"{self.number}. {self.item.text}" + (f"\n{prompt}" if prompt else "")

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
        for number, item in enumerate((i for i in items if i.applies_to(unit)), start=1):
            for entry in entry_numbers(item):
                rows.append(FormRow(unit, item, number, FIRST_DATA_ROW + len(rows), unit.name, entry))
    return rows


def notes_row(rows: list[FormRow]) -> int:
    return FIRST_DATA_ROW + len(rows) + 1


SIGNATURE_GAP = 1  # blank rows between the notes and the signature block


def signature_row(rows: list[FormRow]) -> int:
    """The first of the signature block's two rows (the stamp line; 负责人, 经办人, 联系电话 under it), under the
    notes' one cell."""
    return notes_row(rows) + 1 + SIGNATURE_GAP


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


@dataclass(frozen=True)
class FormSpec:
    """One signed fill-in table as issued: whose it is, what it says, which rows it has.

    An evaluator's 评价表 (a correction form: some units' rows), and a unit's 自评打分表 share the layout
    above; this is what differs."""

    format: str  # the manifest's format
    owner: str  # the evaluator (or unit) the form is for: the manifest's `evaluator` field
    owner_label: str  # how the line under the title is named in a problem: 评价部门, 被考核单位
    sheet: str  # the table's sheet
    sheets: tuple[str, ...]
    title: str
    owner_line: str
    subject: str  # the workbook's subject property
    header: tuple[str, ...]
    rows: tuple[FormRow, ...]
    blocks: tuple[str, ...]  # every name the second column may show (its width fits the longest)
    notes: tuple[str, ...]
    hint: str
    remark_prompt: str  # the input prompt of the remark column
    deadline: date  # the example in the date cell's prompt; a later fill date is warned about when `late`
    late: bool = True
    flow_blocks: bool = False  # blocks share pages, a tall one starting low on a page (areas); else a page each (units)
    printed_owner: str = ""  # whose form it is, named at the top of every printed page (default: `owner`)
    attachment: str = ""  # the plan's attachment number printed at the top left ("附件6")

    @property
    def last_col(self) -> int:
        return len(self.header) - 1

    def content(self) -> LockedContent:
        """The locked content the form carries (what the HMAC covers)."""
        return LockedContent(
            sheets=self.sheets,
            title=self.title,
            department=self.owner_line,
            header=self.header,
            rows=tuple((r.block, r.item.id, r.text, max_cell_value(r.item)) for r in self.rows),
        )

    def items(self) -> list[Item]:
        """The items on the form, once each, in their order."""
        return list({r.item.id: r.item for r in self.rows}.values())


EVALUATION_HINT = (
    "填写说明：浅黄色单元格是填写处，只在其中填写“实际得分”“评价说明”和“填报日期”，其他内容已锁定。"
    "评分项填得分（0至满分，最多两位小数）；扣分项填事件次数（未发生填0）；加分项填加分（不符合填0）；"
    "否决项选“是”或“否”。有失分、扣分或否决的须在“评价说明”中写明优势不足和改进建议，"
    "未写时该单元格变为橙色提醒。请勿增删行列。"
)
EVALUATION_REMARK_PROMPT = "客观说明工作中的优势、不足和改进建议（500字以内）。有失分、扣分或否决的必须填写。"


def correction_hint(units: Collection[str]) -> str:
    return (
        f"更正说明：本表是更正表，只含{'、'.join(units)}的评价项目。请在浅黄色单元格中填写更正后的"
        "“实际得分”“评价说明”和“填报日期”，不需更正的项目也照原值填写：汇总时本表替换原评价表中这些"
        f"县区的全部项目，其他县区仍按原评价表。灰色的“{REFERENCE_HEADER}”是市质强办目前采用的值，仅供核对。"
        "填法与原评价表相同，有失分、扣分或否决的须写明评价说明。请勿增删行列。"
    )


RULES_HINT = (
    "按档次、指标数值或逐项核查评分的项目，按项目下方的提示填写："
    "档次和“是/否”在下拉列表中选择，指标数值只填数字（不填得分），汇总时按细则换算为得分。"
)


def with_rules_hint(hint: str, rows: Collection[FormRow]) -> str:
    """The hint, and how rows whose rule asks other than a plain score are filled (when the form has some)."""
    return f"{hint}{RULES_HINT}" if any(not r.ask.plain for r in rows) else hint


def evaluation_spec(rubric: Rubric, evaluator: Evaluator, units: Collection[str] = ()) -> FormSpec:
    """The evaluation form (附件6) of one evaluator; with `units`, its correction form for those units."""
    rows = tuple(form_rows(rubric, evaluator.name, units))
    return FormSpec(
        format=FORMAT,
        owner=evaluator.name,
        owner_label="评价部门",
        sheet=FORM_SHEET,
        sheets=SHEETS,
        title=form_title(rubric, units),
        owner_line=dept_text(evaluator),
        subject=f"考核评价表：{display_name(evaluator)}",
        header=form_header(units),
        rows=rows,
        blocks=tuple(u.name for u in rubric.units),
        notes=NOTES,
        hint=with_rules_hint(correction_hint(units) if units else EVALUATION_HINT, rows),
        remark_prompt=EVALUATION_REMARK_PROMPT,
        deadline=rubric.return_deadline,
        late=not units,  # a correction comes after the deadline
        printed_owner=display_name(evaluator),
        attachment=rubric.texts.attachments.form,  # the plan's label of the evaluation form (附件6)
    )


def expected_content(rubric: Rubric, evaluator: Evaluator, units: Collection[str] = ()) -> LockedContent:
    """The locked content a form for this evaluator (a correction form: for these units) carries (what the
    HMAC covers)."""
    return evaluation_spec(rubric, evaluator, units).content()
