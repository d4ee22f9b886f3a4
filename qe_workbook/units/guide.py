"""印证材料报送指引.xlsx and the 印证材料/ skeleton: which department needs which evidence, and where.

The evidence goes to the evaluating department of each item (方案四(二)), classified by the
items of 附件1. The guide lists, for one unit, every evaluating department with its items, the
附件5 focus, whether evidence is needed, the department's phone and e-mail and the deadline; it
prints on A4 landscape. The skeleton has a folder per department (its name as printed, e.g.
市市场监管局监督科), a sub-folder per item id that needs evidence, and a 目录.xlsx to fill in.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..dates import chinese_date
from ..forms.layout import display_name
from ..forms.paper import code_width, fewest_pages, lines, page_height, page_setup, print_scale, text_height
from ..rubric import Evaluator, Item, Rubric, Unit
from ..rubric.view import max_label
from ..workbooks import mark_output, new_workbook
from .materials import EVIDENCE_DIR, INDEX_FILE, needs_materials

GUIDE_HEADER = ("评价部门", "联系电话", "电子邮箱", "项目编号", "考核要点", "项目内容", "分值", "重点考核内容（{focus}）",
                "需要印证材料", "报送位置")  # fmt: skip
GUIDE_WIDTHS = (14, 13, 20, 7, 16, 40, 9, 46, 10, 22)
INDEX_HEADER = ("序号", "项目编号", "材料名称", "文件名", "页数或说明")
INDEX_TITLE_ROWS = 2  # title and hint above the header
INDEX_INPUT_ROWS = 60
FONT = "宋体"
HEADER_HEIGHT = 24.0


@dataclass(frozen=True)
class GuideRow:
    evaluator: Evaluator
    item: Item

    @property
    def needed(self) -> bool:
        return needs_materials(self.item)


def guide_rows(rubric: Rubric) -> list[GuideRow]:
    """(department, item) in the rubric's department order; a joint item under each department."""
    return [GuideRow(ev, item) for ev in rubric.form_evaluators() for item in rubric.items_for(ev.name)]


def department_folder(evaluator: Evaluator) -> str:
    return display_name(evaluator)


def write_guide(rubric: Rubric, unit: Unit, path: Path) -> Path:
    wb = new_workbook(path)
    mark_output(wb, f"{unit.name}印证材料报送指引", rubric.office)
    base = {"font_name": FONT, "font_size": 10, "valign": "vcenter", "text_wrap": True}
    title = wb.add_format({**base, "font_name": "黑体", "font_size": 16, "align": "center"})
    note = wb.add_format({**base, "font_size": 10})
    head = wb.add_format({**base, "bold": True, "border": 1, "align": "center", "bg_color": "#D9E1F2"})
    text = wb.add_format({**base, "border": 1})
    center = wb.add_format({**base, "border": 1, "align": "center"})
    dept = wb.add_format({**base, "border": 1, "align": "center", "bold": True})
    no = wb.add_format({**base, "border": 1, "align": "center", "font_color": "#7F7F7F"})
    ws = wb.add_worksheet("报送指引")
    evaluators = rubric.form_evaluators()
    widths = list(GUIDE_WIDTHS)  # the phone and e-mail columns fit the longest on one line
    widths[1] = max(widths[1], code_width([ev.phone or "" for ev in evaluators]))
    widths[2] = max(widths[2], code_width([ev.email or "" for ev in evaluators]))
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    last_col = len(GUIDE_HEADER) - 1
    deadline = rubric.materials_deadline
    ws.set_row(0, 30)
    ws.merge_range(0, 0, 0, last_col, f"{unit.full_name}{rubric.year}年度质量工作考核印证材料报送指引", title)
    lines = [
        f"1. 印证材料只报电子版，按下表的评价部门和项目编号分类，于 {chinese_date(deadline)}前"
        "报送各评价部门（不报市质强办）；逾期或不符合要求的不予采用。涉密材料按保密规定处理。",
        f"2. 请使用随附的“{EVIDENCE_DIR}”文件夹：每个评价部门一个文件夹，其中每个项目一个以项目编号命名的子文件夹；"
        f"材料放入对应项目的子文件夹，并填写该部门文件夹中的“{INDEX_FILE}”（序号、项目编号、材料名称、文件名、页数），"
        "然后把该部门文件夹压缩后发送到该部门邮箱。",
        "3. “需要印证材料”为“否”的项目，由评价部门根据统计监测数据或日常掌握情况评价，无需报送。"
        "同一项目由两个部门共同评价的，两个部门都要报送。自评报告和联系人员名单报送市质强办。",
    ]
    row = 1
    top = 30.0
    for line in lines:
        ws.set_row(row, text_height([(line, sum(widths))]))
        top += text_height([(line, sum(widths))])
        ws.merge_range(row, 0, row, last_col, line, note)
        row += 1
    header_row = row
    ws.set_row(header_row, HEADER_HEIGHT)
    ws.write_row(header_row, 0, [h.format(focus=rubric.texts.attachments.focus) for h in GUIDE_HEADER], head)
    row += 1
    rows = guide_rows(rubric)
    blocks: dict[str, list[int]] = {}
    heights: dict[int, float] = {}
    for r in rows:
        kp = rubric.key_point(r.item.key_point)
        folder = f"{EVIDENCE_DIR}/{department_folder(r.evaluator)}/{r.item.id}" if r.needed else "—"
        focus = r.item.focus or "—"
        texts = {0: display_name(r.evaluator), 4: f"{kp.label}{kp.title}", 5: r.item.text, 7: focus, 9: folder}
        heights[row] = _height([(t, widths[c]) for c, t in texts.items()])
        ws.set_row(row, heights[row])
        ws.write_string(row, 3, r.item.id, center)
        ws.write_string(row, 4, f"{kp.label}{kp.title}", text)
        ws.write_string(row, 5, r.item.text, text)
        ws.write_string(row, 6, max_label(rubric, r.item.id), center)
        ws.write_string(row, 7, focus, text)
        ws.write_string(row, 8, "是" if r.needed else "否", center if r.needed else no)
        ws.write_string(row, 9, folder, text)
        blocks.setdefault(r.evaluator.name, []).append(row)
        row += 1
    # each department's rows on one page (a page break between departments); a department taller than a
    # page names itself, its phone and e-mail in every row instead of in one merged cell a break would cut
    whole = {name: sum(heights[n] for n in block) for name, block in blocks.items()}
    scale, breaks = fewest_pages([(block[0], whole[name]) for name, block in blocks.items()], top + HEADER_HEIGHT,
                                 HEADER_HEIGHT, print_scale(widths), lowest=75)  # fmt: skip
    for r in {r.evaluator.name: r for r in rows}.values():
        ev, block = r.evaluator, blocks[r.evaluator.name]
        merged = len(block) > 1 and whole[ev.name] <= page_height(scale) - HEADER_HEIGHT
        missing = f"（{rubric.texts.attachments.evaluators}未提供）"
        for col, value, fmt in ((0, display_name(ev), dept), (1, ev.phone or missing, center),
                                (2, ev.email or missing, center)):  # fmt: skip
            if merged:
                ws.merge_range(block[0], col, block[-1], col, value, fmt)
            else:
                for n in block:
                    ws.write_string(n, col, value, fmt)
    ws.freeze_panes(header_row + 1, 0)
    page_setup(ws, owner=unit.full_name, title=f"{rubric.year}年度质量工作考核印证材料报送指引", last_row=row - 1,
               last_col=last_col, repeat_row=header_row, scale=scale)  # fmt: skip
    ws.set_h_pagebreaks(breaks)
    wb.close()
    return path


def _height(texts: list[tuple[str, int]]) -> float:
    """A row of 10-point text (a tenth more characters a line than 11-point, lines of 14.5 pt) at least two
    lines tall."""
    return 14.5 * max(2, *(lines(text, width * 1.1) for text, width in texts)) + 4


def write_evidence_skeleton(rubric: Rubric, unit: Unit, root: Path) -> Path:
    """印证材料/<department>/<item id>/ for every item needing evidence, with a 目录.xlsx per department."""
    base = root / EVIDENCE_DIR
    for ev in rubric.form_evaluators():
        items = [i for i in rubric.items_for(ev.name) if needs_materials(i)]
        if not items:
            continue
        folder = base / department_folder(ev)
        for item in items:
            (folder / item.id).mkdir(parents=True, exist_ok=True)
        write_index_template(rubric, unit, ev, items, folder / INDEX_FILE)
    return base


def write_index_template(rubric: Rubric, unit: Unit, ev: Evaluator, items: list[Item], path: Path) -> Path:
    wb = new_workbook(path)
    base = {"font_name": FONT, "font_size": 11, "valign": "vcenter", "text_wrap": True}
    title = wb.add_format({**base, "font_name": "黑体", "font_size": 14, "align": "center"})
    hint = wb.add_format({**base, "font_size": 10, "font_color": "#404040"})
    head = wb.add_format({**base, "bold": True, "border": 1, "align": "center", "bg_color": "#D9E1F2"})
    entry = wb.add_format({**base, "border": 1, "num_format": "@"})
    ws = wb.add_worksheet("目录")
    for col, width in enumerate((6, 10, 36, 36, 16)):
        ws.set_column(col, col, width)
    last_col = len(INDEX_HEADER) - 1
    ws.merge_range(0, 0, 0, last_col, f"{unit.name}报送{display_name(ev)}的印证材料目录", title)
    ws.set_row(1, 44)
    ws.merge_range(
        1, 0, 1, last_col,
        f"每个文件一行，按项目编号依次排列；“文件名”与项目文件夹中的文件名一致（含扩展名）。本部门的项目："
        f"{'、'.join(i.id for i in items)}。",
        hint,
    )  # fmt: skip
    ws.write_row(INDEX_TITLE_ROWS, 0, INDEX_HEADER, head)
    first, last = INDEX_TITLE_ROWS + 1, INDEX_TITLE_ROWS + INDEX_INPUT_ROWS
    for row in range(first, last + 1):
        for col in range(len(INDEX_HEADER)):
            ws.write_blank(row, col, None, entry)
    ids = [i.id for i in items]
    if len(",".join(ids)) < 250:  # Excel's limit for a list written into the validation itself
        ws.data_validation(first, 1, last, 1, {"validate": "list", "source": ids, "error_type": "warning",
                                               "error_message": "请填写本部门的项目编号。"})  # fmt: skip
    ws.freeze_panes(INDEX_TITLE_ROWS + 1, 0)
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(INDEX_TITLE_ROWS)
    wb.close()
    return path
