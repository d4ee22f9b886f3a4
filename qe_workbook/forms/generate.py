"""Generate one locked 附件6 evaluation workbook per evaluator, and the dispatch list.

Forms are written with xlsxwriter: only 实际得分, 评价说明 and 填报日期 are unlocked; every
input cell carries data validation with Chinese prompts; the manifest is signed with the
office's key. The same rubric, key and options give byte-identical files.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..amounts import as_number, canonical
from ..record.check_code import write_code_cell
from ..rubric import JOINT_RULE_LABELS, KIND_LABELS, Evaluator, Kind, Rubric
from ..rubric.view import max_label
from .layout import (
    COL_ID,
    COL_MAX,
    COL_REMARK,
    COL_SCORE,
    COL_TEXT,
    COL_UNIT,
    DATE_COL,
    DATE_LABEL,
    DATE_ROW,
    DEPT_ROW,
    FIRST_DATA_ROW,
    FORM_SHEET,
    GUIDE_SHEET,
    HEADER,
    HEADER_ROW,
    HINT_ROW,
    LAST_COL,
    MANIFEST_SHEET,
    MAX_EVENTS,
    NOTES,
    REMARK_MAX_CHARS,
    TITLE_ROW,
    FormRow,
    cell_ref,
    dept_text,
    display_name,
    display_width,
    expected_content,
    form_file_name,
    form_rows,
    form_title,
    notes_row,
)
from .manifest import FORMAT, Manifest, derive, sign

INPUT_FILL = "#FFF2CC"
EMPTY_FILL = "#F8CBAD"
NO_REMARK_FILL = "#FFD966"
COL_WIDTHS = {COL_ID: 9, COL_UNIT: 11, COL_TEXT: 56, COL_MAX: 11, COL_SCORE: 11, COL_REMARK: 46}
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
) -> GenerateResult:
    """Write one form per evaluator with items, plus 发放清单.xlsx; return what was written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    when = (generated_at or datetime.now()).replace(microsecond=0)
    forms = []
    for evaluator in rubric.form_evaluators():
        manifest = Manifest(
            format=FORMAT,
            year=rubric.year,
            rubric_hash=rubric.content_hash,
            evaluator=evaluator.name,
            form_id=derive(key, "form-id", rubric.content_hash, evaluator.name, seed),
            generated_at=when.isoformat(),
        )
        manifest = sign(key, manifest, expected_content(rubric, evaluator))
        sheet_password = password or derive(key, "sheet-password", manifest.form_id)
        path = out_dir / form_file_name(rubric, evaluator)
        rows = form_rows(rubric, evaluator.name)
        FormWriter(rubric, evaluator, manifest, rows).write(path, sheet_password, when)
        forms.append(FormFile(evaluator, path, manifest.form_id, len(rubric.items_for(evaluator.name)), len(rows)))
        if progress:
            progress(evaluator)
    dispatch = write_dispatch_list(rubric, forms, out_dir / "发放清单.xlsx", when)
    return GenerateResult(forms, list(rubric.idle_evaluators()), dispatch)


def _row_height(text: str, width: float) -> float:
    lines = max(2, math.ceil(display_width(text) / (width * 0.95)))
    return 15.0 * lines + 4


class FormWriter:
    """Writes the three sheets of one evaluator's form."""

    def __init__(self, rubric: Rubric, evaluator: Evaluator, manifest: Manifest, rows: list[FormRow]) -> None:
        self.rubric, self.evaluator, self.manifest, self.rows = rubric, evaluator, manifest, rows

    def write(self, path: Path, password: str, when: datetime) -> None:
        wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
        wb.set_properties(
            {
                "title": form_title(self.rubric),
                "subject": f"考核评价表：{display_name(self.evaluator)}",
                "author": self.rubric.office,
                "company": self.rubric.office_full_name,
                "created": when,
            }
        )
        for name, value in self.manifest.rows():
            wb.set_custom_property(f"qe_{name}", value)
        self.fmt = _formats(wb)
        self._form_sheet(wb.add_worksheet(FORM_SHEET), password)
        self._guide_sheet(wb.add_worksheet(GUIDE_SHEET), password)
        self._manifest_sheet(wb.add_worksheet(MANIFEST_SHEET), password)
        wb.close()

    # -- 评价表 ------------------------------------------------------------------------------
    def _form_sheet(self, ws: Worksheet, password: str) -> None:
        f = self.fmt
        for col, width in COL_WIDTHS.items():
            ws.set_column(col, col, width)
        ws.set_row(TITLE_ROW, 30)
        ws.merge_range(TITLE_ROW, 0, TITLE_ROW, LAST_COL, form_title(self.rubric), f["title"])
        ws.set_row(DEPT_ROW, 24)
        ws.merge_range(DEPT_ROW, 0, DEPT_ROW, COL_TEXT, dept_text(self.evaluator), f["dept"])
        ws.write_string(DATE_ROW, DATE_COL - 1, DATE_LABEL, f["date_label"])
        ws.write_blank(DATE_ROW, DATE_COL, None, f["date_input"])
        write_code_cell(ws, self.rows, f"表单编号：{self.manifest.form_id}　", f["code"])
        ws.set_row(HINT_ROW, 36)
        ws.merge_range(HINT_ROW, 0, HINT_ROW, LAST_COL, self._hint(), f["hint"])
        ws.set_row(HEADER_ROW, 22)
        for col, title in enumerate(HEADER):
            ws.write_string(HEADER_ROW, col, title, f["header"])
        self._table(ws)
        first_note = notes_row(self.rows)
        for n, note in enumerate(NOTES):
            ws.merge_range(first_note + n, 0, first_note + n, LAST_COL, note, f["note"])
        self._validation(ws)
        self._conditional_formats(ws)
        last_row = first_note + len(NOTES) - 1
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
        _print_setup(ws, last_row, HEADER_ROW)

    def _hint(self) -> str:
        return (
            "填写说明：只在浅黄色单元格中填写“实际得分”“评价说明”和“填报日期”。评分项填得分（0至满分，最多两位小数）；"
            "扣分项填事件次数（未发生填0）；加分项填加分（不符合填0）；否决项选“是”或“否”。"
            "有失分的请在“评价说明”中写明优势不足和改进建议。请勿增删行列或改动其他内容。"
        )

    def _table(self, ws: Worksheet) -> None:
        f = self.fmt
        for r in self.rows:
            ws.set_row(r.row, _row_height(r.text, COL_WIDTHS[COL_TEXT]))
            ws.write_string(r.row, COL_ID, r.item.id, f["center"])
            ws.write_string(r.row, COL_TEXT, r.text, f["text"])
            ws.write_number(r.row, COL_MAX, as_number(r.item.max), f[f"max_{r.item.kind}"])
            ws.write_blank(r.row, COL_SCORE, None, f[f"input_{r.item.kind}"])
            ws.write_blank(r.row, COL_REMARK, None, f["remark"])
        # the unit name, merged down its block
        blocks: dict[str, list[int]] = {}
        for r in self.rows:
            blocks.setdefault(r.unit.name, []).append(r.row)
        for name, block in blocks.items():
            if len(block) > 1:
                ws.merge_range(block[0], COL_UNIT, block[-1], COL_UNIT, name, f["unit"])
            else:
                ws.write_string(block[0], COL_UNIT, name, f["unit"])

    def _validation(self, ws: Worksheet) -> None:
        for r in self.rows:
            ws.data_validation(r.row, COL_SCORE, r.row, COL_SCORE, _score_validation(self.rubric, r))
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
                "input_title": "评价说明",
                "input_message": "客观说明工作中的优势、不足和改进建议（500字以内）。有失分、扣分或否决的必须填写。",
                "error_title": "评价说明过长",
                "error_message": f"评价说明不能超过{REMARK_MAX_CHARS}字，请精简。",
                "error_type": "stop",
            },
        )
        year, example = self.rubric.year, self.rubric.return_deadline
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
        """Empty score cells stand out; so does a shortfall (loss, deduction, veto) without a remark."""
        f = self.fmt
        first, last = self.rows[0].row, self.rows[-1].row
        top = cell_ref(first, COL_SCORE)
        ws.conditional_format(
            first,
            COL_SCORE,
            last,
            COL_SCORE,
            {"type": "formula", "criteria": f"=LEN(${top[0]}{first + 1})=0", "format": f["cf_empty"]},
        )
        conditions = {
            Kind.SCORE: "AND(ISNUMBER($E{r}),$E{r}<$D{r})",
            Kind.DEDUCTION: "AND(ISNUMBER($E{r}),$E{r}>0)",
            Kind.VETO: '$E{r}="是"',
        }
        for kind, condition in conditions.items():
            rows = [r.row for r in self.rows if r.item.kind is kind]
            if not rows:
                continue
            first_row = rows[0] + 1
            criteria = f"=AND({condition.format(r=first_row)},LEN(TRIM($F{first_row}))=0)"
            ranges = " ".join(cell_ref(row, COL_REMARK) for row in rows)
            ws.conditional_format(
                rows[0],
                COL_REMARK,
                rows[0],
                COL_REMARK,
                {"type": "formula", "criteria": criteria, "format": f["cf_no_remark"], "multi_range": ranges},
            )

    # -- 评分指引 -----------------------------------------------------------------------------
    def _guide_sheet(self, ws: Worksheet, password: str) -> None:
        f = self.fmt
        rb, ev = self.rubric, self.evaluator
        widths = [9, 8, 18, 44, 22, 60]
        for col, width in enumerate(widths):
            ws.set_column(col, col, width)
        ws.merge_range(0, 0, 0, 5, f"评分指引：{display_name(ev)}", f["title"])
        ws.write_row(
            1, 0, ["项目编号", "类别", "考核要点", "所评价项目", "分值与填法", "重点考核（附件5）"], f["header"]
        )
        row = 2
        for item in rb.items_for(ev.name):
            kp = rb.key_point(item.key_point)
            how = max_label(rb, item.id) + "；" + _how_to_fill(item.kind)
            if item.is_joint:
                others = "、".join(e for e in item.evaluators if e != ev.name)
                how += f"；本项与{others}共同评价，各自打分，{JOINT_RULE_LABELS[rb.grading.joint]}"
            focus = item.focus + (f"（{item.notes}）" if item.notes else "")
            values = [item.id, KIND_LABELS[item.kind], f"{kp.label}{kp.title}", item.text, how, focus]
            ws.set_row(row, max(_row_height(text, widths[col]) for col, text in enumerate(values)))
            for col, value in enumerate(values):
                ws.write_string(row, col, value, f["text"])
            row += 1
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
        ws.write_row(row, 0, ["联系方式", "", "单位", "", "电话", "电子邮箱"], f["header"])
        for label, name, phone, email in contacts:
            row += 1
            ws.merge_range(row, 0, row, 1, label, f["text"])
            ws.merge_range(row, 2, row, 3, name, f["text"])
            ws.write_string(row, 4, phone or "（未提供）", f["text"])
            ws.write_string(row, 5, email or "（未提供）", f["text"])
        row += 2
        steps = [
            "如何交回：",
            f"1. 在“{FORM_SHEET}”工作表的浅黄色单元格中填写，保存为 .xlsx 格式（Excel、WPS 或 LibreOffice 均可）。",
            f"2. 于 {rb.return_deadline:%Y年%m月%d日} 前把电子版发送到"
            f"{rb.office}邮箱 {office.email if office else ''}，文件名可以保留原样。",
            "3. 打印“评价表”并加盖本部门印章，纸质版报送市质强办存档。",
            "4. 不要增删行列、重命名工作表或改动锁定内容，否则汇总时会被退回；表格有误请联系市质强办重新下发。",
            f"5. 同一项目由两个部门共同评价的，两个部门分别打分，汇总时{JOINT_RULE_LABELS[rb.grading.joint]}。",
        ]
        for text in steps:
            ws.merge_range(row, 0, row, 5, text, f["note"])
            row += 1
        ws.protect(
            password,
            {"select_locked_cells": True, "select_unlocked_cells": True, "format_rows": True, "format_columns": True},
        )
        _print_setup(ws, row - 1, 1)

    def _manifest_sheet(self, ws: Worksheet, password: str) -> None:
        ws.write_row(0, 0, ["key", "value"])
        for n, (name, value) in enumerate(self.manifest.rows(), start=1):
            ws.write_string(n, 0, name)
            ws.write_string(n, 1, value)
        ws.set_column(0, 1, 30)
        ws.very_hidden()
        ws.protect(password)


def _how_to_fill(kind: Kind) -> str:
    return {
        Kind.SCORE: "填得分（0至满分，最多两位小数）",
        Kind.DEDUCTION: "填发生的事件次数（整数，未发生填0）",
        Kind.BONUS: "符合条件填加分，否则填0",
        Kind.VETO: "发生的选“是”，否则选“否”",
    }[kind]


def _score_validation(rubric: Rubric, r: FormRow) -> dict[str, Any]:
    item = r.item
    mx = canonical(item.max)
    common = {"error_type": "stop", "input_title": f"{r.unit.name} 第{r.number}项"[:32]}
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
    if item.kind is Kind.VETO:
        return {
            **common,
            "validate": "list",
            "source": ["是", "否"],
            "input_message": f"发生区域性、系统性产品质量安全事件的选“是”（考核结果为{rubric.grading.veto_grade}级），否则选“否”。",
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
        + ("低于满分的请在“评价说明”中写明原因。" if item.kind is Kind.SCORE else "不符合加分条件填0。"),
        "error_title": f"{what}超出范围",
        "error_message": f"{what}应为0至{mx}之间的数字，不要填写“分”“满分”等文字。",
    }


def _print_setup(ws: Worksheet, last_row: int, repeat_row: int) -> None:
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.repeat_rows(repeat_row)
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.7)
    ws.set_footer("&C第 &P 页，共 &N 页")
    ws.print_area(0, 0, last_row, LAST_COL)


def _formats(wb: Workbook) -> dict[str, Any]:
    base = {"font_name": FONT, "font_size": 11, "valign": "vcenter", "text_wrap": True}
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
        "date_input": {**entry, "num_format": "yyyy-mm-dd", "align": "center"},
        "code": {**base, "font_size": 10, "align": "right"},
        "hint": {**base, "font_size": 10, "font_color": "#404040"},
        "header": {**boxed, "bold": True, "align": "center", "bg_color": "#D9E1F2"},
        "center": {**boxed, "align": "center"},
        "unit": {**boxed, "align": "center", "bold": True},
        "text": boxed,
        "remark": entry,
        "note": {**base, "font_size": 10},
        "cf_empty": {"bg_color": EMPTY_FILL},
        "cf_no_remark": {"bg_color": NO_REMARK_FILL},
        **{f"max_{k}": {**boxed, "align": "center", "num_format": fmt} for k, fmt in max_formats.items()},
        f"input_{Kind.SCORE}": {**entry, "align": "center"},
        f"input_{Kind.BONUS}": {**entry, "align": "center"},
        f"input_{Kind.DEDUCTION}": {**entry, "align": "center", "num_format": '0"次"'},
        f"input_{Kind.VETO}": {**entry, "align": "center"},
    }
    return {name: wb.add_format(spec) for name, spec in specs.items()}


def write_dispatch_list(rubric: Rubric, forms: list[FormFile], path: Path, when: datetime) -> Path:
    """发放清单.xlsx: who gets which file, how to reach them, how many cells they fill."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"title": "评价表发放清单", "author": rubric.office, "created": when})
    head = wb.add_format({"bold": True, "border": 1, "bg_color": "#D9E1F2", "font_name": FONT, "text_wrap": True})
    cell = wb.add_format({"border": 1, "font_name": FONT, "text_wrap": True, "valign": "vcenter"})
    ws = wb.add_worksheet("发放清单")
    header = [
        "序号",
        "评价部门",
        "所属单位",
        "联系电话",
        "电子邮箱",
        "文件名",
        "评价项目数",
        "需填写的单元格",
        "表单编号",
    ]
    ws.write_row(0, 0, header, head)
    for n, form in enumerate(forms, start=1):
        ev = form.evaluator
        to_fill = f"实际得分 {form.rows} 个，评价说明 {form.rows} 个，填报日期 1 个"
        values = [
            str(n),
            ev.name,
            ev.bureau or ev.full_name,
            ev.phone or "（附件4未提供）",
            ev.email or "（附件4未提供）",
            form.path.name,
            str(form.items),
            to_fill,
            form.form_id,
        ]
        for col, value in enumerate(values):
            ws.write_string(n, col, value, cell)
    for col, width in enumerate([6, 16, 26, 16, 26, 52, 10, 40, 16]):
        ws.set_column(col, col, width)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(forms), len(header) - 1)
    idle = rubric.idle_evaluators()
    if idle:
        ws2 = wb.add_worksheet("未生成评价表的部门")
        ws2.write_row(0, 0, ["评价部门", "联系电话", "电子邮箱", "说明"], head)
        for n, ev in enumerate(idle, start=1):
            ws2.write_row(n, 0, [ev.name, ev.phone, ev.email, "考核细则中没有由该部门评价的项目，无需发放评价表"], cell)
        ws2.set_column(0, 3, 24)
    wb.close()
    return path
