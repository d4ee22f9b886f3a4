"""Generate one locked 附件6 evaluation workbook per evaluator, and the dispatch list.

Forms are written with xlsxwriter: only 实际得分, 评价说明 and 填报日期 are unlocked; every
input cell carries data validation with Chinese prompts; the manifest is signed with the
office's key. The same rubric, key and options give byte-identical files.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..amounts import as_number, canonical
from ..dates import chinese_date
from ..rubric import (
    JOINT_RULE_LABELS,
    KIND_LABELS,
    BaseRule,
    ChecklistRule,
    Evaluator,
    Item,
    Kind,
    PerEventRule,
    RangedRule,
    Rubric,
    TiersRule,
    VetoRule,
)
from ..rubric.view import max_label, veto_outcome
from ..workbooks import mark_output, new_workbook
from .asks import is_plain, row_prompt
from .check_code import write_code_cell
from .layout import (
    COL_ID,
    COL_MAX,
    COL_REFERENCE,
    COL_REMARK,
    COL_SCORE,
    COL_TEXT,
    COL_UNIT,
    DATE_CELL,
    DATE_COL,
    DATE_LABEL,
    DATE_ROW,
    DEPT_ROW,
    FIRST_DATA_ROW,
    FORM_SHEET,
    GUIDE_SHEET,
    HEADER_ROW,
    HINT_ROW,
    LABEL_COL,
    MANIFEST_SHEET,
    MAX_EVENTS,
    REMARK_MAX_CHARS,
    TITLE_ROW,
    VETO_NO,
    VETO_YES,
    FormRow,
    FormSpec,
    cell_ref,
    column_fixed_ref,
    display_name,
    evaluation_spec,
    form_file_name,
    notes_row,
    signature_row,
)
from .manifest import UNIT_SEPARATOR, Manifest, derive, sign
from .paper import (
    DATE_FORMAT,
    SIGNATURE_HEIGHT,
    GrowingWorksheet,
    block_breaks,
    broken_lines,
    code_width,
    fewest_pages,
    name_width,
    page_setup,
    pages_printed,
    print_scale,
    text_height,
    text_width,
    write_signature,
)
from .register import FULL, FormRecord, Register

INPUT_FILL = "#FFF2CC"  # 浅黄色: the cells a department fills, on screen and on paper
NO_REMARK_FILL = "#F4B183"  # 橙色: a shortfall entered without its remark
REFERENCE_FILL = "#EDEDED"  # 浅灰色: a correction form's locked reference values
REFERENCE_WIDTH = 12
NO_REFERENCE = "（无）"
FIXED_WIDTHS = {COL_ID: 9, COL_MAX: 12, COL_SCORE: 12}
TOTAL_WIDTH = 144  # all six columns: one A4 landscape page at about 93 %
TITLE_HEIGHT, DEPT_HEIGHT, HEADER_HEIGHT, NOTE_HEIGHT = 30.0, 30.0, 22.0, 16.0
REMARK_FONT_SIZE = 9  # a remark of REMARK_MAX_CHARS characters fits on page 1 under the title and the hint
REMARK_ROOM = 100  # characters of remark each row of a unit's block is given room for when pages are planned
FONT = "宋体"


@dataclass(frozen=True)
class FormFile:
    evaluator: Evaluator
    path: Path
    form_id: str
    items: int
    rows: int


@dataclass(frozen=True)
class GenerateResult:
    forms: list[FormFile]
    idle: list[Evaluator]
    dispatch_list: Path


def generate_forms(
    rubric: Rubric,
    out_dir: Path,
    key: bytes,
    *,
    password: str | None = None,
    seed: str = "",
    generated_at: datetime | None = None,
    progress: Callable[[Evaluator], None] | None = None,
    register: Register | None = None,
) -> GenerateResult:
    """Write one form per evaluator with items, plus 发放清单.xlsx; return what was written.

    With a `register`, this generation is recorded there (and the register saved)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    when = (generated_at or datetime.now()).replace(microsecond=0)
    forms = []
    for evaluator in rubric.form_evaluators():
        form_id = derive(key, "form-id", rubric.content_hash, evaluator.name, seed)
        path = out_dir / form_file_name(rubric, evaluator)
        forms.append(write_form(rubric, evaluator, path, key, form_id=form_id, when=when, password=password))
        if progress:
            progress(evaluator)
    dispatch = write_dispatch_list(rubric, forms, out_dir / "发放清单.xlsx", when)
    if register is not None:
        register.add(
            kind=FULL, generated_at=when.isoformat(), seed=seed, year=rubric.year, rubric_hash=rubric.content_hash,
            folder=str(out_dir), forms=[FormRecord(f.evaluator.name, f.form_id, f.path.name) for f in forms],
        )  # fmt: skip
        register.save()
    return GenerateResult(forms, list(rubric.idle_evaluators()), dispatch)


def write_form(
    rubric: Rubric, evaluator: Evaluator, path: Path, key: bytes, *, form_id: str, when: datetime,
    password: str | None = None, units: Sequence[str] = (), reference: Mapping[tuple[str, str, int], str] | None = None,
) -> FormFile:  # fmt: skip
    """Sign and write one evaluator's form; with `units` (in rubric order), a correction form holding only
    those units' rows, with the `reference` text of each (unit, item id, entry) in its locked reference column."""
    spec = evaluation_spec(rubric, evaluator, units)
    manifest = write_signed(rubric, spec, path, key, form_id=form_id, when=when, password=password, units=units,
                            evaluator=evaluator, reference=reference)  # fmt: skip
    return FormFile(evaluator, path, manifest.form_id, len(rubric.items_for(evaluator.name)), len(spec.rows))


def write_signed(
    rubric: Rubric, spec: FormSpec, path: Path, key: bytes, *, form_id: str, when: datetime,
    password: str | None = None, units: Sequence[str] = (), evaluator: Evaluator | None = None,
    reference: Mapping[tuple[str, str, int], str] | None = None,
) -> Manifest:  # fmt: skip
    """Sign the spec's locked content with the office's key and write the form (any signed fill-in table:
    an evaluation form, a correction form, a unit's self-score table); with an `evaluator`, its 评分指引 too."""
    manifest = Manifest(format=spec.format, year=rubric.year, rubric_hash=rubric.content_hash, evaluator=spec.owner,
                        form_id=form_id, generated_at=when.isoformat(), units=UNIT_SEPARATOR.join(units))  # fmt: skip
    manifest = sign(key, manifest, spec.content())
    sheet_password = password or derive(key, "sheet-password", manifest.form_id)
    FormWriter(rubric, spec, manifest, evaluator, reference).write(path, sheet_password, when)
    return manifest


class FormWriter:
    """Writes one signed form: its table (a correction form: with the reference column), the evaluator's
    评分指引 (for an evaluation form) and the manifest."""

    def __init__(
        self, rubric: Rubric, spec: FormSpec, manifest: Manifest, evaluator: Evaluator | None,
        reference: Mapping[tuple[str, str, int], str] | None = None,
    ) -> None:  # fmt: skip
        self.rubric, self.spec, self.manifest, self.evaluator = rubric, spec, manifest, evaluator
        self.rows = list(spec.rows)
        self.units = manifest.unit_names
        self.last = spec.last_col
        self.reference = reference or {}

    def write(self, path: Path, password: str, when: datetime) -> None:
        wb = new_workbook(path)
        wb.set_properties(
            {
                "title": self.spec.title,
                "subject": self.spec.subject,
                "author": self.rubric.office,
                "company": self.rubric.office_full_name,
                "created": when,
            }
        )
        for name, value in self.manifest.rows():
            wb.set_custom_property(f"qe_{name}", value)
        self.fmt = _formats(wb)
        self._max_formats(wb)
        self._form_sheet(wb.add_worksheet(self.spec.sheet, worksheet_class=GrowingWorksheet), password)
        if self.evaluator is not None:
            self._guide_sheet(wb.add_worksheet(GUIDE_SHEET), self.evaluator, password)
        write_manifest_sheet(wb.add_worksheet(MANIFEST_SHEET), self.manifest, password, width=30)
        wb.close()

    # -- 评价表 ------------------------------------------------------------------------------
    def _form_sheet(self, ws: GrowingWorksheet, password: str) -> None:
        f = self.fmt
        self.widths = _form_widths(self.spec.blocks, self.rows, reference=bool(self.units))
        for col, width in self.widths.items():
            ws.set_column(col, col, width)
        ws.set_row(TITLE_ROW, TITLE_HEIGHT)
        ws.merge_range(TITLE_ROW, LABEL_COL, TITLE_ROW, self.last, self.spec.title, f["title"])
        ws.set_row(DEPT_ROW, DEPT_HEIGHT)
        ws.merge_range(DEPT_ROW, LABEL_COL, DEPT_ROW, COL_TEXT, self.spec.owner_line, f["dept"])
        ws.write_string(DATE_ROW, DATE_COL - 1, DATE_LABEL, f["date_label"])
        ws.write_blank(DATE_ROW, DATE_COL, None, f["date_input"])
        write_code_cell(ws, self.rows, f"表单编号：{self.manifest.form_id}\n", f["code"], last_col=self.last)
        hint = broken_lines(self.spec.hint, sum(self.widths.values()))
        self.hint_height = text_height([(hint, sum(self.widths.values()))])
        ws.set_row(HINT_ROW, self.hint_height)
        ws.merge_range(HINT_ROW, LABEL_COL, HINT_ROW, self.last, hint, f["hint"])
        ws.set_row(HEADER_ROW, HEADER_HEIGHT)
        for col, title in enumerate(self.spec.header):
            ws.write_string(HEADER_ROW, col, title, f["header"])
        self._table(ws)
        first_note = notes_row(self.rows)
        ws.set_row(first_note, NOTE_HEIGHT * len(self.spec.notes))  # one cell: the notes never split over two pages
        ws.merge_range(first_note, LABEL_COL, first_note, self.last, "\n".join(self.spec.notes), f["note"])
        spans = ((COL_ID, COL_UNIT), (COL_TEXT, COL_TEXT), (COL_MAX, self.last))
        last_row = write_signature(ws, signature_row(self.rows), spans, self.spec.owner_label,
                                   f["sign"], date_formula=f'=IF(ISNUMBER({DATE_CELL}),{DATE_CELL},"")',
                                   date_format=f["sign_date"])  # fmt: skip
        self._validation(ws)
        self._conditional_formats(ws)
        ws.protect(
            password,
            {
                "select_locked_cells": True,
                "select_unlocked_cells": True,
                "format_rows": True,
                "format_columns": True,
            },
        )
        ws.freeze_panes(FIRST_DATA_ROW, 0)
        ws.activate()
        ws.set_selection(cell_ref(FIRST_DATA_ROW, COL_SCORE))
        scale, breaks, pages = self._pages()
        page_setup(ws, owner=self.spec.printed_owner or self.spec.owner, label=self.spec.attachment,
                   title=self.spec.title, last_row=last_row, last_col=self.last, repeat_row=HEADER_ROW,
                   scale=scale, total=pages)  # fmt: skip
        ws.set_h_pagebreaks(breaks)

    def _pages(self) -> tuple[int, list[int], int]:
        """The print scale, the page breaks and the pages printed (the sheet's total is written as a number:
        LibreOffice's total counts the pages of every sheet), the notes and the signature block with the last
        block. Units share a page only as far as they would with a remark of `REMARK_ROOM` characters in every
        row, so that a department's remarks, growing its rows, do not push part of a unit onto the next page;
        areas share pages as they are, shrunk a little where that saves a page (so that no page holds a block
        or two alone)."""
        scale = print_scale(list(self.widths.values()))
        top = TITLE_HEIGHT + DEPT_HEIGHT + self.hint_height + HEADER_HEIGHT
        room = 0.0 if self.spec.flow_blocks else text_height([("字" * REMARK_ROOM, self.widths[COL_REMARK])])
        planned, ordered = self._blocks(room), self._blocks(0.0)  # with room for remarks, as generated
        if self.spec.flow_blocks:
            scale = fewest_pages(planned, top, HEADER_HEIGHT, scale, flow=True)[0]
        breaks = block_breaks(planned, top, HEADER_HEIGHT, scale, flow=self.spec.flow_blocks)[1]
        return scale, breaks, pages_printed(ordered, breaks, top, HEADER_HEIGHT, scale)

    def _blocks(self, room: float) -> list[tuple[int, float]]:
        """Each block's first row and height, each row at least `room` high; the notes and the signature block
        with the last block."""
        blocks: dict[str, tuple[int, float]] = {}
        for r in self.rows:
            first, height = blocks.get(r.block, (r.row, 0.0))
            blocks[r.block] = (first, height + max(self.heights[r.row], room))
        ordered = list(blocks.values())
        notes = NOTE_HEIGHT * (len(self.spec.notes) + 2) + SIGNATURE_HEIGHT
        ordered[-1] = (ordered[-1][0], ordered[-1][1] + notes)
        return ordered

    def _max_formats(self, wb: Workbook) -> None:
        """The 满分 cell of a deduction or a counted bonus says how it counts: 每次扣1分，最高扣2分（填次数）."""
        for item in self.spec.items():
            number_format = _max_number_format(item)
            if number_format is not None and number_format not in self.fmt:
                self.fmt[number_format] = wb.add_format({**MAX_BASE, "num_format": number_format})

    def _table(self, ws: GrowingWorksheet) -> None:
        """The rows to fill. Their heights fit the item text and grow with a remark; the block's name (the unit,
        or the area) is in every row (its first row in bold), so a page that starts inside a block still names it."""
        f = self.fmt
        self.heights: dict[int, float] = {}
        previous = None
        for r in self.rows:
            texts = [(r.text, self.widths[COL_TEXT]), (r.block, self.widths[COL_UNIT])]
            self.heights[r.row] = text_height(texts, min_lines=3 if _max_number_format(r.item) else 2)
            ws.set_row(r.row, self.heights[r.row])
            ws.growing_rows.add(r.row)
            ws.write_string(r.row, COL_ID, r.item.id, f["center"])
            ws.write_string(r.row, COL_UNIT, r.block, f["unit" if r.block != previous else "unit_more"])
            ws.write_string(r.row, COL_TEXT, r.text, f["text"])
            ws.write_number(r.row, COL_MAX, as_number(r.item.max), self._max_format(r))
            ws.write_blank(r.row, COL_SCORE, None, f[_input_format(r)])
            ws.write_blank(r.row, COL_REMARK, None, f["remark"])
            if self.units:
                shown = self.reference.get((r.unit.name, r.item.id, r.entry), NO_REFERENCE)
                ws.write_string(r.row, COL_REFERENCE, shown, f["reference"])
            previous = r.block

    def _max_format(self, r: FormRow) -> Any:
        number_format = _max_number_format(r.item)
        return self.fmt[number_format] if number_format is not None else self.fmt[f"max_{r.item.kind}"]

    def _validation(self, ws: Worksheet) -> None:
        for r in self.rows:
            ws.data_validation(r.row, COL_SCORE, r.row, COL_SCORE, _score_validation(self.rubric, self.spec, r))
        first, last = self.rows[0].row, self.rows[-1].row
        ws.data_validation(
            first,
            COL_REMARK,
            last,
            COL_REMARK,
            {
                "validate": "length",
                "criteria": "<=",
                "value": REMARK_MAX_CHARS,
                "input_title": self.spec.header[COL_REMARK],
                "input_message": self.spec.remark_prompt,
                "error_title": f"{self.spec.header[COL_REMARK]}过长",
                "error_message": f"{self.spec.header[COL_REMARK]}不能超过{REMARK_MAX_CHARS}字，请精简。",
                "error_type": "stop",
            },
        )
        year, example = self.rubric.year, self.spec.deadline
        ws.data_validation(
            DATE_ROW,
            DATE_COL,
            DATE_ROW,
            DATE_COL,
            {
                "validate": "date",
                "criteria": "between",
                "minimum": date(year, 1, 1),
                "maximum": date(year + 2, 12, 31),
                "input_title": "填报日期",
                "input_message": f"请填写填报日期，例如 {example:%Y-%m-%d}。",
                "error_title": "日期不正确",
                "error_message": f"请填写{year}年至{year + 2}年之间的日期，例如 {example:%Y-%m-%d}。",
                "error_type": "stop",
            },
        )

    def _conditional_formats(self, ws: Worksheet) -> None:
        """A shortfall (loss, deduction, veto, a lower tier, an aspect missing) without a remark turns its remark
        cell orange; nothing else changes colour, so the blank form prints in the one colour the instructions name."""
        f = self.fmt
        groups: dict[str, list[int]] = {}
        for r in self.rows:
            shortfall = _shortfall(r)
            if shortfall is not None:
                groups.setdefault(shortfall, []).append(r.row)
        for shortfall, rows in groups.items():
            score, top, remark = (column_fixed_ref(rows[0], col) for col in (COL_SCORE, COL_MAX, COL_REMARK))
            criteria = f"=AND({shortfall.format(score=score, top=top)},LEN(TRIM({remark}))=0)"
            ranges = " ".join(cell_ref(row, COL_REMARK) for row in rows)
            ws.conditional_format(
                rows[0],
                COL_REMARK,
                rows[0],
                COL_REMARK,
                {"type": "formula", "criteria": criteria, "format": f["cf_no_remark"], "multi_range": ranges},
            )

    # -- 评分指引 -----------------------------------------------------------------------------
    def _guide_sheet(self, ws: Worksheet, ev: Evaluator, password: str) -> None:
        f = self.fmt
        rb = self.rubric
        widths = GUIDE_WIDTHS
        for col, width in enumerate(widths):
            ws.set_column(col, col, width)
        ws.set_row(0, TITLE_HEIGHT)
        ws.merge_range(0, 0, 0, 5, f"评分指引：{display_name(ev)}", f["title"])
        ws.set_row(1, HEADER_HEIGHT)
        ws.write_row(
            1,
            0,
            ["项目编号", "类别", "考核要点", "所评价项目", "分值与填法", f"重点考核（{rb.texts.attachments.focus}）"],
            f["header"],
        )
        row = 2
        heights: dict[int, float] = {}
        for item in rb.items_for(ev.name):
            kp = rb.key_point(item.key_point)
            if is_plain(item):
                how = f"{max_label(rb, item.id)}；{_how_to_fill(item.kind)}"
            else:  # a score item's points, then its rule (a deduction's or bonus's rule states its points)
                how = (f"{max_label(rb, item.id)}；" if item.kind is Kind.SCORE else "") + _rule_fill(item)
            if item.is_joint:
                others = "、".join(e for e in item.evaluators if e != ev.name)
                how += f"；本项与{others}共同评价，各自打分，{item.combine.words()}"
            focus = item.focus + (f"（{item.notes}）" if item.notes else "")
            values = [item.id, KIND_LABELS[item.kind], f"{kp.label}{kp.title}", item.text, how, focus]
            values = [broken_lines(text, widths[col]) for col, text in enumerate(values)]
            heights[row] = text_height([(text, widths[col]) for col, text in enumerate(values)])
            ws.set_row(row, heights[row])
            for col, value in enumerate(values):
                ws.write_string(row, col, value, f["text"])
            row += 1
        last_item = row - 1
        office = rb.evaluator(rb.office)
        row += 1
        contacts = [
            ("本表评价部门", display_name(ev), ev.phone, ev.email),
            (
                f"汇总单位（{rb.office}）",
                rb.office_full_name,
                office.phone if office else "",
                office.email if office else "",
            ),
        ]
        ws.merge_range(row, 0, row, 1, "联系方式", f["header"])
        ws.merge_range(row, 2, row, 3, "单位", f["header"])
        ws.write_row(row, 4, ["电话", "电子邮箱"], f["header"])
        heights[row] = HEADER_HEIGHT
        for label, name, phone, email in contacts:
            row += 1
            label, name = broken_lines(label, widths[0] + widths[1]), broken_lines(name, widths[2] + widths[3])
            heights[row] = text_height([(label, widths[0] + widths[1]), (name, widths[2] + widths[3])])
            ws.set_row(row, heights[row])
            ws.merge_range(row, 0, row, 1, label, f["text"])
            ws.merge_range(row, 2, row, 3, name, f["text"])
            ws.write_string(row, 4, phone or "（未提供）", f["text"])
            ws.write_string(row, 5, email or "（未提供）", f["text"])
        row += 2
        steps = [
            "如何交回：",
            f"1. 在“{FORM_SHEET}”工作表的浅黄色单元格中填写，保存为 .xlsx 格式（Excel、WPS 或 LibreOffice 均可）。",
            f"2. {'尽快' if self.units else f'于 {chinese_date(rb.return_deadline)} 前'}把电子版发送到"
            f"{rb.office}邮箱 {office.email if office else ''}，文件名可以保留原样。",
            "3. 打印“评价表”并加盖本部门印章，纸质版报送市质强办存档。",
            "4. 不要增删行列、重命名工作表或改动锁定内容，否则汇总时会被退回；表格有误请联系市质强办重新下发。",
            f"5. 同一项目由两个部门共同评价的，两个部门分别打分，汇总时{_joint_words(rb, ev)}。",
        ]
        for text in steps:
            text = broken_lines(text, sum(widths))
            heights[row] = text_height([(text, sum(widths))])
            ws.set_row(row, heights[row])
            ws.merge_range(row, 0, row, 5, text, f["note"])
            row += 1
        ws.protect(
            password,
            {"select_locked_cells": True, "select_unlocked_cells": True, "format_rows": True, "format_columns": True},
        )
        # each item on one page; the last item keeps the contacts and the steps company on their page
        blocks = [(r, heights[r]) for r in range(2, last_item)]
        blocks.append((last_item, sum(heights.get(r, 16.0) for r in range(last_item, row))))
        scale = print_scale(widths)
        pages, breaks = block_breaks(blocks, TITLE_HEIGHT + HEADER_HEIGHT, HEADER_HEIGHT, scale)
        page_setup(ws, owner=display_name(ev), title=GUIDE_SHEET, last_row=row - 1, last_col=len(widths) - 1,
                   repeat_row=1, scale=scale, total=pages)  # fmt: skip
        ws.set_h_pagebreaks(breaks)


def write_manifest_sheet(ws: Worksheet, manifest: Manifest, password: str, *, width: int | None = None) -> None:
    """The signed manifest as key/value rows on a very hidden, protected sheet (forms, contact lists, ledgers)."""
    ws.write_row(0, 0, ["key", "value"])
    for n, (name, value) in enumerate(manifest.rows(), start=1):
        ws.write_string(n, 0, name)
        ws.write_string(n, 1, value)
    if width is not None:
        ws.set_column(0, 1, width)
    ws.very_hidden()
    ws.protect(password)


def _how_to_fill(kind: Kind) -> str:
    return {
        Kind.SCORE: "填得分（0至满分，最多两位小数）",
        Kind.DEDUCTION: "填发生的事件次数（整数，未发生填0）",
        Kind.BONUS: "符合条件填加分，否则填0",
        Kind.VETO: "发生的选“是”，否则选“否”",
    }[kind]


def _max_number_format(item: Item) -> str | None:
    """The 满分 cell's own number format where it says how the row counts (deductions, counted bonus items)."""
    rule = item.rule
    if isinstance(rule, RangedRule):
        return f'"每次扣{canonical(rule.min)}～{canonical(rule.max)}分"\n"最高扣"General"分"\n"（填扣分）"'
    if not isinstance(rule, PerEventRule):
        return None
    per = canonical(rule.per_event)
    if item.kind is Kind.BONUS:
        return f'"每项加{per}分"\n"最高加"General"分"\n"（填项数）"'
    top = '"最高扣"General"分"' if rule.cap is not None else '"不设上限"'
    return f'"每次扣{per}分，"\n{top}\n"（填次数）"'


def _input_format(r: FormRow) -> str:
    ask = r.ask
    if ask.plain:
        return f"input_{r.item.kind}"
    return "input_count" if ask.counts and r.item.kind is Kind.BONUS else f"input_{Kind.SCORE}"


# The shortfalls that need a remark, as formulas of the row's {score} and {top} (满分) cells.
_SHORTFALLS = {
    Kind.SCORE: "AND(ISNUMBER({score}),{score}<{top})",
    Kind.DEDUCTION: "AND(ISNUMBER({score}),{score}>0)",
    Kind.VETO: f'{{score}}="{VETO_YES}"',
}


def _shortfall(r: FormRow) -> str | None:
    """The row's shortfall formula (None: a bonus, a figure: no remark asked)."""
    ask = r.ask
    if r.points and r.item.kind is Kind.BONUS:  # a bonus claimed names its evidence
        return _SHORTFALLS[Kind.DEDUCTION]
    if ask.plain or isinstance(r.item.rule, BaseRule):
        return _SHORTFALLS.get(r.item.kind)
    if ask.asked.kind != "number":  # a tier below the best, an aspect answered 否
        top = ask.top_choice
        if ask.tier_points(top) is not None and top == canonical(ask.tier_points(top) or 0):  # tiers of points
            return f"AND(ISNUMBER({{score}}),{{score}}<{top})"
        top = top.replace('"', '""')
        return f'AND(LEN(TRIM({{score}}))>0,{{score}}<>"{top}")'
    return _SHORTFALLS[Kind.DEDUCTION] if ask.asked.remark_required else None


def _joint_words(rubric: Rubric, ev: Evaluator) -> str:
    """How the evaluator's joint items are combined: their one way, else "as each item says"."""
    ways = {i.combine.words() for i in rubric.items_for(ev.name) if i.is_joint}
    if len(ways) > 1:
        return "按上表各项目写明的方式合成"
    return ways.pop() if ways else JOINT_RULE_LABELS[rubric.grading.joint]


def _rule_fill(item: Item) -> str:
    """The guide's 分值与填法 for an item with a rule: the rule in words and what to type."""
    if isinstance(item.rule, ChecklistRule):
        return f"{item.words()}；每个方面一行，选“是”或“否”"
    if isinstance(item.rule, TiersRule):
        return f"{item.words()}；在下拉列表中选择"
    return f"{item.words()}；{row_prompt(item, 0)}"


def _score_validation(rubric: Rubric, spec: FormSpec, r: FormRow) -> dict[str, Any]:
    item = r.item
    mx = canonical(item.max)
    common = {"error_type": "stop", "input_title": f"{r.block} 第{r.number}项"[:32]}
    if not r.ask.plain:
        return {**common, **_rule_validation(r)}
    if item.kind is Kind.DEDUCTION:
        return {
            **common,
            "validate": "integer",
            "criteria": "between",
            "minimum": 0,
            "maximum": MAX_EVENTS,
            "input_message": f"填写发生的事件次数（整数，未发生填0）。{max_label(rubric, item.id)}。",
            "error_title": "请填写次数",
            "error_message": "扣分项请填写事件次数：0或正整数，不要填写扣分值。",
        }
    if item.kind is Kind.VETO and isinstance(item.rule, VetoRule):
        outcome = veto_outcome(item.rule.effect, rubric.grading.veto_grade)
        return {
            **common,
            "validate": "list",
            "source": [VETO_YES, VETO_NO],
            "input_message": f"发生区域性、系统性产品质量安全事件的选“是”（{outcome}），否则选“否”。",
            "error_title": "请选择是或否",
            "error_message": "否决项只能填写“是”或“否”。",
        }
    what = "加分" if item.kind is Kind.BONUS else "得分"
    return {
        **common,
        "validate": "decimal",
        "criteria": "between",
        "minimum": 0,
        "maximum": as_number(item.max),
        "input_message": f"填写{what}：0至{mx}之间的数字，最多两位小数。"
        + (
            f"低于满分的请在“{spec.header[COL_REMARK]}”中写明原因。"
            if item.kind is Kind.SCORE
            else "不符合加分条件填0。"
        ),
        "error_title": f"{what}超出范围",
        "error_message": f"{what}应为0至{mx}之间的数字，不要填写“分”“满分”等文字。",
    }


def _rule_validation(r: FormRow) -> dict[str, Any]:
    """The validation of a row whose rule asks for a tier, a figure, an aspect's 是/否, a ranged deduction …"""
    ask = r.ask
    a = ask.asked
    prompt = f"{r.item.words()}。{row_prompt(r.item, r.entry)}"
    if a.kind != "number":
        what = "“是”或“否”" if a.kind == "yesno" else "、".join(a.choices)
        return {
            "validate": "list",
            "source": list(a.choices),
            "input_message": prompt[:255],
            "error_title": f"请选择{a.label}"[:32],
            "error_message": f"本项只能选择{what}，请在下拉列表中选择。"[:255],
        }
    low = a.min if a.min is not None else Decimal(0)
    rule: dict[str, Any] = {"validate": "integer" if a.decimals == 0 else "decimal"}
    if a.max is None:
        rule |= {"criteria": ">=", "value": as_number(low)}
    else:
        rule |= {"criteria": "between", "minimum": as_number(low), "maximum": as_number(a.max)}
    places = "整数" if a.decimals == 0 else f"最多{a.decimals}位小数"
    return {
        **rule,
        "input_message": prompt[:255],
        "error_title": f"{a.label}超出范围"[:32],
        "error_message": f"{ask.amount()}应为{ask.span()}之间的数字（{places}），只填数字。"[:255],
    }


def _form_widths(blocks: Sequence[str], rows: list[FormRow], *, reference: bool = False) -> dict[int, int]:
    """Column widths from the form's texts: block names (units, areas) on one line, no item text wrapping inside '（1.5分）';
    a correction form's reference column is taken from the remark's share of the page."""
    widths = {
        **FIXED_WIDTHS,
        COL_UNIT: name_width(blocks),
        COL_TEXT: text_width(sorted({r.text for r in rows}), 42, 62, 52),
        **({COL_REFERENCE: REFERENCE_WIDTH} if reference else {}),
    }
    widths[COL_REMARK] = max(36, TOTAL_WIDTH - sum(widths.values()))
    return dict(sorted(widths.items()))


BASE = {"font_name": FONT, "font_size": 11, "valign": "vcenter", "text_wrap": True}
MAX_BASE = {**BASE, "border": 1, "align": "center"}
GUIDE_WIDTHS = [9, 8, 16, 40, 26, 46]


def _formats(wb: Workbook) -> dict[str, Any]:
    base = BASE
    boxed = {**base, "border": 1}
    entry = {**boxed, "locked": False, "bg_color": INPUT_FILL}
    max_formats = {
        Kind.SCORE: "General",
        Kind.BONUS: '"加"General"分"',
        Kind.DEDUCTION: '"最高扣"General"分"',
        Kind.VETO: '"否决"',
    }
    specs: dict[str, dict[str, Any]] = {
        "title": {**base, "font_name": "黑体", "font_size": 16, "bold": True, "align": "center"},
        "dept": {**base, "font_size": 12, "bold": True},
        "date_label": {**base, "font_size": 12, "bold": True, "align": "right"},
        "date_input": {**entry, "num_format": DATE_FORMAT, "align": "center", "text_wrap": False, "shrink": True},
        "sign": {**base, "font_size": 12, "valign": "top"},
        "sign_date": {**base, "font_size": 12, "valign": "top", "align": "left", "num_format": DATE_FORMAT},
        "code": {**base, "font_size": 10, "align": "right"},
        "hint": {**base, "font_size": 10, "font_color": "#404040"},
        "header": {**boxed, "bold": True, "align": "center", "bg_color": "#D9E1F2"},
        "center": {**boxed, "align": "center"},
        "unit": {**boxed, "align": "center", "bold": True},
        "unit_more": {**boxed, "align": "center", "font_size": 9, "font_color": "#808080"},
        "text": boxed,
        "remark": {**entry, "font_size": REMARK_FONT_SIZE},
        "reference": {**boxed, "align": "center", "bg_color": REFERENCE_FILL},
        "note": {**base, "font_size": 10},
        "cf_no_remark": {"bg_color": NO_REMARK_FILL},
        **{f"max_{k}": {**MAX_BASE, "num_format": fmt} for k, fmt in max_formats.items()},
        f"input_{Kind.SCORE}": {**entry, "align": "center"},
        f"input_{Kind.BONUS}": {**entry, "align": "center"},
        f"input_{Kind.DEDUCTION}": {**entry, "align": "center", "num_format": '0"次"'},
        f"input_{Kind.VETO}": {**entry, "align": "center"},
        "input_count": {**entry, "align": "center", "num_format": '0"项"'},
    }
    return {name: wb.add_format(spec) for name, spec in specs.items()}


IDLE_WIDTHS = [16, 14, 24, 50]
DISPATCH_HEADER = (
    "序号",
    "评价部门",
    "所属单位",
    "联系电话",
    "电子邮箱",
    "评价项目数",
    "需填写的单元格",
    "签收（签字、日期）",
)
DISPATCH_WIDTHS = [5, 16, 22, None, None, 8, 22, 20]  # None: as wide as the longest phone or e-mail on one line
DISPATCH_EXTRA = ("文件名", "表单编号")  # kept in the file for the office, not printed
DISPATCH_TOP = 3  # title, owner and date, header


def _list_sheet(
    wb: Workbook, name: str, title: str, subtitle: str, owner: str, header: Sequence[str], widths: Sequence[int | None],
    rows: Sequence[Sequence[str]], extra: Sequence[str] = (),
) -> None:  # fmt: skip
    """A list to print: its title, a line naming its owner and date, the header (repeated on every page) and
    the rows as tall as their text; `extra` columns after the printed ones hold what is for the office's
    screen only (file names, form numbers)."""
    head = wb.add_format({**BASE, "bold": True, "border": 1, "align": "center", "bg_color": "#D9E1F2"})
    cell = wb.add_format({**BASE, "border": 1})
    ws = wb.add_worksheet(name)
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in header]
    sizes = [w if w is not None else code_width([*col, h]) for w, col, h in zip(widths, columns, header, strict=False)]
    sizes += [28] * len(extra)
    for col, width in enumerate(sizes):
        ws.set_column(col, col, width)
    last = len(header) - 1
    ws.set_row(0, TITLE_HEIGHT)
    ws.merge_range(
        0, 0, 0, last, title, wb.add_format({**BASE, "font_name": "黑体", "font_size": 16, "align": "center"})
    )
    ws.merge_range(1, 0, 1, last, subtitle, wb.add_format({**BASE, "font_size": 11}))
    ws.set_row(2, HEADER_HEIGHT * 1.5)
    ws.write_row(2, 0, [*header, *extra], head)
    for n, values in enumerate(rows, start=DISPATCH_TOP):
        ws.set_row(n, text_height(list(zip(values, sizes, strict=False)), min_lines=2))
        for col, value in enumerate(values):
            ws.write_string(n, col, value, cell)
    ws.freeze_panes(DISPATCH_TOP, 0)
    page_setup(ws, owner=owner, title=title, last_row=DISPATCH_TOP + max(len(rows), 1) - 1, last_col=last,
               repeat_row=DISPATCH_TOP - 1)  # fmt: skip


def write_dispatch_list(rubric: Rubric, forms: list[FormFile], path: Path, when: datetime) -> Path:
    """发放清单.xlsx: who gets which form, how to reach them, how many cells they fill, a column to sign for
    it; the file names and form numbers beside the printed columns."""
    wb = new_workbook(path)
    mark_output(wb, "评价表发放清单", rubric.office, created=when)
    subtitle = f"发放单位：{rubric.office_full_name}　　　发放日期：{chinese_date(when.date())}"
    rows = []
    missing = f"（{rubric.texts.attachments.evaluators}未提供）"
    for n, form in enumerate(forms, start=1):
        ev = form.evaluator
        rows.append([
            str(n), display_name(ev), ev.bureau or ev.full_name, ev.phone or missing, ev.email or missing,
            str(form.items),
            f"实际得分 {form.rows} 个，评价说明 {form.rows} 个，填报日期 1 个", "", form.path.name, form.form_id,
        ])  # fmt: skip
    title = f"{rubric.city}{rubric.year}年度政府质量工作考核评价表发放清单"
    _list_sheet(wb, "发放清单", title, subtitle, rubric.office, DISPATCH_HEADER, DISPATCH_WIDTHS, rows,
                DISPATCH_EXTRA)  # fmt: skip
    idle = rubric.idle_evaluators()
    if idle:
        idle_rows = [
            [display_name(ev), ev.phone or "", ev.email or "", "考核细则中没有由该部门评价的项目，无需发放评价表"]
            for ev in idle
        ]
        _list_sheet(wb, "未生成评价表的部门", f"{rubric.year}年度未生成评价表的部门", subtitle, rubric.office,
                    ("评价部门", "联系电话", "电子邮箱", "说明"), [16, None, None, 50], idle_rows)  # fmt: skip
    wb.close()
    return path
