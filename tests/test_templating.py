"""The Word templates of the documents: the bundled ones fill, and each way an office can break one is named."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docxtpl import DocxTemplate

from qe_workbook.documents.notice_docx import NOTICE
from qe_workbook.documents.templating import (
    DocumentKind,
    Field,
    TemplateBroken,
    _environment,
    bundled_template,
    check_templates,
    render,
    templates_note,
)

LIST = DocumentKind(
    "名单",
    "测试用的名单",
    (
        Field("标题", "标题", "名单"),
        Field(
            "行",
            "各行",
            [{"名称": "东区", "分数": "90.00"}],
            (Field("名称", "名称", "东区"), Field("分数", "分数", "90.00")),
        ),
    ),
)


def _texts(data: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return [p.text.strip() for p in document.paragraphs if p.text.strip()] + cells


def _list_template(folder: Path, rows: list[str] | None = None) -> Path:
    """名单.docx: a title and a table whose rows loop over 行 (three rows: for, the repeated row, endfor)."""
    document = docx.Document()
    document.add_paragraph("{{ 标题 }}")
    rows = rows if rows is not None else ["{%tr for 行 in 行 %}", "ROW", "{%tr endfor %}"]
    table = document.add_table(rows=len(rows), cols=2)
    for row, text in zip(table.rows, rows, strict=True):
        if text == "ROW":
            row.cells[0].text, row.cells[1].text = "{{ 行.名称 }}", "{{ 行.分数 }}"
        else:
            row.cells[0].text = text
    folder.mkdir(parents=True, exist_ok=True)
    document.save(str(folder / "名单.docx"))
    return folder


def _edited_notice(folder: Path, old: str, new: str) -> Path:
    """The bundled 通报 template with the paragraph holding `old` replaced by `new`, saved in `folder`."""
    document = docx.Document(io.BytesIO(bundled_template(NOTICE)))
    paragraph = next(p for p in document.paragraphs if old in p.text)
    paragraph.text = paragraph.text.replace(old, new)
    folder.mkdir(parents=True, exist_ok=True)
    document.save(str(folder / "通报.docx"))
    return folder


def _problem(kind: DocumentKind, folder: Path) -> tuple[str, str]:
    found = check_templates([kind], folder)
    assert len(found) == 1, found
    with pytest.raises(TemplateBroken) as raised:
        render(kind, kind.example(), folder)
    assert raised.value.problems[0].code == found[0].code
    return found[0].code, found[0].message


def test_the_bundled_notice_fills_with_its_example_values() -> None:
    assert check_templates([NOTICE], None) == []
    texts = _texts(render(NOTICE, NOTICE.example()))
    assert "A级（1个）：召陵区人民政府。" in texts
    assert "抄送：市纪委监委，市委组织部。" in texts
    properties = docx.Document(io.BytesIO(render(NOTICE, NOTICE.example()))).core_properties
    assert (properties.title, properties.author) == (
        "关于漯河市2022年度政府质量工作考核结果的通报（代拟稿）",
        "市质强办",
    )


def test_a_table_loop_repeats_its_row_and_text_from_outside_stays_text(tmp_path: Path) -> None:
    folder = _list_template(tmp_path / "模板")
    rows = [{"名称": "东区<&>", "分数": "90.00"}, {"名称": "西\x1b区", "分数": "第一行\r\n第二行\r第三行"}]
    data = render(LIST, {"标题": "名单", "行": rows}, folder)
    assert _texts(data) == ["名单", "东区<&>", "90.00", "西␛区", "第一行\n第二行\n第三行"]
    cell = docx.Document(io.BytesIO(data)).tables[0].rows[1].cells[1]._tc
    assert len(cell.findall(".//" + qn("w:br"))) == 2  # each line break a w:br


def test_an_unknown_field_is_named_with_the_text_around_it(tmp_path: Path) -> None:
    folder = _edited_notice(tmp_path / "模板", "{{ 考核方案 }}", "{{ 考核办法 }}")
    code, message = _problem(NOTICE, folder)
    assert code == "TEMPLATE_UNKNOWN_FIELD"
    assert "通报.docx" in message and "“考核办法”" in message and "《{{ 考核办法 }}》" in message


def test_an_unknown_field_of_a_row_is_named(tmp_path: Path) -> None:
    folder = _list_template(tmp_path / "模板")
    document = docx.Document(str(folder / "名单.docx"))
    document.tables[0].rows[1].cells[1].text = "{{ 行.排名 }}"
    document.save(str(folder / "名单.docx"))
    code, message = _problem(LIST, folder)
    assert code == "TEMPLATE_UNKNOWN_FIELD" and "“排名”" in message and "{{ 行.排名 }}" in message


def test_a_broken_block_is_named_with_the_text_around_it(tmp_path: Path) -> None:
    folder = _edited_notice(tmp_path / "模板", "{% endfor %}《", "《")
    code, message = _problem(NOTICE, folder)
    assert code == "TEMPLATE_BLOCK_BROKEN"
    assert "通报.docx" in message and "{% for 文件 in 考核依据 %}" in message and "endfor" in message


def test_a_block_written_wrongly_is_named(tmp_path: Path) -> None:
    folder = _edited_notice(tmp_path / "模板", "{{ 考核方案 }}", "{{ 考核方案 }")
    code, message = _problem(NOTICE, folder)
    assert code == "TEMPLATE_BLOCK_BROKEN" and "通报.docx" in message


@pytest.mark.parametrize(
    ("rows", "missing"),
    [(["{%tr for 行 in 行 %}", "ROW"], "之后没有"), (["ROW", "{%tr endfor %}"], "前没有对应的开始行")],
)
def test_a_table_loop_that_lost_its_row_is_named(tmp_path: Path, rows: list[str], missing: str) -> None:
    folder = _list_template(tmp_path / "模板", rows)
    code, message = _problem(LIST, folder)
    assert code == "TEMPLATE_TABLE_LOOP" and "名单.docx" in message and missing in message


def test_a_template_saved_as_doc_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "模板"
    folder.mkdir()
    (folder / "通报.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    code, message = _problem(NOTICE, folder)
    assert code == "TEMPLATE_NOT_DOCX" and "通报.doc”" in message and "Word 97-2003" in message
    (folder / "通报.doc").unlink()
    (folder / "通报.docx").write_text("不是文档", encoding="utf-8")
    code, message = _problem(NOTICE, folder)
    assert code == "TEMPLATE_NOT_DOCX" and "通报.docx" in message


def test_the_note_names_the_office_templates_in_use(tmp_path: Path) -> None:
    assert templates_note(tmp_path / "没有", [NOTICE, LIST]) is None
    folder = _list_template(tmp_path / "文书模板")
    note = templates_note(folder, [NOTICE, LIST])
    assert note is not None and "名单.docx" in note and "通报.docx" not in note


def test_a_template_compiled_once_gives_what_a_fresh_compile_gives() -> None:
    """The compiled template is kept per template text (templating._Environment): the kept one fills the same."""

    def parts(data: bytes) -> dict[str, bytes]:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return {name: package.read(name) for name in package.namelist()}

    first = parts(render(NOTICE, NOTICE.example()))
    kept = parts(render(NOTICE, {**NOTICE.example(), "抄送": ["市委办公室"]}))
    _environment.cache_clear()
    fresh = parts(render(NOTICE, {**NOTICE.example(), "抄送": ["市委办公室"]}))
    assert kept == fresh and kept != first


@pytest.mark.parametrize("copy_to", [["市纪委监委"], ["市纪委监委\n（第二行）"]])
def test_the_prepared_parts_fill_as_docxtpl_itself_fills_them(copy_to: list[str]) -> None:
    """The engine keeps each part's prepared XML and skips the tab-and-break pass over XML without one
    (templating._DocxTemplate): the documents are the same as docxtpl's own, part for part."""
    context = {**NOTICE.example(), "抄送": copy_to}
    plain = DocxTemplate(io.BytesIO(bundled_template(NOTICE)))
    plain.render(context, _environment(), autoescape=True)
    out = io.BytesIO()
    plain.save(out)

    def parts(data: bytes) -> dict[str, bytes]:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return {name: package.read(name) for name in package.namelist()}

    assert parts(render(NOTICE, context)) == parts(out.getvalue())


def test_a_workbook_named_docx_and_a_template_that_cannot_run_are_named(tmp_path: Path) -> None:
    folder = tmp_path / "模板"
    folder.mkdir()
    workbook = folder / "通报.docx"
    with zipfile.ZipFile(workbook, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("xl/workbook.xml", "<workbook/>")
    code, message = _problem(NOTICE, folder)
    assert code == "TEMPLATE_NOT_DOCX" and "文件内容不是 Word 文档" in message
    _edited_notice(folder, "{{ 年度 }}年度政府质量工作考核，", "{{ 年度 + 1 }}年度政府质量工作考核，")
    code, message = _problem(NOTICE, folder)
    assert code == "TEMPLATE_FAILED" and "无法执行" in message and not re.search("[A-Za-z]{4,}", message.split("”")[-1])
