"""Before the result is final, each unit checks its scores: one 得分核对单 per unit, with an 异议
column and the deadline; the office then keeps its 异议登记.xlsx (see appeals.py).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import xlsxwriter

from ..amounts import canonical, round2
from ..choices import Disclose as Disclose
from ..dates import chinese_date
from ..documents.sheet_notes import PRECHECK_NOTES, line, note_lines
from ..documents.templating import TemplateBroken
from ..forms.paper import SIGNATURE_HEIGHT, closing_breaks, page_setup, print_scale, text_height, write_signature
from ..outputs.run_record import read_run
from ..outputs.sheets import Sheets
from ..problems import Problem
from ..rubric import KIND_LABELS, Kind, Rubric
from ..run_folder import new_run_folder
from ..scoring.results import ItemScore, UnitResult
from ..scoring.totals import total_words
from ..workbooks import mark_output

PRECHECK_DIR = "得分核对单"
HEADER = [
    "项目编号",
    "类别",
    "所评价项目",
    "满分",
    "得分",
    "评价部门",
    "评价说明",
    "异议（如有，请写明理由和佐证材料）",
]
WIDTHS = [9, 8, 44, 8, 8, 14, 40, 36]
TITLE_HEIGHT, BLANK_HEIGHT = 20.0, 15.0  # points: the title row (14 pt 黑体), a row left at its default height


def precheck_name(rubric: Rubric, unit: str) -> str:
    return f"{unit}_{rubric.year}年度质量工作考核得分核对单.xlsx"


def write_prechecks(
    run_dir: Path, rubric: Rubric, deadline: date, *, disclose: Disclose | None = None,
    out_parent: Path | None = None, templates: Path | None = None,
) -> tuple[Path | None, list[Problem]]:  # fmt: skip
    """One 得分核对单 per unit into a new folder `<run>/得分核对单/<time>` (or under `out_parent`), its sentences
    from the office's template in `templates` when it has one; the remarks shown are `disclose`, by default the
    rubric's `disclosure.remarks`. A broken template gives its problems and no file."""
    disclose = disclose or rubric.disclosure.remarks
    run, problems = read_run(run_dir, rubric, official="documents")
    if run is None:
        return None, problems
    adopted = {u.unit: u for u in run.results.units}
    try:  # every unit's sentences before the first file
        texts = {u.unit: precheck_lines(rubric, u, deadline, adopted[u.unit], templates) for u in run.scored.units}
    except TemplateBroken as exc:
        return None, exc.problems
    with new_run_folder(out_parent or run_dir / PRECHECK_DIR) as (tmp, finish):
        for unit in run.scored.units:  # the item scores add up to the scored total; adjustments are stated apart
            path = tmp / precheck_name(rubric, unit.unit)
            write_precheck(path, rubric, unit, disclose, texts[unit.unit])
        folder = finish()
    return folder, []


def precheck_context(rubric: Rubric, unit: UnitResult, deadline: date, adopted: UnitResult | None) -> dict[str, Any]:
    """The fields of the 得分核对单说明 template for `unit` as scored; `adopted` its result after the meeting's
    adjustments (its total is given when they changed it)."""
    return {
        "城市": rubric.city,
        "年度": rubric.year,
        "单位": unit.unit,
        "总分": f"{round2(unit.total):.2f}",
        "总分说明": total_words(rubric),
        "各部分": [
            {"名称": p.name, "权重": canonical(p.weight), "折算分": f"{round2(unit.parts[p.id]):.2f}"}
            for p in rubric.parts
        ],
        "调整后总分": f"{round2(adopted.total):.2f}" if adopted is not None and adopted.total != unit.total else "",
        "反馈截止日期": chinese_date(deadline),
        "印发单位": rubric.office_full_name,
        "印发日期": chinese_date(rubric.report_date or date.today()),
        "报送单位": rubric.office,
    }


def precheck_lines(rubric: Rubric, unit: UnitResult, deadline: date, adopted: UnitResult | None = None,
                   templates: Path | None = None) -> list[str]:  # fmt: skip
    """The 得分核对单's sentences: title, score sentence, date line, then the notes under the table."""
    return note_lines(PRECHECK_NOTES, precheck_context(rubric, unit, deadline, adopted), templates)


def write_precheck(path: Path, rubric: Rubric, unit: UnitResult, disclose: Disclose, texts: list[str]) -> Path:
    """One unit's 得分核对单: `unit` as scored (its items add up to its total), with the sentences `texts`
    (`precheck_lines`)."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})  # fmt: skip
    mark_output(wb, f"{rubric.year}年度质量工作考核得分核对单（{unit.unit}）", rubric.office)
    s = Sheets(wb, rubric.office_full_name)
    ws = wb.add_worksheet("得分核对单")
    title = line(texts, 0)
    ws.write_string(0, 0, title, s.title)
    ws.merge_range(1, 0, 1, len(HEADER) - 1, line(texts, 1), s.note)
    ws.set_row(1, text_height([(line(texts, 1), sum(WIDTHS))]))
    ws.set_row(2, 20)
    ws.merge_range(2, 0, 2, len(HEADER) - 1, line(texts, 2), s.bold)
    rows = [_row(item_score, disclose) for item_score in unit.items if item_score.applies]
    last = s.table(ws, 3, HEADER, rows, WIDTHS)
    notes = texts[3:]
    for n, note in enumerate(notes, start=last + 2):
        ws.merge_range(n, 0, n, len(HEADER) - 1, note, s.note)
        ws.set_row(n, text_height([(note, sum(WIDTHS))]))
    for col, width in enumerate(WIDTHS):
        ws.set_column(col, col, width)
    full_name = next((u.full_name for u in rubric.units if u.name == unit.unit), unit.unit)
    end = write_signature(ws, last + len(notes) + 3, ((0, 2), (3, 5), (6, 7)), "被考核单位", s.sign)
    header = text_height(list(zip(HEADER, WIDTHS, strict=True)))
    top = TITLE_HEIGHT + text_height([(line(texts, 1), sum(WIDTHS))]) + 20 + header
    closing = BLANK_HEIGHT * 2 + sum(text_height([(n, sum(WIDTHS))]) for n in notes) + SIGNATURE_HEIGHT
    heights = [text_height(list(zip(row, WIDTHS, strict=True))) for row in rows]
    scale = print_scale(WIDTHS)  # the last rows go onto the signature's page: it never stands alone there
    ws.set_h_pagebreaks(closing_breaks(4, heights, top, header, closing, scale))
    page_setup(ws, owner=full_name, title=title, last_row=end, last_col=len(HEADER) - 1, repeat_row=3, scale=scale)
    wb.close()
    return path


def _row(item_score: ItemScore, disclose: Disclose) -> list[str]:
    item = item_score.item
    if item_score.points is None:
        shown = "（暂缺）"
    elif item.kind is Kind.VETO:
        shown = "是" if item_score.points else "否"
    else:
        shown = f"{round2(item_score.points):.2f}"
    lost = item_score.lost is not None or (item.kind is Kind.VETO and bool(item_score.points))
    show = disclose is Disclose.ALL or (disclose is Disclose.SHORTFALLS and lost)
    remarks = "；".join(s.remark for s in item_score.sources if s.remark) if show else ""
    evaluators = "、".join(item.evaluators)
    return [item.id, KIND_LABELS[item.kind], item.text, canonical(item.max), shown, evaluators, remarks, ""]
