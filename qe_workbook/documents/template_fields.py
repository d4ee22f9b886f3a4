"""What `qe templates export` writes beside the bundled templates: each template's fields, printable, in Chinese
(字段、含义、示例、写法), so that an office editing a template in Word or WPS knows what it may write."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter

from ..widths import display_width
from ..workbooks import mark_output
from .templating import DocumentKind, Field, bundled_template

HEADER = ["字段", "含义", "示例", "在模板中的写法"]
WIDTHS = (22, 46, 30, 42)  # characters of the columns
LINE_HEIGHT = 14.5  # points: a line of 11 pt 宋体
ITEM, SUB_ITEM = "项", "子项"  # the names the usage column gives one record of a list field, and of a list in it


def shown_example(value: Any) -> str:
    """An example value as the field list prints it."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        return "（见以下各行）"
    if isinstance(value, list):
        return f"（列表，{len(value)}项）" if value and isinstance(value[0], dict) else "、".join(map(str, value))
    return str(value)


def usage(field: Field, owner: str = "") -> str:
    """How a template names the field: a value, a condition, or a loop (over paragraphs or table rows)."""
    name = f"{owner}.{field.name}" if owner else field.name
    if isinstance(field.example, dict):  # a record: its own fields are named 记录.字段 (排名.名次)
        return f"{{% if {name} is defined %}}…{{% endif %}}"
    if field.items:
        each = SUB_ITEM if owner else ITEM
        return f"{{%p for {each} in {name} %}} … {{%p endfor %}}（表格中逐行：{{%tr for {each} in {name} %}}）"
    if isinstance(field.example, bool):
        return f"{{% if {name} %}}…{{% endif %}}"
    if isinstance(field.example, list):
        return f"{{{{ {name}|join('、') }}}}"
    return f"{{{{ {name} }}}}"


def field_rows(kind: DocumentKind) -> list[list[str]]:
    """One row per field; a list field's own fields follow it, named as inside its loop (项.名称); a record's own
    fields follow it under the record's name (排名.名次), and a list in a record is looped over as 子项."""
    rows = []
    for field in kind.fields:
        rows.append([field.name, field.meaning, shown_example(field.example), usage(field)])
        if isinstance(field.example, dict):
            for item in field.items:
                rows.append([f"{field.name}.{item.name}", f"{field.name}的{item.meaning}", shown_example(item.example),
                             usage(item, field.name)])  # fmt: skip
                for sub in item.items:
                    rows.append([f"{SUB_ITEM}.{sub.name}", f"{field.name}.{item.name}中每一项的{sub.meaning}",
                                 shown_example(sub.example), usage(sub, SUB_ITEM)])  # fmt: skip
            continue
        for item in field.items:
            rows.append([f"{ITEM}.{item.name}", f"{field.name}中每一项的{item.meaning}", shown_example(item.example),
                         usage(item, ITEM)])  # fmt: skip
            for sub in item.items:
                rows.append([f"{SUB_ITEM}.{sub.name}", f"{ITEM}.{item.name}中每一项的{sub.meaning}",
                             shown_example(sub.example), usage(sub, SUB_ITEM)])  # fmt: skip
    return rows


def write_field_list(kind: DocumentKind, path: Path) -> Path:
    """<模板名>字段说明.xlsx: the fields of one template, on A4 landscape, the header repeated on every page."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})  # fmt: skip
    title = f"文书模板“{kind.file_name}”可用的字段"
    mark_output(wb, title, "")
    cell = {"font_name": "宋体", "font_size": 11, "border": 1, "valign": "top", "text_wrap": True}
    head = wb.add_format({**cell, "bold": True, "align": "center", "bg_color": "#D9E1F2"})
    text = wb.add_format(cell)
    ws = wb.add_worksheet("字段说明")
    ws.merge_range(0, 0, 0, 3, f"{title}（{kind.meaning}）", wb.add_format({"font_name": "黑体", "font_size": 14,
                                                                           "align": "center"}))  # fmt: skip
    ws.write_row(1, 0, HEADER, head)
    for row, values in enumerate(field_rows(kind), start=2):
        ws.write_row(row, 0, values, text)
        lines = max(-(-display_width(v) // (width - 2)) for v, width in zip(values, WIDTHS, strict=True))
        ws.set_row(row, LINE_HEIGHT * max(lines, 1) + 3)
    for col, width in enumerate(WIDTHS):
        ws.set_column(col, col, width)
    ws.set_landscape()
    ws.set_paper(9)
    ws.repeat_rows(1)
    ws.fit_to_pages(1, 0)
    ws.set_footer("&C第&P页，共&N页")
    wb.close()
    return path


def export_templates(kinds: tuple[DocumentKind, ...], folder: Path) -> list[Path]:
    """The bundled template of each kind and its field list, written into `folder` (made when missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in kinds:
        template = folder / kind.file_name
        template.write_bytes(bundled_template(kind))
        written += [template, write_field_list(kind, folder / f"{kind.name}字段说明.xlsx")]
    return written
